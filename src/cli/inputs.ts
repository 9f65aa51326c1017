import * as fs from 'fs';
import * as path from 'path';
import { CHECK_PROGRESS_THRESHOLD, progress, ProgressStream } from './progress';
import type { Locator } from '../report/text';
import { ContainerSpec, SpecSource } from '../spec/container-spec';
import { isPlanJson, specsFromPlanJson } from '../spec/plan-adapter';
import { AdapterError, parseTerraformJson, specsFromTerraformJson } from '../spec/terraform-adapter';

/** What kind of input a file is. */
export type InputKind = 'cdktf-stack' | 'terraform-json' | 'hcl' | 'plan-json';

/** One unit of input (a file, or a stack of a cdktf.out directory) and the specs read from it. */
export interface InputUnit {
  readonly kind: InputKind;
  /** The file as reports show it: relative to the working directory, with `/` separators. */
  readonly file: string;
  /** The cdktf stack it is, for cdktf.out input. */
  readonly stack?: string;
  /** The file's text, for locating resources in it. */
  readonly text: string;
  readonly specs: ContainerSpec[];
}

/** Input that cannot be read: a missing path, malformed JSON or HCL, an unexpected shape. Exit code 2. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export interface LoadOptions {
  /** Directory paths are resolved against, and reported relative to. */
  readonly cwd: string;
  /** Reads standard input, for the path `-`. */
  readonly readStdin?: () => Promise<string>;
  /** Where to show progress when a directory holds more than 1000 files (only a terminal shows it). */
  readonly progress?: ProgressStream;
}

const SKIP_DIRS = new Set(['node_modules', '.terraform', '.git']);

/** Reads every input and its specs, detecting each path's kind. Throws InputError on anything unreadable. */
export async function loadInputs(paths: string[], opts: LoadOptions): Promise<InputUnit[]> {
  const units: InputUnit[] = [];
  const seen = new Set<string>();
  for (const p of paths) {
    if (p === '-') {
      if (!opts.readStdin) throw new InputError('-: standard input is not available');
      units.push(...await unitsFromJsonText(await opts.readStdin(), '<stdin>'));
      continue;
    }
    const abs = path.resolve(opts.cwd, p);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (e: any) {
      throw new InputError(`${p}: ${e?.code === 'ENOENT' ? 'no such file or directory' : `cannot read (${e?.code ?? e?.message})`}`);
    }
    if (stat.isDirectory()) {
      const found = collectDirectory(abs, opts.cwd);
      if (!found.length) {
        throw new InputError(`${p}: no Terraform files found (looked for cdktf.out, *.tf, *.tf.json; skipped node_modules, .terraform)`);
      }
      const shown = progress(opts.progress, 'hardened-docker check: reading files', found.length, CHECK_PROGRESS_THRESHOLD);
      try {
        for (const f of found) {
          shown.tick();
          if (seen.has(f.abs + '\u0000' + (f.stack ?? ''))) continue;
          seen.add(f.abs + '\u0000' + (f.stack ?? ''));
          units.push(...await loadFile(f.abs, opts.cwd, f.kind, f.stack));
        }
      } finally {
        shown.done();
      }
    } else {
      if (seen.has(abs + '\u0000')) continue;
      seen.add(abs + '\u0000');
      units.push(...await loadFile(abs, opts.cwd, undefined, undefined));
    }
  }
  return units;
}

interface Found {
  readonly abs: string;
  readonly kind?: InputKind;
  readonly stack?: string;
}

/** The stacks of a cdktf.out directory, from its manifest.json (or stacks/<name>/cdk.tf.json); undefined if it is not one. */
export function cdktfOutStacks(dir: string): Found[] | undefined {
  const manifestPath = path.join(dir, 'manifest.json');
  if (fs.existsSync(manifestPath)) {
    let manifest: any;
    try {
      manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    } catch {
      manifest = undefined;
    }
    if (manifest && typeof manifest.stacks === 'object' && manifest.stacks !== null) {
      return Object.entries<any>(manifest.stacks).map(([name, s]) => ({
        abs: path.join(dir, typeof s?.synthesizedStackPath === 'string' ? s.synthesizedStackPath : path.join('stacks', name, 'cdk.tf.json')),
        kind: 'cdktf-stack' as const,
        stack: typeof s?.name === 'string' ? s.name : name,
      }));
    }
  }
  const stacksDir = path.join(dir, 'stacks');
  if (!fs.existsSync(stacksDir) || !fs.statSync(stacksDir).isDirectory()) return undefined;
  const stacks = fs.readdirSync(stacksDir).sort()
    .filter((name) => fs.existsSync(path.join(stacksDir, name, 'cdk.tf.json')))
    .map((name) => ({ abs: path.join(stacksDir, name, 'cdk.tf.json'), kind: 'cdktf-stack' as const, stack: name }));
  return stacks.length ? stacks : undefined;
}

function collectDirectory(dir: string, cwd: string): Found[] {
  const stacks = cdktfOutStacks(dir);
  if (stacks) return stacks;
  const out: Found[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e: any) {
    throw new InputError(`${display(dir, cwd)}: cannot read directory (${e?.code ?? e?.message})`);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) out.push(...collectDirectory(abs, cwd));
    } else if (e.isFile()) {
      if (e.name.endsWith('.tf')) out.push({ abs, kind: 'hcl' });
      else if (e.name.endsWith('.tf.json')) out.push({ abs });
    }
  }
  return out;
}

/** A path as reports show it: relative to cwd, `/`-separated. */
export function display(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs) || path.basename(abs);
  return rel.split(path.sep).join('/');
}

async function loadFile(abs: string, cwd: string, kind: InputKind | undefined, stack: string | undefined): Promise<InputUnit[]> {
  const file = display(abs, cwd);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (e: any) {
    throw new InputError(`${file}: ${e?.code === 'ENOENT' ? 'no such file' : `cannot read (${e?.code ?? e?.message})`}`);
  }
  if (kind === 'hcl' || (!kind && /\.(tf|hcl)$/.test(abs))) {
    // Lazy: the HCL parser loads WebAssembly, which JSON input never needs.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { specsFromHcl } = require('../spec/hcl-adapter') as typeof import('../spec/hcl-adapter');
    return [{ kind: 'hcl', file, text, specs: await guard(() => specsFromHcl(text, file)) }];
  }
  if (kind === 'cdktf-stack') {
    const doc = parseJson(text, file);
    return [{ kind, file, stack, text, specs: await guard(async () => specsFromTerraformJson(doc, { file, source: SpecSource.TERRAFORM_JSON })) }];
  }
  // A directory given by name, inside a file list? No: a file. A cdktf manifest.json named directly means its stacks.
  if (path.basename(abs) === 'manifest.json') {
    const stacks = cdktfOutStacks(path.dirname(abs));
    if (stacks) {
      const units: InputUnit[] = [];
      for (const s of stacks) units.push(...await loadFile(s.abs, cwd, s.kind, s.stack));
      return units;
    }
  }
  return unitsFromJsonText(text, file);
}

async function unitsFromJsonText(text: string, file: string): Promise<InputUnit[]> {
  const doc = parseJson(text, file);
  if (isPlanJson(doc)) {
    return [{ kind: 'plan-json', file, text, specs: await guard(async () => specsFromPlanJson(doc, { file })) }];
  }
  return [{ kind: 'terraform-json', file, text, specs: await guard(async () => specsFromTerraformJson(doc, { file })) }];
}

async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AdapterError) throw new InputError(e.message);
    throw e;
  }
}

/** JSON.parse with an error naming the file, line and column (`main.tf.json:3:5: malformed JSON: ...`). */
export function parseJson(text: string, file: string): any {
  try {
    return parseTerraformJson(text, file);
  } catch (e) {
    if (e instanceof AdapterError) throw new InputError(e.message);
    throw e;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Line numbers (1-based) of every resource of a unit, found in its text in one forward pass per resource type. */
export function resourceLines(unit: InputUnit): Map<string, number> {
  const lines = new Map<string, number>();
  const text = unit.text;
  let starts: number[] | undefined;
  const lineOf = (pos: number): number => {
    if (!starts) {
      starts = [0];
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi + 1) / 2);
      if (starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };

  if (unit.kind === 'hcl') {
    const re = /^[ \t]*resource[ \t]+"(docker_container|docker_service)"[ \t]+"([^"]+)"/gm;
    for (let m = re.exec(text); m; m = re.exec(text)) lines.set(`${m[1]}.${m[2]}`, lineOf(m.index + m[0].search(/\S/)));
    return lines;
  }
  if (unit.kind === 'plan-json') {
    let cursor = 0;
    for (const spec of unit.specs) {
      const re = new RegExp(`"address"\\s*:\\s*"${escapeRegExp(JSON.stringify(spec.address).slice(1, -1))}"`, 'g');
      re.lastIndex = cursor;
      let m = re.exec(text);
      if (!m && cursor > 0) {
        re.lastIndex = 0;
        m = re.exec(text);
      }
      if (m) {
        lines.set(spec.address, lineOf(m.index));
        cursor = m.index + 1;
      }
    }
    return lines;
  }
  // Terraform JSON: the key `"<name>":` after the type's key, searching forward in file order.
  const cursors = new Map<string, number>();
  for (const spec of unit.specs) {
    const dot = spec.address.indexOf('.');
    const type = spec.address.slice(0, dot);
    const name = spec.address.slice(dot + 1);
    let typePos = cursors.get(`@${type}`);
    if (typePos === undefined) {
      typePos = text.indexOf(`"${type}"`);
      cursors.set(`@${type}`, typePos);
    }
    if (typePos < 0) continue;
    const re = new RegExp(`"${escapeRegExp(JSON.stringify(name).slice(1, -1))}"\\s*:`, 'g');
    re.lastIndex = cursors.get(type) ?? typePos;
    let m = re.exec(text);
    if (!m) {
      re.lastIndex = typePos;
      m = re.exec(text);
    }
    if (m) {
      lines.set(spec.address, lineOf(m.index));
      cursors.set(type, m.index + 1);
    } else {
      lines.set(spec.address, lineOf(typePos));
    }
  }
  return lines;
}

/** A locator over loaded units: file and line of each resource, computed per file on first use. */
export function locatorFor(units: InputUnit[]): Locator {
  const byFile = new Map(units.map((u) => [u.file, u]));
  const cache = new Map<string, Map<string, number>>();
  return (spec) => {
    if (!spec.file) return undefined;
    const unit = byFile.get(spec.file);
    if (!unit) return { file: spec.file };
    let lines = cache.get(unit.file);
    if (!lines) cache.set(unit.file, lines = resourceLines(unit));
    return { file: spec.file, line: lines.get(spec.address) };
  };
}
