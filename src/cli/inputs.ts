import * as fs from 'fs';
import * as path from 'path';
import type { composeUnit as ComposeUnitFn } from './compose-inputs';
import { composeResourceSpecs, ComposeResourceSpecs } from './compose-resource-inputs';
import { cdktfOutStacks, isComposePath, NamedInput, readNamedInput, readStack, resourceLines, STDIN_FORMATS } from './input-formats';
import { InputContext, InputError, InputKind, InputUnit } from './input-unit';
import { CHECK_PROGRESS_THRESHOLD, progress, ProgressStream } from './progress';
import { InputBudget, readRegularFile } from './read-input';
import type { Locator } from '../report/text';
import { COMPOSE_RESOURCE_UNCHECKED_RULE } from '../rules/compose-resource-unchecked';
import type { IRule } from '../rules/rule';
import { composeFilesFor, composeFilesIn } from '../spec/compose/files';
import { localFilesOf, LocalFileRef } from '../spec/compose-local-files';
import { ComposeResourceRef } from '../spec/compose-resource';
import { ContainerSpec, SpecSource } from '../spec/container-spec';
import { display } from '../spec/display-path';
import { joinConstraints, providerConstraintsOf } from '../spec/provider-constraint';
import { FileProblem } from '../spec/terraform/config/files';
import { ConfigurationLoad, ConfigurationLoader, formatProblem } from '../spec/terraform/config/load';
import { EvaluatedResource, RemoteModuleCall } from '../spec/terraform/config/module';
import type { CliVariable } from '../spec/terraform/config/variables';
import { AdapterError, SharedReading } from '../spec/terraform-adapter';
import { VOLUME_RESOURCE_TYPE, volumeBindsOf, withVolumeBinds } from '../spec/volume-binds';

export { resourceLines } from './input-formats';
export { InputError } from './input-unit';
export type { InputKind, InputUnit } from './input-unit';

export interface LoadOptions {
  /** Directory paths are resolved against, and reported relative to. */
  readonly cwd: string;
  /** Reads standard input, for the path `-`. */
  readonly readStdin?: (budget: InputBudget) => Promise<string>;
  /** Bytes read so far against the input size limits. @default - the default limits */
  readonly budget?: InputBudget;
  /** `--var NAME=VALUE` and `--var-file FILE`, in command-line order: values of the root modules' variables. */
  readonly variables?: readonly CliVariable[];
  /**
   * Collects the problems of single files and resources (a file that does not parse, a resource Terraform would
   * refuse), one line each (`file:line:column: message`), and goes on with the rest. Without it, the first one throws.
   */
  readonly problems?: string[];
  /** Collects the module calls that were not followed: sources that are not a local directory. */
  readonly remoteModules?: RemoteModuleCall[];
  /** The environment, for `TF_VAR_<name>` variable values (as Terraform reads them). */
  readonly env?: { readonly [k: string]: string | undefined };
  /** Where to show progress when a directory holds more than 1000 files (only a terminal shows it). */
  readonly progress?: ProgressStream;
  /** `--env-file` files for compose interpolation, in order. @default - each compose project's `.env` */
  readonly envFiles?: readonly string[];
}

const SKIP_DIRS = new Set(['node_modules', '.terraform', '.git']);

/**
 * Reads every input and its specs, detecting each path's kind. A directory of `*.tf` / `*.tf.json` files is a root
 * module, evaluated as Terraform does (see src/spec/terraform/config/); a directory that another root of the same run
 * calls as a local module is reported through that call, not again alone. Throws InputError for a path that cannot
 * be read at all; problems inside files go to `opts.problems` when given (else the first one throws).
 */
export async function loadInputs(paths: string[], opts: LoadOptions): Promise<InputUnit[]> {
  const ctx = new LoadContext(opts);
  const units: InputUnit[] = [];
  const seen = new Set<string>();
  const roots: Array<{ at: number; load: ConfigurationLoad }> = [];
  /** Units of files named alone: dropped when a directory given too reads them as part of its module. */
  const singles = new Map<InputUnit, string>();
  for (let i = 0; i < paths.length; i++) {
    const p = paths[i];
    if (isComposePath(p)) {
      // YAML files of one directory named together are one compose project, merged in order (`docker compose -f a -f b`).
      const files = [path.resolve(opts.cwd, p)];
      while (i + 1 < paths.length && isComposePath(paths[i + 1]) && path.dirname(path.resolve(opts.cwd, paths[i + 1])) === path.dirname(files[0])) {
        files.push(path.resolve(opts.cwd, paths[++i]));
      }
      for (const f of files) if (!fs.existsSync(f)) throw new InputError(`${display(f, opts.cwd)}: no such file`);
      const unit = ctx.compose(files.length === 1 ? composeFilesFor(files[0]) : files);
      if (unit) units.push(unit);
      continue;
    }
    if (p === '-') {
      if (!opts.readStdin) throw new InputError('-: standard input is not available');
      const text = await opts.readStdin(ctx.budget);
      ctx.budget.take('<stdin>', Buffer.byteLength(text));
      units.push(...await readNamedInput(new NamedInput(undefined, '<stdin>', ctx, text), ctx, STDIN_FORMATS));
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
      const found = collectDirectory(abs, opts.cwd, ctx.budget);
      if (!found.length) {
        throw new InputError(`${p}: no Terraform files found, nor a compose file (looked for cdktf.out, *.tf, *.tf.json, compose.yaml, docker-compose.yml; skipped node_modules, .terraform)`);
      }
      const moduleDirs: string[] = [];
      const shown = progress(opts.progress, 'hardened-docker check: reading files', found.length, CHECK_PROGRESS_THRESHOLD);
      try {
        for (const f of found) {
          shown.tick();
          if (f.kind === 'compose') {
            const unit = ctx.compose(composeFilesIn(f.abs));
            if (unit) units.push(unit);
          } else if (f.kind === 'cdktf-stack') {
            if (seen.has(f.abs + '\u0000' + (f.stack ?? ''))) continue;
            seen.add(f.abs + '\u0000' + (f.stack ?? ''));
            units.push(await readStack(f.abs, f.stack!, ctx));
          } else {
            const dir = path.dirname(f.abs);
            if (!moduleDirs.includes(dir)) moduleDirs.push(dir);
          }
        }
      } finally {
        shown.done();
      }
      for (const dir of moduleDirs) {
        if (seen.has(dir + '\u0000module')) continue;
        seen.add(dir + '\u0000module');
        roots.push({ at: units.length, load: await ctx.loader.load(dir) });
      }
    } else {
      if (seen.has(abs + '\u0000')) continue;
      seen.add(abs + '\u0000');
      const fileUnits = await readNamedInput(new NamedInput(abs, display(abs, opts.cwd), ctx), ctx);
      for (const u of fileUnits) singles.set(u, abs);
      units.push(...fileUnits);
    }
  }
  // A root that another root calls as a local module is reported through that call only.
  const called = new Set<string>();
  for (const r of roots) for (const d of r.load.calledDirectories) called.add(d);
  const inModules = new Set<string>();
  const out: InputUnit[] = [];
  let next = 0;
  const kept = roots.filter((r) => !called.has(r.load.root));
  for (const r of kept) for (const f of r.load.files) inModules.add(f.abs);
  for (let i = 0; i <= units.length; i++) {
    while (next < kept.length && kept[next].at === i) out.push(ctx.unitFromLoad(kept[next++].load));
    if (i < units.length && !inModules.has(singles.get(units[i]) ?? '')) out.push(units[i]);
  }
  // Before the rules run: findings and reports grow with every resource (about 15 findings each).
  // (Terraform JSON was counted as it was parsed; HCL modules and plans are counted here.)
  for (const u of out) if (u.kind === 'hcl' || u.kind === 'plan-json') ctx.budget.takeResources(u.file, u.specs.length);
  // A compose project that a docker_compose resource of the same run reads is reported through the resource only.
  const readByResources = new Set(out.flatMap((u) => u.composeFiles ?? []));
  return readByResources.size ? out.filter((u) => !(u.kind === 'compose' && readByResources.has(u.file))) : out;
}

/** The state of one loadInputs call: the configuration loader, and where problems go. */
class LoadContext implements InputContext {
  public readonly loader: ConfigurationLoader;

  public readonly budget: InputBudget;

  public readonly cwd: string;

  constructor(private readonly opts: LoadOptions) {
    this.cwd = opts.cwd;
    this.budget = opts.budget ?? new InputBudget();
    // Module files are read like any input: regular files only, within the size limits.
    const budget = this.budget;
    this.loader = new ConfigurationLoader({
      cwd: opts.cwd, variables: opts.variables, env: opts.env, readText: (abs) => readRegularFile(abs, display(abs, opts.cwd), budget),
    });
  }

  /** A compose project, or undefined when it cannot be read (its problem is collected). */
  public compose(files: string[]): InputUnit | undefined {
    // Lazy: the compose reader loads the YAML parser, which Terraform input never needs.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { composeUnit } = require('./compose-inputs') as { composeUnit: typeof ComposeUnitFn };
    const unit = composeUnit(files, {
      cwd: this.opts.cwd,
      env: this.opts.env,
      envFiles: this.opts.envFiles,
      readText: (abs) => readRegularFile(abs, display(abs, this.opts.cwd), this.budget),
      problem: (message) => {
        if (!this.opts.problems) throw new InputError(message);
        this.opts.problems.push(message);
      },
    });
    return unit && { kind: 'compose', file: unit.file, text: '', specs: unit.specs, settingOf: unit.settingOf };
  }

  /** One problem of a file or resource: collected, or thrown when the caller collects none. */
  public problem(p: FileProblem): void {
    const line = formatProblem(p);
    if (!this.opts.problems) throw new InputError(line);
    this.opts.problems.push(line);
  }

  /** The unit of an evaluated module: its resources as specs, located by the positions of their blocks. */
  public unitFromLoad(load: ConfigurationLoad, kind: InputKind = load.files.length && load.files.every((f) => f.kind === 'json') ? 'terraform-json' : 'hcl',
    stack?: string): InputUnit {
    for (const p of load.problems) this.problem(p);
    for (const m of load.remoteModules) this.opts.remoteModules?.push(m);
    const specs: ContainerSpec[] = [];
    const readers = new Map<string, SharedReading>();
    const evaluated = new Map<string, EvaluatedResource>();
    const composeRefs: ComposeResourceRef[] = [];
    const localRefs: LocalFileRef[] = [];
    const volumes: Array<{ address: string; body: any }> = [];
    const baseDir = isDirectory(load.root) ? load.root : path.dirname(load.root);
    for (const r of load.resources) {
      if (r.type === 'local_file' || r.type === 'local_sensitive_file') {
        localRefs.push({
          type: r.type, address: r.address, body: r.body, file: r.file, line: r.line, column: r.column, partialContent: r.partialContent,
        });
        continue;
      }
      if (r.type === VOLUME_RESOURCE_TYPE) {
        volumes.push({ address: r.address, body: r.body });
        continue;
      }
      if (r.type === 'docker_compose') {
        const source = r.file.endsWith('.json') ? SpecSource.TERRAFORM_JSON : SpecSource.TERRAFORM_HCL;
        composeRefs.push({ address: r.address, body: r.body, file: r.file, line: r.line, column: r.column, baseDir, source });
        continue;
      }
      let reader = readers.get(r.file);
      if (!reader) {
        const source = r.file.endsWith('.json') ? SpecSource.TERRAFORM_JSON : SpecSource.TERRAFORM_HCL;
        readers.set(r.file, reader = new SharedReading({ file: r.file, source }));
      }
      try {
        specs.push(reader.spec({ type: r.type, name: r.name, body: r.body, address: r.address }));
        evaluated.set(`${r.file}\u0000${r.address}`, r);
      } catch (e: any) {
        if (!(e instanceof AdapterError)) throw e;
        const prefix = `${r.file}: `;
        const message = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
        this.problem({ file: r.file, line: r.line, column: r.column, message });
      }
    }
    // Lines in JSON files: one forward pass per file when first asked (as for a file read alone), by `type.name`.
    const jsonLines = new Map<string, Map<string, number>>();
    const lineOf = (file: string, address: string): number | undefined => {
      const r = evaluated.get(`${file}\u0000${address}`);
      if (!r) return undefined;
      if (!file.endsWith('.json')) return r.line;
      let lines = jsonLines.get(file);
      if (!lines) {
        const text = load.files.find((x) => x.display === file)?.text ?? '';
        const bases = [...new Set(load.resources.filter((x) => x.file === file).map((x) => `${x.type}.${x.name}`))];
        lines = resourceLines({ kind: 'terraform-json', file, text, specs: bases.map((a) => ({ address: a } as ContainerSpec)) });
        jsonLines.set(file, lines);
      }
      return lines.get(`${r.type}.${r.name}`);
    };
    const binds = volumeBindsOf(volumes);
    if (binds.length) for (let i = 0; i < specs.length; i++) specs[i] = withVolumeBinds(specs[i], binds);
    const composed = this.composeResources(composeRefs, localRefs, baseDir);
    specs.push(...composed.specs);
    const providerConstraint = joinConstraints(load.files.flatMap((f) => providerConstraintsOf(f.doc)));
    return {
      kind, file: display(load.root, this.opts.cwd), stack, text: '', specs, lineOf, settingOf: composed.settingOf, composeFiles: composed.composeFiles, providerConstraint,
    };
  }

  /** The docker_compose resources of an input, read with the compose reader (files within the input limits). */
  public composeResources(refs: readonly ComposeResourceRef[], localFiles: readonly LocalFileRef[], baseDir: string): ComposeResourceSpecs {
    if (refs.length === 0) return { specs: [] };
    return composeResourceSpecs(refs, {
      cwd: this.opts.cwd,
      env: this.opts.env,
      readText: (abs) => readRegularFile(abs, display(abs, this.opts.cwd), this.budget),
      localFiles: localFilesOf(localFiles, baseDir, this.opts.cwd),
    });
  }
}

function isDirectory(abs: string): boolean {
  try {
    return fs.statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

interface Found {
  readonly abs: string;
  readonly kind?: InputKind;
  readonly stack?: string;
}

function collectDirectory(dir: string, cwd: string, budget: InputBudget): Found[] {
  const stacks = cdktfOutStacks(dir, cwd, budget);
  if (stacks) return stacks;
  const out: Found[] = [];
  // A directory with a compose file is a compose project (its override file with it), besides any Terraform in it.
  if (composeFilesIn(dir).length) out.push({ abs: dir, kind: 'compose' });
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
      if (!SKIP_DIRS.has(e.name)) out.push(...collectDirectory(abs, cwd, budget));
    } else if (e.isFile()) {
      if (e.name.endsWith('.tf')) out.push({ abs, kind: 'hcl' });
      else if (e.name.endsWith('.tf.json')) out.push({ abs });
    }
  }
  return out;
}

/**
 * A locator over loaded units: file and line of each resource, computed per file on first use; for a compose
 * service, and a finding of one of `rules`, the line and column of the setting the rule read.
 */
export function locatorFor(units: InputUnit[], rules: readonly IRule[] = []): Locator {
  const composed = units.filter((u) => u.settingOf);
  // The rule of an unreadable docker_compose resource is the evaluator's, in no profile: located at the attribute.
  const ruleById = new Map([...rules, COMPOSE_RESOURCE_UNCHECKED_RULE].map((r) => [r.metadata.id, r]));
  const byFile = new Map(units.filter((u) => !u.lineOf || u.text).map((u) => [u.file, u]));
  const evaluated = units.filter((u) => u.lineOf);
  const cache = new Map<string, Map<string, number>>();
  return (spec) => {
    if (!spec.file) return undefined;
    for (const u of composed) {
      const at = u.settingOf!(spec.file, spec.address, spec.ruleId === undefined ? undefined : ruleById.get(spec.ruleId));
      if (at) return at;
    }
    for (const u of evaluated) {
      const line = u.lineOf!(spec.file, spec.address);
      if (line !== undefined) return { file: spec.file, line };
    }
    const unit = byFile.get(spec.file);
    if (!unit) return { file: spec.file };
    let lines = cache.get(unit.file);
    if (!lines) cache.set(unit.file, lines = resourceLines(unit));
    return { file: spec.file, line: lines.get(spec.address) };
  };
}
