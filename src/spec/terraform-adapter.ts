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
  /** The resource's full address, when it is not `<type>.<name>` (module paths, count and for_each keys). */
  readonly address?: string;
}

type Json = any;

const MIB = 1024 * 1024;

/** An absent repeated block: one shared empty list (read only). */
const NO_BLOCKS: Json[] = Object.freeze([]) as unknown as Json[];

/** No value is marked unknown by a plan: shared by every read that has no plan marks (read only). */
const NO_MARKS: Json = Object.freeze({});

/**
 * True for a string that holds a Terraform expression: an interpolation `${...}` or a template directive `%{...}`.
 * `$${` and `%%{` are escaped literals.
 */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && value.indexOf('{') >= 0 && /(^|[^$])\$\{|(^|[^%])%\{/.test(value);
}

/** The literal a known template string stands for: `$${` is `${` and `%%{` is `%{`. */
function unescapeTemplate(value: string): string {
  return value.indexOf('{') < 0 ? value : value.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/** The fields a reader could not know: a list made on the first one (most bodies have none). */
class FieldSet {
  private list?: SpecField[];

  public add(field: SpecField): void {
    if (this.list === undefined) this.list = [field];
    else if (!this.list.includes(field)) this.list.push(field);
  }

  public has(field: SpecField): boolean {
    return this.list !== undefined && this.list.includes(field);
  }

  public get size(): number {
    return this.list === undefined ? 0 : this.list.length;
  }

  public sorted(): SpecField[] {
    return this.list === undefined ? [] : [...this.list].sort();
  }
}

/** Reads one resource body, recording the fields it cannot know. */
class Reader {
  public readonly unknown = new FieldSet();

  /**
   * @param plain the body holds no expression and no `dynamic` block, and no plan marks are given: nothing in it can
   * be unknown, so the per-attribute unknown checks are skipped (the result is the same).
   */
  constructor(private readonly where: string, private readonly afterUnknown: Json, private readonly plain = false) {}

  /** True when the attribute is unknown: an expression, or listed unknown by a plan. */
  private isUnknownValue(value: unknown, unknownMark: unknown): boolean {
    if (this.plain) return false;
    if (unknownMark === true) return true;
    if (typeof value === 'string') return isExpression(value);
    if (value === null || typeof value !== 'object') return false;
    const marks = unknownMark !== null && typeof unknownMark === 'object' ? unknownMark as any : undefined;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) if (this.isUnknownValue(value[i], marks?.[i])) return true;
      return false;
    }
    for (const k in value) if (this.isUnknownValue((value as any)[k], marks?.[k])) return true;
    return false;
  }

  public str(body: Json, key: string, field: SpecField, mark: Json = this.afterUnknown): string | undefined {
    const v = body?.[key];
    if (this.isUnknownValue(v, mark?.[key])) {
      this.unknown.add(field);
      return undefined;
    }
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return unescapeTemplate(v);
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
    throw new AdapterError(`${this.where}: "${key}" must be a number (or a string holding one), got ${JSON.stringify(v)}`);
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
    throw new AdapterError(`${this.where}: "${key}" must be true or false (a boolean, or the string "true" or "false"), got ${JSON.stringify(v)}`);
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
      if (typeof item === 'string') return unescapeTemplate(item);
      if (typeof item === 'number') return String(item);
      throw new AdapterError(`${this.where}: "${key}" must be a list of strings (["a", "b"]), got ${JSON.stringify(v)}`);
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
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      throw new AdapterError(`${this.where}: "${key}" must be a map of strings ({"key": "value"}), got ${JSON.stringify(v)}`);
    }
    const out: { [k: string]: string } = {};
    for (const k in obj) {
      const val = obj[k];
      if (val === null || typeof val === 'object') {
        throw new AdapterError(`${this.where}: "${key}.${k}" must be a string, got ${JSON.stringify(val)}`);
      }
      out[unescapeTemplate(k)] = typeof val === 'string' ? unescapeTemplate(val) : String(val);
    }
    return out;
  }

  /**
   * A required attribute of one item of a repeated block. Undefined when it is unknown (the caller drops the item:
   * the field is listed unknown, and no value is invented in its place); an error when it is absent.
   */
  public required<T>(value: T | undefined, item: Json, key: string, field: SpecField, blockKey: string, form: string): T | undefined {
    if (value !== undefined) return value;
    if (this.unknown.has(field) && item?.[key] !== undefined && item?.[key] !== null) return undefined;
    throw new AdapterError(`${this.where}: a "${blockKey}" block needs "${key}"; valid form: ${form}`);
  }

  /** A single nested block: an object, or a one-element list. Undefined when absent; marks `field` unknown when dynamic. */
  public block(body: Json, key: string, field: SpecField): Json | undefined {
    if (!this.plain && hasDynamic(body, key)) {
      this.unknown.add(field);
      return undefined;
    }
    const v = body?.[key];
    if (v === undefined || v === null) return undefined;
    if (!this.plain && isExpression(v)) {
      this.unknown.add(field);
      return undefined;
    }
    if (Array.isArray(v)) {
      if (v.length === 0) return undefined;
      if (v.length > 1) {
        throw new AdapterError(`${this.where}: "${key}" is a single block, got ${v.length} of them: write one block, as an object {...} or a one-element list [{...}]`);
      }
      const only = v[0];
      if (only === null || typeof only !== 'object' || Array.isArray(only)) {
        throw new AdapterError(`${this.where}: "${key}" must be a block: an object {...} or a one-element list [{...}], got ${JSON.stringify(v)}`);
      }
      return only;
    }
    if (typeof v === 'object') return v;
    throw new AdapterError(`${this.where}: "${key}" must be a block: an object {...} or a one-element list [{...}], got ${JSON.stringify(v)}`);
  }

  /** A repeated nested block: a list of objects or a single object. Marks `field` unknown when dynamic or an expression. */
  public blocks(body: Json, key: string, field: SpecField): Json[] {
    if (!this.plain && hasDynamic(body, key)) this.unknown.add(field);
    const v = body?.[key];
    if (v === undefined || v === null) return NO_BLOCKS;
    if (!this.plain && isExpression(v)) {
      this.unknown.add(field);
      return NO_BLOCKS;
    }
    const arr = Array.isArray(v) ? v : [v];
    for (const item of arr) {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        throw new AdapterError(`${this.where}: "${key}" must be a list of blocks [{...}, ...] (or one block {...}), got ${JSON.stringify(v)}`);
      }
    }
    return arr;
  }
}

/**
 * The top-level attributes the adapter reads, of docker_container and docker_service: only these can make a spec
 * field unknown. An expression elsewhere (`env`, `command`, `upload`, ...) changes nothing the rules see, so the
 * fast-path scan skips those (a test proxies a body and fails when the adapter reads a key missing here).
 */
export const READ_ATTRIBUTES: readonly string[] = [
  // docker_container
  'capabilities', 'tmpfs', 'mounts', 'volumes', 'ports', 'ulimit', 'devices', 'networks_advanced', 'labels', 'memory',
  'memory_swap', 'name', 'image', 'user', 'read_only', 'privileged', 'security_opts', 'cpu_shares', 'cpu_period',
  'cpu_quota', 'cpus', 'restart', 'max_retry_count', 'healthcheck', 'network_mode', 'pid_mode', 'ipc_mode',
  'userns_mode', 'cgroupns_mode', 'cgroup_parent', 'log_driver', 'log_opts', 'init', 'sysctls', 'runtime', 'group_add',
  // docker_service
  'task_spec', 'mode', 'endpoint_spec',
];

/**
 * True when a value may hold something unknown before apply: a string with an expression, or a `dynamic` key at any
 * depth. One scan per resource body; at the top (`top`), only the attributes the adapter reads are scanned, and a
 * top-level `dynamic` always counts (the `//` comment key of the body, cdktf metadata, is never an attribute).
 */
export function mayHoldUnknown(value: Json, top = false): boolean {
  if (top && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    // Looks up the attributes read, rather than walking every key: cdktf's bodies are dictionary objects, slow to walk.
    if (value.dynamic !== undefined) return true;
    for (let i = 0; i < READ_ATTRIBUTES.length; i++) {
      const v = value[READ_ATTRIBUTES[i]];
      if (v !== undefined && mayHoldUnknown(v)) return true;
    }
    return false;
  }
  if (typeof value === 'string') return value.indexOf('{') >= 0 && isExpression(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (mayHoldUnknown(value[i])) return true;
    return false;
  }
  for (const k in value) {
    if (k === 'dynamic') return true;
    if (mayHoldUnknown(value[k])) return true;
  }
  return false;
}

/** A reader for one resource body: the fast one when nothing in it can be unknown (no expression, no plan marks). */
function readerFor(where: string, body: Json, opts: AdapterOptions, general = false): Reader {
  const marks = opts.afterUnknown ?? NO_MARKS;
  return new Reader(where, marks, !general && marks === NO_MARKS && !mayHoldUnknown(body, true));
}

/** Reads every body with the general reader (tests compare it with the fast path). @internal */
export let forceGeneralReader = false;
/** @internal */
export function setForceGeneralReader(v: boolean): void {
  forceGeneralReader = v;
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
  for (const k in labels) {
    if (k.startsWith(SUPPRESSION_LABEL_PREFIX)) out.push({ ruleId: k.slice(SUPPRESSION_LABEL_PREFIX.length), reason: labels[k] });
  }
  return out;
}

function labelsFrom(r: Reader, body: Json, key: string): { [k: string]: string } | undefined {
  const blocks = r.blocks(body, key, 'labels');
  if (blocks.length === 0) return undefined;
  const out: { [k: string]: string } = {};
  for (const b of blocks) {
    const label = r.str(b, 'label', 'labels', NO_MARKS);
    const value = r.str(b, 'value', 'labels', NO_MARKS);
    if (label !== undefined && value !== undefined) out[label] = value;
  }
  return out;
}

function healthcheckFrom(r: Reader, hc: Json): HealthcheckSpec | undefined {
  if (!hc) return undefined;
  const test = r.strList(hc, 'test', 'healthcheck', NO_MARKS);
  if (test === undefined) return undefined;
  return {
    test,
    interval: r.str(hc, 'interval', 'healthcheck', NO_MARKS),
    timeout: r.str(hc, 'timeout', 'healthcheck', NO_MARKS),
    startPeriod: r.str(hc, 'start_period', 'healthcheck', NO_MARKS),
    retries: r.num(hc, 'retries', 'healthcheck', NO_MARKS),
  };
}

function mountsFrom(r: Reader, body: Json): { mounts: MountSpec[]; tmpfs: TmpfsSpec[] } {
  const mounts: MountSpec[] = [];
  const tmpfs: TmpfsSpec[] = [];
  const form = '{"type": "bind" | "volume" | "tmpfs", "target": "/path", "source": "...", "read_only": true}';
  for (const m of r.blocks(body, 'mounts', 'mounts')) {
    const type = r.required(r.str(m, 'type', 'mounts', NO_MARKS), m, 'type', 'mounts', 'mounts', form);
    const target = r.required(r.str(m, 'target', 'mounts', NO_MARKS), m, 'target', 'mounts', 'mounts', form);
    if (type === undefined || target === undefined) {
      // Not known before apply: so is whether it is a tmpfs.
      r.unknown.add('tmpfs');
      continue;
    }
    const bind = r.block(m, 'bind_options', 'mounts');
    const mount: MountSpec = {
      type,
      source: r.str(m, 'source', 'mounts', NO_MARKS),
      target,
      readOnly: r.bool(m, 'read_only', 'mounts', NO_MARKS),
      propagation: bind ? r.str(bind, 'propagation', 'mounts', NO_MARKS) : undefined,
    };
    mounts.push(mount);
    if (type === 'tmpfs') {
      const opts = r.block(m, 'tmpfs_options', 'tmpfs');
      const parts: string[] = [];
      const size = opts ? r.num(opts, 'size_bytes', 'tmpfs', NO_MARKS) : undefined;
      const mode = opts ? r.num(opts, 'mode', 'tmpfs', NO_MARKS) : undefined;
      if (size !== undefined) parts.push(`size=${size}`);
      if (mode !== undefined) parts.push(`mode=${mode.toString(8)}`);
      tmpfs.push({ path: target, options: parts.length ? parts.join(',') : undefined, fromMount: true, optionsBlock: opts !== undefined });
    }
  }
  return { mounts, tmpfs };
}

/** One `docker_container` body to a spec. */
export function containerSpecFromContainer(name: string, body: Json, opts: AdapterOptions = {}): ContainerSpec {
  const address = opts.address ?? `docker_container.${name}`;
  const where = `${opts.file ? opts.file + ': ' : ''}${address}`;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AdapterError(`${where}: a resource must be an object of attributes, got ${JSON.stringify(body)}`);
  }
  const r = readerFor(where, body, opts, forceGeneralReader);

  const caps = r.block(body, 'capabilities', 'capAdd');
  if (r.unknown.has('capAdd')) r.unknown.add('capDrop');

  const tmpfsMap = r.strMap(body, 'tmpfs', 'tmpfs');
  const fromMounts = mountsFrom(r, body);
  const tmpfs: TmpfsSpec[] = [];
  for (const path in tmpfsMap) {
    const options = tmpfsMap[path];
    tmpfs.push({ path, options: options === '' ? undefined : options });
  }
  for (const t of fromMounts.tmpfs) tmpfs.push(t);

  const volumes: MountSpec[] = [];
  for (const v of r.blocks(body, 'volumes', 'mounts')) {
    const hostPath = r.str(v, 'host_path', 'mounts', NO_MARKS);
    const volumeName = r.str(v, 'volume_name', 'mounts', NO_MARKS);
    const fromContainer = r.str(v, 'from_container', 'mounts', NO_MARKS);
    const target = r.str(v, 'container_path', 'mounts', NO_MARKS);
    const sourceUnknown = (hostPath === undefined && v.host_path != null) || (volumeName === undefined && v.volume_name != null);
    // Unknown source or target: not known before apply (the field is listed unknown); nothing invented.
    if (sourceUnknown || (target === undefined && v.container_path != null)) continue;
    if (hostPath === undefined && volumeName === undefined && fromContainer !== undefined) {
      volumes.push({ type: 'volumes-from', source: fromContainer, target: target ?? '', readOnly: r.bool(v, 'read_only', 'mounts', NO_MARKS) });
      continue;
    }
    volumes.push({
      type: hostPath !== undefined ? 'bind' : 'volume',
      source: hostPath ?? volumeName,
      target: target ?? '',
      readOnly: r.bool(v, 'read_only', 'mounts', NO_MARKS),
    });
  }

  const ports: PortSpec[] = [];
  for (const p of r.blocks(body, 'ports', 'ports')) {
    const internal = r.required(r.num(p, 'internal', 'ports', NO_MARKS), p, 'internal', 'ports', 'ports', '{"internal": 8080, "external": 8080, "ip": "127.0.0.1"}');
    const port: PortSpec = {
      internal: internal ?? 0,
      external: r.num(p, 'external', 'ports', NO_MARKS),
      ip: r.str(p, 'ip', 'ports', NO_MARKS),
      protocol: r.str(p, 'protocol', 'ports', NO_MARKS),
    };
    if (internal !== undefined) ports.push(port);
  }

  const ulimits: UlimitSpec[] = [];
  const ulimitForm = '{"name": "nofile", "soft": 1024, "hard": 2048}';
  for (const u of r.blocks(body, 'ulimit', 'ulimits')) {
    const ulName = r.required(r.str(u, 'name', 'ulimits', NO_MARKS), u, 'name', 'ulimits', 'ulimit', ulimitForm);
    const soft = r.required(r.num(u, 'soft', 'ulimits', NO_MARKS), u, 'soft', 'ulimits', 'ulimit', ulimitForm);
    const hard = r.required(r.num(u, 'hard', 'ulimits', NO_MARKS), u, 'hard', 'ulimits', 'ulimit', ulimitForm);
    if (ulName !== undefined && soft !== undefined && hard !== undefined) ulimits.push({ name: ulName, soft, hard });
  }

  const devices: DeviceSpec[] = [];
  for (const d of r.blocks(body, 'devices', 'devices')) {
    const hostPath = r.required(r.str(d, 'host_path', 'devices', NO_MARKS), d, 'host_path', 'devices', 'devices', '{"host_path": "/dev/fuse", "container_path": "/dev/fuse", "permissions": "rwm"}');
    const device: DeviceSpec = {
      hostPath: hostPath ?? '',
      containerPath: r.str(d, 'container_path', 'devices', NO_MARKS),
      permissions: r.str(d, 'permissions', 'devices', NO_MARKS),
    };
    if (hostPath !== undefined) devices.push(device);
  }

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
    unknown: undefined,
  };
  const suppressions = readSuppressions(body, labels);
  return finish(spec, r, suppressions);
}

/** One `docker_service` body (its task spec) to a spec. */
export function containerSpecFromService(name: string, body: Json, opts: AdapterOptions = {}): ContainerSpec {
  const address = opts.address ?? `docker_service.${name}`;
  const where = `${opts.file ? opts.file + ': ' : ''}${address}`;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AdapterError(`${where}: a resource must be an object of attributes, got ${JSON.stringify(body)}`);
  }
  const r = readerFor(where, body, opts, forceGeneralReader);
  const task = r.block(body, 'task_spec', 'image') ?? {};
  const cs = r.block(task, 'container_spec', 'image') ?? {};
  if (r.unknown.has('image')) {
    // A task or container spec that is an expression or a dynamic block: nothing in it is known before apply.
    for (const f of SERVICE_TASK_FIELDS) r.unknown.add(f);
  }
  const resources = r.block(task, 'resources', 'memoryBytes');
  const limits = resources ? r.block(resources, 'limits', 'memoryBytes') : undefined;
  if (r.unknown.has('memoryBytes')) r.unknown.add('nanoCpus');
  const restart = r.block(task, 'restart_policy', 'restartPolicy');
  const mode = r.block(body, 'mode', 'replicas');
  const replicated = mode ? r.block(mode, 'replicated', 'replicas') : undefined;
  const endpoint = r.block(body, 'endpoint_spec', 'ports');
  const fromMounts = mountsFrom(r, cs);
  const labels = labelsFrom(r, cs, 'labels');

  const ports: PortSpec[] = [];
  for (const p of endpoint ? r.blocks(endpoint, 'ports', 'ports') : []) {
    const publishMode = r.str(p, 'publish_mode', 'ports', NO_MARKS);
    const target = r.required(r.num(p, 'target_port', 'ports', NO_MARKS), p, 'target_port', 'ports', 'ports', '{"target_port": 8080, "published_port": 8080}');
    if (target === undefined) continue;
    ports.push({
      internal: target,
      external: r.num(p, 'published_port', 'ports', NO_MARKS),
      // Swarm has no host-interface binding: ingress and host mode both publish on every interface.
      ip: '0.0.0.0',
      protocol: r.str(p, 'protocol', 'ports', NO_MARKS),
      publishMode,
    });
  }
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
  };
  const serviceLabels = labelsFrom(r, body, 'labels');
  return finish(spec, r, readSuppressions(body, { ...serviceLabels, ...labels }));
}

/** The fields a docker_service reads from its task spec. */
const SERVICE_TASK_FIELDS: SpecField[] = [
  'image', 'user', 'readOnly', 'tmpfs', 'capAdd', 'capDrop', 'memoryBytes', 'nanoCpus', 'restartPolicy', 'maxRetryCount',
  'healthcheck', 'mounts', 'networks', 'labels', 'sysctls', 'groupAdd',
];

function finish(spec: ContainerSpec, r: Reader, suppressions: SpecSuppression[]): ContainerSpec {
  // Every key of the literal stays, set or undefined: all specs of a kind share one shape, so the rules' reads are
  // fast. (Copying only the set keys made each spec a slow dictionary object past a dozen keys.)
  const out = spec as { -readonly [K in keyof ContainerSpec]: ContainerSpec[K] };
  if (suppressions.length) out.suppressions = suppressions;
  if (r.unknown.size) out.unknown = r.unknown.sorted();
  return spec;
}

/** One resource found in a Terraform JSON document. */
export interface TerraformResourceRef {
  readonly type: 'docker_container' | 'docker_service';
  readonly name: string;
  readonly body: Json;
  /** The full address (`module.web["a"].docker_container.app[0]`), when it is not `<type>.<name>`. */
  readonly address?: string;
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

/**
 * Every docker_container and docker_service of a Terraform JSON document as specs. docker_container bodies whose
 * settings are the same apart from their name and construct path are read once (see SharedReading).
 */
export function specsFromTerraformJson(doc: Json, opts: AdapterOptions = {}): ContainerSpec[] {
  const shared = new SharedReading(opts);
  return dockerResources(doc, opts.file).map((ref) => shared.spec(ref));
}

/** The spec whose reading a spec shares (itself for the first of its settings); undefined when not shared. */
const SHARED_SETTINGS = new WeakMap<ContainerSpec, ContainerSpec>();

/**
 * The first spec read with the same settings as `spec`, when SharedReading made it: specs with the same one have
 * equal settings, so a rule that reads only settings gives them the same result (evaluate reuses it).
 */
export function sharedSettingsOf(spec: ContainerSpec): ContainerSpec | undefined {
  return SHARED_SETTINGS.get(spec);
}

/**
 * Reads docker_container bodies, once per distinct settings. cdktf writes every replica, and every resource a loop
 * makes, with the same attributes apart from the resource name, `name` and the construct path; a Terraform JSON file
 * of thousands of containers has few distinct settings. A body is keyed by its attributes other than `name` and the
 * `//` metadata path (the `//` suppressions stay in the key); a repeat copies the first spec with its own address,
 * name and construct path. The specs equal reading every body alone (a property test compares them). Only bodies
 * with a literal `name` (no expression) are shared; after 256 bodies with fewer than 1 in 8 repeats, keying stops,
 * so a document of all-different containers pays for 256 keys only.
 */
export class SharedReading {
  private readonly firsts = new Map<string, ContainerSpec>();
  private keyed = 0;
  private repeats = 0;

  constructor(private readonly opts: AdapterOptions = {}) {}

  public spec(ref: TerraformResourceRef): ContainerSpec {
    const key = ref.type === 'docker_container' && this.keying() ? settingsKey(ref.body) : undefined;
    if (key === undefined) return specFromResource(ref, this.opts);
    this.keyed++;
    const first = this.firsts.get(key);
    if (first === undefined) {
      const spec = specFromResource(ref, this.opts);
      this.firsts.set(key, spec);
      SHARED_SETTINGS.set(spec, spec);
      return spec;
    }
    this.repeats++;
    const out: any = { ...first };
    out.address = ref.address ?? `docker_container.${ref.name}`;
    const name = ref.body.name;
    if (name !== undefined) out.name = name;
    const path = ref.body['//']?.metadata?.path;
    if (path !== undefined) out.constructPath = path;
    SHARED_SETTINGS.set(out, first);
    return out as ContainerSpec;
  }

  private keying(): boolean {
    return this.keyed < 256 || this.repeats * 8 >= this.keyed;
  }
}

/**
 * The settings of a docker_container body as a string: every attribute but `name` and the `//` metadata path, with
 * whether those two are present. Undefined when the body cannot be shared: not an object, a `name` that is not a
 * literal string (an expression is unknown: the spec lists it), or a metadata path that is not a string.
 */
function settingsKey(body: Json): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const name = body.name;
  if (name !== undefined && (typeof name !== 'string' || name.indexOf('{') >= 0 || name.indexOf('%') >= 0)) return undefined;
  const parts: Json[] = [name === undefined ? 0 : 1];
  for (const k in body) {
    if (k === 'name') continue;
    if (k === '//') {
      const comment = body[k];
      const path = comment?.metadata?.path;
      if (path !== undefined && typeof path !== 'string') return undefined;
      parts.push('//', path === undefined ? 0 : 1, comment?.[METADATA_KEY] ?? null);
      continue;
    }
    parts.push(k, body[k]);
  }
  return JSON.stringify(parts);
}

/** One resource to a spec. */
export function specFromResource(ref: TerraformResourceRef, opts: AdapterOptions = {}): ContainerSpec {
  if (ref.address !== undefined) opts = { ...opts, address: ref.address };
  return ref.type === 'docker_container'
    ? containerSpecFromContainer(ref.name, ref.body, opts)
    : containerSpecFromService(ref.name, ref.body, opts);
}

/** Parses Terraform JSON text, with an error that names the file, line and column (`file:3:7: malformed JSON: ...`). */
export function parseTerraformJson(text: string, file: string): Json {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (e: any) {
    // V8's messages do not always carry a position ("Unexpected token ..."): find it ourselves.
    const pos = jsonErrorOffset(body) ?? Number(/position (\d+)/.exec(String(e?.message))?.[1] ?? body.length);
    const before = body.slice(0, pos);
    const line = before.split('\n').length;
    const col = pos - before.lastIndexOf('\n');
    const found = pos >= body.length ? 'end of input' : JSON.stringify(body[pos]);
    throw new AdapterError(`${file}:${line}:${col}: malformed JSON: unexpected ${found} (${String(e?.message ?? e)}). `
      + 'Expected Terraform JSON: {"resource": {"docker_container": {"<name>": {...}}}}');
  }
}

/** The offset of the first syntax error of a JSON text, or undefined when it parses. */
function jsonErrorOffset(t: string): number | undefined {
  let i = 0;
  const ws = () => {
    while (i < t.length && (t[i] === ' ' || t[i] === '\t' || t[i] === '\n' || t[i] === '\r')) i++;
  };
  class Stop { constructor(readonly at: number) {} }
  const fail = (): never => {
    throw new Stop(i);
  };
  const str = () => {
    if (t[i] !== '"') fail();
    i++;
    while (i < t.length && t[i] !== '"') {
      if (t.charCodeAt(i) < 0x20) fail();
      if (t[i] === '\\') {
        i++;
        if (t[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(t[i] ?? 'x')) {
          fail();
        }
      }
      i++;
    }
    if (i >= t.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    const c = t[i];
    if (c === '{') {
      i++;
      ws();
      if (t[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        str();
        ws();
        if (t[i] !== ':') fail();
        i++;
        value();
        ws();
        if (t[i] === ',') {
          i++;
          continue;
        }
        if (t[i] === '}') {
          i++;
          return;
        }
        fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (t[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (t[i] === ',') {
          i++;
          continue;
        }
        if (t[i] === ']') {
          i++;
          return;
        }
        fail();
      }
    } else if (c === '"') {
      str();
    } else {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|^true|^false|^null/.exec(t.slice(i, i + 400));
      if (!m) fail();
      i += m![0].length;
    }
  };
  try {
    value();
    ws();
    if (i < t.length) fail();
    return undefined;
  } catch (e) {
    if (e instanceof Stop) return e.at;
    throw e;
  }
}
