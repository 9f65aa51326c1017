import { BUILTIN_RULES } from '../rules/catalog';
import { ProfileLevel } from '../rules/rule';

/** The catalog's rules of the given levels (each rule's own `level`, hardened where it names none), in catalog order. */
function ruleIdsOfLevels(levels: readonly ProfileLevel[]): readonly string[] {
  return BUILTIN_RULES.filter((r) => levels.includes(r.metadata.level ?? ProfileLevel.HARDENED)).map((r) => r.metadata.id);
}

/**
 * Rule ids of the baseline level: host isolation (namespaces, privileged, devices, the Docker socket, sensitive
 * mounts, unconfined seccomp or system paths, SELinux turned off, shared propagation, capabilities that amount to root on the host)
 * and the provider 3.6.2 traps (`cpus`, a service tmpfs mount's `tmpfs_options`), which fail `terraform apply` whatever the level.
 */
export const BASELINE_RULE_IDS: readonly string[] = ruleIdsOfLevels([ProfileLevel.BASELINE]);

/** Rule ids of the restricted level: baseline plus non-root, no-new-privileges, drop ALL, no added capabilities. */
export const RESTRICTED_RULE_IDS: readonly string[] = ruleIdsOfLevels([ProfileLevel.BASELINE, ProfileLevel.RESTRICTED]);
