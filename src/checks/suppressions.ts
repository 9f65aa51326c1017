import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { RULE_ID_PATTERN } from '../profiles/profile-schema';
import { isSuppressionRuleId, quoteReason, registerLegacyRuleId } from '../profiles/suppression-rules';
import { MIN_REASON_CHARS, REASON_FORM, reasonProblem } from '../rules/reason';
import { SpecSuppression } from '../spec/container-spec';
import { isExpression } from '../spec/terraform/common';

const SUPPRESSIONS = Symbol.for('cdktf-hardened-docker.suppressions');

/**
 * The fewest visible characters a reason must have.
 * @deprecated the rule is richer than a length (src/rules/reason.ts: reasonProblem); kept for code that reads it
 */
export const MIN_REASON_LENGTH = MIN_REASON_CHARS;

/** A suppression as recorded on a construct. */
export interface Suppression {
  /** The rule id suppressed. */
  readonly ruleId: string;
  /** Why it is acceptable here (a sentence of at least 10 visible characters). */
  readonly reason: string;
}

/**
 * Suppressions scoped to a construct and everything below it.
 *
 * A suppressed finding stays in every report, marked suppressed with its reason; it no longer fails synth.
 */
export class Suppressions {
  /**
   * Suppress a rule for a construct and its children.
   *
   * The reason is validated at once (an error names the construct path, the reason and what is wrong with it). A
   * reason that is a token is only known after apply: it suppresses nothing and is reported as unknown at synth.
   * Whether the rule id exists is decided at synth by the profile that checks each resource (a rule id no profile
   * knows is a warning finding there), since the profile may be applied after this call.
   *
   * @param scope the construct (a container, a service, a stack, the app)
   * @param ruleId a rule id of the catalog, a policy rule or an organisation rule of the profile
   * @param reason why it is acceptable here: a sentence of at least 10 visible characters
   */
  public static add(scope: IConstruct, ruleId: string, reason: string): void {
    Suppressions.validate(scope.node.path, ruleId, reason);
    const list: Suppression[] = (scope as any)[SUPPRESSIONS] ?? [];
    if (!(scope as any)[SUPPRESSIONS]) {
      Object.defineProperty(scope, SUPPRESSIONS, { value: list, enumerable: false });
    }
    if (!list.some((s) => s.ruleId === ruleId)) list.push({ ruleId, reason: Token.isUnresolved(reason) ? reason : reason.trim() });
  }

  /** Suppressions placed directly on this construct (not inherited). */
  public static on(scope: IConstruct): Suppression[] {
    return [...((scope as any)[SUPPRESSIONS] ?? [])];
  }

  /** Suppressions that apply to this construct: its own and every ancestor's, nearest first. */
  public static effective(scope: IConstruct): Suppression[] {
    const out: Suppression[] = [];
    for (const c of [...scope.node.scopes].reverse()) {
      for (const s of Suppressions.on(c)) if (!out.some((o) => o.ruleId === s.ruleId)) out.push(s);
    }
    return out;
  }

  /**
   * Throws a clear error for a reason the one reason validator refuses, or a rule id that cannot be one (not
   * kebab-case, a token, or a rule about suppressions, which cannot be suppressed). A token reason passes: it is
   * reported as unknown at synth.
   */
  public static validate(path: string, ruleId: string, reason: string): void {
    const where = path ? `[${path}] ` : '';
    if (typeof ruleId !== 'string' || Token.isUnresolved(ruleId) || !new RegExp(RULE_ID_PATTERN).test(ruleId)) {
      const token = typeof ruleId === 'string' && Token.isUnresolved(ruleId);
      throw new Error(`${where}cannot suppress ${token ? 'a token' : JSON.stringify(ruleId)}: a rule id is literal kebab-case text, `
        + 'as listed in docs/rules.md (no-privileged, read-only-rootfs) or an organisation rule of the profile (acme-no-latest-tag).');
    }
    if (isSuppressionRuleId(ruleId)) {
      throw new Error(`${where}cannot suppress "${ruleId}": it reports bad suppressions, and cannot itself be suppressed. `
        + 'Fix or remove the suppression it names.');
    }
    if (typeof reason === 'string' && Token.isUnresolved(reason)) return;
    const problem = reasonProblem(reason);
    if (problem !== undefined) {
      throw new Error(`${where}suppression of "${ruleId}": the reason ${quoteReason(reason)} ${problem}. Write ${REASON_FORM}.`);
    }
  }

  /**
   * Registers an organisation rule id so that it can be suppressed.
   * @deprecated a profile answers for its own rules (`Profile.canSuppress`): suppressions of the rules of the profile
   * that checks a resource need no registration. Kept so that existing code runs; registered ids count as known to
   * every profile.
   */
  public static registerRuleId(ruleId: string): void {
    registerLegacyRuleId(ruleId);
  }

  private constructor() {}
}

/**
 * Suppressions by construct path under `root`, for matching synthesized resources by their path. A token reason is
 * resolved with `resolve` (the stack's): what it resolves to is what the synthesized `//` key carries, so synth and a
 * later `check` of the output read the same reason; one that resolves to an expression is only known after apply.
 */
export function suppressionsByPath(root: IConstruct, resolve: (value: string) => unknown = (v) => v): Map<string, SpecSuppression[]> {
  const out = new Map<string, SpecSuppression[]>();
  const add = (c: IConstruct) => {
    const own = (c as any)[SUPPRESSIONS] as Suppression[] | undefined;
    if (own && own.length) out.set(c.node.path, own.map((s) => recorded(c.node.path, s, resolve)));
  };
  for (const c of root.node.findAll()) add(c);
  // Ancestors of the root (the app) count too.
  for (const c of root.node.scopes.slice(0, -1)) add(c);
  return out;
}

function recorded(path: string, s: Suppression, resolve: (value: string) => unknown): SpecSuppression {
  const origin = `Suppressions.add on ${path === '' ? 'the app' : `"${path}"`}`;
  // Text that reads as a Terraform expression is one in the synthesized `//` key: unknown at synth as in `check`.
  if (!Token.isUnresolved(s.reason)) return { ruleId: s.ruleId, reason: s.reason, origin, reasonUnknown: isExpression(s.reason) || undefined };
  let resolved: unknown;
  try {
    resolved = resolve(s.reason);
  } catch {
    // A token this stack cannot resolve (another stack's value under an app-wide suppression): unknown, never a pass.
    // Written as an expression, so that `check` of the output reads it as unknown too.
    return { ruleId: s.ruleId, reason: '${(a token this stack cannot resolve)}', origin, reasonUnknown: true };
  }
  const reason = typeof resolved === 'string' ? resolved : JSON.stringify(resolved) ?? String(resolved);
  return { ruleId: s.ruleId, reason, origin, reasonUnknown: typeof resolved !== 'string' || isExpression(reason) || Token.isUnresolved(reason) };
}

/** The suppressions that apply to a construct path, nearest scope first. */
export function suppressionsForPath(byPath: Map<string, SpecSuppression[]>, path: string | undefined): SpecSuppression[] {
  if (byPath.size === 0 || path === undefined) return [];
  const out: SpecSuppression[] = [];
  const parts = path.split('/');
  for (let i = parts.length; i >= 0; i--) {
    const own = byPath.get(parts.slice(0, i).join('/'));
    if (!own) continue;
    for (const s of own) if (!out.some((o) => o.ruleId === s.ruleId)) out.push(s);
  }
  return out;
}
