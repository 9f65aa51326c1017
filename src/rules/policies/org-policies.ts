/**
 * The organisation policies a profile can switch on: the data. Each policy that is set becomes one rule
 * (`org-*` ids, see `policyRules`), which runs on a ContainerSpec like every built-in rule.
 */
export interface OrgPolicies {
  /**
   * Image references must start with one of these prefixes (`registry.acme.example/`). A bare Docker Hub name
   * (`nginx`) is also matched in its full form (`docker.io/library/nginx`). An empty list allows no image.
   * Rule `org-allowed-registries`.
   * @default - any registry
   */
  readonly allowedRegistries?: string[];
  /**
   * Image references must be pinned by digest (`image@sha256:...`): the catalog rule `image-pinned-by-digest`
   * runs, at error, whatever the level (a rule setting in the same profile still wins).
   * @default false
   */
  readonly requireDigest?: boolean;
  /**
   * Labels every container and service must carry, with a non-empty value (`owner`, `cost-centre`).
   * Rule `org-required-labels`.
   * @default - none
   */
  readonly requiredLabels?: string[];
  /**
   * Maximum memory limit per container, in MiB; a container without a memory limit fails. Rule `org-max-memory`.
   * @default - no maximum
   */
  readonly maxMemoryMb?: number;
  /**
   * Maximum CPU limit per container, in CPUs (`cpu_quota / cpu_period`, or a service's nano CPUs); a container
   * without a CPU limit fails. Rule `org-max-cpu`.
   * @default - no maximum
   */
  readonly maxCpus?: number;
  /**
   * Host paths no bind mount may use: the path itself or anything below it (`/etc` forbids `/etc/ssl` but not
   * `/etcetera`). Rule `org-forbidden-host-paths`.
   * @default - none
   */
  readonly forbiddenHostPaths?: string[];
  /**
   * The only capabilities a container may add (names without `CAP_`, upper case). An empty list allows none.
   * Rule `org-allowed-capabilities`.
   * @default - any capability (the built-in capability rules still apply)
   */
  readonly allowedCapabilities?: string[];
}

/** The policy fields, in rule order. */
export const POLICY_FIELDS: readonly (keyof OrgPolicies)[] = [
  'allowedRegistries', 'requireDigest', 'requiredLabels', 'maxMemoryMb', 'maxCpus', 'forbiddenHostPaths',
  'allowedCapabilities',
];

/** The rule id each policy field turns into. */
export const POLICY_RULE_IDS: { readonly [K in keyof Required<OrgPolicies>]: string } = {
  allowedRegistries: 'org-allowed-registries',
  requireDigest: 'org-image-digest',
  requiredLabels: 'org-required-labels',
  maxMemoryMb: 'org-max-memory',
  maxCpus: 'org-max-cpu',
  forbiddenHostPaths: 'org-forbidden-host-paths',
  allowedCapabilities: 'org-allowed-capabilities',
};
