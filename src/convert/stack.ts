/**
 * `convert`: a compose project as a cdktf TypeScript stack. The project is read by the compose reader (merging,
 * `extends`, `include`, interpolation); each service becomes a HardenedContainer or a SecureService
 * (src/convert/service.ts), its networks and named volumes `docker_network` / `docker_volume` resources, and the
 * whole a StackModule printed by src/convert/code.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Code, newOf, obj, printModule, Prop, quote, ref, StackModule, Statement, str } from './code';
import { ConvertNote, convertService, literal, ServiceConversion, ServiceResolver, TODO_REASON } from './service';
import { camelCase, pascalCase, uniqueName } from './values';
import { ComposeProject, loadComposeProject, mergeNodes } from '../spec/compose/load';
import { composeServiceSpec } from '../spec/compose/service-spec';
import { ComposeError, MapNode, parseComposeYaml, TreeNode } from '../spec/compose/tree';

export { TODO_REASON } from './service';
export type { ConvertNote } from './service';

/** Options of convertCompose. */
export interface ConvertOptions {
  /** Directory file names are shown relative to. */
  readonly cwd: string;
  /** The environment for interpolation. @default - none */
  readonly env?: { readonly [k: string]: string | undefined };
  /** `--env-file` files. @default - the project's `.env` */
  readonly envFiles?: readonly string[];
  /** The stack class's name. @default 'ComposeStack' */
  readonly className?: string;
  /** Where the constructs are imported from. @default 'cdktf-hardened-docker' */
  readonly libraryModule?: string;
  /**
   * The file the stack is written to: host paths are then relative to it (`join(__dirname, ...)`), so that the stack
   * moves with the repository.
   * @default - absolute host paths
   */
  readonly outputFile?: string;
  /** The command line shown in the header. @default - `hardened-docker convert <files>` */
  readonly commandLine?: string;
}

/** The stack's source, and what could not be carried over. */
export interface ConvertResult {
  readonly source: string;
  readonly notes: ConvertNote[];
  /** TODO values in the stack (opt-out reasons, image digests and references, user ids): synth refuses each. */
  readonly todos: number;
  /** Services converted, by construct. */
  readonly services: { readonly name: string; readonly construct: string }[];
}

/** Converts the compose files (absolute paths, merged in order). Throws ComposeError for a file that cannot be read. */
export function convertCompose(files: readonly string[], opts: ConvertOptions): ConvertResult {
  const project = loadComposeProject(files, { cwd: opts.cwd, env: opts.env, envFiles: opts.envFiles });
  return new StackBuilder(project, files, opts).build();
}

/** One line per note: `file:line:column: services.web.devices: why`. */
export function noteLine(n: ConvertNote): string {
  const at = n.at ? `${n.at.file}:${n.at.line}:${n.at.column}: ` : '';
  return `${at}${n.setting}${n.setting && !n.setting.endsWith('.') ? ': ' : ''}${n.message}`;
}

interface Resource {
  readonly constName?: string;
  readonly code: Code;
  readonly name: string;
}

class StackBuilder {
  private readonly top: MapNode;
  private readonly projectName: string;
  private readonly notes: ConvertNote[] = [];
  private readonly idents = new Set(['this', 'scope', 'id', 'COMPOSE_DIR', 'join', 'process']);
  private readonly ids = new Set<string>();
  private readonly networks = new Map<string, Resource>();
  private readonly volumes = new Map<string, Resource>();
  private readonly resources: Statement[] = [];
  private readonly projectDir: string;
  private usesComposeDir = false;

  constructor(private readonly project: ComposeProject, private readonly files: readonly string[], private readonly opts: ConvertOptions) {
    this.projectDir = path.dirname(files[0]);
    this.top = this.topLevel();
    const declared = this.top.entries.get('name');
    const base = declared?.kind === 'scalar' && declared.value !== null ? String(declared.value) : path.basename(this.projectDir);
    this.projectName = base.toLowerCase().replace(/[^a-z0-9_-]+/g, '') || 'compose';
  }

  public build(): ConvertResult {
    const resolver: ServiceResolver = {
      network: (key) => this.network(key),
      defaultNetwork: () => this.network('default'),
      volume: (key) => this.volume(key),
      anonymousVolume: (service, target) => this.volume(`${service}${target.replace(/[^A-Za-z0-9]+/g, '-')}`.replace(/-+$/, ''), true),
      hostPath: (abs) => this.hostPath(abs),
    };
    const conversions: ServiceConversion[] = [];
    for (const service of this.project.services) {
      try {
        const { spec, positions } = composeServiceSpec(service, service.at.file);
        conversions.push(convertService(service, spec, positions, resolver));
      } catch (e) {
        if (!(e instanceof ComposeError)) throw e;
        this.notes.push({ service: service.name, setting: `services.${service.name}`, at: service.at, message: `cannot be read, not converted: ${e.message}` });
      }
    }
    for (const c of conversions) this.notes.push(...c.notes);
    this.topLevelLeftovers();
    // In the order they are written: file by file as read, then line and column.
    const fileOrder = new Map(this.project.files.map((f, i) => [f, i]));
    const rank = (n: ConvertNote) => [fileOrder.get(n.at?.file ?? '') ?? -1, n.at?.line ?? 0, n.at?.column ?? 0];
    this.notes.sort((a, b) => {
      const [x, y] = [rank(a), rank(b)];
      return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
    });
    const source = printModule(this.module(conversions));
    return {
      source,
      notes: this.notes,
      todos: conversions.reduce((n, c) => n + c.todos, 0),
      services: conversions.map((c) => ({ name: c.name, construct: c.construct })),
    };
  }

  /** The top-level keys of every file read, merged in order (not interpolated: names and drivers rarely use variables). */
  private topLevel(): MapNode {
    let merged: TreeNode = { kind: 'map', entries: new Map(), keyAt: new Map(), at: { file: '', line: 1, column: 1 } };
    for (const display of this.project.files) {
      const abs = path.resolve(this.opts.cwd, display);
      const root = parseComposeYaml(fs.readFileSync(abs, 'utf8'), display);
      const top: MapNode = { ...root, entries: new Map([...root.entries].filter(([k]) => k !== 'services')) };
      merged = mergeNodes(merged, top, []);
    }
    return merged as MapNode;
  }

  /** The name compose gives a declared network or volume: the project's prefix, unless it is external or named. */
  private composeName(d: MapNode | undefined, key: string): { external: boolean; name: string } {
    const external = scalarText(d, 'external') === 'true';
    return { external, name: scalarText(d, 'name') ?? (external ? key : `${this.projectName}_${key}`) };
  }

  private declared(section: string, key: string): MapNode | undefined {
    const s = this.top.entries.get(section);
    const d = s?.kind === 'map' ? s.entries.get(key) : undefined;
    return d?.kind === 'map' ? d : undefined;
  }

  private network(key: string): Resource {
    const known = this.networks.get(key);
    if (known) return known;
    const d = this.declared('networks', key);
    const text = (k: string) => scalarText(d, k);
    const { external, name } = this.composeName(d, key);
    let res: Resource;
    if (external) {
      res = { code: str(name), name };
    } else {
      const constName = uniqueName(`${camelCase(key)}Network`, this.idents);
      const props: Prop[] = [{ key: 'name', value: str(name) }];
      const driver = text('driver');
      if (driver !== undefined) props.push({ key: 'driver', value: str(driver) });
      if (text('internal') === 'true') props.push({ key: 'internal', value: literal(true) });
      if (text('attachable') === 'true') props.push({ key: 'attachable', value: literal(true) });
      for (const k of d?.entries.keys() ?? []) {
        if (!['name', 'driver', 'internal', 'attachable', 'external'].includes(k)) {
          this.notes.push({ setting: `networks.${key}.${k}`, at: d!.keyAt.get(k), message: 'no prop mapped for it: set it on the Network by hand' });
        }
      }
      this.resources.push({ constName, value: newOf('Network', [ref('this'), str(uniqueName(`${pascalCase(key)}Network`, this.ids)), obj(props)]) });
      res = { constName, code: ref(`${constName}.name`), name };
    }
    this.networks.set(key, res);
    return res;
  }

  private volume(key: string, anonymous = false): Resource {
    const known = this.volumes.get(key);
    if (known) return known;
    const d = anonymous ? undefined : this.declared('volumes', key);
    const declaredTop = this.top.entries.get('volumes');
    if (!anonymous && !(declaredTop?.kind === 'map' && declaredTop.entries.has(key))) {
      // Not a declared volume: compose would refuse the file; the name is kept as an external volume's.
      this.notes.push({ setting: `volumes.${key}`, message: 'not declared at the top level: used as the name of an existing volume' });
      const res = { code: str(key), name: key };
      this.volumes.set(key, res);
      return res;
    }
    const text = (k: string) => scalarText(d, k);
    const { external, name } = this.composeName(d, key);
    let res: Resource;
    if (external) {
      res = { code: str(name), name };
    } else {
      const constName = uniqueName(`${camelCase(key)}Volume`, this.idents);
      const props: Prop[] = [{ key: 'name', value: str(name) }];
      const driver = text('driver');
      if (driver !== undefined) props.push({ key: 'driver', value: str(driver) });
      const opts = d?.entries.get('driver_opts');
      if (opts?.kind === 'map') {
        props.push({ key: 'driverOpts', value: obj([...opts.entries].map(([k, v]) => ({ key: k, value: str(v.kind === 'scalar' ? String(v.value) : '') }))) });
      }
      for (const k of d?.entries.keys() ?? []) {
        if (!['name', 'driver', 'driver_opts', 'external'].includes(k)) {
          this.notes.push({ setting: `volumes.${key}.${k}`, at: d!.keyAt.get(k), message: 'no prop mapped for it: set it on the Volume by hand' });
        }
      }
      this.resources.push({ constName, value: newOf('Volume', [ref('this'), str(uniqueName(`${pascalCase(key)}Volume`, this.ids)), obj(props)]) });
      res = { constName, code: ref(`${constName}.name`), name };
    }
    this.volumes.set(key, res);
    return res;
  }

  private hostPath(abs: string): Code {
    const rel = path.relative(this.projectDir, abs);
    // A path outside the project directory stays absolute: it names a place on the host, not in the repository.
    if (rel.startsWith('..') || path.isAbsolute(rel)) return str(abs);
    this.usesComposeDir = true;
    return rel === '' ? ref('COMPOSE_DIR') : ref(`join(COMPOSE_DIR, ${quote(rel.split(path.sep).join('/'))})`);
  }

  /** Top-level sections with nothing to map them to. */
  private topLevelLeftovers(): void {
    for (const [k] of this.top.entries) {
      if (['name', 'version', 'networks', 'volumes', 'include'].includes(k) || k.startsWith('x-')) continue;
      this.notes.push({ setting: k, at: this.top.keyAt.get(k), message: 'a top-level section with no resource mapped: left out' });
    }
  }

  private module(conversions: ServiceConversion[]): StackModule {
    const lib = this.opts.libraryModule ?? 'cdktf-hardened-docker';
    const imports = new Map<string, string[]>([
      ['@cdktf/provider-docker/lib/provider', ['DockerProvider']],
      ['cdktf', ['TerraformStack']],
      ['constructs', ['Construct']],
    ]);
    const add = (m: string, n: string) => imports.set(m, [...(imports.get(m) ?? []), n]);
    const statements: Statement[] = [];
    for (const c of conversions) {
      add(lib, c.construct);
      for (const e of c.enums) add(lib, e);
      if (c.readsFiles) add('fs', 'readFileSync');
      statements.push({
        value: newOf(c.construct, [ref('this'), str(uniqueName(pascalCase(c.name), this.ids)), c.props]),
      });
    }
    if (this.resources.some((r) => (r.value as { className?: string }).className === 'Network')) add('@cdktf/provider-docker/lib/network', 'Network');
    if (this.resources.some((r) => (r.value as { className?: string }).className === 'Volume')) add('@cdktf/provider-docker/lib/volume', 'Volume');
    const constants: Statement[] = [];
    if (this.usesComposeDir) {
      add('path', 'join');
      const out = this.opts.outputFile;
      const fromOutput = out === undefined ? undefined : path.relative(path.dirname(out), this.projectDir).split(path.sep).join('/');
      constants.push({
        comments: ['The compose project\'s directory: relative host paths of the compose file resolve against it.'],
        constName: 'COMPOSE_DIR',
        value: fromOutput === undefined ? str(this.projectDir) : ref(`join(__dirname, ${quote(fromOutput || '.')})`),
      });
    }
    return {
      header: this.header(conversions),
      imports,
      constants,
      className: this.opts.className ?? 'ComposeStack',
      classDoc: [`The services of ${this.project.files.join(', ')}, hardened: each weakening the compose file had is an opt-out`,
        `whose reason is still '${TODO_REASON}', which synth refuses until the real reason is written.`],
      body: [
        [{ value: newOf('DockerProvider', [ref('this'), str('docker')]) }],
        this.resources,
        statements,
      ],
    };
  }

  private header(conversions: ServiceConversion[]): string[] {
    const files = this.files.map((f) => path.relative(this.opts.cwd, f) || path.basename(f)).map((f) => f.split(path.sep).join('/'));
    const out = [
      `Generated by ${this.opts.commandLine ?? `hardened-docker convert ${files.join(' -f ')}`}.`,
      `${conversions.length} service${conversions.length === 1 ? '' : 's'}: ${conversions.map((c) => `${c.name} (${c.construct})`).join(', ') || 'none'}.`,
      `Each "TODO" below needs a person: synth fails on a '${TODO_REASON}' reason, an image or user placeholder.`,
    ];
    if (this.notes.length) {
      out.push('', 'Not carried over, or only in part (review each):');
      for (const n of this.notes) out.push(`- ${noteLine(n)}`);
    }
    return out;
  }
}

/** A scalar setting of a declared network or volume as text; undefined when absent, null or not a scalar. */
function scalarText(d: MapNode | undefined, key: string): string | undefined {
  const v = d?.entries.get(key);
  return v?.kind === 'scalar' && v.value !== null ? String(v.value) : undefined;
}
