import * as fs from 'fs';
import * as path from 'path';
import { prepareExpressions } from './ast';
import { EMPTY_SCOPE, evaluateExpression } from './evaluator';
import { FileProblem, ModuleDefinition } from './files';
import { evalRaw, expressionsOf } from './module';
import { asBool, asNumber, EvalError, Unknown, Value } from './values';

/**
 * Values of a root module's variables, with Terraform's precedence (later wins): the variable's `default`;
 * `TF_VAR_<name>` environment variables; `terraform.tfvars`; `terraform.tfvars.json`; `*.auto.tfvars` and `*.auto.tfvars.json` in lexical order; then
 * `--var-file FILE` and `--var NAME=VALUE` in the order given on the command line. A variable with none of these
 * stays unknown.
 */

/** One `--var` or `--var-file` option, in command-line order. */
export interface CliVariable {
  readonly kind: 'var' | 'var-file';
  /** `NAME=VALUE` for `--var`, a path for `--var-file`. */
  readonly value: string;
}

type Json = any;

/** A variable's declared type, as text (`list(string)`), from `type = list(string)` or `"type": "list(string)"`. */
export function declaredType(def: ModuleDefinition, name: string): string | undefined {
  const t = def.variables.get(name)?.body?.type;
  if (typeof t !== 'string') return undefined;
  return t.replace(/^\$\{\s*/, '').replace(/\s*\}$/, '').trim();
}

/** Converts a value to a primitive declared type as Terraform does (`"5"` for a number); others pass unchanged. */
export function convertToType(v: Value, type: string | undefined, what: string): Value {
  if (type === undefined || v === null || v instanceof Unknown) return v;
  if (type === 'number') return asNumber(v, what);
  if (type === 'bool') return asBool(v, what);
  if (type === 'string') {
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (typeof v !== 'string') throw new EvalError(`${what}: a string is required, got ${Array.isArray(v) ? 'a list' : 'an object'}`);
  }
  return v;
}

/** The largest variables file read (the CLI's default --max-file-size). */
const MAX_VAR_FILE_BYTES = 32 * 1024 * 1024;

/** The tfvars files Terraform reads by itself from a root module directory, in precedence order. */
export function automaticVarFiles(dir: string): string[] {
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const auto = names.filter((n) => n.endsWith('.auto.tfvars') || n.endsWith('.auto.tfvars.json')).sort();
  // As Terraform (os.Stat): a name that does not resolve, such as a dangling link, is not there.
  const present = (n: string) => {
    try {
      fs.statSync(path.join(dir, n));
      return true;
    } catch {
      return false;
    }
  };
  return [...['terraform.tfvars', 'terraform.tfvars.json'].filter((n) => names.includes(n)), ...auto].filter(present).map((n) => path.join(dir, n));
}

/** Reads a tfvars file (HCL, or JSON for `*.json`) to name/value pairs; problems are positioned. */
async function readVarFile(abs: string, display: string, problems: FileProblem[]): Promise<Map<string, Value>> {
  const out = new Map<string, Value>();
  let text: string;
  try {
    // Never a FIFO or a device (a `terraform.tfvars` link to /dev/zero would never end), never past the size limit.
    const stat = fs.statSync(abs);
    if (!stat.isFile()) {
      problems.push({ file: display, message: 'not a regular file: variables are read only from regular files' });
      return out;
    }
    if (stat.size > MAX_VAR_FILE_BYTES) {
      problems.push({ file: display, message: `${stat.size} bytes: larger than ${MAX_VAR_FILE_BYTES} bytes, the most a variables file may hold` });
      return out;
    }
    text = fs.readFileSync(abs, 'utf8');
  } catch (e: any) {
    problems.push({ file: display, message: e?.code === 'ENOENT' ? 'no such variables file' : `cannot read (${e?.code ?? e?.message})` });
    return out;
  }
  let doc: Json;
  try {
    if (abs.endsWith('.json')) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { parseTerraformJson } = require('../../terraform-adapter') as typeof import('../../terraform-adapter');
      doc = parseTerraformJson(text, display);
    } else {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { parseHcl } = require('../../hcl-adapter') as typeof import('../../hcl-adapter');
      doc = await parseHcl(text, display);
    }
  } catch (e: any) {
    problems.push({ file: display, message: String(e?.message ?? e).replace(new RegExp(`^${display.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:?\\s*`), '') });
    return out;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    problems.push({ file: display, message: 'a variables file must hold NAME = VALUE assignments' });
    return out;
  }
  if (abs.endsWith('.json')) {
    for (const k of Object.keys(doc)) out.set(k, doc[k]);
    return out;
  }
  const fakeDef = { files: [{ doc }] } as unknown as ModuleDefinition;
  await prepareExpressions(expressionsOf(fakeDef));
  for (const k of Object.keys(doc)) {
    try {
      out.set(k, evalRaw(doc[k], EMPTY_SCOPE, undefined, 0));
    } catch (e) {
      if (!(e instanceof EvalError)) throw e;
      problems.push({ file: display, message: `${k}: ${e.message}` });
    }
  }
  return out;
}

/** True when a variable's type asks for a `--var` value to be read as HCL (anything but a plain string). */
function wantsHcl(type: string | undefined): boolean {
  return type !== undefined && type !== 'string';
}

export interface VariableOptions {
  readonly cwd: string;
  /** Display paths relative to cwd. */
  readonly display: (abs: string) => string;
  readonly cli?: readonly CliVariable[];
  /** The environment, for `TF_VAR_<name>`. */
  readonly env?: { readonly [k: string]: string | undefined };
}

/**
 * The values given to a root module's variables (defaults excluded: the module evaluator applies those), with
 * Terraform's precedence. Problems (an unreadable file, `--var` without `=`, a value of the wrong type) are reported
 * and that value skipped.
 */
export async function rootVariables(def: ModuleDefinition, opts: VariableOptions, problems: FileProblem[]): Promise<Map<string, Value>> {
  const values = new Map<string, Value>();
  const set = (name: string, v: Value, where: string) => {
    try {
      values.set(name, convertToType(v, declaredType(def, name), `${where}: variable "${name}"`));
    } catch (e) {
      if (!(e instanceof EvalError)) throw e;
      problems.push({ file: where, message: e.message.replace(`${where}: `, '') });
    }
  };
  /** A value given as text (`--var`, `TF_VAR_`): a string, or HCL when the variable's type asks. */
  const setRaw = async (name: string, raw: string, where: string) => {
    const type = declaredType(def, name);
    if (!wantsHcl(type) || type === 'number' || type === 'bool') {
      set(name, raw, where);
      return;
    }
    try {
      await prepareExpressions([raw]);
      set(name, evaluateExpression(raw, EMPTY_SCOPE), where);
    } catch (e) {
      if (!(e instanceof EvalError)) throw e;
      problems.push({ file: where, message: `${name}: ${e.message}` });
    }
  };
  for (const name of def.variables.keys()) {
    const raw = opts.env?.[`TF_VAR_${name}`];
    if (raw !== undefined) await setRaw(name, raw, `TF_VAR_${name}`);
  }
  for (const f of automaticVarFiles(def.dir)) {
    const display = opts.display(f);
    for (const [k, v] of await readVarFile(f, display, problems)) if (def.variables.has(k)) set(k, v, display);
  }
  for (const c of opts.cli ?? []) {
    if (c.kind === 'var-file') {
      const abs = path.resolve(opts.cwd, c.value);
      const display = opts.display(abs);
      for (const [k, v] of await readVarFile(abs, display, problems)) if (def.variables.has(k)) set(k, v, display);
      continue;
    }
    const eq = c.value.indexOf('=');
    if (eq <= 0) {
      problems.push({ file: '--var', message: `"${c.value}": expected NAME=VALUE (for example --var memory=512)` });
      continue;
    }
    const name = c.value.slice(0, eq).trim();
    if (!def.variables.has(name)) continue; // another root module of the run may declare it
    await setRaw(name, c.value.slice(eq + 1), '--var');
  }
  return values;
}
