import {
  ContainerSpec, DeviceSpec, HealthcheckSpec, MountSpec, PortSpec, ResourceKind, SpecSource,
  SpecSuppression, TmpfsSpec, UlimitSpec,
} from './container-spec';
import { isBindOption, UNCONFINED_SYSTEM_PATHS_OPTION } from './docker-facts';
import { SUPPRESSION_LABEL_PREFIX } from './labels';

/**
 * A live Docker engine's inspect output to ContainerSpec (source ENGINE).
 *
 * - `specFromContainerInspect(info)`: `GET /containers/{id}/json` (`docker inspect`, dockerode `container.inspect()`)
 *   to a spec addressed `container/<name>`.
 * - `specFromServiceInspect(service)`: `GET /services/{id}` (dockerode `service.inspect()`) to a spec addressed
 *   `service/<name>`, read from its task template.
 * - `daemonNoNewPrivilegesFrom(info, daemonJson)`: whether the daemon sets no-new-privileges for every container.
 *
 * Pure functions of the JSON the engine returns: no I/O here (the CLI's audit does the listing and inspecting).
 * Units are normalized as the Terraform adapter does: sizes in bytes, CPU period/quota in microseconds, durations as
 * Go duration strings (`30s`, `1m30s`). A value the engine reports as "not set" (0, "", null) is left undefined, except
 * PidsLimit, which keeps 0 and -1 (both mean unlimited; the rule reads them). Suppression labels
 * (`hardened-docker.suppress.<rule-id>` = reason) on the container, or on the service or its task's container spec,
 * become `suppressions`.
 */

type Json = any;

/** Options for the engine adapter. */
export interface EngineAdapterOptions {
  /**
   * Whether the daemon sets no-new-privileges for every container (`daemonNoNewPrivilegesFrom`).
   * @default - unknown: left undefined on the spec
   */
  readonly daemonNoNewPrivileges?: boolean;
  /**
   * The container's processes (`processesFromTop` of `GET /containers/{id}/top`, or the host's /proc).
   * @default - not known
   */
  readonly processes?: string[];
  /**
   * The container runs but its processes could not be read: `processes` is then listed in the spec's `unknown`, so
   * that no-sshd says it cannot tell rather than passing.
   * @default false
   */
  readonly processesUnreadable?: boolean;
}

/** The command lines (CMD column) of `docker top`'s answer (`{Titles, Processes}`); undefined when it has none. */
export function processesFromTop(top: Json): string[] | undefined {
  const titles: unknown[] = Array.isArray(top?.Titles) ? top.Titles : [];
  const rows: unknown[] = Array.isArray(top?.Processes) ? top.Processes : [];
  let col = titles.findIndex((t) => t === 'CMD' || t === 'COMMAND' || t === 'ARGS');
  if (col < 0) col = titles.length - 1;
  if (col < 0) return undefined;
  return rows.filter(Array.isArray).map((r: any) => String(r[col] ?? ''));
}

/** A Go `time.Duration` string (`1m30s`, `500ms`, `0s`) for a number of nanoseconds, as Docker prints them. */
export function goDuration(ns: number): string {
  if (!Number.isFinite(ns)) return String(ns);
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let n = Math.abs(Math.round(ns));
  const sign = neg ? '-' : '';
  if (n < 1e3) return `${sign}${n}ns`;
  if (n < 1e6) return `${sign}${trimFraction(n / 1e3)}µs`;
  if (n < 1e9) return `${sign}${trimFraction(n / 1e6)}ms`;
  const hours = Math.floor(n / 3.6e12);
  n -= hours * 3.6e12;
  const minutes = Math.floor(n / 6e10);
  n -= minutes * 6e10;
  const seconds = trimFraction(n / 1e9);
  let out = sign;
  if (hours) out += `${hours}h`;
  if (hours || minutes) out += `${minutes}m`;
  return `${out}${seconds}s`;
}

function trimFraction(v: number): string {
  // Go prints up to 9 fractional digits and drops trailing zeros.
  return v.toFixed(9).replace(/\.?0+$/, '');
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** A positive number, or undefined for 0/null/absent (the engine's "not set"). */
function positive(v: unknown): number | undefined {
  return typeof v === 'number' && v !== 0 ? v : undefined;
}

function list(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.length ? v.map(String) : undefined;
}

function map(v: unknown): { [k: string]: string } | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const entries = Object.entries(v as object);
  if (!entries.length) return undefined;
  const out: { [k: string]: string } = {};
  for (const [k, val] of entries) out[k] = String(val);
  return out;
}

/** Every suppression label as written, with its origin: the evaluator validates each (reason and rule id). */
function suppressionsFrom(...labelSets: Array<{ [k: string]: string } | undefined>): SpecSuppression[] {
  const out: SpecSuppression[] = [];
  for (const labels of labelSets) {
    for (const [k, v] of Object.entries(labels ?? {})) {
      if (!k.startsWith(SUPPRESSION_LABEL_PREFIX)) continue;
      out.push({ ruleId: k.slice(SUPPRESSION_LABEL_PREFIX.length), reason: v, origin: `label ${JSON.stringify(k)}` });
    }
  }
  return out;
}

function healthcheckFrom(hc: Json): HealthcheckSpec | undefined {
  if (!hc || !Array.isArray(hc.Test) || hc.Test.length === 0) return undefined;
  return {
    test: hc.Test.map(String),
    interval: positive(hc.Interval) !== undefined ? goDuration(hc.Interval) : undefined,
    timeout: positive(hc.Timeout) !== undefined ? goDuration(hc.Timeout) : undefined,
    startPeriod: positive(hc.StartPeriod) !== undefined ? goDuration(hc.StartPeriod) : undefined,
    retries: positive(hc.Retries),
  };
}

/** `"8080/tcp"` to port and protocol. */
function parsePortKey(key: string): { port: number; protocol: string } {
  const [port, protocol] = key.split('/');
  return { port: Number(port), protocol: protocol || 'tcp' };
}

/**
 * Published ports. A running container's `NetworkSettings.Ports` holds the actual host ports (random ones resolved,
 * `-P` included); a stopped one has only `HostConfig.PortBindings`. An empty HostIp means every interface (`0.0.0.0`).
 */
function portsFrom(info: Json): PortSpec[] {
  const running = info?.State?.Running === true;
  const actual = info?.NetworkSettings?.Ports;
  const bindings = running && actual && Object.values(actual).some((v) => Array.isArray(v) && v.length)
    ? actual
    : info?.HostConfig?.PortBindings;
  const out: PortSpec[] = [];
  for (const [key, binds] of Object.entries(bindings ?? {})) {
    if (!Array.isArray(binds)) continue; // exposed, not published
    const { port, protocol } = parsePortKey(key);
    for (const b of binds as Json[]) {
      const hostPort = str(b?.HostPort);
      out.push({
        internal: port,
        external: hostPort !== undefined && !isNaN(Number(hostPort)) ? Number(hostPort) : undefined,
        ip: str(b?.HostIp) ?? '0.0.0.0',
        protocol,
      });
    }
  }
  return out;
}

function mountsFrom(info: Json): { mounts: MountSpec[]; tmpfs: TmpfsSpec[] } {
  const mounts: MountSpec[] = [];
  const tmpfs: TmpfsSpec[] = [];
  for (const m of Array.isArray(info?.Mounts) ? info.Mounts : []) {
    const type = str(m?.Type) ?? 'volume';
    const mount: MountSpec = {
      type,
      // A volume is named by its name; a bind by its host path.
      source: type === 'volume' ? str(m?.Name) ?? str(m?.Source) : str(m?.Source),
      target: str(m?.Destination) ?? '',
      readOnly: m?.RW === false,
      propagation: str(m?.Propagation),
    };
    mounts.push(dropUndefined(mount));
    if (type === 'tmpfs') tmpfs.push({ path: mount.target, fromMount: true });
  }
  for (const [path, options] of Object.entries(info?.HostConfig?.Tmpfs ?? {})) {
    tmpfs.push(dropUndefined({ path, options: str(options) }));
  }
  return { mounts, tmpfs };
}

/**
 * The container's security options, with `systempaths=unconfined` added when the engine shows its effect: an empty
 * (not null) MaskedPaths or ReadonlyPaths. The docker CLI (and provider 3.8+) turn the option into those two empty
 * lists and do not send it, so SecurityOpt alone does not show it. A privileged container has null lists (its own
 * rule reports it).
 */
function securityOptsFrom(hc: Json): string[] | undefined {
  const opts = list(hc.SecurityOpt) ?? [];
  const emptied = (v: unknown) => Array.isArray(v) && v.length === 0;
  if ((emptied(hc.MaskedPaths) || emptied(hc.ReadonlyPaths)) && !opts.some((o) => /^systempaths[=:]unconfined$/i.test(o.trim()))) {
    opts.push(UNCONFINED_SYSTEM_PATHS_OPTION);
  }
  return opts.length ? opts : undefined;
}

/**
 * A Swarm task's SELinux context (`ContainerSpec.Privileges.SELinuxContext`) as the security options a container
 * would carry (`label=disable`, `label=type:<type>`, ...), so the rules read both kinds alike.
 */
function selinuxOptsFrom(cs: Json): string[] | undefined {
  const ctx = cs?.Privileges?.SELinuxContext;
  const out: string[] = [];
  if (ctx && typeof ctx === 'object') {
    if (ctx.Disable === true) {out.push('label=disable');} else {
      for (const [key, field] of [['user', 'User'], ['role', 'Role'], ['type', 'Type'], ['level', 'Level']] as const) {
        const value = str(ctx[field]);
        if (value !== undefined) out.push(`label=${key}:${value}`);
      }
    }
  }
  out.push(...swarmSecurityOpts(cs?.Privileges));
  return out.length ? out : undefined;
}

/** A Swarm task's other privileges (API 1.44+: Seccomp, its custom profile base64; AppArmor; NoNewPrivileges) as options. */
function swarmSecurityOpts(privileges: Json): string[] {
  const out: string[] = [];
  const seccomp = str(privileges?.Seccomp?.Mode);
  if (seccomp === 'unconfined') out.push('seccomp=unconfined');
  const profile = seccomp === 'custom' ? str(privileges.Seccomp.Profile) : undefined;
  if (profile !== undefined) out.push(`seccomp=${Buffer.from(profile, 'base64').toString('utf8')}`);
  if (str(privileges?.AppArmor?.Mode) === 'disabled') out.push('apparmor=unconfined');
  if (privileges?.NoNewPrivileges === true) out.push('no-new-privileges:true');
  return out;
}

/**
 * The GPUs a container was given (`docker run --gpus`, HostConfig.DeviceRequests with the `gpu` capability), written
 * as Terraform's `gpus` attribute is: `all`, or the count or device ids. Undefined when none.
 */
function gpusFrom(hc: Json): string | undefined {
  const requests = Array.isArray(hc.DeviceRequests) ? hc.DeviceRequests : [];
  const gpu = requests.find((r: Json) => Array.isArray(r?.Capabilities)
    && r.Capabilities.some((set: Json) => Array.isArray(set) && set.includes('gpu')));
  if (gpu === undefined) return undefined;
  if (Array.isArray(gpu.DeviceIDs) && gpu.DeviceIDs.length) return `device=${gpu.DeviceIDs.join(',')}`;
  return typeof gpu.Count === 'number' && gpu.Count > 0 ? String(gpu.Count) : 'all';
}

function dropUndefined<T extends object>(o: T): T {
  const out: any = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

/** The spec without its undefined fields and empty lists (the engine's "not set"). */
function withoutEmptyFields(spec: ContainerSpec): ContainerSpec {
  const out: any = {};
  for (const [k, v] of Object.entries(spec)) {
    if (v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out as ContainerSpec;
}

/** The engine's id of each spec read here (kept beside the spec: ContainerSpec has no field for it). */
const ENGINE_IDS = new WeakMap<ContainerSpec, string>();

/** The container or service id a spec was read from, when it was read by this adapter. */
export function engineIdOf(spec: ContainerSpec): string | undefined {
  return ENGINE_IDS.get(spec);
}

/** `derived` (a spec rewritten from `spec`) keeps the engine id `spec` was read with. */
export function keepEngineId(spec: ContainerSpec, derived: ContainerSpec): ContainerSpec {
  return derived === spec ? spec : withEngineId(derived, ENGINE_IDS.get(spec));
}

function withEngineId(spec: ContainerSpec, id: unknown): ContainerSpec {
  if (typeof id === 'string' && id !== '') ENGINE_IDS.set(spec, id);
  return spec;
}

/** One container's inspect output (`docker inspect <container>`) to a spec addressed `container/<name>`. */
export function specFromContainerInspect(info: Json, opts: EngineAdapterOptions = {}): ContainerSpec {
  if (!info || typeof info !== 'object' || !info.HostConfig || !info.Config) {
    throw new Error(`not a container inspect object (expected Config and HostConfig): ${JSON.stringify(info)?.slice(0, 120)}`);
  }
  const hc = info.HostConfig;
  const cfg = info.Config;
  const name = String(info.Name ?? info.Id ?? '').replace(/^\//, '');
  const { mounts, tmpfs } = mountsFrom(info);
  const ports = portsFrom(info);
  const labels = map(cfg.Labels);
  const ulimits: UlimitSpec[] = (Array.isArray(hc.Ulimits) ? hc.Ulimits : [])
    .map((u: Json) => ({ name: String(u?.Name ?? ''), soft: Number(u?.Soft ?? 0), hard: Number(u?.Hard ?? 0) }));
  const devices: DeviceSpec[] = (Array.isArray(hc.Devices) ? hc.Devices : []).map((d: Json) => dropUndefined({
    hostPath: String(d?.PathOnHost ?? ''),
    containerPath: str(d?.PathInContainer),
    permissions: str(d?.CgroupPermissions),
  }));
  const networks = Object.keys(info.NetworkSettings?.Networks ?? {});
  const restart = hc.RestartPolicy ?? {};
  const suppressions = suppressionsFrom(labels);

  return withEngineId(withoutEmptyFields({
    kind: ResourceKind.CONTAINER,
    source: SpecSource.ENGINE,
    address: `container/${name}`,
    name,
    image: str(cfg.Image),
    user: str(cfg.User),
    readOnly: hc.ReadonlyRootfs === true,
    privileged: hc.Privileged === true,
    tmpfs,
    capAdd: list(hc.CapAdd),
    deviceCgroupRules: list(hc.DeviceCgroupRules),
    capDrop: list(hc.CapDrop),
    securityOpts: securityOptsFrom(hc),
    daemonNoNewPrivileges: opts.daemonNoNewPrivileges,
    memoryBytes: positive(hc.Memory),
    memorySwapBytes: positive(hc.MemorySwap),
    cpuShares: positive(hc.CpuShares),
    cpuPeriod: positive(hc.CpuPeriod),
    cpuQuota: positive(hc.CpuQuota),
    nanoCpus: positive(hc.NanoCpus),
    // null (never set) is undefined; 0 and -1 are kept: both mean unlimited.
    pidsLimit: typeof hc.PidsLimit === 'number' ? hc.PidsLimit : undefined,
    ulimits,
    restartPolicy: str(restart.Name),
    maxRetryCount: positive(restart.MaximumRetryCount),
    healthcheck: healthcheckFrom(cfg.Healthcheck),
    ports,
    publishAllPorts: hc.PublishAllPorts === true ? true : undefined,
    mounts,
    devices,
    gpus: gpusFrom(hc),
    networkMode: str(hc.NetworkMode),
    networks,
    pidMode: str(hc.PidMode),
    ipcMode: str(hc.IpcMode),
    usernsMode: str(hc.UsernsMode),
    utsMode: str(hc.UTSMode),
    cgroupnsMode: str(hc.CgroupnsMode),
    cgroupParent: str(hc.CgroupParent),
    labels,
    logDriver: str(hc.LogConfig?.Type),
    logOpts: map(hc.LogConfig?.Config),
    init: typeof hc.Init === 'boolean' ? hc.Init : undefined,
    sysctls: map(hc.Sysctls),
    runtime: str(hc.Runtime),
    groupAdd: list(hc.GroupAdd),
    processes: opts.processes,
    unknown: opts.processesUnreadable === true && opts.processes === undefined ? ['processes'] : undefined,
    suppressions,
  }), info.Id);
}

/** One Swarm service's inspect output (`docker service inspect <service>`) to a spec addressed `service/<name>`. */
export function specFromServiceInspect(service: Json): ContainerSpec {
  const spec = service?.Spec;
  if (!spec || typeof spec !== 'object' || !spec.TaskTemplate) {
    throw new Error(`not a service inspect object (expected Spec.TaskTemplate): ${JSON.stringify(service)?.slice(0, 120)}`);
  }
  const task = spec.TaskTemplate;
  const cs = task.ContainerSpec ?? {};
  const limits = task.Resources?.Limits ?? {};
  const restart = task.RestartPolicy ?? {};
  const name = String(spec.Name ?? service.ID ?? '');
  const mounts: MountSpec[] = [];
  const tmpfs: TmpfsSpec[] = [];
  for (const m of Array.isArray(cs.Mounts) ? cs.Mounts : []) {
    const type = str(m?.Type) ?? 'volume';
    // A volume the local driver creates with o=bind binds its device, a host path (VolumeOptions.DriverConfig).
    const driver = m?.VolumeOptions?.DriverConfig;
    const o = str(driver?.Options?.o);
    const device = type === 'volume' && (str(driver?.Name) ?? 'local') === 'local' && o !== undefined && isBindOption(o) ? str(driver?.Options?.device) : undefined;
    mounts.push(dropUndefined({
      type: device !== undefined ? 'bind' : type,
      source: device ?? str(m?.Source),
      target: str(m?.Target) ?? '',
      readOnly: m?.ReadOnly === true,
      propagation: str(m?.BindOptions?.Propagation),
    }));
    if (type === 'tmpfs') {
      const parts: string[] = [];
      if (positive(m?.TmpfsOptions?.SizeBytes) !== undefined) parts.push(`size=${m.TmpfsOptions.SizeBytes}`);
      if (positive(m?.TmpfsOptions?.Mode) !== undefined) parts.push(`mode=${Number(m.TmpfsOptions.Mode).toString(8)}`);
      tmpfs.push(dropUndefined({ path: str(m?.Target) ?? '', options: parts.length ? parts.join(',') : undefined, fromMount: true }));
    }
  }
  // Swarm publishes on every interface (ingress and host mode alike): there is no HostIp.
  const ports: PortSpec[] = (Array.isArray(spec.EndpointSpec?.Ports) ? spec.EndpointSpec.Ports : []).map((p: Json) => dropUndefined({
    internal: Number(p?.TargetPort ?? 0),
    external: positive(p?.PublishedPort),
    ip: '0.0.0.0',
    protocol: str(p?.Protocol) ?? 'tcp',
    publishMode: str(p?.PublishMode) ?? 'ingress',
  }));
  const ulimits: UlimitSpec[] = (Array.isArray(cs.Ulimits) ? cs.Ulimits : [])
    .map((u: Json) => ({ name: String(u?.Name ?? ''), soft: Number(u?.Soft ?? 0), hard: Number(u?.Hard ?? 0) }));
  const serviceLabels = map(spec.Labels);
  const containerLabels = map(cs.Labels);
  const labels = serviceLabels || containerLabels ? { ...serviceLabels, ...containerLabels } : undefined;
  const networks = (Array.isArray(task.Networks) ? task.Networks : []).map((n: Json) => String(n?.Target ?? '')).filter(Boolean);
  const replicated = spec.Mode?.Replicated;

  return withEngineId(withoutEmptyFields({
    kind: ResourceKind.SERVICE,
    source: SpecSource.ENGINE,
    address: `service/${name}`,
    name,
    image: str(cs.Image),
    user: str(cs.User),
    readOnly: cs.ReadOnly === true,
    tmpfs,
    capAdd: list(cs.CapabilityAdd),
    capDrop: list(cs.CapabilityDrop),
    securityOpts: selinuxOptsFrom(cs),
    memoryBytes: positive(limits.MemoryBytes),
    nanoCpus: positive(limits.NanoCPUs),
    pidsLimit: typeof limits.Pids === 'number' ? limits.Pids : undefined,
    ulimits,
    restartPolicy: str(restart.Condition),
    maxRetryCount: positive(restart.MaxAttempts),
    healthcheck: healthcheckFrom(cs.Healthcheck),
    ports,
    mounts,
    networks,
    labels,
    logDriver: str(task.LogDriver?.Name),
    logOpts: map(task.LogDriver?.Options),
    init: typeof cs.Init === 'boolean' ? cs.Init : undefined,
    sysctls: map(cs.Sysctls),
    groupAdd: list(cs.Groups),
    replicas: replicated && typeof replicated.Replicas === 'number' ? replicated.Replicas : undefined,
    suppressions: suppressionsFrom(serviceLabels, containerLabels),
  }), service?.ID);
}

/**
 * Whether the daemon applies no-new-privileges to every container: `"no-new-privileges": true` in its daemon.json,
 * or (newer engines) a `name=no-new-privileges` entry in `docker info`'s SecurityOptions. Undefined when neither
 * source says so, since the engine API does not otherwise report the setting.
 */
export function daemonNoNewPrivilegesFrom(info: Json, daemonJson?: Json): boolean | undefined {
  const opts: unknown[] = Array.isArray(info?.SecurityOptions) ? info.SecurityOptions : [];
  if (opts.some((o) => typeof o === 'string' && /(^|,)name=no-new-privileges(,|$)/.test(o))) return true;
  if (daemonJson && typeof daemonJson === 'object' && 'no-new-privileges' in daemonJson) {
    return daemonJson['no-new-privileges'] === true;
  }
  return undefined;
}
