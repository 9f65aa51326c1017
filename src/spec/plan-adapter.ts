import { ContainerSpec, SpecSource } from './container-spec';
import { AdapterError, specFromResource } from './terraform-adapter';

/**
 * Terraform plan JSON (`terraform show -json tfplan`) to ContainerSpec; also reads state JSON (`terraform show -json`
 * without a plan), whose values are all known.
 *
 * A plan's `planned_values` hold concrete values (blocks as lists, unset attributes as null), and
 * `resource_changes[].change.after_unknown` marks what is only known after apply. A resource in `resource_changes`
 * but not in `planned_values` (or a plan without `planned_values`) is read from its `change.after` when it will
 * exist after apply: actions create, update, no-op, and the create half of a replace; not delete, read or forget.
 * Resources in child modules are read too, and keep their full address (`module.app.docker_container.web[0]`).
 * Resources being destroyed are not checked.
 */

type Json = any;

/** True for a plan (`format_version` with `planned_values` or `resource_changes`) or state JSON (`format_version` with `values`). */
export function isPlanJson(doc: Json): boolean {
  return doc !== null && typeof doc === 'object' && !Array.isArray(doc)
    && typeof doc.format_version === 'string'
    && (doc.planned_values !== undefined || doc.resource_changes !== undefined || doc.values?.root_module !== undefined);
}

export interface PlanAdapterOptions {
  /** The file it was read from, for messages and reports. @default - none */
  readonly file?: string;
}

interface PlanResource {
  readonly address: string;
  readonly type: 'docker_container' | 'docker_service';
  readonly name: string;
  readonly values: Json;
}

const TYPES = new Set(['docker_container', 'docker_service']);

function collect(module: Json, where: string, out: PlanResource[]): void {
  if (module === undefined || module === null) return;
  if (typeof module !== 'object' || Array.isArray(module)) {
    throw new AdapterError(`${where}: a module must be an object with "resources", got ${excerpt(module)}`);
  }
  const resources = module.resources ?? [];
  if (!Array.isArray(resources)) throw new AdapterError(`${where}: "resources" must be a list, got ${excerpt(resources)}`);
  for (const r of resources) {
    if (!r || typeof r !== 'object') throw new AdapterError(`${where}: a resource must be an object, got ${excerpt(r)}`);
    if (r.mode !== undefined && r.mode !== 'managed') continue;
    if (!TYPES.has(r.type)) continue;
    if (typeof r.address !== 'string' || typeof r.name !== 'string') {
      throw new AdapterError(`${where}: a ${r.type} resource needs "address" and "name" strings, got ${excerpt({ address: r.address, name: r.name })}`);
    }
    out.push({ address: r.address, type: r.type, name: r.name, values: r.values ?? {} });
  }
  const children = module.child_modules ?? [];
  if (!Array.isArray(children)) throw new AdapterError(`${where}: "child_modules" must be a list, got ${excerpt(children)}`);
  for (const child of children) collect(child, `${where} ${typeof child?.address === 'string' ? child.address.slice(0, 200) : 'child module'}`, out);
}

/** Every docker_container and docker_service a plan (or state) will leave in place, as specs. */
export function specsFromPlanJson(doc: Json, opts: PlanAdapterOptions = {}): ContainerSpec[] {
  const where = opts.file ?? 'plan JSON';
  if (!isPlanJson(doc)) {
    throw new AdapterError(`${where}: not Terraform plan JSON (expected "format_version" and "planned_values", as written by \`terraform show -json tfplan\`)`);
  }
  const root = doc.planned_values !== undefined ? doc.planned_values?.root_module : doc.values?.root_module;
  const resources: PlanResource[] = [];
  collect(root, where, resources);

  const unknownByAddress = new Map<string, Json>();
  const changes = doc.resource_changes ?? [];
  if (!Array.isArray(changes)) throw new AdapterError(`${where}: "resource_changes" must be a list`);
  const planned = new Set(resources.map((r) => r.address));
  for (const c of changes) {
    if (c === null || typeof c !== 'object' || Array.isArray(c)) {
      throw new AdapterError(`${where}: a "resource_changes" entry must be an object, got ${excerpt(c)}`);
    }
    if (typeof c.address === 'string' && c.change?.after_unknown) unknownByAddress.set(c.address, c.change.after_unknown);
    // A resource planned_values already holds is read from there: its change need not repeat the values.
    if (typeof c.address === 'string' && planned.has(c.address)) continue;
    const fromChange = resourceAfterChange(c, where);
    if (fromChange && !planned.has(fromChange.address)) {
      planned.add(fromChange.address);
      resources.push(fromChange);
    }
  }

  return resources.map((r) => {
    const body = markUnknown(r.values, unknownByAddress.get(r.address));
    const spec = specFromResource({ type: r.type, name: r.name, body }, { file: opts.file, source: SpecSource.TERRAFORM_PLAN });
    // The adapter names resources `<type>.<name>`; a plan knows the full address (module path, count/for_each key).
    return { ...spec, address: r.address };
  });
}

/** Actions after which the resource exists: its `change.after` is what Terraform will leave in place. */
const EXISTS_AFTER = new Set(['create', 'update', 'no-op']);

/**
 * A docker resource of `resource_changes` that exists after apply, read from `change.after`; undefined for other
 * types, data sources, deposed objects and changes that leave nothing (delete, read, forget).
 */
function resourceAfterChange(c: Json, where: string): PlanResource | undefined {
  if (c.mode !== undefined && c.mode !== 'managed') return undefined;
  if (!TYPES.has(c.type) || c.deposed !== undefined) return undefined;
  const actions = c.change?.actions;
  if (!Array.isArray(actions) || !actions.some((a) => EXISTS_AFTER.has(a))) return undefined;
  if (typeof c.address !== 'string' || typeof c.name !== 'string') {
    throw new AdapterError(`${where}: a ${c.type} resource change needs "address" and "name" strings, got ${excerpt({ address: c.address, name: c.name })}`);
  }
  const after = c.change.after;
  if (after === null || typeof after !== 'object' || Array.isArray(after)) {
    throw new AdapterError(`${where}: ${c.address.slice(0, 200)}: "change.after" of a ${actions.find((a) => EXISTS_AFTER.has(a))} change must be an object of attribute values, got ${excerpt(after)}`);
  }
  return { address: c.address, type: c.type, name: c.name, values: after };
}

/** A value for a message: JSON, at most 60 characters of it. */
function excerpt(v: Json): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? text.slice(0, 60) + '…' : text;
}

/** Stands for a value only known after apply: the Terraform adapter treats any `${...}` string as unknown. */
export const UNKNOWN_AFTER_APPLY = '${(known after apply)}';

/**
 * A copy of `values` with every place `afterUnknown` marks `true` replaced by an expression string, at any depth
 * (inside nested blocks too: `capabilities[0].drop`), so the adapter reads it as unknown like any expression. Values
 * with no mark below them are returned as they are (the same object), so a plan is copied only where marked.
 */
export function markUnknown(values: Json, afterUnknown: Json): Json {
  if (afterUnknown === true) return UNKNOWN_AFTER_APPLY;
  if (afterUnknown === undefined || afterUnknown === null || afterUnknown === false || typeof afterUnknown !== 'object') return values;
  if (Array.isArray(afterUnknown)) {
    let list: Json[] | undefined;
    for (let i = 0; i < afterUnknown.length; i++) {
      const own = Array.isArray(values) ? values[i] : undefined;
      const marked = markUnknown(own, afterUnknown[i]);
      if (marked === own) continue;
      list ??= Array.isArray(values) ? [...values] : [];
      list[i] = marked;
    }
    return list ?? values;
  }
  const isObject = values !== null && typeof values === 'object' && !Array.isArray(values);
  let obj: Json | undefined;
  for (const k of Object.keys(afterUnknown)) {
    const own = isObject && Object.prototype.hasOwnProperty.call(values, k) ? values[k] : undefined;
    const marked = markUnknown(own, afterUnknown[k]);
    if (marked === own) continue;
    obj ??= isObject ? { ...values } : {};
    // defineProperty, not assignment: a plan's JSON may hold a key named __proto__ as plain data.
    Object.defineProperty(obj, k, { value: marked, enumerable: true, writable: true, configurable: true });
  }
  return obj ?? values;
}
