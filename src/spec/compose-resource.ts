/**
 * The `docker_compose` resource of provider kreuzwerker/docker 4.3.0 and later, read with the compose reader.
 *
 * The resource is file-based (its schema, 4.3.0 to 4.5.0): `config_paths` lists the compose files (`docker compose
 * -f`, required), `env_files` the env files read before interpolation (else the project directory's `.env`),
 * `project_directory` the working directory (else the first file's directory), `profiles` the profiles enabled. It
 * has no attribute for inline compose content. Its containers never pass through docker_container attributes, so each
 * service of its compose files becomes a spec of its own, addressed under the resource:
 * `docker_compose.app/services/web` (`/` cannot occur in a Terraform address outside an index key, so the service
 * part never reads as an attribute). A resource whose compose files cannot be read (a path only known after apply, a
 * path that does not exist, a file that does not parse) becomes one spec marked `unreadable`, which the evaluation
 * reports under `compose-resource-unchecked` (a warning that suppressions can cover like any finding).
 *
 * Relative paths are resolved as Terraform runs the provider: against the root module's directory (the working
 * directory of `terraform apply`; `path.module` is relative to it), or a synthesized stack's directory.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isAfterApplyPlaceholder } from './compose/interpolate';
import type * as ComposeLoad from './compose/load';
import type * as ComposeServiceSpec from './compose/service-spec';
import type { Position } from './compose/tree';
import { attributeAt, isExpression, isFile, LocalFileContent, localFilesInJson, localFilesOf, resourceBodiesInJson, short } from './compose-local-files';
import { ContainerSpec, ResourceKind, SpecSource, SpecSuppression } from './container-spec';
import { display } from './display-path';
import type { SpecField } from './fields';

/** The resource type. */
export const COMPOSE_RESOURCE_TYPE = 'docker_compose';

/** One docker_compose resource instance, its body as Terraform JSON (an expression not decided left as `${...}`). */
export interface ComposeResourceRef {
  /** Its address (`docker_compose.app`, `module.web.docker_compose.app[0]`). */
  readonly address: string;
  /** The body: evaluated where the configuration was evaluated, else as written. */
  readonly body: any;
  /** The Terraform file it was read from, as reports show it (none at synth time). */
  readonly file?: string;
  /** The position of its block in that file, where known. */
  readonly line?: number;
  readonly column?: number;
  /** The directory relative paths are resolved against (absolute): the root module's, or the stack's. */
  readonly baseDir: string;
  /** Where its source reads from, for the spec of an unreadable resource. */
  readonly source: SpecSource;
  /**
   * Attributes whose values are only known after apply, when the body comes from a plan (`after_unknown`).
   * @default - none beyond the `${...}` residuals in the body
   */
  readonly unknownAttributes?: readonly string[];
}

export interface ComposeResourceOptions {
  /** Directory file names are shown relative to. */
  readonly cwd: string;
  /** The environment (compose interpolation reads it first, as compose-go's `WithOsEnv`). */
  readonly env?: { readonly [k: string]: string | undefined };
  /** Reads a file (the CLI's reader: regular files only, within the input size limits). @default - fs.readFileSync */
  readonly readText?: (abs: string) => string;
  /**
   * The files the configuration's local_file resources write, by absolute path: a compose file the configuration
   * writes itself is read from the resource's `content`, not from the disk (where it may be stale or missing).
   * @default - none
   */
  readonly localFiles?: ReadonlyMap<string, LocalFileContent>;
}

/** Where a spec read from a docker_compose resource points: its service, and the setting behind each field. */
export interface ComposeResourceLocation {
  /** The service's key in its compose file, or the resource's block for an unreadable one. */
  readonly at: Position;
  /** For an unreadable resource: the attribute that could not be read, where found. @default - `at` */
  readonly setting?: Position;
  /** The setting each field was read from. */
  readonly positions: ReadonlyMap<SpecField, Position>;
  /** The spec as the compose reader made it (address `services.<name>`). */
  readonly original: ContainerSpec;
}

/** What one docker_compose resource gave. */
export interface ComposeResourceReading {
  /** One spec per service that the resource starts; or one `unreadable` spec. */
  readonly specs: ContainerSpec[];
  /** By `file \0 address` of each spec. */
  readonly located: Map<string, ComposeResourceLocation>;
  /** The compose files read, as reports show them. */
  readonly files: readonly string[];
}

/** The docker_compose resources of a Terraform JSON document (`resource.docker_compose.<name>`), bodies as written. */
export function composeResourcesInJson(doc: any, base: Omit<ComposeResourceRef, 'address' | 'body'>): ComposeResourceRef[] {
  return resourceBodiesInJson(doc, [COMPOSE_RESOURCE_TYPE]).map(({ name, body }) => ({ ...base, address: `${COMPOSE_RESOURCE_TYPE}.${name}`, body }));
}

/**
 * The docker_compose resources a plan (or state) will create or keep, with their planned values: `resource_changes`
 * (`after`, with `after_unknown`), else `planned_values` / `values`.
 */
export function composeResourcesInPlan(doc: any, base: Omit<ComposeResourceRef, 'address' | 'body' | 'source'>): ComposeResourceRef[] {
  const out: ComposeResourceRef[] = [];
  const source = SpecSource.TERRAFORM_PLAN;
  if (Array.isArray(doc?.resource_changes)) {
    for (const c of doc.resource_changes) {
      const actions: unknown = c?.change?.actions;
      const deleted = Array.isArray(actions) && actions.length === 1 && actions[0] === 'delete';
      if (c?.type !== COMPOSE_RESOURCE_TYPE || c?.mode === 'data' || deleted || typeof c.address !== 'string') continue;
      const unknown = c.change?.after_unknown;
      const unknownAttributes = unknown && typeof unknown === 'object' ? Object.keys(unknown).filter((k) => unknown[k] !== false) : [];
      out.push({ ...base, source, address: c.address, body: c.change?.after ?? {}, unknownAttributes });
    }
    return out;
  }
  const walk = (module: any): void => {
    if (module === null || typeof module !== 'object') return;
    for (const r of Array.isArray(module.resources) ? module.resources : []) {
      if (r?.type === COMPOSE_RESOURCE_TYPE && r?.mode !== 'data' && typeof r.address === 'string') {
        out.push({ ...base, source, address: r.address, body: r.values ?? {} });
      }
    }
    for (const child of Array.isArray(module.child_modules) ? module.child_modules : []) walk(child);
  };
  walk((doc?.planned_values ?? doc?.values)?.root_module);
  return out;
}

/** Reads one docker_compose resource: its services as specs, or one `unreadable` spec saying why not. */
export function readComposeResource(ref: ComposeResourceRef, opts: ComposeResourceOptions): ComposeResourceReading {
  const located = new Map<string, ComposeResourceLocation>();
  // `whole`: no service of the resource is checked; otherwise only those the reason names.
  const unreadable = (reason: string, attribute?: string, whole = true): ComposeResourceReading => {
    const spec = unreadableSpec(ref, whole ? `${reason}: its containers are not checked` : reason);
    const at = { file: ref.file ?? '', line: ref.line ?? 0, column: ref.column ?? 0 };
    if (ref.file && ref.line) located.set(`${ref.file}\u0000${ref.address}`, { at, setting: attributeAt(ref, attribute, opts.cwd), positions: new Map(), original: spec });
    return { specs: [spec], located, files: [] };
  };
  const body = ref.body !== null && typeof ref.body === 'object' && !Array.isArray(ref.body) ? ref.body : {};
  const paths = stringList(ref, body, 'config_paths');
  if (paths === undefined) return unreadable('config_paths is not set (the provider requires it: the compose files, as `docker compose -f`)', 'config_paths');
  if (typeof paths === 'string') return unreadable(paths, 'config_paths');
  if (paths.length === 0) return unreadable('config_paths is empty (the provider requires at least one compose file)', 'config_paths');
  const envFiles = stringList(ref, body, 'env_files');
  if (typeof envFiles === 'string') return unreadable(envFiles, 'env_files');
  const projectDirectory = stringValue(ref, body, 'project_directory');
  if (projectDirectory !== undefined && projectDirectory.unknown) return unreadable(projectDirectory.unknown, 'project_directory');
  // Unknown profiles: every service may be started, so every service is checked.
  const profiles = stringList(ref, body, 'profiles');

  const files = paths.map((p) => path.resolve(ref.baseDir, p));
  // Compose files the configuration writes itself (local_file): read from what it writes.
  const written = new Map<string, LocalFileContent>();
  for (let i = 0; i < files.length; i++) {
    const local = opts.localFiles?.get(files[i]);
    if (!local) continue;
    if (local.unknown) return unreadable(`config_paths[${i}] ${JSON.stringify(paths[i])} is written by ${local.address}, and ${local.unknown}`, 'config_paths');
    if (local.copies !== undefined) {
      if (!isFile(local.copies)) {
        return unreadable(`config_paths[${i}] ${JSON.stringify(paths[i])} is written by ${local.address} from ${display(local.copies, opts.cwd)}: no such file`, 'config_paths');
      }
      files[i] = local.copies;
    } else {
      written.set(files[i], local);
    }
  }
  for (let i = 0; i < files.length; i++) {
    if (written.has(files[i])) continue;
    if (!isFile(files[i])) {
      return unreadable(`config_paths[${i}] ${JSON.stringify(paths[i])}: no such file (${display(files[i], opts.cwd)}; relative paths are resolved `
        + 'against the directory Terraform runs in)', 'config_paths');
    }
  }
  const projectDir = projectDirectory?.value === undefined ? undefined : path.resolve(ref.baseDir, projectDirectory.value);
  const dotEnv = projectDir === undefined ? undefined : path.join(projectDir, '.env');
  const env = envFiles?.length ? envFiles.map((f) => path.resolve(ref.baseDir, f)) : dotEnv !== undefined && isFile(dotEnv) ? [dotEnv] : undefined;
  // Lazy: the compose reader loads the YAML parser, which a configuration without docker_compose never needs.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { loadComposeProject } = require('./compose/load') as typeof ComposeLoad;
  const { composeServiceSpec } = require('./compose/service-spec') as typeof ComposeServiceSpec;
  const { ComposeError } = require('./compose/tree') as typeof import('./compose/tree');
  /* eslint-enable @typescript-eslint/no-require-imports */
  let project;
  try {
    const readText = (abs: string): string => {
      const local = written.get(abs);
      if (local?.content !== undefined) return local.content;
      return opts.readText ? opts.readText(abs) : fs.readFileSync(abs, 'utf8');
    };
    project = loadComposeProject(files, { cwd: opts.cwd, env: opts.env, envFiles: env, readText });
  } catch (e) {
    if (!(e instanceof ComposeError)) throw e;
    return unreadable(`its compose files cannot be read: ${e.message}`, 'config_paths');
  }
  const specs: ContainerSpec[] = [];
  const problems: string[] = [];
  const constructPath = constructPathOf(body);
  // Suppressions written on the resource (its `//` key, as cdktf writes a construct's) cover each of its services.
  const fromResource = metadataSuppressions(body);
  for (const service of project.services) {
    // Compose starts a service without profiles, or with an enabled one (`*` enables every profile).
    if (Array.isArray(profiles) && !profiles.includes('*') && service.profiles.length && !service.profiles.some((p) => profiles.includes(p))) continue;
    // A service of a compose file the configuration writes: its findings point at that resource's `content`.
    const local = [...written.entries()].find(([abs]) => display(abs, opts.cwd) === service.at.file)?.[1];
    const contentAt = local?.file ? { file: local.file, line: local.line ?? 0, column: local.column ?? 0 } : undefined;
    // In a heredoc, each setting has its own line of the Terraform file; elsewhere (a string, jsonencode) the attribute's.
    const inTerraform = (p: Position): Position => (local?.heredoc && contentAt
      ? { file: contentAt.file, line: local.heredoc.firstLine + p.line - 1, column: p.column + local.heredoc.indent }
      : contentAt!);
    let read;
    try {
      read = composeServiceSpec(service, service.at.file || display(files[0], opts.cwd));
    } catch (e) {
      if (!(e instanceof ComposeError)) throw e;
      problems.push(contentAt ? inTerraformMessage(e.message, service.at.file, inTerraform) : e.message);
      continue;
    }
    const spec: ContainerSpec = {
      ...withTerraformCauses(read.spec),
      ...(contentAt ? { file: contentAt.file } : {}),
      address: `${ref.address}/services/${service.name}`,
      ...(constructPath !== undefined ? { constructPath } : {}),
      ...(fromResource.length ? { suppressions: [...(read.spec.suppressions ?? []), ...fromResource] } : {}),
    };
    specs.push(spec);
    located.set(`${spec.file}\u0000${spec.address}`, contentAt
      ? { at: inTerraform(service.at), positions: new Map([...read.positions].map(([k, p]) => [k, inTerraform(p)])), original: read.spec }
      : { at: service.at, positions: read.positions, original: read.spec });
  }
  if (problems.length) {
    // A service that cannot be read is not checked: said on the resource, beside the services that are.
    const what = problems.length === 1 ? 'a service of its compose files cannot be read, and is' : `${problems.length} services of its compose files cannot be read, and are`;
    const rest = unreadable(`${what} not checked (the others are): ${problems.join('; ')}`, undefined, false);
    return { specs: [...specs, ...rest.specs], located, files: project.files };
  }
  return { specs, located, files: project.files };
}

/**
 * A reader's error about a document the configuration writes, positioned in the Terraform file (the `content`
 * attribute, or the line of a heredoc) rather than in a file that is not on the disk yet.
 */
function inTerraformMessage(message: string, file: string, inTerraform: (p: Position) => Position): string {
  const prefix = `${file}:`;
  const m = message.startsWith(prefix) ? /^(\d+):(\d+): /.exec(message.slice(prefix.length)) : null;
  if (!m) return message;
  const at = inTerraform({ file, line: Number(m[1]), column: Number(m[2]) });
  return `${at.file}:${at.line}:${at.column}: ${message.slice(prefix.length + m[0].length)}`;
}

/**
 * A spec whose unknowns come in part from placeholders of a document Terraform encodes (`yamlencode({...})` with
 * values only known after apply): those are not compose variables nobody set, so their cause is left out, and a
 * finding says the setting is only known after apply.
 */
function withTerraformCauses(spec: ContainerSpec): ContainerSpec {
  const causes = spec.unknownCauses;
  if (!causes?.some((c) => c.variables?.some(isAfterApplyPlaceholder))) return spec;
  const kept = causes.flatMap((c) => {
    if (!c.variables?.some(isAfterApplyPlaceholder)) return [c];
    const names = c.variables.filter((v) => !isAfterApplyPlaceholder(v));
    return names.length ? [{ ...c, variables: names }] : [];
  });
  const { unknownCauses: _, ...rest } = spec;
  return kept.length ? { ...rest, unknownCauses: kept } : rest;
}

/** The spec of a resource whose containers cannot be read: no settings, only why. */
function unreadableSpec(ref: ComposeResourceRef, reason: string): ContainerSpec {
  const body = ref.body !== null && typeof ref.body === 'object' ? ref.body : {};
  const constructPath = constructPathOf(body);
  const suppressions = metadataSuppressions(body);
  return {
    kind: ResourceKind.CONTAINER,
    source: ref.source,
    address: ref.address,
    ...(ref.file !== undefined ? { file: ref.file } : {}),
    ...(constructPath !== undefined ? { constructPath } : {}),
    ...(suppressions.length ? { suppressions } : {}),
    unreadable: reason,
  };
}

function constructPathOf(body: any): string | undefined {
  const p = body?.['//']?.metadata?.path;
  return typeof p === 'string' ? p : undefined;
}

/**
 * Suppressions written in the resource's `//` key (`{"hardened_docker": {"suppressions": [{ruleId, reason}]}}`), as
 * on a docker_container: a malformed entry suppresses nothing (the evaluation reports the refused ones).
 */
function metadataSuppressions(body: any): SpecSuppression[] {
  const list = body?.['//']?.hardened_docker?.suppressions;
  if (!Array.isArray(list)) return [];
  const out: SpecSuppression[] = [];
  list.forEach((s: any, i: number) => {
    if (s === null || typeof s !== 'object' || typeof s.ruleId !== 'string') return;
    const reason = typeof s.reason === 'string' ? s.reason : '';
    out.push({ ruleId: s.ruleId, reason, origin: `"//".hardened_docker.suppressions[${i}] ("//" key)`, reasonUnknown: isExpression(reason) || undefined });
  });
  return out;
}

/**
 * A list of strings attribute: the list, undefined when not set, or why it cannot be read (a string: an expression
 * only known after apply, a value of another type).
 */
function stringList(ref: ComposeResourceRef, body: any, attribute: string): string[] | string | undefined {
  const v = body[attribute];
  if (ref.unknownAttributes?.includes(attribute)) return `${attribute} is only known after apply`;
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') {
    return isExpression(v) ? `${attribute} is only known after apply (${short(v)})` : `${attribute} must be a list of strings, got ${short(JSON.stringify(v))}`;
  }
  if (!Array.isArray(v)) return `${attribute} must be a list of strings, got ${short(JSON.stringify(v))}`;
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== 'string') return `${attribute}[${i}] must be a string, got ${short(JSON.stringify(v[i]))}`;
    if (isExpression(v[i])) return `${attribute}[${i}] is only known after apply (${short(v[i])})`;
  }
  return v;
}

function stringValue(ref: ComposeResourceRef, body: any, attribute: string): { value?: string; unknown?: string } | undefined {
  const v = body[attribute];
  if (ref.unknownAttributes?.includes(attribute)) return { unknown: `${attribute} is only known after apply` };
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return { unknown: `${attribute} must be a string, got ${short(JSON.stringify(v))}` };
  if (isExpression(v)) return { unknown: `${attribute} is only known after apply (${short(v)})` };
  return { value: v };
}

/**
 * The specs of every docker_compose resource of a synthesized stack (Terraform JSON): its services, or one unreadable
 * spec each. Relative paths are resolved against `baseDir`, the stack's directory, where Terraform runs.
 */
export function composeSpecsOfDocument(doc: any, baseDir: string, opts: ComposeResourceOptions): ContainerSpec[] {
  const refs = composeResourcesInJson(doc, { baseDir, source: SpecSource.TERRAFORM_JSON });
  if (refs.length === 0) return [];
  const localFiles = localFilesOf(localFilesInJson(doc), baseDir, opts.cwd);
  return refs.flatMap((r) => readComposeResource(r, { ...opts, localFiles }).specs);
}

/**
 * True for a spec read from a docker_compose resource (a service of its compose files, or the resource itself when
 * unreadable): `audit --against` does not pair those with live containers by name (compose names its containers
 * `<project>-<service>-<n>`), so it leaves them out.
 */
export function isComposeResourceSpec(spec: ContainerSpec): boolean {
  return spec.unreadable !== undefined || /(^|\.)docker_compose\.[^/]*\/services\//.test(spec.address);
}
