import * as fs from 'fs';
import * as path from 'path';
import {
  AnnotationMetadataEntryType, Annotations, App, Aspects, DefaultTokenResolver, IAspect, StringConcat, TerraformStack, Tokenization,
} from 'cdktf';
import { IConstruct } from 'constructs';
import { aspectsAddedTo, hookStack, isAnyStack, StackChecker, watchStacks } from './stack-discovery';
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
import { composeSpecsOfDocument } from '../spec/compose-resource';
import { ContainerSpec } from '../spec/container-spec';
import { joinConstraints, providerConstraintsOf } from '../spec/provider-constraint';
import { dockerResources, METADATA_KEY, specFromResource } from '../spec/terraform-adapter';

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

/** File names of the reports written beside each stack. */
export const REPORT_JSON = 'hardened-docker-report.json';
export const REPORT_SARIF = 'hardened-docker-report.sarif';

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
    const refs = dockerResources(json);
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
    const composeSpecs = composeSpecsOfDocument(json, dir ?? process.cwd(), { cwd: process.cwd(), env: process.env });
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
    try {
      for (let i = 0; i < refs.length; i++) {
        const spec = specFromResource(refs[i]);
        if (spec.unknownCauses !== undefined) withUnknowns.push(spec);
        findings.length = 0;
        annotated.length = 0;
        evaluateSpec(spec, profileOf ? profileOf(i) : stackProfile, evalOptions, findings);
        for (const f of findings) {
          reports?.add(f);
          if (f.suppressed) counts.suppressed++;
          else counts[f.severity]++;
          if (!f.suppressed && f.severity !== Severity.ERROR) annotated.push(f);
          output.add(f);
        }
        annotations.addResource(annotated);
      }
      // docker_compose resources: the services of their compose files, or a finding that they cannot be read.
      for (const spec of composeSpecs) {
        if (spec.unknownCauses !== undefined) withUnknowns.push(spec);
        findings.length = 0;
        annotated.length = 0;
        evaluateSpec(spec, stackProfile, evalOptions, findings);
        for (const f of findings) {
          reports?.add(f);
          if (f.suppressed) counts.suppressed++;
          else counts[f.severity]++;
          if (!f.suppressed && f.severity !== Severity.ERROR) annotated.push(f);
          output.add(f);
        }
        annotations.addResource(annotated);
      }
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

/**
 * Moves the previous synth's report out of the way and deletes it in the background, so that the new one is a new
 * file. Writing over it would truncate it first, and freeing the blocks of a file of megabytes (the reports of a
 * thousand containers) makes the synth wait for the file system: 3 to 40 ms per 4 MB file on the benchmark's
 * machine, against about 1 ms for the rename. The unlink runs on libuv's thread pool while synth goes on, and Node
 * finishes it before the process exits. A reader holding the previous report (an editor, an upload) keeps it whole.
 * One fixed name per report: whatever a killed process left there is replaced by the next synth.
 */
function setAsidePrevious(file: string): void {
  const previous = path.join(path.dirname(file), `.${path.basename(file)}.replaced`);
  try {
    fs.renameSync(file, previous);
  } catch {
    // No previous report (a first synth), or it cannot be moved: opening it for writing truncates it, as before.
    return;
  }
  fs.unlink(previous, () => {
    // Already gone (a second synth of the process replaced it again), or it stays until the next synth replaces it.
  });
}

/** Where every finding of a stack's reports is: the stack's cdk.tf.json, beside them. */
const STACK_FILE = Object.freeze({ uri: 'cdk.tf.json' });

/** Above this many findings the reports are written without indentation (a 5000-container stack: ~40% less to write). */
export const COMPACT_REPORT_FINDINGS = 1000;

/**
 * Warnings and infos as annotations in the stack's manifest entry, where `cdktf synth` reports them (cdktf collected
 * the constructs' annotations before toTerraform ran, and writes the manifest after every stack): one warning
 * annotation per resource at most, naming each rule and what was found; infos once per rule (see finish). A stack of 5000 containers has tens of
 * thousands of findings; one annotation each would flood the console and cost cdktf more to write than the checks
 * themselves. The reports hold every finding with its full fix. Not as construct metadata either: it would stay in
 * memory for nothing.
 */
class ManifestAnnotations {
  private readonly list?: any[];
  private readonly stackPath: string;
  private readonly infos = new Map<string, { first: Finding; count: number }>();
  private readonly warnings = new Map<string, { first: Finding; count: number; where: string[] }>();

  constructor(stack: TerraformStack) {
    this.stackPath = stack.node.path;
    const app = stack.node.root;
    const manifest: any = App.isApp(app) ? app.manifest.forStack(stack) : undefined;
    if (!manifest || !Array.isArray(manifest.annotations)) return;
    // Another synth of the same stack (Testing.synth again) replaces what the previous one added.
    if (manifest.annotations.some((x: any) => OURS.has(x))) manifest.annotations = manifest.annotations.filter((x: any) => !OURS.has(x));
    this.list = manifest.annotations;
  }

  /** The unsuppressed warnings and infos of one resource. */
  public addResource(findings: Finding[]): void {
    if (!this.list || findings.length === 0) return;
    const warnings: Finding[] = [];
    const infos: Finding[] = [];
    for (const f of findings) {
      if (f.severity === Severity.WARNING) warnings.push(f);
      else if (f.severity === Severity.INFO) infos.push(f);
    }
    const where = findings[0].constructPath ?? this.stackPath;
    for (const f of warnings) {
      const seen = this.warnings.get(f.ruleId);
      if (!seen) this.warnings.set(f.ruleId, { first: f, count: 1, where: [where] });
      else if (++seen.count <= WARNING_PATHS) seen.where.push(where);
    }
    for (const f of infos) {
      const seen = this.infos.get(f.ruleId);
      if (seen) seen.count++;
      else this.infos.set(f.ruleId, { first: f, count: 1 });
    }
  }

  /**
   * Writes the annotations collected by addResource: the warnings grouped (writeGroupedWarnings), then infos, once per
   * rule: at the resource when only one has it, else one annotation on the stack with the count and the first
   * resource (infos are host-dependent notes and reviews, the same for most resources of a stack).
   */
  public writeGrouped(): void {
    if (!this.list) return;
    this.writeGroupedWarnings();
    for (const { first, count } of this.infos.values()) {
      if (count === 1) {
        this.push(first.constructPath ?? this.stackPath, AnnotationMetadataEntryType.INFO, `${label(first)}: ${sentence(first.message)}`);
      } else {
        this.push(this.stackPath, AnnotationMetadataEntryType.INFO, `${label(first)}: ${count} resources, `
          + `e.g. ${first.constructPath ?? first.address}: ${sentence(first.message)} (all in ${REPORT_JSON})`);
      }
    }
    this.infos.clear();
  }

  /**
   * Warnings, grouped like the printed summary (cdktf synth prints every annotation: one per resource would be a
   * thousand lines for a thousand containers). Rules found on one resource only: one annotation at it, naming each
   * rule, what was found and (for a single rule) the fix. Rules found on several: one annotation on the stack per
   * set of resources, with the count and the first construct paths.
   */
  private writeGroupedWarnings(): void {
    const bySet = new Map<string, Array<{ first: Finding; count: number; where: string[] }>>();
    for (const g of this.warnings.values()) {
      const key = `${g.count}\0${g.where.join('\0')}`;
      const list = bySet.get(key);
      if (list) list.push(g);
      else bySet.set(key, [g]);
    }
    for (const groups of bySet.values()) {
      const { count, where } = groups[0];
      if (count === 1 && groups.length === 1) {
        const f = groups[0].first;
        this.push(where[0], AnnotationMetadataEntryType.WARN, `${label(f)}: ${sentence(f.message)}. Fix: ${firstSentence(f.remediation)}`);
      } else if (count === 1) {
        this.push(where[0], AnnotationMetadataEntryType.WARN, `${groups.length} warnings: `
          + groups.map((g) => `${label(g.first)}: ${sentence(g.first.message)}`).join('; ') + `. Fixes: ${REPORT_JSON}, docs/rules.md`);
      } else {
        const more = count > where.length ? `, +${count - where.length} more` : '';
        const rules = groups.length === 1
          ? `${label(groups[0].first)}: ${count} resources`
          : `${groups.length} warnings (${groups.map((g) => g.first.ruleId).join(', ')}) on each of ${count} resources`;
        this.push(this.stackPath, AnnotationMetadataEntryType.WARN, `${rules}: ${where.join(', ')}${more} (all in ${REPORT_JSON})`);
      }
    }
    this.warnings.clear();
  }

  private push(constructPath: string, level: string, message: string): void {
    const entry = { constructPath, level, message };
    OURS.add(entry);
    this.list!.push(entry);
  }
}

/** `rule-id (CIS 5.x, 5.y)`; made once per rule (findings of a rule share their `cis` array). */
function label(f: Finding): string {
  const byRule = LABELS.get(f.cis);
  const cached = byRule?.get(f.ruleId);
  if (cached !== undefined) return cached;
  const text = `${f.ruleId}${f.cis.length ? ` (CIS ${f.cis.join(', ')})` : ''}`;
  if (byRule) byRule.set(f.ruleId, text);
  else LABELS.set(f.cis, new Map([[f.ruleId, text]]));
  return text;
}
const LABELS = new WeakMap<string[], Map<string, string>>();

function sentence(text: string): string {
  return text.endsWith('.') ? text.slice(0, -1) : text;
}

/** Construct paths named in a warning annotation that covers several resources. */
const WARNING_PATHS = 3;

/** The manifest annotations this library added. */
const OURS = new WeakSet<object>();

const FIRST_SENTENCE = new Map<string, string>();
/** The first sentence of a remediation, for annotations (the reports carry the whole text). */
function firstSentence(text: string): string {
  let s = FIRST_SENTENCE.get(text);
  if (s === undefined) {
    const m = /^(.+?)\.\s+(?=[A-Z])/s.exec(text);
    s = m ? `${m[1]} (more in the report)` : text.replace(/\.$/, '');
    FIRST_SENTENCE.set(text, s);
  }
  return s;
}

let cachedVersion: string | undefined;
/** This library's version, for reports. */
export function libraryVersion(): string {
  if (!cachedVersion) {
    try {
      cachedVersion = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
    } catch {
      cachedVersion = '0.0.0';
    }
  }
  return cachedVersion ?? '0.0.0';
}
