import { Finding } from './finding';
import { Profile } from '../profiles/profile';
import { appliesTo } from '../rules/define';
import { RuleStatus, Severity } from '../rules/rule';
import { ContainerSpec, SpecSuppression } from '../spec/container-spec';

/** Per-resource outcome of every rule the profile ran: the matrix reports draw. */
export interface ResourceOutcome {
  readonly spec: ContainerSpec;
  readonly stack?: string;
  /** rule id -> status ('pass', 'fail', 'unknown', 'not-applicable', or 'suppressed'). */
  readonly outcomes: { [ruleId: string]: string };
}

export interface Evaluation {
  readonly profile: string;
  readonly findings: Finding[];
  readonly resources: ResourceOutcome[];
}

export interface EvaluateOptions {
  /** An unknown value under an error-level rule is an error (default: a warning). */
  readonly strict?: boolean;
  /** The stack name, for reports. */
  readonly stack?: string;
  /** Suppressions beyond those on the spec (construct scopes at synth). */
  readonly suppressionsFor?: (spec: ContainerSpec) => SpecSuppression[];
  /** The profile of one spec, when it differs from `profile` (a ProfileScope below the stack). */
  readonly profileFor?: (spec: ContainerSpec) => Profile;
}

/** Runs a profile's rules on specs. Pure: no I/O. */
export function evaluate(specs: ContainerSpec[], profile: Profile, opts: EvaluateOptions = {}): Evaluation {
  const findings: Finding[] = [];
  const resources: ResourceOutcome[] = [];
  for (const spec of specs) {
    const fromScope = opts.suppressionsFor?.(spec);
    const suppressions = fromScope?.length ? [...(spec.suppressions ?? []), ...fromScope] : spec.suppressions ?? [];
    const outcomes: { [ruleId: string]: string } = {};
    const rules = (opts.profileFor?.(spec) ?? profile).activeRules;
    for (const { rule, severity } of rules) {
      const id = rule.metadata.id;
      if (!appliesTo(rule, spec)) {
        outcomes[id] = RuleStatus.NOT_APPLICABLE;
        continue;
      }
      let result;
      try {
        result = rule.check(spec);
      } catch (e: any) {
        // A rule that throws (an organisation's own) must not hide the others: report it as unknown.
        result = { status: RuleStatus.UNKNOWN, message: `rule ${id} failed to run: ${e?.message ?? e}` };
      }
      outcomes[id] = result.status;
      if (result.status !== RuleStatus.FAIL && result.status !== RuleStatus.UNKNOWN) continue;
      const suppression = suppressions.find((s) => s.ruleId === id);
      if (suppression) outcomes[id] = 'suppressed';
      const effective = result.status === RuleStatus.UNKNOWN && severity === Severity.ERROR && !opts.strict
        ? Severity.WARNING : severity;
      const message = result.status === RuleStatus.UNKNOWN
        ? `${result.message ?? rule.metadata.title}: cannot be verified before apply`
        : result.message ?? rule.metadata.title;
      findings.push({
        ruleId: id,
        title: rule.metadata.title,
        severity: effective,
        status: result.status,
        cis: [...(rule.metadata.cis ?? [])],
        address: spec.address,
        resourceName: spec.name,
        file: spec.file,
        constructPath: spec.constructPath,
        stack: opts.stack,
        message,
        remediation: rule.metadata.remediation,
        suppressed: suppression !== undefined,
        reason: suppression?.reason,
      });
    }
    resources.push({ spec, stack: opts.stack, outcomes });
  }
  return { profile: profile.name, findings, resources };
}

/** Counts of unsuppressed findings by severity. */
export function summarize(findings: Finding[]): { error: number; warning: number; info: number; suppressed: number } {
  const s = { error: 0, warning: 0, info: 0, suppressed: 0 };
  for (const f of findings) {
    if (f.suppressed) s.suppressed++;
    else s[f.severity]++;
  }
  return s;
}
