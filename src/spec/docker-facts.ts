/**
 * Docker security facts: the one list of each, read by the rules and by both constructs (HardenedContainer and
 * SecureService), so that what a construct refuses and what a rule flags cannot drift apart. Data and tiny pure
 * predicates only; internal (not exported from the package's index).
 */

/** The capabilities Docker grants by default (moby `oci/caps/defaults.go`), upper case without `CAP_`. */
export const DOCKER_DEFAULT_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'NET_RAW',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
];

/**
 * Capabilities that break host isolation or give a container control over the kernel, the host's network or other
 * processes: adding one is an error for the rules, and needs the `dangerousCapabilities` opt-out in the constructs
 * whatever a profile allows.
 */
export const DANGEROUS_CAPABILITIES: readonly string[] = [
  'ALL', 'SYS_ADMIN', 'SYS_MODULE', 'SYS_PTRACE', 'SYS_RAWIO', 'SYS_BOOT', 'SYS_TIME', 'SYS_RESOURCE', 'NET_ADMIN',
  'DAC_READ_SEARCH', 'BPF', 'PERFMON', 'MAC_ADMIN', 'MAC_OVERRIDE', 'LINUX_IMMUTABLE', 'SYSLOG', 'AUDIT_CONTROL',
  'CHECKPOINT_RESTORE', 'IPC_OWNER',
];

/**
 * Capabilities with which RLIMIT_NPROC binds nothing (kernel/fork.c exempts CAP_SYS_RESOURCE and CAP_SYS_ADMIN), so an
 * `nproc` ulimit is no stand-in for a PIDs limit.
 */
export const NPROC_BYPASSING_CAPABILITIES: readonly string[] = ['ALL', 'SYS_ADMIN', 'SYS_RESOURCE'];

/**
 * Host directories no container should bind: the CIS 5.6 list (`/ /boot /dev /etc /lib /proc /sys /usr`), plus
 * what usrmerge links into it (`/bin /sbin /lib32 /lib64 /libx32`) and the daemon's own state (`/var/lib/docker`).
 * `/` counts only itself; every other entry covers its subpaths.
 */
export const SENSITIVE_HOST_PATHS: readonly string[] = [
  '/', '/boot', '/dev', '/etc', '/lib', '/proc', '/sys', '/usr',
  '/bin', '/sbin', '/lib32', '/lib64', '/libx32', '/var/lib/docker',
];

/**
 * The container's own system directories: a writable mount or tmpfs at one of them, or at a directory above one
 * (`/`, `/var/lib`), replaces what the image has there with writable content. The same list as the host side.
 */
export const SYSTEM_DIRS: readonly string[] = SENSITIVE_HOST_PATHS;

/**
 * True when a local volume's `o` option (comma-separated mount options) makes it a bind mount of its `device`:
 * `bind` or `rbind` among them, as the local driver passes them to mount(2).
 */
export function isBindOption(o: string): boolean {
  return o.split(',').some((x) => {
    const t = x.trim();
    return t === 'bind' || t === 'rbind';
  });
}

/** Host ports below this are privileged (Linux `ip_unprivileged_port_start` default; CIS 5.8). */
export const FIRST_UNPRIVILEGED_PORT = 1024;

/**
 * SELinux types that run a container unconfined: `spc_t` (what `label=disable` and `--privileged` give), the
 * container runtime's own `container_runtime_t` (alias `docker_t`) and `kubelet_t`, which container-selinux makes
 * unconfined domains (container.te: `unconfined_domain_noaudit(spc_t)`, `unconfined_domain(container_runtime_t)`,
 * `unconfined_domain(kubelet_t)`), and the base policy's `unconfined_t` and `unconfined_service_t`.
 */
export const UNCONFINED_SELINUX_TYPES: readonly string[] = ['spc_t', 'unconfined_t', 'container_runtime_t', 'docker_t', 'kubelet_t', 'unconfined_service_t'];

/** The MCS categories of the policies Docker runs containers under (refpolicy and container-selinux): `c0` to `c1023`. */
export const SELINUX_CATEGORY_COUNT = 1024;

/** One level of an SELinux MLS range: a sensitivity (`s0`) and its categories, as inclusive number intervals. */
export interface SelinuxLevel {
  readonly sensitivity: number;
  /** `c3` is [3, 3], `c0.c1023` is [0, 1023]; in written order, possibly overlapping. */
  readonly categories: ReadonlyArray<readonly [number, number]>;
}

/**
 * An SELinux MLS range (the level part of a context, what `label=level:` sets), read as the kernel reads it
 * (security/selinux/ss/mls.c): `<low>[-<high>]` (the high level is the low one when not given), each level
 * `s<N>[:<categories>]`, the categories a comma list of `c<N>` and ranges `c<N>.c<M>` (N < M). Undefined for text
 * that is not such a range: the runtime refuses it and the container does not start.
 *
 * Names are the policy's own and the standard policies write them lower case without leading zeros; upper case is
 * read as lower case all the same (`S0:C0.C1023`): a policy may define such aliases, and a label the standard
 * policy refuses starts nothing, so reading it as meant costs nothing. Translated names (mcstrans `SystemHigh`)
 * never reach the kernel from Docker (it writes the raw context), so they are not ranges here.
 */
export function parseSelinuxRange(text: string): readonly SelinuxLevel[] | undefined {
  const t = text.trim().toLowerCase();
  const dash = t.indexOf('-');
  const parts = dash < 0 ? [t] : [t.slice(0, dash), t.slice(dash + 1)];
  const levels: SelinuxLevel[] = [];
  for (const part of parts) {
    const level = parseSelinuxLevel(part);
    if (level === undefined) return undefined;
    levels.push(level);
  }
  return levels;
}

function parseSelinuxLevel(text: string): SelinuxLevel | undefined {
  const colon = text.indexOf(':');
  const sensitivity = SELINUX_SENSITIVITY.exec(colon < 0 ? text : text.slice(0, colon));
  if (!sensitivity) return undefined;
  const categories: Array<readonly [number, number]> = [];
  if (colon >= 0) {
    for (const item of text.slice(colon + 1).split(',')) {
      const m = SELINUX_CATEGORY_ITEM.exec(item);
      if (!m) return undefined;
      const from = Number(m[1]);
      const to = m[2] === undefined ? from : Number(m[2]);
      // The kernel refuses a range that does not go upwards (`c5.c5`, `c9.c1`).
      if (to <= from && m[2] !== undefined) return undefined;
      categories.push([from, to]);
    }
  }
  return { sensitivity: Number(sensitivity[1]), categories };
}
const SELINUX_SENSITIVITY = /^s(0|[1-9][0-9]*)$/;
const SELINUX_CATEGORY_ITEM = /^c(0|[1-9][0-9]*)(?:\.c(0|[1-9][0-9]*))?$/;

/** True when a level holds every category, c0 to c1023, however written (`c0.c1023`, `c0.c511,c512.c1023`, ...). */
export function holdsEveryCategory(level: SelinuxLevel): boolean {
  const sorted = [...level.categories].sort((a, b) => a[0] - b[0]);
  let next = 0;
  for (const [from, to] of sorted) {
    if (from > next) return false;
    next = Math.max(next, to + 1);
    if (next >= SELINUX_CATEGORY_COUNT) return true;
  }
  return false;
}

/**
 * Why an SELinux label option (the part after `label=`: `disable`, `type:spc_t`, `level:s0:c0.c1023`) turns
 * confinement off, or undefined when it does not. The one judgement of it: the constructs refuse what it names, and
 * rule selinux-confinement-not-disabled flags it.
 *
 * - `disable` stops labelling: the container runs as spc_t.
 * - the types `spc_t` (super-privileged container) and `unconfined_t` are not confined by the container policy.
 * - a level holding every MCS category (`s0:c0.c1023`, or as a range's high level, `s0-s0:c0.c1023`) dominates every
 *   other container's level: Docker isolates containers from each other by giving each two categories, and a
 *   process whose level holds them all may read and write what every container labelled. That is the level
 *   container-selinux gives spc_t; ordinary containers get two categories (`s0:c123,c456`).
 *
 * A key or value Docker refuses (`level:s0:c0.c1023,`, `Level:...`) is not judged: such a container does not start.
 */
export function selinuxLabelBreakingConfinement(label: string): string | undefined {
  const text = label.trim();
  if (text.toLowerCase() === 'disable') return 'SELinux labelling is off';
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  const key = text.slice(0, colon).trim().toLowerCase();
  const value = text.slice(colon + 1).trim();
  if (key === 'type') {
    const type = value.toLowerCase();
    return UNCONFINED_SELINUX_TYPES.includes(type) ? `the container runs as the unconfined SELinux type ${type}` : undefined;
  }
  if (key === 'level') {
    const range = parseSelinuxRange(value);
    if (range !== undefined && range.some(holdsEveryCategory)) {
      return `the SELinux level ${value} holds every MCS category (c0.c1023): the container can reach the files and processes of every other container`;
    }
  }
  return undefined;
}

/** True when an SELinux label option turns confinement off (see selinuxLabelBreakingConfinement). */
export function breaksSelinuxConfinement(label: string): boolean {
  return selinuxLabelBreakingConfinement(label) !== undefined;
}

/**
 * True for an inline seccomp profile (JSON text) that allows every system call by default and denies none: no
 * filter at all, like `seccomp=unconfined`. A rule denies only when it names a system call (`names`, or the older
 * `name`): one with an empty `names` list filters nothing. False for text that is not such a profile.
 */
export function seccompAllowsEverything(profileJson: string): boolean {
  const lenient = ['SCMP_ACT_ALLOW', 'SCMP_ACT_LOG'];
  try {
    const p = JSON.parse(profileJson);
    const allow = typeof p?.defaultAction === 'string' && lenient.includes(p.defaultAction.toUpperCase());
    const rules = Array.isArray(p?.syscalls) ? p.syscalls : [];
    const named = (r: any) => (Array.isArray(r?.names) && r.names.some((n: unknown) => typeof n === 'string' && n !== ''))
      || (typeof r?.name === 'string' && r.name !== '');
    const denies = rules.some((r: any) => typeof r?.action === 'string' && !lenient.includes(r.action.toUpperCase()) && named(r));
    return allow && !denies;
  } catch {
    return false;
  }
}

/**
 * The security option that leaves /proc and /sys unmasked and writable: Docker then sets no MaskedPaths
 * (/proc/kcore, /proc/keys, /sys/firmware, ...) and no ReadonlyPaths (/proc/sys, /proc/sysrq-trigger, ...).
 */
export const UNCONFINED_SYSTEM_PATHS_OPTION = 'systempaths=unconfined';

/** A path normalized the POSIX way (`//etc/./ssl/` -> `/etc/ssl`, `/usr/../etc` -> `/etc`); undefined unless absolute. */
export function normalizeAbsolutePath(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const p = path.trim();
  if (!p.startsWith('/')) return undefined;
  // Already normal (no empty, `.` or `..` segment, no trailing slash): the common case, returned as is.
  if (p.length > 1 && p.indexOf('//') < 0 && p.indexOf('/.') < 0 && p.charCodeAt(p.length - 1) !== 47) return p;
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

/** True when `path` is `dir` or lies below it (`/etc` covers `/etc/ssl`, not `/etcetera`); `/` covers only `/`. */
export function isAtOrBelow(path: string, dir: string): boolean {
  if (dir === '/') return path === '/';
  // No `dir + '/'`: this runs for every sensitive directory and every bind mount of every container.
  return path.startsWith(dir) && (path.length === dir.length || path.charCodeAt(dir.length) === 47);
}

/**
 * The system directory a writable mount at `target` (normalized) replaces or hides: `target` itself when it is one,
 * else the first system directory below `target` (`/var/lib` hides `/var/lib/docker`, `/` hides all); undefined
 * when none.
 */
export function systemDirCoveredBy(target: string): string | undefined {
  if (target === '/') return '/';
  return SYSTEM_DIRS.find((dir) => dir !== '/' && (dir === target || dir.startsWith(target + '/')));
}
