/**
 * What the service mapping (src/convert/service.ts) knows about compose's keys: the ones it maps, why the others have
 * no prop, where a permission opt-out comes from, and the compose key of each spec field.
 */
import type { OptOutName } from '../constructs/core/opt-out-ledger';

/** Keys with no prop, and why (the note's text). */
export const UNMAPPED_WHY: { readonly [key: string]: string } = {
  build: 'compose builds the image: build it (docker build) and give its reference as `image`',
  depends_on: 'start order: Terraform orders resources by their references; add `dependsOn` on `.container` where it matters',
  links: 'legacy links: the services share a network and reach each other by service name',
  external_links: 'legacy links: attach the container to the other one\'s network instead',
  env_file: 'variables read from a file: put them in `env` yourself (keep secrets out of the stack\'s code)',
  expose: 'documentation only in compose: containers on one network reach every port',
  ipc: 'HardenedContainer keeps its own IPC namespace and has no prop to share another: not carried over',
  pid: 'HardenedContainer keeps its own PID namespace and has no prop to share the host\'s: not carried over',
  uts: 'HardenedContainer keeps its own UTS namespace and has no prop to share the host\'s: not carried over',
  userns_mode: 'HardenedContainer has no prop for the user namespace mode: not carried over',
  cgroup_parent: 'HardenedContainer has no prop for the cgroup parent: not carried over',
  devices: 'HardenedContainer has no prop for host devices: not carried over',
  device_cgroup_rules: 'HardenedContainer has no prop for device cgroup rules: not carried over',
  gpus: 'HardenedContainer has no prop for GPUs: not carried over',
  profiles: 'profiles: the service is always created by this stack',
  secrets: 'compose secrets have no docker_container equivalent: mount the file with `volumes` (read-only) or pass it in `env`',
  configs: 'compose configs have no docker_container equivalent: mount the file with `volumes` (read-only)',
};

/** Settings each mapped below (with its sub-keys); any other key is a note. */
export const MAPPED = new Set([
  'image', 'container_name', 'command', 'entrypoint', 'environment', 'working_dir', 'user', 'read_only', 'privileged', 'cap_add',
  'cap_drop', 'security_opt', 'ports', 'volumes', 'tmpfs', 'networks', 'network_mode', 'mem_limit', 'memswap_limit', 'cpus',
  'cpu_shares', 'cpu_quota', 'cpu_period', 'pids_limit', 'ulimits', 'deploy', 'scale', 'healthcheck', 'restart', 'logging',
  'labels', 'init', 'cgroup',
]);

/** Where a permission opt-out the core asks for comes from, when the mapping recorded no cause: keys and what they do. */
export const OPT_OUT_SOURCES: { readonly [K in OptOutName]?: readonly [readonly string[], string] } = {
  runAsRoot: [['user'], 'the user is root'],
  privilegedPorts: [['ports'], 'a host port below 1025'],
  allInterfaces: [['ports'], 'a port bound on every interface'],
  dangerousCapabilities: [['cap_add', 'privileged'], 'a capability outside the profile\'s allowed ones'],
  unconfinedAppArmor: [['privileged', 'security_opt'], 'AppArmor unconfined'],
  unconfinedSelinux: [['security_opt'], 'an SELinux label that turns confinement off'],
  sensitiveHostMounts: [['volumes'], 'a bind mount of a sensitive host directory'],
  dockerSocket: [['volumes'], 'the Docker socket mounted'],
  executableTmpfs: [['tmpfs', 'volumes'], 'an executable tmpfs'],
  mountOverSystemDirs: [['volumes', 'tmpfs'], 'a writable mount over a system directory'],
};

/** The compose key of each spec field the reader may mark unknown (a variable without a value). */
export const SPEC_FIELD_KEYS: { readonly [field: string]: string } = {
  image: 'image',
  user: 'user',
  readOnly: 'read_only',
  privileged: 'privileged',
  capAdd: 'cap_add',
  capDrop: 'cap_drop',
  securityOpts: 'security_opt',
  groupAdd: 'group_add',
  init: 'init',
  runtime: 'runtime',
  networkMode: 'network_mode',
  networks: 'networks',
  ipcMode: 'ipc',
  pidMode: 'pid',
  utsMode: 'uts',
  usernsMode: 'userns_mode',
  cgroupnsMode: 'cgroup',
  cgroupParent: 'cgroup_parent',
  pidsLimit: 'pids_limit',
  memoryBytes: 'mem_limit',
  memorySwapBytes: 'memswap_limit',
  cpuShares: 'cpu_shares',
  cpuQuota: 'cpu_quota',
  cpuPeriod: 'cpu_period',
  nanoCpus: 'cpus',
  ulimits: 'ulimits',
  restartPolicy: 'restart',
  maxRetryCount: 'restart',
  healthcheck: 'healthcheck',
  ports: 'ports',
  mounts: 'volumes',
  tmpfs: 'tmpfs',
  devices: 'devices',
  gpus: 'gpus',
  labels: 'labels',
  sysctls: 'sysctls',
  logDriver: 'logging',
  logOpts: 'logging',
  replicas: 'deploy',
};
