/**
 * The CIS Docker Benchmark v1.6.0 controls this project maps (docs: cis-docker-benchmark-1.6.md), with short titles
 * and whether a container's configuration can decide them. Rule metadata cites these ids.
 */
export interface CisControl {
  readonly id: string;
  readonly title: string;
  /** Why no rule checks it, for the controls a configuration cannot decide. */
  readonly notDecidable?: string;
}

export const CIS_DOCKER_1_6: readonly CisControl[] = [
  { id: '4.1', title: 'Run as a non-root user' },
  { id: '4.6', title: 'HEALTHCHECK instructions added to the image', notDecidable: 'image level; at container level see 5.27' },
  { id: '5.2', title: 'AppArmor profile set (if applicable)' },
  { id: '5.3', title: 'SELinux security options set (if applicable)' },
  { id: '5.4', title: 'Linux kernel capabilities restricted' },
  { id: '5.5', title: 'Privileged containers not used' },
  { id: '5.6', title: 'Sensitive host system directories not mounted' },
  { id: '5.7', title: 'sshd not run within containers' },
  { id: '5.8', title: 'Privileged ports not mapped' },
  { id: '5.9', title: 'Only needed ports open' },
  { id: '5.10', title: 'Host network namespace not shared' },
  { id: '5.11', title: 'Memory usage limited' },
  { id: '5.12', title: 'CPU priority set appropriately' },
  { id: '5.13', title: 'Root filesystem mounted read-only' },
  { id: '5.14', title: 'Incoming traffic bound to a specific host interface' },
  { id: '5.15', title: "'on-failure' restart policy set to 5" },
  { id: '5.16', title: 'Host process namespace not shared' },
  { id: '5.17', title: 'Host IPC namespace not shared' },
  { id: '5.18', title: 'Host devices not directly exposed' },
  { id: '5.19', title: 'Default ulimit overwritten at runtime if needed' },
  { id: '5.20', title: 'Mount propagation mode not shared' },
  { id: '5.21', title: 'Host UTS namespace not shared' },
  { id: '5.22', title: 'Default seccomp profile not disabled' },
  { id: '5.25', title: 'cgroup usage confirmed' },
  { id: '5.26', title: 'Container restricted from acquiring additional privileges' },
  { id: '5.27', title: 'Container health checked at runtime' },
  { id: '5.28', title: 'Images pinned / kept current', notDecidable: 'manual; rule image-pinned-by-digest is the configuration-level answer' },
  { id: '5.29', title: 'PIDs cgroup limit used' },
  { id: '5.30', title: "Docker's default bridge docker0 not used" },
  { id: '5.31', title: "Host's user namespaces not shared" },
  { id: '5.32', title: 'Docker socket not mounted inside any containers' },
];

const BY_ID = new Map(CIS_DOCKER_1_6.map((c) => [c.id, c]));

/** A CIS control by id, or undefined. */
export function cisControl(id: string): CisControl | undefined {
  return BY_ID.get(id);
}
