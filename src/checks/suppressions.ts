import { IConstruct } from 'constructs';
import { BUILTIN_RULES, builtinRule } from '../rules/catalog';
import { SpecSuppression } from '../spec/container-spec';

const SUPPRESSIONS = Symbol.for('cdktf-hardened-docker.suppressions');

/** The shortest reason a suppression accepts. */
export const MIN_REASON_LENGTH = 10;

/** A suppression as recorded on a construct. */
export interface Suppression {
  /** The rule id suppressed. */
  readonly ruleId: string;
  /** Why it is acceptable here (at least 10 characters). */
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
   * @param scope the construct (a container, a service, a stack, the app)
   * @param ruleId a rule id of the catalog or of an organisation rule (see `knownRuleIds`)
   * @param reason why it is acceptable here: at least 10 characters
   */
  public static add(scope: IConstruct, ruleId: string, reason: string): void {
    Suppressions.validate(scope.node.path, ruleId, reason);
    const list: Suppression[] = (scope as any)[SUPPRESSIONS] ?? [];
    if (!(scope as any)[SUPPRESSIONS]) {
      Object.defineProperty(scope, SUPPRESSIONS, { value: list, enumerable: false });
    }
    if (!list.some((s) => s.ruleId === ruleId)) list.push({ ruleId, reason: reason.trim() });
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

  /** Throws a clear error for an unknown rule id or a short reason. */
  public static validate(path: string, ruleId: string, reason: string): void {
    const where = path ? `[${path}] ` : '';
    if (typeof reason !== 'string' || reason.trim().length < MIN_REASON_LENGTH) {
      throw new Error(`${where}suppression of "${ruleId}" needs a reason of at least ${MIN_REASON_LENGTH} characters, got ${JSON.stringify(reason)}: say why it is acceptable here.`);
    }
    if (typeof ruleId !== 'string' || (!builtinRule(ruleId) && !Suppressions.customRuleIds.has(ruleId))) {
      const valid = [...BUILTIN_RULES.map((r) => r.metadata.id), ...Suppressions.customRuleIds];
      throw new Error(`${where}cannot suppress ${JSON.stringify(ruleId)}: no rule has that id. A rule id is kebab-case, as listed in `
        + `docs/rules.md: ${valid.join(', ')}. (An organisation's own rule: Suppressions.registerRuleId(id) first.)`);
    }
  }

  /** Registers an organisation rule id so that it can be suppressed. */
  public static registerRuleId(ruleId: string): void {
    Suppressions.customRuleIds.add(ruleId);
  }

  private static readonly customRuleIds = new Set<string>();

  private constructor() {}
}

/** Suppressions by construct path under `root`, for matching synthesized resources by their path. */
export function suppressionsByPath(root: IConstruct): Map<string, SpecSuppression[]> {
  const out = new Map<string, SpecSuppression[]>();
  for (const c of root.node.findAll()) {
    const own = (c as any)[SUPPRESSIONS] as Suppression[] | undefined;
    if (own && own.length) out.set(c.node.path, own);
  }
  // Ancestors of the root (the app) count too.
  for (const c of root.node.scopes.slice(0, -1)) {
    const own = (c as any)[SUPPRESSIONS] as Suppression[] | undefined;
    if (own && own.length) out.set(c.node.path, own);
  }
  return out;
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
