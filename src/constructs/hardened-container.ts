import { Container, ContainerConfig } from '@cdktf/provider-docker/lib/container';
import { Annotations, Token } from 'cdktf';
import { Construct } from 'constructs';
import { Capability } from './capability';
import { HardeningContext } from './core/context';
import { CPU_PERIOD } from './core/limits';
import { derivedName, digestOf } from './core/naming';
import { AppliedOptOut } from './core/opt-out-ledger';
import { portSettings, PortSettings } from './core/ports';
import { numText, unresolved } from './core/prop-check';
import { hardenedSettings, hardeningContext, HardenedSettings } from './core/settings';
import { claimHostPort, claimName } from './core/uniqueness';
import { HardeningOptOuts, HealthCheck, NetworkAttachment, PublishedPort, RestartPolicy, VolumeMount, WritablePath } from './types';
import { Suppressions } from '../checks/suppressions';
import { ContainerDefaults } from '../profiles/defaults';
import { Profile, ProfileLevel } from '../profiles/profile';
import { ProfileScope } from '../profiles/scope';
import { builtinRule } from '../rules/catalog';
import { NPROC_BYPASSING_CAPABILITIES, UNCONFINED_SYSTEM_PATHS_OPTION } from '../spec/docker-facts';
import { OPTOUT_LABEL_PREFIX, SETTINGS_DIGEST_LABEL, SUPPRESSION_LABEL_PREFIX } from '../spec/labels';

export { OPT_OUT_RULES } from './core/opt-out-ledger';
export { canonicalJson, digestOf } from './core/naming';

/** Props of HardenedContainer. Every prop is optional but `image`; each default is the hardened choice. */
export interface HardenedContainerProps {
  /**
   * Image reference as Docker parses it (`[registry[:port]/]name[:tag][@sha256:<64 hex>]`; a digest pins it, a tag
   * works). A token is accepted.
   */
  readonly image: string;
  /**
   * Container name (Docker's form: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`). A literal name another construct of the app
   * already uses on the same Docker engine is refused.
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
   * Published ports, bound to the profile's `hostIp` (127.0.0.1) unless one is given. A host `ip:port/protocol`
   * another construct of the app publishes on the same Docker engine is refused.
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
   * as `label=<value>` security options, one per key. They apply where the daemon runs with `selinux-enabled`.
   * `disable`, `type:spc_t`, `type:unconfined_t` and a level with every category (`c0.c1023`) turn confinement off
   * and need the `unconfinedSelinux` opt-out.
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

export { OPTOUT_LABEL_PREFIX, SETTINGS_DIGEST_LABEL };
/** The rule the construct suppresses for the PIDs limit provider 3.6.2 cannot set. */
export const PIDS_LIMIT_RULE = 'pids-limit';

const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/**
 * A `docker_container` that is secure by default: read-only root with tmpfs for writable paths, every capability
 * dropped, no-new-privileges, memory (no swap), CPU and process limits, a non-root numeric user, ports on
 * 127.0.0.1, bounded restarts, init, rotated logs, a private cgroup namespace, and a label that makes a change of the settings provider 3.6.2
 * ignores on update replace the container. Each weakening is a typed opt-out with a reason, recorded on the
 * container and as a suppression. Defaults come from the nearest profile (`ProfileScope`). The validation is the
 * hardening core's (src/constructs/core/), shared with SecureService's Swarm mode.
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
    const p = props ?? ({} as HardenedContainerProps);
    const ctx = hardeningContext(this, 'HardenedContainer', 'container', p.optOuts, profileDefaults(this));
    const name = containerName(ctx, this, p.name);
    const settings = hardenedSettings(ctx, this, p);
    const ports = publishedPorts(ctx, p.ports);
    const network = networkSettings(ctx, p, ports.length);
    ctx.optOuts.settle();
    // Claimed once every prop is valid, so a refused construct leaves nothing taken.
    if (p.name !== undefined) claimName(this, ctx.check, 'name', 'container', name);
    ports.forEach((port, i) => {
      if (port.external !== undefined) claimHostPort(this, ctx.check, `ports[${i}]`, port.ip, port.external, port.protocol);
    });
    if (settings.security.unconfinedSystemPaths) {
      Annotations.of(this).addWarning('optOuts.unconfinedSystemPaths: provider kreuzwerker/docker 3.6.2 passes "systempaths=unconfined" to the daemon as is, and Docker 20.10 refuses it at create ("invalid --security-opt"); provider 3.8+ and the docker CLI translate it into empty MaskedPaths and ReadonlyPaths.');
    }
    const applied = [...ctx.optOuts.applied];
    const pids = pidsStandIn(settings);
    if (pids) applied.push(pids);

    const tmpfs = tmpfsMap(settings);
    const healthcheck = settings.healthcheck;
    // As synthesized (snake_case), so the digest reads like the JSON it covers.
    this.settingsDigest = digestOf({
      tmpfs,
      healthcheck: healthcheck ? {
        test: healthcheck.test,
        interval: healthcheck.interval,
        timeout: healthcheck.timeout,
        retries: healthcheck.retries,
        start_period: healthcheck.startPeriod,
      } : null,
      init: settings.init,
      cpu_period: CPU_PERIOD,
      cpu_quota: settings.limits.cpuQuota,
    });
    this.containerName = name;
    this.optOutsApplied = applied.filter((a) => a.name !== undefined).map((a) => a.name as string);
    this.container = new Container(this, 'container', containerConfig(name, settings, tmpfs, ports, network, labelList(settings, this.settingsDigest, applied)));
    for (const a of applied) {
      for (const ruleId of a.rules) {
        if (builtinRule(ruleId)) Suppressions.add(this, ruleId, a.reason);
      }
    }
  }
}

/** ProfileScope.nearest(scope).defaults, without building the built-in profile again for every container. */
function profileDefaults(scope: Construct): ContainerDefaults {
  const profile = ProfileScope.find(scope);
  return profile ? profile.defaults : builtinDefaults();
}

function containerName(ctx: HardeningContext, scope: Construct, n: string | undefined): string {
  if (n === undefined) return derivedName(scope);
  if (!unresolved(n) && (typeof n !== 'string' || !NAME_PATTERN.test(n) || n.length > 255)) {
    ctx.check.fail('name', n, 'Docker\'s container name form [a-zA-Z0-9][a-zA-Z0-9_.-]+ (2 to 255 characters), or leave it out to derive one from the construct path');
  }
  return n;
}

function publishedPorts(ctx: HardeningContext, given: PublishedPort[] | undefined): PortSettings[] {
  const seen = new Set<string>();
  return ctx.check.list('ports', given, 'a list of { internal, external?, hostIp?, protocol? }').map((port, i) => {
    const out = portSettings(ctx, `ports[${i}]`, port);
    if (out.external !== undefined && !unresolved(out.external) && !unresolved(out.ip)) {
      const key = `${out.ip}:${out.external}/${out.protocol}`;
      if (seen.has(key)) ctx.check.fail(`ports[${i}].external`, out.external, 'each host ip:port/protocol once', 'is published twice');
      seen.add(key);
    }
    return out;
  });
}

interface NetworkSettings {
  readonly networkMode?: string;
  readonly networksAdvanced?: { name: string; aliases?: string[] }[];
}

function networkSettings(ctx: HardeningContext, p: HardenedContainerProps, portCount: number): NetworkSettings {
  const { check, optOuts } = ctx;
  const mode = p.networkMode;
  const networks = p.networks;
  if (mode !== undefined) {
    if (unresolved(mode)) {
      optOuts.mayNeed('hostNetwork');
    } else {
      if (typeof mode !== 'string' || !/^[a-zA-Z0-9][a-zA-Z0-9_.:-]*$/.test(mode)) {
        check.fail('networkMode', mode, '"none", "bridge", "container:<name>" or a network name');
      }
      if (mode === 'host') optOuts.demand('hostNetwork', 'networkMode', mode, 'a user-defined network (`networks`), "bridge" or "none"');
      if ((mode === 'none' || mode === 'host') && portCount) {
        check.fail('networkMode', mode, 'no ports with network mode none or host (or another network mode)', 'cannot publish ports');
      }
      if ((mode === 'none' || mode === 'host') && networks?.length) {
        check.fail('networkMode', mode, 'either networkMode none/host or networks, not both', 'conflicts with networks');
      }
    }
  }
  if (networks === undefined) return { networkMode: mode };
  const seen = new Set<string>();
  const adv = check.list('networks', networks, 'a list of { name, aliases? }').map((n, i) => {
    if (n === null || typeof n !== 'object' || (!unresolved(n.name) && (typeof n.name !== 'string' || n.name.trim() === ''))) {
      check.fail(`networks[${i}]`, n, '{ name: "<network name>", aliases?: ["<alias>"] }');
    }
    if (!unresolved(n.name)) {
      if (seen.has(n.name)) check.fail(`networks[${i}].name`, n.name, 'each network once', 'is given twice');
      seen.add(n.name);
    }
    if (n.aliases !== undefined && !unresolved(n.aliases) && (!Array.isArray(n.aliases) || n.aliases.some((a) => typeof a !== 'string' || a === ''))) {
      check.fail(`networks[${i}].aliases`, n.aliases, 'a list of non-empty strings');
    }
    return n.aliases ? { name: n.name, aliases: n.aliases } : { name: n.name };
  });
  return { networkMode: mode, networksAdvanced: adv.length ? adv : undefined };
}

/**
 * The pids-limit suppression the construct makes itself: the nproc ulimit stands in for the PIDs limit provider
 * 3.6.2 cannot set, but RLIMIT_NPROC binds neither root nor a process with CAP_SYS_RESOURCE or CAP_SYS_ADMIN
 * (kernel/fork.c): only without those does the construct claim it.
 */
function pidsStandIn(s: HardenedSettings): AppliedOptOut | undefined {
  const add = s.addCapabilities;
  const bypass = add !== undefined && (unresolved(add) || add.some((c) => unresolved(c) || NPROC_BYPASSING_CAPABILITIES.includes(c)));
  if (!s.user.nonRoot || bypass || unresolved(s.limits.maxProcesses)) return undefined;
  const n = numText(s.limits.maxProcesses);
  const uid = s.user.uid;
  // One string per (limit, UID): thousands of containers share it instead of each holding a copy.
  const key = `${n}|${uid}`;
  let reason = PIDS_REASONS.get(key);
  if (reason === undefined) {
    reason = `provider kreuzwerker/docker 3.6.2 has no pids_limit, so CIS 5.29 cannot be set through Terraform; stand-in: nproc ulimit ${n} for UID ${uid}, `
      + `which caps that UID's processes host-wide (shared with every container running as UID ${uid}: give each service its own UID to make it per service)`;
    if (PIDS_REASONS.size > 1000) PIDS_REASONS.clear();
    PIDS_REASONS.set(key, reason);
  }
  return { reason, rules: [PIDS_LIMIT_RULE] };
}

/** `/tmp` and each writable path: `rw,noexec,nosuid,nodev,size=<n>m[,mode=<octal>]`. */
function tmpfsMap(s: HardenedSettings): { [path: string]: string } {
  const out: { [path: string]: string } = { '/tmp': `rw,noexec,nosuid,nodev,size=${numText(s.tmpfs.tmpSizeMb)}m` };
  for (const w of s.tmpfs.paths) {
    let opts = `rw,${w.executable === true ? 'exec' : 'noexec'},nosuid,nodev,size=${numText(w.sizeMb)}m`;
    if (w.mode !== undefined) opts += `,mode=${unresolved(w.mode) ? Token.asString(w.mode) : w.mode.toString(8)}`;
    out[w.path] = opts;
  }
  return out;
}

/** The security options of a docker_container, in a stable order. */
function securityOpts(s: HardenedSettings): string[] {
  const sec = s.security;
  const out: string[] = [];
  if (sec.noNewPrivileges) out.push('no-new-privileges:true');
  if (sec.seccomp !== undefined) out.push(`seccomp=${sec.seccomp}`);
  if (sec.appArmorProfile !== undefined) out.push(`apparmor=${sec.appArmorProfile}`);
  for (const label of sec.selinuxLabels) out.push(`label=${label}`);
  if (sec.unconfinedSystemPaths) out.push(UNCONFINED_SYSTEM_PATHS_OPTION);
  return out;
}

function containerConfig(name: string, s: HardenedSettings, tmpfs: { [path: string]: string }, ports: PortSettings[],
  net: NetworkSettings, labels: { label: string; value: string }[]): ContainerConfig {
  const l = s.limits;
  const hc = s.healthcheck;
  return {
    name,
    image: s.image,
    command: s.command,
    entrypoint: s.entrypoint,
    env: s.env === undefined ? undefined : Object.entries(s.env).map(([k, v]) => `${k}=${v}`),
    workingDir: s.workingDir,
    user: s.user.value,
    readOnly: s.readOnlyRoot,
    tmpfs,
    capabilities: s.addCapabilities === undefined ? { drop: ['ALL'] } : { drop: ['ALL'], add: s.addCapabilities },
    securityOpts: securityOpts(s),
    memory: l.memoryMb,
    memorySwap: l.memorySwapMb,
    cpuPeriod: CPU_PERIOD,
    cpuQuota: l.cpuQuota,
    cpuShares: l.cpuShares,
    ulimit: [
      { name: 'nofile', soft: l.maxOpenFiles, hard: l.maxOpenFiles },
      { name: 'nproc', soft: l.maxProcesses, hard: l.maxProcesses },
    ],
    ports: ports.length ? ports.map((p) => ({ ...p })) : undefined,
    restart: l.restartPolicy,
    maxRetryCount: l.maxRestartRetries,
    healthcheck: hc ? { test: hc.test, interval: hc.interval, timeout: hc.timeout, retries: hc.retries, startPeriod: hc.startPeriod } : undefined,
    init: s.init,
    cgroupnsMode: s.cgroupNamespace,
    logDriver: 'json-file',
    logOpts: { 'max-size': l.logMaxSize, 'max-file': numText(l.logMaxFiles) },
    networkMode: net.networkMode,
    networksAdvanced: net.networksAdvanced,
    volumes: s.volumes.length ? s.volumes.map((v) => ({ ...v })) : undefined,
    labels,
  };
}

/** The user's labels, the digest label, and one label per opt-out and per rule it suppresses; sorted by key. */
function labelList(s: HardenedSettings, digest: string, applied: readonly AppliedOptOut[]): { label: string; value: string }[] {
  const out = new Map<string, string>(Object.entries(s.labels));
  out.set(SETTINGS_DIGEST_LABEL, digest);
  for (const a of applied) {
    if (a.name) out.set(OPTOUT_LABEL_PREFIX + a.name, a.reason);
    for (const ruleId of a.rules) {
      const key = SUPPRESSION_LABEL_PREFIX + ruleId;
      const prev = out.get(key);
      out.set(key, prev && prev !== a.reason ? `${prev}; ${a.reason}` : a.reason);
    }
  }
  return [...out.keys()].sort().map((label) => ({ label, value: out.get(label)! }));
}

let cachedBuiltinDefaults: ContainerDefaults | undefined;
/** The defaults of the profile `ProfileScope.nearest` falls back to (the built-in hardened one). */
function builtinDefaults(): ContainerDefaults {
  cachedBuiltinDefaults ??= Profile.named(ProfileLevel.HARDENED).defaults;
  return cachedBuiltinDefaults;
}

/** The pids-limit stand-in reason per (nproc, UID). */
const PIDS_REASONS = new Map<string, string>();
