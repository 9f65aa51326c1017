/**
 * Data types of HardenedContainer's props.
 */

/** A path inside the container that gets its own tmpfs (the root filesystem stays read-only). */
export interface WritablePath {
  /**
   * Absolute path inside the container, e.g. `/var/cache/nginx`. Not `/`, no `..`; normalized (`//a/b/` is `/a/b`).
   * A system directory (`/etc`, `/usr`, ...) or a directory above one needs the `mountOverSystemDirs` opt-out.
   */
  readonly path: string;
  /**
   * Size of the tmpfs in MiB.
   * @default - the profile's `tmpfsSizeMb` (64)
   */
  readonly sizeMb?: number;
  /**
   * Mode bits of the tmpfs root, as a number (`0o1777`). Note: when the image already has a directory at `path`,
   * Docker gives the tmpfs that directory's owner and mode, whatever `mode` says.
   * @default - Docker's default (1777)
   */
  readonly mode?: number;
  /**
   * Allow executing files from this tmpfs (drops `noexec`). Needs the `executableTmpfs` opt-out.
   * @default false
   */
  readonly executable?: boolean;
}

/** Transport protocol of a published port. */
export enum Protocol {
  /** TCP. */
  TCP = 'tcp',
  /** UDP. */
  UDP = 'udp',
  /** SCTP. */
  SCTP = 'sctp',
}

/** A container port published on the host. */
export interface PublishedPort {
  /** Port inside the container (1-65535). */
  readonly internal: number;
  /**
   * Port on the host (1-65535; below 1024, a privileged port, needs the `privilegedPorts` opt-out).
   * @default - a random free host port chosen by Docker
   */
  readonly external?: number;
  /**
   * Host interface to bind (an IP address). `0.0.0.0` or `::` (every interface) needs the `allInterfaces` opt-out.
   * @default - the profile's `hostIp` (`127.0.0.1`)
   */
  readonly hostIp?: string;
  /**
   * Protocol.
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
}

/** A container healthcheck (exec form: no shell unless you run one). */
export interface HealthCheck {
  /**
   * The command, exec form, e.g. `['wget', '-q', '-O-', 'http://127.0.0.1:8080/']`. Do not start it with
   * `CMD` / `CMD-SHELL` (HardenedContainer adds `CMD`); for a shell, run one: `['sh', '-c', '...']`.
   */
  readonly command: string[];
  /**
   * Seconds between checks.
   * @default 30
   */
  readonly intervalSeconds?: number;
  /**
   * Seconds before one check counts as failed.
   * @default 5
   */
  readonly timeoutSeconds?: number;
  /**
   * Consecutive failures before the container is unhealthy.
   * @default 3
   */
  readonly retries?: number;
  /**
   * Seconds of start-up during which failures do not count.
   * @default 0
   */
  readonly startPeriodSeconds?: number;
}

/** Docker restart policy. */
export enum RestartPolicy {
  /** Never restart. */
  NO = 'no',
  /** Restart when the process exits non-zero, at most `maxRestartRetries` times (CIS 5.15). */
  ON_FAILURE = 'on-failure',
  /** Always restart, without limit. Needs the `unlimitedRestarts` opt-out. */
  ALWAYS = 'always',
  /** Restart unless stopped by hand, without limit. Needs the `unlimitedRestarts` opt-out. */
  UNLESS_STOPPED = 'unless-stopped',
}

/** A user-defined network the container joins (`networks_advanced`). */
export interface NetworkAttachment {
  /** Network name or id (a `docker_network`'s `.name` works). */
  readonly name: string;
  /**
   * DNS aliases of the container on this network.
   * @default - none
   */
  readonly aliases?: string[];
}

/** A named volume or a host path mounted into the container. */
export interface VolumeMount {
  /** Absolute path inside the container. Not `/`, no `..`. */
  readonly containerPath: string;
  /**
   * A named Docker volume (exactly one of `volumeName` and `hostPath`).
   * @default - none: `hostPath` must be given
   */
  readonly volumeName?: string;
  /**
   * An absolute host path (a bind mount). A sensitive host directory (`/`, `/boot`, `/dev`, `/etc`, `/lib`, `/proc`,
   * `/sys`, `/usr`) written to needs the `sensitiveHostMounts` opt-out; a Docker socket needs `dockerSocket`.
   * @default - none: `volumeName` must be given
   */
  readonly hostPath?: string;
  /**
   * Mount read-only.
   * @default true
   */
  readonly readOnly?: boolean;
}

/** An acknowledged weakening: why it is acceptable here. */
export interface OptOut {
  /**
   * Why this weakening is acceptable for this container: at least 10 visible characters, not one character repeated,
   * not punctuation only, and literal (a token is refused). Recorded on the container.
   */
  readonly reason: string;
}

/**
 * Every weakening of HardenedContainer's defaults, each with a reason. Each one given is recorded on the container
 * (labels `hardened-docker.optout.<name>` and `hardened-docker.suppress.<rule-id>`) and as a scoped suppression of
 * the rule it weakens, so synth checks, reports and a live audit show it.
 *
 * Two kinds: a *switch* makes the weakening itself (writableRootFilesystem, allowPrivilegeEscalation,
 * unconfinedSeccomp, swap); a *permission* allows a prop value that would otherwise be refused, and is refused
 * itself when nothing needs it (so no stale suppression hides a later change).
 */
export interface HardeningOptOuts {
  /**
   * Switch: a writable root filesystem (`read_only = false`). CIS 5.13.
   * @default - read-only root filesystem
   */
  readonly writableRootFilesystem?: OptOut;
  /**
   * Permission: run as root (`user` of UID 0). CIS 4.1.
   * @default - root is refused
   */
  readonly runAsRoot?: OptOut;
  /**
   * Permission: publish on a host port below 1024 (a privileged port). CIS 5.8.
   * @default - host ports below 1024 are refused
   */
  readonly privilegedPorts?: OptOut;
  /**
   * Permission: bind a published port on every interface (`0.0.0.0`, `::`). CIS 5.14.
   * @default - every interface is refused
   */
  readonly allInterfaces?: OptOut;
  /**
   * Permission: add a dangerous capability (ALL, SYS_ADMIN, NET_ADMIN, ...) or one outside the profile's
   * `allowedCapabilities`. CIS 5.4.
   * @default - refused
   */
  readonly dangerousCapabilities?: OptOut;
  /**
   * Switch: no seccomp filter (`seccomp=unconfined`). CIS 5.22.
   * @default - Docker's default seccomp profile (or `seccompProfileJson`)
   */
  readonly unconfinedSeccomp?: OptOut;
  /**
   * Permission: AppArmor `unconfined`. CIS 5.2.
   * @default - refused
   */
  readonly unconfinedAppArmor?: OptOut;
  /**
   * Permission: an SELinux label that turns confinement off (`selinuxLabels` with `disable`, `type:spc_t` or
   * `type:unconfined_t`). CIS 5.3.
   * @default - refused
   */
  readonly unconfinedSelinux?: OptOut;
  /**
   * Switch: leave /proc and /sys unmasked and writable (`security_opts = ["systempaths=unconfined"]`: no MaskedPaths,
   * no ReadonlyPaths). Provider 3.6.2 passes the option raw, which Docker 20.10's daemon refuses at create; the docker
   * CLI and provider 3.8+ translate it.
   * @default - Docker's masked and read-only paths
   */
  readonly unconfinedSystemPaths?: OptOut;
  /**
   * Switch: allow privilege escalation (no `no-new-privileges:true`). CIS 5.26.
   * @default - no-new-privileges is set
   */
  readonly allowPrivilegeEscalation?: OptOut;
  /**
   * Acknowledge that the container has no healthcheck (the checks then stop warning about it). CIS 5.27.
   * Refused when a healthcheck is given.
   * @default - a missing healthcheck is a warning
   */
  readonly noHealthcheck?: OptOut;
  /**
   * Permission: `networkMode: 'host'` (the host's network namespace). CIS 5.10.
   * @default - host network is refused
   */
  readonly hostNetwork?: OptOut;
  /**
   * Switch: share the host's cgroup namespace (`cgroupns_mode = "host"`): the container sees the host's cgroup tree
   * in /proc/self/cgroup. Not for SecureService's Swarm mode: a docker_service has no cgroup namespace setting.
   * @default - a private cgroup namespace (`cgroupns_mode = "private"`, also on cgroup v1 hosts, where Docker's own
   * default is the host's)
   */
  readonly hostCgroupNamespace?: OptOut;
  /**
   * Switch: allow swap (`memory_swap` = `memorySwapMb`, or twice the memory when not given).
   * @default - no swap (`memory_swap` equal to `memory`)
   */
  readonly swap?: OptOut;
  /**
   * Permission: restart policy `always` / `unless-stopped` (no retry limit). CIS 5.15.
   * @default - refused
   */
  readonly unlimitedRestarts?: OptOut;
  /**
   * Permission: a writable bind mount of a sensitive host directory. CIS 5.6.
   * @default - refused
   */
  readonly sensitiveHostMounts?: OptOut;
  /**
   * Permission: mount a Docker socket (full control of the engine: root on the host). CIS 5.32.
   * @default - refused
   */
  readonly dockerSocket?: OptOut;
  /**
   * Permission: an executable writable path (`WritablePath.executable`, drops `noexec`).
   * @default - refused
   */
  readonly executableTmpfs?: OptOut;
  /**
   * Permission: a writable volume or writable path (tmpfs) at a system directory of the container (`/`, `/etc`,
   * `/usr`, `/bin`, `/sbin`, `/lib*`, `/dev`, `/proc`, `/sys`, `/boot`, `/var/lib/docker`) or a directory above one,
   * replacing what the image has there. CIS 5.6 (target side).
   * @default - refused
   */
  readonly mountOverSystemDirs?: OptOut;
}
