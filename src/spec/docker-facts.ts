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

/** Host ports below this are privileged (Linux `ip_unprivileged_port_start` default; CIS 5.8). */
export const FIRST_UNPRIVILEGED_PORT = 1024;

/** SELinux types that run a container unconfined: `spc_t` (what `label=disable` and `--privileged` give), `unconfined_t`. */
export const UNCONFINED_SELINUX_TYPES: readonly string[] = ['spc_t', 'unconfined_t'];

/**
 * SELinux label options (the part after `label=`) that turn confinement off: `disable` stops labelling, and the
 * types `spc_t` (super-privileged container) and `unconfined_t` are not confined by the container policy.
 */
export const CONFINEMENT_BREAKING_SELINUX_LABELS: readonly string[] = ['disable', ...UNCONFINED_SELINUX_TYPES.map((t) => `type:${t}`)];

/**
 * True when an SELinux label option turns confinement off: one of CONFINEMENT_BREAKING_SELINUX_LABELS, or a level
 * holding every MCS category (`level:s0:c0.c1023`), which lets the container reach every other container's files.
 */
export function breaksSelinuxConfinement(label: string): boolean {
  const l = label.trim().toLowerCase();
  return CONFINEMENT_BREAKING_SELINUX_LABELS.includes(l) || (l.startsWith('level:') && /(^|[:,])c0\.c1023(,|$)/.test(l));
}

/**
 * True for an inline seccomp profile (JSON text) that allows every system call by default and denies none: no
 * filter at all, like `seccomp=unconfined`. False for text that is not such a profile.
 */
export function seccompAllowsEverything(profileJson: string): boolean {
  const lenient = ['SCMP_ACT_ALLOW', 'SCMP_ACT_LOG'];
  try {
    const p = JSON.parse(profileJson);
    const allow = typeof p?.defaultAction === 'string' && lenient.includes(p.defaultAction.toUpperCase());
    const rules = Array.isArray(p?.syscalls) ? p.syscalls : [];
    const denies = rules.some((r: any) => typeof r?.action === 'string' && !lenient.includes(r.action.toUpperCase()));
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
