import { createHash } from 'crypto';
import { isIP } from 'net';
import { Container, ContainerConfig } from '@cdktf/provider-docker/lib/container';
import { Fn, Op, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { Capability, DANGEROUS_CAPABILITIES, isCapability } from './capability';
import {
  HardeningOptOuts, HealthCheck, NetworkAttachment, OptOut, Protocol, PublishedPort, RestartPolicy, VolumeMount,
  WritablePath,
} from './types';
import { MIN_REASON_LENGTH, Suppressions } from '../checks/suppressions';
import { ContainerDefaults } from '../profiles/defaults';
import { Profile, ProfileLevel } from '../profiles/profile';
import { ProfileScope } from '../profiles/scope';
import { builtinRule } from '../rules/catalog';
import { DOCKER_DEFAULT_CAPABILITIES } from '../rules/helpers';
import { SENSITIVE_HOST_PATHS } from '../rules/sensitive-paths';
import { SUPPRESSION_LABEL_PREFIX } from '../spec/terraform-adapter';

/** Props of HardenedContainer. Every prop is optional but `image`; each default is the hardened choice. */
export interface HardenedContainerProps {
  /** Image reference (`registry/name@sha256:...` pins it; a tag works). A token is accepted. */
  readonly image: string;
  /**
   * Container name (Docker's form: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`).
   * @default - derived from the construct path: readable part plus a short hash of the full path (unique, stable)
   */
  readonly name?: string;
  /**
   * Command (exec form).
   * @default - the image's CMD
   */
  readonly command?: string[];
  /**
   * Entrypoint (exec form).
   * @default - the image's ENTRYPOINT
   */
  readonly entrypoint?: string[];
  /**
   * Environment variables.
   * @default - none
   */
  readonly env?: { [key: string]: string };
  /**
   * Working directory (absolute).
   * @default - the image's WORKDIR
   */
  readonly workingDir?: string;
  /**
   * User as a numeric `UID[:GID]`. Names are refused (they resolve through the image's /etc/passwd, which nothing
   * can verify before run); UID 0 needs the `runAsRoot` opt-out.
   * @default - the profile's `user` ('10001:10001')
   */
  readonly user?: string;
  /**
   * Memory limit in MiB (integer, at least 6). `memory_swap` is set equal: no swap.
   * @default - the profile's `memoryMb` (256)
   */
  readonly memoryMb?: number;
  /**
   * Memory plus swap in MiB, with the `swap` opt-out only (at least `memoryMb`).
   * @default - equal to memoryMb (no swap); with the `swap` opt-out, twice memoryMb
   */
  readonly memorySwapMb?: number;
  /**
   * CPU limit in CPUs (0.01 to 256), applied as `cpu_period` 100000 and `cpu_quota` (never `cpus`).
   * @default - the profile's `cpuLimit` (0.5)
   */
  readonly cpuLimit?: number;
  /**
   * CPU shares (2 to 262144).
   * @default - the profile's `cpuShares` (512)
   */
  readonly cpuShares?: number;
  /**
   * Paths that get a tmpfs beside `/tmp` (always there): `rw,noexec,nosuid,nodev,size=<n>m`.
   * @default - only `/tmp`
   */
  readonly writablePaths?: WritablePath[];
  /**
   * Size in MiB of `/tmp` and of each writable path that gives none.
   * @default - the profile's `tmpfsSizeMb` (64)
   */
  readonly tmpfsSizeMb?: number;
  /**
   * Capabilities added back after dropping ALL. Outside the profile's `allowedCapabilities`, or dangerous
   * (ALL, SYS_ADMIN, NET_ADMIN, SYS_PTRACE, ...): needs the `dangerousCapabilities` opt-out.
   * @default - none
   */
  readonly addCapabilities?: Capability[];
  /**
   * Published ports, bound to the profile's `hostIp` (127.0.0.1) unless one is given.
   * @default - none
   */
  readonly ports?: PublishedPort[];
  /**
   * Healthcheck. Without one (and without the `noHealthcheck` opt-out) the checks warn.
   * @default - none
   */
  readonly healthcheck?: HealthCheck;
  /**
   * Restart policy. `ALWAYS` / `UNLESS_STOPPED` need the `unlimitedRestarts` opt-out.
   * @default RestartPolicy.ON_FAILURE
   */
  readonly restartPolicy?: RestartPolicy;
  /**
   * Retries of the on-failure restart policy (0 to 5: CIS 5.15).
   * @default - the profile's `maxRestartRetries` (3)
   */
  readonly maxRestartRetries?: number;
  /**
   * `nproc` ulimit (soft = hard): the stand-in for the PIDs limit provider 3.6.2 cannot set. It counts every
   * process of the UID on the host: give each service its own UID to make it per service.
   * @default - the profile's `maxProcesses` (256)
   */
  readonly maxProcesses?: number;
  /**
   * `nofile` ulimit (soft = hard).
   * @default - the profile's `maxOpenFiles` (1024)
   */
  readonly maxOpenFiles?: number;
  /**
   * A custom seccomp profile as JSON text (inline: provider 3.6.2 cannot read a file; read it yourself with
   * `fs.readFileSync`).
   * @default - Docker's default seccomp profile
   */
  readonly seccompProfileJson?: string;
  /**
   * AppArmor profile name (loaded on the host). `unconfined` needs the `unconfinedAppArmor` opt-out.
   * @default - Docker's default (`docker-default` where AppArmor is enabled)
   */
  readonly appArmorProfile?: string;
  /**
   * SELinux labels for the container (`type:container_t`, `level:s0:c100,c200`; also `user:` and `role:`), written
   * as `label=<value>` security options. They apply where the daemon runs with `selinux-enabled`. `disable` is not
   * offered: it turns the labelling off.
   * @default - none: the daemon's default labels (`container_t` with a random MCS level, on SELinux hosts)
   */
  readonly selinuxLabels?: string[];
  /**
   * Run an init process as PID 1 (reaps zombies, forwards signals).
   * @default true
   */
  readonly init?: boolean;
  /**
   * Maximum size of one json-file log (`<n>k`, `<n>m` or `<n>g`).
   * @default - the profile's `logMaxSize` ('10m')
   */
  readonly logMaxSize?: string;
  /**
   * Number of json-file logs kept.
   * @default - the profile's `logMaxFiles` (3)
   */
  readonly logMaxFiles?: number;
  /**
   * User-defined networks to join (`networks_advanced`).
   * @default - none: Docker's default network
   */
  readonly networks?: NetworkAttachment[];
  /**
   * Network mode (`none`, `bridge`, `container:<name>`, a network name). `host` needs the `hostNetwork` opt-out.
   * @default - not set (Docker's default, bridge)
   */
  readonly networkMode?: string;
  /**
   * Named volumes and host paths, read-only unless said otherwise.
   * @default - none
   */
  readonly volumes?: VolumeMount[];
  /**
   * Labels. Keys starting with `hardened-docker.` are reserved.
   * @default - none (the construct adds its own)
   */
  readonly labels?: { [key: string]: string };
  /**
   * Weakenings of the defaults, each with a reason.
   * @default - none: fully hardened
   */
  readonly optOuts?: HardeningOptOuts;
}

/** Label prefix recording an opt-out and its reason on the container. */
export const OPTOUT_LABEL_PREFIX = 'hardened-docker.optout.';
/** Label holding the digest of the settings provider 3.6.2 ignores on update. */
export const SETTINGS_DIGEST_LABEL = 'hardened-docker.settings-digest';
/** The rule the construct suppresses for the PIDs limit provider 3.6.2 cannot set. */
export const PIDS_LIMIT_RULE = 'pids-limit';

type OptOutName = keyof HardeningOptOuts;

/** An SELinux label option as Docker takes it after `label=`: `user:`, `role:`, `type:` or `level:` and a value. */
const SELINUX_LABEL = /^(user|role|type|level):[A-Za-z0-9_.:,-]+$/;

/** Each opt-out: the rule ids it weakens, and whether it is a switch (does the weakening) or a permission. */
export const OPT_OUT_RULES: { readonly [K in OptOutName]-?: { readonly rules: readonly string[]; readonly kind: 'switch' | 'permission' } } = {
  writableRootFilesystem: { rules: ['read-only-rootfs'], kind: 'switch' },
  runAsRoot: { rules: ['non-root-user'], kind: 'permission' },
  privilegedPorts: { rules: ['no-privileged-host-ports'], kind: 'permission' },
  allInterfaces: { rules: ['ports-bound-to-interface'], kind: 'permission' },
  dangerousCapabilities: { rules: ['no-dangerous-capabilities', 'no-added-capabilities'], kind: 'permission' },
  unconfinedSeccomp: { rules: ['no-unconfined-seccomp'], kind: 'switch' },
  unconfinedAppArmor: { rules: ['apparmor-profile'], kind: 'permission' },
  allowPrivilegeEscalation: { rules: ['no-new-privileges'], kind: 'switch' },
  noHealthcheck: { rules: ['healthcheck'], kind: 'permission' },
  hostNetwork: { rules: ['no-host-network'], kind: 'permission' },
  swap: { rules: ['no-swap'], kind: 'switch' },
  unlimitedRestarts: { rules: ['restart-retries'], kind: 'permission' },
  sensitiveHostMounts: { rules: ['no-sensitive-host-mounts', 'no-sensitive-host-mounts-read-only'], kind: 'permission' },
  dockerSocket: { rules: ['no-docker-socket'], kind: 'permission' },
  executableTmpfs: { rules: ['tmpfs-noexec-nosuid'], kind: 'permission' },
  mountOverSystemDirs: { rules: ['no-mount-over-system-dirs'], kind: 'permission' },
};

/** Host paths no container should bind (the rule's list, CIS 5.6 and more); `/` is handled as itself below. */
const SENSITIVE_HOST_DIRS = SENSITIVE_HOST_PATHS.filter((p) => p !== '/');
/** The container's own system directories (CIS 5.6 list, target side): a writable mount must not replace one. */
const SYSTEM_DIRS = ['/boot', '/dev', '/etc', '/lib', '/proc', '/sys', '/usr'];
const PROTOCOLS: string[] = Object.values(Protocol);
const RESTART_POLICIES: string[] = Object.values(RestartPolicy);
const MIN_MEMORY_MB = 6;
const MAX_CPU = 256;
const CPU_PERIOD = 100000;
const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Token.isUnresolved, with fast answers for the common plain values (it runs ~50 times per container). */
function unresolved(v: unknown): boolean {
  if (v === undefined || v === null || typeof v === 'boolean') return false;
  // Encoded tokens: strings hold "${TfToken[", "#{TfToken[" or "&{TfToken["; numbers are huge negative doubles.
  if (typeof v === 'string') return v.includes('{TfToken[') && Token.isUnresolved(v);
  if (typeof v === 'number') return !(Number.isSafeInteger(v) || (v > -1e15 && v < 1e15)) && Token.isUnresolved(v);
  return Token.isUnresolved(v);
}

/** A number as text, keeping a token a token. */
function numText(n: number): string {
  return unresolved(n) ? Token.asString(n) : String(n);
}

/**
 * A `docker_container` that is secure by default: read-only root with tmpfs for writable paths, every capability
 * dropped, no-new-privileges, memory (no swap), CPU and process limits, a non-root numeric user, ports on
 * 127.0.0.1, bounded restarts, init, rotated logs, and a label that makes a change of the settings provider 3.6.2
 * ignores on update replace the container. Each weakening is a typed opt-out with a reason, recorded on the
 * container and as a suppression. Defaults come from the nearest profile (`ProfileScope`).
 */
export class HardenedContainer extends Construct {
  /** The `docker_container` resource (escape hatch: the checks still see every override). */
  public readonly container: Container;
  /** The container name: as given, or derived from the construct path. */
  public readonly containerName: string;
  /** The digest label's value: sha256 of the canonical JSON of tmpfs, healthcheck, init, cpu_period, cpu_quota. */
  public readonly settingsDigest: string;
  /** The names of the opt-outs in force on this container. */
  public readonly optOutsApplied: string[];

  public constructor(scope: Construct, id: string, props: HardenedContainerProps) {
    super(scope, id);
    const b = new Builder(this, props ?? ({} as HardenedContainerProps));
    const config = b.build();
    this.containerName = config.name;
    this.settingsDigest = b.digest;
    this.optOutsApplied = b.applied.filter((a) => a.name !== undefined).map((a) => a.name as string);
    this.container = new Container(this, 'container', config);
    for (const a of b.applied) {
      for (const ruleId of a.rules) {
        if (builtinRule(ruleId)) Suppressions.add(this, ruleId, a.reason);
      }
    }
  }
}

interface AppliedOptOut {
  /** The opt-out, or none for a suppression the construct itself makes (pids-limit). */
  readonly name?: OptOutName;
  readonly reason: string;
  readonly rules: readonly string[];
}

/** Validates props and builds the ContainerConfig. One per construct. */
class Builder {
  public digest = '';
  public readonly applied: AppliedOptOut[] = [];
  private readonly path: string;
  private readonly d: Required<ContainerDefaults>;
  private readonly optOuts: HardeningOptOuts;
  /** Permission opt-outs something needs (or may need: a token), with the rules the weakening trips. */
  private readonly needed = new Map<OptOutName, Set<string>>();

  constructor(private readonly scope: Construct, private readonly props: HardenedContainerProps) {
    this.path = scope.node.path;
    // ProfileScope.nearest(scope).defaults, without building the built-in profile again for every container.
    const profile = ProfileScope.find(scope);
    this.d = (profile ? profile.defaults : builtinDefaults()) as Required<ContainerDefaults>;
    this.optOuts = props.optOuts ?? {};
  }

  public build(): ContainerConfig & { name: string } {
    const p = this.props;
    this.validateOptOuts();
    if (p.image === undefined || p.image === null || (!unresolved(p.image) && (typeof p.image !== 'string' || p.image.trim() === ''))) {
      this.fail('image', p.image, 'give an image reference such as "nginx:1.27" or "registry/app@sha256:<digest>"');
    }
    const name = this.name();
    const user = this.user();
    const memory = this.memory();
    const cpu = this.cpu();
    const tmpfs = this.tmpfs();
    const capabilities = this.capabilities();
    const securityOpts = this.securityOpts();
    const ports = this.ports();
    const healthcheck = this.healthcheck();
    const restart = this.restart();
    const ulimit = this.ulimits();
    const log = this.logs();
    const net = this.network(ports);
    const volumes = this.volumes();
    const init = this.bool('init', p.init, true);
    const readOnly = !this.optOuts.writableRootFilesystem;
    this.command('command', p.command);
    this.command('entrypoint', p.entrypoint);
    if (p.workingDir !== undefined) this.absolutePath('workingDir', p.workingDir, true);
    const env = this.env();

    // As synthesized (snake_case), so the digest reads like the JSON it covers.
    const ignoredOnUpdate = {
      tmpfs,
      healthcheck: healthcheck ? {
        test: healthcheck.test,
        interval: healthcheck.interval,
        timeout: healthcheck.timeout,
        retries: healthcheck.retries,
        start_period: healthcheck.startPeriod,
      } : null,
      init,
      cpu_period: cpu.period,
      cpu_quota: cpu.quota,
    };
    this.digest = digestOf(ignoredOnUpdate);
    this.checkUnusedOptOuts();
    // RLIMIT_NPROC binds neither root nor a process with CAP_SYS_RESOURCE or CAP_SYS_ADMIN (kernel/fork.c): only then
    // is the nproc ulimit a stand-in for the PIDs limit, and only then does the construct say so.
    const add = capabilities.add;
    const bypass = add !== undefined && (unresolved(add) || add.some((c) => unresolved(c) || ['ALL', 'SYS_ADMIN', 'SYS_RESOURCE'].includes(c)));
    if (user.nonRoot && !bypass && !unresolved(this.props.maxProcesses ?? this.d.maxProcesses)) this.pidsStandIn(user.uid);
    const labels = this.labels();

    const config: ContainerConfig & { name: string } = {
      name,
      image: p.image,
      command: p.command,
      entrypoint: p.entrypoint,
      env,
      workingDir: p.workingDir,
      user: user.value,
      readOnly,
      tmpfs,
      capabilities,
      securityOpts,
      memory: memory.memory,
      memorySwap: memory.swap,
      cpuPeriod: cpu.period,
      cpuQuota: cpu.quota,
      cpuShares: cpu.shares,
      ulimit,
      ports: ports.length ? ports : undefined,
      restart: restart.restart,
      maxRetryCount: restart.maxRetryCount,
      healthcheck,
      init,
      logDriver: 'json-file',
      logOpts: log,
      networkMode: net.networkMode,
      networksAdvanced: net.networksAdvanced,
      volumes: volumes.length ? volumes : undefined,
      labels,
    };
    return config;
  }

  // ---------------------------------------------------------------- errors

  private fail(prop: string, value: unknown, validForm: string, problem?: string): never {
    throw new Error(`[${this.path}] HardenedContainer ${prop}: ${show(value)} ${problem ?? 'is not valid'}. Valid: ${validForm}.`);
  }

  private int(prop: string, v: number | undefined, min: number, max: number, validForm: string): void {
    if (v === undefined || unresolved(v)) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) this.fail(prop, v, validForm);
  }

  private bool(prop: string, v: boolean | undefined, dflt: boolean): boolean {
    if (v === undefined) return dflt;
    if (unresolved(v)) return v;
    if (typeof v !== 'boolean') this.fail(prop, v, 'true or false');
    return v;
  }

  // ---------------------------------------------------------------- opt-outs

  private validateOptOuts(): void {
    const o = this.optOuts as any;
    if (o === null || typeof o !== 'object' || Array.isArray(o)) this.fail('optOuts', o, 'an object of opt-outs, each { reason }');
    for (const key of Object.keys(o)) {
      if (o[key] === undefined) continue;
      if (!(key in OPT_OUT_RULES)) {
        this.fail(`optOuts.${key}`, key, `one of ${Object.keys(OPT_OUT_RULES).join(', ')}`, 'is not an opt-out');
      }
      const reason = o[key]?.reason;
      if (typeof reason !== 'string' || reason.trim().length < MIN_REASON_LENGTH) {
        this.fail(`optOuts.${key}.reason`, reason, `a reason of at least ${MIN_REASON_LENGTH} characters saying why this weakening is acceptable here`);
      }
      const name = key as OptOutName;
      const spec = OPT_OUT_RULES[name];
      if (spec.kind === 'switch') this.applied.push({ name, reason: reason.trim(), rules: spec.rules });
    }
  }

  /** Requires a permission opt-out for a value; records it as needed, with the rules it suppresses (default: all of its rules). */
  private require(name: OptOutName, prop: string, value: unknown, why: string, rules: readonly string[] = OPT_OUT_RULES[name].rules): void {
    this.need(name, rules);
    if (!this.optOuts[name]) {
      this.fail(prop, value, `${why}; if this container really needs it, add \`optOuts: { ${name}: { reason: '<why, 10+ characters>' } }\``,
        rules.length ? `needs an opt-out (it fails ${rules.length > 1 ? 'rules' : 'rule'} ${rules.map(describeRule).join(', ')})` : 'needs an opt-out');
    }
  }

  /** A token might need a permission opt-out: accept the opt-out as used (suppressing every rule it covers). */
  private mayNeed(name: OptOutName): void {
    this.need(name, OPT_OUT_RULES[name].rules);
  }

  private need(name: OptOutName, rules: readonly string[]): void {
    const set = this.needed.get(name) ?? new Set<string>();
    for (const r of rules) set.add(r);
    this.needed.set(name, set);
  }

  private checkUnusedOptOuts(): void {
    for (const [key, value] of Object.entries(this.optOuts)) {
      if (value === undefined) continue;
      const name = key as OptOutName;
      const spec = OPT_OUT_RULES[name];
      if (spec.kind !== 'permission') continue;
      if (!this.needed.has(name)) {
        this.fail(`optOuts.${name}`, (value as OptOut).reason,
          'remove it (an unneeded opt-out would record a suppression that hides a later change)',
          'is given but nothing in the props needs it');
      }
      const rules = this.needed.get(name)!;
      this.applied.push({ name, reason: (value as OptOut).reason.trim(), rules: spec.rules.filter((r) => rules.has(r)) });
    }
  }

  private pidsStandIn(uid: string): void {
    const n = numText(this.props.maxProcesses ?? this.d.maxProcesses);
    // One string per (limit, UID): thousands of containers share it instead of each holding a copy.
    const key = `${n}|${uid}`;
    let reason = PIDS_REASONS.get(key);
    if (reason === undefined) {
      reason = `provider kreuzwerker/docker 3.6.2 has no pids_limit, so CIS 5.29 cannot be set through Terraform; stand-in: nproc ulimit ${n} for UID ${uid}, `
        + `which caps that UID's processes host-wide (shared with every container running as UID ${uid}: give each service its own UID to make it per service)`;
      if (PIDS_REASONS.size > 1000) PIDS_REASONS.clear();
      PIDS_REASONS.set(key, reason);
    }
    this.applied.push({ reason, rules: [PIDS_LIMIT_RULE] });
  }

  // ---------------------------------------------------------------- fields

  private name(): string {
    const n = this.props.name;
    if (n === undefined) return derivedName(this.scope);
    if (unresolved(n)) return n;
    if (typeof n !== 'string' || !NAME_PATTERN.test(n) || n.length > 255) {
      this.fail('name', n, 'Docker\'s container name form [a-zA-Z0-9][a-zA-Z0-9_.-]+ (2 to 255 characters), or leave it out to derive one from the construct path');
    }
    return n;
  }

  private user(): { value: string; nonRoot: boolean; uid: string } {
    const u = this.props.user ?? this.d.user;
    if (unresolved(u)) {
      this.mayNeed('runAsRoot');
      return { value: u, nonRoot: false, uid: u };
    }
    const m = typeof u === 'string' ? /^(\d+)(?::(\d+))?$/.exec(u) : null;
    if (!m) {
      const root = typeof u === 'string' && /^root(:|$)/.test(u);
      this.fail('user', u, root
        ? 'a numeric UID[:GID] such as "10001:10001"; to run as root, "0:0" with the runAsRoot opt-out'
        : 'a numeric UID[:GID] such as "10001:10001" (a user name resolves through the image\'s /etc/passwd, which cannot be checked before run and may be root): look the UID up with `docker run --rm <image> id <name>`');
    }
    const uid = Number(m[1]);
    const gid = m[2] === undefined ? undefined : Number(m[2]);
    if (uid > 4294967294 || (gid !== undefined && gid > 4294967294)) this.fail('user', u, 'UID and GID from 0 to 4294967294');
    if (uid === 0) {
      this.require('runAsRoot', 'user', u, 'a non-root UID such as "10001:10001"');
      return { value: u, nonRoot: false, uid: m[1] };
    }
    return { value: u, nonRoot: true, uid: m[1] };
  }

  private memory(): { memory: number; swap: number } {
    const mem = this.props.memoryMb ?? this.d.memoryMb;
    this.int('memoryMb', mem, MIN_MEMORY_MB, Number.MAX_SAFE_INTEGER, `an integer number of MiB, at least ${MIN_MEMORY_MB} (Docker's minimum), e.g. 256`);
    const swapMb = this.props.memorySwapMb;
    if (!this.optOuts.swap) {
      if (swapMb !== undefined) {
        this.fail('memorySwapMb', swapMb, 'leave it out (no swap: memory_swap equals memory), or add the swap opt-out with a reason', 'allows swap');
      }
      return { memory: mem, swap: mem };
    }
    if (swapMb === undefined) return { memory: mem, swap: unresolved(mem) ? Token.asNumber(Fn.sum([mem, mem])) : mem * 2 };
    this.int('memorySwapMb', swapMb, MIN_MEMORY_MB, Number.MAX_SAFE_INTEGER, 'an integer number of MiB, at least memoryMb');
    if (!unresolved(swapMb) && !unresolved(mem) && swapMb < mem) this.fail('memorySwapMb', swapMb, `at least memoryMb (${mem})`);
    return { memory: mem, swap: swapMb };
  }

  private cpu(): { period: number; quota: number; shares: number } {
    const limit = this.props.cpuLimit ?? this.d.cpuLimit;
    const shares = this.props.cpuShares ?? this.d.cpuShares;
    let quota: number;
    if (unresolved(limit)) {
      quota = Fn.floor(Token.asNumber(Op.mul(limit, CPU_PERIOD)));
    } else {
      if (typeof limit !== 'number' || !Number.isFinite(limit) || limit < 0.01 || limit > MAX_CPU) {
        this.fail('cpuLimit', limit, `a number of CPUs from 0.01 to ${MAX_CPU}, e.g. 0.5 (half a CPU)`);
      }
      quota = Math.round(limit * CPU_PERIOD);
    }
    this.int('cpuShares', shares, 2, 262144, 'an integer from 2 to 262144 (1024 is one full share)');
    return { period: CPU_PERIOD, quota, shares };
  }

  private tmpfs(): { [path: string]: string } {
    const size = this.props.tmpfsSizeMb ?? this.d.tmpfsSizeMb;
    this.int('tmpfsSizeMb', size, 1, Number.MAX_SAFE_INTEGER, 'an integer number of MiB, at least 1');
    const out: { [path: string]: string } = { '/tmp': `rw,noexec,nosuid,nodev,size=${numText(size)}m` };
    const paths = this.props.writablePaths ?? [];
    if (unresolved(paths) || !Array.isArray(paths)) this.fail('writablePaths', paths, 'a list of { path, sizeMb?, mode?, executable? }');
    paths.forEach((w, i) => {
      const prop = `writablePaths[${i}]`;
      if (w === null || typeof w !== 'object') this.fail(prop, w, '{ path, sizeMb?, mode?, executable? }');
      this.absolutePath(`${prop}.path`, w.path, false);
      if (!unresolved(w.path) && w.path.replace(/\/+$/, '') in out) this.fail(`${prop}.path`, w.path, 'each path once (/tmp is always writable)', 'is given twice');
      this.int(`${prop}.sizeMb`, w.sizeMb, 1, Number.MAX_SAFE_INTEGER, 'an integer number of MiB, at least 1');
      this.int(`${prop}.mode`, w.mode, 0, 0o7777, 'mode bits as a number from 0 to 0o7777, e.g. 0o1777');
      const exec = this.bool(`${prop}.executable`, w.executable, false);
      if (exec === true) this.require('executableTmpfs', `${prop}.executable`, true, 'noexec writable paths (run code from the read-only image)');
      else if (exec !== false) this.mayNeed('executableTmpfs');
      let opts = `rw,${exec === true ? 'exec' : 'noexec'},nosuid,nodev,size=${numText(w.sizeMb ?? size)}m`;
      if (w.mode !== undefined) opts += `,mode=${unresolved(w.mode) ? Token.asString(w.mode) : w.mode.toString(8)}`;
      out[unresolved(w.path) ? w.path : w.path.replace(/\/+$/, '')] = opts;
    });
    return out;
  }

  private absolutePath(prop: string, v: string, allowRoot: boolean): void {
    if (unresolved(v)) return;
    if (typeof v !== 'string' || !v.startsWith('/') || v.split('/').includes('..') || /[\0\n,]/.test(v)
      || (!allowRoot && v.replace(/\/+$/, '') === '')) {
      this.fail(prop, v, `an absolute path without ".."${allowRoot ? '' : ', not "/"'}, e.g. "/var/cache/app"`);
    }
  }

  private capabilities(): { drop: string[]; add?: string[] } {
    const caps = this.props.addCapabilities ?? [];
    if (unresolved(caps)) {
      this.mayNeed('dangerousCapabilities');
      return { drop: ['ALL'], add: caps as any };
    }
    if (!Array.isArray(caps)) this.fail('addCapabilities', caps, 'a list of Capability values');
    if (caps.length === 0) return { drop: ['ALL'] };
    const allowed = new Set(this.d.allowedCapabilities.map((c) => c.toUpperCase().replace(/^CAP_/, '')));
    const add: string[] = [];
    for (const c of caps) {
      if (unresolved(c)) {
        this.mayNeed('dangerousCapabilities');
      } else {
        if (!isCapability(c)) {
          this.fail('addCapabilities', c, `a Capability: ${Object.values(Capability).join(', ')}`, 'is not a Linux capability name');
        }
        const dangerous = DANGEROUS_CAPABILITIES.includes(c);
        if (dangerous || !allowed.has(c)) {
          const rules = [
            ...(dangerous ? ['no-dangerous-capabilities'] : []),
            ...(!DOCKER_DEFAULT_CAPABILITIES.includes(c) ? ['no-added-capabilities'] : []),
          ];
          this.require('dangerousCapabilities', 'addCapabilities', c,
            `capabilities the profile allows (${[...allowed].join(', ')}); ${c} ${dangerous ? 'is dangerous' : 'is outside the profile\'s allowedCapabilities'}`, rules);
        }
      }
      if (!add.includes(c)) add.push(c);
    }
    return add.length ? { drop: ['ALL'], add } : { drop: ['ALL'] };
  }

  private securityOpts(): string[] {
    const p = this.props;
    const out: string[] = [];
    if (!this.optOuts.allowPrivilegeEscalation) out.push('no-new-privileges:true');
    if (p.seccompProfileJson !== undefined) {
      if (this.optOuts.unconfinedSeccomp) {
        this.fail('seccompProfileJson', '<json>', 'either a seccomp profile or the unconfinedSeccomp opt-out, not both', 'conflicts with the unconfinedSeccomp opt-out');
      }
      if (unresolved(p.seccompProfileJson)) {
        out.push(`seccomp=${p.seccompProfileJson}`);
      } else {
        let parsed: any;
        try {
          parsed = JSON.parse(p.seccompProfileJson);
        } catch (e: any) {
          this.fail('seccompProfileJson', abbreviate(p.seccompProfileJson), 'a seccomp profile as JSON text ({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [...]}), e.g. fs.readFileSync(file, "utf8")', `is not JSON (${e.message})`);
        }
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || typeof parsed.defaultAction !== 'string') {
          this.fail('seccompProfileJson', abbreviate(p.seccompProfileJson), 'a JSON object with a "defaultAction" (a Docker seccomp profile)');
        }
        out.push(`seccomp=${JSON.stringify(parsed)}`);
      }
    } else if (this.optOuts.unconfinedSeccomp) {
      out.push('seccomp=unconfined');
    }
    const aa = p.appArmorProfile;
    if (aa !== undefined) {
      if (unresolved(aa)) {
        this.mayNeed('unconfinedAppArmor');
      } else {
        if (typeof aa !== 'string' || !/^[A-Za-z0-9_./-]+$/.test(aa)) this.fail('appArmorProfile', aa, 'the name of an AppArmor profile loaded on the host, e.g. "docker-default"');
        if (aa === 'unconfined') this.require('unconfinedAppArmor', 'appArmorProfile', aa, 'a confining AppArmor profile such as "docker-default"');
      }
      out.push(`apparmor=${aa}`);
    }
    const labels = p.selinuxLabels;
    if (labels !== undefined) {
      if (unresolved(labels) || !Array.isArray(labels)) {
        this.fail('selinuxLabels', labels, 'a list of SELinux labels, e.g. ["type:container_t", "level:s0:c100,c200"] (an item may be a token)');
      }
      labels.forEach((label, i) => {
        if (!unresolved(label) && (typeof label !== 'string' || !SELINUX_LABEL.test(label))) {
          this.fail(`selinuxLabels[${i}]`, label, '"user:<user>", "role:<role>", "type:<type>" or "level:<level>", e.g. "type:container_t" or "level:s0:c100,c200"'
            + (typeof label === 'string' && label.trim().toLowerCase() === 'disable' ? ' ("disable" turns SELinux labelling off and is not offered: leave selinuxLabels unset for the daemon\'s default labels)' : ''));
        }
        out.push(`label=${label}`);
      });
    }
    return out;
  }

  private ports(): { internal: number; external?: number; ip: string; protocol: string }[] {
    const ports = this.props.ports ?? [];
    if (unresolved(ports) || !Array.isArray(ports)) this.fail('ports', ports, 'a list of { internal, external?, hostIp?, protocol? }');
    const seen = new Set<string>();
    return ports.map((port, i) => {
      const prop = `ports[${i}]`;
      if (port === null || typeof port !== 'object') this.fail(prop, port, '{ internal, external?, hostIp?, protocol? }');
      this.int(`${prop}.internal`, port.internal, 1, 65535, 'a port number from 1 to 65535');
      if (port.internal === undefined) this.fail(`${prop}.internal`, port.internal, 'a port number from 1 to 65535');
      this.int(`${prop}.external`, port.external, 1, 65535, 'a port number from 1 to 65535, or none for a random host port');
      if (port.external !== undefined) {
        if (unresolved(port.external)) this.mayNeed('privilegedPorts');
        else if (port.external < 1025) this.require('privilegedPorts', `${prop}.external`, port.external, 'a host port from 1025 to 65535 (or none: a random one)');
      }
      const ip = port.hostIp ?? this.d.hostIp;
      if (unresolved(ip)) {
        this.mayNeed('allInterfaces');
      } else {
        if (typeof ip !== 'string' || isIP(ip) === 0) this.fail(`${prop}.hostIp`, ip, 'an IP address of a host interface, e.g. "127.0.0.1"');
        if (ip === '0.0.0.0' || /^[:0]+$/.test(ip)) {
          this.require('allInterfaces', `${prop}.hostIp`, ip, 'a specific host interface such as "127.0.0.1"');
        }
      }
      const protocol = port.protocol ?? Protocol.TCP;
      if (!unresolved(protocol) && !PROTOCOLS.includes(protocol)) {
        this.fail(`${prop}.protocol`, protocol, `one of ${Object.values(Protocol).join(', ')}`);
      }
      if (port.external !== undefined && !unresolved(port.external) && !unresolved(ip)) {
        const key = `${ip}:${port.external}/${protocol}`;
        if (seen.has(key)) this.fail(`${prop}.external`, port.external, 'each host ip:port/protocol once', 'is published twice');
        seen.add(key);
      }
      const out: { internal: number; external?: number; ip: string; protocol: string } = { internal: port.internal, ip, protocol };
      if (port.external !== undefined) out.external = port.external;
      return out;
    });
  }

  private healthcheck(): { test: string[]; interval: string; timeout: string; retries: number; startPeriod: string } | undefined {
    const hc = this.props.healthcheck;
    if (hc === undefined) {
      if (this.optOuts.noHealthcheck) this.need('noHealthcheck', OPT_OUT_RULES.noHealthcheck.rules);
      return undefined;
    }
    if (this.optOuts.noHealthcheck) {
      this.fail('optOuts.noHealthcheck', this.optOuts.noHealthcheck.reason, 'remove the opt-out, or the healthcheck', 'contradicts the healthcheck given');
    }
    if (hc === null || typeof hc !== 'object') this.fail('healthcheck', hc, '{ command: string[], intervalSeconds?, timeoutSeconds?, retries?, startPeriodSeconds? }');
    const cmd = hc.command;
    if (!unresolved(cmd)) {
      if (!Array.isArray(cmd) || cmd.length === 0 || cmd.some((c) => typeof c !== 'string')) {
        this.fail('healthcheck.command', cmd, 'a non-empty list of strings (exec form), e.g. ["wget", "-q", "-O-", "http://127.0.0.1:8080/"]');
      }
      if (['CMD', 'CMD-SHELL', 'NONE'].includes(cmd[0])) {
        this.fail('healthcheck.command', cmd, `the command alone, without "${cmd[0]}" (HardenedContainer adds "CMD"); for a shell: ["sh", "-c", "..."]`);
      }
    }
    this.int('healthcheck.intervalSeconds', hc.intervalSeconds, 1, 86400, 'whole seconds from 1 to 86400');
    this.int('healthcheck.timeoutSeconds', hc.timeoutSeconds, 1, 86400, 'whole seconds from 1 to 86400');
    this.int('healthcheck.retries', hc.retries, 1, 100, 'an integer from 1 to 100');
    this.int('healthcheck.startPeriodSeconds', hc.startPeriodSeconds, 0, 86400, 'whole seconds from 0 to 86400');
    const test = unresolved(cmd) ? Token.asList(Fn.concat([['CMD'], cmd])) : ['CMD', ...cmd];
    return {
      test,
      interval: `${numText(hc.intervalSeconds ?? 30)}s`,
      timeout: `${numText(hc.timeoutSeconds ?? 5)}s`,
      retries: hc.retries ?? 3,
      startPeriod: `${numText(hc.startPeriodSeconds ?? 0)}s`,
    };
  }

  private restart(): { restart: string; maxRetryCount?: number } {
    const policy = this.props.restartPolicy ?? RestartPolicy.ON_FAILURE;
    const retries = this.props.maxRestartRetries ?? this.d.maxRestartRetries;
    this.int('maxRestartRetries', retries, 0, 5, 'an integer from 0 to 5 (CIS 5.15)');
    if (unresolved(policy)) {
      this.mayNeed('unlimitedRestarts');
      return { restart: policy, maxRetryCount: retries };
    }
    if (!RESTART_POLICIES.includes(policy)) this.fail('restartPolicy', policy, `one of ${Object.values(RestartPolicy).join(', ')}`);
    if (policy === RestartPolicy.ALWAYS || policy === RestartPolicy.UNLESS_STOPPED) {
      this.require('unlimitedRestarts', 'restartPolicy', policy, 'RestartPolicy.ON_FAILURE with at most 5 retries (CIS 5.15)');
    }
    if (this.props.maxRestartRetries !== undefined && policy !== RestartPolicy.ON_FAILURE) {
      this.fail('maxRestartRetries', this.props.maxRestartRetries, 'only with RestartPolicy.ON_FAILURE', `has no effect with restart policy ${policy}`);
    }
    return policy === RestartPolicy.ON_FAILURE ? { restart: policy, maxRetryCount: retries } : { restart: policy };
  }

  private ulimits(): { name: string; soft: number; hard: number }[] {
    const nproc = this.props.maxProcesses ?? this.d.maxProcesses;
    const nofile = this.props.maxOpenFiles ?? this.d.maxOpenFiles;
    this.int('maxProcesses', nproc, 1, 4194304, 'an integer from 1 to 4194304 (the nproc ulimit)');
    this.int('maxOpenFiles', nofile, 1, 1048576, 'an integer from 1 to 1048576 (the nofile ulimit)');
    return [
      { name: 'nofile', soft: nofile, hard: nofile },
      { name: 'nproc', soft: nproc, hard: nproc },
    ];
  }

  private logs(): { [key: string]: string } {
    const size = this.props.logMaxSize ?? this.d.logMaxSize;
    const files = this.props.logMaxFiles ?? this.d.logMaxFiles;
    if (!unresolved(size) && (typeof size !== 'string' || !/^[1-9]\d*[kmg]$/.test(size))) {
      this.fail('logMaxSize', size, 'a size like "10m": digits then k, m or g');
    }
    this.int('logMaxFiles', files, 1, 1000, 'an integer from 1 to 1000');
    return { 'max-size': size, 'max-file': numText(files) };
  }

  private network(ports: unknown[]): { networkMode?: string; networksAdvanced?: { name: string; aliases?: string[] }[] } {
    const mode = this.props.networkMode;
    const networks = this.props.networks;
    if (mode !== undefined) {
      if (unresolved(mode)) {
        this.mayNeed('hostNetwork');
      } else {
        if (typeof mode !== 'string' || !/^[a-zA-Z0-9][a-zA-Z0-9_.:-]*$/.test(mode)) {
          this.fail('networkMode', mode, '"none", "bridge", "container:<name>" or a network name');
        }
        if (mode === 'host') this.require('hostNetwork', 'networkMode', mode, 'a user-defined network (`networks`), "bridge" or "none"');
        if ((mode === 'none' || mode === 'host') && ports.length) {
          this.fail('networkMode', mode, 'no ports with network mode none or host (or another network mode)', 'cannot publish ports');
        }
        if ((mode === 'none' || mode === 'host') && networks?.length) {
          this.fail('networkMode', mode, 'either networkMode none/host or networks, not both', 'conflicts with networks');
        }
      }
    }
    if (networks === undefined) return { networkMode: mode };
    if (unresolved(networks) || !Array.isArray(networks)) this.fail('networks', networks, 'a list of { name, aliases? }');
    const seen = new Set<string>();
    const adv = networks.map((n, i) => {
      if (n === null || typeof n !== 'object' || (!unresolved(n.name) && (typeof n.name !== 'string' || n.name.trim() === ''))) {
        this.fail(`networks[${i}]`, n, '{ name: "<network name>", aliases?: ["<alias>"] }');
      }
      if (!unresolved(n.name)) {
        if (seen.has(n.name)) this.fail(`networks[${i}].name`, n.name, 'each network once', 'is given twice');
        seen.add(n.name);
      }
      if (n.aliases !== undefined && !unresolved(n.aliases) && (!Array.isArray(n.aliases) || n.aliases.some((a) => typeof a !== 'string' || a === ''))) {
        this.fail(`networks[${i}].aliases`, n.aliases, 'a list of non-empty strings');
      }
      return n.aliases ? { name: n.name, aliases: n.aliases } : { name: n.name };
    });
    return { networkMode: mode, networksAdvanced: adv.length ? adv : undefined };
  }

  private volumes(): { containerPath: string; volumeName?: string; hostPath?: string; readOnly: boolean }[] {
    const vols = this.props.volumes ?? [];
    if (unresolved(vols) || !Array.isArray(vols)) this.fail('volumes', vols, 'a list of { containerPath, volumeName | hostPath, readOnly? }');
    return vols.map((v, i) => {
      const prop = `volumes[${i}]`;
      if (v === null || typeof v !== 'object') this.fail(prop, v, '{ containerPath, volumeName | hostPath, readOnly? }');
      this.absolutePath(`${prop}.containerPath`, v.containerPath, false);
      if ((v.volumeName === undefined) === (v.hostPath === undefined)) {
        this.fail(prop, v, 'exactly one of volumeName and hostPath');
      }
      const readOnly = this.bool(`${prop}.readOnly`, v.readOnly, true);
      if (!unresolved(v.containerPath) && SYSTEM_DIRS.includes(v.containerPath.replace(/\/+$/, ''))) {
        if (unresolved(readOnly)) {
          this.mayNeed('mountOverSystemDirs');
        } else if (!readOnly) {
          this.require('mountOverSystemDirs', `${prop}.containerPath`, v.containerPath,
            'a directory of its own (e.g. "/etc/app", not "/etc"), or readOnly: true');
        }
      }
      if (v.volumeName !== undefined && !unresolved(v.volumeName) && (typeof v.volumeName !== 'string' || !NAME_PATTERN.test(v.volumeName))) {
        this.fail(`${prop}.volumeName`, v.volumeName, 'a volume name [a-zA-Z0-9][a-zA-Z0-9_.-]+');
      }
      if (v.hostPath !== undefined) {
        if (unresolved(v.hostPath)) {
          this.mayNeed('dockerSocket');
          this.mayNeed('sensitiveHostMounts');
        } else {
          this.absolutePath(`${prop}.hostPath`, v.hostPath, true);
          const hp = v.hostPath.replace(/\/+$/, '') || '/';
          if (hp.includes('docker.sock')) {
            this.require('dockerSocket', `${prop}.hostPath`, v.hostPath, 'no Docker socket in a container (it gives full control of the engine, root on the host), read-only or not');
          }
          const sensitive = hp === '/' || SENSITIVE_HOST_DIRS.some((d) => hp === d || hp.startsWith(d + '/'));
          if (sensitive) {
            if (unresolved(readOnly)) {
              this.mayNeed('sensitiveHostMounts');
            } else {
              this.require('sensitiveHostMounts', `${prop}.hostPath`, v.hostPath,
                `a host path outside ${['/', ...SENSITIVE_HOST_DIRS].join(', ')} (a sensitive host directory discloses the host even read-only; copy the one file needed into the image)`,
                [readOnly ? 'no-sensitive-host-mounts-read-only' : 'no-sensitive-host-mounts']);
            }
          }
        }
      }
      const out: { containerPath: string; volumeName?: string; hostPath?: string; readOnly: boolean } = { containerPath: v.containerPath, readOnly };
      if (v.volumeName !== undefined) out.volumeName = v.volumeName;
      if (v.hostPath !== undefined) out.hostPath = v.hostPath;
      return out;
    });
  }

  private command(prop: string, v: string[] | undefined): void {
    if (v === undefined || unresolved(v)) return;
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) this.fail(prop, v, 'a list of strings (exec form), e.g. ["httpd", "-f", "-p", "8080"]');
  }

  private env(): string[] | undefined {
    const env = this.props.env;
    if (env === undefined) return undefined;
    if (unresolved(env) || env === null || typeof env !== 'object' || Array.isArray(env)) this.fail('env', env, 'an object of NAME: value strings');
    return Object.entries(env).map(([k, v]) => {
      if (k === '' || /[=\0]/.test(k)) this.fail('env', k, 'variable names without "=" or NUL', 'is not a valid variable name');
      if (typeof v !== 'string') this.fail(`env.${k}`, v, 'a string (a token is fine)');
      return `${k}=${v}`;
    });
  }

  private labels(): { label: string; value: string }[] {
    const out = new Map<string, string>();
    const user = this.props.labels ?? {};
    if (unresolved(user) || user === null || typeof user !== 'object' || Array.isArray(user)) this.fail('labels', user, 'an object of key: value strings');
    for (const [k, v] of Object.entries(user)) {
      if (k.startsWith('hardened-docker.')) this.fail('labels', k, 'a key outside the reserved "hardened-docker." prefix (opt-outs record themselves)', 'uses a reserved prefix');
      if (k === '') this.fail('labels', k, 'a non-empty key');
      if (typeof v !== 'string') this.fail(`labels.${k}`, v, 'a string');
      out.set(k, v);
    }
    out.set(SETTINGS_DIGEST_LABEL, this.digest);
    for (const a of this.applied) {
      if (a.name) out.set(OPTOUT_LABEL_PREFIX + a.name, a.reason);
      for (const ruleId of a.rules) {
        const key = SUPPRESSION_LABEL_PREFIX + ruleId;
        const prev = out.get(key);
        out.set(key, prev && prev !== a.reason ? `${prev}; ${a.reason}` : a.reason);
      }
    }
    return [...out.keys()].sort().map((label) => ({ label, value: out.get(label)! }));
  }
}

/** `non-root-user (CIS 4.1)` */
function describeRule(id: string): string {
  const cis = builtinRule(id)?.metadata.cis ?? [];
  return cis.length ? `${id} (CIS ${cis.join(', ')})` : id;
}

let cachedBuiltinDefaults: ContainerDefaults | undefined;
/** The defaults of the profile `ProfileScope.nearest` falls back to (the built-in hardened one). */
function builtinDefaults(): ContainerDefaults {
  cachedBuiltinDefaults ??= Profile.named(ProfileLevel.HARDENED).defaults;
  return cachedBuiltinDefaults;
}

/** A readable, unique, stable container name from the construct path. */
function derivedName(scope: Construct): string {
  const scopes = scope.node.scopes;
  let start = 1;
  for (let i = scopes.length - 1; i >= 0; i--) {
    if (TerraformStack.isStack(scopes[i])) {
      start = i + 1;
      break;
    }
  }
  const readable = scopes.slice(start).map((s) => s.node.id).join('-')
    .replace(/[^a-zA-Z0-9_.-]+/g, '-').replace(/^[^a-zA-Z0-9]+/, '').slice(0, 54).replace(/[-_.]+$/, '');
  const hash = createHash('sha256').update(scope.node.path).digest('hex').slice(0, 8);
  return readable ? `${readable}-${hash}` : `c-${hash}`;
}

/** sha256 of the canonical JSON (sorted keys) of a value; a Terraform expression when a token is inside. */
export function digestOf(value: unknown): string {
  const text = canonicalJson(value);
  if (unresolved(text)) return Fn.sha256(Fn.jsonencode(value));
  let digest = DIGESTS.get(text);
  if (digest === undefined) {
    digest = 'sha256:' + createHash('sha256').update(text).digest('hex');
    if (DIGESTS.size > 1000) DIGESTS.clear();
    DIGESTS.set(text, digest);
  }
  return digest;
}

/** Containers of an app mostly share these settings: hash each distinct text once. */
const DIGESTS = new Map<string, string>();
/** The pids-limit stand-in reason per (nproc, UID). */
const PIDS_REASONS = new Map<string, string>();

/** JSON with object keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as object).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function abbreviate(s: string): string {
  return typeof s === 'string' && s.length > 60 ? s.slice(0, 57) + '...' : s;
}
