/**
 * One `docker_container` body to a spec.
 */
import { healthcheckFrom, labelsFrom, mountsFrom, readSuppressions, withUnknownsAndSuppressions } from './attributes';
import { AdapterError, AdapterOptions, Json, mibToBytes, NO_MARKS } from './common';
import { readItems } from './item-reader';
import { Reader, readerFor } from './reader';
import { ContainerSpec, DeviceSpec, MountSpec, PortSpec, ResourceKind, SpecSource, UlimitSpec } from '../container-spec';

/** The `volumes` blocks of a docker_container: binds (`host_path`), named volumes, and `from_container`. */
function volumesFrom(r: Reader, body: Json): MountSpec[] {
  const blocks = r.blocks(body, 'volumes', 'mounts');
  if (blocks.length === 0) return NO_MOUNTS;
  return readItems(r, blocks, 'mounts', 'volumes', '{"host_path": "/srv/data", "container_path": "/data", "read_only": true}', (it, v): MountSpec => {
    // Which kind of volume it is follows from which attribute is written, known or not: an unknown volume_name is
    // still a named volume, never a host path.
    const type = v.host_path != null ? 'bind' : v.volume_name != null ? 'volume' : v.from_container != null ? 'volumes-from' : 'volume';
    const source = type === 'bind' ? it.str('host_path', 'source')
      : type === 'volumes-from' ? it.str('from_container', 'source')
        : it.str('volume_name', 'source');
    const target = it.str('container_path', 'target') ?? '';
    return { type, source, target, readOnly: it.bool('read_only', 'readOnly'), propagation: undefined, unknown: it.unknown };
  });
}

const NO_MOUNTS: MountSpec[] = Object.freeze([]) as unknown as MountSpec[];

/** One `docker_container` body to a spec. */
export function containerSpecFromContainer(name: string, body: Json, opts: AdapterOptions = {}): ContainerSpec {
  const address = opts.address ?? `docker_container.${name}`;
  const where = `${opts.file ? opts.file + ': ' : ''}${address}`;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AdapterError(`${where}: a resource must be an object of attributes, got ${JSON.stringify(body)}`);
  }
  const r = readerFor(where, body, opts);

  const caps = r.block(body, 'capabilities', 'capAdd');
  if (r.unknown.has('capAdd')) r.unknown.addLike('capDrop', 'capAdd');

  const tmpfs = r.tmpfsMap(body);
  const fromMounts = mountsFrom(r, body);
  for (const t of fromMounts.tmpfs) tmpfs.push(t);
  const volumes = volumesFrom(r, body);

  const ports = readItems(r, r.blocks(body, 'ports', 'ports'), 'ports', 'ports', '{"internal": 8080, "external": 8080, "ip": "127.0.0.1"}',
    (it): PortSpec => {
      const internal = it.requiredNum('internal', 'internal');
      const external = it.num('external', 'external');
      const ip = it.str('ip', 'ip');
      const protocol = it.str('protocol', 'protocol');
      return { internal, external, ip, protocol, unknown: it.unknown };
    });

  const ulimits = readItems(r, r.blocks(body, 'ulimit', 'ulimits'), 'ulimits', 'ulimit', '{"name": "nofile", "soft": 1024, "hard": 2048}',
    (it): UlimitSpec => {
      const ulName = it.requiredStr('name', 'name');
      const soft = it.requiredNum('soft', 'soft');
      const hard = it.requiredNum('hard', 'hard');
      return { name: ulName, soft, hard, unknown: it.unknown };
    });

  const devices = readItems(r, r.blocks(body, 'devices', 'devices'), 'devices', 'devices',
    '{"host_path": "/dev/fuse", "container_path": "/dev/fuse", "permissions": "rwm"}', (it): DeviceSpec => {
      const hostPath = it.requiredStr('host_path', 'hostPath');
      const containerPath = it.str('container_path', 'containerPath');
      const permissions = it.str('permissions', 'permissions');
      return { hostPath, containerPath, permissions, unknown: it.unknown };
    });

  const networks = r.blocks(body, 'networks_advanced', 'networks')
    .map((n) => r.str(n, 'name', 'networks', NO_MARKS))
    .filter((n): n is string => n !== undefined);

  const labels = labelsFrom(r, body, 'labels');
  const memory = r.num(body, 'memory', 'memoryBytes');
  const swap = r.num(body, 'memory_swap', 'memorySwapBytes');

  const spec: ContainerSpec = {
    kind: ResourceKind.CONTAINER,
    source: opts.source ?? SpecSource.TERRAFORM_JSON,
    address,
    file: opts.file,
    constructPath: body['//']?.metadata?.path,
    name: r.str(body, 'name', 'name'),
    image: r.str(body, 'image', 'image'),
    user: r.str(body, 'user', 'user'),
    readOnly: r.bool(body, 'read_only', 'readOnly'),
    privileged: r.bool(body, 'privileged', 'privileged'),
    tmpfs: tmpfs.length ? tmpfs : undefined,
    capAdd: caps ? r.strList(caps, 'add', 'capAdd', NO_MARKS) : undefined,
    capDrop: caps ? r.strList(caps, 'drop', 'capDrop', NO_MARKS) : undefined,
    securityOpts: r.strList(body, 'security_opts', 'securityOpts'),
    memoryBytes: mibToBytes(memory),
    memorySwapBytes: mibToBytes(swap),
    cpuShares: r.num(body, 'cpu_shares', 'cpuShares'),
    cpuPeriod: r.num(body, 'cpu_period', 'cpuPeriod'),
    cpuQuota: r.num(body, 'cpu_quota', 'cpuQuota'),
    cpus: r.str(body, 'cpus', 'cpus'),
    ulimits: ulimits.length ? ulimits : undefined,
    restartPolicy: r.str(body, 'restart', 'restartPolicy'),
    maxRetryCount: r.num(body, 'max_retry_count', 'maxRetryCount'),
    healthcheck: healthcheckFrom(r, r.block(body, 'healthcheck', 'healthcheck')),
    ports: ports.length ? ports : undefined,
    publishAllPorts: r.bool(body, 'publish_all_ports', 'publishAllPorts'),
    gpus: r.str(body, 'gpus', 'gpus'),
    mounts: volumes.length + fromMounts.mounts.length ? [...volumes, ...fromMounts.mounts] : undefined,
    devices: devices.length ? devices : undefined,
    networkMode: r.mode(body, 'network_mode', 'networkMode'),
    networks: networks.length ? networks : undefined,
    pidMode: r.mode(body, 'pid_mode', 'pidMode'),
    ipcMode: r.mode(body, 'ipc_mode', 'ipcMode'),
    usernsMode: r.str(body, 'userns_mode', 'usernsMode'),
    cgroupnsMode: r.str(body, 'cgroupns_mode', 'cgroupnsMode'),
    cgroupParent: r.str(body, 'cgroup_parent', 'cgroupParent'),
    labels,
    logDriver: r.str(body, 'log_driver', 'logDriver'),
    logOpts: r.strMap(body, 'log_opts', 'logOpts'),
    init: r.bool(body, 'init', 'init'),
    sysctls: r.strMap(body, 'sysctls', 'sysctls'),
    runtime: r.str(body, 'runtime', 'runtime'),
    groupAdd: r.strList(body, 'group_add', 'groupAdd'),
    suppressions: undefined,
    unknown: undefined,
    listedInFull: undefined,
    unknownCauses: undefined,
  };
  return withUnknownsAndSuppressions(spec, r, readSuppressions(r, body, [body]));
}
