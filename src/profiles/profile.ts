import * as fs from 'fs';
import * as path from 'path';
import { ContainerDefaults, HARDENED_DEFAULTS } from './defaults';
import { BASELINE_RULE_IDS, RESTRICTED_RULE_IDS } from './levels';
import { RULE_ID_PATTERN } from './profile-schema';
import { closestRuleId, isSuppressibleRuleId, isSuppressionRuleId, quoteReason, suppressibleRuleIds } from './suppression-rules';
import { defaultsErrors, policiesErrors, profileDocumentErrors, stripUndefined } from './validate';
import { DRIFT_RULES } from '../drift/rules';
import { BUILTIN_RULES, builtinRule } from '../rules/catalog';
import { renderRulesMarkdown } from '../rules/doc';
import { OrgPolicies, POLICY_FIELDS, POLICY_RULE_IDS } from '../rules/policies/org-policies';
import { policyRules } from '../rules/policies/policy-rules';
import { reasonProblem, REASON_FORM } from '../rules/reason';
import { IRule, ProfileLevel, Severity } from '../rules/rule';

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

/**
 * A suppression a profile makes for every resource it checks: the findings of the rule stay in every report, marked
 * suppressed with the reason, and no longer fail. For what an organisation accepts everywhere (`no-new-privileges`
 * on Swarm services when every node's daemon.json sets it).
 */
export interface ProfileSuppression {
  /** The rule id suppressed: a rule of the catalog, a policy rule or one of the profile's own rules. */
  readonly ruleId: string;
  /** Why it is acceptable everywhere this profile applies: a sentence of at least 10 visible characters. */
  readonly reason: string;
}

/** A rule as a profile runs it. */
export interface ActiveRule {
  /** The rule. */
  readonly rule: IRule;
  /** Its severity under the profile. */
  readonly severity: Severity;
}

// Defined beside the rule metadata, which names a rule's level.
export { ProfileLevel };

/** What a derived profile changes; everything it does not name stays as in the base profile. */
export interface DeriveProfileProps {
  /** The new profile's name, shown in reports (`acme`). */
  readonly name: string;
  /**
   * What the profile is for.
   * @default - the base profile's description
   */
  readonly description?: string;
  /**
   * Construct defaults to change; each field named replaces the base's, the others stay.
   * @default - the base profile's defaults
   */
  readonly defaults?: ContainerDefaults;
  /**
   * Rules to re-grade or switch off (`{ ruleId: 'read-only-rootfs', severity: Severity.WARNING }`,
   * `{ ruleId: 'pids-limit', enabled: false }`). A built-in rule the base level leaves out can be switched on.
   * @default - the base profile's rule settings
   */
  readonly rules?: RuleSetting[];
  /**
   * Organisation rules to add (classes implementing IRule). Their ids must not collide with a built-in rule
   * or an `org-*` policy rule.
   * @default - none beyond the base profile's
   */
  readonly addRules?: IRule[];
  /**
   * Organisation policies to set; each field named replaces the base's, the others stay.
   * @default - the base profile's policies
   */
  readonly policies?: OrgPolicies;
  /**
   * Suppressions for every resource the profile checks; one for a rule the base suppresses replaces the base's.
   * Each reason is validated as every suppression's is (see docs/suppressions.md), and each rule id must be one the
   * profile knows: an error names the bad one.
   * @default - the base profile's suppressions
   */
  readonly suppressions?: ProfileSuppression[];
}

/** Options of `Profile.rulesMarkdown`. */
export interface ProfileDocOptions {
  /**
   * Heading of the page.
   * @default - "Rules of the <name> profile"
   */
  readonly title?: string;
  /**
   * Markdown after the heading.
   * @default - a sentence naming the base level and the number of rules
   */
  readonly intro?: string;
  /**
   * Document only the organisation's rules (its own rules and the policy rules), not the catalog rules it runs.
   * @default false
   */
  readonly organisationRulesOnly?: boolean;
}

/** Options for loading a profile file. */
export interface ProfileLoadOptions {
  /**
   * Organisation rules the file may name in `rules`, in addition to those its `ruleModules` provide.
   * @default - none
   */
  readonly customRules?: IRule[];
  /**
   * Directory `extends` and `ruleModules` paths are relative to (fromFile uses the file's directory).
   * @default - the current directory
   */
  readonly baseDirectory?: string;
  /**
   * Where the document came from, for error messages.
   * @default - the file path, or "profile"
   */
  readonly source?: string;
}

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

const SEVERITIES = Object.values(Severity) as string[];

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
    return loadDocument(document, options, []);
  }

  /** A profile from a JSON file (see `fromJson`); `extends` and `ruleModules` paths are relative to the file. */
  public static fromFile(file: string, options: ProfileLoadOptions = {}): Profile {
    return loadFile(file, options, []);
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
function orgPolicyRules(policies: OrgPolicies): IRule[] {
  const rules = policyRules(policies);
  return builtinRule(DIGEST_RULE_ID) ? rules.filter((r) => r.metadata.id !== POLICY_RULE_IDS.requireDigest) : rules;
}

/** Freezes `o` and copies of its arrays (the caller's arrays stay as they were). */
function freezeDeep<T extends object>(o: T): T {
  for (const [k, v] of Object.entries(o)) if (Array.isArray(v)) (o as any)[k] = Object.freeze([...v]);
  return Object.freeze(o);
}

/** Problems on one line (the CLI prints one line per error): `2 problems: a; b`. */
function listProblems(problems: string[]): string {
  return problems.length === 1 ? problems[0] : `${problems.length} problems: ${problems.join('; ')}`;
}

/**
 * A derived profile's suppressions: the base's, each replaced by one the props name for the same rule, then the new
 * ones. Every reason goes through the one validator; every rule id must be one the profile knows. One error lists
 * every problem.
 */
function mergeSuppressions(
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

function checkName(name: unknown): void {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new Error(`A profile needs a name (a non-empty string, shown in reports), got ${JSON.stringify(name)}.`);
  }
}

function checkSetting(where: string, s: RuleSetting): void {
  if (s.severity !== undefined && !SEVERITIES.includes(s.severity)) {
    throw new Error(`${where}: rules.${s.ruleId}: severity must be one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(s.severity)}.`);
  }
}

function checkRuleShape(where: string, r: IRule): void {
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
function checkCustomRules(where: string, added: IRule[], existing: IRule[]): void {
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
function sameRule(a: IRule, b: IRule): boolean {
  if (a === b) return true;
  const ctor = Object.getPrototypeOf(a)?.constructor;
  return ctor !== Object && ctor === Object.getPrototypeOf(b)?.constructor
    && JSON.stringify(a.metadata) === JSON.stringify(b.metadata);
}

function unknownRuleMessage(where: string, id: string, valid: string[]): string {
  const policyField = POLICY_FIELDS.find((f) => POLICY_RULE_IDS[f] === id);
  if (policyField) return `${where}: rules.${id}: the policy rule "${id}" runs only when policies.${policyField} is set.`;
  if (isSuppressionRuleId(id)) return `${where}: rules.${id}: "${id}" reports bad suppressions under every profile; it cannot be switched off or re-graded.`;
  return `${where}: rules.${id}: unknown rule id. Valid ids: ${valid.join(', ')}.`;
}

function loadFile(file: string, options: ProfileLoadOptions, chain: string[]): Profile {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (e: any) {
    throw new Error(`Cannot read profile file ${file}: ${e?.code === 'ENOENT' ? 'no such file' : e?.message ?? e}.`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e: any) {
    throw new Error(`Profile file ${file} is not valid JSON: ${e?.message ?? e}.`);
  }
  return loadDocument(doc, { ...options, baseDirectory: path.dirname(abs), source: options.source ?? file }, [...chain, abs]);
}

function loadDocument(doc: any, options: ProfileLoadOptions, chain: string[]): Profile {
  const source = options.source ?? 'document';
  const fail = (problems: string[]): never => {
    throw new Error(`Invalid profile ${source}: ${listProblems(problems)}`);
  };
  const schemaErrors = profileDocumentErrors(doc);
  if (schemaErrors.length) fail(schemaErrors);
  const dir = options.baseDirectory ?? process.cwd();

  // The base: a built-in level, or another profile file.
  const ext: string = doc.extends ?? ProfileLevel.HARDENED;
  let base: Profile;
  if (Object.values(ProfileLevel).includes(ext as ProfileLevel)) {
    base = Profile.named(ext);
  } else if (ext.endsWith('.json')) {
    // A path relative to this file, or a file of an installed package (`@acme/docker-profile/acme-profile.json`).
    let target = path.resolve(dir, ext);
    if (!ext.startsWith('.') && !path.isAbsolute(ext)) {
      try {
        target = require.resolve(ext, { paths: [dir] });
      } catch {
        fail([`extends: "${ext}" is neither a built-in level nor a file relative to ${dir} nor a file of an installed package`]);
      }
    }
    if (chain.includes(target)) fail([`extends: "${ext}" extends itself (cycle: ${[...chain, target].join(' -> ')})`]);
    base = loadFile(target, { customRules: options.customRules }, chain);
  } else {
    return fail([`extends: must be one of ${Object.values(ProfileLevel).join(', ')}, or a path to a profile file ending in .json; got "${ext}"`]);
  }

  // Organisation rules: from code (options) and from the file's rule modules.
  const addRules: IRule[] = [...(options.customRules ?? [])];
  const problems: string[] = [];
  for (const [i, spec] of (doc.ruleModules ?? []).entries()) {
    try {
      addRules.push(...loadRuleModule(spec, dir));
    } catch (e: any) {
      problems.push(`ruleModules[${i}]: ${e?.message ?? e}`);
    }
  }
  if (problems.length) fail(problems);
  const fresh: IRule[] = [];
  for (const r of addRules) if (![...base.customRules, ...fresh].some((c) => sameRule(c, r))) fresh.push(r);

  // Rule settings: every id must be known.
  const policies = { ...base.policies, ...(doc.policies ?? {}) };
  const known = new Set([
    ...BUILTIN_RULES.map((r) => r.metadata.id),
    ...DRIFT_RULES.map((r) => r.metadata.id),
    ...orgPolicyRules(policies).map((r) => r.metadata.id),
    ...base.customRules.map((r) => r.metadata.id),
    ...fresh.map((r) => r.metadata.id),
  ]);
  const rules: RuleSetting[] = [];
  for (const [id, level] of Object.entries<string>(doc.rules ?? {})) {
    if (!known.has(id)) {
      const policyField = POLICY_FIELDS.find((f) => POLICY_RULE_IDS[f] === id);
      problems.push(policyField
        ? `rules.${id}: the policy rule "${id}" runs only when policies.${policyField} is set`
        : isSuppressionRuleId(id)
          ? `rules.${id}: "${id}" reports bad suppressions under every profile; it cannot be switched off or re-graded`
          : `rules.${id}: unknown rule id. Valid ids: ${[...known].join(', ')}`);
      continue;
    }
    rules.push(level === 'off' ? { ruleId: id, enabled: false } : { ruleId: id, severity: level as Severity, enabled: true });
  }
  if (problems.length) fail(problems);
  try {
    return base.derive({
      name: doc.name,
      description: doc.description,
      defaults: doc.defaults,
      policies: doc.policies,
      addRules: fresh,
      rules,
      suppressions: doc.suppressions === undefined ? undefined
        : Object.entries<string>(doc.suppressions).map(([ruleId, reason]) => ({ ruleId, reason })),
    });
  } catch (e: any) {
    return fail([e?.message ?? String(e)]);
  }
}

/** A rule module: its `rules` export (or default export) is an array of IRule. */
function loadRuleModule(spec: string, dir: string): IRule[] {
  const resolved = spec.startsWith('.') || path.isAbsolute(spec) ? path.resolve(dir, spec) : require.resolve(spec, { paths: [dir] });
  let mod: any;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(resolved);
  } catch (e: any) {
    throw new Error(`cannot load "${spec}" (resolved to ${resolved}): ${e?.message ?? e}`);
  }
  const rules = Array.isArray(mod?.rules) ? mod.rules : Array.isArray(mod?.default) ? mod.default : undefined;
  if (!rules) throw new Error(`"${spec}" has no \`rules\` export: export const rules: IRule[] = [new MyRule()]`);
  return rules;
}
