import { apparmorProfile } from './apparmor-profile';
import { cpuLimit } from './cpu-limit';
import { dropAllCapabilities } from './drop-all-capabilities';
import { healthcheck } from './healthcheck';
import { imagePinnedByDigest } from './image-pinned-by-digest';
import { logRotation } from './log-rotation';
import { memoryLimit } from './memory-limit';
import { noAddedCapabilities } from './no-added-capabilities';
import { noCgroupParent } from './no-cgroup-parent';
import { noCpusAttribute } from './no-cpus-attribute';
import { noDangerousCapabilities } from './no-dangerous-capabilities';
import { noDefaultBridge } from './no-default-bridge';
import { noDockerSocket } from './no-docker-socket';
import { noHostCgroupns } from './no-host-cgroupns';
import { noHostDevices } from './no-host-devices';
import { noHostIpc } from './no-host-ipc';
import { noHostNetwork } from './no-host-network';
import { noHostPid } from './no-host-pid';
import { noHostUserns } from './no-host-userns';
import { noHostUts } from './no-host-uts';
import { noMountOverSystemDirs } from './no-mount-over-system-dirs';
import { noNewPrivileges } from './no-new-privileges';
import { noPrivileged } from './no-privileged';
import { noPrivilegedGroups } from './no-privileged-groups';
import { noPrivilegedHostPorts } from './no-privileged-host-ports';
import { noSensitiveHostMounts } from './no-sensitive-host-mounts';
import { noSensitiveHostMountsReadOnly } from './no-sensitive-host-mounts-read-only';
import { noSharedMountPropagation } from './no-shared-mount-propagation';
import { noSshd } from './no-sshd';
import { noSwap } from './no-swap';
import { noUnconfinedSeccomp } from './no-unconfined-seccomp';
import { noUnconfinedSystemPaths } from './no-unconfined-system-paths';
import { nonRootUser } from './non-root-user';
import { pidsLimit } from './pids-limit';
import { portsBoundToInterface } from './ports-bound-to-interface';
import { publishedPorts } from './published-ports';
import { readOnlyRootfs } from './read-only-rootfs';
import { restartRetries } from './restart-retries';
import { selinuxConfinementNotDisabled } from './selinux-confinement-not-disabled';
import { selinuxOptions } from './selinux-options';
import { serviceTmpfsSize } from './service-tmpfs-size';
import { tmpfsNoexecNosuid } from './tmpfs-noexec-nosuid';
import { ulimitsSet } from './ulimits-set';
import { IRule } from '../rule';

/** Every built-in rule, in catalog order (by CIS id, then the rules beyond CIS). */
export const BUILTIN_RULES: readonly IRule[] = [
  nonRootUser, // 4.1
  noPrivilegedGroups, // 4.1
  apparmorProfile, // 5.2
  selinuxOptions, // 5.3
  selinuxConfinementNotDisabled, // 5.3
  noAddedCapabilities, // 5.4
  noDangerousCapabilities, // 5.4
  noPrivileged, // 5.5
  noSensitiveHostMounts, // 5.6
  noSensitiveHostMountsReadOnly, // 5.6
  noMountOverSystemDirs, // 5.6
  noSshd, // 5.7
  noPrivilegedHostPorts, // 5.8
  publishedPorts, // 5.9
  noHostNetwork, // 5.10
  memoryLimit, // 5.11
  cpuLimit, // 5.12
  readOnlyRootfs, // 5.13
  portsBoundToInterface, // 5.14
  restartRetries, // 5.15
  noHostPid, // 5.16
  noHostIpc, // 5.17
  noHostDevices, // 5.18
  ulimitsSet, // 5.19
  noSharedMountPropagation, // 5.20
  noHostUts, // 5.21
  noUnconfinedSeccomp, // 5.22
  noCgroupParent, // 5.25
  noNewPrivileges, // 5.26
  healthcheck, // 5.27
  pidsLimit, // 5.29
  noDefaultBridge, // 5.30
  noHostUserns, // 5.31
  noDockerSocket, // 5.32
  // Beyond CIS.
  dropAllCapabilities,
  noUnconfinedSystemPaths,
  noHostCgroupns,
  tmpfsNoexecNosuid,
  noSwap,
  imagePinnedByDigest,
  logRotation,
  noCpusAttribute,
  serviceTmpfsSize,
];

const BY_ID = new Map(BUILTIN_RULES.map((r) => [r.metadata.id, r]));

/** A built-in rule by id, or undefined. */
export function builtinRule(id: string): IRule | undefined {
  return BY_ID.get(id);
}
