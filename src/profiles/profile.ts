import { ContainerDefaults, HARDENED_DEFAULTS } from './defaults';
import { BASELINE_RULE_IDS, RESTRICTED_RULE_IDS } from './levels';
import { BUILTIN_RULES } from '../rules/catalog';
import { IRule, Severity } from '../rules/rule';

/** How a profile treats one rule. */
export interface RuleSetting {
  /** The rule id. */
  readonly ruleId: string;
  /**
   * Severity under this profile; `undefined` keeps the rule's default.
   * @default - the rule's default severity
   */
  readonly severity?: Severity;
  /**
   * Whether the rule runs under this profile.
   * @default true
   */
  readonly enabled?: boolean;
}

/** A rule as a profile runs it. */
export interface ActiveRule {
  /** The rule. */
  readonly rule: IRule;
  /** Its severity under the profile. */
  readonly severity: Severity;
}

/** Built-in profile names. */
export enum ProfileLevel {
  /** Host isolation only: namespaces, privileged, devices, docker.sock, sensitive mounts, unconfined seccomp. */
  BASELINE = 'baseline',
  /** Baseline plus non-root, no-new-privileges, drop ALL capabilities. */
  RESTRICTED = 'restricted',
  /** Every rule of the catalog (the default). */
  HARDENED = 'hardened',
}

/**
 * A profile: which rules run, and at which severity.
 */
export class Profile {
  /** The built-in profile of this level. */
  public static of(level: ProfileLevel): Profile {
    return Profile.named(level);
  }

  /** A built-in profile by name (`baseline`, `restricted`, `hardened`); a clear error for any other name. */
  public static named(name: string): Profile {
    switch (name) {
      case ProfileLevel.BASELINE:
        return new Profile(name, BUILTIN_RULES.filter((r) => BASELINE_RULE_IDS.includes(r.metadata.id)));
      case ProfileLevel.RESTRICTED:
        return new Profile(name, BUILTIN_RULES.filter((r) => RESTRICTED_RULE_IDS.includes(r.metadata.id)));
      case ProfileLevel.HARDENED:
        return new Profile(name, [...BUILTIN_RULES]);
      default:
        throw new Error(`Unknown profile "${name}". Valid profiles: ${Object.values(ProfileLevel).join(', ')}.`);
    }
  }

  /** The rules this profile runs, with their severities. */
  public readonly activeRules: ActiveRule[];

  /** The defaults constructs apply under this profile (every field set). */
  public readonly defaults: ContainerDefaults;

  /**
   * @param name profile name, shown in reports
   * @param rules the rules it runs
   * @param settings severity changes and disabled rules
   * @param defaults construct defaults; unnamed fields keep the built-in hardened defaults
   */
  public constructor(public readonly name: string, rules: IRule[], settings: RuleSetting[] = [], defaults: ContainerDefaults = {}) {
    this.defaults = { ...HARDENED_DEFAULTS, ...stripUndefined(defaults) };
    const ids = new Set(rules.map((r) => r.metadata.id));
    for (const s of settings) {
      if (!ids.has(s.ruleId)) {
        throw new Error(`Profile "${name}": rule setting names "${s.ruleId}", which the profile does not have. Rules: ${[...ids].join(', ')}.`);
      }
    }
    this.activeRules = rules
      .map((rule) => ({ rule, setting: settings.find((s) => s.ruleId === rule.metadata.id) }))
      .filter(({ setting }) => setting?.enabled !== false)
      .map(({ rule, setting }) => ({ rule, severity: setting?.severity ?? rule.metadata.severity }));
  }

  /** True when the profile runs the rule. */
  public hasRule(ruleId: string): boolean {
    return this.activeRules.some((a) => a.rule.metadata.id === ruleId);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: any = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}
