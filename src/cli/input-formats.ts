/**
 * The formats `check` reads, one entry each: how a file named on the command line is recognised (`matches`), how it
 * is read into units (`read`), and where each resource of such a unit is in its text (`lines`). A new format is one
 * more entry here. Directories are walked by the loader (inputs.ts): a cdktf.out directory, a compose project, and the
 * `*.tf` / `*.tf.json` files of a root module.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  guard, InputContext, InputError, InputKind, InputUnit, parseJson, quoteShort,
} from './input-unit';
import { countDockerResources, firstAtOrAfter, InputBudget, jsonAddressPositions, jsonKeyPositions, readRegularFile, resolveInside } from './read-input';
import { composeFilesFor, isComposeFileName } from '../spec/compose/files';
import { localFilesInJson, localFilesInPlan, resourceBodiesInJson } from '../spec/compose-local-files';
import { composeResourcesInJson, composeResourcesInPlan } from '../spec/compose-resource';
import { SpecSource } from '../spec/container-spec';
import { display } from '../spec/display-path';
import { isPlanJson, specsFromPlanJson } from '../spec/plan-adapter';
import { joinConstraints, providerConstraintsOf, providerConstraintsOfPlan } from '../spec/provider-constraint';
import { documentNeedsEvaluation } from '../spec/terraform/config/module';
import { specsFromTerraformJson } from '../spec/terraform-adapter';
import { VOLUME_RESOURCE_TYPE, volumeBindsOf, volumesInPlan, withVolumeBinds } from '../spec/volume-binds';

/** A file named on the command line (or standard input), its text read and parsed once, when a format asks. */
export class NamedInput {
  private textRead?: string;
  private docParsed?: { doc: any };
  private stacksFound?: { stacks: FoundStack[] | undefined };

  /**
   * @param abs the absolute path; undefined for standard input
   * @param file the path as reports show it
   */
  constructor(public readonly abs: string | undefined, public readonly file: string, private readonly ctx: InputContext, text?: string) {
    this.textRead = text;
  }

  /** The file's text, read within the input size limits. */
  public get text(): string {
    this.textRead ??= readRegularFile(this.abs!, this.file, this.ctx.budget);
    return this.textRead;
  }

  /** The text parsed as JSON (malformed JSON: an InputError naming file, line and column). */
  public get json(): any {
    if (this.docParsed === undefined) {
      const doc = parseJson(this.text, this.file);
      // Counted before reading: reading a million resources is what costs the memory.
      this.ctx.budget.takeResources(this.file, countDockerResources(doc));
      this.docParsed = { doc };
    }
    return this.docParsed.doc;
  }

  /** The stacks of the cdktf.out directory this file's directory is; undefined when it is not one. */
  public get cdktfStacks(): FoundStack[] | undefined {
    this.stacksFound ??= { stacks: cdktfOutStacks(path.dirname(this.abs!), this.ctx.cwd, this.ctx.budget) };
    return this.stacksFound.stacks;
  }
}

/** One format of input. */
export interface InputFormat {
  /** The kind of the units it reads. */
  readonly kind: InputKind;
  /** True when a file named on the command line is of this format. JSON formats look at the parsed document. */
  matches(input: NamedInput): boolean;
  /** The units the file holds. */
  read(input: NamedInput, ctx: InputContext): Promise<InputUnit[]>;
  /** The line (1-based) of each resource of a unit this format read, by address. */
  lines(unit: InputUnit): Map<string, number>;
}

/** A compose file: a YAML file, or a file with a compose file's name. Several named together are one project. */
export const COMPOSE_FORMAT: InputFormat = {
  kind: 'compose',
  matches: (input) => input.abs !== undefined && isComposePath(input.abs),
  read: async (input, ctx) => {
    const unit = ctx.compose(composeFilesFor(input.abs!));
    return unit ? [unit] : [];
  },
  // A compose unit locates findings by the setting a rule read (InputUnit.settingOf), not by line.
  lines: () => new Map(),
};

/** A YAML file named on the command line: a compose file. */
export function isComposePath(p: string): boolean {
  return /\.ya?ml$/i.test(p) || isComposeFileName(p);
}

/** One HCL file named alone: a module of its own (its directory's tfvars apply). */
const HCL_FORMAT: InputFormat = {
  kind: 'hcl',
  matches: (input) => input.abs !== undefined && /\.(tf|hcl)$/.test(input.abs),
  read: async (input, ctx) => [ctx.unitFromLoad(await ctx.loader.load(input.abs!))],
  lines: (unit) => {
    const lines = new Map<string, number>();
    const re = /^[ \t]*resource[ \t]+"(docker_container|docker_service)"[ \t]+"([^"]+)"/gm;
    const lineAt = lineFinder(unit.text);
    for (let m = re.exec(unit.text); m; m = re.exec(unit.text)) lines.set(`${m[1]}.${m[2]}`, lineAt(m.index + m[0].search(/\S/)));
    return lines;
  },
};

/** A cdktf.out `manifest.json` named directly: its stacks. */
const CDKTF_MANIFEST_FORMAT: InputFormat = {
  kind: 'cdktf-stack',
  matches: (input) => input.abs !== undefined && path.basename(input.abs) === 'manifest.json' && input.cdktfStacks !== undefined,
  read: async (input, ctx) => {
    const units: InputUnit[] = [];
    for (const s of input.cdktfStacks ?? []) units.push(await readStack(s.abs, s.stack, ctx));
    return units;
  },
  lines: (unit) => terraformJsonLines(unit),
};

/** A Terraform plan (`terraform show -json`). */
const PLAN_FORMAT: InputFormat = {
  kind: 'plan-json',
  matches: (input) => isPlanJson(input.json),
  read: async (input, ctx) => {
    const { file, text } = input;
    const doc = input.json;
    const binds = volumeBindsOf(volumesInPlan(doc));
    const specs = (await guard(file, async () => specsFromPlanJson(doc, { file }))).map((s) => withVolumeBinds(s, binds));
    const providerConstraint = joinConstraints(providerConstraintsOfPlan(doc));
    // A plan is shown from the root module's directory, where Terraform resolved the compose files' relative paths.
    const baseDir = input.abs ? path.dirname(input.abs) : ctx.cwd;
    const refs = composeResourcesInPlan(doc, { file, baseDir });
    const composed = ctx.composeResources(refs, refs.length ? localFilesInPlan(doc) : [], baseDir);
    return [{ kind: 'plan-json', file, text, specs: [...specs, ...composed.specs], settingOf: composed.settingOf, composeFiles: composed.composeFiles, providerConstraint }];
  },
  lines: (unit) => {
    const lines = new Map<string, number>();
    const lineAt = lineFinder(unit.text);
    const addresses = jsonAddressPositions(unit.text);
    let cursor = 0;
    for (const spec of unit.specs) {
      const positions = addresses.get(spec.address);
      const pos = firstAtOrAfter(positions, cursor) ?? firstAtOrAfter(positions, 0);
      if (pos !== undefined) {
        lines.set(spec.address, lineAt(pos));
        cursor = pos + 1;
      }
    }
    return lines;
  },
};

/** Terraform JSON: a `*.tf.json`, a cdktf stack, anything else that parses as JSON. */
const TERRAFORM_JSON_FORMAT: InputFormat = {
  kind: 'terraform-json',
  matches: (input) => input.json !== undefined,
  read: async (input, ctx) => [await terraformJsonUnit(input.json, input.text, input.file, input.abs, ctx, 'terraform-json', undefined)],
  lines: (unit) => terraformJsonLines(unit),
};

/** The formats of files named on the command line, in the order they are tried: names first, then JSON documents. */
export const INPUT_FORMATS: readonly InputFormat[] = [COMPOSE_FORMAT, HCL_FORMAT, CDKTF_MANIFEST_FORMAT, PLAN_FORMAT, TERRAFORM_JSON_FORMAT];

/** The formats of standard input: JSON only. */
export const STDIN_FORMATS: readonly InputFormat[] = [PLAN_FORMAT, TERRAFORM_JSON_FORMAT];

/** The format that reads units of `kind` (a cdktf stack is Terraform JSON, as is a module of `*.tf.json`). */
export function formatOf(kind: InputKind): InputFormat {
  if (kind === 'cdktf-stack') return CDKTF_MANIFEST_FORMAT;
  return INPUT_FORMATS.find((f) => f.kind === kind)!;
}

/** The units of a file named on the command line, read by the first format that matches it. */
export async function readNamedInput(input: NamedInput, ctx: InputContext, formats: readonly InputFormat[] = INPUT_FORMATS): Promise<InputUnit[]> {
  for (const format of formats) if (format.matches(input)) return format.read(input, ctx);
  // Unreachable: Terraform JSON matches any JSON, and text that is not JSON has thrown.
  throw new InputError(`${input.file}: not a format hardened-docker check reads`);
}

/** One stack of a cdktf.out directory. */
export async function readStack(abs: string, stack: string, ctx: InputContext): Promise<InputUnit> {
  const file = display(abs, ctx.cwd);
  const text = readRegularFile(abs, file, ctx.budget);
  const doc = parseJson(text, file);
  ctx.budget.takeResources(file, countDockerResources(doc));
  return terraformJsonUnit(doc, text, file, abs, ctx, 'cdktf-stack', stack);
}

/** A stack of a cdktf.out directory, found in its manifest. */
export interface FoundStack {
  readonly abs: string;
  readonly kind: 'cdktf-stack';
  readonly stack: string;
}

/** The stacks of a cdktf.out directory, from its manifest.json (or stacks/<name>/cdk.tf.json); undefined if it is not one. */
export function cdktfOutStacks(dir: string, cwd: string = process.cwd(), budget: InputBudget = new InputBudget()): FoundStack[] | undefined {
  const manifestPath = path.join(dir, 'manifest.json');
  if (fs.existsSync(manifestPath)) {
    const manifestShown = display(manifestPath, cwd);
    let manifest: any;
    try {
      manifest = JSON.parse(readRegularFile(manifestPath, manifestShown, budget));
    } catch (e) {
      if (e instanceof InputError) throw e;
      manifest = undefined;
    }
    if (manifest && typeof manifest.stacks === 'object' && manifest.stacks !== null) {
      return Object.entries<any>(manifest.stacks).map(([name, s]) => {
        const written = typeof s?.synthesizedStackPath === 'string' ? s.synthesizedStackPath : path.join('stacks', name, 'cdk.tf.json');
        // The manifest is input: its paths must stay inside the directory (a pull request writes manifest.json too).
        const what = `${manifestShown}: stack ${quoteShort(name)}: synthesizedStackPath ${quoteShort(written)}`;
        const abs = path.resolve(dir, written);
        resolveInside(dir, abs, what, display(dir, cwd));
        return {
          abs,
          kind: 'cdktf-stack' as const,
          stack: typeof s?.name === 'string' ? s.name : name,
        };
      });
    }
  }
  const stacksDir = path.join(dir, 'stacks');
  if (!fs.existsSync(stacksDir) || !fs.statSync(stacksDir).isDirectory()) return undefined;
  const stacks = fs.readdirSync(stacksDir).sort()
    .filter((name) => fs.existsSync(path.join(stacksDir, name, 'cdk.tf.json')))
    .map((name) => {
      const abs = path.join(stacksDir, name, 'cdk.tf.json');
      resolveInside(dir, abs, display(abs, cwd), display(dir, cwd));
      return { abs, kind: 'cdktf-stack' as const, stack: name };
    });
  return stacks.length ? stacks : undefined;
}

/** Text that may need Terraform's evaluation: an expression or directive, a dynamic block, count, for_each, a module call. */
const MAY_NEED_EVALUATION = /\$\{|%\{|"(dynamic|count|for_each|module)"\s*:/;

/** A Terraform JSON document (a `*.tf.json`, a cdktf stack, stdin) as a unit: evaluated when it holds expressions. */
async function terraformJsonUnit(doc: any, text: string, file: string, abs: string | undefined, ctx: InputContext,
  kind: InputKind, stack: string | undefined): Promise<InputUnit> {
  // Without anything to evaluate, or with only references that stay as written, the document is read as it is.
  if (!MAY_NEED_EVALUATION.test(text) || doc === null || typeof doc !== 'object' || Array.isArray(doc) || !documentNeedsEvaluation(doc, text)) {
    const binds = volumeBindsOf(resourceBodiesInJson(doc, [VOLUME_RESOURCE_TYPE]).map(({ name, body }) => ({ address: `${VOLUME_RESOURCE_TYPE}.${name}`, body })));
    const specs = (await guard(file, async () => specsFromTerraformJson(doc, { file }))).map((s) => withVolumeBinds(s, binds));
    const baseDir = abs ? path.dirname(abs) : ctx.cwd;
    const refs = composeResourcesInJson(doc, { file, baseDir, source: SpecSource.TERRAFORM_JSON });
    const composed = ctx.composeResources(refs, refs.length ? localFilesInJson(doc, file) : [], baseDir);
    return {
      kind,
      file,
      stack,
      text,
      specs: [...specs, ...composed.specs],
      settingOf: composed.settingOf,
      composeFiles: composed.composeFiles,
      providerConstraint: joinConstraints(providerConstraintsOf(doc)),
    };
  }
  const load = await ctx.loader.loadDocument(abs ?? file, file, text, doc);
  const unit = ctx.unitFromLoad(load, kind, stack);
  return { ...unit, file, text };
}

/**
 * Terraform JSON: the key `"<name>":` after the type's key, searching forward in file order (through an index of
 * every key, built in one pass: see jsonKeyPositions).
 */
function terraformJsonLines(unit: InputUnit): Map<string, number> {
  const lines = new Map<string, number>();
  const lineAt = lineFinder(unit.text);
  const keys = jsonKeyPositions(unit.text);
  const cursors = new Map<string, number>();
  for (const spec of unit.specs) {
    const dot = spec.address.indexOf('.');
    const type = spec.address.slice(0, dot);
    const name = spec.address.slice(dot + 1);
    const typePos = keys.get(type)?.[0];
    if (typePos === undefined) continue;
    const positions = keys.get(name);
    const pos = firstAtOrAfter(positions, cursors.get(type) ?? typePos) ?? firstAtOrAfter(positions, typePos);
    if (pos !== undefined) {
      lines.set(spec.address, lineAt(pos));
      cursors.set(type, pos + 1);
    } else {
      lines.set(spec.address, lineAt(typePos));
    }
  }
  return lines;
}

/** The line (1-based) of a position in `text`; the line starts are found on first use. */
function lineFinder(text: string): (pos: number) => number {
  let starts: number[] | undefined;
  return (pos) => {
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
}

/** Line numbers (1-based) of every resource of a unit, found in its text by the unit's format. */
export function resourceLines(unit: InputUnit): Map<string, number> {
  return formatOf(unit.kind).lines(unit);
}

