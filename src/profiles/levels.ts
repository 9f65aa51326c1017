/**
 * Rule ids of the baseline level: host isolation (namespaces, privileged, devices, the Docker socket, sensitive
 * mounts, unconfined seccomp or system paths, SELinux turned off, shared propagation, capabilities that amount to root on the host)
 * and the provider 3.6.2 traps (`cpus`, a service tmpfs mount's `tmpfs_options`), which fail `terraform apply` whatever the level.
 * Every id must name a rule of the catalog (test/rules/levels.test.ts).
 */
export const BASELINE_RULE_IDS: readonly string[] = [
  'no-privileged',
  'no-host-network', 'no-host-pid', 'no-host-ipc', 'no-host-userns', 'no-host-uts',
  'no-host-devices', 'no-docker-socket', 'no-sensitive-host-mounts', 'no-unconfined-seccomp', 'no-unconfined-system-paths',
  'no-shared-mount-propagation', 'no-dangerous-capabilities', 'no-cpus-attribute', 'service-tmpfs-size',
  'selinux-confinement-not-disabled',
];

/** Rule ids of the restricted level: baseline plus non-root, no-new-privileges, drop ALL, no added capabilities. */
export const RESTRICTED_RULE_IDS: readonly string[] = [
  ...BASELINE_RULE_IDS,
  'non-root-user', 'no-new-privileges', 'drop-all-capabilities', 'no-added-capabilities',
];

