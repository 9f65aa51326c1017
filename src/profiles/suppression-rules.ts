import { DRIFT_RULE_IDS } from '../drift/rules';
import { BUILTIN_RULES, builtinRule } from '../rules/catalog';
import { COMPOSE_RESOURCE_UNCHECKED_ID } from '../rules/compose-resource-unchecked';
import { POLICY_RULE_IDS } from '../rules/policies/org-policies';
import { reasonProblem } from '../rules/reason';
import { IRule, Results, RuleResult, Severity } from '../rules/rule';

/**
 * The two rules about suppressions themselves. They are not in the catalog and no profile runs them on a spec: the
 * evaluator reports them for each suppression it refuses, whatever the profile, and nothing can switch them off,
 * re-grade them or suppress them (a way to silence the guard would be one more way around it).
 */
class SuppressionRule implements IRule {
  constructor(public readonly metadata: IRule['metadata']) {}

  public check(): RuleResult {
    // Never run on a spec: the evaluator reports these from the suppressions it reads.
    return Results.notApplicable();
  }
}

/** A suppression whose reason is not acceptable, or only known after apply: it suppresses nothing. */
export const INVALID_SUPPRESSION_RULE: IRule = new SuppressionRule({
  id: 'invalid-suppression',
  title: 'Suppressions give a reason a reviewer can read',
  severity: Severity.ERROR,
  rationale: 'A suppression hides a failing rule from every report and from synth. One with an empty, invisible, '
    + 'repeated or punctuation-only reason, or a reason only known after apply, documents nothing; accepting it would '
    + 'make every rule optional. It suppresses nothing, and is itself an error.',
  remediation: 'Write the reason as a literal sentence of at least 10 visible characters that says why the finding is '
    + 'acceptable here (label `hardened-docker.suppress.<rule-id> = "<reason>"`, '
    + '`Suppressions.add(scope, ruleId, reason)`, or a profile\'s `suppressions`), or remove the suppression.',
});

/** A suppression of a rule id that the profile does not know: it suppresses nothing. */
export const UNKNOWN_SUPPRESSED_RULE: IRule = new SuppressionRule({
  id: 'unknown-suppressed-rule',
  title: 'Suppressions name a rule that exists',
  severity: Severity.WARNING,
  rationale: 'A suppression of a misspelt or retired rule id suppresses nothing, while its author believes a rule '
    + 'is suppressed. It hides nothing either (the rule meant still reports), so it is a warning: a suppression of an '
    + 'organisation rule, checked with a profile that lacks it, must not fail the build.',
  remediation: 'Name the rule by its id as listed in docs/rules.md (or the organisation\'s rules), or remove the '
    + 'suppression.',
});

/** The rules about suppressions, in the order reports list them. */
export const SUPPRESSION_RULES: readonly IRule[] = Object.freeze([INVALID_SUPPRESSION_RULE, UNKNOWN_SUPPRESSED_RULE]);

/** True for the id of a rule about suppressions (which cannot be suppressed, switched off or re-graded). */
export function isSuppressionRuleId(ruleId: string): boolean {
  return ruleId === INVALID_SUPPRESSION_RULE.metadata.id || ruleId === UNKNOWN_SUPPRESSED_RULE.metadata.id;
}

/**
 * Rule ids registered with the deprecated `Suppressions.registerRuleId`: accepted as known by every profile, so code
 * written for it keeps working. Profiles no longer write here; they answer for their own rules.
 */
const LEGACY_REGISTERED_IDS = new Set<string>();

/** @deprecated for Suppressions.registerRuleId only. */
export function registerLegacyRuleId(ruleId: string): void {
  LEGACY_REGISTERED_IDS.add(ruleId);
}

const POLICY_IDS: readonly string[] = Object.values(POLICY_RULE_IDS);

/**
 * True when a suppression may name `ruleId` under a profile that knows `profileRuleIds`: a rule of the catalog, a
 * policy rule (set or not), a rule of the profile, an id registered the deprecated way, or a drift rule (only
 * `audit --against` runs those, on the same labels and construct suppressions `check` reads).
 */
export function isSuppressibleRuleId(ruleId: string, profileRuleIds: ReadonlySet<string>): boolean {
  return builtinRule(ruleId) !== undefined || POLICY_IDS.includes(ruleId) || profileRuleIds.has(ruleId)
    || LEGACY_REGISTERED_IDS.has(ruleId) || DRIFT_RULE_IDS.includes(ruleId) || ruleId === COMPOSE_RESOURCE_UNCHECKED_ID;
}

/** The ids a suppression may name under a profile, for messages. */
export function suppressibleRuleIds(profileRuleIds: Iterable<string>): string[] {
  const out = new Set<string>(BUILTIN_RULES.map((r) => r.metadata.id));
  for (const id of profileRuleIds) out.add(id);
  for (const id of LEGACY_REGISTERED_IDS) out.add(id);
  return [...out];
}

/** What is wrong with a suppression's reason; undefined when it is acceptable. Cached: most reasons repeat. */
export function cachedReasonProblem(reason: unknown): string | undefined {
  if (typeof reason !== 'string') return reasonProblem(reason);
  if (REASON_CACHE.has(reason)) return REASON_CACHE.get(reason);
  const problem = reasonProblem(reason);
  if (REASON_CACHE.size >= 1024) REASON_CACHE.clear();
  REASON_CACHE.set(reason, problem);
  return problem;
}
const REASON_CACHE = new Map<string, string | undefined>();

/** The id of the closest rule to a misspelt one (at most 2 edits away), for a "did you mean" hint. */
export function closestRuleId(ruleId: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(ruleId, c, bestDistance);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance, or `limit` once it reaches it. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      rowMin = Math.min(rowMin, cur[j]);
    }
    if (rowMin >= limit) return limit;
    prev = cur;
  }
  return Math.min(prev[b.length], limit);
}

/** A reason quoted for a message: invisible characters spelt out (`\u200b`), at most 80 characters. */
export function quoteReason(reason: unknown): string {
  if (typeof reason !== 'string') return String(JSON.stringify(reason) ?? reason);
  const chars = [...reason];
  const shown = chars.length > 80 ? chars.slice(0, 80).join('') + '…' : reason;
  return JSON.stringify(shown).replace(/[\p{Cf}\p{Z}\p{Default_Ignorable_Code_Point}]/gu,
    (c) => (c === ' ' ? c : `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`));
}
