import * as fs from 'fs';
import * as path from 'path';
import { ConfigFile, configFileNames, FileProblem, ModuleDefinition, moduleDefinition } from './files';
import { evaluateConfiguration, EvaluatedResource, isLocalSource, RemoteModuleCall } from './module';
import { CliVariable, rootVariables } from './variables';
import { display as displayPath } from '../../display-path';

/**
 * Loads Terraform configurations as Terraform does: a directory is one module (every `*.tf` and `*.tf.json` in it),
 * its variables take their values from defaults, tfvars files and the command line, and the local modules it calls
 * are followed. One bad file is one problem: the other files and modules are still read.
 */

export interface ConfigurationLoad {
  /** The root module's directory (absolute), or the file checked alone. */
  readonly root: string;
  readonly resources: EvaluatedResource[];
  readonly remoteModules: RemoteModuleCall[];
  readonly problems: FileProblem[];
  /** Every file read, of the root and of the local modules it calls. */
  readonly files: ConfigFile[];
  /** Local module directories this root calls (absolute). */
  readonly calledDirectories: string[];
}

export interface ConfigurationOptions {
  readonly cwd: string;
  /** `--var` and `--var-file`, in command-line order. */
  readonly variables?: readonly CliVariable[];
  /** The environment, for `TF_VAR_<name>` variable values. */
  readonly env?: { readonly [k: string]: string | undefined };
  /** Reads a file's text (the CLI's safe reader); default fs.readFileSync. */
  readonly readText?: (abs: string) => string;
}

type Json = any;

/** Reads and parses module directories, each once per loader (roots of one run share it). */
export class ConfigurationLoader {
  private readonly modules = new Map<string, { def?: ModuleDefinition; problems: FileProblem[] }>();

  constructor(private readonly opts: ConfigurationOptions) {}

  public display(abs: string): string {
    return displayPath(abs, this.opts.cwd);
  }

  private readText(abs: string): string {
    return this.opts.readText ? this.opts.readText(abs) : fs.readFileSync(abs, 'utf8');
  }

  /** Parses one configuration file; a problem (with its position) when it cannot be read or parsed. */
  public async parseFile(abs: string, problems: FileProblem[]): Promise<ConfigFile | undefined> {
    const display = this.display(abs);
    let text: string;
    try {
      text = this.readText(abs);
    } catch (e: any) {
      // A refusal of the reader (not a regular file, over a size limit) already names the file.
      const message = e?.code === 'ENOENT' ? 'no such file' : e?.code ? `cannot read (${e.code})` : String(e?.message ?? e);
      problems.push({ file: display, message: message.startsWith(`${display}: `) ? message.slice(display.length + 2) : message });
      return undefined;
    }
    const hcl = !abs.endsWith('.json');
    let doc: Json;
    try {
      if (hcl) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { parseHcl } = require('../../hcl-adapter') as typeof import('../../hcl-adapter');
        doc = await parseHcl(text, display);
      } else {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { parseTerraformJson } = require('../../terraform-adapter') as typeof import('../../terraform-adapter');
        doc = parseTerraformJson(text, display);
      }
    } catch (e: any) {
      problems.push(problemFromMessage(String(e?.message ?? e), display));
      return undefined;
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      problems.push({ file: display, message: `expected a Terraform JSON object ({"resource": {...}}), got ${Array.isArray(doc) ? 'a list' : JSON.stringify(doc)}` });
      return undefined;
    }
    return { abs, display, kind: hcl ? 'hcl' : 'json', text, doc };
  }

  /** A module directory (or a single file, as a module of its own), read once. */
  public async module(dirOrFile: string): Promise<{ def?: ModuleDefinition; problems: FileProblem[] }> {
    const hit = this.modules.get(dirOrFile);
    if (hit) return hit;
    const problems: FileProblem[] = [];
    const entry: { def?: ModuleDefinition; problems: FileProblem[] } = { problems };
    this.modules.set(dirOrFile, entry);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(dirOrFile);
    } catch {
      stat = undefined;
    }
    if (!stat) return entry;
    const names = stat.isDirectory() ? configFileNames(dirOrFile).map((n) => path.join(dirOrFile, n)) : [dirOrFile];
    if (!names.length) return entry;
    const files: ConfigFile[] = [];
    for (const abs of names) {
      const f = await this.parseFile(abs, problems);
      if (f) files.push(f);
    }
    const dir = stat.isDirectory() ? dirOrFile : path.dirname(dirOrFile);
    entry.def = moduleDefinition(dir, files, problems);
    return entry;
  }

  /** Reads every local module a module calls, transitively, so that evaluation finds them read. */
  private async readCalledModules(def: ModuleDefinition, seen: Set<string>, problems: FileProblem[]): Promise<void> {
    for (const call of def.modules) {
      const src = call.body?.source;
      if (typeof src !== 'string' || !isLocalSource(src)) continue;
      const dir = path.resolve(def.dir, src);
      if (seen.has(dir)) continue;
      seen.add(dir);
      const m = await this.module(dir);
      for (const p of m.problems) if (!problems.includes(p)) problems.push(p);
      if (m.def) await this.readCalledModules(m.def, seen, problems);
    }
  }

  /** Loads and evaluates a root module: a directory, or one file checked alone. */
  public async load(root: string): Promise<ConfigurationLoad> {
    return this.evaluate(root, await this.module(root));
  }

  /** Evaluates one Terraform JSON document already parsed (a `*.tf.json` or cdktf stack named alone, stdin). */
  public async loadDocument(abs: string, display: string, text: string, doc: Json): Promise<ConfigurationLoad> {
    const problems: FileProblem[] = [];
    const file: ConfigFile = { abs, display, kind: 'json', text, doc };
    const entry = { def: moduleDefinition(path.dirname(path.resolve(this.opts.cwd, abs)), [file], problems), problems };
    this.modules.set(abs, entry);
    return this.evaluate(abs, entry);
  }

  private async evaluate(root: string, m: { def?: ModuleDefinition; problems: FileProblem[] }): Promise<ConfigurationLoad> {
    const problems: FileProblem[] = [];
    problems.push(...m.problems);
    if (!m.def) return { root, resources: [], remoteModules: [], problems, files: [], calledDirectories: [] };
    const seen = new Set<string>([m.def.dir]);
    await this.readCalledModules(m.def, seen, problems);
    const variableOptions = { cwd: this.opts.cwd, display: (a: string) => this.display(a), cli: this.opts.variables, env: this.opts.env };
    const variables = await rootVariables(m.def, variableOptions, problems);
    const result = await evaluateConfiguration(m.def, {
      variables,
      readModule: (dir) => this.modules.get(dir)?.def,
    });
    problems.push(...result.diagnostics);
    const files = [...m.def.files];
    for (const dir of result.calledDirectories) files.push(...(this.modules.get(dir)?.def?.files ?? []));
    return { root, resources: result.resources, remoteModules: result.remoteModules, problems, files, calledDirectories: result.calledDirectories };
  }
}

/** An adapter or parser message `file:3:7: text` (or `file: text`) as a positioned problem. */
export function problemFromMessage(message: string, file: string): FileProblem {
  const prefix = file + ':';
  if (message.startsWith(prefix)) {
    const rest = message.slice(prefix.length);
    const m = /^(\d+):(\d+):\s*([\s\S]*)$/.exec(rest);
    if (m) return { file, line: Number(m[1]), column: Number(m[2]), message: m[3] };
    return { file, message: rest.trim() };
  }
  return { file, message };
}

/** A problem as one line: `file:line:column: message`. */
export function formatProblem(p: FileProblem): string {
  return `${p.file}${p.line !== undefined ? `:${p.line}${p.column !== undefined ? `:${p.column}` : ''}` : ''}: ${p.message.replace(/\s*\n\s*/g, ' ')}`;
}
