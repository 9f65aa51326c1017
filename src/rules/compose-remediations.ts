/**
 * The built-in rules' fixes in compose's words, by rule id: what to write in a compose file, for findings on compose
 * services (a compose file's, or a docker_compose resource's). defineRule puts each into its rule's metadata as
 * `composeRemediation`; docs/rules.md shows it beside the Terraform fix. A rule absent here has no compose wording:
 * it does not apply to compose services (a provider trap, a Swarm service setting).
 *
 * Each entry is tested (test/rules/compose-remediations.test.ts): a service that fails the rule is fixed by writing
 * what the entry says.
 */
export const COMPOSE_REMEDIATIONS: { readonly [ruleId: string]: string } = {
  'non-root-user': 'Run as a numeric non-zero UID and GID: `user: "10001:10001"`; the image must not need root.',
  'no-privileged-groups': 'Remove `root`, `0`, `docker`, `disk`, `kmem`, `shadow`, `sudo`, `wheel` and `admin` from `group_add:` '
    + 'and give the user a primary group of its own (`user: "10001:10001"`, not `10001:0`).',
  'apparmor-profile': 'On AppArmor hosts, name a profile: `security_opt: ["apparmor=docker-default"]` (or a tailored profile '
    + 'loaded on the host). Never `apparmor=unconfined`.',
  'selinux-options': 'On SELinux hosts with the daemon\'s `selinux-enabled`, set a label: '
    + '`security_opt: ["label=type:container_t", "label=level:s0:c100,c200"]`. Never `label=disable`.',
  'selinux-confinement-not-disabled': 'Remove `label=disable` (`label:disable`) and `label=type:spc_t` / `label=type:unconfined_t` '
    + 'from `security_opt:`; if a workload needs another type, write a policy module for it and name that type.',
  'no-added-capabilities': 'Remove from `cap_add:` every capability beyond Docker\'s default set; better, `cap_drop: [ALL]` and '
    + 'add back only what the service needs.',
  'no-dangerous-capabilities': 'Remove them from `cap_add:`. If a workload truly needs one, run it on a dedicated host and '
    + 'suppress this rule on the service with the label `hardened-docker.suppress.no-dangerous-capabilities: "<reason>"`.',
  'no-privileged': 'Remove `privileged: true`; add back only the capabilities the service needs (`cap_drop: [ALL]`, `cap_add: [...]`).',
  'no-sensitive-host-mounts': 'Remove the bind from `volumes:` or use a named volume; if the service must read one host file, bind '
    + 'that file read-only (`- /etc/app.conf:/etc/app.conf:ro`), which no-sensitive-host-mounts-read-only still reports as a warning.',
  'no-sensitive-host-mounts-read-only': 'Remove the bind from `volumes:`, bind only the single file needed, or copy it into the '
    + 'image; when a read-only bind is deliberate, suppress with the label `hardened-docker.suppress.no-sensitive-host-mounts-read-only` and the reason.',
  'no-mount-over-system-dirs': 'Mount below a directory of its own (`- ./config:/etc/app:ro`, not over `/etc`), or make the mount '
    + 'read-only (`:ro`, or `read_only: true` in the long syntax).',
  'no-docker-socket': 'Remove the `volumes:` entry whose source is `/var/run/docker.sock` (or `/run`, `/var/run`). A workload that '
    + 'must drive Docker should talk to a filtering proxy that allows only the calls it needs, never the socket itself.',
  'no-sshd': 'Do not run sshd in containers: use `docker compose exec` for access, and remove `pid: host`.',
  'no-privileged-host-ports': 'Publish on a host port of 1024 or above (`ports: ["127.0.0.1:8080:80"]`) and put a reverse proxy in '
    + 'front for 80/443.',
  'published-ports': 'Remove the `ports:` entries the service does not need (services reach each other over the project network '
    + 'without them). Once reviewed, suppress with the label `hardened-docker.suppress.published-ports: "<reason>"`.',
  'no-host-network': 'Remove `network_mode: host`: the service joins the project network by default; publish the ports it needs '
    + 'with `ports: ["127.0.0.1:8080:80"]`.',
  'memory-limit': 'Set `mem_limit: 256m` (or `deploy.resources.limits.memory: 256M`), with `memswap_limit` equal to it.',
  'cpu-limit': 'Set `cpus: "0.5"` (or `deploy.resources.limits.cpus: "0.5"`).',
  'read-only-rootfs': 'Set `read_only: true`, with a `tmpfs:` entry for each path that must be writable '
    + '(`tmpfs: ["/tmp:rw,noexec,nosuid,nodev,size=64m"]`).',
  'ports-bound-to-interface': 'Bind each published port to one interface: `ports: ["127.0.0.1:8080:80"]` (long syntax: '
    + '`host_ip: 127.0.0.1`), or the private interface\'s address.',
  'restart-retries': 'Set `restart: on-failure:3` (1 to 5 retries) or `restart: "no"`; under `deploy:`, '
    + '`restart_policy: { condition: on-failure, max_attempts: 3 }`.',
  'no-host-pid': 'Remove `pid: host`.',
  'no-host-ipc': 'Remove `ipc: host` (or set `ipc: private` or `shareable`).',
  'no-host-devices': 'Remove `devices:`, `gpus:` and device reservations; if the service needs one (a GPU, /dev/fuse), grant the '
    + 'narrowest permissions (`- /dev/fuse:/dev/fuse:r`) and suppress this rule on the service with the reason.',
  'ulimits-set': 'Set `ulimits:` (`ulimits: { nofile: { soft: 1024, hard: 1024 }, nproc: 512 }`).',
  'no-shared-mount-propagation': 'Remove `shared`/`rshared` propagation from `volumes:` (`:shared` in the short syntax, '
    + '`bind: { propagation: shared }` in the long one): Docker\'s default `rprivate` applies.',
  'no-host-uts': 'Remove `uts: host`.',
  'no-unconfined-seccomp': 'Remove `seccomp:unconfined` (or `seccomp=unconfined`) from `security_opt:`; if a workload needs a '
    + 'syscall the default profile blocks, give a tailored profile instead.',
  'no-unconfined-system-paths': 'Remove `systempaths=unconfined` from `security_opt:`; if one kernel file must be readable, bind '
    + 'that file read-only instead.',
  'no-cgroup-parent': 'Remove `cgroup_parent:` unless the host\'s cgroup layout was designed for it; then suppress this rule with '
    + 'that reason (label `hardened-docker.suppress.no-cgroup-parent`).',
  'drop-all-capabilities': 'Set `cap_drop: [ALL]` and add back only what the service needs under `cap_add:`.',
  'no-new-privileges': 'Add `security_opt: ["no-new-privileges:true"]`.',
  'healthcheck': 'Add a `healthcheck:` (`test: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1:8080/health"]`, `interval: 30s`, '
    + '`timeout: 5s`, `retries: 3`); never `disable: true` or `test: ["NONE"]`.',
  'pids-limit': 'Set `pids_limit: 100` (or `deploy.resources.limits.pids: 100`).',
  'no-default-bridge': 'Remove `network_mode: bridge`: the service joins the project network by default (or list user-defined '
    + '`networks:`); or set `network_mode: none`.',
  'no-host-userns': 'Remove `userns_mode: host`.',
  'no-host-cgroupns': 'Remove `cgroup: host`, or set `cgroup: private`.',
  'no-swap': 'Set `memswap_limit` equal to `mem_limit` (`mem_limit: 256m`, `memswap_limit: 256m`).',
  'log-rotation': 'Set `logging: { driver: json-file, options: { max-size: "10m", max-file: "3" } }`, or `driver: local`, or a '
    + 'shipping driver (journald, syslog, fluentd, ...).',
  'image-pinned-by-digest': 'Pin the image by digest: `image: name:tag@sha256:<digest>` (`docker buildx imagetools inspect name:tag` '
    + 'prints it).',
  'tmpfs-noexec-nosuid': 'Write the options on every tmpfs: `tmpfs: ["/tmp:rw,noexec,nosuid,nodev,size=64m"]`; never `exec` or `suid`.',
};
