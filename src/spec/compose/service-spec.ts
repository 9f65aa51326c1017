/**
 * One compose service as a ContainerSpec, with the position of each setting it was read from. Every security-relevant
 * setting is read in its short and long syntax; a setting whose interpolation needs a variable without a value is
 * unknown (cause: variable), never a pass. A list item that is unknown is left out and the list marked unknown, so
 * that its known items are still judged; a long-syntax mount keeps its known attributes, with the others unknown on
 * the item alone.
 */
import { isAfterApplyPlaceholder } from './interpolate';
import type { ComposeService } from './load';
import { ServiceMountReader } from './mount-reader';
import { expandPorts, parsePortShort } from './ports';
import { Position, positioned, TreeNode } from './tree';
import {
  ContainerSpec, DeviceSpec, HealthcheckSpec, MountSpec, PortSpec, SpecSuppression, UlimitSpec, UnknownCause,
} from '../container-spec';
import type { SpecField } from '../fields';

export { parseBytes } from './setting-reader';
export { parsePortShort } from './ports';

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

class ServiceReader extends ServiceMountReader {
  public read(file: string): ComposeServiceSpec {
    const unknown = this.service.unknownSettings;
    if (unknown) {
      const names = unknown.unknownVariables ?? [];
      const why = names.every(isAfterApplyPlaceholder)
        ? 'are only known after apply'
        : `depend on ${names.filter((n) => !isAfterApplyPlaceholder(n)).map((n) => `\${${n}}`).join(', ')}, not set`;
      throw positioned(unknown, `services.${this.service.name}: its settings ${why}`);
    }
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
    s.deviceCgroupRules = this.strings('deviceCgroupRules', ['device_cgroup_rules']);
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

  /** A reader of another service of the project, or undefined when there is none of that name or it would be a cycle. */
  private projectService(name: string): ServiceReader | undefined {
    const node = this.service.projectServices?.get(name);
    if (node === undefined || name === this.service.name || this.joining.includes(name)) return undefined;
    const unknownSettings = this.service.unknownServices?.get(name);
    return new ServiceReader({ ...this.service, name, node, at: node.at, unknownSettings }, [...this.joining, this.service.name]);
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
    if (other.service.unknownSettings) {
      this.markUnknown(field, false, UnknownCause.VARIABLE, other.service.unknownSettings.unknownVariables);
      return undefined;
    }
    const mode = other.namespace(field, key);
    if (other.unknown.has(field)) {
      this.markUnknown(field, false, other.causes.find((c) => c.field === field)?.cause, other.variablesOf(field));
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
      if (other.service.unknownSettings) {
        this.markUnknown('mounts', false, UnknownCause.VARIABLE, other.service.unknownSettings.unknownVariables);
        continue;
      }
      const readOnly = parts[1] === 'ro';
      const { mounts } = other.volumes();
      for (const m of [...mounts ?? [], ...other.volumesFrom()]) {
        const unknown = m.unknown?.filter((a) => a !== 'readOnly');
        out.push(readOnly ? { ...m, readOnly: true, unknown: unknown?.length ? unknown : undefined } : m);
      }
      if (other.unknown.has('mounts')) {
        this.markUnknown('mounts', !other.unknownWhole.has('mounts'), other.causes.find((c) => c.field === 'mounts')?.cause, other.variablesOf('mounts'));
      }
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
    if (this.unknownAsWhole('ulimits', node)) return undefined;
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
    // A deploy (or its restart_policy) only known as a whole may replace `restart`: the policy is not known.
    const deploy = this.service.node.entries.get('deploy');
    const policy = deploy?.kind === 'map' ? deploy.entries.get('restart_policy') : deploy;
    if (policy?.kind === 'scalar' && policy.unknownVariables?.length) {
      this.markUnknown('restartPolicy', false, UnknownCause.VARIABLE, policy.unknownVariables);
      this.markUnknown('maxRetryCount', false, UnknownCause.VARIABLE, policy.unknownVariables);
      return;
    }
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
    if (this.unknownAsWhole('healthcheck', node)) return undefined;
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
    if (this.unknownAsWhole('ports', node)) return undefined;
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

  private devices(): DeviceSpec[] | undefined {
    const node = this.at('devices', ['devices']);
    if (node === undefined) return undefined;
    if (this.unknownAsWhole('devices', node)) return undefined;
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
