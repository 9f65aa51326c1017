/**
 * The validation of what a profile is built from: names, rule settings, organisation rules, suppressions; each
 * error names the place, the value and the valid form.
 */
import { SEVERITIES } from './profile';
import type { ProfileSuppression, RuleSetting } from './profile-props';
import { RULE_ID_PATTERN } from './profile-schema';
import { closestRuleId, isSuppressibleRuleId, isSuppressionRuleId, quoteReason, suppressibleRuleIds } from './suppression-rules';
import { builtinRule } from '../rules/catalog';
import { POLICY_FIELDS, POLICY_RULE_IDS } from '../rules/policies/org-policies';
import { REASON_FORM, reasonProblem } from '../rules/reason';
import { IRule } from '../rules/rule';

/** Problems on one line (the CLI prints one line per error): `2 problems: a; b`. */
export function listProblems(problems: string[]): string {
  return problems.length === 1 ? problems[0] : `${problems.length} problems: ${problems.join('; ')}`;
}

/**
 * A derived profile's suppressions: the base's, each replaced by one the props name for the same rule, then the new
 * ones. Every reason goes through the one validator; every rule id must be one the profile knows. One error lists
 * every problem.
 */
export function mergeSuppressions(
  where: string, base: ProfileSuppression[], given: ProfileSuppression[] | undefined, known: Set<string>,
): ProfileSuppression[] {
  if (given === undefined) return base;
  if (!Array.isArray(given)) throw new Error(`${where}: suppressions must be a list of { ruleId, reason }, got ${JSON.stringify(given)}.`);
  const problems: string[] = [];
  const out = [...base];
  given.forEach((s, i) => {
    const id = s?.ruleId;
    const at = typeof id === 'string' ? `suppressions.${id}` : `suppressions[${i}]`;
    if (typeof id !== 'string' || !new RegExp(RULE_ID_PATTERN).test(id)) {
      problems.push(`${at}: ruleId must be a rule id (kebab-case, like read-only-rootfs), got ${JSON.stringify(id)}`);
      return;
    }
    if (isSuppressionRuleId(id)) {
      problems.push(`${at}: "${id}" reports bad suppressions and cannot itself be suppressed`);
      return;
    }
    if (!isSuppressibleRuleId(id, known)) {
      const valid = suppressibleRuleIds(known);
      const hint = closestRuleId(id, valid);
      problems.push(`${at}: unknown rule id${hint ? ` (did you mean "${hint}"?)` : ''}. Valid ids: ${valid.join(', ')}`);
      return;
    }
    const reason: unknown = s.reason;
    if (typeof reason === 'string' && /\$\{|%\{/.test(reason)) {
      problems.push(`${at}: the reason ${quoteReason(reason)} holds a token or an expression, only known after apply; a profile's reason must be literal text`);
      return;
    }
    const problem = reasonProblem(reason);
    if (problem !== undefined) {
      problems.push(`${at}: the reason ${quoteReason(reason)} ${problem}; write ${REASON_FORM}`);
      return;
    }
    const entry = { ruleId: id, reason: (reason as string).trim() };
    const existing = out.findIndex((o) => o.ruleId === id);
    if (existing >= 0) out[existing] = entry;
    else out.push(entry);
  });
  if (problems.length) throw new Error(`${where}: ${listProblems(problems)}`);
  return out;
}

export function checkName(name: unknown): void {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new Error(`A profile needs a name (a non-empty string, shown in reports), got ${JSON.stringify(name)}.`);
  }
}

export function checkSetting(where: string, s: RuleSetting): void {
  if (s.severity !== undefined && !SEVERITIES.includes(s.severity)) {
    throw new Error(`${where}: rules.${s.ruleId}: severity must be one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(s.severity)}.`);
  }
}

export function checkRuleShape(where: string, r: IRule): void {
  const m = r?.metadata;
  const id = m?.id;
  const problems: string[] = [];
  if (typeof id !== 'string' || !new RegExp(RULE_ID_PATTERN).test(id)) problems.push(`metadata.id must be kebab-case (acme-no-latest-tag), got ${JSON.stringify(id)}`);
  for (const f of ['title', 'rationale', 'remediation'] as const) {
    if (typeof m?.[f] !== 'string' || m[f].trim() === '') problems.push(`metadata.${f} must be a non-empty string`);
  }
  if (!SEVERITIES.includes(m?.severity as string)) problems.push(`metadata.severity must be one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(m?.severity)}`);
  if (typeof (r as any)?.check !== 'function') problems.push('check(spec) must be a method');
  if (problems.length) throw new Error(`${where}: rule ${JSON.stringify(id ?? '(no id)')} is not a valid rule: ${problems.join('; ')}.`);
}

/** Organisation rule ids: no collision with the catalog, the policy rules, or each other. */
export function checkCustomRules(where: string, added: IRule[], existing: IRule[]): void {
  const seen = new Map(existing.map((r) => [r.metadata.id, r]));
  const policyIds = Object.values(POLICY_RULE_IDS);
  for (const r of added) {
    const id = r.metadata.id;
    const builtin = builtinRule(id);
    if (builtin && builtin !== r) {
      throw new Error(`${where}: organisation rule id "${id}" collides with the built-in rule "${id}" (${builtin.metadata.title}). `
        + `Give organisation rules their own prefix, e.g. "acme-${id}"; to change the built-in rule's severity use rules: [{ ruleId: '${id}', severity }].`);
    }
    if (id.startsWith('org-')) {
      throw new Error(`${where}: organisation rule id "${id}" uses the prefix "org-", reserved for policy rules (${policyIds.join(', ')}). `
        + 'Use your organisation\'s own prefix, e.g. "acme-".');
    }
    const other = seen.get(id);
    if (other && !sameRule(other, r)) {
      throw new Error(`${where}: two organisation rules have the id "${id}" ("${other.metadata.title}" and "${r.metadata.title}"): rule ids must be unique.`);
    }
    seen.set(id, r);
  }
}

/**
 * The same rule: one object, or two instances of one class with the same metadata (the profile in code and the
 * profile file's rule module each made one).
 */
export function sameRule(a: IRule, b: IRule): boolean {
  if (a === b) return true;
  const ctor = Object.getPrototypeOf(a)?.constructor;
  return ctor !== Object && ctor === Object.getPrototypeOf(b)?.constructor
    && JSON.stringify(a.metadata) === JSON.stringify(b.metadata);
}

export function unknownRuleMessage(where: string, id: string, valid: string[]): string {
  const policyField = POLICY_FIELDS.find((f) => POLICY_RULE_IDS[f] === id);
  if (policyField) return `${where}: rules.${id}: the policy rule "${id}" runs only when policies.${policyField} is set.`;
  if (isSuppressionRuleId(id)) return `${where}: rules.${id}: "${id}" reports bad suppressions under every profile; it cannot be switched off or re-graded.`;
  return `${where}: rules.${id}: unknown rule id. Valid ids: ${valid.join(', ')}.`;
}
