/**
 * Loads a compose project as `docker compose` does: the files in order (`-f a.yaml -f b.yaml`, or `compose.yaml`
 * and its `compose.override.yaml`), interpolated from `.env` / `--env-file` under the environment, merged by the
 * compose specification's rules, with `extends` (same file and other files) and `include` resolved. Every service
 * is kept whatever its profiles: a check looks at all of them, naming their profiles.
 */
import * as fs from 'fs';
import * as path from 'path';
import { interpolate, InterpolationError, isAfterApplyPlaceholder, parseEnvFile, Variables } from './interpolate';
import { emptyMap, mergeNodes, normalizeService } from './merge';
import { display } from '../display-path';
import { ComposeError, MapNode, parseComposeYaml, Position, positioned, ScalarNode, TreeNode } from './tree';

/** One service of a loaded project: its settings after merging and `extends`. */
export interface ComposeService {
  readonly name: string;
  /** The service's settings. */
  readonly node: MapNode;
  /** Where the service's key was first written. */
  readonly at: Position;
  /** The profiles it belongs to; empty when it always runs. */
  readonly profiles: string[];
  /** The project directory. */
  readonly projectDir: string;
  /**
   * The directory of each file read, by the name positions give it: a relative bind source resolves against the
   * directory of the file it was written in (an extended or included file's own, as compose resolves them).
   */
  readonly fileDirs: ReadonlyMap<string, string>;
  /**
   * The project's top-level `volumes:` definitions, by name, merged over its files: a named volume of the `local`
   * driver with `o: bind` and a `device` is a bind of that host path.
   * @default - none
   */
  readonly volumes?: ReadonlyMap<string, TreeNode>;
  /**
   * The settings of every service of the project, by name (this one included): `volumes_from: [other]` and
   * `network_mode: service:other` (also `pid:`, `ipc:`) take another service's mounts and namespaces.
   * @default - none
   */
  readonly projectServices?: ReadonlyMap<string, MapNode>;
  /**
   * When the service's settings as a whole are not known (`api: ${VAR}`; in a document Terraform writes, a service
   * built with `merge()` of a variable, or with an unknown key): the scalar standing for them. Its reader refuses it,
   * so that the service is a finding, not a service without settings.
   * @default - the settings are known (node)
   */
  readonly unknownSettings?: ScalarNode;
  /**
   * The services of the project whose settings are not known as a whole (see unknownSettings), by name: a service
   * joining one (`volumes_from`, `network_mode: service:`) does not know what it joins.
   * @default - none
   */
  readonly unknownServices?: ReadonlyMap<string, ScalarNode>;
}

/** A loaded compose project. */
export interface ComposeProject {
  /** The files read, as reports show them, in order (override and extended files included). */
  readonly files: string[];
  readonly services: ComposeService[];
}

export interface ComposeLoadOptions {
  /** Directory file names are shown relative to. */
  readonly cwd: string;
  /** The environment: its variables win over `.env` and `--env-file` ones, as in compose. */
  readonly env?: { readonly [k: string]: string | undefined };
  /**
   * `--env-file` files, in order (later ones win); when given, the project's `.env` is not read.
   * @default - the `.env` file of the project directory, when there is one
   */
  readonly envFiles?: readonly string[];
  /**
   * Reads a file (the CLI passes its reader: regular files only, within the input size limits).
   * @default - fs.readFileSync
   */
  readonly readText?: (abs: string) => string;
}

export { COMPOSE_FILE_NAMES, composeFilesFor, composeFilesIn, isComposeFileName } from './files';
export { mergeNodes } from './merge';

/** Loads a project from its files (absolute paths), merged in order. Throws ComposeError, positioned. */
export function loadComposeProject(files: readonly string[], opts: ComposeLoadOptions): ComposeProject {
  return new ProjectLoader(files, opts).load();
}

class ProjectLoader {
  private readonly projectDir: string;
  private readonly vars: Variables;
  private readonly read = new Map<string, string>();
  /** Files read for `extends: { file }`, by absolute path: each read once. */
  private readonly extendedFiles = new Map<string, Map<string, ServiceEntry>>();
  /** The top-level `volumes:` of the files read, merged by name (a later file's definition merged over an earlier one). */
  private readonly volumes = new Map<string, TreeNode>();

  constructor(private readonly files: readonly string[], private readonly opts: ComposeLoadOptions) {
    this.projectDir = path.dirname(files[0]);
    this.vars = this.variables();
  }

  public load(): ComposeProject {
    let services = new Map<string, ServiceEntry>();
    for (const file of this.files) {
      const own = this.servicesOf(file, new Set());
      services = mergeServiceMaps(services, own);
    }
    const resolved = new Map<string, MapNode>();
    const out: ComposeService[] = [];
    const projectServices = new Map<string, MapNode>();
    const unknownServices = new Map<string, ScalarNode>();
    for (const [name, entry] of services) if (entry.unknownSettings) unknownServices.set(name, entry.unknownSettings);
    for (const [name, entry] of services) {
      const node = this.resolveExtends(name, entry, services, resolved, []);
      out.push({
        name,
        node,
        at: entry.at,
        profiles: stringsOf(node.entries.get('profiles')),
        projectDir: this.projectDir,
        fileDirs: this.read,
        volumes: this.volumes,
        projectServices,
        ...(entry.unknownSettings ? { unknownSettings: entry.unknownSettings } : {}),
        ...(unknownServices.size ? { unknownServices } : {}),
      });
      projectServices.set(name, node);
    }
    return { files: [...this.read.keys()], services: out };
  }

  private display(abs: string): string {
    return display(abs, this.opts.cwd);
  }

  private readText(abs: string): string {
    return this.opts.readText ? this.opts.readText(abs) : fs.readFileSync(abs, 'utf8');
  }

  /** The project's variables: its `.env`, or the `--env-file` files instead, under the environment. */
  private variables(): Variables {
    if (this.opts.envFiles?.length) return this.variablesFrom(this.opts.envFiles.map((f) => path.resolve(this.opts.cwd, f)), true);
    return this.variablesFrom([path.join(this.projectDir, '.env')], false);
  }

  /** Variables of env files (later ones win) under the environment; a file not `required` is skipped when absent. */
  private variablesFrom(envFiles: readonly string[], required: boolean): Variables {
    const env = this.opts.env ?? {};
    const outer = new Map<string, string>();
    for (const [k, v] of Object.entries(env)) if (v !== undefined) outer.set(k, v);
    const fileVars = new Map<string, string>();
    for (const f of envFiles) {
      if (!required && !fs.existsSync(f)) continue;
      let text: string;
      try {
        text = this.readText(f);
      } catch (e: any) {
        throw new ComposeError(`${this.display(f)}: cannot read env file (${e?.code === 'ENOENT' ? 'no such file' : e?.code ?? e?.message})`);
      }
      try {
        for (const [k, v] of parseEnvFile(text, this.display(f), outer)) fileVars.set(k, v);
      } catch (e: any) {
        throw new ComposeError(e.message);
      }
    }
    const vars = new Map([...fileVars, ...outer]);
    // A placeholder of a part Terraform knows only after apply stays unknown, whatever an environment sets.
    for (const k of [...vars.keys()]) if (isAfterApplyPlaceholder(k)) vars.delete(k);
    return vars;
  }

  /**
   * The variables an `include` item's files are interpolated with, as compose loads an included file as a project
   * of its own: its `env_file`s (relative to the including file), else the `.env` of its `project_directory` (by
   * default the directory of its first file), under the environment.
   */
  private includeVariables(item: TreeNode, abs: string, paths: readonly TreeNode[]): Variables {
    const dir = path.dirname(abs);
    const entry = (key: string) => (item.kind === 'map' ? item.entries.get(key) : undefined);
    const envFiles = entry('env_file');
    const files = envFiles?.kind === 'seq' ? envFiles.items : envFiles ? [envFiles] : [];
    if (files.length) {
      return this.variablesFrom(files.map((f) => {
        if (f.kind !== 'scalar' || typeof f.value !== 'string') throw positioned(f, 'include.env_file: expected a path');
        return path.resolve(dir, f.value);
      }), true);
    }
    const projectDirectory = entry('project_directory');
    const first = paths[0];
    const projectDir = projectDirectory?.kind === 'scalar' && typeof projectDirectory.value === 'string'
      ? path.resolve(dir, projectDirectory.value)
      : first?.kind === 'scalar' && typeof first.value === 'string' ? path.dirname(path.resolve(dir, first.value)) : dir;
    return this.variablesFrom([path.join(projectDir, '.env')], false);
  }

  /** The services of one file, interpolated, with its `include`s; by name. */
  private servicesOf(abs: string, including: Set<string>, vars: Variables = this.vars): Map<string, ServiceEntry> {
    const root = this.parse(abs, vars);
    let services = new Map<string, ServiceEntry>();
    const include = root.entries.get('include');
    if (include) {
      if (including.has(abs)) throw new ComposeError(`${this.display(abs)}: include cycle`);
      const inner = new Set([...including, abs]);
      const items = include.kind === 'seq' ? include.items : [include];
      for (const item of items) {
        const paths = item.kind === 'map' ? item.entries.get('path') : item;
        const list = paths?.kind === 'seq' ? paths.items : paths ? [paths] : [];
        const includeVars = this.includeVariables(item, abs, list);
        for (const p of list) {
          if (p.kind !== 'scalar' || typeof p.value !== 'string') throw positioned(p, 'include: expected a path');
          const target = path.resolve(path.dirname(abs), p.value);
          if (!fs.existsSync(target)) throw positioned(p, `include: ${JSON.stringify(p.value)}: no such file`);
          if (inner.has(target)) {
            throw positioned(p, `include: a cycle (${[...inner, target].map((f) => this.display(f)).join(' -> ')})`);
          }
          for (const [name, entry] of this.servicesOf(target, inner, includeVars)) {
            if (services.has(name)) throw positioned(entry.node, `service "${name}" is defined by two included files`);
            services.set(name, entry);
          }
        }
      }
    }
    const own = root.entries.get('services');
    if (own === undefined || (own.kind === 'scalar' && own.value === null)) return services;
    if (own.kind !== 'map') throw positioned(own, 'services: expected a mapping of service names to their settings');
    for (const [name, node] of own.entries) {
      const at = own.keyAt.get(name)!;
      if (node.kind === 'scalar' && node.value === null) {
        services.set(name, { node: emptyMap(at), at, file: abs });
        continue;
      }
      if (node.kind === 'scalar' && node.unknownVariables?.length) {
        services.set(name, { node: emptyMap(at), at, file: abs, unknownSettings: node });
        continue;
      }
      if (node.kind !== 'map') throw positioned(node, `services.${name}: expected a mapping of settings`);
      if (services.has(name)) throw positioned(node, `service "${name}" is defined here and by an included file`);
      services.set(name, { node: normalizeService(node), at, file: abs });
    }
    return services;
  }

  private parse(abs: string, vars: Variables = this.vars): MapNode {
    let text: string;
    const file = this.display(abs);
    try {
      text = this.readText(abs);
    } catch (e: any) {
      throw new ComposeError(`${file}: cannot read (${e?.code === 'ENOENT' ? 'no such file' : e?.code ?? e?.message})`);
    }
    this.read.set(file, path.dirname(abs));
    const root = parseComposeYaml(text, file);
    // Only services (and top-level volumes, below) are interpolated: an `x-` extension is reached through its anchors,
    // which are copied there.
    const services = root.entries.get('services');
    if (services) root.entries.set('services', interpolateTree(services, vars));
    // Top-level volumes too: a `local` volume's `driver_opts.device` is the host path a bind volume mounts.
    const volumes = root.entries.get('volumes');
    if (volumes?.kind === 'map') {
      for (const [name, def] of (interpolateTree(volumes, vars) as MapNode).entries) {
        const prev = this.volumes.get(name);
        this.volumes.set(name, prev ? mergeNodes(prev, def, ['volumes', name]) : def);
      }
    }
    return root;
  }

  private resolveExtends(name: string, entry: ServiceEntry, services: Map<string, ServiceEntry>, resolved: Map<string, MapNode>,
    chain: string[]): MapNode {
    const key = `${entry.file}\u0000${name}`;
    const done = resolved.get(key);
    if (done) return done;
    const ext = entry.node.entries.get('extends');
    if (ext === undefined) {
      resolved.set(key, entry.node);
      return entry.node;
    }
    if (chain.includes(key)) throw positioned(ext, `extends: a cycle (${[...chain, key].map((k) => k.split('\u0000')[1]).join(' -> ')})`);
    let baseName: string;
    let fileNode: TreeNode | undefined;
    if (ext.kind === 'scalar' && typeof ext.value === 'string') {
      baseName = ext.value;
    } else if (ext.kind === 'map') {
      const s = ext.entries.get('service');
      if (s?.kind !== 'scalar' || typeof s.value !== 'string') throw positioned(ext, 'extends: expected { service: <name>, file: <path> } or a service name');
      baseName = s.value;
      fileNode = ext.entries.get('file');
    } else {
      throw positioned(ext, 'extends: expected { service: <name>, file: <path> } or a service name');
    }
    let scope = services;
    if (fileNode !== undefined) {
      if (fileNode.kind !== 'scalar' || typeof fileNode.value !== 'string') throw positioned(fileNode, 'extends.file: expected a path');
      const abs = path.resolve(path.dirname(entry.file), fileNode.value);
      if (!fs.existsSync(abs)) throw positioned(fileNode, `extends.file: ${JSON.stringify(fileNode.value)}: no such file`);
      scope = this.extendedFiles.get(abs) ?? this.servicesOf(abs, new Set());
      this.extendedFiles.set(abs, scope);
    }
    const baseEntry = scope.get(baseName);
    if (!baseEntry) throw positioned(ext, `extends: no service "${baseName}"${fileNode ? ` in ${(fileNode as ScalarNode).value}` : ''}`);
    if (baseEntry.unknownSettings) throw positioned(ext, `extends: the settings of service "${baseName}" are not known`);
    const base = this.resolveExtends(baseName, baseEntry, scope, resolved, [...chain, key]);
    const own = withoutKey(entry.node, 'extends');
    const merged = mergeNodes(base, own, []) as MapNode;
    resolved.set(key, merged);
    return merged;
  }
}

interface ServiceEntry {
  readonly node: MapNode;
  readonly at: Position;
  /** The absolute path of the file that defined it. */
  readonly file: string;
  /** Settings not known as a whole (see ComposeService.unknownSettings); kept through merges. */
  readonly unknownSettings?: ScalarNode;
}

function withoutKey(node: MapNode, key: string): MapNode {
  const entries = new Map(node.entries);
  const keyAt = new Map(node.keyAt);
  entries.delete(key);
  keyAt.delete(key);
  return { ...node, entries, keyAt };
}

function stringsOf(node: TreeNode | undefined): string[] {
  if (node === undefined) return [];
  if (node.kind === 'scalar') return node.value === null ? [] : [String(node.value)];
  if (node.kind === 'seq') return node.items.filter((i): i is ScalarNode => i.kind === 'scalar' && i.value !== null).map((i) => String(i.value));
  return [];
}

/** Every string scalar of a tree interpolated; a malformed `${...}` is a positioned ComposeError. */
function interpolateTree(node: TreeNode, vars: Variables, done = new Map<TreeNode, TreeNode>()): TreeNode {
  // Aliases share nodes: each is interpolated once, so that aliases of aliases cannot multiply the work.
  const seen = done.get(node);
  if (seen) return seen;
  const result = interpolateNode(node, vars, done);
  done.set(node, result);
  return result;
}

function interpolateNode(node: TreeNode, vars: Variables, done: Map<TreeNode, TreeNode>): TreeNode {
  if (node.kind === 'scalar') {
    if (typeof node.value !== 'string' || !node.value.includes('$')) return node;
    try {
      const r = interpolate(node.value, vars);
      if (!r.unknownVariables.length) return { ...node, value: r.value };
      return { ...node, value: r.value, unknownVariables: r.unknownVariables, marked: r.marked };
    } catch (e) {
      if (e instanceof InterpolationError) throw positioned(node, `interpolation: ${e.message}`);
      throw e;
    }
  }
  // A node without a `$` below it comes back as it is: most of a file is not interpolated, and aliases share nodes.
  if (node.kind === 'seq') {
    let items: TreeNode[] | undefined;
    node.items.forEach((item, i) => {
      const result = interpolateTree(item, vars, done);
      if (result !== item) (items ??= [...node.items])[i] = result;
    });
    return items ? { ...node, items } : node;
  }
  let entries: Map<string, TreeNode> | undefined;
  for (const [k, v] of node.entries) {
    const result = interpolateTree(v, vars, done);
    if (result !== v) (entries ??= new Map(node.entries)).set(k, result);
  }
  return entries ? { ...node, entries } : node;
}

function mergeServiceMaps(base: Map<string, ServiceEntry>, over: Map<string, ServiceEntry>): Map<string, ServiceEntry> {
  const out = new Map(base);
  for (const [name, entry] of over) {
    const prev = out.get(name);
    const unknownSettings = prev?.unknownSettings ?? entry.unknownSettings;
    out.set(name, prev
      ? { node: mergeNodes(prev.node, entry.node, []) as MapNode, at: prev.at, file: prev.file, ...(unknownSettings ? { unknownSettings } : {}) }
      : entry);
  }
  return out;
}
