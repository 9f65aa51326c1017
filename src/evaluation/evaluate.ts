import { Finding } from './finding';
import { Profile } from '../profiles/profile';
import {
  cachedReasonProblem, closestRuleId, INVALID_SUPPRESSION_RULE, isSuppressionRuleId, quoteReason, suppressibleRuleIds, UNKNOWN_SUPPRESSED_RULE,
} from '../profiles/suppression-rules';
import { COMPOSE_RESOURCE_UNCHECKED_RULE } from '../rules/compose-resource-unchecked';
import { isSettingsRule } from '../rules/define';
import { ruleProviderScope, RuleProviderScope } from '../rules/provider-versions';
import { IRule, RuleResult, RuleStatus, Severity } from '../rules/rule';
import { ContainerSpec, ResourceKind, SpecSource, SpecSuppression } from '../spec/container-spec';
import { SUPPRESSION_LABEL_PREFIX } from '../spec/labels';
import { sharedSettingsOf } from '../spec/shared-settings';
import { capabilitiesOf, inSourceTerms } from '../spec/source-capabilities';
import { unverifiedUntil } from '../spec/unknown-causes';

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
  /**
   * The provider version constraint the configuration is applied with (`~> 3.6`, `3.6.2`): a rule that guards a
   * provider trap is not applicable where no admitted release has it, and otherwise its findings name the releases
   * concerned. Only for specs read from Terraform (a live engine has no provider). Must be a valid constraint.
   * @default - no constraint: every release, so trap findings name the releases concerned
   */
  readonly providerVersion?: string;
}

/** Runs a profile's rules on specs. Pure: no I/O. */
export function evaluate(specs: ContainerSpec[], profile: Profile, opts: EvaluateOptions = {}): Evaluation {
  const findings: Finding[] = [];
  const resources: ResourceOutcome[] = [];
  // A spec that shares its reading with an earlier one (SharedReading: the same settings and suppressions, another
  // name) has its findings and outcomes, with its own resource, when every rule reads only settings and nothing
  // else differs from spec to spec (construct scopes, profiles below the stack).
  const evaluated = opts.suppressionsFor === undefined && opts.profileFor === undefined && prepared(profile).every((r) => r.settingsOnly)
    ? new Map<ContainerSpec, { from: number; to: number; outcome: Outcome }>() : undefined;
  for (const spec of specs) {
    const first = evaluated === undefined ? undefined : sharedSettingsOf(spec);
    const earlier = first === undefined || first === spec ? undefined : evaluated!.get(first);
    if (earlier !== undefined) {
      for (let i = earlier.from; i < earlier.to; i++) {
        findings.push({ ...findings[i], address: spec.address, resourceName: spec.name, file: spec.file, constructPath: spec.constructPath });
      }
      resources.push(earlier.outcome.of(spec));
      continue;
    }
    const from = findings.length;
    const outcome = evaluateSpec(spec, profile, opts, findings) as Outcome;
    if (first === spec) evaluated!.set(spec, { from, to: findings.length, outcome });
    resources.push(outcome);
  }
  return { profile: profile.name, findings, resources };
}

/**
 * Runs a profile's rules on one spec: pushes its findings to `findings` and returns its outcomes. For callers that
 * stream (the synth-time checks), so that specs and findings do not all stay in memory at once.
 */
export function evaluateSpec(spec: ContainerSpec, profile: Profile, opts: EvaluateOptions, findings: Finding[]): ResourceOutcome {
  const stack = opts.stack;
  const specProfile = opts.profileFor?.(spec) ?? profile;
  // Nearest first: the resource's own (labels, the `//` key), the construct scopes', the profile's.
  const fromScope = opts.suppressionsFor?.(spec);
  const fromProfile = profileSuppressions(specProfile);
  let written = spec.suppressions;
  if (fromScope?.length) written = [...(written ?? []), ...fromScope];
  if (fromProfile.length) written = [...(written ?? []), ...fromProfile];
  const refused: Finding[] = [];
  const suppressions = written === undefined ? undefined : usableSuppressions(written, specProfile, spec, opts, refused);
  // A docker_compose resource whose compose files cannot be read: no settings for the rules, one finding saying why.
  if (spec.unreadable !== undefined) return unreadableOutcome(spec, spec.unreadable, suppressions, refused, opts, findings);
  const rules = prepared(specProfile);
  const statuses: string[] = new Array(rules.length);
  const shared = sharedResults(spec, rules);
  // The same for every spec of a run: the rules' standing under the provider constraint, by rule index.
  const scopes = capabilitiesOf(spec).appliedByProvider ? providerScopes(rules, opts.providerVersion) : undefined;
  for (let r = 0; r < rules.length; r++) {
    const { rule, id, severity, cis, kinds, settingsOnly, composeRemediation } = rules[r];
    if (kinds !== undefined && !kinds.includes(spec.kind)) {
      statuses[r] = RuleStatus.NOT_APPLICABLE;
      continue;
    }
    const scope = scopes?.[r];
    if (scope !== undefined && !scope.applies) {
      statuses[r] = RuleStatus.NOT_APPLICABLE;
      continue;
    }
    let result: RuleResult | undefined = shared !== undefined && settingsOnly ? shared[r] : undefined;
    if (result === undefined) {
      try {
        result = rule.check(spec);
      } catch (e: any) {
        // A rule that throws (an organisation's own) must not hide the others: report it as unknown.
        result = { status: RuleStatus.UNKNOWN, message: `rule ${id} failed to run: ${e?.message ?? e}` };
      }
      if (shared !== undefined && settingsOnly) shared[r] = result;
    }
    const status = result.status;
    statuses[r] = status;
    if (status !== RuleStatus.FAIL && status !== RuleStatus.UNKNOWN) continue;
    let suppression: SpecSuppression | undefined;
    if (suppressions !== undefined) {
      for (let i = 0; i < suppressions.length; i++) {
        if (suppressions[i].ruleId === id) {
          suppression = suppressions[i];
          break;
        }
      }
    }
    if (suppression) statuses[r] = 'suppressed';
    const effective = status === RuleStatus.UNKNOWN && severity === Severity.ERROR && !opts.strict
      ? Severity.WARNING : severity;
    // When an unknown can be settled, in the source's terms (nothing for a live engine: its unknowns say why).
    const until = status === RuleStatus.UNKNOWN ? unverifiedUntil(spec) : undefined;
    // The rule's words for a setting in the source's own (compose's `ipc`, not `ipc_mode`).
    const said = result.message === undefined ? rule.metadata.title : inSourceTerms(spec, result.message);
    let message = until !== undefined ? `${said}: ${until}` : said;
    if (scope?.concerns !== undefined) message = `${message} (a provider trap: ${scope.concerns})`;
    const finding: { -readonly [K in keyof Finding]: Finding[K] } = {
      ruleId: id,
      title: rule.metadata.title,
      severity: effective,
      status,
      cis,
      address: spec.address,
      resourceName: spec.name,
      file: spec.file,
      constructPath: spec.constructPath,
      stack,
      message,
      // A compose service's fix in compose's words, where the rule has them.
      remediation: composeRemediation !== undefined && spec.source === SpecSource.COMPOSE ? composeRemediation : rule.metadata.remediation,
      suppressed: suppression !== undefined,
      reason: suppression?.reason,
    };
    // Set after, not spread into the literal: a spread makes every finding of every rule go through a slow copy.
    if (result.comparison !== undefined) finding.comparison = result.comparison;
    findings.push(finding);
  }
  // Findings about the suppressions themselves: never suppressed, whatever suppresses what.
  for (const f of refused) findings.push(f);
  return new Outcome(spec, stack, rules, statuses);
}

/** The outcome of a spec marked unreadable: its finding under `compose-resource-unchecked`, suppressible as any. */
function unreadableOutcome(spec: ContainerSpec, why: string, suppressions: SpecSuppression[] | undefined, refused: Finding[],
  opts: EvaluateOptions, findings: Finding[]): ResourceOutcome {
  const rule = COMPOSE_RESOURCE_UNCHECKED_RULE;
  const suppression = suppressions?.find((s) => s.ruleId === rule.metadata.id);
  findings.push({
    ...suppressionFinding(rule, RuleStatus.FAIL, rule.metadata.severity, spec, opts, why),
    suppressed: suppression !== undefined,
    reason: suppression?.reason,
  });
  for (const f of refused) findings.push(f);
  return new Outcome(spec, opts.stack, [], []);
}

/** Each rule's standing under a provider version constraint, computed once per constraint and rule id. */
const PROVIDER_SCOPES = new Map<string, Map<string, RuleProviderScope>>();
function providerScope(ruleId: string, constraint: string | undefined): RuleProviderScope {
  const key = constraint?.trim() ?? '';
  let byRule = PROVIDER_SCOPES.get(key);
  if (byRule === undefined) {
    // Constraints come from a few files per run: a handful of entries, never a growing cache in practice.
    if (PROVIDER_SCOPES.size > 64) PROVIDER_SCOPES.clear();
    PROVIDER_SCOPES.set(key, byRule = new Map());
  }
  let scope = byRule.get(ruleId);
  if (scope === undefined) byRule.set(ruleId, scope = ruleProviderScope(ruleId, key || undefined));
  return scope;
}

/** The provider scope of each prepared rule, by index: one array per rules list and constraint (the last one kept). */
let lastScopes: { rules: readonly unknown[]; constraint: string | undefined; scopes: RuleProviderScope[] } | undefined;
function providerScopes(rules: ReadonlyArray<{ readonly id: string }>, constraint: string | undefined): RuleProviderScope[] {
  if (lastScopes === undefined || lastScopes.rules !== rules || lastScopes.constraint !== constraint) {
    lastScopes = { rules, constraint, scopes: rules.map((p) => providerScope(p.id, constraint)) };
  }
  return lastScopes.scopes;
}

/** A profile's suppressions as spec suppressions, made once per profile. */
const PROFILE_SUPPRESSIONS = new WeakMap<Profile, SpecSuppression[]>();
function profileSuppressions(p: Profile): SpecSuppression[] {
  let list = PROFILE_SUPPRESSIONS.get(p);
  if (list === undefined) {
    list = p.suppressions.map((s) => ({ ruleId: s.ruleId, reason: s.reason, origin: `profile ${p.name}` }));
    PROFILE_SUPPRESSIONS.set(p, list);
  }
  return list;
}

/**
 * The suppressions that may suppress: each is checked by the one reason validator and against the rule ids the
 * profile knows. One that is refused suppresses nothing and becomes a finding (pushed to `refused`): an invalid or
 * unknown reason under `invalid-suppression`, a rule id the profile does not know under `unknown-suppressed-rule`.
 * Returns `list` itself when every suppression is usable (the common case: no copy).
 */
function usableSuppressions(
  list: SpecSuppression[], p: Profile, spec: ContainerSpec, opts: EvaluateOptions, refused: Finding[],
): SpecSuppression[] {
  let usable: SpecSuppression[] | undefined;
  let seen: Set<string> | undefined;
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    const finding = refusal(s, p, spec, opts);
    if (finding === undefined) {
      usable?.push(s);
      continue;
    }
    usable ??= list.slice(0, i);
    // The same suppression written twice (on a service and its container spec) is one finding.
    seen ??= new Set();
    if (!seen.has(finding.message)) {
      seen.add(finding.message);
      refused.push(finding);
    }
  }
  return usable ?? list;
}

/** The finding that refuses a suppression, or undefined when it may suppress. */
function refusal(s: SpecSuppression, p: Profile, spec: ContainerSpec, opts: EvaluateOptions): Finding | undefined {
  const origin = s.origin ?? 'a suppression';
  const what = `the suppression of ${JSON.stringify(s.ruleId)}`;
  if (isSuppressionRuleId(s.ruleId)) {
    return suppressionFinding(INVALID_SUPPRESSION_RULE, RuleStatus.FAIL, Severity.ERROR, spec, opts,
      `${origin}: ${JSON.stringify(s.ruleId)} reports bad suppressions and cannot itself be suppressed`);
  }
  if (s.keyUnknown) {
    return suppressionFinding(INVALID_SUPPRESSION_RULE, RuleStatus.UNKNOWN, opts.strict ? Severity.ERROR : Severity.WARNING, spec, opts,
      `${origin}: a label whose key is only known after apply may be a suppression label (${SUPPRESSION_LABEL_PREFIX}<rule-id>), so it suppresses nothing: cannot be verified before apply`);
  }
  if (s.reasonUnknown) {
    return suppressionFinding(INVALID_SUPPRESSION_RULE, RuleStatus.UNKNOWN, opts.strict ? Severity.ERROR : Severity.WARNING, spec, opts,
      `${origin}: the reason of ${what} is only known after apply (${quoteReason(s.reason)}), so it suppresses nothing: cannot be verified before apply`);
  }
  const problem = cachedReasonProblem(s.reason);
  if (problem !== undefined) {
    return suppressionFinding(INVALID_SUPPRESSION_RULE, RuleStatus.FAIL, Severity.ERROR, spec, opts,
      `${origin}: the reason ${quoteReason(s.reason)} ${problem}, so ${what} suppresses nothing`);
  }
  if (!p.canSuppress(s.ruleId)) {
    const hint = closestRuleId(s.ruleId, suppressibleRuleIds(p.knownRuleIds));
    return suppressionFinding(UNKNOWN_SUPPRESSED_RULE, RuleStatus.FAIL, Severity.WARNING, spec, opts,
      `${origin}: ${JSON.stringify(s.ruleId)} is no rule of profile ${p.name}${hint ? ` (did you mean "${hint}"?)` : ''}, so ${what} suppresses nothing`);
  }
  return undefined;
}

function suppressionFinding(
  rule: IRule, status: RuleStatus, severity: Severity, spec: ContainerSpec, opts: EvaluateOptions, message: string,
): Finding {
  return {
    ruleId: rule.metadata.id,
    title: rule.metadata.title,
    severity,
    status,
    cis: [],
    address: spec.address,
    resourceName: spec.name,
    file: spec.file,
    constructPath: spec.constructPath,
    stack: opts.stack,
    message,
    remediation: rule.metadata.remediation,
    suppressed: false,
  };
}

/**
 * The results of the built-in rules for the specs that share one reading (SharedReading: the same settings, another
 * name): each such rule reads only settings, so it runs once per distinct settings and profile. Organisations' rules
 * may read anything (the name, the construct path) and run for every spec.
 */
const SHARED_RESULTS = new WeakMap<PreparedRule[], WeakMap<ContainerSpec, (RuleResult | undefined)[]>>();
function sharedResults(spec: ContainerSpec, rules: PreparedRule[]): (RuleResult | undefined)[] | undefined {
  const first = sharedSettingsOf(spec);
  if (first === undefined) return undefined;
  let byFirst = SHARED_RESULTS.get(rules);
  if (byFirst === undefined) {
    byFirst = new WeakMap();
    SHARED_RESULTS.set(rules, byFirst);
  }
  let results = byFirst.get(first);
  if (results === undefined) {
    results = new Array(rules.length);
    byFirst.set(first, results);
  }
  return results;
}

/** A profile's active rules with what evaluation needs precomputed; cached per active-rules list (a frozen array). */
const PREPARED = new WeakMap<object, PreparedRule[]>();
function prepared(p: Profile): PreparedRule[] {
  const active = p.activeRules;
  let list = PREPARED.get(active);
  if (!list) {
    list = active.map(({ rule, severity }) => ({
      rule,
      id: rule.metadata.id,
      severity,
      // One array per rule, shared by its findings: reports only read it.
      cis: [...(rule.metadata.cis ?? [])],
      kinds: rule.metadata.appliesTo?.length ? rule.metadata.appliesTo : undefined,
      settingsOnly: isSettingsRule(rule),
      composeRemediation: rule.metadata.composeRemediation,
    }));
    PREPARED.set(active, list);
  }
  return list;
}

/** A resource's outcomes, kept as one array per resource; the by-rule-id object is built when first read. */
class Outcome implements ResourceOutcome {
  private byId?: { [ruleId: string]: string };
  constructor(
    public readonly spec: ContainerSpec,
    public readonly stack: string | undefined,
    private readonly rules: PreparedRule[],
    private readonly statuses: string[],
  ) {}

  /** The same outcomes for another spec. */
  public of(spec: ContainerSpec): Outcome {
    return new Outcome(spec, this.stack, this.rules, this.statuses);
  }

  public get outcomes(): { [ruleId: string]: string } {
    if (!this.byId) {
      const o: { [ruleId: string]: string } = {};
      for (let r = 0; r < this.rules.length; r++) o[this.rules[r].id] = this.statuses[r];
      this.byId = o;
    }
    return this.byId;
  }
}

interface PreparedRule {
  readonly rule: IRule;
  readonly id: string;
  readonly severity: Severity;
  readonly cis: string[];
  readonly kinds?: ResourceKind[];
  /** A built-in rule: it reads only a spec's settings, never its name, address or construct path. */
  readonly settingsOnly: boolean;
  /** How to fix it in a compose file, for findings on compose services. */
  readonly composeRemediation?: string;
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
