import * as path from 'path';
import { prepareExpressions } from './ast';
import { expressionsOf } from './expression-scan';
import { BlockRef, ModuleDefinition } from './files';
import { ModuleInstance, Run } from './module-instance';
import { PartialDocument, Value } from './values';

export { documentNeedsEvaluation, expressionsOf, jsonTemplates } from './expression-scan';
export { evalRaw } from './raw-values';

/**
 * Evaluates a root module (and the local modules it calls) the way Terraform plans it, as far as a static tool can:
 * variables, locals, count and for_each, dynamic blocks, module calls, references to other resources of the same
 * configuration. Every docker_container and docker_service instance comes out as a Terraform JSON body with its full
 * address; what cannot be decided stays in the body as a `${...}` residual, which the adapter reads as unknown.
 */

/** Instances one `count` or `for_each` may make, at most (more is reported as an error: a runaway guard). */
export const MAX_INSTANCES_PER_BLOCK = 10_000;
/** Resource and module instances one root module may make in all, at most. */
export const MAX_INSTANCES_TOTAL = 200_000;
/** How long a chain of references (a local naming a local naming a local...) may be. */
export const MAX_REFERENCE_DEPTH = 100;
/** How deep local modules may call local modules. */
export const MAX_MODULE_DEPTH = 32;

/**
 * The resource types the checks read: docker_compose reads compose files, which a local_file (or
 * local_sensitive_file) of the same configuration may write (see src/spec/compose-resource.ts).
 */
export const CHECKED_TYPES = new Set(['docker_container', 'docker_service', 'docker_compose', 'local_file', 'local_sensitive_file', 'docker_volume']);

/** Meta-arguments of a resource: Terraform's, not the provider's; not part of the body the adapter reads. */
export const RESOURCE_META = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'provisioner', 'connection']);
export const MODULE_META = new Set(['source', 'version', 'count', 'for_each', 'depends_on', 'providers']);

/** A problem Terraform would refuse, with where it is. */
export interface ConfigDiagnostic {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

/** One docker_container, docker_service or docker_compose instance, evaluated. */
export interface EvaluatedResource {
  readonly type: 'docker_container' | 'docker_service' | 'docker_compose' | 'local_file' | 'local_sensitive_file' | 'docker_volume';
  readonly name: string;
  /** Terraform's address: `module.web["a"].docker_container.app[0]`. */
  readonly address: string;
  /** The evaluated body, as Terraform JSON (residual `${...}` where unknown). */
  readonly body: any;
  /** The file of its block, as reports show it, and the block's position. */
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  /**
   * For a local_file whose content is `yamlencode` / `jsonencode` of a value with unknown parts: the document with
   * those parts as placeholders (its body's content is the residual call).
   * @default - none
   */
  readonly partialContent?: PartialDocument;
}

/** A module call whose source is not a local directory: not fetched, so not checked. */
export interface RemoteModuleCall {
  readonly file: string;
  readonly line?: number;
  /** The call's address: `module.vpc`, `module.app.module.db`. */
  readonly address: string;
  readonly source: string;
}

/** Reads the definition of a module directory (the loader caches and reports unreadable ones). */
export type ModuleReader = (dir: string) => ModuleDefinition | undefined;

export interface EvaluateOptions {
  /** Values of the root module's variables, highest precedence last already applied (see variables.ts). */
  readonly variables?: ReadonlyMap<string, Value>;
  /** Reads a local module's directory. */
  readonly readModule: ModuleReader;
}

export interface EvaluatedConfiguration {
  readonly resources: EvaluatedResource[];
  readonly remoteModules: RemoteModuleCall[];
  readonly diagnostics: ConfigDiagnostic[];
  /** Directories of the local modules called (absolute). */
  readonly calledDirectories: string[];
}

/** Evaluates a root module; local modules it calls are read with `readModule` and parsed ahead here. */
export async function evaluateConfiguration(root: ModuleDefinition, opts: EvaluateOptions): Promise<EvaluatedConfiguration> {
  // Parse ahead: the root's expressions, then each local module's as it is discovered (modules are few).
  const seen = new Set<string>();
  const pending = [root];
  while (pending.length) {
    const def = pending.pop()!;
    if (seen.has(def.dir)) continue;
    seen.add(def.dir);
    await prepareExpressions(expressionsOf(def));
    // Type constraints with optional() defaults (in Terraform JSON they are plain strings, not templates).
    await prepareExpressions([...def.variables.values()]
      .map((v) => (typeof v.body?.type === 'string' ? typeExpression(v.body.type) : ''))
      .filter((t) => t.includes('optional(')));
    for (const call of def.modules) {
      const src = literalSource(call);
      if (src !== undefined && isLocalSource(src)) {
        const child = opts.readModule(path.resolve(def.dir, src));
        if (child && !seen.has(child.dir)) pending.push(child);
      }
    }
  }
  const run = new Run(opts, root.dir);
  const rootInstance = new ModuleInstance(run, root, '', opts.variables ?? new Map(), [root.dir]);
  rootInstance.collect();
  return { resources: run.resources, remoteModules: run.remote, diagnostics: run.diagnostics, calledDirectories: [...run.called] };
}

export function literalSource(call: BlockRef): string | undefined {
  const s = call.body?.source;
  return typeof s === 'string' ? s : undefined;
}

/** A variable's type as an expression text: `${object({...})}` (hcl2json) or `object({...})` (Terraform JSON). */
export function typeExpression(type: string): string {
  return type.replace(/^\$\{\s*/, '').replace(/\s*\}$/, '').trim();
}

/** Terraform's local module sources: paths starting `./` or `../` (also on Windows with `\`). */
export function isLocalSource(source: string): boolean {
  return /^\.\.?[/\\]/.test(source) || source === '.' || source === '..';
}
