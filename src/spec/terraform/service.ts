/**
 * One `docker_service` body (its task spec) to a spec.
 */
import { healthcheckFrom, labelsFrom, mountsFrom, readSuppressions, withUnknownsAndSuppressions } from './attributes';
import { AdapterError, AdapterOptions, Json, NO_BLOCKS, NO_MARKS } from './common';
import { readItems } from './item-reader';
import { Reader, readerFor } from './reader';
import { ContainerSpec, PortSpec, ResourceKind, SpecSource } from '../container-spec';
import { SpecField } from '../fields';

/**
 * The SELinux context of a docker_service (`task_spec.container_spec.privileges.se_linux_context`), as the security
 * options Docker would show for it: `label=disable`, `label=user:...`, `label=role:...`, `label=type:...`,
 * `label=level:...`. Undefined when there is none.
 */
function seLinuxOptionsFrom(r: Reader, containerSpec: Json): string[] | undefined {
  const privileges = r.block(containerSpec, 'privileges', 'securityOpts');
  const context = privileges ? r.block(privileges, 'se_linux_context', 'securityOpts') : undefined;
  if (context === undefined) return undefined;
  const out: string[] = [];
  if (r.bool(context, 'disable', 'securityOpts', NO_MARKS) === true) out.push('label=disable');
  for (const part of ['user', 'role', 'type', 'level']) {
    const value = r.str(context, part, 'securityOpts', NO_MARKS);
    if (value !== undefined && value !== '') out.push(`label=${part}:${value}`);
  }
  return out.length ? out : undefined;
}

/** One `docker_service` body (its task spec) to a spec. */
export function containerSpecFromService(name: string, body: Json, opts: AdapterOptions = {}): ContainerSpec {
  const address = opts.address ?? `docker_service.${name}`;
  const where = `${opts.file ? opts.file + ': ' : ''}${address}`;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AdapterError(`${where}: a resource must be an object of attributes, got ${JSON.stringify(body)}`);
  }
  const r = readerFor(where, body, opts);
  const task = r.block(body, 'task_spec', 'image') ?? {};
  const cs = r.block(task, 'container_spec', 'image') ?? {};
  if (r.unknown.has('image')) {
    // A task or container spec that is an expression or a dynamic block: nothing in it is known before apply.
    for (const f of SERVICE_TASK_FIELDS) r.unknown.addLike(f, 'image');
  }
  const resources = r.block(task, 'resources', 'memoryBytes');
  const limits = resources ? r.block(resources, 'limits', 'memoryBytes') : undefined;
  if (r.unknown.has('memoryBytes')) r.unknown.addLike('nanoCpus', 'memoryBytes');
  const restart = r.block(task, 'restart_policy', 'restartPolicy');
  if (r.unknown.has('restartPolicy')) r.unknown.addLike('maxRetryCount', 'restartPolicy');
  const mode = r.block(body, 'mode', 'replicas');
  const replicated = mode ? r.block(mode, 'replicated', 'replicas') : undefined;
  const endpoint = r.block(body, 'endpoint_spec', 'ports');
  const fromMounts = mountsFrom(r, cs);
  const labels = labelsFrom(r, cs, 'labels');

  const ports = readItems(r, endpoint ? r.blocks(endpoint, 'ports', 'ports') : NO_BLOCKS, 'ports', 'ports',
    '{"target_port": 8080, "published_port": 8080}', (it): PortSpec => {
      const publishMode = it.str('publish_mode', 'publishMode');
      const target = it.requiredNum('target_port', 'internal');
      const external = it.num('published_port', 'external');
      const protocol = it.str('protocol', 'protocol');
      // Swarm has no host-interface binding: ingress and host mode both publish on every interface.
      return { internal: target, external, ip: '0.0.0.0', protocol, publishMode, unknown: it.unknown };
    });
  const networks = r.blocks(task, 'networks_advanced', 'networks')
    .map((n) => r.str(n, 'name', 'networks', NO_MARKS))
    .filter((n): n is string => n !== undefined);

  const spec: ContainerSpec = {
    kind: ResourceKind.SERVICE,
    source: opts.source ?? SpecSource.TERRAFORM_JSON,
    address,
    file: opts.file,
    constructPath: body['//']?.metadata?.path,
    name: r.str(body, 'name', 'name'),
    image: r.str(cs, 'image', 'image', NO_MARKS),
    user: r.str(cs, 'user', 'user', NO_MARKS),
    readOnly: r.bool(cs, 'read_only', 'readOnly', NO_MARKS),
    tmpfs: fromMounts.tmpfs.length ? fromMounts.tmpfs : undefined,
    capAdd: r.strList(cs, 'cap_add', 'capAdd', NO_MARKS),
    capDrop: r.strList(cs, 'cap_drop', 'capDrop', NO_MARKS),
    securityOpts: seLinuxOptionsFrom(r, cs),
    memoryBytes: limits ? r.num(limits, 'memory_bytes', 'memoryBytes', NO_MARKS) : undefined,
    nanoCpus: limits ? r.num(limits, 'nano_cpus', 'nanoCpus', NO_MARKS) : undefined,
    restartPolicy: restart ? r.str(restart, 'condition', 'restartPolicy', NO_MARKS) : undefined,
    maxRetryCount: restart ? r.num(restart, 'max_attempts', 'maxRetryCount', NO_MARKS) : undefined,
    healthcheck: healthcheckFrom(r, r.block(cs, 'healthcheck', 'healthcheck')),
    ports: ports.length ? ports : undefined,
    mounts: fromMounts.mounts.length ? fromMounts.mounts : undefined,
    networks: networks.length ? networks : undefined,
    labels,
    sysctls: r.strMap(cs, 'sysctl', 'sysctls', NO_MARKS),
    groupAdd: r.strList(cs, 'groups', 'groupAdd', NO_MARKS),
    init: undefined,
    replicas: replicated ? r.num(replicated, 'replicas', 'replicas', NO_MARKS) : undefined,
    suppressions: undefined,
    unknown: undefined,
    listedInFull: undefined,
    unknownCauses: undefined,
  };
  // The service's own labels are read for what they make unknown (an expression), as before.
  labelsFrom(r, body, 'labels');
  return withUnknownsAndSuppressions(spec, r, readSuppressions(r, body, [cs, body]));
}

/** The fields a docker_service reads from its task spec. */
const SERVICE_TASK_FIELDS: SpecField[] = [
  'image', 'user', 'readOnly', 'tmpfs', 'capAdd', 'capDrop', 'securityOpts', 'memoryBytes', 'nanoCpus', 'restartPolicy',
  'maxRetryCount', 'healthcheck', 'mounts', 'networks', 'labels', 'sysctls', 'groupAdd',
];
