/**
 * Compose projects as input units of `check`: each service one spec, located at the setting each rule reads.
 */
import type { IRule } from '../rules/rule';
import { loadComposeProject } from '../spec/compose/load';
import { composeServiceSpec } from '../spec/compose/service-spec';
import { ComposeError, Position } from '../spec/compose/tree';
import type { ContainerSpec } from '../spec/container-spec';
import { display } from '../spec/display-path';
import type { SpecField } from '../spec/fields';

/** A compose project read for `check`. */
export interface ComposeUnit {
  /** The first file, as reports show it. */
  readonly file: string;
  readonly specs: ContainerSpec[];
  /** Where a rule's finding on a service points: the setting the rule read, else the service's key. */
  readonly settingOf: (file: string, address: string, rule: IRule | undefined) => Position | undefined;
}

export interface ComposeUnitOptions {
  readonly cwd: string;
  readonly env?: { readonly [k: string]: string | undefined };
  /** `--env-file` files, in order. @default - the project's `.env` */
  readonly envFiles?: readonly string[];
  /** Reads a file: regular files only, within the input size limits. @default - fs.readFileSync */
  readonly readText?: (abs: string) => string;
  /** Collects one line per problem (`file:line:column: message`); without it the first one throws. */
  readonly problem: (message: string) => void;
}

/**
 * Reads one compose project (its files merged in order). A file that cannot be read is one problem and no unit; a
 * service that cannot be read is one problem, and the other services are still checked.
 */
export function composeUnit(files: readonly string[], opts: ComposeUnitOptions): ComposeUnit | undefined {
  let project;
  try {
    project = loadComposeProject(files, { cwd: opts.cwd, env: opts.env, envFiles: opts.envFiles, readText: opts.readText });
  } catch (e) {
    if (!(e instanceof ComposeError)) throw e;
    opts.problem(e.message);
    return undefined;
  }
  const specs: ContainerSpec[] = [];
  const located = new Map<string, { at: Position; positions: ReadonlyMap<SpecField, Position>; spec: ContainerSpec }>();
  const shown = display(files[0], opts.cwd);
  for (const service of project.services) {
    try {
      const { spec, positions } = composeServiceSpec(service, service.at.file || shown);
      specs.push(spec);
      located.set(`${spec.file}\u0000${spec.address}`, { at: service.at, positions, spec });
    } catch (e) {
      if (!(e instanceof ComposeError)) throw e;
      opts.problem(e.message);
    }
  }
  const cache = new Map<string, Position>();
  const settingOf = (file: string, address: string, rule: IRule | undefined): Position | undefined => {
    const entry = located.get(`${file}\u0000${address}`);
    if (!entry) return undefined;
    if (!rule) return entry.at;
    const key = `${file}\u0000${address}\u0000${rule.metadata.id}`;
    let at = cache.get(key);
    if (!at) {
      const field = fieldsRead(rule, entry.spec).find((f) => entry.positions.has(f));
      at = field ? entry.positions.get(field)! : entry.at;
      cache.set(key, at);
    }
    return at;
  };
  return { file: shown, specs, settingOf };
}

/** Keys of a spec that are not settings: every rule may read them. */
const NOT_SETTINGS = new Set(['kind', 'source', 'address', 'file', 'constructPath', 'unknown', 'listedInFull', 'unknownCauses', 'name', 'suppressions']);

/**
 * The settings a rule reads of a spec, in the order it reads them: found by running its check on a view of the spec
 * that records each property read. What a rule reads is what its finding is about, custom rules included.
 */
export function fieldsRead(rule: IRule, spec: ContainerSpec): SpecField[] {
  const read: SpecField[] = [];
  const note = (field: string): void => {
    if (!NOT_SETTINGS.has(field) && !read.includes(field as SpecField)) read.push(field as SpecField);
  };
  // A rule asks whether a field is unknown through `unknown.includes(field)` (isUnknown): that is a read too.
  const unknown = spec.unknown && new Proxy(spec.unknown, {
    get(target, prop, receiver) {
      if (prop !== 'includes') return Reflect.get(target, prop, receiver);
      return (field: string) => {
        note(field);
        return target.includes(field);
      };
    },
  });
  const view = new Proxy(spec, {
    get(target, prop, receiver) {
      if (prop === 'unknown') return unknown;
      if (typeof prop === 'string') note(prop);
      return Reflect.get(target, prop, receiver);
    },
  });
  try {
    rule.check(view);
  } catch {
    // A rule that throws is reported by the evaluation; here only what it read before matters.
  }
  return read;
}
