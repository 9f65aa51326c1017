import {
  ContainerSpec, DeviceSpec, HealthcheckSpec, MountSpec, PortSpec, ResourceKind, SpecSource,
  SpecSuppression, TmpfsSpec, UlimitSpec, UnknownCause, UnknownValue,
} from './container-spec';
import { SpecField } from './fields';
import { CAUSE_ORDER, unknownCausesOf } from './unknown-causes';

/**
 * Terraform JSON (cdktf synth output, hand-written `*.tf.json`, `@cdktf/hcl2json` output of HCL, plan values)
 * to ContainerSpec. Accepts single blocks as an object or a one-element list, and every repeated block as a list
 * or a single object. A string holding `${...}`, a `dynamic` block, or a value listed as unknown by a plan is unknown.
 */

/** Raised for input that is not Terraform JSON of the expected shape. Names the place and the valid form. */
export class AdapterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdapterError';
  }
}

/** The label prefix that suppresses a rule on hand-written Terraform or a live container: `<prefix><rule-id> = reason`. */
export const SUPPRESSION_LABEL_PREFIX = 'hardened-docker.suppress.';

/** Where cdktf-made suppressions travel in the JSON: under the resource's `//` comment key, which Terraform ignores. */
export const METADATA_KEY = 'hardened_docker';

export interface AdapterOptions {
  readonly source?: SpecSource;
  readonly file?: string;
  /** Marks values unknown by path (plan JSON `after_unknown`), keyed like the resource body. */
  readonly afterUnknown?: any;
  /** The resource's full address, when it is not `<type>.<name>` (module paths, count and for_each keys). */
  readonly address?: string;
}

type Json = any;

const MIB = 1024 * 1024;

/** An absent repeated block: one shared empty list (read only). */
const NO_BLOCKS: Json[] = Object.freeze([]) as unknown as Json[];

/** No value is marked unknown by a plan: shared by every read that has no plan marks (read only). */
const NO_MARKS: Json = Object.freeze({});

/**
 * True for a string that holds a Terraform expression: an interpolation `${...}` or a template directive `%{...}`.
 * `$${` and `%%{` are escaped literals.
 */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && value.indexOf('{') >= 0 && /(^|[^$])\$\{|(^|[^%])%\{/.test(value);
}

/** The literal a known template string stands for: `$${` is `${` and `%%{` is `%{`. */
function unescapeTemplate(value: string): string {
  return value.indexOf('{') < 0 ? value : value.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/**
 * The fields a reader could not know, and why: lists made on the first one (most bodies have none). A field is
 * unknown as a whole (or may have items not listed), or only through attributes of items it lists.
 */
class FieldSet {
  private list?: SpecField[];
  /** Fields unknown as a whole: a scalar, or a list that may have items not listed. */
  private whole?: SpecField[];
  private causes?: UnknownValue[];

  /** Records `field` as unknown: as a whole, or (`itemLevel`) only through attributes of its listed items. */
  public add(field: SpecField, causes: readonly UnknownCause[] = NO_CAUSES, itemLevel = false): void {
    if (this.list === undefined) this.list = [field];
    else if (!this.list.includes(field)) this.list.push(field);
    if (!itemLevel) {
      if (this.whole === undefined) this.whole = [field];
      else if (!this.whole.includes(field)) this.whole.push(field);
    }
    for (const cause of causes) {
      if (this.causes === undefined) this.causes = [];
      if (!this.causes.some((c) => c.field === field && c.cause === cause)) this.causes.push({ field, cause });
    }
  }

  /** Records `field` as unknown for the same reasons as `from` (a field read through another's block). */
  public addLike(field: SpecField, from: SpecField, itemLevel = false): void {
    this.add(field, this.causesOf(from), itemLevel);
  }

  public has(field: SpecField): boolean {
    return this.list !== undefined && this.list.includes(field);
  }

  /** True when `field` is unknown as a whole (not only through item attributes). */
  public hasWhole(field: SpecField): boolean {
    return this.whole !== undefined && this.whole.includes(field);
  }

  public causesOf(field: SpecField): UnknownCause[] {
    return this.causes === undefined ? [] : this.causes.filter((c) => c.field === field).map((c) => c.cause);
  }

  public get size(): number {
    return this.list === undefined ? 0 : this.list.length;
  }

  public sorted(): SpecField[] {
    return this.list === undefined ? [] : [...this.list].sort();
  }

  /** The fields unknown only through attributes of listed items; undefined when none. */
  public listedInFull(): SpecField[] | undefined {
    const out = this.list?.filter((f) => !this.hasWhole(f));
    return out !== undefined && out.length ? out.sort() : undefined;
  }

  /** The causes, by field then in CAUSE_ORDER; undefined when none. */
  public unknownValues(): UnknownValue[] | undefined {
    if (this.causes === undefined || this.causes.length === 0) return undefined;
    return [...this.causes].sort((a, b) => a.field < b.field ? -1 : a.field > b.field ? 1
      : CAUSE_ORDER.indexOf(a.cause) - CAUSE_ORDER.indexOf(b.cause));
  }
}

const NO_CAUSES: readonly UnknownCause[] = Object.freeze([]) as readonly UnknownCause[];
const DYNAMIC_CAUSES: readonly UnknownCause[] = Object.freeze([UnknownCause.DYNAMIC]) as readonly UnknownCause[];

/** A network, PID or IPC mode that joins another container's namespace, whichever container an expression names. */
const CONTAINER_MODE = /^container:/;

/** Reads one resource body, recording the fields it cannot know. */
class Reader {
  public readonly unknown = new FieldSet();

  /**
   * @param where the resource, for messages (`file: docker_container.web`)
   * @param plain the body holds no expression and no `dynamic` block, and no plan marks are given: nothing in it can
   * be unknown, so the per-attribute unknown checks are skipped (the result is the same).
   */
  constructor(public readonly where: string, private readonly afterUnknown: Json, public readonly plain = false) {}

  /** True when the attribute is unknown: an expression, or listed unknown by a plan. */
  private isUnknownValue(value: unknown, unknownMark: unknown): boolean {
    if (this.plain) return false;
    if (unknownMark === true) return true;
    if (typeof value === 'string') return isExpression(value);
    if (value === null || typeof value !== 'object') return false;
    const marks = unknownMark !== null && typeof unknownMark === 'object' ? unknownMark as any : undefined;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) if (this.isUnknownValue(value[i], marks?.[i])) return true;
      return false;
    }
    for (const k in value) if (isExpression(k) || this.isUnknownValue((value as any)[k], marks?.[k])) return true;
    return false;
  }

  /** Why an unknown value is unknown (from its expression text; a plan's mark is known after apply). */
  public causesOf(value: unknown, unknownMark: unknown): readonly UnknownCause[] {
    if (unknownMark === true) return [UnknownCause.AFTER_APPLY];
    if (typeof value === 'string') return unknownCausesOf(value);
    if (value === null || typeof value !== 'object') return NO_CAUSES;
    const marks = unknownMark !== null && typeof unknownMark === 'object' ? unknownMark as any : undefined;
    const out = new Set<UnknownCause>();
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) for (const c of this.causesOf(value[i], marks?.[i])) out.add(c);
    } else {
      for (const k in value) {
        for (const c of unknownCausesOf(k)) out.add(c);
        for (const c of this.causesOf((value as any)[k], marks?.[k])) out.add(c);
      }
    }
    return [...out];
  }

  /** Why the `dynamic` blocks named `key` of `body` cannot be expanded: their for_each, else DYNAMIC. */
  private dynamicCauses(body: Json, key: string): readonly UnknownCause[] {
    const out = new Set<UnknownCause>();
    for (const d of dynamicBlocks(body, key)) {
      const forEach = d?.for_each;
      if (isExpression(forEach)) for (const c of unknownCausesOf(forEach)) out.add(c);
    }
    return out.size ? [...out] : DYNAMIC_CAUSES;
  }

  /** Records `field` unknown when `value` is; true when it is. */
  private markIfUnknown(value: unknown, mark: unknown, field: SpecField): boolean {
    if (!this.isUnknownValue(value, mark)) return false;
    this.unknown.add(field, this.causesOf(value, mark));
    return true;
  }

  /**
   * True when attribute `key` of a list item is unknown; records `field` as unknown through its items' attributes.
   */
  public attributeUnknown(item: Json, key: string, field: SpecField): boolean {
    if (this.plain) return false;
    const v = item?.[key];
    if (!this.isUnknownValue(v, undefined)) return false;
    this.unknown.add(field, this.causesOf(v, undefined), true);
    return true;
  }

  /** True when the nested block `key` of `body` is a `dynamic` block or an expression; records why, under `field`. */
  public blockUnknown(body: Json, key: string, field: SpecField, itemLevel = false): boolean {
    if (this.plain) return false;
    if (hasDynamic(body, key)) {
      this.unknown.add(field, this.dynamicCauses(body, key), itemLevel);
      return true;
    }
    const v = body?.[key];
    if (isExpression(v)) {
      this.unknown.add(field, this.causesOf(v, undefined), itemLevel);
      return true;
    }
    return false;
  }

  public str(body: Json, key: string, field: SpecField, mark: Json = this.afterUnknown): string | undefined {
    const v = body?.[key];
    if (this.markIfUnknown(v, mark?.[key], field)) return undefined;
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return unescapeTemplate(v);
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new AdapterError(`${this.where}: "${key}" must be a string, got ${JSON.stringify(v)}`);
  }

  /**
   * A network, PID or IPC mode. `container:<expression>` is known to join another container's namespace, not the
   * host's, whatever the expression: it is kept as written.
   */
  public mode(body: Json, key: string, field: SpecField): string | undefined {
    const v = body?.[key];
    if (!this.plain && typeof v === 'string' && CONTAINER_MODE.test(v) && this.afterUnknown?.[key] !== true) return v;
    return this.str(body, key, field);
  }

  public num(body: Json, key: string, field: SpecField, mark: Json = this.afterUnknown): number | undefined {
    const v = body?.[key];
    if (this.markIfUnknown(v, mark?.[key], field)) return undefined;
    if (v === undefined || v === null) return undefined;
    let n: number | undefined;
    if (typeof v === 'number') n = v;
    else if (typeof v === 'string' && v.trim() !== '' && !isNaN(Number(v))) n = Number(v);
    else throw new AdapterError(`${this.where}: "${key}" must be a number (or a string holding one), got ${JSON.stringify(v)}`);
    if (!Number.isFinite(n)) {
      // `1e400` parses to Infinity: Terraform refuses it, and no rule may read it as a limit.
      throw new AdapterError(`${this.where}: "${key}" must be a finite number, got ${typeof v === 'string' ? JSON.stringify(v) : 'a number out of range'} (valid form: "${key}": 256)`);
    }
    return n;
  }

  public bool(body: Json, key: string, field: SpecField, mark: Json = this.afterUnknown): boolean | undefined {
    const v = body?.[key];
    if (this.markIfUnknown(v, mark?.[key], field)) return undefined;
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    throw new AdapterError(`${this.where}: "${key}" must be true or false (a boolean, or the string "true" or "false"), got ${JSON.stringify(v)}`);
  }

  /**
   * A list of strings. An item that is an expression is left out and makes the field unknown (the list may hold
   * anything there); the known items are kept, so a literal item is judged whatever its unknown siblings are.
   */
  public strList(body: Json, key: string, field: SpecField, mark: Json = this.afterUnknown): string[] | undefined {
    const v = body?.[key];
    const m = mark?.[key];
    if (!Array.isArray(v) || m === true) {
      if (this.markIfUnknown(v, m, field)) return undefined;
    }
    if (v === undefined || v === null) return undefined;
    const arr = Array.isArray(v) ? v : [v];
    const marks = m !== null && typeof m === 'object' ? m : undefined;
    const out: string[] = [];
    for (let i = 0; i < arr.length; i++) {
      const item = arr[i];
      if (!this.plain && this.markIfUnknown(item, marks?.[i], field)) continue;
      if (typeof item === 'string') out.push(unescapeTemplate(item));
      else if (typeof item === 'number') out.push(String(item));
      else throw new AdapterError(`${this.where}: "${key}" must be a list of strings (["a", "b"]), got ${JSON.stringify(v)}`);
    }
    // Nothing known left of a list that had items: not an empty list.
    return out.length === 0 && arr.length > 0 ? undefined : out;
  }

  /** The object of a map attribute (hcl2json and plan JSON may wrap it in a one-element list). */
  private mapObject(v: Json, key: string): Json {
    const obj = Array.isArray(v) && v.length === 1 ? v[0] : v;
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      throw new AdapterError(`${this.where}: "${key}" must be a map of strings ({"key": "value"}), got ${JSON.stringify(v)}`);
    }
    return obj;
  }

  /**
   * A map of strings. An entry whose key or value is an expression is left out and makes the field unknown; the
   * known entries are kept.
   */
  public strMap(body: Json, key: string, field: SpecField, mark: Json = this.afterUnknown): { [k: string]: string } | undefined {
    const v = body?.[key];
    const m = mark?.[key];
    if (this.plain || typeof v === 'string' || m === true) {
      if (this.markIfUnknown(v, m, field)) return undefined;
    }
    if (v === undefined || v === null) return undefined;
    const obj = this.mapObject(v, key);
    const marks = m !== null && typeof m === 'object' ? m : undefined;
    const out: { [k: string]: string } = {};
    let known = 0;
    for (const k in obj) {
      const val = obj[k];
      if (!this.plain && (this.markIfUnknown(k, undefined, field) || this.markIfUnknown(val, marks?.[k], field))) continue;
      if (val === null || typeof val === 'object') {
        throw new AdapterError(`${this.where}: "${key}.${k}" must be a string, got ${JSON.stringify(val)}`);
      }
      out[unescapeTemplate(k)] = typeof val === 'string' ? unescapeTemplate(val) : String(val);
      known++;
    }
    return known === 0 && this.unknown.has(field) ? undefined : out;
  }

  /**
   * The `tmpfs` map of a docker_container: one TmpfsSpec per path. A path that is an expression makes the field
   * unknown (a tmpfs somewhere); options that are an expression are unknown on that tmpfs alone.
   */
  public tmpfsMap(body: Json): TmpfsSpec[] {
    const v = body?.tmpfs;
    const m = this.afterUnknown?.tmpfs;
    if (v === undefined || v === null) return [];
    if ((typeof v === 'string' || m === true) && this.markIfUnknown(v, m, 'tmpfs')) return [];
    const obj = this.mapObject(v, 'tmpfs');
    const out: TmpfsSpec[] = [];
    for (const path in obj) {
      const val = obj[path];
      if (this.markIfUnknown(path, undefined, 'tmpfs')) continue;
      if (this.attributeUnknown(obj, path, 'tmpfs')) {
        out.push({ path: unescapeTemplate(path), options: undefined, unknown: ['options'] });
        continue;
      }
      if (val === null || typeof val === 'object') {
        throw new AdapterError(`${this.where}: "tmpfs.${path}" must be a string, got ${JSON.stringify(val)}`);
      }
      const options = typeof val === 'string' ? unescapeTemplate(val) : String(val);
      out.push({ path: unescapeTemplate(path), options: options === '' ? undefined : options });
    }
    return out;
  }

  /** A single nested block: an object, or a one-element list. Undefined when absent; marks `field` unknown when dynamic. */
  public block(body: Json, key: string, field: SpecField): Json | undefined {
    if (this.blockUnknown(body, key, field)) return undefined;
    return this.knownBlock(body, key);
  }

  /** A single nested block already known not to be dynamic or an expression. */
  public knownBlock(body: Json, key: string): Json | undefined {
    const v = body?.[key];
    if (v === undefined || v === null) return undefined;
    if (Array.isArray(v)) {
      if (v.length === 0) return undefined;
      if (v.length > 1) {
        throw new AdapterError(`${this.where}: "${key}" is a single block, got ${v.length} of them: write one block, as an object {...} or a one-element list [{...}]`);
      }
      const only = v[0];
      if (only === null || typeof only !== 'object' || Array.isArray(only)) {
        throw new AdapterError(`${this.where}: "${key}" must be a block: an object {...} or a one-element list [{...}], got ${JSON.stringify(v)}`);
      }
      return only;
    }
    if (typeof v === 'object') return v;
    throw new AdapterError(`${this.where}: "${key}" must be a block: an object {...} or a one-element list [{...}], got ${JSON.stringify(v)}`);
  }

  /**
   * A repeated nested block: a list of objects or a single object. A `dynamic` block of that name, or a list that
   * is an expression, makes `field` unknown (items may be missing); the literal blocks beside it are returned.
   */
  public blocks(body: Json, key: string, field: SpecField): Json[] {
    if (!this.plain && hasDynamic(body, key)) this.unknown.add(field, this.dynamicCauses(body, key));
    const v = body?.[key];
    if (v === undefined || v === null) return NO_BLOCKS;
    if (!this.plain && isExpression(v)) {
      this.unknown.add(field, this.causesOf(v, undefined));
      return NO_BLOCKS;
    }
    const arr = Array.isArray(v) ? v : [v];
    const out: Json[] = [];
    for (const item of arr) {
      // A list item that is an expression (`mounts = [local.m, {...}]` in JSON): unknown, its siblings kept.
      if (!this.plain && isExpression(item)) {
        this.unknown.add(field, this.causesOf(item, undefined));
        continue;
      }
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        throw new AdapterError(`${this.where}: "${key}" must be a list of blocks [{...}, ...] (or one block {...}), got ${JSON.stringify(v)}`);
      }
      out.push(item);
    }
    return out.length === arr.length ? arr : out;
  }
}

/**
 * Reads the attributes of one item of a repeated block (a mount, a port, ...): an attribute that is unknown is named
 * in `unknown` and read as undefined (or a placeholder, for a required one), and the item is kept. One per list,
 * reset for each item.
 */
class ItemReader {
  public unknown?: string[];
  private item: Json;

  constructor(private readonly r: Reader, private readonly field: SpecField, private readonly blockKey: string, private readonly form: string) {}

  public reset(item: Json): this {
    this.item = item;
    this.unknown = undefined;
    return this;
  }

  /** Names `attribute` unknown on this item. */
  public mark(attribute: string): void {
    if (this.unknown === undefined) this.unknown = [attribute];
    else if (!this.unknown.includes(attribute)) this.unknown.push(attribute);
  }

  public has(attribute: string): boolean {
    return this.unknown !== undefined && this.unknown.includes(attribute);
  }

  private isUnknown(body: Json, key: string, attribute: string): boolean {
    if (!this.r.attributeUnknown(body, key, this.field)) return false;
    this.mark(attribute);
    return true;
  }

  public str(key: string, attribute: string, body: Json = this.item): string | undefined {
    return this.isUnknown(body, key, attribute) ? undefined : this.r.str(body, key, this.field, NO_MARKS);
  }

  public num(key: string, attribute: string, body: Json = this.item): number | undefined {
    return this.isUnknown(body, key, attribute) ? undefined : this.r.num(body, key, this.field, NO_MARKS);
  }

  public bool(key: string, attribute: string, body: Json = this.item): boolean | undefined {
    return this.isUnknown(body, key, attribute) ? undefined : this.r.bool(body, key, this.field, NO_MARKS);
  }

  /** A required string attribute: `''` when unknown (named in `unknown`); an error when absent. */
  public requiredStr(key: string, attribute: string): string {
    const v = this.str(key, attribute);
    if (v !== undefined) return v;
    if (this.has(attribute)) return '';
    throw this.missing(key);
  }

  /** A required number attribute: `0` when unknown (named in `unknown`); an error when absent. */
  public requiredNum(key: string, attribute: string): number {
    const v = this.num(key, attribute);
    if (v !== undefined) return v;
    if (this.has(attribute)) return 0;
    throw this.missing(key);
  }

  /** A single nested block of the item; when it is dynamic or an expression, `attributes` are unknown on the item. */
  public block(key: string, attributes: string[]): Json | undefined {
    if (this.r.blockUnknown(this.item, key, this.field, true)) {
      for (const a of attributes) this.mark(a);
      return undefined;
    }
    return this.r.knownBlock(this.item, key);
  }

  private missing(key: string): AdapterError {
    return new AdapterError(`${this.r.where}: a "${this.blockKey}" block needs "${key}"; valid form: ${this.form}`);
  }
}

/**
 * The top-level attributes the adapter reads, of docker_container and docker_service: only these can make a spec
 * field unknown. An expression elsewhere (`env`, `command`, `upload`, ...) changes nothing the rules see, so the
 * fast-path scan skips those (a test proxies a body and fails when the adapter reads a key missing here).
 */
export const READ_ATTRIBUTES: readonly string[] = [
  // docker_container
  'capabilities', 'tmpfs', 'mounts', 'volumes', 'ports', 'ulimit', 'devices', 'networks_advanced', 'labels', 'memory',
  'memory_swap', 'name', 'image', 'user', 'read_only', 'privileged', 'security_opts', 'cpu_shares', 'cpu_period',
  'cpu_quota', 'cpus', 'restart', 'max_retry_count', 'healthcheck', 'network_mode', 'pid_mode', 'ipc_mode',
  'userns_mode', 'cgroupns_mode', 'cgroup_parent', 'log_driver', 'log_opts', 'init', 'sysctls', 'runtime', 'group_add',
  'publish_all_ports', 'gpus',
  // docker_service
  'task_spec', 'mode', 'endpoint_spec',
];

/**
 * True when a value may hold something unknown before apply: a string with an expression, or a `dynamic` key at any
 * depth. One scan per resource body; at the top (`top`), only the attributes the adapter reads are scanned, and a
 * top-level `dynamic` always counts (the `//` comment key of the body, cdktf metadata, is never an attribute).
 */
export function mayHoldUnknown(value: Json, top = false): boolean {
  if (top && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    // Looks up the attributes read, rather than walking every key: cdktf's bodies are dictionary objects, slow to walk.
    if (value.dynamic !== undefined) return true;
    for (let i = 0; i < READ_ATTRIBUTES.length; i++) {
      const v = value[READ_ATTRIBUTES[i]];
      if (v !== undefined && mayHoldUnknown(v)) return true;
    }
    return false;
  }
  if (typeof value === 'string') return value.indexOf('{') >= 0 && isExpression(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (mayHoldUnknown(value[i])) return true;
    return false;
  }
  for (const k in value) {
    if (k === 'dynamic') return true;
    // A map key can be an expression too (`tmpfs = { (var.path) = "..." }`).
    if (k.indexOf('{') >= 0 && isExpression(k)) return true;
    if (mayHoldUnknown(value[k])) return true;
  }
  return false;
}

/** A reader for one resource body: the fast one when nothing in it can be unknown (no expression, no plan marks). */
function readerFor(where: string, body: Json, opts: AdapterOptions, general = false): Reader {
  const marks = opts.afterUnknown ?? NO_MARKS;
  return new Reader(where, marks, !general && marks === NO_MARKS && !mayHoldUnknown(body, true));
}

/** Reads every body with the general reader (tests compare it with the fast path). @internal */
export let forceGeneralReader = false;
/** @internal */
export function setForceGeneralReader(v: boolean): void {
  forceGeneralReader = v;
}

function hasDynamic(body: Json, key: string): boolean {
  const dyn = body?.dynamic;
  if (!dyn) return false;
  const list = Array.isArray(dyn) ? dyn : [dyn];
  return list.some((d: Json) => d && typeof d === 'object' && key in d);
}

/** The `dynamic` blocks named `key` of a body (hcl2json: `"dynamic": {"mounts": [{"for_each": ..., "content": ...}]}`). */
function dynamicBlocks(body: Json, key: string): Json[] {
  const dyn = body?.dynamic;
  if (!dyn) return [];
  const out: Json[] = [];
  for (const d of Array.isArray(dyn) ? dyn : [dyn]) {
    if (!d || typeof d !== 'object' || !(key in d)) continue;
    const v = d[key];
    if (Array.isArray(v)) out.push(...v);
    else out.push(v);
  }
  return out;
}

function mibToBytes(v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  return v <= 0 ? v : v * MIB;
}

/**
 * Suppressions that travel with the resource, nearest first: `hardened-docker.suppress.<rule-id>` labels of each
 * body in `labelled` (a service: its container spec, then the service), then the `//` metadata key cdktf-made
 * resources carry. Every one is kept as written, with its origin: the evaluator validates it (the one reason
 * validator, the profile's rule ids) and reports a refused one as a finding. A reason that is an expression, or
 * that a plan does not know, is marked unknown. A `//` entry of the wrong shape is an error, like any attribute.
 */
function readSuppressions(r: Reader, body: Json, labelled: Json[]): SpecSuppression[] {
  const out: SpecSuppression[] = [];
  for (const b of labelled) {
    for (const item of r.blocks(b, 'labels', 'labels')) {
      const key = item.label;
      if (typeof key === 'string' && isExpression(key)) {
        // Known only after apply: it may name a suppression, which is judged only when known (a token key got past the prefix check).
        out.push({ ruleId: '', reason: '', origin: `label ${JSON.stringify(key)}`, keyUnknown: true });
        continue;
      }
      if (typeof key !== 'string' || !key.startsWith(SUPPRESSION_LABEL_PREFIX)) continue;
      const reason = r.str(item, 'value', 'labels', NO_MARKS);
      const origin = `label ${JSON.stringify(key)}`; // quoted: a key may hold control characters
      const ruleId = key.slice(SUPPRESSION_LABEL_PREFIX.length);
      if (reason === undefined) out.push({ ruleId, reason: typeof item.value === 'string' ? item.value : '', origin, reasonUnknown: true });
      else out.push({ ruleId, reason, origin });
    }
  }
  const meta = body?.['//']?.[METADATA_KEY];
  if (meta === undefined || meta === null) return out;
  const form = `{"${METADATA_KEY}": {"suppressions": [{"ruleId": "no-privileged", "reason": "..."}]}}`;
  if (typeof meta !== 'object' || Array.isArray(meta)) {
    throw new AdapterError(`${r.where}: "//".${METADATA_KEY} must be an object, got ${JSON.stringify(meta)}; valid form: "//": ${form}`);
  }
  const list = meta.suppressions;
  if (list === undefined) return out;
  if (!Array.isArray(list)) {
    throw new AdapterError(`${r.where}: "//".${METADATA_KEY}.suppressions must be a list of {"ruleId", "reason"}, got ${JSON.stringify(list)}; valid form: "//": ${form}`);
  }
  list.forEach((s: Json, i: number) => {
    const at = `"//".${METADATA_KEY}.suppressions[${i}]`;
    if (s === null || typeof s !== 'object' || typeof s.ruleId !== 'string' || typeof s.reason !== 'string') {
      throw new AdapterError(`${r.where}: ${at} must be {"ruleId": "<rule id>", "reason": "<text>"}, got ${JSON.stringify(s)}`);
    }
    // Terraform never evaluates a `//` key: an expression there is text nobody resolves, only known after apply.
    out.push({ ruleId: s.ruleId, reason: s.reason, origin: `${at} ("//" key)`, reasonUnknown: isExpression(s.reason) || undefined });
  });
  return out;
}

function labelsFrom(r: Reader, body: Json, key: string): { [k: string]: string } | undefined {
  const blocks = r.blocks(body, key, 'labels');
  if (blocks.length === 0) return undefined;
  const out: { [k: string]: string } = {};
  for (const b of blocks) {
    const label = r.str(b, 'label', 'labels', NO_MARKS);
    const value = r.str(b, 'value', 'labels', NO_MARKS);
    if (label !== undefined && value !== undefined) out[label] = value;
  }
  return out;
}

function healthcheckFrom(r: Reader, hc: Json): HealthcheckSpec | undefined {
  if (!hc) return undefined;
  const test = r.strList(hc, 'test', 'healthcheck', NO_MARKS);
  if (test === undefined) return undefined;
  return {
    test,
    interval: r.str(hc, 'interval', 'healthcheck', NO_MARKS),
    timeout: r.str(hc, 'timeout', 'healthcheck', NO_MARKS),
    startPeriod: r.str(hc, 'start_period', 'healthcheck', NO_MARKS),
    retries: r.num(hc, 'retries', 'healthcheck', NO_MARKS),
  };
}

function mountsFrom(r: Reader, body: Json): { mounts: MountSpec[]; tmpfs: TmpfsSpec[] } {
  const mounts: MountSpec[] = [];
  const tmpfs: TmpfsSpec[] = [];
  const blocks = r.blocks(body, 'mounts', 'mounts');
  // A mount not listed (a dynamic block, an expression) may be a tmpfs: so may the tmpfs mounts have one more.
  if (r.unknown.hasWhole('mounts')) r.unknown.addLike('tmpfs', 'mounts');
  if (blocks.length === 0) return { mounts, tmpfs };
  const form = '{"type": "bind" | "volume" | "tmpfs", "target": "/path", "source": "...", "read_only": true}';
  const it = new ItemReader(r, 'mounts', 'mounts', form);
  const tit = new ItemReader(r, 'tmpfs', 'mounts', form);
  for (const m of blocks) {
    it.reset(m);
    const type = it.requiredStr('type', 'type');
    const target = it.requiredStr('target', 'target');
    const source = it.str('source', 'source');
    const readOnly = it.bool('read_only', 'readOnly');
    const bind = it.block('bind_options', ['propagation']);
    const propagation = bind ? it.str('propagation', 'propagation', bind) : undefined;
    mounts.push({ type, source, target, readOnly, propagation, unknown: it.unknown });
    if (it.has('type')) {
      // Whether it is a tmpfs is not known before apply.
      r.unknown.addLike('tmpfs', 'mounts');
      continue;
    }
    if (type !== 'tmpfs') continue;
    tit.reset(m);
    if (it.has('target')) {
      tit.mark('path');
      r.unknown.addLike('tmpfs', 'mounts', true);
    }
    const opts = tit.block('tmpfs_options', ['optionsBlock', 'options']);
    const parts: string[] = [];
    const size = opts ? tit.num('size_bytes', 'options', opts) : undefined;
    const mode = opts ? tit.num('mode', 'options', opts) : undefined;
    if (size !== undefined) parts.push(`size=${size}`);
    if (mode !== undefined) parts.push(`mode=${mode.toString(8)}`);
    tmpfs.push({
      path: target,
      options: parts.length ? parts.join(',') : undefined,
      fromMount: true,
      optionsBlock: tit.has('optionsBlock') ? undefined : opts !== undefined,
      unknown: tit.unknown,
    });
  }
  return { mounts, tmpfs };
}

/** The `volumes` blocks of a docker_container: binds (`host_path`), named volumes, and `from_container`. */
function volumesFrom(r: Reader, body: Json): MountSpec[] {
  const blocks = r.blocks(body, 'volumes', 'mounts');
  if (blocks.length === 0) return NO_MOUNTS;
  const volumes: MountSpec[] = [];
  const it = new ItemReader(r, 'mounts', 'volumes', '{"host_path": "/srv/data", "container_path": "/data", "read_only": true}');
  for (const v of blocks) {
    it.reset(v);
    // Which kind of volume it is follows from which attribute is written, known or not: an unknown volume_name is
    // still a named volume, never a host path.
    const type = v.host_path != null ? 'bind' : v.volume_name != null ? 'volume' : v.from_container != null ? 'volumes-from' : 'volume';
    const source = type === 'bind' ? it.str('host_path', 'source')
      : type === 'volumes-from' ? it.str('from_container', 'source')
        : it.str('volume_name', 'source');
    const target = it.str('container_path', 'target') ?? '';
    volumes.push({ type, source, target, readOnly: it.bool('read_only', 'readOnly'), propagation: undefined, unknown: it.unknown });
  }
  return volumes;
}

const NO_MOUNTS: MountSpec[] = Object.freeze([]) as unknown as MountSpec[];

/** One `docker_container` body to a spec. */
export function containerSpecFromContainer(name: string, body: Json, opts: AdapterOptions = {}): ContainerSpec {
  const address = opts.address ?? `docker_container.${name}`;
  const where = `${opts.file ? opts.file + ': ' : ''}${address}`;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AdapterError(`${where}: a resource must be an object of attributes, got ${JSON.stringify(body)}`);
  }
  const r = readerFor(where, body, opts, forceGeneralReader);

  const caps = r.block(body, 'capabilities', 'capAdd');
  if (r.unknown.has('capAdd')) r.unknown.addLike('capDrop', 'capAdd');

  const tmpfs = r.tmpfsMap(body);
  const fromMounts = mountsFrom(r, body);
  for (const t of fromMounts.tmpfs) tmpfs.push(t);
  const volumes = volumesFrom(r, body);

  const ports: PortSpec[] = [];
  const portBlocks = r.blocks(body, 'ports', 'ports');
  if (portBlocks.length) {
    const it = new ItemReader(r, 'ports', 'ports', '{"internal": 8080, "external": 8080, "ip": "127.0.0.1"}');
    for (const p of portBlocks) {
      it.reset(p);
      const internal = it.requiredNum('internal', 'internal');
      const external = it.num('external', 'external');
      const ip = it.str('ip', 'ip');
      const protocol = it.str('protocol', 'protocol');
      ports.push({ internal, external, ip, protocol, unknown: it.unknown });
    }
  }

  const ulimits: UlimitSpec[] = [];
  const ulimitBlocks = r.blocks(body, 'ulimit', 'ulimits');
  if (ulimitBlocks.length) {
    const it = new ItemReader(r, 'ulimits', 'ulimit', '{"name": "nofile", "soft": 1024, "hard": 2048}');
    for (const u of ulimitBlocks) {
      it.reset(u);
      const ulName = it.requiredStr('name', 'name');
      const soft = it.requiredNum('soft', 'soft');
      const hard = it.requiredNum('hard', 'hard');
      ulimits.push({ name: ulName, soft, hard, unknown: it.unknown });
    }
  }

  const devices: DeviceSpec[] = [];
  const deviceBlocks = r.blocks(body, 'devices', 'devices');
  if (deviceBlocks.length) {
    const it = new ItemReader(r, 'devices', 'devices', '{"host_path": "/dev/fuse", "container_path": "/dev/fuse", "permissions": "rwm"}');
    for (const d of deviceBlocks) {
      it.reset(d);
      const hostPath = it.requiredStr('host_path', 'hostPath');
      const containerPath = it.str('container_path', 'containerPath');
      const permissions = it.str('permissions', 'permissions');
      devices.push({ hostPath, containerPath, permissions, unknown: it.unknown });
    }
  }

  const networks = r.blocks(body, 'networks_advanced', 'networks')
    .map((n) => r.str(n, 'name', 'networks', NO_MARKS))
    .filter((n): n is string => n !== undefined);

  const labels = labelsFrom(r, body, 'labels');
  const memory = r.num(body, 'memory', 'memoryBytes');
  const swap = r.num(body, 'memory_swap', 'memorySwapBytes');

  const spec: ContainerSpec = {
    kind: ResourceKind.CONTAINER,
    source: opts.source ?? SpecSource.TERRAFORM_JSON,
    address,
    file: opts.file,
    constructPath: body['//']?.metadata?.path,
    name: r.str(body, 'name', 'name'),
    image: r.str(body, 'image', 'image'),
    user: r.str(body, 'user', 'user'),
    readOnly: r.bool(body, 'read_only', 'readOnly'),
    privileged: r.bool(body, 'privileged', 'privileged'),
    tmpfs: tmpfs.length ? tmpfs : undefined,
    capAdd: caps ? r.strList(caps, 'add', 'capAdd', NO_MARKS) : undefined,
    capDrop: caps ? r.strList(caps, 'drop', 'capDrop', NO_MARKS) : undefined,
    securityOpts: r.strList(body, 'security_opts', 'securityOpts'),
    memoryBytes: mibToBytes(memory),
    memorySwapBytes: mibToBytes(swap),
    cpuShares: r.num(body, 'cpu_shares', 'cpuShares'),
    cpuPeriod: r.num(body, 'cpu_period', 'cpuPeriod'),
    cpuQuota: r.num(body, 'cpu_quota', 'cpuQuota'),
    cpus: r.str(body, 'cpus', 'cpus'),
    ulimits: ulimits.length ? ulimits : undefined,
    restartPolicy: r.str(body, 'restart', 'restartPolicy'),
    maxRetryCount: r.num(body, 'max_retry_count', 'maxRetryCount'),
    healthcheck: healthcheckFrom(r, r.block(body, 'healthcheck', 'healthcheck')),
    ports: ports.length ? ports : undefined,
    publishAllPorts: r.bool(body, 'publish_all_ports', 'publishAllPorts'),
    gpus: r.str(body, 'gpus', 'gpus'),
    mounts: volumes.length + fromMounts.mounts.length ? [...volumes, ...fromMounts.mounts] : undefined,
    devices: devices.length ? devices : undefined,
    networkMode: r.mode(body, 'network_mode', 'networkMode'),
    networks: networks.length ? networks : undefined,
    pidMode: r.mode(body, 'pid_mode', 'pidMode'),
    ipcMode: r.mode(body, 'ipc_mode', 'ipcMode'),
    usernsMode: r.str(body, 'userns_mode', 'usernsMode'),
    cgroupnsMode: r.str(body, 'cgroupns_mode', 'cgroupnsMode'),
    cgroupParent: r.str(body, 'cgroup_parent', 'cgroupParent'),
    labels,
    logDriver: r.str(body, 'log_driver', 'logDriver'),
    logOpts: r.strMap(body, 'log_opts', 'logOpts'),
    init: r.bool(body, 'init', 'init'),
    sysctls: r.strMap(body, 'sysctls', 'sysctls'),
    runtime: r.str(body, 'runtime', 'runtime'),
    groupAdd: r.strList(body, 'group_add', 'groupAdd'),
    suppressions: undefined,
    unknown: undefined,
    listedInFull: undefined,
    unknownCauses: undefined,
  };
  return finish(spec, r, readSuppressions(r, body, [body]));
}

/**
 * The SELinux context of a docker_service (`task_spec.container_spec.privileges.se_linux_context`), as the security
 * options Docker would show for it: `label=disable`, `label=user:...`, `label=role:...`, `label=type:...`,
 * `label=level:...`. Undefined when there is none.
 */
function seLinuxOptionsFrom(r: Reader, containerSpec: Json): string[] | undefined {
  const privileges = r.block(containerSpec, 'privileges', 'securityOpts');
  const context = privileges ? r.block(privileges, 'se_linux_context', 'securityOpts') : undefined;
  if (context === undefined) return undefined;
  const out: string[] = [];
  if (r.bool(context, 'disable', 'securityOpts', NO_MARKS) === true) out.push('label=disable');
  for (const part of ['user', 'role', 'type', 'level']) {
    const value = r.str(context, part, 'securityOpts', NO_MARKS);
    if (value !== undefined && value !== '') out.push(`label=${part}:${value}`);
  }
  return out.length ? out : undefined;
}

/** One `docker_service` body (its task spec) to a spec. */
export function containerSpecFromService(name: string, body: Json, opts: AdapterOptions = {}): ContainerSpec {
  const address = opts.address ?? `docker_service.${name}`;
  const where = `${opts.file ? opts.file + ': ' : ''}${address}`;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AdapterError(`${where}: a resource must be an object of attributes, got ${JSON.stringify(body)}`);
  }
  const r = readerFor(where, body, opts, forceGeneralReader);
  const task = r.block(body, 'task_spec', 'image') ?? {};
  const cs = r.block(task, 'container_spec', 'image') ?? {};
  if (r.unknown.has('image')) {
    // A task or container spec that is an expression or a dynamic block: nothing in it is known before apply.
    for (const f of SERVICE_TASK_FIELDS) r.unknown.addLike(f, 'image');
  }
  const resources = r.block(task, 'resources', 'memoryBytes');
  const limits = resources ? r.block(resources, 'limits', 'memoryBytes') : undefined;
  if (r.unknown.has('memoryBytes')) r.unknown.addLike('nanoCpus', 'memoryBytes');
  const restart = r.block(task, 'restart_policy', 'restartPolicy');
  if (r.unknown.has('restartPolicy')) r.unknown.addLike('maxRetryCount', 'restartPolicy');
  const mode = r.block(body, 'mode', 'replicas');
  const replicated = mode ? r.block(mode, 'replicated', 'replicas') : undefined;
  const endpoint = r.block(body, 'endpoint_spec', 'ports');
  const fromMounts = mountsFrom(r, cs);
  const labels = labelsFrom(r, cs, 'labels');

  const ports: PortSpec[] = [];
  const portBlocks = endpoint ? r.blocks(endpoint, 'ports', 'ports') : NO_BLOCKS;
  if (portBlocks.length) {
    const it = new ItemReader(r, 'ports', 'ports', '{"target_port": 8080, "published_port": 8080}');
    for (const p of portBlocks) {
      it.reset(p);
      const publishMode = it.str('publish_mode', 'publishMode');
      const target = it.requiredNum('target_port', 'internal');
      const external = it.num('published_port', 'external');
      const protocol = it.str('protocol', 'protocol');
      // Swarm has no host-interface binding: ingress and host mode both publish on every interface.
      ports.push({ internal: target, external, ip: '0.0.0.0', protocol, publishMode, unknown: it.unknown });
    }
  }
  const networks = r.blocks(task, 'networks_advanced', 'networks')
    .map((n) => r.str(n, 'name', 'networks', NO_MARKS))
    .filter((n): n is string => n !== undefined);

  const spec: ContainerSpec = {
    kind: ResourceKind.SERVICE,
    source: opts.source ?? SpecSource.TERRAFORM_JSON,
    address,
    file: opts.file,
    constructPath: body['//']?.metadata?.path,
    name: r.str(body, 'name', 'name'),
    image: r.str(cs, 'image', 'image', NO_MARKS),
    user: r.str(cs, 'user', 'user', NO_MARKS),
    readOnly: r.bool(cs, 'read_only', 'readOnly', NO_MARKS),
    tmpfs: fromMounts.tmpfs.length ? fromMounts.tmpfs : undefined,
    capAdd: r.strList(cs, 'cap_add', 'capAdd', NO_MARKS),
    capDrop: r.strList(cs, 'cap_drop', 'capDrop', NO_MARKS),
    securityOpts: seLinuxOptionsFrom(r, cs),
    memoryBytes: limits ? r.num(limits, 'memory_bytes', 'memoryBytes', NO_MARKS) : undefined,
    nanoCpus: limits ? r.num(limits, 'nano_cpus', 'nanoCpus', NO_MARKS) : undefined,
    restartPolicy: restart ? r.str(restart, 'condition', 'restartPolicy', NO_MARKS) : undefined,
    maxRetryCount: restart ? r.num(restart, 'max_attempts', 'maxRetryCount', NO_MARKS) : undefined,
    healthcheck: healthcheckFrom(r, r.block(cs, 'healthcheck', 'healthcheck')),
    ports: ports.length ? ports : undefined,
    mounts: fromMounts.mounts.length ? fromMounts.mounts : undefined,
    networks: networks.length ? networks : undefined,
    labels,
    sysctls: r.strMap(cs, 'sysctl', 'sysctls', NO_MARKS),
    groupAdd: r.strList(cs, 'groups', 'groupAdd', NO_MARKS),
    init: undefined,
    replicas: replicated ? r.num(replicated, 'replicas', 'replicas', NO_MARKS) : undefined,
    suppressions: undefined,
    unknown: undefined,
    listedInFull: undefined,
    unknownCauses: undefined,
  };
  // The service's own labels are read for what they make unknown (an expression), as before.
  labelsFrom(r, body, 'labels');
  return finish(spec, r, readSuppressions(r, body, [cs, body]));
}

/** The fields a docker_service reads from its task spec. */
const SERVICE_TASK_FIELDS: SpecField[] = [
  'image', 'user', 'readOnly', 'tmpfs', 'capAdd', 'capDrop', 'securityOpts', 'memoryBytes', 'nanoCpus', 'restartPolicy',
  'maxRetryCount', 'healthcheck', 'mounts', 'networks', 'labels', 'sysctls', 'groupAdd',
];

function finish(spec: ContainerSpec, r: Reader, suppressions: SpecSuppression[]): ContainerSpec {
  // Every key of the literal stays, set or undefined: all specs of a kind share one shape, so the rules' reads are
  // fast. (Copying only the set keys made each spec a slow dictionary object past a dozen keys.)
  const out = spec as { -readonly [K in keyof ContainerSpec]: ContainerSpec[K] };
  if (suppressions.length) out.suppressions = suppressions;
  if (r.unknown.size) {
    out.unknown = r.unknown.sorted();
    out.listedInFull = r.unknown.listedInFull();
    out.unknownCauses = r.unknown.unknownValues();
  }
  return spec;
}

/** One resource found in a Terraform JSON document. */
export interface TerraformResourceRef {
  readonly type: 'docker_container' | 'docker_service';
  readonly name: string;
  readonly body: Json;
  /** The full address (`module.web["a"].docker_container.app[0]`), when it is not `<type>.<name>`. */
  readonly address?: string;
}

/**
 * The docker_container and docker_service resources of one Terraform JSON document, in file order.
 * Accepts cdktf's `{resource: {type: {name: body}}}`, hcl2json's one-element lists, and `resource` as a list.
 */
export function dockerResources(doc: Json, file?: string): TerraformResourceRef[] {
  const where = file ?? 'Terraform JSON';
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new AdapterError(`${where}: expected a Terraform JSON object ({"resource": {...}}), got ${Array.isArray(doc) ? 'a list' : JSON.stringify(doc)}`);
  }
  const out: TerraformResourceRef[] = [];
  const resourceBlocks = doc.resource === undefined ? [] : Array.isArray(doc.resource) ? doc.resource : [doc.resource];
  for (const block of resourceBlocks) {
    if (block === null || typeof block !== 'object' || Array.isArray(block)) {
      throw new AdapterError(`${where}: "resource" must be an object of resource types, got ${JSON.stringify(block)}`);
    }
    for (const type of ['docker_container', 'docker_service'] as const) {
      const byName = block[type];
      if (byName === undefined) continue;
      const maps = Array.isArray(byName) ? byName : [byName];
      for (const m of maps) {
        if (m === null || typeof m !== 'object' || Array.isArray(m)) {
          throw new AdapterError(`${where}: "resource.${type}" must map resource names to bodies, got ${JSON.stringify(m)}`);
        }
        for (const [name, body] of Object.entries(m)) {
          // hcl2json writes each resource as a one-element list.
          const bodies = Array.isArray(body) ? body : [body];
          for (const b of bodies) out.push({ type, name, body: b });
        }
      }
    }
  }
  return out;
}

/**
 * Every docker_container and docker_service of a Terraform JSON document as specs. docker_container bodies whose
 * settings are the same apart from their name and construct path are read once (see SharedReading).
 */
export function specsFromTerraformJson(doc: Json, opts: AdapterOptions = {}): ContainerSpec[] {
  const shared = new SharedReading(opts);
  return dockerResources(doc, opts.file).map((ref) => shared.spec(ref));
}

/** The spec whose reading a spec shares (itself for the first of its settings); undefined when not shared. */
const SHARED_SETTINGS = new WeakMap<ContainerSpec, ContainerSpec>();

/**
 * The first spec read with the same settings as `spec`, when SharedReading made it: specs with the same one have
 * equal settings, so a rule that reads only settings gives them the same result (evaluate reuses it).
 */
export function sharedSettingsOf(spec: ContainerSpec): ContainerSpec | undefined {
  return SHARED_SETTINGS.get(spec);
}

/**
 * Reads docker_container bodies, once per distinct settings. cdktf writes every replica, and every resource a loop
 * makes, with the same attributes apart from the resource name, `name` and the construct path; a Terraform JSON file
 * of thousands of containers has few distinct settings. Two bodies share a reading when every attribute other than
 * `name` and the `//` comment is equal, in the same order, and in the `//` comment the suppressions are equal and the
 * construct path is present in both or neither (see settingsShape); a repeat copies the first spec with its own
 * address, name and construct path. The specs equal reading every body alone (a property test compares them). Only
 * bodies with a literal `name` (no expression) are shared. A body is compared with the first bodies read with its
 * image (at most SHARED_PER_IMAGE of them); after 256 bodies with fewer than 1 in 8 repeats, sharing stops, so a
 * document of all-different containers pays for 256 comparisons only.
 */
export class SharedReading {
  /** The first bodies of each distinct settings, by image: the image tells most settings apart at once. */
  private readonly firsts = new Map<unknown, FirstReading[]>();
  private keyed = 0;
  private repeats = 0;

  constructor(private readonly opts: AdapterOptions = {}) {}

  public spec(ref: TerraformResourceRef): ContainerSpec {
    const body = ref.body;
    if (ref.type !== 'docker_container' || !this.keying() || !shareable(body)) return specFromResource(ref, this.opts);
    this.keyed++;
    let firsts = this.firsts.get(body.image);
    let first: FirstReading | undefined;
    for (let i = 0; first === undefined && firsts !== undefined && i < firsts.length; i++) {
      if (matches(firsts[i].settings, body)) first = firsts[i];
    }
    if (first === undefined) {
      const spec = specFromResource(ref, this.opts);
      if (firsts === undefined) this.firsts.set(body.image, firsts = []);
      if (firsts.length < SHARED_PER_IMAGE) {
        firsts.push({ settings: settingsShape(body), spec });
        SHARED_SETTINGS.set(spec, spec);
      }
      return spec;
    }
    this.repeats++;
    const out: any = { ...first.spec };
    out.address = ref.address ?? `docker_container.${ref.name}`;
    const name = body.name;
    if (name !== undefined) out.name = name;
    const path = body['//']?.metadata?.path;
    if (path !== undefined) out.constructPath = path;
    SHARED_SETTINGS.set(out, first.spec);
    return out as ContainerSpec;
  }

  private keying(): boolean {
    return this.keyed < 256 || this.repeats * 8 >= this.keyed;
  }
}

/** The settings of a body SharedReading read first (see settingsShape), and its spec. */
interface FirstReading {
  readonly settings: Shape;
  readonly spec: ContainerSpec;
}

/** How many distinct settings of one image SharedReading keeps to compare with: more would make each lookup a long scan. */
const SHARED_PER_IMAGE = 16;

/**
 * Whether a docker_container body can share a reading: an object, whose `name` is absent or a literal string (an
 * expression is unknown: the spec lists it), and whose construct path (`//`.metadata.path) is absent or a string.
 */
function shareable(body: Json): boolean {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const name = body.name;
  if (name !== undefined && (typeof name !== 'string' || name.indexOf('{') >= 0 || name.indexOf('%') >= 0)) return false;
  const path = body['//']?.metadata?.path;
  return path === undefined || typeof path === 'string';
}

/**
 * A parsed JSON value made ready to compare many others with (see matches): an object's keys in order with their
 * values, a list's items, any other value itself; and, in a body's settings, `name` (any value) and the `//` comment
 * (whether it has a construct path, and its suppressions).
 */
type Shape =
  | { readonly kind: 'value'; readonly value: Json }
  | { readonly kind: 'list'; readonly items: Shape[] }
  | { readonly kind: 'object'; readonly keys: string[]; readonly values: Shape[] }
  | { readonly kind: 'any' }
  | { readonly kind: 'comment'; readonly hasPath: boolean; readonly suppressions: Shape };

function shapeOf(value: Json): Shape {
  if (value === null || typeof value !== 'object') return { kind: 'value', value };
  if (Array.isArray(value)) return { kind: 'list', items: value.map(shapeOf) };
  const keys = Object.keys(value);
  return { kind: 'object', keys, values: keys.map((k) => shapeOf(value[k])) };
}

/**
 * The settings of a shareable body: every attribute, in order, equal as JSON, except `name` (any value, but present
 * or absent alike) and the `//` comment, of which only the suppressions and whether there is a construct path count.
 */
function settingsShape(body: Json): Shape {
  const keys = Object.keys(body);
  return {
    kind: 'object',
    keys,
    values: keys.map((k): Shape => {
      if (k === 'name') return { kind: 'any' };
      if (k !== '//') return shapeOf(body[k]);
      const comment = body[k];
      return { kind: 'comment', hasPath: comment?.metadata?.path !== undefined, suppressions: shapeOf(comment?.[METADATA_KEY]) };
    }),
  };
}

/** Whether a parsed JSON value has a shape: objects with the same keys in the same order, lists item by item. */
function matches(shape: Shape, value: Json): boolean {
  switch (shape.kind) {
    case 'value':
      return shape.value === value;
    case 'any':
      return true;
    case 'comment':
      return (value?.metadata?.path !== undefined) === shape.hasPath && matches(shape.suppressions, value?.[METADATA_KEY]);
    case 'list': {
      const items = shape.items;
      if (!Array.isArray(value) || value.length !== items.length) return false;
      for (let i = 0; i < items.length; i++) if (!matches(items[i], value[i])) return false;
      return true;
    }
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
      const { keys, values } = shape;
      // for...in, not Object.keys: no list made per object compared. It walks the same keys in the same order.
      let i = 0;
      for (const k in value) {
        if (i === keys.length || k !== keys[i] || !matches(values[i], value[k])) return false;
        i++;
      }
      return i === keys.length;
    }
  }
}

/** One resource to a spec. */
export function specFromResource(ref: TerraformResourceRef, opts: AdapterOptions = {}): ContainerSpec {
  if (ref.address !== undefined) opts = { ...opts, address: ref.address };
  return ref.type === 'docker_container'
    ? containerSpecFromContainer(ref.name, ref.body, opts)
    : containerSpecFromService(ref.name, ref.body, opts);
}

/**
 * Parses Terraform JSON text as Terraform reads it (repeated keys kept and merged), with an error that names the
 * file, line and column (`file:3:7: malformed JSON: ...`). See terraform/json-reader.ts.
 */
export { parseTerraformJson } from './terraform/json-reader';
