/**
 * The four drift rules of `audit --against`. They judge a pair (declared, live), not one spec, so they are not in the
 * catalog that `check` and synth run: the audit adds them to its profile (Profile.derive) and records, for each spec
 * it evaluates, what the comparison found (`recordDrift`); a rule reads only that record. Without a record (any other
 * evaluation) each is not applicable. Their ids are suppressible like any rule (a label
 * `hardened-docker.suppress.drift`, a construct's suppression, a profile's).
 */
import { DriftDirection, DriftItem, DIGEST_SETTING } from './drift-item';
import { Comparison, IRule, Results, RuleMetadata, RuleResult, RuleStatus, SettingDifference, Severity } from '../rules/rule';
import { ContainerSpec } from '../spec/container-spec';

/** What the comparison found for one evaluated spec. */
export type DriftRecord =
  | { readonly kind: 'pair'; readonly declared: ContainerSpec; readonly live: ContainerSpec; readonly liveId?: string; readonly items: DriftItem[] }
  | { readonly kind: 'undeclared'; readonly live: ContainerSpec; readonly liveId?: string; readonly against: string }
  | { readonly kind: 'missing'; readonly declared: ContainerSpec; readonly host: string };

const RECORDS = new WeakMap<ContainerSpec, DriftRecord>();

/** Records what the comparison found for `spec` (the object evaluate() is given). */
export function recordDrift(spec: ContainerSpec, record: DriftRecord): void {
  RECORDS.set(spec, record);
}

/** The record of `spec`, if the audit compared it. */
export function driftRecordOf(spec: ContainerSpec): DriftRecord | undefined {
  return RECORDS.get(spec);
}

class DriftRule implements IRule {
  constructor(public readonly metadata: RuleMetadata, private readonly judge: (r: DriftRecord) => RuleResult) {}

  public check(spec: ContainerSpec): RuleResult {
    const record = RECORDS.get(spec);
    return record === undefined ? Results.notApplicable() : this.judge(record);
  }
}

/** `container web (id 0123456789ab)`. */
export function liveName(live: ContainerSpec, id: string | undefined): string {
  const what = live.address.startsWith('service/') ? 'service' : 'container';
  return `${what} ${live.name ?? live.address}${id ? ` (id ${id.slice(0, 12)})` : ''}`;
}

/** `docker_container.web (construct app/web)`. */
export function declaredName(declared: ContainerSpec): string {
  return `${declared.address}${declared.constructPath ? ` (construct ${declared.constructPath})` : ''}`;
}

/** What a settings-digest mismatch means. */
const NEVER_REPLACED = 'the container was never replaced after a change of tmpfs, healthcheck, init, cpu_period or '
  + 'cpu_quota (provider 3.6.2 accepts those changes in the plan and does not apply them), or it was created by hand';

function difference(i: DriftItem): SettingDifference {
  return { setting: i.setting, declared: i.declared, live: i.live, ...(i.setting === DIGEST_SETTING ? { note: NEVER_REPLACED } : {}) };
}

function differenceText(d: SettingDifference): string {
  return `${d.setting}: declared ${d.declared}, live ${d.live}${d.note ? `: ${d.note}` : ''}`;
}

/** A failure naming each difference in its message, and carrying them as a comparison for the HTML report. */
function pairFailure(r: Extract<DriftRecord, { kind: 'pair' }>, items: DriftItem[]): RuleResult {
  const comparison: Comparison = { subject: `live ${liveName(r.live, r.liveId)} differs from ${declaredName(r.declared)}`, differences: items.map(difference) };
  return { status: RuleStatus.FAIL, message: `${comparison.subject}: ${comparison.differences.map(differenceText).join('; ')}`, comparison };
}

/**
 * A rule over a matched pair that fails on the differences of one direction: the weaker ones (and those without an
 * order) for `drift`, the stronger ones for `drift-stronger`.
 */
function pairRule(metadata: RuleMetadata, stronger: boolean): IRule {
  return new DriftRule(metadata, (r) => {
    if (r.kind !== 'pair') return Results.notApplicable();
    const items = r.items.filter((i) => (i.direction === DriftDirection.STRONGER) === stronger);
    return items.length ? pairFailure(r, items) : Results.pass();
  });
}

/** A live setting weaker than declared (or changed without an order), or a container never replaced. */
export const DRIFT_RULE: IRule = pairRule({
  id: 'drift',
  title: 'The live container runs as declared',
  severity: Severity.ERROR,
  rationale: 'A hardening edit that never reached the container (provider 3.6.2 accepts changes to tmpfs, healthcheck, '
    + 'init, cpu_period and cpu_quota in the plan and does not apply them), or a `docker update` or `docker run` made '
    + 'beside Terraform, leaves a container weaker than the configuration every review and every `check` saw.',
  remediation: 'Bring the container back to its declaration: `terraform apply -replace=<address>` (or `terraform apply` '
    + 'when the settings-digest label changed, which forces replacement); then find who changed it by hand. If the live '
    + 'value is the one wanted, declare it.',
}, false);

/** A live setting stronger than declared: worth declaring, never a failure. */
export const DRIFT_STRONGER_RULE: IRule = pairRule({
  id: 'drift-stronger',
  title: 'Live settings stronger than declared are declared',
  severity: Severity.INFO,
  rationale: 'A live setting that allows less than the declaration (a lower memory limit, a capability fewer) is '
    + 'safe, but the next `terraform apply` that replaces the container undoes it.',
  remediation: 'Declare the live value, so that the next replacement keeps it.',
}, true);

/** A container or service on the engine (running ones; stopped ones too with --all) that no declaration matches. */
export const UNDECLARED_RULE: IRule = new DriftRule({
  id: 'undeclared',
  title: 'Every container on the engine is declared',
  severity: Severity.WARNING,
  rationale: 'A container started by hand beside Terraform (`docker run`) was never reviewed, never checked and is '
    + 'invisible to the configuration; it is also what an intruder starts.',
  remediation: 'Declare it (and import it: `terraform import`), or remove it. Narrow the audit with --name or --label '
    + 'when the engine runs containers that other tools manage.',
}, (r) => (r.kind === 'undeclared'
  ? Results.fail(`${liveName(r.live, r.liveId)} on the engine matches no docker_container or docker_service declared in ${r.against} (by name, then by its hardened-docker.* labels)`)
  : Results.notApplicable()));

/** A declared container or service that is not on the engine. */
export const MISSING_RULE: IRule = new DriftRule({
  id: 'missing',
  title: 'Every declared container runs',
  severity: Severity.WARNING,
  rationale: 'A declared container that is not on the engine was removed by hand, failed to start, or was never '
    + 'applied: what runs in its place, if anything, is not what was reviewed.',
  remediation: 'Run `terraform apply`, or audit the engine the configuration is applied to (--host). Stopped '
    + 'containers are read with --all.',
}, (r) => (r.kind === 'missing'
  ? Results.fail(`${declaredName(r.declared)} is declared${r.declared.name ? ` as "${r.declared.name}"` : ''} but no such ${r.declared.address.startsWith('docker_service') || r.declared.kind === 'docker_service' ? 'service' : 'container'} is on the engine at ${r.host}`)
  : Results.notApplicable()));

/** The drift rules, in report order. */
export const DRIFT_RULES: readonly IRule[] = Object.freeze([DRIFT_RULE, DRIFT_STRONGER_RULE, UNDECLARED_RULE, MISSING_RULE]);

/** The ids of the drift rules. */
export const DRIFT_RULE_IDS: readonly string[] = Object.freeze(DRIFT_RULES.map((r) => r.metadata.id));
