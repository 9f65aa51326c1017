import { CORE_CASES } from './cases-core';
import { container, engineContainer, engineService, service } from './specs';
import { RuleStatus } from '../../src/rules/rule';
import { ContainerSpec } from '../../src/spec/container-spec';

export interface RuleCase {
  readonly rule: string;
  readonly name: string;
  readonly spec: ContainerSpec;
  readonly status: RuleStatus;
  /** What the message must say (the offending value, the provider's reason). */
  readonly message?: RegExp;
  /** A failing literal item beside unknown ones: without the unknowns the result is the same. */
  readonly besideUnknown?: boolean;
}

const PASS = RuleStatus.PASS;
const FAIL = RuleStatus.FAIL;
const UNKNOWN = RuleStatus.UNKNOWN;
const NA = RuleStatus.NOT_APPLICABLE;

const c = (rule: string, name: string, spec: ContainerSpec, status: RuleStatus, message?: RegExp): RuleCase =>
  ({ rule, name, spec, status, message });
/** A literal failing item beside an unknown one: it fails, whatever the unknown one is. */
const beside = (rule: string, name: string, spec: ContainerSpec, message?: RegExp): RuleCase =>
  ({ rule, name, spec, status: FAIL, message, besideUnknown: true });
/** A list whose every item is listed, some with unknown attributes (`listedInFull`). */
const listed = (field: string, fields: Partial<ContainerSpec>): Partial<ContainerSpec> =>
  ({ ...fields, unknown: [field], listedInFull: [field] });

/** Pass, fail and unknown cases for every built-in rule (test/rules/catalog.test.ts checks each rule has all three). */
export const CASES: RuleCase[] = [
  // 4.1
  c('non-root-user', 'numeric non-root uid:gid', container({ user: '10001:10001' }), PASS),
  c('non-root-user', 'named user', container({ user: 'app' }), PASS),
  c('non-root-user', 'uid with root group', container({ user: '1000:0' }), PASS),
  c('non-root-user', 'unset', container({}), FAIL, /not set/),
  c('non-root-user', 'empty', container({ user: '' }), FAIL, /not set/),
  c('non-root-user', '0', container({ user: '0' }), FAIL, /"0" is root/),
  c('non-root-user', 'root', container({ user: 'root' }), FAIL, /"root" is root/),
  c('non-root-user', '0:0', container({ user: '0:0' }), FAIL, /"0:0"/),
  c('non-root-user', 'root:root', container({ user: 'root:root' }), FAIL, /"root:root"/),
  c('non-root-user', '0:1000', container({ user: '0:1000' }), FAIL, /"0:1000"/),
  c('non-root-user', 'leading zeros', container({ user: '000' }), FAIL),
  c('non-root-user', 'service as root', service({ user: 'root' }), FAIL),
  c('non-root-user', 'service non-root', service({ user: '10001' }), PASS),
  c('non-root-user', 'unknown user', container({ unknown: ['user'] }), UNKNOWN, /user/),

  // 5.2
  c('apparmor-profile', 'named profile', container({ securityOpts: ['apparmor=docker-default'] }), PASS),
  c('apparmor-profile', 'old colon form', container({ securityOpts: ['apparmor:my-profile'] }), PASS),
  c('apparmor-profile', 'none', container({ securityOpts: ['no-new-privileges:true'] }), FAIL, /no apparmor/),
  c('apparmor-profile', 'unconfined', container({ securityOpts: ['apparmor=unconfined'] }), FAIL, /apparmor=unconfined/),
  c('apparmor-profile', 'service: provider cannot', service({}), FAIL, /3\.6\.2 cannot set an AppArmor profile on docker_service/),
  c('apparmor-profile', 'unknown security_opts', container({ unknown: ['securityOpts'] }), UNKNOWN),

  // 5.3
  c('selinux-options', 'label set', container({ securityOpts: ['label=type:container_t'] }), PASS),
  c('selinux-options', 'no label', container({}), FAIL, /no SELinux label/),
  c('selinux-options', 'label=disable', container({ securityOpts: ['label=disable'] }), FAIL, /label=disable/),
  c('selinux-options', 'service without a context', service({}), FAIL, /no SELinux context \(task_spec\.container_spec\.privileges\.se_linux_context\)/),
  c('selinux-options', 'service with a context', service({ securityOpts: ['label=type:container_t', 'label=level:s0:c1,c2'] }), PASS),
  c('selinux-options', 'service context disabled', service({ securityOpts: ['label=disable'] }), FAIL, /se_linux_context gives "label=disable"/),
  c('selinux-options', 'a label beside an unknown option', container({ securityOpts: ['label=type:container_t'], unknown: ['securityOpts'] }), UNKNOWN),
  beside('selinux-options', 'label=disable beside an unknown option', container({ securityOpts: ['label=disable'], unknown: ['securityOpts'] }), /label=disable/),
  c('selinux-confinement-not-disabled', 'a label', container({ securityOpts: ['label=type:container_t'] }), PASS),
  c('selinux-confinement-not-disabled', 'none', container({}), PASS),
  c('selinux-confinement-not-disabled', 'service with a level', service({ securityOpts: ['label=level:s0:c1,c2'] }), PASS),
  c('selinux-confinement-not-disabled', 'label=disable', container({ securityOpts: ['label=disable'] }), FAIL, /label=disable.*labelling is off/),
  c('selinux-confinement-not-disabled', 'label:disable', container({ securityOpts: ['label:disable'] }), FAIL, /label:disable/),
  c('selinux-confinement-not-disabled', 'type spc_t', container({ securityOpts: ['label=type:spc_t'] }), FAIL, /unconfined SELinux type spc_t/),
  c('selinux-confinement-not-disabled', 'type unconfined_t, colon form', container({ securityOpts: ['label:type:unconfined_t'] }), FAIL, /unconfined_t/),
  c('selinux-confinement-not-disabled', 'service disable = true', service({ securityOpts: ['label=disable'] }), FAIL, /se_linux_context gives "label=disable"/),
  c('selinux-confinement-not-disabled', 'service type spc_t', service({ securityOpts: ['label=type:spc_t'] }), FAIL, /spc_t/),
  c('selinux-confinement-not-disabled', 'unknown', container({ securityOpts: ['label=type:container_t'], unknown: ['securityOpts'] }), UNKNOWN),
  beside('selinux-confinement-not-disabled', 'spc_t beside an unknown option', container({ securityOpts: ['label=type:spc_t'], unknown: ['securityOpts'] }), /spc_t/),
  c('selinux-options', 'unknown security_opts', container({ unknown: ['securityOpts'] }), UNKNOWN),

  // 5.4
  c('no-added-capabilities', 'none added', container({ capDrop: ['ALL'] }), PASS),
  c('no-added-capabilities', 'default-set add-back', container({ capDrop: ['ALL'], capAdd: ['NET_BIND_SERVICE', 'cap_chown'] }), PASS),
  c('no-added-capabilities', 'NET_ADMIN', container({ capAdd: ['NET_ADMIN'] }), FAIL, /NET_ADMIN/),
  c('no-added-capabilities', 'SYS_NICE', container({ capAdd: ['CHOWN', 'sys_nice'] }), FAIL, /sys_nice/),
  c('no-added-capabilities', 'ALL', container({ capAdd: ['all'] }), FAIL, /all/),
  c('no-added-capabilities', 'service cap_add', service({ capAdd: ['SYS_ADMIN'] }), FAIL),
  c('no-added-capabilities', 'unknown', container({ unknown: ['capAdd', 'capDrop'] }), UNKNOWN),
  c('no-dangerous-capabilities', 'harmless add', container({ capAdd: ['NET_BIND_SERVICE', 'SYS_NICE'] }), PASS),
  c('no-dangerous-capabilities', 'SYS_ADMIN', container({ capAdd: ['SYS_ADMIN'] }), FAIL, /SYS_ADMIN/),
  c('no-dangerous-capabilities', 'CAP_SYS_MODULE', container({ capAdd: ['CAP_SYS_MODULE'] }), FAIL, /CAP_SYS_MODULE/),
  c('no-dangerous-capabilities', 'ALL', container({ capAdd: ['ALL'] }), FAIL, /ALL/),
  c('no-dangerous-capabilities', 'service sys_ptrace', service({ capAdd: ['sys_ptrace'] }), FAIL, /sys_ptrace/),
  c('no-dangerous-capabilities', 'unknown', container({ unknown: ['capAdd'] }), UNKNOWN),

  // 5.5
  c('no-privileged', 'not set', container({}), PASS),
  c('no-privileged', 'false', container({ privileged: false }), PASS),
  c('no-privileged', 'true', container({ privileged: true }), FAIL, /privileged = true/),
  c('no-privileged', 'unknown', container({ unknown: ['privileged'] }), UNKNOWN),

  // 5.6
  c('no-sensitive-host-mounts', 'data dir', container({ mounts: [{ type: 'bind', source: '/srv/data', target: '/data' }] }), PASS),
  c('no-sensitive-host-mounts', 'etc read-only', container({ mounts: [{ type: 'bind', source: '/etc/ssl/certs', target: '/certs', readOnly: true }] }), PASS),
  c('no-sensitive-host-mounts', 'named volume called etc', container({ mounts: [{ type: 'volume', source: 'etc', target: '/etc/app' }] }), PASS),
  c('no-sensitive-host-mounts', '/etcetera is not /etc', container({ mounts: [{ type: 'bind', source: '/etcetera', target: '/x' }] }), PASS),
  c('no-sensitive-host-mounts', 'root rw', container({ mounts: [{ type: 'bind', source: '/', target: '/host' }] }), FAIL, /\/ -> \/host \(rw\)/),
  c('no-sensitive-host-mounts', '/etc rw', container({ mounts: [{ type: 'bind', source: '/etc', target: '/host/etc', readOnly: false }] }), FAIL, /\/etc/),
  c('no-sensitive-host-mounts', 'subpath /usr/lib', container({ mounts: [{ type: 'bind', source: '/usr/lib/', target: '/l' }] }), FAIL, /\/usr\/lib/),
  c('no-sensitive-host-mounts', 'non-normal path', container({ mounts: [{ type: 'bind', source: '/srv/../proc', target: '/p' }] }), FAIL, /\/srv\/\.\.\/proc/),
  c('no-sensitive-host-mounts', 'service bind /sys', service({ mounts: [{ type: 'bind', source: '/sys', target: '/sys' }] }), FAIL),
  c('no-sensitive-host-mounts', 'unknown', container({ unknown: ['mounts'] }), UNKNOWN),
  c('no-sensitive-host-mounts-read-only', 'data dir', container({ mounts: [{ type: 'bind', source: '/srv/data', target: '/data', readOnly: true }] }), PASS),
  c('no-sensitive-host-mounts-read-only', 'rw is the other rule', container({ mounts: [{ type: 'bind', source: '/etc', target: '/e' }] }), PASS),
  c('no-sensitive-host-mounts-read-only', '/etc/localtime ro', container({ mounts: [{ type: 'bind', source: '/etc/localtime', target: '/etc/localtime', readOnly: true }] }), FAIL, /\/etc\/localtime .*\(ro\)/),
  c('no-sensitive-host-mounts-read-only', 'unknown', container({ unknown: ['mounts'] }), UNKNOWN),

  c('no-mount-over-system-dirs', 'config below /etc', container({ mounts: [{ type: 'volume', source: 'conf', target: '/etc/app' }] }), PASS),
  c('no-mount-over-system-dirs', 'read-only over /etc', container({ mounts: [{ type: 'volume', source: 'conf', target: '/etc', readOnly: true }] }), PASS),
  c('no-mount-over-system-dirs', 'volume over /usr', container({ mounts: [{ type: 'volume', source: 'tools', target: '/usr/' }] }), FAIL, /tools -> \/usr\//),
  c('no-mount-over-system-dirs', 'service tmpfs over /etc', service({ mounts: [{ type: 'tmpfs', target: '/etc' }] }), FAIL, /tmpfs -> \/etc/),
  c('no-mount-over-system-dirs', 'unknown', container({ unknown: ['mounts'] }), UNKNOWN),

  // 5.8
  c('no-privileged-host-ports', 'high port', container({ ports: [{ internal: 80, external: 8080, ip: '127.0.0.1' }] }), PASS),
  c('no-privileged-host-ports', 'random host port', container({ ports: [{ internal: 80 }] }), PASS),
  c('no-privileged-host-ports', '1025', container({ ports: [{ internal: 80, external: 1025 }] }), PASS),
  c('no-privileged-host-ports', '1024 is not privileged (Linux, CIS 5.8)', container({ ports: [{ internal: 53, external: 1024, protocol: 'udp' }] }), PASS),
  c('no-privileged-host-ports', '1023 udp', container({ ports: [{ internal: 53, external: 1023, protocol: 'udp' }] }), FAIL, /below 1024\): 1023 -> 53\/udp/),
  c('no-privileged-host-ports', 'publish_all_ports: random high ports', container({ publishAllPorts: true }), PASS),
  c('no-privileged-host-ports', 'an unknown host port', container(listed('ports', { ports: [{ internal: 80, external: 8080 }, { internal: 22, unknown: ['external'] }] })), UNKNOWN),
  beside('no-privileged-host-ports', 'port 80 beside an unknown port', container({ ports: [{ internal: 8080, external: 80 }], unknown: ['ports'] }), /80 -> 8080/),
  beside('no-privileged-host-ports', 'port 80 beside a port with an unknown host port', container(listed('ports', { ports: [{ internal: 8080, external: 80 }, { internal: 22, unknown: ['external'] }] })), /80 -> 8080/),
  c('no-privileged-host-ports', '80', container({ ports: [{ internal: 8080, external: 80 }] }), FAIL, /80 -> 8080\/tcp/),
  c('no-privileged-host-ports', 'service 443', service({ ports: [{ internal: 8443, external: 443, ip: '0.0.0.0' }] }), FAIL, /443/),
  c('no-privileged-host-ports', 'unknown', container({ unknown: ['ports'] }), UNKNOWN),
  // 5.7
  c('no-sshd', 'live, no sshd', engineContainer({ processes: ['sleep 600', 'grep sshd'] }), PASS),
  c('no-sshd', 'live, sshd', engineContainer({ processes: ['sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups'] }), FAIL, /sshd runs/),
  c('no-sshd', 'live, sshd by path', engineContainer({ processes: ['/usr/sbin/sshd -D'] }), FAIL, /\/usr\/sbin\/sshd/),
  c('no-sshd', 'host PID namespace', container({ pidMode: 'host' }), FAIL, /pid_mode = "host"/),
  c('no-sshd', 'Terraform: a process is not configuration', container({}), NA),
  c('no-sshd', 'live, stopped', engineContainer({}), NA, /not running/),
  c('no-sshd', 'unknown', container({ unknown: ['pidMode'] }), UNKNOWN),
  // 5.9
  c('published-ports', 'no ports', container({}), PASS),
  c('published-ports', 'loopback port', container({ ports: [{ internal: 8080, external: 18080, ip: '127.0.0.1' }] }), FAIL, /127\.0\.0\.1:18080 -> 8080\/tcp/),
  c('published-ports', 'random host port', container({ ports: [{ internal: 80 }] }), FAIL, /0\.0\.0\.0:<random> -> 80\/tcp/),
  c('published-ports', 'service port', service({ ports: [{ internal: 8080, external: 443, ip: '0.0.0.0' }] }), FAIL, /443/),
  c('published-ports', 'unknown', container({ unknown: ['ports'] }), UNKNOWN),

  // 5.10
  c('no-host-network', 'bridge', container({ networkMode: 'bridge' }), PASS),
  c('no-host-network', 'custom network', container({ networks: ['app'] }), PASS),
  c('no-host-network', 'host mode', container({ networkMode: 'host' }), FAIL, /network_mode = "host"/),
  c('no-host-network', 'service on host network', service({ networks: ['host'] }), FAIL, /"host" network/),
  c('no-host-network', 'unknown', container({ unknown: ['networkMode'] }), UNKNOWN),

  // 5.11
  c('memory-limit', '256 MiB', container({ memoryBytes: 256 * 1024 * 1024 }), PASS),
  c('memory-limit', 'service limit', service({ memoryBytes: 128 * 1024 * 1024 }), PASS),
  c('memory-limit', 'unset', container({}), FAIL, /not set/),
  c('memory-limit', '0', container({ memoryBytes: 0 }), FAIL, /memory = 0/),
  c('memory-limit', 'service unset', service({}), FAIL),
  c('memory-limit', 'unknown', container({ unknown: ['memoryBytes'] }), UNKNOWN),

  // 5.12
  c('cpu-limit', 'shares and quota', container({ cpuShares: 512, cpuPeriod: 100000, cpuQuota: 50000 }), PASS),
  c('cpu-limit', 'engine nano cpus', engineContainer({ nanoCpus: 500000000 }), PASS),
  c('cpu-limit', 'service nano cpus', service({ nanoCpus: 500000000 }), PASS),
  c('cpu-limit', 'nothing', container({}), FAIL, /neither/),
  c('cpu-limit', 'quota only (the reference flags CpuShares 0)', container({ cpuPeriod: 100000, cpuQuota: 50000 }), FAIL, /cpu_shares is not set/),
  c('cpu-limit', 'shares only', container({ cpuShares: 512 }), FAIL, /nothing caps it/),
  c('cpu-limit', 'service without nano_cpus', service({ memoryBytes: 1 }), FAIL, /nano_cpus/),
  c('cpu-limit', 'unknown quota', container({ cpuShares: 512, unknown: ['cpuQuota'] }), UNKNOWN),

  // 5.13
  c('read-only-rootfs', 'read-only', container({ readOnly: true }), PASS),
  c('read-only-rootfs', 'unset', container({}), FAIL, /not set/),
  c('read-only-rootfs', 'false', container({ readOnly: false }), FAIL, /read_only = false/),
  c('read-only-rootfs', 'unknown', container({ unknown: ['readOnly'] }), UNKNOWN),

  // 5.14
  c('ports-bound-to-interface', 'loopback', container({ ports: [{ internal: 80, external: 8080, ip: '127.0.0.1' }] }), PASS),
  c('ports-bound-to-interface', 'ipv6 loopback', container({ ports: [{ internal: 80, external: 8080, ip: '::1' }] }), PASS),
  c('ports-bound-to-interface', 'no ports', container({}), PASS),
  c('ports-bound-to-interface', 'service without ports', service({}), PASS),
  c('ports-bound-to-interface', 'ip absent', container({ ports: [{ internal: 80, external: 8080 }] }), FAIL, /ip not set/),
  c('ports-bound-to-interface', '0.0.0.0', container({ ports: [{ internal: 80, ip: '0.0.0.0' }] }), FAIL, /0\.0\.0\.0/),
  c('ports-bound-to-interface', '::', container({ ports: [{ internal: 80, external: 8080, ip: '::' }] }), FAIL, /:::8080/),
  c('ports-bound-to-interface', 'service publishes', service({ ports: [{ internal: 80, external: 8080, ip: '0.0.0.0', publishMode: 'host' }] }), FAIL, /Swarm cannot bind/),
  c('ports-bound-to-interface', 'unknown', container({ unknown: ['ports'] }), UNKNOWN),

  // 5.15
  c('restart-retries', 'no restart', container({}), PASS),
  c('restart-retries', 'on-failure 5', container({ restartPolicy: 'on-failure', maxRetryCount: 5 }), PASS),
  c('restart-retries', 'service on-failure 3', service({ restartPolicy: 'on-failure', maxRetryCount: 3 }), PASS),
  c('restart-retries', 'service none', service({ restartPolicy: 'none' }), PASS),
  c('restart-retries', 'on-failure 6', container({ restartPolicy: 'on-failure', maxRetryCount: 6 }), FAIL, /max_retry_count = 6/),
  c('restart-retries', 'on-failure unbounded', container({ restartPolicy: 'on-failure' }), FAIL, /without bound/),
  c('restart-retries', 'always', container({ restartPolicy: 'always' }), FAIL, /"always"/),
  c('restart-retries', 'unless-stopped', container({ restartPolicy: 'unless-stopped' }), FAIL, /"unless-stopped"/),
  c('restart-retries', 'service default', service({}), FAIL, /Swarm's default/),
  c('restart-retries', 'service 10 attempts', service({ restartPolicy: 'any', maxRetryCount: 10 }), FAIL, /max_attempts = 10/),
  c('restart-retries', 'unknown count', container({ restartPolicy: 'on-failure', unknown: ['maxRetryCount'] }), UNKNOWN),

  // 5.16, 5.17, 5.31, 5.21
  c('no-host-pid', 'private', container({}), PASS),
  c('no-host-pid', 'another container', container({ pidMode: 'container:abc' }), PASS),
  c('no-host-pid', 'host', container({ pidMode: 'host' }), FAIL, /pid_mode = "host"/),
  c('no-host-pid', 'unknown', container({ unknown: ['pidMode'] }), UNKNOWN),
  c('no-host-ipc', 'private', container({ ipcMode: 'private' }), PASS),
  c('no-host-ipc', 'host', container({ ipcMode: 'host' }), FAIL, /ipc_mode = "host"/),
  c('no-host-ipc', 'unknown', container({ unknown: ['ipcMode'] }), UNKNOWN),
  c('no-host-userns', 'default', container({}), PASS),
  c('no-host-userns', 'host', container({ usernsMode: 'host' }), FAIL, /userns_mode = "host"/),
  c('no-host-userns', 'HOST in capitals', engineContainer({ usernsMode: 'HOST' }), FAIL, /HOST/),
  c('no-host-userns', 'unknown', container({ unknown: ['usernsMode'] }), UNKNOWN),
  c('no-host-uts', 'live container private', engineContainer({ utsMode: '' }), PASS),
  c('no-host-uts', 'live container host', engineContainer({ utsMode: 'host' }), FAIL, /UTSMode = "host"/),
  c('no-host-uts', 'terraform: no uts_mode', container({}), NA, /no uts_mode/),
  c('no-host-uts', 'unknown (live)', engineContainer({ unknown: ['utsMode'] }), UNKNOWN),

  // 5.18
  c('no-host-devices', 'none', container({}), PASS),
  c('no-host-devices', 'fuse', container({ devices: [{ hostPath: '/dev/fuse' }] }), FAIL, /\/dev\/fuse \(rwm\)/),
  c('no-host-devices', 'renamed disk', container({ devices: [{ hostPath: '/dev/sda', containerPath: '/dev/xvda', permissions: 'r' }] }), FAIL, /\/dev\/sda -> \/dev\/xvda \(r\)/),
  c('no-host-devices', 'unknown', container({ unknown: ['devices'] }), UNKNOWN),

  // 5.19
  c('ulimits-set', 'nofile', container({ ulimits: [{ name: 'nofile', soft: 1024, hard: 1024 }] }), PASS),
  c('ulimits-set', 'none', container({}), FAIL, /no ulimit/),
  c('ulimits-set', 'service: provider cannot', service({}), FAIL, /cannot set ulimits on docker_service/),
  c('ulimits-set', 'live service with ulimits', engineService({ ulimits: [{ name: 'nproc', soft: 64, hard: 64 }] }), PASS),
  c('ulimits-set', 'unknown', container({ unknown: ['ulimits'] }), UNKNOWN),

  // 5.20
  c('no-shared-mount-propagation', 'rprivate', container({ mounts: [{ type: 'bind', source: '/srv', target: '/srv', propagation: 'rprivate' }] }), PASS),
  c('no-shared-mount-propagation', 'rslave', container({ mounts: [{ type: 'bind', source: '/srv', target: '/srv', propagation: 'rslave' }] }), PASS),
  c('no-shared-mount-propagation', 'shared', container({ mounts: [{ type: 'bind', source: '/srv', target: '/srv', propagation: 'shared' }] }), FAIL, /\/srv -> \/srv \(shared\)/),
  c('no-shared-mount-propagation', 'rshared', service({ mounts: [{ type: 'bind', source: '/mnt', target: '/mnt', propagation: 'rshared' }] }), FAIL, /rshared/),
  c('no-shared-mount-propagation', 'unknown', container({ unknown: ['mounts'] }), UNKNOWN),

  // 5.22
  c('no-unconfined-seccomp', 'default', container({}), PASS),
  c('no-unconfined-seccomp', 'tailored inline profile', container({ securityOpts: ['seccomp={"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}'] }), PASS),
  c('no-unconfined-seccomp', 'seccomp=unconfined', container({ securityOpts: ['seccomp=unconfined'] }), FAIL, /seccomp=unconfined/),
  c('no-unconfined-seccomp', 'seccomp:unconfined', container({ securityOpts: ['no-new-privileges', 'seccomp:unconfined'] }), FAIL, /seccomp:unconfined/),
  c('no-unconfined-seccomp', 'allow-all inline profile', container({ securityOpts: ['seccomp={"defaultAction":"SCMP_ACT_ALLOW"}'] }), FAIL, /allows every system call/),
  c('no-unconfined-seccomp', 'padded', container({ securityOpts: ['seccomp= unconfined'] }), FAIL, /seccomp= unconfined/),
  c('no-unconfined-seccomp', 'service (cannot be changed)', service({}), PASS),
  c('no-unconfined-seccomp', 'unknown', container({ unknown: ['securityOpts'] }), UNKNOWN),

  // 5.25
  c('no-cgroup-parent', 'unset', container({}), PASS),
  c('no-cgroup-parent', 'set', container({ cgroupParent: '/custom' }), FAIL, /cgroup_parent = "\/custom"/),
  c('no-cgroup-parent', 'unknown', container({ unknown: ['cgroupParent'] }), UNKNOWN),

  // 5.26
  c('no-new-privileges', 'bare', container({ securityOpts: ['no-new-privileges'] }), PASS),
  c('no-new-privileges', ':true', container({ securityOpts: ['no-new-privileges:true'] }), PASS),
  c('no-new-privileges', '=true', container({ securityOpts: ['no-new-privileges=true'] }), PASS),
  c('no-new-privileges', 'daemon sets it', engineContainer({ daemonNoNewPrivileges: true }), PASS, /daemon/),
  c('no-new-privileges', 'daemon sets it, service', service({ daemonNoNewPrivileges: true }), PASS),
  c('no-new-privileges', 'absent', container({ securityOpts: ['seccomp=unconfined'] }), FAIL, /no no-new-privileges/),
  c('no-new-privileges', ':false', container({ securityOpts: ['no-new-privileges:false'] }), FAIL, /no-new-privileges:false/),
  c('no-new-privileges', 'last one wins', container({ securityOpts: ['no-new-privileges:true', 'no-new-privileges=false'] }), FAIL, /=false/),
  c('no-new-privileges', 'not a boolean', container({ securityOpts: ['no-new-privileges:yes'] }), FAIL, /not a boolean/),
  c('no-new-privileges', 'service: provider cannot', service({ user: '1000' }), FAIL, /cannot set no-new-privileges on docker_service/),
  c('no-new-privileges', 'unknown', container({ unknown: ['securityOpts'] }), UNKNOWN),

  // 5.27
  c('healthcheck', 'CMD', container({ healthcheck: { test: ['CMD', 'wget', '-q', 'http://127.0.0.1/'] } }), PASS),
  c('healthcheck', 'service CMD-SHELL', service({ healthcheck: { test: ['CMD-SHELL', 'true'] } }), PASS),
  c('healthcheck', 'absent', container({}), FAIL, /no healthcheck/),
  c('healthcheck', 'NONE', container({ healthcheck: { test: ['NONE'] } }), FAIL, /NONE/),
  c('healthcheck', 'unknown', container({ unknown: ['healthcheck'] }), UNKNOWN),

  // 5.29
  c('pids-limit', 'live container with a limit', engineContainer({ pidsLimit: 256 }), PASS),
  c('pids-limit', 'live container unlimited', engineContainer({ pidsLimit: -1 }), FAIL, /-1/),
  c('pids-limit', 'terraform container: provider cannot', container({ ulimits: [{ name: 'nproc', soft: 256, hard: 256 }] }), FAIL, /cannot set a PIDs limit on docker_container.*nproc ulimit \(256\/256\)/),
  c('pids-limit', 'terraform service: provider cannot', service({}), FAIL, /cannot set a PIDs limit on docker_service/),
  c('pids-limit', 'unknown (live)', engineContainer({ unknown: ['pidsLimit'] }), UNKNOWN),

  // 5.30
  c('no-default-bridge', 'user network', container({ networks: ['app'] }), PASS),
  c('no-default-bridge', 'none', container({ networkMode: 'none' }), PASS),
  c('no-default-bridge', 'live, moved off bridge', engineContainer({ networkMode: 'default', networks: ['app'] }), PASS),
  c('no-default-bridge', 'nothing set', container({}), FAIL, /default bridge/),
  c('no-default-bridge', 'explicit bridge', container({ networkMode: 'bridge', networks: ['app'] }), FAIL, /network_mode = "bridge"/),
  c('no-default-bridge', 'live default', engineContainer({ networkMode: 'default' }), FAIL, /"default"/),
  c('no-default-bridge', 'unknown', container({ unknown: ['networks'] }), UNKNOWN),

  // 5.32
  c('no-docker-socket', 'data', container({ mounts: [{ type: 'bind', source: '/srv/data', target: '/data' }] }), PASS),
  c('no-docker-socket', 'socket', container({ mounts: [{ type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: true }] }), FAIL, /\/var\/run\/docker\.sock/),
  c('no-docker-socket', '/run', container({ mounts: [{ type: 'bind', source: '/run/', target: '/hostrun' }] }), FAIL, /\/run\//),
  c('no-docker-socket', 'socket as the target', container({ mounts: [{ type: 'volume', source: 'sock', target: '/var/run/docker.sock' }] }), FAIL, /sock -> \/var\/run\/docker\.sock/),
  c('no-docker-socket', 'service socket', service({ mounts: [{ type: 'bind', source: '/run/docker.sock', target: '/d.sock' }] }), FAIL),
  c('no-docker-socket', 'unknown', container({ unknown: ['mounts'] }), UNKNOWN),

  // Beyond CIS
  c('drop-all-capabilities', 'ALL', container({ capDrop: ['ALL'] }), PASS),
  c('drop-all-capabilities', 'cap_all lower case', service({ capDrop: ['cap_all'] }), PASS),
  c('drop-all-capabilities', 'nothing dropped', container({}), FAIL, /no capability is dropped/),
  c('drop-all-capabilities', 'some dropped', container({ capDrop: ['NET_RAW', 'MKNOD'] }), FAIL, /NET_RAW, MKNOD/),
  c('drop-all-capabilities', 'unknown', container({ unknown: ['capDrop'] }), UNKNOWN),

  c('tmpfs-noexec-nosuid', 'explicit', container({ tmpfs: [{ path: '/tmp', options: 'rw,noexec,nosuid,size=64m' }] }), PASS),
  c('tmpfs-noexec-nosuid', 'mounts tmpfs (Docker defaults)', container({ tmpfs: [{ path: '/run', options: 'size=1024', fromMount: true }] }), PASS),
  c('tmpfs-noexec-nosuid', 'no tmpfs', container({}), PASS),
  c('tmpfs-noexec-nosuid', 'exec written', container({ tmpfs: [{ path: '/tmp', options: 'rw,exec,nosuid' }] }), FAIL, /\/tmp allows exec/),
  c('tmpfs-noexec-nosuid', 'suid after nosuid', container({ tmpfs: [{ path: '/tmp', options: 'noexec,nosuid,suid' }] }), FAIL, /allows suid/),
  c('tmpfs-noexec-nosuid', 'defaults', container({ tmpfs: [{ path: '/tmp', options: 'defaults' }] }), FAIL, /exec and suid/),
  c('tmpfs-noexec-nosuid', 'not explicit', container({ tmpfs: [{ path: '/tmp', options: 'size=64m' }] }), FAIL, /does not say noexec and nosuid/),
  c('tmpfs-noexec-nosuid', 'empty options', container({ tmpfs: [{ path: '/cache' }] }), FAIL, /\/cache/),
  c('tmpfs-noexec-nosuid', 'unknown', container({ unknown: ['tmpfs'] }), UNKNOWN),

  c('no-swap', 'equal', container({ memoryBytes: 268435456, memorySwapBytes: 268435456 }), PASS),
  c('no-swap', 'swap unset', container({ memoryBytes: 268435456 }), FAIL, /memory_swap is not set/),
  c('no-swap', 'unlimited', container({ memoryBytes: 268435456, memorySwapBytes: -1 }), FAIL, /unlimited swap/),
  c('no-swap', 'twice', container({ memoryBytes: 100, memorySwapBytes: 200 }), FAIL, /100 bytes of swap/),
  c('no-swap', 'no memory', container({}), FAIL, /memory is not limited/),
  c('no-swap', 'unknown', container({ memoryBytes: 100, unknown: ['memorySwapBytes'] }), UNKNOWN),

  c('image-pinned-by-digest', 'digest', container({ image: `nginx:1.25@sha256:${'a'.repeat(64)}` }), PASS),
  c('image-pinned-by-digest', 'tag', container({ image: 'nginx:1.25' }), FAIL, /"nginx:1\.25"/),
  c('image-pinned-by-digest', 'short digest', service({ image: 'nginx@sha256:abc' }), FAIL),
  c('image-pinned-by-digest', 'unknown', container({ unknown: ['image'] }), UNKNOWN),

  c('log-rotation', 'json-file with max-size', container({ logDriver: 'json-file', logOpts: { 'max-size': '10m', 'max-file': '3' } }), PASS),
  c('log-rotation', 'default driver with max-size', container({ logOpts: { 'max-size': '10m' } }), PASS),
  c('log-rotation', 'local', container({ logDriver: 'local' }), PASS, /rotated by default/),
  c('log-rotation', 'journald', container({ logDriver: 'journald' }), PASS),
  c('log-rotation', 'plugin', container({ logDriver: 'loki' }), NA, /loki/),
  c('log-rotation', 'json-file unbounded', container({ logDriver: 'json-file' }), FAIL, /without log_opts max-size/),
  c('log-rotation', 'nothing set', container({}), FAIL, /log_driver not set/),
  c('log-rotation', 'max-size -1', container({ logDriver: 'json-file', logOpts: { 'max-size': '-1' } }), FAIL),
  c('log-rotation', 'unknown', container({ unknown: ['logOpts'] }), UNKNOWN),
  c('log-rotation', 'unknown driver', container({ logOpts: { 'max-size': '10m' }, unknown: ['logDriver'] }), UNKNOWN),
  c('log-rotation', 'max-size beside an unknown option', container({ logOpts: { 'max-size': '10m' }, unknown: ['logOpts'] }), PASS),
  c('log-rotation', 'local beside unknown options', container({ logDriver: 'local', unknown: ['logOpts'] }), PASS),

  c('no-cpus-attribute', 'unset', container({ cpuPeriod: 100000, cpuQuota: 50000 }), PASS),
  c('no-cpus-attribute', 'empty string (not sent)', container({ cpus: '' }), PASS),
  c('no-cpus-attribute', 'set', container({ cpus: '0.5' }), FAIL, /cpus = "0\.5"/),
  // Any non-empty value panics, so an expression is a failure, not an unknown.
  c('no-cpus-attribute', 'expression', container({ unknown: ['cpus'] }), FAIL, /expression/),
  c('no-cpus-attribute', 'live container', engineContainer({ cpus: '1' }), NA),

  c('service-tmpfs-size', 'mode only', service({ tmpfs: [{ path: '/tmp', options: 'mode=1777', fromMount: true, optionsBlock: true }] }), FAIL, /\/tmp \(mode=1777\): provider 3\.6\.x panics/),
  c('service-tmpfs-size', 'empty tmpfs_options block', service({ tmpfs: [{ path: '/tmp', fromMount: true, optionsBlock: true }] }), FAIL, /\/tmp \(an empty block\)/),
  c('service-tmpfs-size', 'tmpfs mount without tmpfs_options', service({ tmpfs: [{ path: '/tmp', fromMount: true }] }), PASS),
  c('service-tmpfs-size', 'no tmpfs', service({}), PASS),
  c('service-tmpfs-size', 'size_bytes', service({ tmpfs: [{ path: '/tmp', options: 'size=67108864,mode=1777', fromMount: true, optionsBlock: true }] }), FAIL, /\/tmp \(size=67108864,mode=1777\)/),
  c('service-tmpfs-size', 'live service', engineService({ tmpfs: [{ path: '/tmp', options: 'size=1', fromMount: true }] }), NA),
  c('service-tmpfs-size', 'unknown', service({ unknown: ['tmpfs'] }), UNKNOWN),
  ...CORE_CASES,
  // Item by item: a literal failing item fails whatever its unknown siblings are; unknown only when one could fail.
  beside('no-sensitive-host-mounts', '/etc bind beside an unknown mount', container({ mounts: [{ type: 'bind', source: '/etc', target: '/e' }], unknown: ['mounts'] }), /\/etc -> \/e \(rw\)/),
  beside('no-sensitive-host-mounts', '/etc bind beside a bind of unknown source', container(listed('mounts', { mounts: [{ type: 'bind', source: '/etc', target: '/e' }, { type: 'bind', target: '/x', unknown: ['source'] }] })), /\/etc/),
  c('no-sensitive-host-mounts', 'a read-only bind of unknown source cannot be a read-write one', container(listed('mounts', { mounts: [{ type: 'bind', target: '/x', readOnly: true, unknown: ['source'] }] })), PASS),
  c('no-sensitive-host-mounts', 'a bind of unknown source', container(listed('mounts', { mounts: [{ type: 'bind', target: '/x', unknown: ['source'] }] })), UNKNOWN, /host path/),
  c('no-sensitive-host-mounts', 'a named volume of unknown name is not a host path', container(listed('mounts', { mounts: [{ type: 'volume', target: '/data', unknown: ['source'] }] })), PASS),
  c('no-sensitive-host-mounts', 'a tmpfs mount of unknown target is not a host path', container(listed('mounts', { mounts: [{ type: 'tmpfs', target: '', unknown: ['target'] }] })), PASS),
  c('no-sensitive-host-mounts', '/etc of unknown type', container(listed('mounts', { mounts: [{ type: '', source: '/etc', target: '/e', unknown: ['type'] }] })), UNKNOWN),
  c('no-sensitive-host-mounts', '/etc, read_only unknown', container(listed('mounts', { mounts: [{ type: 'bind', source: '/etc', target: '/e', unknown: ['readOnly'] }] })), UNKNOWN),
  beside('no-sensitive-host-mounts-read-only', '/etc ro beside an unknown mount', container({ mounts: [{ type: 'bind', source: '/etc/hosts', target: '/h', readOnly: true }], unknown: ['mounts'] }), /\/etc\/hosts/),
  c('no-sensitive-host-mounts-read-only', 'a bind of unknown source', container(listed('mounts', { mounts: [{ type: 'bind', target: '/x', readOnly: true, unknown: ['source'] }] })), UNKNOWN),
  c('no-sensitive-host-mounts-read-only', 'a named volume of unknown name', container(listed('mounts', { mounts: [{ type: 'volume', target: '/x', readOnly: true, unknown: ['source'] }] })), PASS),
  beside('no-docker-socket', 'the socket beside a dynamic mount', container({ mounts: [{ type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock' }], unknown: ['mounts'] }), /docker\.sock/),
  beside('no-docker-socket', 'the socket beside a bind of unknown source', container(listed('mounts', { mounts: [{ type: 'bind', target: '/x', unknown: ['source'] }, { type: 'bind', source: '/var/run/docker.sock', target: '/s' }] })), /\/var\/run\/docker\.sock -> \/s/),
  beside('no-docker-socket', 'the socket with an unknown target', container(listed('mounts', { mounts: [{ type: 'bind', source: '/var/run/docker.sock', target: '', unknown: ['target'] }] })), /docker\.sock/),
  c('no-docker-socket', 'a bind of unknown source', container(listed('mounts', { mounts: [{ type: 'bind', target: '/x', unknown: ['source'] }] })), UNKNOWN),
  c('no-docker-socket', 'a named volume of unknown name', container(listed('mounts', { mounts: [{ type: 'volume', target: '/data', unknown: ['source'] }] })), PASS),
  c('no-docker-socket', '/var/run of unknown type', container(listed('mounts', { mounts: [{ type: '', source: '/var/run', target: '/r', unknown: ['type'] }] })), UNKNOWN),
  beside('no-shared-mount-propagation', 'rshared beside an unknown mount', container({ mounts: [{ type: 'bind', source: '/mnt', target: '/mnt', propagation: 'rshared' }], unknown: ['mounts'] }), /rshared/),
  c('no-shared-mount-propagation', 'unknown propagation', container(listed('mounts', { mounts: [{ type: 'bind', source: '/mnt', target: '/mnt', unknown: ['propagation'] }] })), UNKNOWN),
  c('no-shared-mount-propagation', 'a bind of unknown source, propagation known', container(listed('mounts', { mounts: [{ type: 'bind', target: '/mnt', propagation: 'rprivate', unknown: ['source'] }] })), PASS),

  beside('published-ports', 'a port beside an unknown one', container({ ports: [{ internal: 80 }], unknown: ['ports'] }), /0\.0\.0\.0:<random> -> 80/),
  c('published-ports', 'a port with an unknown host port', container(listed('ports', { ports: [{ internal: 80, unknown: ['external'] }] })), FAIL, /0\.0\.0\.0:<unknown> -> 80/),
  c('published-ports', 'publish_all_ports', container({ publishAllPorts: true }), FAIL, /publish_all_ports = true/),
  c('published-ports', 'publish_all_ports unknown', container({ unknown: ['publishAllPorts'] }), UNKNOWN),
  c('published-ports', 'publish_all_ports false', container({ publishAllPorts: false }), PASS),
  c('ports-bound-to-interface', 'publish_all_ports', container({ publishAllPorts: true }), FAIL, /publish_all_ports = true: every port the image exposes, on 0\.0\.0\.0/),
  c('ports-bound-to-interface', 'publish_all_ports unknown', container({ ports: [{ internal: 80, ip: '127.0.0.1' }], unknown: ['publishAllPorts'] }), UNKNOWN),
  // A port without ip listens on every interface, whatever its (unknown) host port.
  c('ports-bound-to-interface', 'no ip, unknown host port', container(listed('ports', { ports: [{ internal: 80, unknown: ['external'] }] })), FAIL, /0\.0\.0\.0 \(ip not set\):<unknown> -> 80/),
  c('ports-bound-to-interface', 'unknown ip', container(listed('ports', { ports: [{ internal: 80, external: 8080, unknown: ['ip'] }] })), UNKNOWN),
  beside('ports-bound-to-interface', 'a wildcard port beside an unknown one', container({ ports: [{ internal: 80, external: 8080 }], unknown: ['ports'] }), /ip not set/),
  beside('ports-bound-to-interface', 'service port beside an unknown one', service({ ports: [{ internal: 80, external: 8080, ip: '0.0.0.0' }], unknown: ['ports'] }), /Swarm cannot bind/),
  c('ports-bound-to-interface', 'service ports unknown', service({ unknown: ['ports'] }), UNKNOWN),

  beside('no-added-capabilities', 'NET_ADMIN beside an unknown capability', container({ capAdd: ['NET_ADMIN'], unknown: ['capAdd'] }), /NET_ADMIN/),
  c('no-added-capabilities', 'a default capability beside an unknown one', container({ capAdd: ['CHOWN'], unknown: ['capAdd'] }), UNKNOWN),
  beside('no-dangerous-capabilities', 'SYS_ADMIN beside an unknown capability', container({ capAdd: ['SYS_ADMIN'], unknown: ['capAdd'] }), /SYS_ADMIN/),
  c('no-dangerous-capabilities', 'a harmless capability beside an unknown one', container({ capAdd: ['CHOWN'], unknown: ['capAdd'] }), UNKNOWN),
  // drop ALL is a presence check: a listed ALL settles it; the known items otherwise do not.
  c('drop-all-capabilities', 'ALL beside an unknown capability', container({ capDrop: ['ALL'], unknown: ['capDrop'] }), PASS),
  c('drop-all-capabilities', 'NET_RAW beside an unknown capability', container({ capDrop: ['NET_RAW'], unknown: ['capDrop'] }), UNKNOWN),

  beside('no-unconfined-seccomp', 'seccomp=unconfined beside an unknown option', container({ securityOpts: ['seccomp=unconfined'], unknown: ['securityOpts'] }), /seccomp=unconfined/),
  c('no-unconfined-seccomp', 'a harmless option beside an unknown one', container({ securityOpts: ['no-new-privileges'], unknown: ['securityOpts'] }), UNKNOWN),
  beside('apparmor-profile', 'apparmor=unconfined beside an unknown option', container({ securityOpts: ['apparmor=unconfined'], unknown: ['securityOpts'] }), /apparmor=unconfined/),
  c('apparmor-profile', 'a profile beside an unknown option (the last one wins)', container({ securityOpts: ['apparmor=docker-default'], unknown: ['securityOpts'] }), UNKNOWN),
  // The last no-new-privileges option wins, and an unknown one may come last: not settled by the known ones.
  c('no-new-privileges', 'true beside an unknown option', container({ securityOpts: ['no-new-privileges:true'], unknown: ['securityOpts'] }), UNKNOWN),

  beside('no-host-devices', 'a device beside an unknown one', container({ devices: [{ hostPath: '/dev/kvm' }], unknown: ['devices'] }), /\/dev\/kvm/),
  c('no-host-devices', 'a device of unknown host path', container(listed('devices', { devices: [{ hostPath: '', unknown: ['hostPath'] }] })), FAIL, /<unknown host path>/),
  c('no-host-devices', 'gpus', container({ gpus: 'all' }), FAIL, /gpus = "all"/),
  c('no-host-devices', 'gpus unknown', container({ unknown: ['gpus'] }), UNKNOWN),

  beside('tmpfs-noexec-nosuid', 'exec beside an unknown tmpfs', container({ tmpfs: [{ path: '/tmp', options: 'rw,exec' }], unknown: ['tmpfs'] }), /\/tmp allows exec/),
  beside('tmpfs-noexec-nosuid', 'exec beside a tmpfs of unknown options', container(listed('tmpfs', { tmpfs: [{ path: '/a', unknown: ['options'] }, { path: '/b', options: 'suid,noexec' }] })), /\/b allows suid/),
  c('tmpfs-noexec-nosuid', 'unknown options', container(listed('tmpfs', { tmpfs: [{ path: '/a', unknown: ['options'] }] })), UNKNOWN),
  c('tmpfs-noexec-nosuid', 'unknown path, options known good', container(listed('tmpfs', { tmpfs: [{ path: '', options: 'noexec,nosuid', unknown: ['path'] }] })), PASS),

  c('service-tmpfs-size', 'a dynamic tmpfs_options block', service(listed('tmpfs', { tmpfs: [{ path: '/tmp', fromMount: true, unknown: ['optionsBlock', 'options'] }] })), UNKNOWN),
  c('service-tmpfs-size', 'size_bytes unknown', service(listed('tmpfs', { tmpfs: [{ path: '/tmp', fromMount: true, optionsBlock: true, unknown: ['options'] }] })), FAIL, /options not known before apply/),
  beside('service-tmpfs-size', 'tmpfs_options beside a dynamic mount', service({ tmpfs: [{ path: '/tmp', fromMount: true, optionsBlock: true }], unknown: ['tmpfs'] }), /\/tmp \(an empty block\)/),

  c('ulimits-set', 'a ulimit beside an unknown one', container({ ulimits: [{ name: 'nofile', soft: 1, hard: 1 }], unknown: ['ulimits'] }), PASS),
  c('ulimits-set', 'a ulimit of unknown limits', container(listed('ulimits', { ulimits: [{ name: 'nofile', soft: 0, hard: 0, unknown: ['soft', 'hard'] }] })), PASS),

  beside('no-host-network', 'the host network beside an unknown one', container({ networks: ['host'], unknown: ['networks'] }), /"host" network/),
  c('no-host-network', 'unknown networks', container({ networks: ['app'], unknown: ['networks'] }), UNKNOWN),
  c('no-host-network', 'another container\'s namespace', container({ networkMode: 'container:${docker_container.db.id}' }), PASS),
  beside('no-default-bridge', 'bridge beside an unknown network', container({ networks: ['bridge'], unknown: ['networks'] }), /"bridge" network/),

  // 4.1: privileged groups
  c('no-privileged-groups', 'none', container({ user: '10001:10001' }), PASS),
  c('no-privileged-groups', 'an ordinary group', container({ user: '10001', groupAdd: ['app', '1000'] }), PASS),
  c('no-privileged-groups', 'docker', container({ groupAdd: ['docker'] }), FAIL, /group_add "docker"/),
  c('no-privileged-groups', 'root', service({ groupAdd: ['root'] }), FAIL, /"root"/),
  c('no-privileged-groups', 'GID 0', container({ groupAdd: ['00'] }), FAIL, /"00"/),
  c('no-privileged-groups', 'primary group 0', container({ user: '10001:0' }), FAIL, /user = "10001:0" \(primary group 0\)/),
  c('no-privileged-groups', 'disk', container({ groupAdd: ['Disk'] }), FAIL, /Disk/),
  c('no-privileged-groups', 'unknown', container({ groupAdd: ['app'], unknown: ['groupAdd'] }), UNKNOWN),
  beside('no-privileged-groups', 'docker beside an unknown group', container({ groupAdd: ['docker'], unknown: ['groupAdd'] }), /docker/),

  // cgroup namespace
  c('no-host-cgroupns', 'private', container({ cgroupnsMode: 'private' }), PASS),
  c('no-host-cgroupns', 'not set', container({}), PASS),
  c('no-host-cgroupns', 'host', container({ cgroupnsMode: 'host' }), FAIL, /cgroupns_mode = "host"/),
  c('no-host-cgroupns', 'unknown', container({ unknown: ['cgroupnsMode'] }), UNKNOWN),
  c('no-host-cgroupns', 'terraform service: neither the provider nor Swarm can set it', service({}), FAIL, /cannot set a cgroup namespace on docker_service.*daemon default.*"default-cgroupns-mode": "private"/),
  c('no-host-cgroupns', 'live service: its task containers are audited', engineService({}), PASS, /task containers are audited/),
  c('no-host-cgroupns', 'live container in the host namespace', engineContainer({ cgroupnsMode: 'host' }), FAIL, /host/),
];
