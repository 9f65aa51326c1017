/**
 * Merges the positioned reader's tree (json-parser.ts), which keeps repeated keys, into the plain JSON the adapter
 * reads, as Terraform does: a repeated block type is one more block, a repeated argument an error.
 */
import { BlockSchema, BodySchema, OPEN_BODY } from './json-blocks';
import { excerpt, JArray, JObject, JValue, Positions } from './json-parser';

type Json = any;

/** Where a value starts: its own offset for an object or list, else `fallback` (its key's). */
function offsetOf(v: JValue, fallback: number): number {
  return v instanceof JObject || v instanceof JArray ? v.at : fallback;
}

/** Sets a property as data, even `__proto__` (which plain assignment would take as the prototype). */
function define(obj: Json, key: string, value: Json): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** The keys of an object in first-occurrence order, each with the indexes of its occurrences. */
function groupKeys(o: JObject): Array<[string, number[]]> {
  const keys = o.keys;
  if (!o.repeats) return keys.map((k, i) => [k, [i]]);
  const groups = new Map<string, number[]>();
  for (let i = 0; i < keys.length; i++) {
    const seen = groups.get(keys[i]);
    if (seen) seen.push(i);
    else groups.set(keys[i], [i]);
  }
  return [...groups];
}

/** A value that can hold blocks: an object, or a list of objects. */
function blockShaped(v: JValue): boolean {
  return v instanceof JObject || (v instanceof JArray && v.items.every((x) => x instanceof JObject));
}

/** Plain values of one or more occurrences as one list: each object is one item, each list gives its items, null none. */
function concat(values: Json[]): Json[] {
  const out: Json[] = [];
  for (const v of values) {
    if (v === null || v === undefined) continue;
    // A loop, not push(...v): spreading a list of 200,000 blocks as arguments overflows the stack.
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) out.push(v[i]);
    else out.push(v);
  }
  return out;
}

/** Merges a JSON tree that keeps repeated keys into the plain JSON the adapter reads, as Terraform reads it. */
export class Merger {
  /** Declarations seen (`resource docker_container.web`) and where. */
  private readonly declared = new Map<string, number>();
  /** The `dynamic` block type of each body schema that allows it. */
  private readonly dynamicBlocks = new WeakMap<BodySchema, BlockSchema>();

  constructor(private readonly positions: Positions) {}

  /** Plan or state JSON: Terraform writes every key once, so a repeated one is an error. */
  public plan(v: JValue): Json {
    if (v instanceof JArray) return v.items.map((x) => this.plan(x));
    if (!(v instanceof JObject)) return v;
    const out: Json = {};
    const groups = groupKeys(v);
    for (const [key, idx] of groups) {
      if (idx.length > 1) {
        this.positions.fail(v.keyAt[idx[1]], `Duplicate key ${excerpt(key)} in plan JSON (first at ${this.positions.at(v.keyAt[idx[0]])}): `
          + 'Terraform writes each key once; this file was changed by hand');
      }
      define(out, key, this.plan(v.values[idx[0]]));
    }
    return out;
  }

  /**
   * A body: arguments and blocks as `schema` says. `where` names it in messages (`docker_container.web`); `declares`
   * makes each argument a declaration unique in the file (`local value`).
   */
  public body(v: JValue, schema: BodySchema, where: string, declares?: string): Json {
    if (v instanceof JArray) return v.items.map((x) => this.body(x, schema, where, declares));
    if (!(v instanceof JObject)) return v;
    const out: Json = {};
    for (const [key, idx] of groupKeys(v)) {
      const values = idx.map((i) => v.values[i]);
      const at = idx.map((i) => v.keyAt[i]);
      if (key === '//') {
        // Terraform ignores comment keys in bodies; the adapter reads cdktf's metadata there. Like JSON.parse: the last.
        define(out, key, this.plain(values[values.length - 1]));
        continue;
      }
      if (declares) {
        for (const a of at) this.declare(`${declares} ${key}`, a, () => `Duplicate ${declares} definition: a ${declares} named ${excerpt(key)}`);
      }
      const block = ownBlock(schema, key) ?? (key === 'dynamic' && schema.dynamic ? this.dynamicBlock(schema) : undefined);
      if (block) {
        define(out, key, this.blockOccurrences(values, at, block, key, where));
      } else if (values.length === 1) {
        define(out, key, schema.open ? this.open(values[0], where) : this.expression(values[0], where));
      } else if (schema.open && values.every(blockShaped)) {
        define(out, key, concat(values.map((x) => this.open(x, where))));
      } else {
        this.positions.fail(at[1], `Duplicate argument ${excerpt(key)}${inWhere(where)}: it was already set at ${this.positions.at(at[0])}; `
          + 'Terraform refuses an argument set twice (write it once)');
      }
    }
    return out;
  }

  /** One or more occurrences of a block type's key in a body. */
  private blockOccurrences(values: JValue[], at: number[], block: BlockSchema, type: string, where: string): Json {
    if (block.single) {
      // Count the blocks: the second one, whichever occurrence holds it, is Terraform's error.
      let first: number | undefined;
      for (let k = 0; k < values.length; k++) {
        const v = values[k];
        const starts = v instanceof JArray ? v.items.map((x) => offsetOf(x, at[k])) : v === null ? [] : [at[k]];
        for (const s of starts) {
          if (first === undefined) {
            first = s;
            continue;
          }
          this.positions.fail(s, `Too many ${excerpt(type)} blocks${inWhere(where)}: no more than 1 is allowed (the first is at `
            + `${this.positions.at(first)}); write one block, as an object {...}`);
        }
      }
    }
    const converted = values.map((v, k) => this.labelLevel(v, block, type, [], where, at[k]));
    return values.length === 1 ? converted[0] : concat(converted);
  }

  /** A block type's value: label levels (objects keyed by label) down to the body or bodies. */
  private labelLevel(v: JValue, block: BlockSchema, type: string, labels: string[], where: string, at: number): Json {
    if (labels.length === (block.labels ?? 0)) return this.instances(v, block, type, labels, where, at);
    if (v instanceof JArray) return v.items.map((x) => this.labelLevel(x, block, type, labels, where, x instanceof JObject ? x.at : at));
    if (!(v instanceof JObject)) return this.plain(v);
    const out: Json = {};
    for (const [label, idx] of groupKeys(v)) {
      const converted = idx.map((i) => this.labelLevel(v.values[i], block, type, [...labels, label], where, v.keyAt[i]));
      define(out, label, idx.length === 1 ? converted[0] : concat(converted));
    }
    return out;
  }

  /** The body (an object) or bodies (a list) of blocks whose labels are all read. */
  private instances(v: JValue, block: BlockSchema, type: string, labels: string[], where: string, at: number): Json {
    const schema = typeof block.body === 'function' ? block.body(labels) : block.body;
    // Messages name a body as Terraform addresses it: `docker_container.web`, `module.app`, `docker_container.web.mounts`.
    const name = type === 'resource' ? labels.join('.') : [...(where ? [where] : []), type, ...labels].join('.');
    const one = (x: JValue, xAt: number) => {
      if (block.declares && x !== null) {
        const what = block.declares.what;
        const id = labels.slice(0, block.declares.labels);
        this.declare(`${type} ${id.join('.')}`, xAt, () => (id.length > 1
          ? `Duplicate ${what} ${excerpt(id[0])} configuration: a ${short(id[0])} ${what} named ${excerpt(id[1])}`
          : `Duplicate ${what} declaration: a ${what} named ${excerpt(id[0])}`));
      }
      return this.body(x, schema, name, block.declaresArguments);
    };
    if (v instanceof JArray) {
      if (block.single && v.items.length > 1) {
        const second = v.items[1];
        this.positions.fail(offsetOf(second, at),
          `Too many ${excerpt(type)} blocks${inWhere(where)}: no more than 1 is allowed; write one block, as an object {...}`);
      }
      return v.items.map((x) => one(x, offsetOf(x, at)));
    }
    return one(v, at);
  }

  /** Records a declaration; the second of one name is Terraform's error, at its position. */
  private declare(id: string, at: number, what: () => string): void {
    const first = this.declared.get(id);
    if (first === undefined) {
      this.declared.set(id, at);
      return;
    }
    this.positions.fail(at, `${what()} was already declared at ${this.positions.at(first)}; `
      + 'names must be unique in a module');
  }

  /** The `dynamic` block type of a body: labelled by the block type it makes, its `content` of that type's schema. */
  private dynamicBlock(parent: BodySchema): BlockSchema {
    let block = this.dynamicBlocks.get(parent);
    if (!block) {
      block = {
        labels: 1,
        body: (labels) => {
          const made = ownBlock(parent, labels[0]);
          const content = made && typeof made.body !== 'function' ? made.body : OPEN_BODY;
          return { blocks: { content: { single: true, body: content } } };
        },
      };
      this.dynamicBlocks.set(parent, block);
    }
    return block;
  }

  /** A value in a body whose schema is not known: an object may be a body (block) or an object (argument). */
  private open(v: JValue, where: string): Json {
    if (v instanceof JObject) return this.body(v, OPEN_BODY, where);
    if (v instanceof JArray) return v.items.map((x) => this.open(x, where));
    return v;
  }

  /** An argument's value. A key repeated in an object is Terraform's "Duplicate object attribute". */
  private expression(v: JValue, where: string): Json {
    if (v instanceof JArray) return v.items.map((x) => this.expression(x, where));
    if (!(v instanceof JObject)) return v;
    const out: Json = {};
    for (const [key, idx] of groupKeys(v)) {
      // A key with an interpolation is only known once evaluated: Terraform compares the results, not the text.
      if (idx.length > 1 && !/(^|[^$])\$\{/.test(key)) {
        this.positions.fail(v.keyAt[idx[1]], `Duplicate object attribute ${excerpt(key)}${inWhere(where)}: it was already defined at `
          + `${this.positions.at(v.keyAt[idx[0]])}; Terraform refuses an object with a key given twice`);
      }
      define(out, key, this.expression(v.values[idx[idx.length - 1]], where));
    }
    return out;
  }

  /** A value taken as JSON.parse takes it (the last of a repeated key). */
  private plain(v: JValue): Json {
    if (v instanceof JArray) return v.items.map((x) => this.plain(x));
    if (!(v instanceof JObject)) return v;
    const out: Json = {};
    for (const [key, idx] of groupKeys(v)) define(out, key, this.plain(v.values[idx[idx.length - 1]]));
    return out;
  }
}

/** The block type `key` of a body, if it is one (never an inherited property: `__proto__`, `toString`). */
function ownBlock(schema: BodySchema, key: string): BlockSchema | undefined {
  return Object.prototype.hasOwnProperty.call(schema.blocks, key) ? schema.blocks[key] : undefined;
}

/** A name from the input for messages, unquoted: escaped, and at most 80 characters of it. */
function short(name: string): string {
  return JSON.stringify(name.length > 80 ? name.slice(0, 80) + '…' : name).slice(1, -1);
}

/** ` in docker_container.web` for messages. */
function inWhere(where: string): string {
  return where ? ` in ${short(where)}` : '';
}
