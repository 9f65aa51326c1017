import {
  ContainerSpec, DeviceSpec, HealthcheckSpec, MountSpec, PortSpec, ResourceKind, SpecSource,
  SpecSuppression, TmpfsSpec, UlimitSpec,
} from './container-spec';
import { SpecField } from './fields';

/**
 * Terraform JSON (cdktf synth output, hand-written `*.tf.json`, `@cdktf/hcl2json` output of HCL, plan values)
 * to ContainerSpec. Accepts single blocks as an object or a one-element list, and every repeated block as a list
 * or a single object. A string holding `${...}`, a `dynamic` block, or a value listed as unknown by a plan is unknown.
 */

/** Raised for input that is not Terraform JSON of the expected shape. Names the place and the valid form. */
export class AdapterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdapterError';
  }
}

/** The label prefix that suppresses a rule on hand-written Terraform or a live container: `<prefix><rule-id> = reason`. */
export const SUPPRESSION_LABEL_PREFIX = 'hardened-docker.suppress.';

/** Where cdktf-made suppressions travel in the JSON: under the resource's `//` comment key, which Terraform ignores. */
export const METADATA_KEY = 'hardened_docker';

export interface AdapterOptions {
  readonly source?: SpecSource;
  readonly file?: string;
  /** Marks values unknown by path (plan JSON `after_unknown`), keyed like the resource body. */
  readonly afterUnknown?: any;
}

type Json = any;

const MIB = 1024 * 1024;

/** True for a string that holds a Terraform expression (`${...}`); `$${` is an escaped literal. */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && /(^|[^$])\$\{/.test(value);
}

/** Reads one resource body, recording the fields it cannot know. */
class Reader {
  public readonly unknown = new Set<SpecField>();

  constructor(private readonly where: string, private readonly afterUnknown: Json) {}

  /** True when the attribute is unknown: an expression, or listed unknown by a plan. */
  private isUnknownValue(value: unknown, unknownMark: unknown): boolean {
    if (unknownMark === true) return true;
    if (isExpression(value)) return true;
    if (Array.isArray(value)) return value.some((v, i) => this.isUnknownValue(v, Array.isArray(unknownMark) ? unknownMark[i] : undefined));
    if (value && typeof value === 'object') {
      return Object.entries(value).some(([k, v]) => this.isUnknownValue(v, unknownMark && typeof unknownMark === 'object' ? (unknownMark as any)[k] : undefined));
    }
    return false;
  }

  public str(body: Json, key: string, field: SpecField, mark: Json = this.afterUnknown): string | undefined {
    const v = body?.[key];
    if (this.isUnknownValue(v, mark?.[key])) {
      this.unknown.add(field);
      return undefined;
    }
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new AdapterError(`${this.where}: "${key}" must be a string, got ${JSON.stringify(v)}`);
  }

  public num(body: Json, key: string, field: SpecField, mark: Json = this.afterUnknown): number | undefined {
    const v = body?.[key];
    if (this.isUnknownValue(v, mark?.[key])) {
      this.unknown.add(field);
      return undefined;
    }
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && v.trim() !== '' && !isNaN(Number(v))) return Number(v);
    throw new AdapterError(`${this.where}: "${key}" must be a number, got ${JSON.stringify(v)}`);
  }

  public bool(body: Json, key: string, field: SpecField, mark: Json = this.afterUnknown): boolean | undefined {
    const v = body?.[key];
    if (this.isUnknownValue(v, mark?.[key])) {
      this.unknown.add(field);
      return undefined;
    }
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    throw new AdapterError(`${this.where}: "${key}" must be true or false, got ${JSON.stringify(v)}`);
  }

  public strList(body: Json, key: string, field: SpecField, mark: Json = this.afterUnknown): string[] | undefined {
    const v = body?.[key];
    if (this.isUnknownValue(v, mark?.[key])) {
      this.unknown.add(field);
      return undefined;
    }
    if (v === undefined || v === null) return undefined;
    const arr = Array.isArray(v) ? v : [v];
    return arr.map((item) => {
      if (typeof item === 'string' || typeof item === 'number') return String(item);
      throw new AdapterError(`${this.where}: "${key}" must be a list of strings, got ${JSON.stringify(v)}`);
    });
  }

  public strMap(body: Json, key: string, field: SpecField, mark: Json = this.afterUnknown): { [k: string]: string } | undefined {
    const v = body?.[key];
    if (this.isUnknownValue(v, mark?.[key])) {
      this.unknown.add(field);
      return undefined;
    }
    if (v === undefined || v === null) return undefined;
    // hcl2json and plan JSON may wrap a map in a one-element list.
    const obj = Array.isArray(v) && v.length === 1 ? v[0] : v;
    if (typeof obj !== 'object' || Array.isArray(obj)) {
      throw new AdapterError(`${this.where}: "${key}" must be a map of strings, got ${JSON.stringify(v)}`);
    }
    const out: { [k: string]: string } = {};
    for (const [k, val] of Object.entries(obj)) out[k] = String(val);
    return out;
  }

  /** A single nested block: an object, or a one-element list. Undefined when absent; marks `field` unknown when dynamic. */
  public block(body: Json, key: string, field: SpecField): Json | undefined {
    if (hasDynamic(body, key)) {
      this.unknown.add(field);
      return undefined;
    }
    const v = body?.[key];
    if (v === undefined || v === null) return undefined;
    if (isExpression(v)) {
      this.unknown.add(field);
      return undefined;
    }
    if (Array.isArray(v)) {
      if (v.length === 0) return undefined;
      if (v.length > 1) throw new AdapterError(`${this.where}: "${key}" is a single block, got ${v.length} of them`);
      return v[0];
    }
    if (typeof v === 'object') return v;
    throw new AdapterError(`${this.where}: "${key}" must be a block (an object), got ${JSON.stringify(v)}`);
  }

  /** A repeated nested block: a list of objects or a single object. Marks `field` unknown when dynamic or an expression. */
  public blocks(body: Json, key: string, field: SpecField): Json[] {
    if (hasDynamic(body, key)) this.unknown.add(field);
    const v = body?.[key];
    if (v === undefined || v === null) return [];
    if (isExpression(v)) {
      this.unknown.add(field);
      return [];
    }
    const arr = Array.isArray(v) ? v : [v];
    for (const item of arr) {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        throw new AdapterError(`${this.where}: "${key}" must be a list of blocks (objects), got ${JSON.stringify(v)}`);
      }
    }
    return arr;
  }
}

function hasDynamic(body: Json, key: string): boolean {
  const dyn = body?.dynamic;
  if (!dyn) return false;
  const list = Array.isArray(dyn) ? dyn : [dyn];
  return list.some((d: Json) => d && typeof d === 'object' && key in d);
}

function mibToBytes(v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  return v <= 0 ? v : v * MIB;
}

/** Suppressions that travel with the resource: the `//` metadata cdktf-made resources carry, and labels. */
function readSuppressions(body: Json, labels: { [k: string]: string } | undefined): SpecSuppression[] {
  const out: SpecSuppression[] = [];
  const meta = body?.['//']?.[METADATA_KEY]?.suppressions;
  if (Array.isArray(meta)) {
    for (const s of meta) {
      if (s && typeof s.ruleId === 'string' && typeof s.reason === 'string') out.push({ ruleId: s.ruleId, reason: s.reason });
    }
  }
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith(SUPPRESSION_LABEL_PREFIX)) out.push({ ruleId: k.slice(SUPPRESSION_LABEL_PREFIX.length), reason: v });
  }
  return out;
}

function labelsFrom(r: Reader, body: Json, key: string): { [k: string]: string } | undefined {
  const blocks = r.blocks(body, key, 'labels');
  if (blocks.length === 0) return undefined;
  const out: { [k: string]: string } = {};
  for (const b of blocks) {
    const label = r.str(b, 'label', 'labels', {});
    const value = r.str(b, 'value', 'labels', {});
    if (label !== undefined && value !== undefined) out[label] = value;
  }
  return out;
}

function healthcheckFrom(r: Reader, hc: Json): HealthcheckSpec | undefined {
  if (!hc) return undefined;
  const test = r.strList(hc, 'test', 'healthcheck', {});
  if (test === undefined) return undefined;
  return {
    test,
    interval: r.str(hc, 'interval', 'healthcheck', {}),
    timeout: r.str(hc, 'timeout', 'healthcheck', {}),
    startPeriod: r.str(hc, 'start_period', 'healthcheck', {}),
    retries: r.num(hc, 'retries', 'healthcheck', {}),
  };
}

function mountsFrom(r: Reader, body: Json): { mounts: MountSpec[]; tmpfs: TmpfsSpec[] } {
  const mounts: MountSpec[] = [];
  const tmpfs: TmpfsSpec[] = [];
  for (const m of r.blocks(body, 'mounts', 'mounts')) {
    const type = r.str(m, 'type', 'mounts', {}) ?? 'volume';
    const target = r.str(m, 'target', 'mounts', {}) ?? '';
    const bind = r.block(m, 'bind_options', 'mounts');
    const mount: MountSpec = {
      type,
      source: r.str(m, 'source', 'mounts', {}),
      target,
      readOnly: r.bool(m, 'read_only', 'mounts', {}),
      propagation: bind ? r.str(bind, 'propagation', 'mounts', {}) : undefined,
    };
    mounts.push(mount);
    if (type === 'tmpfs') {
      const opts = r.block(m, 'tmpfs_options', 'tmpfs');
      const parts: string[] = [];
      const size = opts ? r.num(opts, 'size_bytes', 'tmpfs', {}) : undefined;
      const mode = opts ? r.num(opts, 'mode', 'tmpfs', {}) : undefined;
      if (size !== undefined) parts.push(`size=${size}`);
      if (mode !== undefined) parts.push(`mode=${mode.toString(8)}`);
      tmpfs.push({ path: target, options: parts.length ? parts.join(',') : undefined, fromMount: true });
    }
  }
  return { mounts, tmpfs };
}

/** One `docker_container` body to a spec. */
export function containerSpecFromContainer(name: string, body: Json, opts: AdapterOptions = {}): ContainerSpec {
  const address = `docker_container.${name}`;
  const where = `${opts.file ? opts.file + ': ' : ''}${address}`;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AdapterError(`${where}: a resource must be an object of attributes, got ${JSON.stringify(body)}`);
  }
  const r = new Reader(where, opts.afterUnknown ?? {});

  const caps = r.block(body, 'capabilities', 'capAdd');
  if (r.unknown.has('capAdd')) r.unknown.add('capDrop');

  const tmpfsMap = r.strMap(body, 'tmpfs', 'tmpfs');
  const fromMounts = mountsFrom(r, body);
  const tmpfs: TmpfsSpec[] = [
    ...Object.entries(tmpfsMap ?? {}).map(([path, options]) => ({ path, options: options === '' ? undefined : options })),
    ...fromMounts.tmpfs,
  ];

  const volumes: MountSpec[] = r.blocks(body, 'volumes', 'mounts').map((v) => {
    const hostPath = r.str(v, 'host_path', 'mounts', {});
    const volumeName = r.str(v, 'volume_name', 'mounts', {});
    return {
      type: hostPath !== undefined ? 'bind' : 'volume',
      source: hostPath ?? volumeName,
      target: r.str(v, 'container_path', 'mounts', {}) ?? '',
      readOnly: r.bool(v, 'read_only', 'mounts', {}),
    };
  });

  const ports: PortSpec[] = r.blocks(body, 'ports', 'ports').map((p) => ({
    internal: r.num(p, 'internal', 'ports', {}) ?? 0,
    external: r.num(p, 'external', 'ports', {}),
    ip: r.str(p, 'ip', 'ports', {}),
    protocol: r.str(p, 'protocol', 'ports', {}),
  }));

  const ulimits: UlimitSpec[] = r.blocks(body, 'ulimit', 'ulimits').map((u) => ({
    name: r.str(u, 'name', 'ulimits', {}) ?? '',
    soft: r.num(u, 'soft', 'ulimits', {}) ?? 0,
    hard: r.num(u, 'hard', 'ulimits', {}) ?? 0,
  }));

  const devices: DeviceSpec[] = r.blocks(body, 'devices', 'devices').map((d) => ({
    hostPath: r.str(d, 'host_path', 'devices', {}) ?? '',
    containerPath: r.str(d, 'container_path', 'devices', {}),
    permissions: r.str(d, 'permissions', 'devices', {}),
  }));

  const networks = r.blocks(body, 'networks_advanced', 'networks')
    .map((n) => r.str(n, 'name', 'networks', {}))
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
    capAdd: caps ? r.strList(caps, 'add', 'capAdd', {}) : undefined,
    capDrop: caps ? r.strList(caps, 'drop', 'capDrop', {}) : undefined,
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
    mounts: volumes.length + fromMounts.mounts.length ? [...volumes, ...fromMounts.mounts] : undefined,
    devices: devices.length ? devices : undefined,
    networkMode: r.str(body, 'network_mode', 'networkMode'),
    networks: networks.length ? networks : undefined,
    pidMode: r.str(body, 'pid_mode', 'pidMode'),
    ipcMode: r.str(body, 'ipc_mode', 'ipcMode'),
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
  };
  const suppressions = readSuppressions(body, labels);
  return finish(spec, r, suppressions);
}

/** One `docker_service` body (its task spec) to a spec. */
export function containerSpecFromService(name: string, body: Json, opts: AdapterOptions = {}): ContainerSpec {
  const address = `docker_service.${name}`;
  const where = `${opts.file ? opts.file + ': ' : ''}${address}`;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AdapterError(`${where}: a resource must be an object of attributes, got ${JSON.stringify(body)}`);
  }
  const r = new Reader(where, opts.afterUnknown ?? {});
  const task = r.block(body, 'task_spec', 'image') ?? {};
  const cs = r.block(task, 'container_spec', 'image') ?? {};
  const resources = r.block(task, 'resources', 'memoryBytes');
  const limits = resources ? r.block(resources, 'limits', 'memoryBytes') : undefined;
  if (r.unknown.has('memoryBytes')) r.unknown.add('nanoCpus');
  const restart = r.block(task, 'restart_policy', 'restartPolicy');
  const mode = r.block(body, 'mode', 'replicas');
  const replicated = mode ? r.block(mode, 'replicated', 'replicas') : undefined;
  const endpoint = r.block(body, 'endpoint_spec', 'ports');
  const fromMounts = mountsFrom(r, cs);
  const labels = labelsFrom(r, cs, 'labels');

  const ports: PortSpec[] = (endpoint ? r.blocks(endpoint, 'ports', 'ports') : []).map((p) => {
    const publishMode = r.str(p, 'publish_mode', 'ports', {});
    return {
      internal: r.num(p, 'target_port', 'ports', {}) ?? 0,
      external: r.num(p, 'published_port', 'ports', {}),
      // Swarm has no host-interface binding: ingress and host mode both publish on every interface.
      ip: '0.0.0.0',
      protocol: r.str(p, 'protocol', 'ports', {}),
      publishMode,
    };
  });
  const networks = r.blocks(task, 'networks_advanced', 'networks')
    .map((n) => r.str(n, 'name', 'networks', {}))
    .filter((n): n is string => n !== undefined);

  const spec: ContainerSpec = {
    kind: ResourceKind.SERVICE,
    source: opts.source ?? SpecSource.TERRAFORM_JSON,
    address,
    file: opts.file,
    constructPath: body['//']?.metadata?.path,
    name: r.str(body, 'name', 'name'),
    image: r.str(cs, 'image', 'image', {}),
    user: r.str(cs, 'user', 'user', {}),
    readOnly: r.bool(cs, 'read_only', 'readOnly', {}),
    tmpfs: fromMounts.tmpfs.length ? fromMounts.tmpfs : undefined,
    capAdd: r.strList(cs, 'cap_add', 'capAdd', {}),
    capDrop: r.strList(cs, 'cap_drop', 'capDrop', {}),
    memoryBytes: limits ? r.num(limits, 'memory_bytes', 'memoryBytes', {}) : undefined,
    nanoCpus: limits ? r.num(limits, 'nano_cpus', 'nanoCpus', {}) : undefined,
    restartPolicy: restart ? r.str(restart, 'condition', 'restartPolicy', {}) : undefined,
    maxRetryCount: restart ? r.num(restart, 'max_attempts', 'maxRetryCount', {}) : undefined,
    healthcheck: healthcheckFrom(r, r.block(cs, 'healthcheck', 'healthcheck')),
    ports: ports.length ? ports : undefined,
    mounts: fromMounts.mounts.length ? fromMounts.mounts : undefined,
    networks: networks.length ? networks : undefined,
    labels,
    sysctls: r.strMap(cs, 'sysctl', 'sysctls', {}),
    groupAdd: r.strList(cs, 'groups', 'groupAdd', {}),
    init: undefined,
    replicas: replicated ? r.num(replicated, 'replicas', 'replicas', {}) : undefined,
  };
  return finish(spec, r, readSuppressions(body, labels));
}

function finish(spec: ContainerSpec, r: Reader, suppressions: SpecSuppression[]): ContainerSpec {
  const out: any = { ...spec };
  if (suppressions.length) out.suppressions = suppressions;
  if (r.unknown.size) out.unknown = [...r.unknown].sort();
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as ContainerSpec;
}

/** One resource found in a Terraform JSON document. */
export interface TerraformResourceRef {
  readonly type: 'docker_container' | 'docker_service';
  readonly name: string;
  readonly body: Json;
}

/**
 * The docker_container and docker_service resources of one Terraform JSON document, in file order.
 * Accepts cdktf's `{resource: {type: {name: body}}}`, hcl2json's one-element lists, and `resource` as a list.
 */
export function dockerResources(doc: Json, file?: string): TerraformResourceRef[] {
  const where = file ?? 'Terraform JSON';
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new AdapterError(`${where}: expected a Terraform JSON object ({"resource": {...}}), got ${Array.isArray(doc) ? 'a list' : JSON.stringify(doc)}`);
  }
  const out: TerraformResourceRef[] = [];
  const resourceBlocks = doc.resource === undefined ? [] : Array.isArray(doc.resource) ? doc.resource : [doc.resource];
  for (const block of resourceBlocks) {
    if (block === null || typeof block !== 'object' || Array.isArray(block)) {
      throw new AdapterError(`${where}: "resource" must be an object of resource types, got ${JSON.stringify(block)}`);
    }
    for (const type of ['docker_container', 'docker_service'] as const) {
      const byName = block[type];
      if (byName === undefined) continue;
      const maps = Array.isArray(byName) ? byName : [byName];
      for (const m of maps) {
        if (m === null || typeof m !== 'object' || Array.isArray(m)) {
          throw new AdapterError(`${where}: "resource.${type}" must map resource names to bodies, got ${JSON.stringify(m)}`);
        }
        for (const [name, body] of Object.entries(m)) {
          // hcl2json writes each resource as a one-element list.
          const bodies = Array.isArray(body) ? body : [body];
          for (const b of bodies) out.push({ type, name, body: b });
        }
      }
    }
  }
  return out;
}

/** Every docker_container and docker_service of a Terraform JSON document as specs. */
export function specsFromTerraformJson(doc: Json, opts: AdapterOptions = {}): ContainerSpec[] {
  return dockerResources(doc, opts.file).map((ref) => specFromResource(ref, opts));
}

/** One resource to a spec. */
export function specFromResource(ref: TerraformResourceRef, opts: AdapterOptions = {}): ContainerSpec {
  return ref.type === 'docker_container'
    ? containerSpecFromContainer(ref.name, ref.body, opts)
    : containerSpecFromService(ref.name, ref.body, opts);
}

/** Parses Terraform JSON text, with an error that names the file, line and column. */
export function parseTerraformJson(text: string, file: string): Json {
  try {
    return JSON.parse(text);
  } catch (e: any) {
    const m = /position (\d+)/.exec(String(e.message));
    let where = '';
    if (m) {
      const pos = Number(m[1]);
      const before = text.slice(0, pos);
      const line = before.split('\n').length;
      const col = pos - before.lastIndexOf('\n');
      where = `:${line}:${col}`;
    }
    throw new AdapterError(`${file}${where}: malformed JSON: ${String(e.message).replace(/^JSON\.parse: /, '')}`);
  }
}
