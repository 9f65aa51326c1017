/**
 * Linux capabilities, by the names Docker accepts (without the `CAP_` prefix): the 41 of Linux 5.9+
 * (capabilities(7)), plus `ALL`.
 *
 * A container built by HardenedContainer drops every capability and adds back only these, by name.
 */
export enum Capability {
  /** Every capability: equivalent to privileged for capabilities. Needs the `dangerousCapabilities` opt-out. */
  ALL = 'ALL',
  /** Change file owner and group. */
  CHOWN = 'CHOWN',
  /** Bypass file read, write and execute permission checks. */
  DAC_OVERRIDE = 'DAC_OVERRIDE',
  /** Bypass file read permission and directory read/execute checks (open_by_handle_at: a known container escape). */
  DAC_READ_SEARCH = 'DAC_READ_SEARCH',
  /** Bypass checks that require the file owner's UID. */
  FOWNER = 'FOWNER',
  /** Keep set-user/group-ID bits on modified files. */
  FSETID = 'FSETID',
  /** Send signals to any process. */
  KILL = 'KILL',
  /** Change GIDs. */
  SETGID = 'SETGID',
  /** Change UIDs. */
  SETUID = 'SETUID',
  /** Change the capability bounding set and transfer capabilities. */
  SETPCAP = 'SETPCAP',
  /** Set immutable and append-only file attributes. */
  LINUX_IMMUTABLE = 'LINUX_IMMUTABLE',
  /** Bind ports below 1024 inside the container. */
  NET_BIND_SERVICE = 'NET_BIND_SERVICE',
  /** Broadcast and listen to multicast. */
  NET_BROADCAST = 'NET_BROADCAST',
  /** Network administration: interfaces, routes, firewall. */
  NET_ADMIN = 'NET_ADMIN',
  /** Raw and packet sockets (ARP and ICMP spoofing). */
  NET_RAW = 'NET_RAW',
  /** Lock memory. */
  IPC_LOCK = 'IPC_LOCK',
  /** Bypass System V IPC permission checks. */
  IPC_OWNER = 'IPC_OWNER',
  /** Load and unload kernel modules: the host kernel. */
  SYS_MODULE = 'SYS_MODULE',
  /** Raw I/O: ioperm, iopl, /dev/mem. */
  SYS_RAWIO = 'SYS_RAWIO',
  /** chroot. */
  SYS_CHROOT = 'SYS_CHROOT',
  /** Trace any process (ptrace): read and change other processes' memory. */
  SYS_PTRACE = 'SYS_PTRACE',
  /** Process accounting. */
  SYS_PACCT = 'SYS_PACCT',
  /** Mount, namespaces, and much else: close to root on the host. */
  SYS_ADMIN = 'SYS_ADMIN',
  /** Reboot and kexec. */
  SYS_BOOT = 'SYS_BOOT',
  /** Raise priorities and set other processes' scheduling. */
  SYS_NICE = 'SYS_NICE',
  /** Override resource limits and quotas. */
  SYS_RESOURCE = 'SYS_RESOURCE',
  /** Set the system clock. */
  SYS_TIME = 'SYS_TIME',
  /** Configure ttys (vhangup). */
  SYS_TTY_CONFIG = 'SYS_TTY_CONFIG',
  /** Create device special files. */
  MKNOD = 'MKNOD',
  /** File leases. */
  LEASE = 'LEASE',
  /** Write to the kernel audit log. */
  AUDIT_WRITE = 'AUDIT_WRITE',
  /** Configure kernel auditing. */
  AUDIT_CONTROL = 'AUDIT_CONTROL',
  /** Set file capabilities. */
  SETFCAP = 'SETFCAP',
  /** Override mandatory access control. */
  MAC_OVERRIDE = 'MAC_OVERRIDE',
  /** Configure mandatory access control. */
  MAC_ADMIN = 'MAC_ADMIN',
  /** Privileged syslog operations (read kernel addresses). */
  SYSLOG = 'SYSLOG',
  /** Trigger wake-ups. */
  WAKE_ALARM = 'WAKE_ALARM',
  /** Block system suspend. */
  BLOCK_SUSPEND = 'BLOCK_SUSPEND',
  /** Read the audit log. */
  AUDIT_READ = 'AUDIT_READ',
  /** Performance monitoring (perf_event_open). */
  PERFMON = 'PERFMON',
  /** BPF programs and maps. */
  BPF = 'BPF',
  /** Checkpoint/restore (set PIDs of new processes). */
  CHECKPOINT_RESTORE = 'CHECKPOINT_RESTORE',
}

const ALL_NAMES = new Set<string>(Object.values(Capability));

/** True when `name` is one of the enum's values. */
export function isCapability(name: unknown): name is Capability {
  return typeof name === 'string' && ALL_NAMES.has(name);
}
