import * as fs from 'fs';
import * as path from 'path';
import { Annotations, App, Aspects, DefaultTokenResolver, IAspect, StringConcat, TerraformStack, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';
import { ManifestAnnotations } from './manifest-annotations';
import { aspectsAddedTo, hookStack, isAnyStack, StackChecker, watchStacks } from './stack-discovery';
import { COMPACT_REPORT_FINDINGS, libraryVersion, REPORT_JSON, REPORT_SARIF, setAsidePrevious, STACK_FILE } from './stack-reports';
import { hasResourceType, StackSpecs } from './stack-specs';
import { suppressionsByPath, suppressionsForPath } from './suppressions';
import { displayPath, printEveryFinding, SynthOutput, throwSynthFailure } from './synth-output';
import { evaluateSpec } from '../evaluation/evaluate';
import { Finding } from '../evaluation/finding';
import { Profile, ProfileLevel } from '../profiles/profile';
import { ProfileScope } from '../profiles/scope';
import type { ReportSummary } from '../report/json-report';
import { StreamedReports } from '../report/streamed';
import { countUnknownCauses } from '../report/unknown-summary';
import { parseConstraint } from '../rules/provider-versions';
import { IRule, Severity } from '../rules/rule';
import { ContainerSpec } from '../spec/container-spec';
import { joinConstraints, providerConstraintsOf } from '../spec/provider-constraint';
import { METADATA_KEY } from '../spec/terraform/common';

export { COMPACT_REPORT_FINDINGS, libraryVersion, REPORT_JSON, REPORT_SARIF } from './stack-reports';

/** Props of DockerSecurityChecks. */
export interface DockerSecurityChecksProps {
  /**
   * The profile whose rules run.
   * @default - the `hardened` profile (every rule)
   */
  readonly profile?: Profile;
  /**
   * Treat a value only known after apply, under an error-level rule, as an error instead of a warning.
   * @default false
   */
  readonly strict?: boolean;
  /**
   * Write `hardened-docker-report.json` and `hardened-docker-report.sarif` beside each stack's `cdk.tf.json`.
   * @default true
   */
  readonly writeReports?: boolean;
  /**
   * Print a short security report of each stack to standard error during synth: one summary line, the findings
   * grouped by rule with the first construct paths. The environment variable `HARDENED_DOCKER_SYNTH_OUTPUT=all`
   * prints every finding instead.
   * @default true
   */
  readonly printReport?: boolean;
}

/** Resolves tokens as cdktf's synth does (its own resolver is not exported). */
const TOKEN_RESOLVER = new DefaultTokenResolver(new StringConcat());

/** Marks DockerSecurityChecks of any copy of this library (two copies each hook the stacks they first see). */
const CHECKS_BRAND = Symbol.for('cdktf-hardened-docker.DockerSecurityChecks');

/**
 * Checks every docker_container and docker_service of every stack, at synth, on exactly the JSON Terraform will
 * receive (after escape-hatch overrides and token resolution), whether our constructs built it or not.
 *
 * Add it once for the whole app: `DockerSecurityChecks.applyTo(app)` (or `Aspects.of(app).add(new DockerSecurityChecks())`,
 * which cdktf alone would never run; this library makes it reach every stack, including stacks created later).
 * Added to a stack, it checks that stack; the checks nearest to a stack win. `app.synth()`, `cdktf synth` and
 * `Testing.synth(stack)` all run them, for stacks of cdktf and of CDK Terrain (`cdktn`) alike, whichever copy of
 * either the app's classes come from (docs/cdk-terrain.md); a stack they cannot reach fails synth.
 */
export class DockerSecurityChecks implements IAspect {
  /**
   * Add checks to a scope (the app, a stack) and return them.
   */
  public static applyTo(scope: IConstruct, props: DockerSecurityChecksProps = {}): DockerSecurityChecks {
    const checks = new DockerSecurityChecks(props);
    Aspects.of(scope).add(checks);
    // The app may come from another cdktf or cdktn than this library's: hook its stacks and its synth too.
    watchStacks(STACK_CHECKER, TerraformStack.prototype, scope);
    return checks;
  }

  /**
   * The checks in force for a stack: the nearest ones added to the stack or to a scope above it (through the
   * `Aspects` of any cdktf or cdktn).
   * @returns undefined when no checks apply
   */
  public static of(stack: TerraformStack): DockerSecurityChecks | undefined {
    const scopes = stack.node.scopes;
    for (let i = scopes.length - 1; i >= 0; i--) {
      for (const aspect of aspectsAddedTo(scopes[i])) {
        if (isChecks(aspect)) return aspect;
      }
    }
    return undefined;
  }

  /** The profile given in props, else the nearest `ProfileScope` of each resource, else `hardened`. */
  public readonly profile: Profile;
  private readonly props: DockerSecurityChecksProps;

  public constructor(props: DockerSecurityChecksProps = {}) {
    this.props = props;
    this.profile = props.profile ?? Profile.named(ProfileLevel.HARDENED);
    watchStacks(STACK_CHECKER, TerraformStack.prototype);
  }

  /**
   * Called by cdktf for every construct of a stack at synth. The checks themselves run on the stack's synthesized
   * JSON; here, only a misplaced aspect is reported (added below a stack, it could not check the whole stack).
   */
  public visit(node: IConstruct): void {
    if (isAnyStack(node)) {
      // Run by the stack's own cdktf or cdktn, before its toTerraform: hook that class if not yet done.
      hookStack(node);
      return;
    }
    if (!aspectsAddedTo(node).includes(this)) return;
    Annotations.of(node).addError(
      `DockerSecurityChecks was added to "${node.node.path}", which is not a stack or the app: it checks whole stacks. `
      + 'Add it to the app (DockerSecurityChecks.applyTo(app)) or to a stack; to exempt this construct from a rule, '
      + 'use Suppressions.add(construct, ruleId, reason).');
  }

  /**
   * Runs the checks on a stack's synthesized JSON: annotates, writes reports, throws on errors. Streams resource by
   * resource (adapter, rules, reports), so that specs and findings never all stay in memory. @internal
   */
  public _checkStack(stack: TerraformStack, json: any): ReportSummary {
    // A token reason resolves as the rest of the stack does: the `//` key then carries what synth read.
    const byPath = suppressionsByPath(stack, (v) => Tokenization.resolve(v, { scope: stack, resolver: TOKEN_RESOLVER }));
    // The stack read as `check` reads the same JSON (one verdict): its own references decided, joins and binds followed.
    const specs = new StackSpecs(json);
    const refs = specs.refs;
    const stackProfile = this.props.profile ?? ProfileScope.find(stack) ?? this.profile;
    // Without a profile prop, each resource takes its nearest ProfileScope (known before the reports start).
    let profileOf: ((i: number) => Profile) | undefined;
    const profiles = new Set<Profile>([stackProfile]);
    if (!this.props.profile) {
      const constructs = constructsByPath(stack);
      const perRef = refs.map((ref) => {
        const c = constructs.get(ref.body?.['//']?.metadata?.path);
        const p = c ? ProfileScope.find(c) ?? stackProfile : stackProfile;
        profiles.add(p);
        return p;
      });
      profileOf = (i) => perRef[i];
    }
    const stackName = stack.node.id;
    const dir = stackDirectory(stack);
    // The compose reader is loaded only for a stack with docker_compose resources, which most apps never have.
    const composeSpecs = hasResourceType(json, 'docker_compose')
      ? composeResources().composeSpecsOfDocument(json, dir ?? process.cwd(), { cwd: process.cwd(), env: process.env }) : [];
    let reports: StreamedReports | undefined;
    if (dir && this.props.writeReports !== false) {
      fs.mkdirSync(dir, { recursive: true });
      for (const file of [REPORT_JSON, REPORT_SARIF]) setAsidePrevious(path.join(dir, file));
      const rules = new Map<string, IRule>();
      for (const p of profiles) for (const a of p.activeRules) if (!rules.has(a.rule.metadata.id)) rules.set(a.rule.metadata.id, a.rule);
      reports = new StreamedReports(path.join(dir, REPORT_JSON), path.join(dir, REPORT_SARIF), stackProfile.name,
        { rules: [...rules.values()], version: libraryVersion(), locate: () => STACK_FILE }, COMPACT_REPORT_FINDINGS);
    }
    const annotations = new ManifestAnnotations(stack);
    const print = this.props.printReport !== false;
    const output = new SynthOutput(stack.node.path, printEveryFinding());
    const counts = { error: 0, warning: 0, info: 0, suppressed: 0 };
    const findings: Finding[] = [];
    const evalOptions = {
      strict: this.props.strict,
      stack: stackName,
      providerVersion: stackProviderVersion(stack, json),
      suppressionsFor: byPath.size ? (sp: ContainerSpec) => suppressionsForPath(byPath, sp.constructPath) : undefined,
    };
    const annotated: Finding[] = [];
    const withUnknowns: ContainerSpec[] = [];
    // One spec judged: its findings to the reports, the counts, the manifest annotations and what synth prints.
    const judge = (spec: ContainerSpec, profile: Profile): void => {
      if (spec.unknownCauses !== undefined) withUnknowns.push(spec);
      findings.length = 0;
      annotated.length = 0;
      evaluateSpec(spec, profile, evalOptions, findings);
      for (const f of findings) {
        reports?.add(f);
        if (f.suppressed) counts.suppressed++;
        else counts[f.severity]++;
        if (!f.suppressed && f.severity !== Severity.ERROR) annotated.push(f);
        output.add(f);
      }
      annotations.addResource(annotated);
    };
    try {
      for (let i = 0; i < refs.length; i++) judge(specs.at(i), profileOf ? profileOf(i) : stackProfile);
      // docker_compose resources: the services of their compose files, or a finding that they cannot be read.
      for (const spec of composeSpecs) judge(spec, stackProfile);
    } catch (e) {
      reports?.abort();
      throw e;
    }
    const unknownCauses = countUnknownCauses(withUnknowns);
    reports?.close(refs.length + composeSpecs.length, unknownCauses);
    annotations.writeGrouped();
    // Construct-made suppressions travel in the JSON (under "//", which Terraform ignores), beside those already in
    // the `//` key, so that `check` of the output reads every suppression synth read.
    if (byPath.size) attachSuppressions(json, byPath);
    const resources = refs.length + composeSpecs.length;
    const summary: ReportSummary = { profile: stackProfile.name, resources, ...counts, ...(unknownCauses ? { unknownCauses } : {}) };
    const reportFile = reports && dir ? displayPath(path.join(dir, REPORT_JSON)) : undefined;
    if (print) process.stderr.write(output.text(summary, reportFile));
    if (summary.error) throwSynthFailure(output.failureMessage(summary.profile, reportFile));
    return summary;
  }
}

Object.defineProperty(DockerSecurityChecks.prototype, CHECKS_BRAND, { value: true });

function composeResources(): typeof import('../spec/compose-resource') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../spec/compose-resource');
}

function isChecks(x: unknown): x is DockerSecurityChecks {
  return x instanceof DockerSecurityChecks || (typeof x === 'object' && x !== null && (x as any)[CHECKS_BRAND] === true);
}

/**
 * The Docker provider version constraint a stack synthesizes (`terraform.required_providers`: 3.6.2 with
 * @cdktf/provider-docker 12, whatever a cdktn or `cdktf get` binding writes), checked: a malformed one fails synth.
 */
function stackProviderVersion(stack: TerraformStack, json: any): string | undefined {
  const constraint = joinConstraints(providerConstraintsOf(json));
  if (constraint === undefined) return undefined;
  try {
    parseConstraint(constraint);
  } catch (e: any) {
    throw new Error(`DockerSecurityChecks: stack ${stack.node.path}: terraform.required_providers docker version: ${e.message}`);
  }
  return constraint;
}

/**
 * What the hooked toTerraform of every stack runs (src/checks/stack-discovery.ts): cdktf calls it once per stack and
 * synth, after aspects and validation, so the checks see the final JSON (overrides applied, tokens resolved) without
 * resolving the stack a second time. A stack with no checks in its scopes costs one walk up its scopes.
 */
const STACK_CHECKER: StackChecker = {
  checksFor: (stack) => DockerSecurityChecks.of(stack as TerraformStack),
};

function constructsByPath(stack: TerraformStack): Map<string, IConstruct> {
  const out = new Map<string, IConstruct>();
  for (const c of stack.node.findAll()) out.set(c.node.path, c);
  return out;
}

/**
 * Writes the construct scopes' suppressions of each resource into its `//` key after the entries already there
 * (written with an override): synth read both, so the output keeps both, in the order synth read them.
 */
function attachSuppressions(json: any, byPath: Map<string, { ruleId: string; reason: string }[]>): void {
  for (const type of ['docker_container', 'docker_service', 'docker_compose']) {
    const byName = json?.resource?.[type];
    if (!byName) continue;
    for (const body of Object.values<any>(byName)) {
      const s = suppressionsForPath(byPath, body?.['//']?.metadata?.path);
      if (!s.length) continue;
      const meta = body['//']?.[METADATA_KEY];
      const written: any[] = Array.isArray(meta?.suppressions) ? meta.suppressions : [];
      const suppressions = [...written];
      for (const { ruleId, reason } of s) {
        if (!suppressions.some((w) => w?.ruleId === ruleId && w?.reason === reason)) suppressions.push({ ruleId, reason });
      }
      body['//'] = { ...(body['//'] ?? {}), [METADATA_KEY]: { ...(meta ?? {}), suppressions } };
    }
  }
}

function stackDirectory(stack: TerraformStack): string | undefined {
  const app = stack.node.root;
  if (!App.isApp(app)) return undefined;
  try {
    return path.join(app.outdir, app.manifest.forStack(stack).workingDirectory);
  } catch {
    return undefined;
  }
}
