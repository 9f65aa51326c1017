/**
 * Drift: what runs on the engine against what Terraform declared, setting by setting.
 *
 * `compareSpecs(declared, live)` is a pure function of two ContainerSpecs (one read from Terraform, one from the
 * engine). Each setting is judged by what it allows: a live setting that allows more than the declared one (more
 * memory, a capability more, a port on every interface) is `weaker`; one that allows less is `stronger`; one that
 * differs without an order (another user id, another healthcheck command) is `changed`. A declared value that is
 * unknown (a Terraform expression) makes no claim: it may be what runs.
 */
import { DIGEST_SETTING, DriftDirection, DriftItem, SETTINGS_DIGEST_LABEL } from './drift-item';
import { ContainerSpec, MountSpec, PortSpec, TmpfsSpec } from '../spec/container-spec';
import { DOCKER_DEFAULT_CAPABILITIES } from '../spec/docker-facts';

export { DriftDirection, DIGEST_SETTING, SETTINGS_DIGEST_LABEL } from './drift-item';
export type { DriftItem } from './drift-item';

const UNSET = 'unset';

/** Every setting of `live` that differs from `declared`, in a fixed order; empty when nothing does. */
export function compareSpecs(declared: ContainerSpec, live: ContainerSpec): DriftItem[] {
  const out: DriftItem[] = [];
  const known = (field: string) => !(declared.unknown ?? []).includes(field);
  const push = (setting: string, d: string, l: string, direction: DriftDirection | undefined) => {
    if (direction !== undefined) out.push({ setting, declared: d, live: l, direction });
  };

  if (known('privileged')) {
    push('privileged', String(declared.privileged === true), String(live.privileged === true),
      byFlag(declared.privileged === true, live.privileged === true, true));
  }
  if (known('readOnly')) {
    push('read_only', String(declared.readOnly === true), String(live.readOnly === true),
      byFlag(declared.readOnly === true, live.readOnly === true, false));
  }
  if (known('init') && declared.init !== undefined) {
    push('init', String(declared.init), String(live.init === true), byFlag(declared.init, live.init === true, false));
  }
  if (known('user')) compareUser(declared.user, live.user, push);
  if (known('memoryBytes')) {
    push('memory', bytes(declared.memoryBytes), bytes(live.memoryBytes), byLimit(memoryLimit(declared), memoryLimit(live)));
  }
  if (known('memoryBytes') && known('memorySwapBytes')) {
    push('memory_swap', swapText(declared), swapText(live), byLimit(swapLimit(declared), swapLimit(live)));
  }
  if (known('cpuShares')) {
    // Shares are a weight under contention: more shares take more of the CPU. Docker's default weight is 1024.
    push('cpu_shares', declared.cpuShares === undefined ? UNSET : String(declared.cpuShares),
      live.cpuShares === undefined ? UNSET : String(live.cpuShares),
      byLimit(declared.cpuShares ?? 1024, live.cpuShares ?? 1024));
  }
  if (known('cpuPeriod') && known('cpuQuota') && known('nanoCpus')) {
    push('cpu_quota/cpu_period', cpuText(declared), cpuText(live), byLimit(cpuLimit(declared), cpuLimit(live)));
  }
  if (known('capAdd') && known('capDrop')) compareCapabilities(declared, live, push);
  if (known('securityOpts')) compareSecurityOpts(declared.securityOpts ?? [], live.securityOpts ?? [], push);
  if (known('tmpfs')) compareTmpfs(declared.tmpfs ?? [], live.tmpfs ?? [], push);
  if (known('ulimits')) compareUlimits(declared, live, push);
  if (known('restartPolicy') && known('maxRetryCount')) {
    push('restart', restartText(declared), restartText(live), byLimit(restartBound(declared), restartBound(live)));
  }
  if (known('healthcheck')) compareHealthcheck(declared, live, push);
  if (known('ports')) comparePorts(declared.ports ?? [], live.ports ?? [], push);
  if (known('publishAllPorts')) {
    push('publish_all_ports', String(declared.publishAllPorts === true), String(live.publishAllPorts === true),
      byFlag(declared.publishAllPorts === true, live.publishAllPorts === true, true));
  }
  if (known('mounts')) compareMounts(declared.mounts ?? [], live.mounts ?? [], push);
  for (const [field, setting] of NAMESPACE_FIELDS) {
    if (known(field)) compareNamespace(setting, (declared as any)[field], (live as any)[field], push);
  }
  if (known('labels')) {
    const d = declared.labels?.[SETTINGS_DIGEST_LABEL];
    const l = live.labels?.[SETTINGS_DIGEST_LABEL];
    if (d !== undefined && d !== l) push(DIGEST_SETTING, d, l ?? UNSET, DriftDirection.CHANGED);
  }
  return out;
}

type Push = (setting: string, declared: string, live: string, direction: DriftDirection | undefined) => void;

/** A yes/no setting; `riskyWhenTrue` says which value allows more (privileged: true; read_only: false). */
function byFlag(declared: boolean, live: boolean, riskyWhenTrue: boolean): DriftDirection | undefined {
  if (declared === live) return undefined;
  return live === riskyWhenTrue ? DriftDirection.WEAKER : DriftDirection.STRONGER;
}

/** A limit where more is weaker (Infinity: no limit). */
function byLimit(declared: number, live: number): DriftDirection | undefined {
  if (declared === live) return undefined;
  return live > declared ? DriftDirection.WEAKER : DriftDirection.STRONGER;
}

function memoryLimit(s: ContainerSpec): number {
  return s.memoryBytes !== undefined && s.memoryBytes > 0 ? s.memoryBytes : Infinity;
}

/** Memory plus swap: -1 is unlimited swap; unset with a memory limit is Docker's default, twice the memory. */
function swapLimit(s: ContainerSpec): number {
  const memory = memoryLimit(s);
  if (s.memorySwapBytes === -1) return Infinity;
  if (s.memorySwapBytes === undefined || s.memorySwapBytes === 0) return memory * 2;
  return s.memorySwapBytes;
}

function swapText(s: ContainerSpec): string {
  if (s.memorySwapBytes === -1) return 'unlimited (-1)';
  if (s.memorySwapBytes === undefined || s.memorySwapBytes === 0) {
    return s.memoryBytes ? `unset (Docker: twice the memory, ${bytes(swapLimit(s))})` : UNSET;
  }
  return bytes(s.memorySwapBytes);
}

/** Bytes for people: `256 MiB`, `unset`. */
export function bytes(n: number | undefined): string {
  if (n === undefined || n === 0 || n === Infinity) return n === Infinity ? 'unlimited' : UNSET;
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (n >= size && n % size === 0) return `${n / size} ${unit}`;
  }
  return `${n} bytes`;
}

/** CPUs the container may use: NanoCPUs, else quota over period (period defaults to 100 ms); Infinity when none. */
function cpuLimit(s: ContainerSpec): number {
  if (s.nanoCpus !== undefined && s.nanoCpus > 0) return s.nanoCpus / 1e9;
  if (s.cpuQuota !== undefined && s.cpuQuota > 0) return s.cpuQuota / (s.cpuPeriod && s.cpuPeriod > 0 ? s.cpuPeriod : 100_000);
  return Infinity;
}

function cpuText(s: ContainerSpec): string {
  const limit = cpuLimit(s);
  if (limit === Infinity) return 'unlimited';
  const cpus = `${Number(limit.toFixed(3))} CPU`;
  if (s.nanoCpus !== undefined && s.nanoCpus > 0) return `nano_cpus ${s.nanoCpus} (${cpus})`;
  return `${s.cpuQuota}/${s.cpuPeriod ?? 100_000} µs (${cpus})`;
}

const ROOT_USER = /^(root|0)(:.*)?$/;
function isRoot(user: string | undefined): boolean {
  return user === undefined || user === '' || ROOT_USER.test(user);
}

function compareUser(declared: string | undefined, live: string | undefined, push: Push): void {
  if ((declared ?? '') === (live ?? '')) return;
  const d = declared ?? `${UNSET} (the image's user)`;
  const l = live ?? `${UNSET} (the image's user)`;
  if (isRoot(declared) && isRoot(live)) return;
  push('user', d, l, isRoot(live) ? DriftDirection.WEAKER : isRoot(declared) ? DriftDirection.STRONGER : DriftDirection.CHANGED);
}

function capName(c: string): string {
  return c.trim().toUpperCase().replace(/^CAP_/, '');
}

/** The capabilities a container holds: Docker's defaults minus those dropped plus those added (`ALL` is every one). */
function effectiveCapabilities(s: ContainerSpec): Set<string> {
  const drop = new Set((s.capDrop ?? []).map(capName));
  const add = (s.capAdd ?? []).map(capName);
  const out = new Set(drop.has('ALL') ? [] : DOCKER_DEFAULT_CAPABILITIES.filter((c) => !drop.has(c)));
  for (const c of add) out.add(c);
  return out;
}

function compareCapabilities(declared: ContainerSpec, live: ContainerSpec, push: Push): void {
  const d = effectiveCapabilities(declared);
  const l = effectiveCapabilities(live);
  const gained = [...l].filter((c) => !d.has(c) && !(d.has('ALL'))).sort();
  const lost = [...d].filter((c) => !l.has(c) && !l.has('ALL')).sort();
  const text = (s: Set<string>) => (s.size ? [...s].sort().join(',') : 'none');
  if (gained.length) push(`capabilities (+${gained.join(',')})`, text(d), text(l), DriftDirection.WEAKER);
  if (lost.length) push(`capabilities (-${lost.join(',')})`, text(d), text(l), DriftDirection.STRONGER);
}

/** `no-new-privileges:true`, `no-new-privileges=true` and `no-new-privileges` are one option. */
function securityOpt(o: string): string {
  const t = o.trim();
  const m = /^([^=:]+)[=:](.*)$/.exec(t);
  if (!m) return t === 'no-new-privileges' ? 'no-new-privileges=true' : t;
  return `${m[1].toLowerCase()}=${m[2]}`;
}

/** Options that lift a confinement: present live and not declared, they weaken the container. */
const LOOSENING_OPTION = /^(seccomp=unconfined|apparmor=unconfined|label=disable|systempaths=unconfined)$/;
/** Docker's default, written out: the same as not writing it. */
const DEFAULT_OPTION = 'no-new-privileges=false';

function compareSecurityOpts(declared: string[], live: string[], push: Push): void {
  const d = new Set(declared.map(securityOpt).filter((o) => o !== DEFAULT_OPTION));
  const l = new Set(live.map(securityOpt).filter((o) => o !== DEFAULT_OPTION));
  for (const o of d) {
    // A declared option that loosens a confinement, gone live, is a confinement regained.
    if (!l.has(o)) push(`security_opts ${o}`, 'set', 'absent', LOOSENING_OPTION.test(o) ? DriftDirection.STRONGER : DriftDirection.WEAKER);
  }
  for (const o of l) {
    if (!d.has(o)) push(`security_opts ${o}`, 'absent', 'set', LOOSENING_OPTION.test(o) ? DriftDirection.WEAKER : DriftDirection.STRONGER);
  }
}

function tmpfsOptions(t: TmpfsSpec): { flags: Set<string>; size: number } {
  const flags = new Set<string>();
  let size = Infinity;
  for (const part of (t.options ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^size=(\d+)([kmg]?)$/i.exec(part);
    if (m) size = Number(m[1]) * ({ '': 1, 'k': 1024, 'm': 1024 ** 2, 'g': 1024 ** 3 } as any)[m[2].toLowerCase()];
    else flags.add(part.toLowerCase());
  }
  return { flags, size };
}

const TMPFS_HARDENING_FLAGS = ['noexec', 'nosuid', 'nodev', 'ro'];

function compareTmpfs(declared: TmpfsSpec[], live: TmpfsSpec[], push: Push): void {
  const byPath = new Map(live.map((t) => [t.path, t]));
  for (const d of declared) {
    if ((d.unknown ?? []).length) continue;
    const l = byPath.get(d.path);
    const setting = `tmpfs ${d.path}`;
    if (!l) {
      push(setting, d.options ?? 'defaults', 'absent (the path is on the container\'s own filesystem)', DriftDirection.WEAKER);
      continue;
    }
    // A tmpfs-typed mount the engine lists has no options there; compare what both sides say.
    if (l.options === undefined && l.fromMount) continue;
    const dOpts = tmpfsOptions(d);
    const lOpts = tmpfsOptions(l);
    const missing = TMPFS_HARDENING_FLAGS.filter((f) => dOpts.flags.has(f) && !lOpts.flags.has(f));
    const added = TMPFS_HARDENING_FLAGS.filter((f) => !dOpts.flags.has(f) && lOpts.flags.has(f));
    const sizeDirection = byLimit(dOpts.size, lOpts.size);
    const direction = missing.length || sizeDirection === DriftDirection.WEAKER ? DriftDirection.WEAKER
      : added.length || sizeDirection === DriftDirection.STRONGER ? DriftDirection.STRONGER : undefined;
    push(setting, d.options ?? 'defaults', l.options ?? 'defaults', direction);
  }
}

function compareUlimits(declared: ContainerSpec, live: ContainerSpec, push: Push): void {
  const byName = new Map((live.ulimits ?? []).map((u) => [u.name, u]));
  for (const d of declared.ulimits ?? []) {
    if ((d.unknown ?? []).length) continue;
    const l = byName.get(d.name);
    const text = (u?: { soft: number; hard: number }) => (u ? `${u.soft}:${u.hard}` : 'unset (the daemon\'s default)');
    const soft = l ? byLimit(limitOf(d.soft), limitOf(l.soft)) : DriftDirection.WEAKER;
    const hard = l ? byLimit(limitOf(d.hard), limitOf(l.hard)) : DriftDirection.WEAKER;
    const direction = soft === DriftDirection.WEAKER || hard === DriftDirection.WEAKER ? DriftDirection.WEAKER : soft ?? hard;
    push(`ulimit ${d.name}`, text(d), text(l), direction);
  }
}

/** A ulimit of -1 is unlimited. */
function limitOf(n: number): number {
  return n < 0 ? Infinity : n;
}

/** How many restarts the policy allows: `no`/`none` none, `on-failure` its retries (0: unbounded), the others unbounded. */
function restartBound(s: ContainerSpec): number {
  const policy = s.restartPolicy ?? 'no';
  if (policy === 'no' || policy === 'none' || policy === '') return 0;
  if (policy === 'on-failure' || policy === 'any') return s.maxRetryCount && s.maxRetryCount > 0 ? s.maxRetryCount : Infinity;
  return Infinity;
}

function restartText(s: ContainerSpec): string {
  const policy = s.restartPolicy ?? 'no';
  return s.maxRetryCount && s.maxRetryCount > 0 ? `${policy}:${s.maxRetryCount}` : policy;
}

function compareHealthcheck(declared: ContainerSpec, live: ContainerSpec, push: Push): void {
  const on = (s: ContainerSpec) => s.healthcheck !== undefined && s.healthcheck.test.length > 0 && s.healthcheck.test[0] !== 'NONE';
  const text = (s: ContainerSpec) => (on(s) ? JSON.stringify(s.healthcheck!.test) : 'none');
  const d = on(declared);
  const l = on(live);
  if (!d && !l) return;
  if (d !== l) {
    push('healthcheck', text(declared), text(live), l ? DriftDirection.STRONGER : DriftDirection.WEAKER);
    return;
  }
  const dh = declared.healthcheck!;
  const lh = live.healthcheck!;
  // Durations as the engine prints them (`30s`); the declaration may write `30s` or `0h0m30s`, so compare in ns.
  const same = JSON.stringify(dh.test) === JSON.stringify(lh.test)
    && sameDuration(dh.interval, lh.interval) && sameDuration(dh.timeout, lh.timeout)
    && sameDuration(dh.startPeriod, lh.startPeriod) && (dh.retries ?? 0) === (lh.retries ?? 0);
  if (!same) push('healthcheck', healthcheckText(dh), healthcheckText(lh), DriftDirection.CHANGED);
}

function healthcheckText(h: NonNullable<ContainerSpec['healthcheck']>): string {
  const parts = [JSON.stringify(h.test)];
  if (h.interval) parts.push(`interval ${h.interval}`);
  if (h.timeout) parts.push(`timeout ${h.timeout}`);
  if (h.startPeriod) parts.push(`start_period ${h.startPeriod}`);
  if (h.retries) parts.push(`retries ${h.retries}`);
  return parts.join(' ');
}

function sameDuration(a: string | undefined, b: string | undefined): boolean {
  return durationNs(a) === durationNs(b);
}

/** A Go duration in nanoseconds; unset and `0s` are 0 (Docker's default applies to both). */
export function durationNs(s: string | undefined): number {
  if (s === undefined || s === '' || s === '0') return 0;
  const unit: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  let total = 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) total += parseFloat(m[1]) * unit[m[2]];
  return Math.round(total);
}

/** `0.0.0.0`, `::` and an empty host ip all mean every interface. */
function hostIp(ip: string | undefined): string {
  return ip === undefined || ip === '' || ip === '::' || ip === '[::]' ? '0.0.0.0' : ip;
}

function portKey(p: PortSpec): string {
  return `${p.internal}/${p.protocol ?? 'tcp'}`;
}

function comparePorts(declared: PortSpec[], live: PortSpec[], push: Push): void {
  const liveByKey = new Map<string, PortSpec[]>();
  for (const p of live) liveByKey.set(portKey(p), [...(liveByKey.get(portKey(p)) ?? []), p]);
  const declaredKeys = new Set<string>();
  for (const d of declared) {
    const key = portKey(d);
    declaredKeys.add(key);
    if ((d.unknown ?? []).length) continue;
    const ls = liveByKey.get(key) ?? [];
    if (ls.length === 0) {
      push(`ports ${key}`, publishText(d), 'not published', DriftDirection.STRONGER);
      continue;
    }
    const ips = new Set(ls.map((l) => hostIp(l.ip)));
    const dIp = hostIp(d.ip);
    if (dIp !== '0.0.0.0' && ips.has('0.0.0.0')) push(`ports ${key} ip`, dIp, '0.0.0.0 (every interface)', DriftDirection.WEAKER);
    else if (!ips.has(dIp)) push(`ports ${key} ip`, dIp, [...ips].join(','), dIp === '0.0.0.0' ? DriftDirection.STRONGER : DriftDirection.CHANGED);
    if (d.external !== undefined && !ls.some((l) => l.external === d.external)) {
      push(`ports ${key} external`, String(d.external), ls.map((l) => l.external ?? 'random').join(','), DriftDirection.CHANGED);
    }
  }
  for (const [key, ls] of liveByKey) {
    if (!declaredKeys.has(key)) push(`ports ${key}`, 'not published', ls.map(publishText).join(', '), DriftDirection.WEAKER);
  }
}

function publishText(p: PortSpec): string {
  return `${hostIp(p.ip)}:${p.external ?? 'random'}->${p.internal}/${p.protocol ?? 'tcp'}`;
}

/** An anonymous volume (a 64-hex name): the image's VOLUME, made by Docker, not by hand. */
const ANONYMOUS_VOLUME = /^[0-9a-f]{64}$/;
const SHARING_PROPAGATION = /^r?shared$/;

function compareMounts(declared: MountSpec[], live: MountSpec[], push: Push): void {
  const liveMounts = live.filter((m) => m.type !== 'tmpfs');
  const byTarget = new Map(liveMounts.map((m) => [m.target, m]));
  const declaredTargets = new Set<string>();
  const text = (m: MountSpec) => `${m.type} ${m.source ?? ''}${m.readOnly ? ' (read-only)' : ''}`.replace(/ +/g, ' ').trim();
  for (const d of declared) {
    if (d.type === 'tmpfs') continue; // compared as tmpfs
    declaredTargets.add(d.target);
    if ((d.unknown ?? []).length) continue;
    const l = byTarget.get(d.target);
    const setting = `mounts ${d.target}`;
    if (!l) {
      push(setting, text(d), 'absent', DriftDirection.STRONGER);
      continue;
    }
    if (d.readOnly === true && l.readOnly !== true) push(`${setting} read_only`, 'true', 'false', DriftDirection.WEAKER);
    else if (d.readOnly !== true && l.readOnly === true) push(`${setting} read_only`, 'false', 'true', DriftDirection.STRONGER);
    if (d.source !== undefined && l.source !== undefined && d.source !== l.source && d.type !== 'volumes-from') {
      push(`${setting} source`, `${d.type} ${d.source}`, `${l.type} ${l.source}`, DriftDirection.CHANGED);
    }
    const dShared = SHARING_PROPAGATION.test(d.propagation ?? '');
    const lShared = SHARING_PROPAGATION.test(l.propagation ?? '');
    if (dShared !== lShared) {
      push(`${setting} propagation`, d.propagation ?? 'rprivate', l.propagation ?? 'rprivate', lShared ? DriftDirection.WEAKER : DriftDirection.STRONGER);
    }
  }
  for (const l of liveMounts) {
    if (declaredTargets.has(l.target)) continue;
    if (l.type === 'volume' && ANONYMOUS_VOLUME.test(l.source ?? '')) continue;
    push(`mounts ${l.target}`, 'absent', text(l), DriftDirection.WEAKER);
  }
}

const NAMESPACE_FIELDS: ReadonlyArray<[keyof ContainerSpec, string]> = [
  ['networkMode', 'network_mode'], ['pidMode', 'pid_mode'], ['ipcMode', 'ipc_mode'], ['usernsMode', 'userns_mode'],
  ['utsMode', 'uts_mode'], ['cgroupnsMode', 'cgroupns_mode'],
];

/**
 * Namespace modes. Only sharing the host's namespace (`host`) or another container's (`container:<id>`) is ordered
 * against a private one; the engine fills in its own defaults (`private`, `shareable`, `bridge`) where the
 * declaration says nothing, so other differences make no claim. An unset cgroupns mode is the daemon's default, which
 * is `host` on a cgroup v1 host: no claim either.
 */
function compareNamespace(setting: string, declared: string | undefined, live: string | undefined, push: Push): void {
  // Unset, the cgroup namespace is the daemon's default: `host` on cgroup v1 hosts, `private` on v2.
  if (setting === 'cgroupns_mode' && declared === undefined) return;
  if (setting === 'network_mode' && (declared === 'none') !== (live === 'none')) {
    // No network at all is the strongest mode.
    push(setting, declared ?? `${UNSET} (bridge)`, live ?? `${UNSET} (bridge)`, live === 'none' ? DriftDirection.STRONGER : DriftDirection.WEAKER);
    return;
  }
  const shared = (v: string | undefined) => v === 'host' || (v ?? '').startsWith('container:');
  const d = shared(declared);
  const l = shared(live);
  if (d === l) {
    if (d && declared !== live) push(setting, declared!, live!, DriftDirection.CHANGED);
    return;
  }
  push(setting, declared ?? `${UNSET} (private)`, live ?? `${UNSET} (private)`, l ? DriftDirection.WEAKER : DriftDirection.STRONGER);
}
