/**
 * What the CLI reads its inputs into, shared by the loader (inputs.ts) and the input formats (input-formats.ts):
 * the unit of input, its error, and the small helpers every format uses.
 */
import type { ComposeResourceSpecs } from './compose-resource-inputs';
import { InputBudget, withoutInputText } from './read-input';
import type { IRule } from '../rules/rule';
import type { LocalFileRef } from '../spec/compose-local-files';
import type { ComposeResourceRef } from '../spec/compose-resource';
import type { ContainerSpec } from '../spec/container-spec';
import type { ConfigurationLoad, ConfigurationLoader } from '../spec/terraform/config/load';
import { AdapterError, parseTerraformJson } from '../spec/terraform-adapter';

/** What kind of input a file is. */
export type InputKind = 'cdktf-stack' | 'terraform-json' | 'hcl' | 'plan-json' | 'compose';

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
  /**
   * The line of a resource of a module evaluated as Terraform does (its resources span files and directories), by
   * file and full address; computed when first asked. The locator asks it before searching `text`.
   */
  readonly lineOf?: (file: string, address: string) => number | undefined;
  /**
   * For a compose project, and the services of a Terraform input's docker_compose resources: where a rule's finding
   * on a service points (the setting it read, else the service).
   */
  readonly settingOf?: (file: string, address: string, rule: IRule | undefined) => { file: string; line: number; column: number } | undefined;
  /** The compose files its docker_compose resources read (a compose project of the same files is not reported again). */
  readonly composeFiles?: readonly string[];
  /** The Docker provider version constraint the input declares (`required_providers`, a plan's provider_config). @default - none */
  readonly providerConstraint?: string;
}

/** Input that cannot be read: a missing path, malformed JSON or HCL, an unexpected shape. Exit code 2. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** What an input format needs from the load it is part of. */
export interface InputContext {
  /** Directory paths are resolved against, and reported relative to. */
  readonly cwd: string;
  readonly budget: InputBudget;
  readonly loader: ConfigurationLoader;
  /** A compose project, or undefined when it cannot be read (its problem is collected). */
  compose(files: string[]): InputUnit | undefined;
  /** The docker_compose resources of an input, read with the compose reader (files within the input limits). */
  composeResources(refs: readonly ComposeResourceRef[], localFiles: readonly LocalFileRef[], baseDir: string): ComposeResourceSpecs;
  /** The unit of an evaluated module: its resources as specs, located by the positions of their blocks. */
  unitFromLoad(load: ConfigurationLoad, kind?: InputKind, stack?: string): InputUnit;
}

/** A value from the input for a message: JSON-quoted (escaped), cut short. */
export function quoteShort(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);
}

export async function guard<T>(file: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AdapterError) throw new InputError(e.message);
    throw tooDeep(file, e);
  }
}

/** A stack overflow while reading a file (a value nested 100,000 deep) as one line naming the file; anything else as is. */
function tooDeep(file: string, e: unknown): unknown {
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new InputError(`${file}: nested too deeply to read (a value inside lists or objects thousands of levels deep)`);
  }
  return e;
}

/** JSON.parse with an error naming the file, line and column (`main.tf.json:3:5: malformed JSON: ...`). */
export function parseJson(text: string, file: string): any {
  try {
    return parseTerraformJson(text, file);
  } catch (e) {
    if (e instanceof AdapterError) throw new InputError(withoutInputText(e.message));
    throw tooDeep(file, e);
  }
}
