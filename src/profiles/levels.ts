/** Rule ids of the baseline level. */
export const BASELINE_RULE_IDS: readonly string[] = [
  'no-privileged',
  'no-host-network', 'no-host-pid', 'no-host-ipc', 'no-host-userns', 'no-host-uts',
  'no-host-devices', 'no-docker-socket', 'no-sensitive-host-mounts', 'no-unconfined-seccomp',
  'no-shared-mount-propagation', 'no-cpus-attribute',
];

/** Rule ids restricted adds to baseline. */
export const RESTRICTED_RULE_IDS: readonly string[] = [
  ...BASELINE_RULE_IDS,
  'non-root-user', 'no-new-privileges', 'drop-all-capabilities', 'no-added-capabilities',
];

