import * as fs from 'fs';
import { ContainerDefaults, HARDENED_DEFAULTS } from './defaults';
import { BASELINE_RULE_IDS, RESTRICTED_RULE_IDS } from './levels';
import type { ActiveRule, DeriveProfileProps, ProfileDocOptions, ProfileLoadOptions, ProfileSuppression, RuleSetting } from './profile-props';
import { checkCustomRules, checkName, checkRuleShape, checkSetting, listProblems, mergeSuppressions, sameRule, unknownRuleMessage } from './profile-validation';
import { isSuppressibleRuleId, isSuppressionRuleId } from './suppression-rules';
import { defaultsErrors, policiesErrors, stripUndefined } from './validate';
import { DRIFT_RULES } from '../drift/rules';
import { BUILTIN_RULES, builtinRule } from '../rules/catalog';
import { OrgPolicies, POLICY_RULE_IDS } from '../rules/policies/org-policies';
import { policyRules } from '../rules/policies/policy-rules';
import { IRule, ProfileLevel, Severity } from '../rules/rule';

export type { ActiveRule, DeriveProfileProps, ProfileDocOptions, ProfileLoadOptions, ProfileSuppression, RuleSetting } from './profile-props';

// Defined beside the rule metadata, which names a rule's level.
export { ProfileLevel };

interface Setting {
  readonly severity?: Severity;
  readonly enabled?: boolean;
}

interface ProfileState {
  readonly name: string;
  readonly description?: string;
  /** The built-in level this profile descends from (what `toJson` extends). */
  readonly root: string;
  /** Catalog rules (or the rules a constructor was given), in order. */
  readonly universe: IRule[];
  /** Rule settings named explicitly (by derive, a file's `rules`, or the constructor), relative to the level. */
  readonly settings: Map<string, Setting>;
  readonly policies: OrgPolicies;
  readonly custom: IRule[];
  readonly defaults: Required<ContainerDefaults>;
  /** Suppressions for every resource, by rule id, in the order they were named. */
  readonly suppressions: ProfileSuppression[];
}

const LEVEL_IDS: Record<string, readonly string[] | undefined> = {
  [ProfileLevel.BASELINE]: BASELINE_RULE_IDS,
  [ProfileLevel.RESTRICTED]: RESTRICTED_RULE_IDS,
  [ProfileLevel.HARDENED]: undefined, // every rule
};

export const SEVERITIES = Object.values(Severity) as string[];

/**
 * A profile: the defaults constructs apply, and the rules (with severities and organisation policies) the checks
 * and the CLI enforce. Built-ins: `baseline`, `restricted`, `hardened`. An organisation derives its own with
 * `derive`, or writes it as a JSON file (`Profile.fromFile`).
 */
export class Profile {
  /** The built-in profile of this level. */
  public static of(level: ProfileLevel): Profile {
    return Profile.named(level);
  }

  /** A built-in profile by name (`baseline`, `restricted`, `hardened`); a clear error for any other name. */
  public static named(name: string): Profile {
    if (!Object.values(ProfileLevel).includes(name as ProfileLevel)) {
      throw new Error(`Unknown profile "${name}". Valid profiles: ${Object.values(ProfileLevel).join(', ')} (or a profile file: Profile.fromFile).`);
    }
    return Profile.build({
      name,
      root: name,
      universe: [...BUILTIN_RULES],
      settings: new Map(),
      policies: {},
      custom: [],
      defaults: { ...HARDENED_DEFAULTS },
      suppressions: [],
    });
  }

  /**
   * A profile from its JSON form (`{ name, extends, defaults, rules, policies, ruleModules }`), validated against
   * `schemas/profile.schema.json`. Throws one error listing every problem, each naming the field and the
   * allowed values.
   */
  public static fromJson(document: any, options: ProfileLoadOptions = {}): Profile {
    return profileFile().loadDocument(document, options, []);
  }

  /** A profile from a JSON file (see `fromJson`); `extends` and `ruleModules` paths are relative to the file. */
  public static fromFile(file: string, options: ProfileLoadOptions = {}): Profile {
    return profileFile().loadFile(file, options, []);
  }

  /**
   * A built-in profile by name, or a profile file by path: what a `--profile` option takes.
   */
  public static load(nameOrFile: string, options: ProfileLoadOptions = {}): Profile {
    if (Object.values(ProfileLevel).includes(nameOrFile as ProfileLevel)) return Profile.named(nameOrFile);
    if (!nameOrFile.endsWith('.json') && !fs.existsSync(nameOrFile)) {
      throw new Error(`Unknown profile "${nameOrFile}": give a built-in name (${Object.values(ProfileLevel).join(', ')}) or the path of a profile JSON file.`);
    }
    return Profile.fromFile(nameOrFile, options);
  }

  /** Builds a profile from its state (the one place profiles are made). */
  private static build(state: ProfileState): Profile {
    const p = Object.create(Profile.prototype) as Profile;
    p.init(state);
    return p;
  }

  private state!: ProfileState;
  private active!: ActiveRule[];
  private known!: ReadonlySet<string>;

  /**
   * A profile running exactly `rules` (prefer `Profile.named(...).derive(...)`, which keeps a base's settings).
   *
   * @param name profile name, shown in reports
   * @param rules the rules it runs
   * @param settings severity changes and disabled rules
   * @param defaults construct defaults; unnamed fields keep the built-in hardened defaults
   */
  public constructor(name: string, rules: IRule[], settings: RuleSetting[] = [], defaults: ContainerDefaults = {}) {
    checkName(name);
    const where = `Profile "${name}"`;
    const universe: IRule[] = [];
    const custom: IRule[] = [];
    for (const r of rules) {
      checkRuleShape(where, r);
      if (builtinRule(r.metadata.id) === r) universe.push(r);
      else custom.push(r);
    }
    checkCustomRules(where, custom, []);
    const ids = new Set(rules.map((r) => r.metadata.id));
    const map = new Map<string, Setting>();
    for (const s of settings) {
      if (!ids.has(s.ruleId)) {
        throw new Error(`${where}: rule setting names "${s.ruleId}", which the profile does not have. Rules: ${[...ids].join(', ')}.`);
      }
      checkSetting(where, s);
      map.set(s.ruleId, { severity: s.severity, enabled: s.enabled });
    }
    const errors = defaultsErrors(defaults);
    if (errors.length) throw new Error(`${where}: ${listProblems(errors)}`);
    this.init({
      name,
      root: ProfileLevel.HARDENED,
      universe,
      settings: map,
      policies: {},
      custom,
      defaults: { ...HARDENED_DEFAULTS, ...stripUndefined(defaults) },
      suppressions: [],
    });
  }

  /** The profile's name, shown in reports. */
  public get name(): string {
    return this.state.name;
  }

  /**
   * What the profile is for.
   * @default - none
   */
  public get description(): string | undefined {
    return this.state.description;
  }

  /** The built-in level this profile descends from (`baseline`, `restricted`, `hardened`). */
  public get baseLevel(): string {
    return this.state.root;
  }

  /** The rules this profile runs, with their severities: catalog rules, then policy rules, then organisation rules. */
  public get activeRules(): ActiveRule[] {
    return this.active;
  }

  /** The defaults constructs apply under this profile (every field set). */
  public get defaults(): ContainerDefaults {
    return this.state.defaults;
  }

  /** The organisation policies set (each became an `org-*` rule). */
  public get policies(): OrgPolicies {
    return this.state.policies;
  }

  /** The organisation's own rules (added with `addRules`, or from a profile file's `ruleModules`). */
  public get customRules(): IRule[] {
    return [...this.state.custom];
  }

  /** Every rule id this profile knows (running or switched off): what its `rules` settings may name. */
  public get knownRuleIds(): string[] {
    return this.allRules().map((r) => r.metadata.id);
  }

  /** The suppressions this profile makes for every resource it checks. */
  public get suppressions(): ProfileSuppression[] {
    return [...this.state.suppressions];
  }

  /**
   * True when a suppression may name this rule id under this profile: a rule of the catalog, a policy rule, one of
   * the profile's own rules (or an id registered with the deprecated `Suppressions.registerRuleId`). What the
   * checks ask the profile of each resource, instead of a global list.
   */
  public canSuppress(ruleId: string): boolean {
    return typeof ruleId === 'string' && !isSuppressionRuleId(ruleId) && isSuppressibleRuleId(ruleId, this.known);
  }

  /**
   * A new profile that changes only what `props` names: the name, and any defaults, rule settings, added rules
   * and policies given. This profile is not modified.
   */
  public derive(props: DeriveProfileProps): Profile {
    checkName(props?.name);
    const where = `Profile "${props.name}" (derived from "${this.name}")`;
    const defaults = stripUndefined(props.defaults ?? {});
    const problems = [...defaultsErrors(defaults), ...policiesErrors(props.policies ?? {})];
    if (problems.length) throw new Error(`${where}: ${listProblems(problems)}`);
    const policies = { ...this.state.policies, ...stripUndefined(props.policies ?? {}) };
    const added = props.addRules ?? [];
    for (const r of added) checkRuleShape(where, r);
    checkCustomRules(where, added, this.state.custom);
    const custom = [...this.state.custom];
    for (const r of added) if (!custom.some((c) => sameRule(c, r))) custom.push(r);
    const universe = [...this.state.universe];
    const settings = new Map(this.state.settings);
    const known = () => new Set([...universe, ...orgPolicyRules(policies), ...custom].map((r) => r.metadata.id));
    const suppressions = mergeSuppressions(where, this.state.suppressions, props.suppressions, known());
    for (const s of props.rules ?? []) {
      checkSetting(where, s);
      if (!known().has(s.ruleId)) {
        // A drift rule may be re-graded or switched off too: it runs only under `audit --against`.
        const builtin = builtinRule(s.ruleId) ?? DRIFT_RULES.find((r) => r.metadata.id === s.ruleId);
        if (builtin) universe.push(builtin);
        else throw new Error(unknownRuleMessage(where, s.ruleId, [...known()]));
      }
      const old = settings.get(s.ruleId) ?? {};
      settings.set(s.ruleId, { severity: s.severity ?? old.severity, enabled: s.enabled ?? true });
    }
    return Profile.build({
      name: props.name,
      description: props.description ?? this.state.description,
      root: this.state.root,
      universe,
      settings,
      policies,
      custom,
      defaults: { ...this.state.defaults, ...defaults },
      suppressions,
    });
  }

  /** True when the profile runs the rule. */
  public hasRule(ruleId: string): boolean {
    return this.active.some((a) => a.rule.metadata.id === ruleId);
  }

  /**
   * The severity of a rule under this profile.
   * @returns undefined when the profile does not run the rule
   */
  public severityOf(ruleId: string): Severity | undefined {
    return this.active.find((a) => a.rule.metadata.id === ruleId)?.severity;
  }

  /**
   * The profile as a JSON document (the profile-file format), relative to its built-in level: the defaults,
   * rule settings and policies that differ. Organisation rules appear by id in `rules`; their code is not
   * serialized (a file loads it through `ruleModules`).
   */
  public toJson(): any {
    const base = Profile.named(this.state.root);
    const defaults: any = {};
    for (const [k, v] of Object.entries(this.state.defaults)) {
      if (JSON.stringify(v) !== JSON.stringify((base.defaults as any)[k])) defaults[k] = v;
    }
    const rules: any = {};
    for (const r of this.allRules()) {
      const id = r.metadata.id;
      const mine = this.severityOf(id) ?? 'off';
      // What the level and the policies give without a rule setting.
      const implied = this.implied(r);
      const theirs = implied.enabled ? implied.severity : 'off';
      if (mine !== theirs) rules[id] = mine;
    }
    // A profile made with the constructor from a subset of the catalog: the rules it leaves out are off.
    for (const r of BUILTIN_RULES) {
      if (!this.state.universe.includes(r) && base.hasRule(r.metadata.id)) rules[r.metadata.id] = 'off';
    }
    const out: any = { name: this.name };
    if (this.description !== undefined) out.description = this.description;
    out.extends = this.state.root;
    if (Object.keys(defaults).length) out.defaults = defaults;
    if (Object.keys(rules).length) out.rules = rules;
    const policies = stripUndefined(this.state.policies);
    if (Object.keys(policies).length) out.policies = policies;
    if (this.state.suppressions.length) {
      out.suppressions = Object.fromEntries(this.state.suppressions.map((s) => [s.ruleId, s.reason]));
    }
    return out;
  }

  /**
   * The rules this profile runs as a Markdown page (the format of the library's docs/rules.md), each with its
   * severity under this profile: what an organisation publishes with its profile package.
   */
  public rulesMarkdown(options: ProfileDocOptions = {}): string {
    const active = this.active.filter((a) => !options.organisationRulesOnly || !builtinRule(a.rule.metadata.id));
    // The page shows each rule at this profile's severity.
    const rules: IRule[] = active.map(({ rule, severity }) => ({
      metadata: { ...rule.metadata, severity },
      check: (spec) => rule.check(spec),
    }));
    const own = active.filter((a) => !builtinRule(a.rule.metadata.id)).length;
    const intro = options.intro ?? `The \`${this.name}\` profile${this.description ? ` (${this.description.replace(/\.$/, '')})` : ''} `
      + `extends the built-in \`${this.state.root}\` level and runs ${this.active.length} rules, ${own} of them the organisation's own `
      + '(policy rules `org-*` and custom rules). Severities are this profile\'s.';
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { renderRulesMarkdown } = require('../rules/doc') as typeof import('../rules/doc');
    return renderRulesMarkdown(rules, [], { title: options.title ?? `Rules of the ${this.name} profile`, intro });
  }

  private allRules(): IRule[] {
    return [...this.state.universe, ...orgPolicyRules(this.state.policies), ...this.state.custom];
  }

  /** A rule's setting without an explicit rule setting: from the level, the policies, or the rule itself. */
  private implied(rule: IRule): { enabled: boolean; severity: Severity } {
    const id = rule.metadata.id;
    if (id === DIGEST_RULE_ID && this.state.policies.requireDigest === true) return { enabled: true, severity: Severity.ERROR };
    const level = LEVEL_IDS[this.state.root];
    const enabled = !builtinRule(id) || !level || level.includes(id);
    return { enabled, severity: rule.metadata.severity };
  }

  private init(state: ProfileState): void {
    // Profiles are values: shared by every construct and check below a scope, so nobody may change one in place.
    this.state = {
      ...state,
      defaults: freezeDeep({ ...state.defaults }),
      policies: freezeDeep(stripUndefined({ ...state.policies })),
      suppressions: Object.freeze(state.suppressions.map((s) => Object.freeze({ ruleId: s.ruleId, reason: s.reason }))) as ProfileSuppression[],
    };
    const all = this.allRules();
    this.known = new Set(all.map((r) => r.metadata.id));
    this.active = [];
    for (const rule of all) {
      const setting = state.settings.get(rule.metadata.id);
      const implied = this.implied(rule);
      const enabled = setting ? setting.enabled !== false : implied.enabled;
      if (enabled) this.active.push(Object.freeze({ rule, severity: setting?.severity ?? implied.severity }));
    }
    Object.freeze(this.active);
  }
}

/**
 * The catalog's digest rule: the `requireDigest` policy makes it an error (an explicit rule setting still wins),
 * rather than adding a second rule with the same check. Without it in the catalog, the policy adds org-image-digest.
 */
const DIGEST_RULE_ID = 'image-pinned-by-digest';

/** The rules a policy set adds (the digest policy re-grades the catalog rule when the catalog has it). */
export function orgPolicyRules(policies: OrgPolicies): IRule[] {
  const rules = policyRules(policies);
  return builtinRule(DIGEST_RULE_ID) ? rules.filter((r) => r.metadata.id !== POLICY_RULE_IDS.requireDigest) : rules;
}

/** Freezes `o` and copies of its arrays (the caller's arrays stay as they were). */
function freezeDeep<T extends object>(o: T): T {
  for (const [k, v] of Object.entries(o)) if (Array.isArray(v)) (o as any)[k] = Object.freeze([...v]);
  return Object.freeze(o);
}

/**
 * The profile-file loader, on first use: an app that only synthesizes with a built-in or code-made profile never
 * reads a profile file, and synth should not load its loader (see test/checks/lazy-loading.test.ts).
 */
function profileFile(): typeof import('./profile-file') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./profile-file');
}
