import { Comparison, RuleStatus, Severity } from '../rules/rule';

/** One finding: a rule that failed, or could not be verified, on one resource. */
export interface Finding {
  /** The rule id. */
  readonly ruleId: string;
  /** The rule's title. */
  readonly title: string;
  /** Severity under the profile (an unknown under an error rule is a warning unless strict). */
  readonly severity: Severity;
  /** `fail`, or `unknown` when the value is only known after apply. */
  readonly status: RuleStatus;
  /** CIS Docker Benchmark v1.6.0 ids. */
  readonly cis: string[];
  /** Terraform address (`docker_container.web`) or engine address (`container/web`). */
  readonly address: string;
  /** The container or service name, when known. @default - unknown */
  readonly resourceName?: string;
  /** The file it was read from. @default - none */
  readonly file?: string;
  /** The construct path. @default - none */
  readonly constructPath?: string;
  /** The stack. @default - none */
  readonly stack?: string;
  /** What was found. */
  readonly message: string;
  /** How to fix it. */
  readonly remediation: string;
  /** Whether a suppression covers it. */
  readonly suppressed: boolean;
  /** The suppression's reason. @default - not suppressed */
  readonly reason?: string;
  /**
   * Declared against live values, for a finding of `audit --against` (`drift`, `drift-stronger`): what the HTML
   * report shows as a table. The message carries the same in one line.
   * @default - none
   */
  readonly comparison?: Comparison;
}
