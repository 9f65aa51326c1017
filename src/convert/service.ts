/**
 * One compose service as the props of a HardenedContainer (or a SecureService, when it has replicas): each setting a
 * typed prop, each weakening the typed opt-out with a TODO reason the reason validator refuses, and every setting
 * that has no prop listed as a note, never dropped. Values come from the compose reader's ContainerSpec (short and
 * long syntax already read); the raw service node says which keys were written and holds what the spec does not.
 */
import * as fs from 'fs';
import * as path from 'path';
import { arr, Code, obj, printCode, Prop, quote, ref, str } from './code';
import { ConvertNote, literal, MappingContext, ServiceConversion, ServiceResolver, TODO_REASON } from './mapping';
import { neededOptOuts } from './probe';
import { mapHealthcheck, mapLimits, mapMounts, mapPorts } from './service-settings';
import { MAPPED, OPT_OUT_SOURCES, SPEC_FIELD_KEYS, UNMAPPED_WHY } from './service-tables';
import { dnsLabel, splitCommand } from './values';
import { isCapability } from '../constructs/capability';
import { OPT_OUT_RULES, OptOutName } from '../constructs/core/opt-out-ledger';
import type { HardenedContainerProps } from '../constructs/hardened-container';
import type { ComposeService } from '../spec/compose/load';
import type { MapNode, Position, TreeNode } from '../spec/compose/tree';
import type { ContainerSpec } from '../spec/container-spec';
import { seccompAllowsEverything } from '../spec/docker-facts';
import type { SpecField } from '../spec/fields';

export { literal, TODO_REASON } from './mapping';
export type { ConvertNote, ServiceConversion, ServiceResolver } from './mapping';

/** Maps one service. `spec` and `positions` are the compose reader's for it. */
export function convertService(service: ComposeService, spec: ContainerSpec, positions: ReadonlyMap<SpecField, Position>,
  resolve: ServiceResolver): ServiceConversion {
  return new ServiceMapper(service, spec, positions, resolve).map();
}

class ServiceMapper implements MappingContext {
  private readonly props: Prop[] = [];
  /** The props as plain values, with valid stand-ins for TODO values: what the probe validates. */
  public readonly probe: { [k: string]: unknown } = {};
  public readonly switches = new Map<OptOutName, string>();
  /** Permission opt-outs the mapping expects, with what in the compose file causes them. */
  public readonly causes = new Map<OptOutName, string>();
  private readonly notes: ConvertNote[] = [];
  public readonly enums = new Set<string>();
  /** TODO values written (placeholders and reasons): each fails synth until filled. */
  private todos = 0;
  private readsFiles = false;
  public readonly node: MapNode;
  private readonly replicas: number;

  constructor(public readonly service: ComposeService, public readonly spec: ContainerSpec,
    private readonly positions: ReadonlyMap<SpecField, Position>, public readonly resolve: ServiceResolver) {
    this.node = service.node;
    const r = spec.unknown?.includes('replicas') ? 1 : spec.replicas ?? 1;
    this.replicas = Number.isInteger(r) && r > 1 ? r : 1;
  }

  public map(): ServiceConversion {
    const unknown = new Set(this.spec.unknown ?? []);
    const noted = new Set<string>();
    for (const field of unknown) {
      // container_name is read (and noted) from the service itself.
      if (field === 'name') continue;
      const key = SPEC_FIELD_KEYS[field] ?? field;
      if (noted.has(key)) continue;
      noted.add(key);
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
    if (known('cgroupnsMode')) this.cgroupNamespace();
    if (known('ports')) mapPorts(this);
    if (known('mounts') && known('tmpfs')) mapMounts(this);
    this.networks();
    mapLimits(this, unknown);
    if (known('healthcheck')) mapHealthcheck(this);
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
      readsFiles: this.readsFiles,
      notes: this.notes,
      enums: this.enums,
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

  public shown(key: string, what: string): string {
    const at = this.keyAt(key) ?? this.service.at;
    return `${what} (${at.file}:${at.line}:${at.column})`;
  }

  public note(key: string, message: string, at?: Position): void {
    this.notes.push({ service: this.service.name, setting: this.where(key), at: at ?? this.keyAt(key) ?? this.service.at, message });
  }

  public set(key: string, value: unknown, code: Code = literal(value), comments?: string[]): void {
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
        : this.shown('read_only', 'read_only is not set, so the root filesystem is writable (or remove this opt-out and list writablePaths)'));
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
      } else if (key === 'seccomp' && value) {
        this.seccompProfile(value);
      } else if (key === 'apparmor' && value) {
        if (this.probe.appArmorProfile === undefined) this.set('appArmorProfile', value);
      } else if (key === 'label' && value) {
        selinux.push(value);
      } else if (key === 'systempaths' && value === 'unconfined') {
        this.switches.set('unconfinedSystemPaths', this.shown('security_opt', `security_opt: ${opt}`));
      } else {
        this.note('security_opt', `${opt}: no prop for it: left out`);
      }
    }
    if (selinux.length) this.set('selinuxLabels', selinux);
  }

  /** `cgroup: host` is the hostCgroupNamespace opt-out; `private` is the construct's default, so it writes nothing. */
  private cgroupNamespace(): void {
    const mode = this.spec.cgroupnsMode?.trim();
    if (mode === undefined || mode === '' || mode === 'private') return;
    if (mode === 'host') this.switches.set('hostCgroupNamespace', this.shown('cgroup', 'cgroup: host'));
    else this.note('cgroup', `${mode}: not a cgroup namespace mode (host or private): left out, the container keeps a private one`);
  }

  /**
   * A seccomp profile file (compose reads it from the project directory) as `seccompProfileJson`, read at synth from
   * where the compose file has it, so that an edit of the profile reaches the stack.
   */
  private seccompProfile(file: string): void {
    const abs = path.resolve(this.service.projectDir, file);
    let text: string;
    try {
      text = fs.readFileSync(abs, 'utf8');
      JSON.parse(text);
    } catch (e: any) {
      this.note('security_opt', `seccomp profile ${file}: ${e?.code === 'ENOENT' ? 'no such file' : `not JSON (${String(e?.message ?? e)})`}: left out`);
      return;
    }
    const where = this.shown('security_opt', `seccomp profile ${file} allows every system call`);
    if (seccompAllowsEverything(text)) {
      this.switches.set('unconfinedSeccomp', where);
      return;
    }
    if (this.switches.has('unconfinedSeccomp')) {
      this.note('security_opt', `seccomp profile ${file}: seccomp is unconfined (privileged): left out`);
      return;
    }
    this.readsFiles = true;
    this.set('seccompProfileJson', text, ref(`readFileSync(${printCode(this.resolve.hostPath(abs), 0, 0)}, 'utf8')`));
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
    return key ? this.shown(key, `${key}: ${what}`) : what;
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
