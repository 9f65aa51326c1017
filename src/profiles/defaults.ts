/**
 * The defaults HardenedContainer (and so SecureService) applies where a prop is not given.
 * A profile carries them; an organisation's profile changes only what it names.
 */
export interface ContainerDefaults {
  /**
   * Memory limit in MiB (swap is set equal: no swap).
   * @default 256
   */
  readonly memoryMb?: number;
  /**
   * CPU limit in CPUs (0.5 = half a CPU), applied through cpu_period/cpu_quota.
   * @default 0.5
   */
  readonly cpuLimit?: number;
  /**
   * CPU shares (relative weight under contention).
   * @default 512
   */
  readonly cpuShares?: number;
  /**
   * Process limit: the `nproc` ulimit (a stand-in for the PIDs limit provider 3.6.2 cannot set).
   * @default 256
   */
  readonly maxProcesses?: number;
  /**
   * Open files limit: the `nofile` ulimit.
   * @default 1024
   */
  readonly maxOpenFiles?: number;
  /**
   * Size of the `/tmp` tmpfs and of each writable path, in MiB.
   * @default 64
   */
  readonly tmpfsSizeMb?: number;
  /**
   * Log rotation: max size of one json-file log (`10m`).
   * @default '10m'
   */
  readonly logMaxSize?: string;
  /**
   * Log rotation: number of files kept.
   * @default 3
   */
  readonly logMaxFiles?: number;
  /**
   * The user the container runs as (numeric UID:GID).
   * @default '10001:10001'
   */
  readonly user?: string;
  /**
   * Restart retries on failure (at most 5: CIS 5.15).
   * @default 3
   */
  readonly maxRestartRetries?: number;
  /**
   * Host interface published ports bind to.
   * @default '127.0.0.1'
   */
  readonly hostIp?: string;
  /**
   * Capabilities a container may add without an opt-out (names without CAP_, upper case).
   * @default ['NET_BIND_SERVICE', 'CHOWN', 'SETUID', 'SETGID', 'DAC_OVERRIDE', 'FOWNER', 'KILL']
   */
  readonly allowedCapabilities?: string[];
}

/** The built-in defaults (the `hardened` profile's). */
export const HARDENED_DEFAULTS: Required<ContainerDefaults> = {
  memoryMb: 256,
  cpuLimit: 0.5,
  cpuShares: 512,
  maxProcesses: 256,
  maxOpenFiles: 1024,
  tmpfsSizeMb: 64,
  logMaxSize: '10m',
  logMaxFiles: 3,
  user: '10001:10001',
  maxRestartRetries: 3,
  hostIp: '127.0.0.1',
  allowedCapabilities: ['NET_BIND_SERVICE', 'CHOWN', 'SETUID', 'SETGID', 'DAC_OVERRIDE', 'FOWNER', 'KILL'],
};
