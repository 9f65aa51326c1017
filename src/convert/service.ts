/**
 * One compose service as the props of a HardenedContainer (or a SecureService, when it has replicas): each setting a
 * typed prop, each weakening the typed opt-out with a TODO reason the reason validator refuses, and every setting
 * that has no prop listed as a note, never dropped. Values come from the compose reader's ContainerSpec (short and
 * long syntax already read); the raw service node says which keys were written and holds what the spec does not.
 */
import { arr, bool, Code, num, obj, Prop, quote, ref, str } from './code';
import { neededOptOuts } from './probe';
import { bytesToMiB, dnsLabel, durationSeconds, splitCommand, tmpfsSizeBytes } from './values';
import { isCapability } from '../constructs/capability';
import { OPT_OUT_RULES, OptOutName } from '../constructs/core/opt-out-ledger';
import type { HardenedContainerProps } from '../constructs/hardened-container';
import type { ComposeService } from '../spec/compose/load';
import type { MapNode, Position, TreeNode } from '../spec/compose/tree';
import type { ContainerSpec, MountSpec } from '../spec/container-spec';
import type { SpecField } from '../spec/fields';

/** A setting `convert` could not carry over (or carried over only in part), and why. */
export interface ConvertNote {
  readonly service?: string;
  /** The compose setting, as written (`services.web.devices`). */
  readonly setting: string;
  readonly at?: Position;
  readonly message: string;
}

/**
 * The reason every opt-out is written with: 8 visible characters, which the reason validator (src/rules/reason.ts)
 * refuses (at least 10 are needed), so synth fails on it until a person writes the real reason.
 */
export const TODO_REASON = 'TODO: ...';

/** What the stack gives a service: the names of the resources it refers to. */
export interface ServiceResolver {
  /** The code and literal name of a compose network (a `docker_network`'s `.name`, or an external name). */
  network(key: string): { code: Code; name: string };
  /** The network of services that name none (compose's `default`). */
  defaultNetwork(): { code: Code; name: string };
  /** The code and literal name of a named volume. */
  volume(key: string): { code: Code; name: string };
  /** A named volume standing in for an anonymous one at `target`. */
  anonymousVolume(service: string, target: string): { code: Code; name: string };
  /** A host path as code (relative to the compose directory when it lies below it). */
  hostPath(abs: string): Code;
}

/** A service mapped: the construct, its props as code, and its notes. */
export interface ServiceConversion {
  readonly name: string;
  readonly construct: 'HardenedContainer' | 'SecureService';
  readonly props: Code;
  /** Comment lines above the construct. */
  readonly comments: string[];
  readonly notes: ConvertNote[];
  /** Enum types the props use (for imports). */
  readonly enums: Set<string>;
  /** True when the props read `process.env`. */
  readonly usesEnv: boolean;
  /** TODO values in the props (opt-out reasons, placeholders): synth refuses each until it is filled. */
  readonly todos: number;
}

/** Keys with no prop, and why (the note's text). */
const UNMAPPED_WHY: { readonly [key: string]: string } = {
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
  cgroup: 'HardenedContainer keeps a private cgroup namespace: not carried over',
  cgroup_parent: 'HardenedContainer has no prop for the cgroup parent: not carried over',
  devices: 'HardenedContainer has no prop for host devices: not carried over',
  device_cgroup_rules: 'HardenedContainer has no prop for device cgroup rules: not carried over',
  gpus: 'HardenedContainer has no prop for GPUs: not carried over',
  profiles: 'profiles: the service is always created by this stack',
  secrets: 'compose secrets have no docker_container equivalent: mount the file with `volumes` (read-only) or pass it in `env`',
  configs: 'compose configs have no docker_container equivalent: mount the file with `volumes` (read-only)',
};

/** Settings each mapped below (with its sub-keys); any other key is a note. */
const MAPPED = new Set([
  'image', 'container_name', 'command', 'entrypoint', 'environment', 'working_dir', 'user', 'read_only', 'privileged', 'cap_add',
  'cap_drop', 'security_opt', 'ports', 'volumes', 'tmpfs', 'networks', 'network_mode', 'mem_limit', 'memswap_limit', 'cpus',
  'cpu_shares', 'cpu_quota', 'cpu_period', 'pids_limit', 'ulimits', 'deploy', 'scale', 'healthcheck', 'restart', 'logging',
  'labels', 'init',
]);

/** Where a permission opt-out the core asks for comes from, when the mapping recorded no cause: keys and what they do. */
const OPT_OUT_SOURCES: { readonly [K in OptOutName]?: readonly [readonly string[], string] } = {
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

const MiB = 1024 * 1024;
const SPEC_FIELD_KEYS: { readonly [field: string]: string } = {
  image: 'image',
  user: 'user',
  mounts: 'volumes',
  tmpfs: 'tmpfs',
  ports: 'ports',
  memoryBytes: 'mem_limit',
  nanoCpus: 'cpus',
  securityOpts: 'security_opt',
  capAdd: 'cap_add',
  healthcheck: 'healthcheck',
  restartPolicy: 'restart',
  labels: 'labels',
};

/** Maps one service. `spec` and `positions` are the compose reader's for it. */
export function convertService(service: ComposeService, spec: ContainerSpec, positions: ReadonlyMap<SpecField, Position>,
  resolve: ServiceResolver): ServiceConversion {
  return new ServiceMapper(service, spec, positions, resolve).map();
}

class ServiceMapper {
  private readonly props: Prop[] = [];
  /** The props as plain values, with valid stand-ins for TODO values: what the probe validates. */
  private readonly probe: { [k: string]: unknown } = {};
  private readonly switches = new Map<OptOutName, string>();
  /** Permission opt-outs the mapping expects, with what in the compose file causes them. */
  private readonly causes = new Map<OptOutName, string>();
  private readonly notes: ConvertNote[] = [];
  private readonly comments: string[] = [];
  private readonly enums = new Set<string>();
  private usesEnv = false;
  /** TODO values written (placeholders and reasons): each fails synth until filled. */
  private todos = 0;
  private readonly node: MapNode;
  private readonly replicas: number;

  constructor(private readonly service: ComposeService, private readonly spec: ContainerSpec,
    private readonly positions: ReadonlyMap<SpecField, Position>, private readonly resolve: ServiceResolver) {
    this.node = service.node;
    const r = spec.unknown?.includes('replicas') ? 1 : spec.replicas ?? 1;
    this.replicas = Number.isInteger(r) && r > 1 ? r : 1;
  }

  public map(): ServiceConversion {
    const unknown = new Set(this.spec.unknown ?? []);
    for (const field of unknown) {
      const key = SPEC_FIELD_KEYS[field] ?? field;
      const variables = this.unknownVariables(key);
      const needs = variables.length ? `needs ${variables.join(', ')}, which has no value` : 'needs a variable without a value';
      this.note(key, `${needs}: left out; give it a value (environment, .env, --env-file) and convert again`, this.positions.get(field as SpecField));
    }
    const known = (field: string) => !unknown.has(field);
    this.image(known('image'));
    this.names();
    this.commandLike('command', 'command');
    this.commandLike('entrypoint', 'entrypoint');
    this.environment();
    const workingDir = this.scalarText('working_dir');
    if (workingDir !== undefined) this.set('workingDir', workingDir);
    if (known('user')) this.user();
    this.security(known('securityOpts'), known('capAdd'));
    if (known('ports')) this.ports();
    if (known('mounts') && known('tmpfs')) this.mounts();
    this.networks();
    this.limits(unknown);
    if (known('healthcheck')) this.healthcheck();
    if (known('restartPolicy') && known('maxRetryCount')) this.restart();
    this.logging(known('logDriver') && known('logOpts'));
    if (known('labels')) this.labels();
    if (this.spec.init === false) this.set('init', false);
    this.unmappedKeys();
    return {
      name: this.service.name,
      construct: this.replicas > 1 ? 'SecureService' : 'HardenedContainer',
      props: obj([...this.props, ...this.optOutProps()]),
      todos: this.todos,
      comments: this.comments,
      notes: this.notes,
      enums: this.enums,
      usesEnv: this.usesEnv,
    };
  }

  /** The variables without a value below a setting. */
  private unknownVariables(key: string): string[] {
    const found = new Set<string>();
    const walk = (n: TreeNode | undefined): void => {
      if (n === undefined) return;
      if (n.kind === 'scalar') n.unknownVariables?.forEach((v) => found.add(v));
      else if (n.kind === 'seq') n.items.forEach(walk);
      else n.entries.forEach(walk);
    };
    walk(this.node.entries.get(key));
    return [...found];
  }

  private where(key: string): string {
    return `services.${this.service.name}.${key}`;
  }

  private keyAt(key: string): Position | undefined {
    return this.node.keyAt.get(key);
  }

  private shown(key: string, what: string): string {
    const at = this.keyAt(key) ?? this.service.at;
    return `${what} (${at.file}:${at.line}:${at.column})`;
  }

  private note(key: string, message: string, at?: Position): void {
    this.notes.push({ service: this.service.name, setting: this.where(key), at: at ?? this.keyAt(key) ?? this.service.at, message });
  }

  private set(key: string, value: unknown, code: Code = literal(value), comments?: string[]): void {
    this.probe[key] = value;
    this.props.push({ key, value: code, comments });
  }

  private scalarText(key: string): string | undefined {
    const n = this.node.entries.get(key);
    if (n === undefined || (n.kind === 'scalar' && n.value === null)) return undefined;
    if (n.kind !== 'scalar') {
      this.note(key, 'expected a single value: left out');
      return undefined;
    }
    if (n.unknownVariables?.length) {
      this.note(key, `needs ${n.unknownVariables.join(', ')}, which has no value: left out`);
      return undefined;
    }
    return String(n.value);
  }

  private image(known: boolean): void {
    const image = known ? this.spec.image : undefined;
    if (image === undefined) {
      const variables = this.unknownVariables('image');
      const why = variables.length ? `the image needs ${variables.join(', ')}, which has no value`
        : this.node.entries.has('build') ? 'the compose file builds this image (build:)' : 'the compose file names no image';
      this.todos++;
      this.set('image', 'busybox', str('TODO: image reference'), [`TODO: ${why}: give the image's reference (name@sha256:<digest>)`]);
      return;
    }
    const pinned = /@sha256:[0-9a-f]{64}$/.test(image);
    if (this.replicas > 1 && !pinned) {
      this.todos++;
      this.set('image', image);
      this.props.push({
        key: 'imageDigest',
        value: str(`TODO: sha256 digest of ${image}`),
        comments: [`TODO: the image's digest (docker buildx imagetools inspect ${image}); or, to run the tag, serviceOptOuts.unpinnedImage`],
      });
      return;
    }
    this.set('image', image, str(image), pinned ? undefined : [`TODO: pin the image by digest (${image}@sha256:<digest>): a tag can move`]);
  }

  private names(): void {
    if (this.replicas > 1) {
      this.set('replicas', this.replicas);
      const name = dnsLabel(this.service.name);
      if (name !== this.service.name) this.set('name', name);
      if (this.node.entries.has('container_name')) this.note('container_name', 'a service with replicas names its containers <name>-1 .. <name>-n: left out');
      return;
    }
    const name = this.scalarText('container_name');
    if (name !== undefined) this.set('name', name);
  }

  private commandLike(key: string, prop: string): void {
    const n = this.node.entries.get(key);
    if (n === undefined || (n.kind === 'scalar' && n.value === null)) return;
    let words: string[] | undefined;
    if (n.kind === 'seq') {
      words = n.items.map((i) => (i.kind === 'scalar' && !i.unknownVariables?.length ? String(i.value ?? '') : undefined))
        .filter((w): w is string => w !== undefined);
      if (words.length !== n.items.length) words = undefined;
    } else if (n.kind === 'scalar' && !n.unknownVariables?.length) {
      words = splitCommand(String(n.value));
    }
    if (words === undefined) {
      this.note(key, 'not a list of known strings nor a command line with closed quotes: left out');
      return;
    }
    this.set(prop, words);
  }

  private environment(): void {
    const n = this.node.entries.get('environment');
    if (n?.kind !== 'map') return;
    const props: Prop[] = [];
    const values: { [k: string]: string } = {};
    for (const [k, v] of n.entries) {
      if (v.kind !== 'scalar') continue;
      if (v.unknownVariables?.length) {
        this.note('environment', `${k} needs ${v.unknownVariables.join(', ')}, which has no value: left out`, n.keyAt.get(k));
      } else if (v.value === null) {
        // Compose passes the variable of its own environment: so does the stack, at synth.
        this.usesEnv = true;
        values[k] = '';
        props.push({ key: k, value: ref(`process.env${/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${quote(k)}]`} ?? ''`) });
      } else {
        values[k] = String(v.value);
        props.push({ key: k, value: str(String(v.value)) });
      }
    }
    if (props.length) this.set('env', values, obj(props));
  }

  private user(): void {
    const u = this.spec.user?.trim();
    if (u === undefined || u === '') return;
    if (/^\d+(:\d+)?$/.test(u)) {
      if (/^0(:|$)/.test(u)) this.causes.set('runAsRoot', this.shown('user', `user: ${u}`));
      this.set('user', u);
      return;
    }
    if (/^root(:(root|0))?$/.test(u)) {
      this.causes.set('runAsRoot', this.shown('user', `user: ${u}`));
      this.set('user', '0');
      return;
    }
    this.todos++;
    this.set('user', '10001:10001', str(`TODO: numeric UID of ${u}`),
      [`TODO: the UID[:GID] of "${u}" (docker run --rm --entrypoint id <image> ${u.split(':')[0]}): a name is refused`]);
  }

  private security(optsKnown: boolean, capsKnown: boolean): void {
    const s = this.spec;
    if (s.readOnly !== true) {
      this.switches.set('writableRootFilesystem', s.readOnly === false ? this.shown('read_only', 'read_only: false')
        : 'read_only is not set: compose\'s root filesystem is writable; or remove this opt-out and list writablePaths');
    }
    const caps: string[] = [];
    if (s.privileged === true) {
      caps.push('ALL');
      this.switches.set('unconfinedSeccomp', this.shown('privileged', 'privileged: true'));
      this.causes.set('dangerousCapabilities', this.shown('privileged', 'privileged: true'));
      this.probe.appArmorProfile = 'unconfined';
      this.props.push({ key: 'appArmorProfile', value: str('unconfined') });
      this.note('privileged', 'no privileged prop: mapped to every capability (ALL), seccomp and AppArmor unconfined; host devices and unmasked /proc, /sys are not carried over');
    }
    if (capsKnown) {
      for (const c of s.capAdd ?? []) {
        const name = c.trim().toUpperCase().replace(/^CAP_/, '');
        if (!isCapability(name)) this.note('cap_add', `${c} is not a Linux capability name: left out`);
        else if (!caps.includes(name)) caps.push(name);
      }
    }
    if (caps.includes('ALL')) caps.splice(0, caps.length, 'ALL');
    if (caps.length) {
      this.enums.add('Capability');
      this.set('addCapabilities', caps, arr(caps.map((c) => ref(`Capability.${c}`))));
      this.causes.set('dangerousCapabilities', this.causes.get('dangerousCapabilities') ?? this.shown('cap_add', `cap_add: ${caps.join(', ')}`));
    }
    if (!optsKnown) return;
    const selinux: string[] = [];
    for (const opt of s.securityOpts ?? []) {
      const m = /^([a-z-]+)(?:[:=](.*))?$/.exec(opt.trim());
      const [key, value] = m ? [m[1], m[2]] : ['', ''];
      if (key === 'no-new-privileges') {
        if (value === 'false') this.switches.set('allowPrivilegeEscalation', this.shown('security_opt', `security_opt: ${opt}`));
      } else if (key === 'seccomp' && value === 'unconfined') {
        this.switches.set('unconfinedSeccomp', this.shown('security_opt', `security_opt: ${opt}`));
      } else if (key === 'apparmor' && value) {
        if (this.probe.appArmorProfile === undefined) this.set('appArmorProfile', value);
      } else if (key === 'label' && value) {
        selinux.push(value);
      } else if (key === 'systempaths' && value === 'unconfined') {
        this.switches.set('unconfinedSystemPaths', this.shown('security_opt', `security_opt: ${opt}`));
      } else {
        this.note('security_opt', `${opt}: no prop for it${key === 'seccomp' ? ' (a seccomp profile file: read it into seccompProfileJson)' : ''}: left out`);
      }
    }
    if (selinux.length) this.set('selinuxLabels', selinux);
  }

  private ports(): void {
    const ports = this.spec.ports ?? [];
    if (!ports.length) return;
    const codes: Code[] = [];
    const values: unknown[] = [];
    for (const p of ports) {
      const hostIp = p.ip ?? '0.0.0.0';
      const value: { [k: string]: unknown } = { internal: p.internal };
      const props: Prop[] = [{ key: 'internal', value: num(p.internal) }];
      if (p.external !== undefined) {
        value.external = p.external;
        props.push({ key: 'external', value: num(p.external) });
      }
      value.hostIp = hostIp;
      props.push({ key: 'hostIp', value: str(hostIp) });
      const protocol = (p.protocol ?? 'tcp').toLowerCase();
      if (protocol !== 'tcp') {
        value.protocol = protocol;
        this.enums.add('Protocol');
        props.push({ key: 'protocol', value: ref(`Protocol.${protocol.toUpperCase()}`) });
      }
      if (p.ip === undefined) this.causes.set('allInterfaces', this.shown('ports', 'ports without a host IP bind every interface'));
      values.push(value);
      codes.push(obj(props));
    }
    this.set('ports', values, arr(codes));
  }

  private mounts(): void {
    const volumes: Code[] = [];
    const values: unknown[] = [];
    for (const m of this.spec.mounts ?? []) {
      const v = this.mount(m);
      if (v) {
        values.push(v.value);
        volumes.push(v.code);
      }
    }
    const writable: Code[] = [];
    const writableValues: unknown[] = [];
    for (const t of this.spec.tmpfs ?? []) {
      const value: { [k: string]: unknown } = { path: t.path };
      const props: Prop[] = [{ key: 'path', value: str(t.path) }];
      for (const opt of (t.options ?? '').split(',').map((o) => o.trim()).filter(Boolean)) {
        const [k, v] = opt.split('=');
        if (k === 'size' && v !== undefined && tmpfsSizeBytes(v) !== undefined) {
          value.sizeMb = Math.max(1, bytesToMiB(tmpfsSizeBytes(v)!));
          props.push({ key: 'sizeMb', value: num(value.sizeMb as number) });
        } else if (k === 'mode' && v !== undefined && /^[0-7]{3,4}$/.test(v)) {
          value.mode = parseInt(v, 8);
          props.push({ key: 'mode', value: ref(`0o${v.replace(/^0(?=\d{3})/, '')}`) });
        } else if (k === 'exec') {
          value.executable = true;
          props.push({ key: 'executable', value: bool(true) });
          this.causes.set('executableTmpfs', this.shown('tmpfs', `tmpfs ${t.path} with exec`));
        } else if (!['rw', 'noexec', 'nosuid', 'nodev'].includes(k)) {
          this.note(t.fromMount ? 'volumes' : 'tmpfs', `tmpfs ${t.path} option ${opt}: no prop for it: left out`);
        }
      }
      if (t.path.replace(/\/+$/, '') === '/tmp') {
        // /tmp always gets its tmpfs: its size is tmpfsSizeMb.
        if (value.sizeMb !== undefined) this.set('tmpfsSizeMb', value.sizeMb);
        continue;
      }
      writableValues.push(value);
      writable.push(obj(props));
    }
    if (writable.length) this.set('writablePaths', writableValues, arr(writable));
    if (volumes.length) this.set('volumes', values, arr(volumes));
  }

  private mount(m: MountSpec): { value: unknown; code: Code } | undefined {
    if (m.type === 'tmpfs') return undefined;
    const readOnly = m.readOnly === true;
    const tail: Prop[] = [{ key: 'readOnly', value: bool(readOnly) }];
    if (m.propagation !== undefined) this.note('volumes', `${m.target}: propagation ${m.propagation} has no prop: left out (private)`);
    if (m.type === 'bind') {
      if (m.source === undefined || !m.source.startsWith('/')) {
        this.note('volumes', `${m.source ?? '(no source)'}:${m.target}: the construct takes an absolute host path: left out`);
        return undefined;
      }
      return {
        value: { containerPath: m.target, hostPath: m.source, readOnly },
        code: obj([{ key: 'containerPath', value: str(m.target) }, { key: 'hostPath', value: this.resolve.hostPath(m.source) }, ...tail]),
      };
    }
    if (m.type !== 'volume') {
      this.note('volumes', `${m.target}: a ${m.type} mount has no prop: left out`);
      return undefined;
    }
    let vol: { code: Code; name: string };
    if (m.source === undefined) {
      vol = this.resolve.anonymousVolume(this.service.name, m.target);
      this.note('volumes', `${m.target}: the anonymous volume became the named volume ${vol.name}`);
    } else {
      vol = this.resolve.volume(m.source);
    }
    return {
      value: { containerPath: m.target, volumeName: vol.name, readOnly },
      code: obj([{ key: 'containerPath', value: str(m.target) }, { key: 'volumeName', value: vol.code }, ...tail]),
    };
  }

  private networks(): void {
    const mode = this.spec.networkMode;
    if (mode !== undefined && !this.spec.unknown?.includes('networkMode')) {
      if (this.replicas > 1) {
        this.note('network_mode', `${mode}: a service with replicas joins its own networks: left out`);
      } else if (mode === 'host' || mode === 'none' || mode === 'bridge' || mode.startsWith('container:')) {
        if (mode === 'host') this.causes.set('hostNetwork', this.shown('network_mode', 'network_mode: host'));
        this.set('networkMode', mode);
        return;
      } else {
        this.note('network_mode', `${mode}: no prop for it (give the container's name as container:<name>): left out`);
      }
    }
    const n = this.node.entries.get('networks');
    const attachments: { code: Code; value: unknown }[] = [];
    const attach = (net: { code: Code; name: string }, extra: string[]) => {
      const aliases = [this.service.name, ...extra.filter((a) => a !== this.service.name)];
      attachments.push({
        value: { name: net.name, aliases },
        code: obj([{ key: 'name', value: net.code }, { key: 'aliases', value: literal(aliases) }]),
      });
    };
    if (n === undefined || (n.kind === 'scalar' && n.value === null)) {
      attach(this.resolve.defaultNetwork(), []);
    } else if (n.kind === 'seq') {
      for (const i of n.items) if (i.kind === 'scalar' && i.value !== null) attach(this.resolve.network(String(i.value)), []);
    } else if (n.kind === 'map') {
      for (const [key, v] of n.entries) {
        const aliases: string[] = [];
        if (v.kind === 'map') {
          for (const [k, x] of v.entries) {
            if (k === 'aliases' && x.kind === 'seq') aliases.push(...x.items.filter((a) => a.kind === 'scalar').map((a) => String((a as { value: unknown }).value)));
            else this.note('networks', `${key}.${k}: no prop for it: left out`, v.keyAt.get(k));
          }
        }
        attach(this.resolve.network(key), aliases);
      }
    }
    if (attachments.length) this.set('networks', attachments.map((a) => a.value), arr(attachments.map((a) => a.code)));
  }

  private limits(unknown: Set<string>): void {
    const s = this.spec;
    let memoryMb: number | undefined;
    if (s.memoryBytes !== undefined && !unknown.has('memoryBytes')) {
      memoryMb = Math.max(6, bytesToMiB(s.memoryBytes));
      this.set('memoryMb', memoryMb);
    }
    if (s.memorySwapBytes !== undefined && !unknown.has('memorySwapBytes')) {
      if (s.memorySwapBytes === -1) {
        this.switches.set('swap', this.shown('memswap_limit', 'memswap_limit: -1 (unlimited swap); the construct allows twice the memory'));
      } else if (memoryMb === undefined || s.memorySwapBytes > memoryMb * MiB) {
        this.switches.set('swap', this.shown('memswap_limit', `memswap_limit: ${s.memorySwapBytes} bytes`));
        this.set('memorySwapMb', bytesToMiB(s.memorySwapBytes));
      }
    }
    if (s.nanoCpus !== undefined && !unknown.has('nanoCpus')) {
      this.set('cpuLimit', s.nanoCpus / 1e9);
    } else if (s.cpuQuota !== undefined && s.cpuQuota > 0 && !unknown.has('cpuQuota')) {
      this.set('cpuLimit', Math.round((s.cpuQuota / (s.cpuPeriod ?? 100000)) * 100) / 100);
    }
    if (s.cpuShares !== undefined && !unknown.has('cpuShares')) this.set('cpuShares', s.cpuShares);
    const nproc = s.ulimits?.find((u) => u.name === 'nproc');
    for (const u of s.ulimits ?? []) {
      if (u.name !== 'nofile' && u.name !== 'nproc') {
        this.note('ulimits', `${u.name}: no prop for it (the construct sets nofile and nproc): left out`);
      } else {
        if (u.soft !== u.hard) this.note('ulimits', `${u.name}: soft ${u.soft} and hard ${u.hard}: the construct sets both to ${u.soft}`);
        this.set(u.name === 'nofile' ? 'maxOpenFiles' : 'maxProcesses', u.soft);
      }
    }
    if (s.pidsLimit !== undefined && !unknown.has('pidsLimit') && nproc === undefined && s.pidsLimit > 0) {
      this.set('maxProcesses', s.pidsLimit);
      this.note(this.node.entries.has('pids_limit') ? 'pids_limit' : 'deploy', 'provider 3.6.2 cannot set a PIDs limit: the construct\'s nproc ulimit (maxProcesses) stands in');
    }
    const deploy = this.node.entries.get('deploy');
    if (deploy?.kind === 'map') this.deployLeftovers(deploy);
  }

  /** deploy's keys the mapping reads: replicas, resources.limits (cpus, memory, pids), restart_policy (condition, max_attempts). */
  private deployLeftovers(deploy: MapNode): void {
    const read: { readonly [k: string]: readonly string[] | true } = {
      replicas: true, resources: ['limits'], restart_policy: ['condition', 'max_attempts'],
    };
    for (const [k, v] of deploy.entries) {
      const sub = read[k];
      if (sub === true) continue;
      if (sub === undefined || v.kind !== 'map') {
        this.note('deploy', `deploy.${k}: no prop for it: left out`, deploy.keyAt.get(k));
        continue;
      }
      for (const [k2, v2] of v.entries) {
        if (!sub.includes(k2)) {this.note('deploy', `deploy.${k}.${k2}: no prop for it: left out`, v.keyAt.get(k2));} else if (k === 'resources' && v2.kind === 'map') {
          for (const k3 of v2.entries.keys()) {
            if (!['cpus', 'memory', 'pids'].includes(k3)) this.note('deploy', `deploy.resources.limits.${k3}: no prop for it: left out`, v2.keyAt.get(k3));
          }
        }
      }
    }
  }

  private healthcheck(): void {
    const h = this.spec.healthcheck;
    if (h === undefined) return;
    if (h.test[0] === 'NONE') {
      this.causes.set('noHealthcheck', this.shown('healthcheck', 'the healthcheck is disabled'));
      this.probe.noHealthcheck = true;
      return;
    }
    let command: string[];
    if (h.test[0] === 'CMD') {command = h.test.slice(1);} else if (h.test[0] === 'CMD-SHELL') {command = ['sh', '-c', h.test.slice(1).join(' ')];} else {
      this.note('healthcheck', 'no test: the image\'s healthcheck with new timings has no prop: left out');
      return;
    }
    const value: { [k: string]: unknown } = { command };
    const props: Prop[] = [{ key: 'command', value: literal(command) }];
    const seconds = (key: string, prop: string, text: string | undefined, min: number) => {
      if (text === undefined) return;
      const s = durationSeconds(text);
      if (s === undefined) return this.note('healthcheck', `${key}: ${text} is not a duration: left out`);
      const whole = Math.max(min, Math.ceil(s));
      if (whole !== s) this.note('healthcheck', `${key}: ${text} is ${whole} whole seconds here`);
      value[prop] = whole;
      props.push({ key: prop, value: num(whole) });
    };
    seconds('interval', 'intervalSeconds', h.interval, 1);
    seconds('timeout', 'timeoutSeconds', h.timeout, 1);
    if (h.retries !== undefined) {
      value.retries = h.retries;
      props.push({ key: 'retries', value: num(h.retries) });
    }
    seconds('start_period', 'startPeriodSeconds', h.startPeriod, 0);
    const hc = this.node.entries.get('healthcheck');
    if (hc?.kind === 'map') {
      for (const k of hc.entries.keys()) {
        if (!['test', 'interval', 'timeout', 'retries', 'start_period', 'disable'].includes(k)) this.note('healthcheck', `${k}: no prop for it: left out`, hc.keyAt.get(k));
      }
    }
    this.set('healthcheck', value, obj(props));
  }

  private restart(): void {
    const policy = this.spec.restartPolicy;
    if (policy === undefined) return;
    const names: { [p: string]: string } = { 'no': 'NO', 'on-failure': 'ON_FAILURE', 'always': 'ALWAYS', 'unless-stopped': 'UNLESS_STOPPED' };
    const member = names[policy];
    if (member === undefined) {
      this.note('restart', `${policy}: not a restart policy: left out`);
      return;
    }
    this.enums.add('RestartPolicy');
    this.set('restartPolicy', policy, ref(`RestartPolicy.${member}`));
    const key = this.node.entries.has('restart') ? 'restart' : 'deploy';
    if (policy === 'always' || policy === 'unless-stopped') this.causes.set('unlimitedRestarts', this.shown(key, `restart: ${policy}`));
    const retries = this.spec.maxRetryCount;
    if (policy === 'on-failure' && retries !== undefined) {
      if (retries > 5) this.note(key, `at most 5 restarts (CIS 5.15) instead of ${retries}`);
      this.set('maxRestartRetries', Math.min(retries, 5));
    }
  }

  private logging(known: boolean): void {
    if (!known) return;
    const driver = this.spec.logDriver;
    if (driver !== undefined && driver !== 'json-file') {
      this.note('logging', `driver ${driver}: the construct writes json-file logs: left out`);
      return;
    }
    for (const [k, v] of Object.entries(this.spec.logOpts ?? {})) {
      if (k === 'max-size' && /^\d+[kmg]$/.test(v)) this.set('logMaxSize', v);
      else if (k === 'max-file' && /^\d+$/.test(v)) this.set('logMaxFiles', Number(v));
      else this.note('logging', `options.${k}: ${v}: no prop for it: left out`);
    }
  }

  private labels(): void {
    const labels: { [k: string]: string } = {};
    for (const [k, v] of Object.entries(this.spec.labels ?? {})) {
      if (k.startsWith('hardened-docker.')) this.note('labels', `${k}: a reserved label (suppressions are the construct's opt-outs): left out`);
      else labels[k] = v;
    }
    if (Object.keys(labels).length) this.set('labels', labels);
  }

  private unmappedKeys(): void {
    for (const key of this.node.entries.keys()) {
      if (MAPPED.has(key) || key.startsWith('x-')) continue;
      this.note(key, UNMAPPED_WHY[key] ?? 'no HardenedContainer prop for it (the `.container` escape hatch can set it, and the checks still see it): left out');
    }
  }

  /** What in the compose file needs a permission opt-out the mapping recorded no cause for. */
  private sourceOf(name: OptOutName): string {
    const [keys, what] = OPT_OUT_SOURCES[name] ?? [[], 'the props above need it'];
    const key = keys.find((k) => this.node.entries.has(k));
    return key ? this.shown(key, `${what}, ${key}`) : what;
  }

  /** `optOuts` (and, for an unpinned SecureService, nothing more: its TODO is `imageDigest`), each with the TODO reason. */
  private optOutProps(): Prop[] {
    const probe = this.probe as unknown as HardenedContainerProps;
    const result = neededOptOuts(probe, [...this.switches.keys()], this.probe.noHealthcheck === true);
    delete (this.probe as any).noHealthcheck;
    if (result.refused) this.note('', `the construct will refuse these props: ${result.refused}`, this.service.at);
    const names = new Set<OptOutName>([...this.switches.keys(), ...(result.refused ? this.causes.keys() : result.needed)]);
    if (!names.size) return [];
    this.todos += names.size;
    const props: Prop[] = [...names].sort(byOptOutOrder).map((name) => ({
      key: name,
      value: obj([{ key: 'reason', value: str(TODO_REASON) }]),
      comments: [`TODO: why is this acceptable here? ${this.switches.get(name) ?? this.causes.get(name) ?? this.sourceOf(name)}`],
    }));
    return [{ key: 'optOuts', value: obj(props) }];
  }
}

const OPT_OUT_ORDER = Object.keys(OPT_OUT_RULES);

function byOptOutOrder(a: string, b: string): number {
  return OPT_OUT_ORDER.indexOf(a) - OPT_OUT_ORDER.indexOf(b);
}

/** A plain value as code. */
export function literal(v: unknown): Code {
  if (typeof v === 'string') return str(v);
  if (typeof v === 'number') return num(v);
  if (typeof v === 'boolean') return bool(v);
  if (Array.isArray(v)) return arr(v.map(literal));
  if (v !== null && typeof v === 'object') return obj(Object.entries(v).map(([key, value]) => ({ key, value: literal(value) })));
  throw new Error(`no literal for ${String(v)}`);
}
