import { ContainerSpec, ResourceKind } from '../spec/container-spec';

/** How serious a finding is. */
export enum Severity {
  /** Fails synth and the CLI (with `--fail-on error`). */
  ERROR = 'error',
  /** Annotated; fails the CLI only with `--fail-on warning`. */
  WARNING = 'warning',
  /** Reported, never fails. */
  INFO = 'info',
}

/** Built-in profile names, and the level of a rule: the lowest built-in profile that runs it. */
export enum ProfileLevel {
  /** Host isolation only: namespaces, privileged, devices, docker.sock, sensitive mounts, unconfined seccomp. */
  BASELINE = 'baseline',
  /** Baseline plus non-root, no-new-privileges, drop ALL capabilities. */
  RESTRICTED = 'restricted',
  /** Every rule of the catalog (the default). */
  HARDENED = 'hardened',
}

/** The outcome of one rule on one spec. */
export enum RuleStatus {
  /** The setting is compliant. */
  PASS = 'pass',
  /** The setting is not compliant. */
  FAIL = 'fail',
  /** The setting depends on a value not known before apply: never a pass. */
  UNKNOWN = 'unknown',
  /** The rule does not apply to this resource. */
  NOT_APPLICABLE = 'not-applicable',
}

/** One setting whose live value differs from the declared one (`audit --against`). */
export interface SettingDifference {
  /** The setting, as the provider names it (`memory`, `restart`, `label hardened-docker.settings-digest`). */
  readonly setting: string;
  /** The declared value, for people. */
  readonly declared: string;
  /** The live value, for people. */
  readonly live: string;
  /**
   * What the difference means beyond the values (a settings-digest mismatch: the container was never replaced).
   * @default - none
   */
  readonly note?: string;
}

/** The declared and live values behind a finding of `audit --against`, for reports that show them side by side. */
export interface Comparison {
  /** What was compared: `live container web (id 0123456789ab) differs from docker_container.web (construct app/web)`. */
  readonly subject: string;
  /** The settings that differ, in the finding's order. */
  readonly differences: SettingDifference[];
}

/** What a rule's check returns. */
export interface RuleResult {
  /** The outcome. */
  readonly status: RuleStatus;
  /**
   * What was found, specific to this resource (`privileged = true`).
   * @default - the rule's title
   */
  readonly message?: string;
  /**
   * The same finding as declared against live values (the drift rules); the message says it all in one line.
   * @default - none
   */
  readonly comparison?: Comparison;
}

/** Metadata of a rule: what docs, reports and SARIF are generated from. */
export interface RuleMetadata {
  /** Stable id, kebab-case (`no-privileged`). Suppressions and profiles name rules by it. */
  readonly id: string;
  /** One-line title. */
  readonly title: string;
  /**
   * CIS Docker Benchmark v1.6.0 ids (`"5.5"`).
   * @default - none: a rule beyond CIS
   */
  readonly cis?: string[];
  /** Default severity (a profile may change it). */
  readonly severity: Severity;
  /** Why it matters. */
  readonly rationale: string;
  /** How to fix it, in terms of the construct props and the Terraform attributes. */
  readonly remediation: string;
  /**
   * How to fix it in a compose file (`read_only: true`, `cap_drop: [ALL]`): reports show it instead of `remediation`
   * for findings on compose services (of a compose file, or of a docker_compose resource's compose files).
   * @default - `remediation`, for every source
   */
  readonly composeRemediation?: string;
  /**
   * Resource kinds this rule applies to.
   * @default - both docker_container and docker_service
   */
  readonly appliesTo?: ResourceKind[];
  /**
   * The lowest built-in profile that runs the rule: a `baseline` rule runs in every built-in profile, a `restricted`
   * one in `restricted` and `hardened`, a `hardened` one only in `hardened`. A rule that is not in the catalog (an
   * organisation's) runs in the profiles it is added to, whatever its level.
   * @default ProfileLevel.HARDENED
   */
  readonly level?: ProfileLevel;
}

/**
 * A rule: metadata plus a pure check of one ContainerSpec.
 *
 * Built-in rules and an organisation's own rules implement this (from any jsii language).
 */
export interface IRule {
  /** The rule's metadata. */
  readonly metadata: RuleMetadata;
  /** Check one spec. Must not throw and must not read anything but the spec. */
  check(spec: ContainerSpec): RuleResult;
}

/** Result helpers for rule authors. */
export class Results {
  /** A pass. */
  public static pass(message?: string): RuleResult {
    // Most passes carry no message: one shared result, not an object per check.
    return message === undefined ? PASS_RESULT : { status: RuleStatus.PASS, message };
  }
  /** A failure, with what was found. */
  public static fail(message: string): RuleResult {
    return { status: RuleStatus.FAIL, message };
  }
  /** An unknown: the value is only known after apply. */
  public static unknown(message: string): RuleResult {
    return { status: RuleStatus.UNKNOWN, message };
  }
  /** Not applicable to this resource. */
  public static notApplicable(message?: string): RuleResult {
    return { status: RuleStatus.NOT_APPLICABLE, message };
  }
  private constructor() {}
}

const PASS_RESULT: RuleResult = Object.freeze({ status: RuleStatus.PASS, message: undefined });
