import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, IAspect, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { suppressionsByPath, suppressionsForPath } from './suppressions';
import { Profile, ProfileLevel } from '../profiles/profile';
import { evaluate, Evaluation, summarize } from '../report/evaluate';
import { Finding } from '../report/finding';
import { toJsonReport } from '../report/json-report';
import { toSarif } from '../report/sarif';
import { RuleStatus, Severity } from '../rules/rule';
import { METADATA_KEY, specsFromTerraformJson } from '../spec/terraform-adapter';

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
   * Print a short security report of each stack to standard error during synth.
   * @default true
   */
  readonly printReport?: boolean;
}

const INSTALLED = Symbol.for('cdktf-hardened-docker.checks.installed');
const APP_PATCHED = Symbol.for('cdktf-hardened-docker.app-synth-patched');

/** File names of the reports written beside each stack. */
export const REPORT_JSON = 'hardened-docker-report.json';
export const REPORT_SARIF = 'hardened-docker-report.sarif';

/**
 * Checks every docker_container and docker_service of every stack, at synth, on exactly the JSON Terraform will
 * receive (after escape-hatch overrides and token resolution), whether our constructs built it or not.
 *
 * Add it once for the whole app: `DockerSecurityChecks.applyTo(app)` (or `Aspects.of(app).add(new DockerSecurityChecks())`,
 * which cdktf alone would never run; this library makes it reach every stack). Added to a stack, it checks that stack;
 * the nearest one to a stack wins.
 */
export class DockerSecurityChecks implements IAspect {
  /**
   * Add checks to a scope (the app, a stack) and return them.
   */
  public static applyTo(scope: IConstruct, props: DockerSecurityChecksProps = {}): DockerSecurityChecks {
    const checks = new DockerSecurityChecks(props);
    Aspects.of(scope).add(checks);
    return checks;
  }

  /** The profile in force. */
  public readonly profile: Profile;
  private readonly props: DockerSecurityChecksProps;

  public constructor(props: DockerSecurityChecksProps = {}) {
    this.props = props;
    this.profile = props.profile ?? Profile.named(ProfileLevel.HARDENED);
    patchAppSynth();
  }

  /** Called by cdktf for every construct of a stack at synth. Installs the check on the stack. */
  public visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    installOnStack(node, this, nearestDistance(node, this));
  }

  /** Runs the checks on a stack's synthesized JSON: annotates, writes reports, throws on errors. @internal */
  public _checkStack(stack: TerraformStack, json: any): Evaluation {
    const byPath = suppressionsByPath(stack);
    const specs = specsFromTerraformJson(json);
    const evaluation = evaluate(specs, this.profile, {
      strict: this.props.strict,
      stack: stack.node.id,
      suppressionsFor: (spec) => suppressionsForPath(byPath, spec.constructPath),
    });
    // Construct-made suppressions travel in the JSON (under "//", which Terraform ignores) so the CLI honours them.
    if (byPath.size) attachSuppressions(json, byPath);
    const dir = stackDirectory(stack);
    if (dir && this.props.writeReports !== false) writeReports(dir, evaluation, this.profile);
    const errors = evaluation.findings.filter((f) => !f.suppressed && f.severity === Severity.ERROR);
    annotate(stack, evaluation.findings.filter((f) => !f.suppressed && f.severity !== Severity.ERROR));
    if (this.props.printReport !== false) process.stderr.write(textSummary(stack, evaluation, dir));
    if (errors.length) {
      throw new Error(`Docker security checks failed for stack "${stack.node.id}" (profile ${this.profile.name}):\n`
        + errors.map(formatFinding).join('\n'));
    }
    return evaluation;
  }
}

function nearestDistance(stack: IConstruct, checks: DockerSecurityChecks): number {
  const scopes = stack.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    if (Aspects.of(scopes[i]).all.includes(checks)) return scopes.length - 1 - i;
  }
  return scopes.length;
}

/** One finding as a line: construct path, rule, CIS ids, value, fix. */
export function formatFinding(f: Finding): string {
  const cis = f.cis.length ? ` (CIS ${f.cis.join(', ')})` : '';
  const where = f.constructPath ?? f.address;
  return `[${where}] ${f.ruleId}${cis}: ${f.message}${f.status === RuleStatus.UNKNOWN ? '' : ''}. Fix: ${f.remediation}`;
}

/**
 * Installs, for the next synth of this stack, an interception of `toTerraform()` that checks its result.
 * cdktf calls toTerraform once per synth, after aspects and validation: so the check sees the final JSON
 * without resolving the stack a second time.
 */
function installOnStack(stack: TerraformStack, checks: DockerSecurityChecks, distance: number): void {
  const current = (stack as any)[INSTALLED] as { checks: DockerSecurityChecks; distance: number } | undefined;
  if (current && current.distance <= distance) return; // the nearest checks win
  const firstInstall = current === undefined;
  Object.defineProperty(stack, INSTALLED, { value: { checks, distance }, configurable: true, enumerable: false });
  if (!firstInstall) return;
  const own = Object.prototype.hasOwnProperty.call(stack, 'toTerraform') ? (stack as any).toTerraform : undefined;
  (stack as any).toTerraform = function toTerraformChecked(this: TerraformStack) {
    // One shot: restore first, so that a throw leaves the stack as it was.
    if (own) (stack as any).toTerraform = own;
    else delete (stack as any).toTerraform;
    const chosen = (stack as any)[INSTALLED].checks as DockerSecurityChecks;
    delete (stack as any)[INSTALLED];
    const json = stack.toTerraform();
    chosen._checkStack(stack, json);
    return json;
  };
}

/**
 * cdktf 0.21 never invokes an aspect added to the App (each stack's synthesizer starts at the stack).
 * This patch makes App.synth hand the app's DockerSecurityChecks to every stack present at synth time,
 * including stacks created after the checks were added. It acts only on our checks.
 */
function patchAppSynth(): void {
  const proto = App.prototype as any;
  if (proto[APP_PATCHED]) return;
  const original = proto.synth;
  Object.defineProperty(proto, APP_PATCHED, { value: true });
  proto.synth = function synthWithDockerChecks(this: App) {
    propagateAppChecks(this);
    return original.call(this);
  };
}

/** Hands every DockerSecurityChecks found above a stack (outside it) to that stack. */
export function propagateAppChecks(app: IConstruct): void {
  const stacks = app.node.findAll().filter((c) => TerraformStack.isStack(c)) as TerraformStack[];
  for (const stack of stacks) {
    const scopes = stack.node.scopes;
    for (let i = scopes.length - 2; i >= 0; i--) {
      for (const aspect of Aspects.of(scopes[i]).all) {
        if (aspect instanceof DockerSecurityChecks) installOnStack(stack, aspect, scopes.length - 1 - i);
      }
    }
  }
}

function attachSuppressions(json: any, byPath: Map<string, { ruleId: string; reason: string }[]>): void {
  for (const type of ['docker_container', 'docker_service']) {
    const byName = json?.resource?.[type];
    if (!byName) continue;
    for (const body of Object.values<any>(byName)) {
      const s = suppressionsForPath(byPath, body?.['//']?.metadata?.path);
      if (!s.length) continue;
      body['//'] = { ...(body['//'] ?? {}), [METADATA_KEY]: { suppressions: s } };
    }
  }
}

function stackDirectory(stack: TerraformStack): string | undefined {
  const app = stack.node.root;
  if (!(app instanceof App)) return undefined;
  try {
    return path.join(app.outdir, app.manifest.forStack(stack).workingDirectory);
  } catch {
    return undefined;
  }
}

function writeReports(dir: string, evaluation: Evaluation, profile: Profile): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, REPORT_JSON), JSON.stringify(toJsonReport(evaluation), null, 2) + '\n');
  const sarif = toSarif(evaluation, {
    rules: profile.activeRules.map((a) => a.rule),
    version: libraryVersion(),
    locate: () => ({ uri: 'cdk.tf.json' }),
  });
  fs.writeFileSync(path.join(dir, REPORT_SARIF), JSON.stringify(sarif, null, 2) + '\n');
}

function annotate(stack: TerraformStack, findings: Finding[]): void {
  if (!findings.length) return;
  const byPath = new Map(stack.node.findAll().map((c) => [c.node.path, c]));
  const app = stack.node.root;
  const manifest = app instanceof App ? app.manifest.forStack(stack) : undefined;
  for (const f of findings) {
    const target = (f.constructPath && byPath.get(f.constructPath)) || stack;
    const message = `${f.ruleId}${f.cis.length ? ` (CIS ${f.cis.join(', ')})` : ''}: ${f.message}. Fix: ${f.remediation}`;
    const level = f.severity === Severity.WARNING ? 'warn' : 'info';
    target.node.addMetadata(level === 'warn' ? '@cdktf/warn' : '@cdktf/info', message);
    // Annotations were collected before toTerraform ran; add ours to the manifest cdktf writes after all stacks.
    (manifest as any)?.annotations?.push({ constructPath: target.node.path, level, message });
  }
}

function textSummary(stack: TerraformStack, evaluation: Evaluation, dir: string | undefined): string {
  const s = summarize(evaluation.findings);
  const lines = [
    `hardened-docker: stack ${stack.node.id}, profile ${evaluation.profile}: ${evaluation.resources.length} containers/services checked, `
      + `${s.error} errors, ${s.warning} warnings, ${s.info} info, ${s.suppressed} suppressed`,
  ];
  for (const f of evaluation.findings) {
    if (f.severity === Severity.INFO && !f.suppressed) continue;
    const tag = f.suppressed ? 'suppressed' : f.severity;
    lines.push(`  ${tag.padEnd(10)} ${f.address.padEnd(32)} ${f.ruleId}${f.cis.length ? ` (CIS ${f.cis.join(', ')})` : ''}: ${f.suppressed ? f.reason : f.message}`);
  }
  if (dir) lines.push(`  reports: ${path.join(dir, REPORT_JSON)}, ${REPORT_SARIF}`);
  return lines.join('\n') + '\n';
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
