/**
 * The data a profile is made from and reports: rule settings, suppressions, active rules, and the props of
 * `derive`, `rulesMarkdown` and the file loader.
 */
import { ContainerDefaults } from './defaults';
import { OrgPolicies } from '../rules/policies/org-policies';
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
