/**
 * The reader of one resource body: each attribute read as a spec field, or recorded as unknown with its cause.
 */
import { AdapterError, AdapterOptions, dynamicBlocks, hasDynamic, isExpression, Json, NO_BLOCKS, NO_MARKS, unescapeTemplate } from './common';
import { mayHoldUnknown } from './unknown-scan';
import { TmpfsSpec, UnknownCause, UnknownValue } from '../container-spec';
import { SpecField } from '../fields';
import { CAUSE_ORDER, unknownCausesOf } from '../unknown-causes';

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
export class Reader {
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

/** A reader for one resource body: the fast one when nothing in it can be unknown (no expression, no plan marks). */
export function readerFor(where: string, body: Json, opts: AdapterOptions): Reader {
  const marks = opts.afterUnknown ?? NO_MARKS;
  return new Reader(where, marks, marks === NO_MARKS && (opts.scannedPlain === true || !mayHoldUnknown(body, true)));
}
