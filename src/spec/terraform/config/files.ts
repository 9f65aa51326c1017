import * as fs from 'fs';
import * as path from 'path';

/**
 * The files of a Terraform module (a directory: every `*.tf` and `*.tf.json` in it, merged as Terraform merges them)
 * and the blocks they declare, each with its file and position. Parsing HCL goes through `@cdktf/hcl2json` (its
 * JSON form is Terraform JSON syntax, so both kinds of file are read alike from there).
 */

type Json = any;

/** One parsed configuration file. */
export interface ConfigFile {
  readonly abs: string;
  /** The path as reports show it (relative to the working directory, `/`-separated). */
  readonly display: string;
  readonly kind: 'hcl' | 'json';
  readonly text: string;
  readonly doc: Json;
}

/** A block of a module: a resource, variable, local value, module call or output. */
export interface BlockRef {
  /** `docker_container` for a resource, `module`, `variable`, `local`, `output`. */
  readonly type: string;
  readonly name: string;
  readonly body: Json;
  readonly file: ConfigFile;
  readonly line?: number;
  readonly column?: number;
}

/** A module directory's declarations, merged across its files. */
export interface ModuleDefinition {
  readonly dir: string;
  readonly files: ConfigFile[];
  readonly variables: Map<string, BlockRef>;
  readonly locals: Map<string, BlockRef>;
  readonly resources: BlockRef[];
  /** The resources by `type.name`. */
  readonly resourceIndex: Map<string, BlockRef>;
  readonly resourceTypes: Set<string>;
  readonly modules: BlockRef[];
  readonly outputs: Map<string, BlockRef>;
}

/** A problem with one file or block, positioned; the rest of the module is still read. */
export interface FileProblem {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

function asList(v: Json): Json[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

function isMap(v: Json): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The configuration files of a directory (not its subdirectories), in lexical order, as Terraform reads them (regular files only). */
export function configFileNames(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => (n.endsWith('.tf') || n.endsWith('.tf.json')) && !n.startsWith('.'))
    .filter((n) => {
      try {
        // Regular files only, symlinks not followed: as the CLI's directory walk (a link may point outside the input).
        return fs.lstatSync(path.join(dir, n)).isFile();
      } catch {
        return false;
      }
    })
    .sort();
}

/** Terraform's override files (`override.tf`, `*_override.tf`): merged into the blocks they name, not added. */
export function isOverrideFile(name: string): boolean {
  return /(^|_)override\.tf(\.json)?$/.test(name);
}

/** Position (1-based line and column) of the first match of `re` in `text` at or after `from`. */
function positionOf(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, column: index - last };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Where a block is declared: `resource "t" "n"` in HCL, the `"n":` key under `"t"` in JSON. */
export function blockPosition(file: ConfigFile, keyword: string, labels: string[]): { line: number; column: number } | undefined {
  const text = file.text;
  if (file.kind === 'hcl') {
    if (keyword === 'locals') {
      const re = new RegExp(`^[ \\t]*locals[ \\t]*\\{[\\s\\S]*?^[ \\t]*(${escapeRegExp(labels[0])})[ \\t]*=`, 'm');
      const m = re.exec(text);
      if (!m) return undefined;
      return positionOf(text, m.index + m[0].length - m[0].slice(m[0].lastIndexOf(labels[0])).length);
    }
    const label = labels.map((l) => `[ \\t]+(?:"${escapeRegExp(l)}"|${escapeRegExp(l)})`).join('');
    const m = new RegExp(`^[ \\t]*${keyword}${label}[ \\t]*\\{`, 'm').exec(text);
    if (!m) return undefined;
    return positionOf(text, m.index + (m[0].length - m[0].trimStart().length));
  }
  let at = text.indexOf(`"${keyword === 'locals' ? 'locals' : keyword}"`);
  if (at < 0) return undefined;
  for (const l of labels) {
    const re = new RegExp(`"${escapeRegExp(JSON.stringify(l).slice(1, -1))}"\\s*:`, 'g');
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) return positionOf(text, at);
    at = m.index;
  }
  return positionOf(text, at);
}

/**
 * A block with its position. In HCL the position is found at once (files are small, blocks few); in JSON only when
 * asked (an error names it): a cdktf stack of thousands of resources would otherwise pay one search per resource.
 */
function ref(file: ConfigFile, keyword: string, type: string, name: string, body: Json, labels: string[]): BlockRef {
  if (file.kind === 'hcl') {
    const pos = blockPosition(file, keyword, labels);
    return { type, name, body, file, line: pos?.line, column: pos?.column };
  }
  return new JsonBlockRef(type, name, body, file, keyword, labels);
}

/** A block of a JSON file, positioned when first asked. */
class JsonBlockRef implements BlockRef {
  private pos: { line: number; column: number } | undefined | null = null;

  constructor(public readonly type: string, public readonly name: string, public readonly body: Json, public readonly file: ConfigFile,
    private readonly keyword: string, private readonly labels: string[]) {}

  public get line(): number | undefined {
    return this.at()?.line;
  }

  public get column(): number | undefined {
    return this.at()?.column;
  }

  private at() {
    if (this.pos === null) this.pos = blockPosition(this.file, this.keyword, this.labels);
    return this.pos;
  }
}

/** The block with another body, at the same place. */
function withBody(r: BlockRef, body: Json): BlockRef {
  return { type: r.type, name: r.name, body, file: r.file, line: r.line, column: r.column };
}

/**
 * Merges parsed files into a module definition. Duplicate declarations are problems (Terraform refuses them); the
 * first declaration stays. Override files merge their attributes into the block they name.
 */
export function moduleDefinition(dir: string, files: ConfigFile[], problems: FileProblem[]): ModuleDefinition {
  const def: ModuleDefinition = {
    dir,
    files,
    variables: new Map(),
    locals: new Map(),
    resources: [],
    resourceIndex: new Map(),
    resourceTypes: new Set(),
    modules: [],
    outputs: new Map(),
  };
  const problem = (r: BlockRef, message: string) => problems.push({ file: r.file.display, line: r.line, column: r.column, message });
  const ordered = [...files.filter((f) => !isOverrideFile(path.basename(f.abs))), ...files.filter((f) => isOverrideFile(path.basename(f.abs)))];
  for (const file of ordered) {
    const override = isOverrideFile(path.basename(file.abs));
    const doc = file.doc;
    if (!isMap(doc)) continue;
    for (const block of asList(doc.variable)) {
      if (!isMap(block)) continue;
      for (const name of Object.keys(block)) {
        const body = asList(block[name])[0] ?? {};
        const r = ref(file, 'variable', 'variable', name, body, [name]);
        const prev = def.variables.get(name);
        if (prev && override) def.variables.set(name, withBody(prev, { ...prev.body, ...body }));
        else if (prev) problem(r, `variable "${name}" is declared twice (first at ${prev.file.display}${prev.line ? ':' + prev.line : ''})`);
        else def.variables.set(name, r);
      }
    }
    for (const block of asList(doc.locals)) {
      if (!isMap(block)) continue;
      for (const name of Object.keys(block)) {
        const r = ref(file, 'locals', 'local', name, block[name], [name]);
        const prev = def.locals.get(name);
        if (prev && !override) problem(r, `local value "${name}" is defined twice (first at ${prev.file.display}${prev.line ? ':' + prev.line : ''})`);
        else def.locals.set(name, r);
      }
    }
    for (const block of asList(doc.resource)) {
      if (!isMap(block)) continue;
      for (const type of Object.keys(block)) {
        for (const byName of asList(block[type])) {
          if (!isMap(byName)) continue;
          for (const name of Object.keys(byName)) {
            for (const body of asList(byName[name])) {
              const r = ref(file, 'resource', type, name, body, [type, name]);
              const prev = def.resourceIndex.get(`${type}.${name}`);
              if (prev && override) {
                const merged = withBody(prev, { ...prev.body, ...body });
                def.resources[def.resources.indexOf(prev)] = merged;
                def.resourceIndex.set(`${type}.${name}`, merged);
              } else if (prev) {
                problem(r, `resource ${type}.${name} is declared twice (first at ${prev.file.display}${prev.line ? ':' + prev.line : ''}); Terraform refuses it`);
              } else {
                def.resources.push(r);
                def.resourceIndex.set(`${type}.${name}`, r);
                def.resourceTypes.add(type);
              }
            }
          }
        }
      }
    }
    for (const block of asList(doc.module)) {
      if (!isMap(block)) continue;
      for (const name of Object.keys(block)) {
        const body = asList(block[name])[0] ?? {};
        const r = ref(file, 'module', 'module', name, body, [name]);
        const i = def.modules.findIndex((x) => x.name === name);
        if (i >= 0 && override) def.modules[i] = withBody(def.modules[i], { ...def.modules[i].body, ...body });
        else if (i >= 0) problem(r, `module "${name}" is called twice in one module; Terraform refuses it`);
        else def.modules.push(r);
      }
    }
    for (const block of asList(doc.output)) {
      if (!isMap(block)) continue;
      for (const name of Object.keys(block)) {
        const body = asList(block[name])[0] ?? {};
        def.outputs.set(name, ref(file, 'output', 'output', name, body, [name]));
      }
    }
  }
  // hcl2json orders blocks by name; reports follow the files, in the order blocks are written.
  // (JSON keeps its order already: its positions are not computed for this.)
  const order = new Map(files.map((f, i) => [f, i]));
  const byPlace = (a: BlockRef, b: BlockRef) => (order.get(a.file)! - order.get(b.file)!)
    || (a.file.kind === 'hcl' && b.file.kind === 'hcl' ? (a.line ?? 0) - (b.line ?? 0) : 0);
  def.resources.sort(byPlace);
  def.modules.sort(byPlace);
  return def;
}
