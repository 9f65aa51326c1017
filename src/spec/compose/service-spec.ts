/**
 * One compose service as a ContainerSpec, with the position of each setting it was read from. Every security-relevant
 * setting is read in its short and long syntax; a setting whose interpolation needs a variable without a value is
 * unknown (cause: variable), never a pass. A list item that is unknown is left out and the list marked unknown, so
 * that its known items are still judged; a long-syntax mount keeps its known attributes, with the others unknown on
 * the item alone.
 */
import * as path from 'path';
import { UNKNOWN_MARK } from './interpolate';
import type { ComposeService } from './load';
import { MapNode, Position, positioned, ScalarNode, TreeNode } from './tree';
import {
  ContainerSpec, DeviceSpec, HealthcheckSpec, MountSpec, PortSpec, ResourceKind, SpecSource, SpecSuppression, TmpfsSpec, UlimitSpec,
  UnknownCause, UnknownValue,
} from '../container-spec';
import type { SpecField } from '../fields';

/** A service's spec and where each of its fields was written. */
export interface ComposeServiceSpec {
  readonly spec: ContainerSpec;
  /** The position of the setting each field was read from (the key, e.g. `privileged:`). */
  readonly positions: ReadonlyMap<SpecField, Position>;
}

/** The label prefix that suppresses a rule on a service, as on a container (`hardened-docker.suppress.<rule-id>`). */
const SUPPRESSION_LABEL_PREFIX = 'hardened-docker.suppress.';

/** The spec of one service. Throws ComposeError (positioned) for a setting of the wrong shape. */
export function composeServiceSpec(service: ComposeService, file: string): ComposeServiceSpec {
  return new ServiceReader(service).read(file);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

class ServiceReader {
  private readonly spec: Mutable<ContainerSpec>;
  private readonly unknown = new Set<SpecField>();
  /** Unknown fields that may miss items (or are scalars): the others are unknown only through attributes of their items. */
  private readonly unknownWhole = new Set<SpecField>();
  private readonly causes: UnknownValue[] = [];
  private readonly positions = new Map<SpecField, Position>();
  private readonly root: MapNode;

  /**
   * @param joining the services whose reading led here (`volumes_from`, `network_mode: service:`), in order: a
   *   service met again is a cycle, which compose refuses, and is not followed
   */
  constructor(private readonly service: ComposeService, private readonly joining: readonly string[] = []) {
    this.root = service.node;
    this.spec = { kind: ResourceKind.CONTAINER, source: SpecSource.COMPOSE, address: `services.${service.name}` };
  }

  public read(file: string): ComposeServiceSpec {
    const s = this.spec;
    s.file = file;
    const containerName = this.str('name', ['container_name']);
    const profiles = this.service.profiles.length ? ` [profiles: ${this.service.profiles.join(', ')}]` : '';
    if (containerName !== undefined || profiles) s.name = `${containerName ?? this.service.name}${profiles}`;
    s.image = this.str('image', ['image']);
    s.user = this.str('user', ['user']);
    s.readOnly = this.bool('readOnly', ['read_only']);
    s.privileged = this.bool('privileged', ['privileged']);
    s.capAdd = this.strings('capAdd', ['cap_add']);
    s.capDrop = this.strings('capDrop', ['cap_drop']);
    s.securityOpts = this.strings('securityOpts', ['security_opt']);
    s.groupAdd = this.strings('groupAdd', ['group_add']);
    s.init = this.bool('init', ['init']);
    s.runtime = this.str('runtime', ['runtime']);
    s.networkMode = this.namespace('networkMode', 'network_mode');
    s.networks = this.networks();
    s.ipcMode = this.namespace('ipcMode', 'ipc');
    s.pidMode = this.namespace('pidMode', 'pid');
    s.utsMode = this.str('utsMode', ['uts']);
    s.usernsMode = this.str('usernsMode', ['userns_mode']);
    s.cgroupnsMode = this.str('cgroupnsMode', ['cgroup']);
    s.cgroupParent = this.str('cgroupParent', ['cgroup_parent']);
    s.pidsLimit = this.num('pidsLimit', ['pids_limit']) ?? this.num('pidsLimit', ['deploy', 'resources', 'limits', 'pids']);
    s.memoryBytes = this.bytes('memoryBytes', ['mem_limit']) ?? this.bytes('memoryBytes', ['deploy', 'resources', 'limits', 'memory']);
    s.memorySwapBytes = this.bytes('memorySwapBytes', ['memswap_limit']);
    s.cpuShares = this.num('cpuShares', ['cpu_shares']);
    s.cpuQuota = this.num('cpuQuota', ['cpu_quota']);
    s.cpuPeriod = this.num('cpuPeriod', ['cpu_period']);
    const cpus = this.num('nanoCpus', ['cpus']) ?? this.num('nanoCpus', ['deploy', 'resources', 'limits', 'cpus']);
    s.nanoCpus = cpus === undefined ? undefined : Math.round(cpus * 1e9);
    s.ulimits = this.ulimits();
    this.restart();
    s.healthcheck = this.healthcheck();
    s.ports = this.ports();
    const tmpfsKey = this.tmpfs();
    const { mounts, tmpfs } = this.volumes();
    const inherited = this.volumesFrom();
    s.mounts = inherited.length ? [...mounts ?? [], ...inherited] : mounts;
    s.tmpfs = [...tmpfsKey, ...tmpfs];
    if (!s.tmpfs.length) s.tmpfs = undefined;
    s.devices = this.devices();
    s.gpus = this.gpus();
    s.labels = this.stringMap('labels', ['labels']);
    s.sysctls = this.stringMap('sysctls', ['sysctls']);
    s.logDriver = this.str('logDriver', ['logging', 'driver']);
    s.logOpts = this.stringMap('logOpts', ['logging', 'options']);
    s.replicas = this.num('replicas', ['deploy', 'replicas']) ?? this.num('replicas', ['scale']);
    s.suppressions = this.suppressions();
    for (const k of Object.keys(s) as Array<keyof ContainerSpec>) if (s[k] === undefined) delete s[k];
    if (this.unknown.size) {
      s.unknown = [...this.unknown];
      const listedInFull = [...this.unknown].filter((f) => !this.unknownWhole.has(f));
      if (listedInFull.length) s.listedInFull = listedInFull;
      s.unknownCauses = this.causes;
    }
    return { spec: s, positions: this.positions };
  }

  /** The node at a path of keys, and the position of its last key; records it as the field's position. */
  private at(field: SpecField, keys: readonly string[]): TreeNode | undefined {
    let node: TreeNode | undefined = this.root;
    let keyAt: Position | undefined;
    for (const k of keys) {
      if (node?.kind !== 'map') return undefined;
      keyAt = node.keyAt.get(k);
      node = node.entries.get(k);
    }
    if (node === undefined || (node.kind === 'scalar' && node.value === null)) return undefined;
    if (!this.positions.has(field) && keyAt) this.positions.set(field, keyAt);
    return node;
  }

  /** True when a setting is written (not null), without recording a position. */
  private written(keys: readonly string[]): boolean {
    let node: TreeNode | undefined = this.root;
    for (const k of keys) node = node?.kind === 'map' ? node.entries.get(k) : undefined;
    return node !== undefined && !(node.kind === 'scalar' && node.value === null);
  }

  /** Records a field as unknown: as a whole, or (`itemLevel`) only through attributes of items it lists. */
  private markUnknown(field: SpecField, itemLevel = false, cause = UnknownCause.VARIABLE): void {
    this.unknown.add(field);
    if (!itemLevel) this.unknownWhole.add(field);
    if (!this.causes.some((c) => c.field === field && c.cause === cause)) this.causes.push({ field, cause });
  }

  /** A reader of another service of the project, or undefined when there is none of that name or it would be a cycle. */
  private projectService(name: string): ServiceReader | undefined {
    const node = this.service.projectServices?.get(name);
    if (node === undefined || name === this.service.name || this.joining.includes(name)) return undefined;
    return new ServiceReader({ ...this.service, name, node, at: node.at }, [...this.joining, this.service.name]);
  }

  /**
   * A namespace mode (`network_mode`, `pid`, `ipc`). `service:<name>` joins that service's namespace: where it
   * uses the host's, so does this service, and the mode reads `host`; where its mode is not known, neither is this.
   * `container:<name>` joins a container outside the project: unknown.
   */
  private namespace(field: 'networkMode' | 'pidMode' | 'ipcMode', key: string): string | undefined {
    const value = this.str(field, [key]);
    // A container outside the project: whether its namespace is the host's, only the engine knows.
    if (value !== undefined && /^container:/.test(value.trim())) {
      this.markUnknown(field, false, UnknownCause.OTHER);
      return undefined;
    }
    const joined = value === undefined ? undefined : /^service:(.+)$/.exec(value.trim());
    const other = joined ? this.projectService(joined[1]) : undefined;
    if (!other) return value;
    const mode = other.namespace(field, key);
    if (other.unknown.has(field)) {
      this.markUnknown(field);
      return undefined;
    }
    return mode?.trim().toLowerCase() === 'host' ? 'host' : value;
  }

  /**
   * `volumes_from`: the mounts of each service named (`name`, `name:ro`, `name:rw`), read-only with `:ro`, as the
   * container gets them. A container outside the project (`container:<name>`) has mounts nobody here knows.
   */
  private volumesFrom(): MountSpec[] {
    const items = this.strings('mounts', ['volumes_from']) ?? [];
    const out: MountSpec[] = [];
    for (const item of items) {
      const parts = item.split(':');
      if (parts[0] === 'container') {
        this.markUnknown('mounts', false, UnknownCause.OTHER);
        continue;
      }
      const other = this.projectService(parts[0]);
      if (!other) continue;
      const readOnly = parts[1] === 'ro';
      const { mounts } = other.volumes();
      for (const m of [...mounts ?? [], ...other.volumesFrom()]) {
        const unknown = m.unknown?.filter((a) => a !== 'readOnly');
        out.push(readOnly ? { ...m, readOnly: true, unknown: unknown?.length ? unknown : undefined } : m);
      }
      if (other.unknown.has('mounts')) {
        this.markUnknown('mounts', !other.unknownWhole.has('mounts'), other.causes.find((c) => c.field === 'mounts')?.cause);
      }
    }
    return out;
  }

  /** A scalar's text, or undefined (and the field marked unknown) when it needs a variable without a value. */
  private text(field: SpecField, node: ScalarNode): string | undefined {
    if (node.unknownVariables?.length) {
      this.markUnknown(field);
      return undefined;
    }
    return node.value === null ? undefined : String(node.value);
  }

  private scalar(field: SpecField, keys: readonly string[], expected: string): ScalarNode | undefined {
    const node = this.at(field, keys);
    if (node === undefined) return undefined;
    if (node.kind !== 'scalar') throw positioned(node, `${this.where(keys)}: expected ${expected}, got a ${node.kind === 'map' ? 'mapping' : 'sequence'}`);
    return node;
  }

  private where(keys: readonly string[]): string {
    return `services.${this.service.name}.${keys.join('.')}`;
  }

  private str(field: SpecField, keys: readonly string[]): string | undefined {
    const node = this.scalar(field, keys, 'a string');
    return node ? this.text(field, node) : undefined;
  }

  private bool(field: SpecField, keys: readonly string[]): boolean | undefined {
    const node = this.scalar(field, keys, 'true or false');
    if (!node) return undefined;
    if (typeof node.value === 'boolean') return node.value;
    const t = this.text(field, node);
    if (t === undefined) return undefined;
    const lower = t.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    throw positioned(node, `${this.where(keys)}: expected true or false, got ${JSON.stringify(t)}`);
  }

  private num(field: SpecField, keys: readonly string[]): number | undefined {
    const node = this.scalar(field, keys, 'a number');
    if (!node) return undefined;
    if (typeof node.value === 'number') return node.value;
    const t = this.text(field, node);
    if (t === undefined) return undefined;
    const n = Number(t.trim());
    if (t.trim() === '' || !Number.isFinite(n)) throw positioned(node, `${this.where(keys)}: expected a number, got ${JSON.stringify(t)}`);
    return n;
  }

  private bytes(field: SpecField, keys: readonly string[]): number | undefined {
    const node = this.scalar(field, keys, 'a size (512m, 1g, or bytes)');
    if (!node) return undefined;
    if (typeof node.value === 'number') return node.value;
    const t = this.text(field, node);
    if (t === undefined) return undefined;
    const bytes = parseBytes(t);
    if (bytes === undefined) throw positioned(node, `${this.where(keys)}: expected a size (512m, 1g, or bytes), got ${JSON.stringify(t)}`);
    return bytes;
  }

  /** A list of strings (a single string is a list of one). */
  private strings(field: SpecField, keys: readonly string[]): string[] | undefined {
    const node = this.at(field, keys);
    if (node === undefined) return undefined;
    const items = node.kind === 'seq' ? node.items : [node];
    const out: string[] = [];
    for (const item of items) {
      if (item.kind !== 'scalar') throw positioned(item, `${this.where(keys)}: expected a list of strings`);
      const t = this.text(field, item);
      if (t !== undefined) out.push(t);
    }
    return out;
  }

  private stringMap(field: SpecField, keys: readonly string[]): { [k: string]: string } | undefined {
    const node = this.at(field, keys);
    if (node === undefined) return undefined;
    if (node.kind !== 'map') throw positioned(node, `${this.where(keys)}: expected a mapping (or a list of KEY=VALUE)`);
    const out: { [k: string]: string } = {};
    for (const [k, v] of node.entries) {
      if (v.kind !== 'scalar') throw positioned(v, `${this.where([...keys, k])}: expected a string`);
      const t = this.text(field, v);
      if (t !== undefined) out[k] = t;
    }
    return out;
  }

  private networks(): string[] | undefined {
    const node = this.at('networks', ['networks']);
    if (node === undefined) return undefined;
    if (node.kind === 'map') return [...node.entries.keys()];
    return this.strings('networks', ['networks']);
  }

  private ulimits(): UlimitSpec[] | undefined {
    const node = this.at('ulimits', ['ulimits']);
    if (node === undefined) return undefined;
    if (node.kind !== 'map') throw positioned(node, `${this.where(['ulimits'])}: expected a mapping (nofile: 1024, or nofile: { soft: 1024, hard: 2048 })`);
    const out: UlimitSpec[] = [];
    for (const [name, v] of node.entries) {
      const num = (n: TreeNode | undefined, what: string): number | undefined => {
        if (n?.kind !== 'scalar') throw positioned(n ?? v, `${this.where(['ulimits', name])}: expected a number or { soft, hard }`);
        const t = this.text('ulimits', n);
        if (t === undefined) return undefined;
        const x = Number(t);
        if (!Number.isInteger(x)) throw positioned(n, `${this.where(['ulimits', name, what])}: expected a whole number, got ${JSON.stringify(t)}`);
        return x;
      };
      if (v.kind === 'map') {
        const soft = num(v.entries.get('soft'), 'soft');
        const hard = num(v.entries.get('hard'), 'hard');
        if (soft !== undefined && hard !== undefined) out.push({ name, soft, hard });
      } else {
        const both = num(v, name);
        if (both !== undefined) out.push({ name, soft: both, hard: both });
      }
    }
    return out;
  }

  /**
   * `restart`, or `deploy.restart_policy`, which replaces it when both are written: docker compose builds the
   * container's policy from `restart` and then, when there is a `deploy.restart_policy`, from that alone (its
   * `max_attempts`, or no count).
   */
  private restart(): void {
    if (this.written(['deploy', 'restart_policy'])) {
      const condition = this.str('restartPolicy', ['deploy', 'restart_policy', 'condition']);
      if (condition === undefined) this.at('restartPolicy', ['deploy', 'restart_policy']);
      // deploy.restart_policy's conditions in the container's words: any is always, none is no.
      this.spec.restartPolicy = condition === undefined || condition === 'any' ? 'always' : condition === 'none' ? 'no' : condition;
      this.spec.maxRetryCount = this.num('maxRetryCount', ['deploy', 'restart_policy', 'max_attempts']);
      if (this.spec.maxRetryCount === undefined && !this.unknown.has('maxRetryCount')) {
        this.positions.set('maxRetryCount', this.positions.get('restartPolicy')!);
      }
      return;
    }
    const restart = this.str('restartPolicy', ['restart']);
    if (restart === undefined) return;
    const m = /^on-failure:(\d+)$/.exec(restart.trim());
    this.spec.restartPolicy = m ? 'on-failure' : restart.trim();
    if (m) {
      this.spec.maxRetryCount = Number(m[1]);
      this.positions.set('maxRetryCount', this.positions.get('restartPolicy')!);
    }
  }

  private healthcheck(): HealthcheckSpec | undefined {
    const node = this.at('healthcheck', ['healthcheck']);
    if (node === undefined) return undefined;
    if (node.kind !== 'map') throw positioned(node, `${this.where(['healthcheck'])}: expected a mapping (test:, interval:, ...)`);
    const disable = this.bool('healthcheck', ['healthcheck', 'disable']);
    if (disable) return { test: ['NONE'] };
    const testNode = node.entries.get('test');
    let test: string[] = [];
    if (testNode?.kind === 'scalar' && testNode.value !== null) {
      const t = this.text('healthcheck', testNode);
      if (t !== undefined) test = ['CMD-SHELL', t];
    } else if (testNode?.kind === 'seq') {
      test = this.strings('healthcheck', ['healthcheck', 'test']) ?? [];
    }
    return {
      test,
      interval: this.str('healthcheck', ['healthcheck', 'interval']),
      timeout: this.str('healthcheck', ['healthcheck', 'timeout']),
      startPeriod: this.str('healthcheck', ['healthcheck', 'start_period']),
      retries: this.num('healthcheck', ['healthcheck', 'retries']),
    };
  }

  private ports(): PortSpec[] | undefined {
    const node = this.at('ports', ['ports']);
    if (node === undefined) return undefined;
    if (node.kind !== 'seq') throw positioned(node, `${this.where(['ports'])}: expected a list`);
    const out: PortSpec[] = [];
    for (const item of node.items) {
      if (item.kind === 'map') {
        const field = (k: string): string | undefined => {
          const v = item.entries.get(k);
          if (v === undefined || (v.kind === 'scalar' && v.value === null)) return undefined;
          if (v.kind !== 'scalar') throw positioned(v, `${this.where(['ports', k])}: expected a scalar`);
          return this.text('ports', v) ?? UNKNOWN;
        };
        const target = field('target');
        const published = field('published');
        const ip = field('host_ip');
        const protocol = field('protocol');
        const mode = field('mode');
        if ([target, published, ip, protocol].includes(UNKNOWN)) continue;
        if (target === undefined) throw positioned(item, `${this.where(['ports'])}: a port needs target: (the container port)`);
        out.push(...expandPorts(item, this.where(['ports']), target, published, ip, protocol, mode));
        continue;
      }
      if (item.kind !== 'scalar' || item.value === null) throw positioned(item, `${this.where(['ports'])}: expected "[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]" or { target, published, host_ip }`);
      const t = this.text('ports', item);
      if (t === undefined) continue;
      const parsed = parsePortShort(t);
      if (!parsed) throw positioned(item, `${this.where(['ports'])}: ${JSON.stringify(t)} is not "[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]"`);
      out.push(...expandPorts(item, this.where(['ports']), parsed.target, parsed.published, parsed.ip, parsed.protocol, undefined));
    }
    return out;
  }

  private volumes(): { mounts?: MountSpec[]; tmpfs: TmpfsSpec[] } {
    const node = this.at('mounts', ['volumes']);
    const tmpfs: TmpfsSpec[] = [];
    if (node === undefined) return { tmpfs };
    if (node.kind !== 'seq') throw positioned(node, `${this.where(['volumes'])}: expected a list`);
    const mounts: MountSpec[] = [];
    for (const item of node.items) {
      if (item.kind === 'map') {
        mounts.push(this.volumeLong(item, tmpfs));
        continue;
      }
      if (item.kind !== 'scalar' || item.value === null) throw positioned(item, `${this.where(['volumes'])}: expected "SOURCE:TARGET[:MODE]" or { type, source, target }`);
      const partly = this.volumeShortUnknownSource(item);
      if (partly) {
        mounts.push(partly);
        continue;
      }
      const t = this.text('mounts', item);
      if (t === undefined) {
        this.markUnknown('tmpfs');
        continue;
      }
      mounts.push(this.volumeShort(t, item.at.file));
    }
    // A tmpfs written as a volume (or a volume not known, which may be one) is located at volumes: when tmpfs: is not.
    if ((tmpfs.length || this.unknown.has('mounts')) && !this.positions.has('tmpfs')) this.positions.set('tmpfs', this.positions.get('mounts')!);
    return { mounts, tmpfs };
  }

  /**
   * `{ type, source, target, read_only, bind: { propagation }, tmpfs: { size, mode } }`. An attribute that needs a
   * variable without a value is unknown on the item alone (`${DATA}/x` as a source still leaves a literal
   * `propagation: rshared` judged); a mount whose type is unknown may be a tmpfs too. A tmpfs mount is also added
   * to `tmpfs`.
   */
  private volumeLong(item: MapNode, tmpfs: TmpfsSpec[]): MountSpec {
    const unknown: string[] = [];
    const get = (keys: string[], attribute: string, into = unknown): string | undefined => {
      let n: TreeNode | undefined = item;
      for (const k of keys) n = n?.kind === 'map' ? n.entries.get(k) : undefined;
      if (n === undefined || (n.kind === 'scalar' && n.value === null)) return undefined;
      if (n.kind !== 'scalar') throw positioned(n, `${this.where(['volumes', ...keys])}: expected a scalar`);
      if (n.unknownVariables?.length) {
        this.markUnknown(into === unknown ? 'mounts' : 'tmpfs', true);
        into.push(attribute);
        return undefined;
      }
      return String(n.value);
    };
    const type = get(['type'], 'type');
    const source = get(['source'], 'source');
    const target = get(['target'], 'target');
    const readOnly = get(['read_only'], 'readOnly');
    const propagation = get(['bind', 'propagation'], 'propagation');
    if (target === undefined && !unknown.includes('target')) {
      throw positioned(item, `${this.where(['volumes'])}: a mount needs target: (the path in the container)`);
    }
    const bound = (type ?? 'volume') === 'volume' && !unknown.includes('type') && source !== undefined ? this.boundVolume(source) : undefined;
    if (bound?.device === undefined && bound !== undefined) unknown.push('source');
    const mount: MountSpec = {
      type: bound ? 'bind' : type ?? (unknown.includes('type') ? '' : 'volume'),
      source: bound ? bound.device : type === 'bind' && source !== undefined ? this.hostPath(source, item.at.file) : source,
      target: target ?? '',
      readOnly: readOnly === undefined ? undefined : readOnly.toLowerCase() === 'true',
      propagation,
      ...(unknown.length ? { unknown } : {}),
    };
    // A mount whose type or target is not known may be a tmpfs (or a tmpfs at an unknown path): tmpfs may miss an item.
    if (unknown.includes('type') || (type === 'tmpfs' && unknown.includes('target'))) {
      this.markUnknown('tmpfs');
    } else if (type === 'tmpfs') {
      const options: string[] = [];
      const size = get(['tmpfs', 'size'], 'options', options);
      const mode = get(['tmpfs', 'mode'], 'options', options);
      const parts = [size !== undefined ? `size=${size}` : undefined, mode !== undefined ? `mode=${mode}` : undefined].filter((p) => p !== undefined);
      if (options.length) {
        tmpfs.push({ path: target!, options: undefined, fromMount: true, unknown: ['options'] });
      } else {
        tmpfs.push({ path: target!, options: parts.length ? parts.join(',') : undefined, fromMount: true });
      }
    }
    return mount;
  }

  /**
   * A short-syntax mount whose source alone needs a variable without a value (`${DATA}:/data:ro`): the item with
   * its source unknown, its target and mode read. A source with a `/` in its known text is a host path (a volume
   * name has none); otherwise it may be a volume name or a path, and the type is unknown too. Undefined when the
   * item is known, or when its target or mode needs the variable (then the whole item is unknown).
   */
  private volumeShortUnknownSource(item: ScalarNode): MountSpec | undefined {
    if (!item.unknownVariables?.length || item.marked === undefined) return undefined;
    const parts = item.marked.split(':');
    if (parts.length < 2 || parts.length > 3 || parts.slice(1).some((p) => p.includes(UNKNOWN_MARK))) return undefined;
    const [source, target, mode] = parts;
    const modes = (mode ?? '').split(',').map((m) => m.trim()).filter((m) => m !== '');
    this.markUnknown('mounts', true);
    const isPath = /^[./~]/.test(source) || source.includes('/');
    return {
      type: isPath ? 'bind' : '',
      source: undefined,
      target,
      readOnly: modes.includes('ro') ? true : undefined,
      propagation: modes.find((m) => PROPAGATIONS.includes(m)),
      unknown: isPath ? ['source'] : ['type', 'source'],
    };
  }

  /** `SOURCE:TARGET[:MODE]` or `TARGET` (an anonymous volume). */
  private volumeShort(text: string, file: string): MountSpec {
    const parts = text.split(':');
    if (parts.length === 1) return { type: 'volume', target: parts[0] };
    const [source, target, mode] = parts;
    const modes = (mode ?? '').split(',').map((m) => m.trim()).filter((m) => m !== '');
    const isPath = /^[./~]/.test(source);
    const bound = isPath ? undefined : this.boundVolume(source);
    if (bound && bound.device === undefined) {
      return {
        type: 'bind',
        source: undefined,
        target,
        readOnly: modes.includes('ro') ? true : undefined,
        propagation: modes.find((m) => PROPAGATIONS.includes(m)),
        unknown: ['source'],
      };
    }
    return {
      type: isPath || bound ? 'bind' : 'volume',
      source: bound ? bound.device : isPath ? this.hostPath(source, file) : source,
      target,
      readOnly: modes.includes('ro') ? true : undefined,
      propagation: modes.find((m) => PROPAGATIONS.includes(m)),
    };
  }

  /**
   * A named volume that binds a host directory: the `local` driver with `o: bind` (among its options) and a
   * `device`, as `docker volume create --opt type=none --opt o=bind --opt device=/srv/data` makes one. Its device;
   * `device` undefined when it needs a variable without a value (the mount is marked unknown by the caller).
   * Undefined for any other volume.
   */
  private boundVolume(name: string): { readonly device?: string } | undefined {
    const def = this.service.volumes?.get(name);
    if (def?.kind !== 'map') return undefined;
    const driver = def.entries.get('driver');
    if (driver?.kind === 'scalar' && driver.value !== null && String(driver.value) !== 'local') return undefined;
    const opts = def.entries.get('driver_opts');
    if (opts?.kind !== 'map') return undefined;
    const o = opts.entries.get('o');
    const device = opts.entries.get('device');
    if (o?.kind !== 'scalar' || device?.kind !== 'scalar' || device.value === null) return undefined;
    if (!o.unknownVariables?.length && !String(o.value).split(',').map((x) => x.trim()).includes('bind')) return undefined;
    // Options or a device that need a variable without a value: maybe a bind, of a host path not known.
    if (o.unknownVariables?.length || device.unknownVariables?.length) {
      this.markUnknown('mounts', true);
      return {};
    }
    return { device: this.hostPath(String(device.value), device.at.file) };
  }

  /** A bind's host path: a relative path resolves against the directory of the file it was written in. */
  private hostPath(source: string, file: string): string {
    if (source.startsWith('~') || path.isAbsolute(source)) return source;
    return path.resolve(this.service.fileDirs.get(file) ?? this.service.projectDir, source);
  }

  private tmpfs(): TmpfsSpec[] {
    const list = this.strings('tmpfs', ['tmpfs']) ?? [];
    return list.map((t) => {
      const colon = t.indexOf(':');
      return colon < 0 ? { path: t } : { path: t.slice(0, colon), options: t.slice(colon + 1) };
    });
  }

  private devices(): DeviceSpec[] | undefined {
    const node = this.at('devices', ['devices']);
    if (node === undefined) return undefined;
    if (node.kind !== 'seq') throw positioned(node, `${this.where(['devices'])}: expected a list`);
    const out: DeviceSpec[] = [];
    for (const item of node.items) {
      if (item.kind === 'map') {
        const get = (k: string): string | undefined => {
          const v = item.entries.get(k);
          if (v?.kind !== 'scalar' || v.value === null) return undefined;
          return this.text('devices', v) ?? UNKNOWN;
        };
        const hostPath = get('source');
        const containerPath = get('target');
        const permissions = get('permissions');
        if ([hostPath, containerPath, permissions].includes(UNKNOWN)) continue;
        if (hostPath === undefined) throw positioned(item, `${this.where(['devices'])}: a device needs source: (the host path)`);
        out.push({ hostPath, containerPath, permissions });
        continue;
      }
      if (item.kind !== 'scalar' || item.value === null) throw positioned(item, `${this.where(['devices'])}: expected "HOST[:CONTAINER[:PERMISSIONS]]"`);
      const t = this.text('devices', item);
      if (t === undefined) continue;
      const [hostPath, containerPath, permissions] = t.split(':');
      out.push({ hostPath, containerPath, permissions });
    }
    return out;
  }

  /** `gpus: all`, `gpus: [{ count, device_ids }]`, or a device reservation with the gpu capability. */
  private gpus(): string | undefined {
    const node = this.at('gpus', ['gpus']);
    if (node?.kind === 'scalar') return this.text('gpus', node);
    if (node?.kind === 'seq' && node.items.length) return 'all';
    const reserved = this.at('gpus', ['deploy', 'resources', 'reservations', 'devices']);
    if (reserved?.kind !== 'seq') return undefined;
    for (const d of reserved.items) {
      const caps = d.kind === 'map' ? d.entries.get('capabilities') : undefined;
      const list = caps?.kind === 'seq' ? caps.items : [];
      if (list.some((c) => c.kind === 'scalar' && String(c.value).toLowerCase() === 'gpu')) {
        const count = d.kind === 'map' ? d.entries.get('count') : undefined;
        return count?.kind === 'scalar' && count.value !== null ? String(count.value) : 'all';
      }
    }
    return undefined;
  }

  private suppressions(): SpecSuppression[] | undefined {
    const labels = this.spec.labels;
    if (!labels) return undefined;
    const out: SpecSuppression[] = [];
    for (const [key, reason] of Object.entries(labels)) {
      if (!key.startsWith(SUPPRESSION_LABEL_PREFIX)) continue;
      out.push({ ruleId: key.slice(SUPPRESSION_LABEL_PREFIX.length), reason, origin: `label ${JSON.stringify(key)}` });
    }
    return out.length ? out : undefined;
  }
}

/** An item attribute that needs a variable without a value. */
const UNKNOWN = '\u0000unknown';

const PROPAGATIONS = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'];

/** Compose's sizes: bytes, or a number with b, k, m, g (kb, mb, gb), powers of 1024. */
export function parseBytes(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([bkmg]?)b?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = { '': 1, 'b': 1, 'k': 1024, 'm': 1024 ** 2, 'g': 1024 ** 3 }[m[2].toLowerCase()]!;
  return Math.round(Number(m[1]) * unit);
}

/** `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`, with `[::1]` IPv6 addresses and ranges. */
export function parsePortShort(text: string): { target: string; published?: string; ip?: string; protocol?: string } | undefined {
  let rest = text.trim();
  let protocol: string | undefined;
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    protocol = rest.slice(slash + 1);
    rest = rest.slice(0, slash);
  }
  let ip: string | undefined;
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  if (v6) {
    ip = v6[1];
    rest = v6[2];
  }
  const parts = rest.split(':');
  if (!ip && parts.length === 3) ip = parts.shift();
  if (parts.length > 2 || parts.some((p, i) => (p === '' ? i !== 0 || parts.length !== 2 : !/^\d+(-\d+)?$/.test(p)))) {
    return undefined;
  }
  const [a, b] = parts;
  if (b === undefined) return { target: a, ip, protocol };
  return { target: b, published: a === '' ? undefined : a, ip, protocol };
}

/** Port items, one per port of a range (`8000-8002:80-82`); a single host range for one container port is one item. */
function expandPorts(node: TreeNode, where: string, target: string, published: string | undefined, ip: string | undefined,
  protocol: string | undefined, mode: string | undefined): PortSpec[] {
  const range = (t: string): [number, number] => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(t.trim());
    if (!m) throw positioned(node, `${where}: ${JSON.stringify(t)} is not a port or a range of ports`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo > 65535 || hi > 65535 || hi < lo) throw positioned(node, `${where}: ${JSON.stringify(t)} is not a port (1-65535) or a range lo-hi`);
    return [lo, hi];
  };
  const [tLo, tHi] = range(target);
  const pub = published === undefined ? undefined : range(published);
  // As Docker (and compose's loader) refuse it: a host range either matches the container range port for port, or
  // serves one container port (Docker picks a port of the range).
  if (pub !== undefined && tHi !== tLo && pub[1] - pub[0] !== tHi - tLo) {
    throw positioned(node, `${where}: the host range ${published} and the container range ${target} differ in length: `
      + 'give as many host ports as container ports (8000-8001:80-81), or one container port for a host range (8000-8010:80)');
  }
  const host = ip === undefined || ip === '' ? undefined : ip;
  const out: PortSpec[] = [];
  for (let p = tLo; p <= tHi && out.length < 65536; p++) {
    // A host range for one container port: Docker picks one port of the range; its lowest is the one judged.
    const external = pub === undefined ? undefined : tLo === tHi ? pub[0] : pub[0] + (p - tLo);
    out.push({ internal: p, external, ip: host, protocol, ...(mode ? { publishMode: mode } : {}) });
  }
  return out;
}
