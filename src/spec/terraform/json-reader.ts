import { AdapterError } from '../terraform-adapter';
import {
  BlockSchema, BodySchema, CONFIGURATION_FILE, DOCKER_CONTAINER_BODY, DOCKER_SERVICE_BODY, OPEN_BODY,
} from './json-blocks';

/**
 * Reads Terraform JSON as Terraform does.
 *
 * `JSON.parse` keeps only the last of a repeated key, but in Terraform's JSON syntax a repeated key of a block type
 * is one more block, at every level (`resource`, a resource type, `volumes`, `mounts`...): a privileged container or
 * a docker.sock bind written under a repeated key would vanish while Terraform creates it. Here a repeated block type
 * becomes a list of all its blocks, a repeated argument is Terraform's "Duplicate argument" error, a second resource
 * of one type and name is "Duplicate resource", each with the file, line and column of the second occurrence.
 *
 * Most files have no repeated key, and a hand-written parser is several times slower than `JSON.parse`. So
 * `JSON.parse` reads first, and a cheap count proves there is no repeated key (see `provablyPlain`); only when the
 * count differs, the text is malformed, nested too deep or holds a number out of range does the positioned reader
 * (`readJsonDocument`) run.
 */

type Json = any;

/** The deepest nesting of arrays and objects read; deeper is an error with its position, never a stack overflow. */
export const MAX_JSON_DEPTH = 1000;

/** Parses Terraform JSON (or plan JSON) text; an AdapterError names the file, line and column of any problem. */
export function parseTerraformJson(text: string, file: string): Json {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let doc: Json;
  try {
    doc = JSON.parse(body);
  } catch {
    return readJsonDocument(body, file); // throws the positioned error
  }
  return provablyPlain(body, doc) ? doc : readJsonDocument(body, file);
}

/**
 * True when `doc`, parsed from `text` by `JSON.parse`, is what Terraform reads and safe to walk: no object in the text
 * has a repeated key, nothing is nested deeper than MAX_JSON_DEPTH, every number is finite, no declaration block
 * (`resource`, `variable`...) is given as a list of more than one (which could declare one name twice), and no single
 * block type's key (`capabilities`) holds a list of more than one.
 *
 * No repeated key, because every key of the text ends in a double quote not escaped (preceded by an even number of
 * backslashes), then optional whitespace, then `:`. Counting such colons counts every key, and may count more (a
 * string value that starts with `:`), never fewer; `JSON.parse` makes one property per distinct key of an object.
 * So keys counted <= properties parsed can only hold with no key repeated (a property test checks this).
 */
export function provablyPlain(text: string, doc: Json): boolean {
  const properties = countDocument(doc);
  return properties >= 0 && countKeyTokens(text) <= properties;
}

/** Declaration blocks and their number of labels: a list of more than one of them, at any label level, may repeat a name. */
const DECLARING = new Map<string, number>(Object.entries(CONFIGURATION_FILE.blocks)
  .filter(([, b]) => b.declares || b.declaresArguments).map(([type, b]) => [type, b.labels ?? 0]));

/** Every single block type's name (MaxItems 1, in any body): a list of more than one under one of them goes the slow way. */
const SINGLE_BLOCKS = new Set<string>();
(function collectSingle(schema: BodySchema): void {
  for (const [type, block] of Object.entries(schema.blocks)) {
    if (block.single) SINGLE_BLOCKS.add(type);
    if (typeof block.body === 'object') collectSingle(block.body);
  }
})({ blocks: { ...DOCKER_CONTAINER_BODY.blocks, ...DOCKER_SERVICE_BODY.blocks } });

/**
 * The properties of every object of a parsed document, or -1 when it must be read the positioned way (see
 * provablyPlain). One walk; the top-level declaration blocks are walked knowing their label levels.
 */
function countDocument(doc: Json): number {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return countProperties(doc, 1, false);
  // Plan and state JSON (as readJsonDocument tells them): blocks are lists there, and `resources` lists every resource.
  const own = (k: string) => Object.prototype.hasOwnProperty.call(doc, k);
  const singles = !own('format_version') || own('resource');
  let n = 0;
  for (const k in doc) {
    n++;
    const v = doc[k];
    const labels = DECLARING.get(k);
    const inner = labels === undefined ? countValue(v, 2, singles) : countLabels(v, labels, 2);
    if (inner < 0) return -1;
    n += inner;
  }
  return n;
}

/** The label levels of a declaration block: objects keyed by label, then the body; a list of more than one is -1. */
function countLabels(value: Json, labelsLeft: number, depth: number): number {
  if (value === null || typeof value !== 'object') return countValue(value, depth, true);
  if (depth > MAX_JSON_DEPTH) return -1;
  if (Array.isArray(value)) {
    if (value.length > 1) return -1;
    return value.length ? countLabels(value[0], labelsLeft, depth + 1) : 0;
  }
  if (labelsLeft === 0) return countProperties(value, depth, true);
  let n = 0;
  for (const label in value) {
    n++;
    const inner = countLabels(value[label], labelsLeft - 1, depth + 1);
    if (inner < 0) return -1;
    n += inner;
  }
  return n;
}

function countValue(value: Json, depth: number, singles: boolean): number {
  if (typeof value === 'object') return value === null ? 0 : countProperties(value, depth, singles);
  return typeof value === 'number' && value - value !== 0 ? -1 : 0;
}

/**
 * The properties of every object in a parsed object or list at `depth`; -1 when nested deeper than MAX_JSON_DEPTH, a
 * number is not finite, or a single block type's key holds a list of more than one.
 */
function countProperties(value: Json, depth: number, singles: boolean): number {
  if (depth > MAX_JSON_DEPTH) return -1;
  let n = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const x = value[i];
      if (typeof x === 'object') {
        if (x === null) continue;
        const inner = countProperties(x, depth + 1, singles);
        if (inner < 0) return -1;
        n += inner;
      } else if (typeof x === 'number' && x - x !== 0) {
        return -1;
      }
    }
    return n;
  }
  for (const k in value) {
    n++;
    const x = value[k];
    if (typeof x === 'object') {
      if (x === null) continue;
      if (singles && x.length > 1 && SINGLE_BLOCKS.has(k) && Array.isArray(x)) return -1;
      const inner = countProperties(x, depth + 1, singles);
      if (inner < 0) return -1;
      n += inner;
    } else if (typeof x === 'number' && x - x !== 0) {
      return -1;
    }
  }
  return n;
}

/** The colons of `text` preceded (after optional JSON whitespace) by a double quote that no backslash escapes. */
export function countKeyTokens(text: string): number {
  let n = 0;
  for (let i = text.indexOf(':'); i !== -1; i = text.indexOf(':', i + 1)) {
    let j = i - 1;
    let c = text.charCodeAt(j);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(--j);
    if (c !== 0x22) continue;
    let backslashes = 0;
    while (text.charCodeAt(j - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) n++;
  }
  return n;
}

/**
 * Reads JSON text keeping every repeated key and its position, then merges it as Terraform does (plan or state JSON,
 * which Terraform writes without repeated keys, gets an error for one). Throws an AdapterError
 * `file:line:column: ...` for malformed JSON, nesting deeper than MAX_JSON_DEPTH, a number out of range, a duplicate
 * argument or declaration, and a single block given twice.
 */
export function readJsonDocument(text: string, file: string): Json {
  const positions = new Positions(text, file);
  const parsed = new Parser(text, positions).document();
  const merger = new Merger(positions);
  if (parsed instanceof JObject && parsed.keys.includes('format_version') && !parsed.keys.includes('resource')) {
    return merger.plan(parsed);
  }
  return merger.body(parsed, CONFIGURATION_FILE, '');
}

/** An object as written: every key in order, repeated ones too, with the offset of each. */
class JObject {
  /** Whether a key occurs more than once. */
  public readonly repeats: boolean;

  constructor(readonly at: number, readonly keys: string[], readonly keyAt: number[], readonly values: JValue[]) {
    this.repeats = hasRepeats(keys);
  }
}

/** True when a list of keys has one twice: compared pairwise when short, through a Set when long. */
function hasRepeats(keys: string[]): boolean {
  const n = keys.length;
  if (n > 12) return new Set(keys).size < n;
  for (let i = 1; i < n; i++) {
    for (let k = 0; k < i; k++) if (keys[i] === keys[k]) return true;
  }
  return false;
}

class JArray {
  constructor(readonly at: number, readonly items: JValue[]) {}
}

type JValue = JObject | JArray | string | number | boolean | null;

/** Line and column of offsets, for messages. */
class Positions {
  constructor(readonly text: string, readonly file: string) {}

  /** `line:column` of an offset, both from 1; columns count characters (code points). */
  public at(offset: number): string {
    const before = this.text.slice(0, offset);
    const lineStart = before.lastIndexOf('\n') + 1;
    let line = 1;
    for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line++;
    let column = 1;
    for (const _ of before.slice(lineStart)) column++;
    return `${line}:${column}`;
  }

  public fail(offset: number, message: string): never {
    throw new AdapterError(`${this.file}:${this.at(offset)}: ${message}`);
  }
}

/** A short, escaped excerpt for messages: never more than 40 characters of the input. */
function excerpt(s: string): string {
  return JSON.stringify(s.length > 40 ? s.slice(0, 40) + '…' : s);
}

/** A recursive-descent JSON parser (RFC 8259) that keeps repeated keys and offsets. */
class Parser {
  private i = 0;
  private depth = 0;
  private readonly t: string;
  /** The first number out of range: reported once the text is known to be JSON (a syntax error comes first). */
  private outOfRange?: { at: number; text: string };

  constructor(text: string, private readonly positions: Positions) {
    this.t = text;
  }

  public document(): JValue {
    this.ws();
    const v = this.value('a JSON value');
    this.ws();
    if (this.i < this.t.length) this.unexpected('the end of input after the JSON value');
    if (this.outOfRange) {
      this.positions.fail(this.outOfRange.at, `number ${excerpt(this.outOfRange.text)} is out of range: a number must fit a 64-bit `
        + 'float (at most about 1.8e308); Terraform refuses it for any number argument of the Docker provider');
    }
    return v;
  }

  private ws(): void {
    const t = this.t;
    let c = t.charCodeAt(this.i);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = t.charCodeAt(++this.i);
  }

  private unexpected(expected: string): never {
    if (this.i >= this.t.length) return this.positions.fail(this.t.length, `malformed JSON: unexpected end of input (expected ${expected})`);
    const ch = String.fromCodePoint(this.t.codePointAt(this.i)!);
    return this.positions.fail(this.i, `malformed JSON: unexpected ${excerpt(ch)} (expected ${expected})`);
  }

  private value(expected: string): JValue {
    const c = this.t.charCodeAt(this.i);
    switch (c) {
      case 0x7b: return this.object();
      case 0x5b: return this.array();
      case 0x22: return this.string();
      case 0x74: return this.word('true', true);
      case 0x66: return this.word('false', false);
      case 0x6e: return this.word('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        return this.unexpected(expected);
    }
  }

  private enter(): void {
    if (++this.depth > MAX_JSON_DEPTH) {
      this.positions.fail(this.i, `JSON nested deeper than ${MAX_JSON_DEPTH} arrays and objects; a Terraform configuration needs a handful`);
    }
  }

  private object(): JObject {
    const t = this.t;
    const at = this.i;
    this.enter();
    this.i++;
    this.ws();
    const keys: string[] = [];
    const keyAt: number[] = [];
    const values: JValue[] = [];
    if (t.charCodeAt(this.i) === 0x7d) {
      this.i++;
      this.depth--;
      return new JObject(at, keys, keyAt, values);
    }
    for (;;) {
      if (t.charCodeAt(this.i) !== 0x22) this.unexpected('a property name in double quotes');
      keyAt.push(this.i);
      keys.push(this.string());
      this.ws();
      if (t.charCodeAt(this.i) !== 0x3a) this.unexpected('":" after the property name');
      this.i++;
      this.ws();
      values.push(this.value('a value'));
      this.ws();
      const c = t.charCodeAt(this.i);
      if (c === 0x2c) {
        this.i++;
        this.ws();
        continue;
      }
      if (c === 0x7d) {
        this.i++;
        break;
      }
      this.unexpected('"," or "}" after the property value');
    }
    this.depth--;
    return new JObject(at, keys, keyAt, values);
  }

  private array(): JArray {
    const t = this.t;
    const at = this.i;
    this.enter();
    this.i++;
    this.ws();
    const items: JValue[] = [];
    if (t.charCodeAt(this.i) === 0x5d) {
      this.i++;
      this.depth--;
      return new JArray(at, items);
    }
    for (;;) {
      items.push(this.value('a value'));
      this.ws();
      const c = t.charCodeAt(this.i);
      if (c === 0x2c) {
        this.i++;
        this.ws();
        continue;
      }
      if (c === 0x5d) {
        this.i++;
        break;
      }
      this.unexpected('"," or "]" after the list element');
    }
    this.depth--;
    return new JArray(at, items);
  }

  private string(): string {
    const t = this.t;
    const start = this.i;
    let j = start + 1;
    let escaped = false;
    for (;;) {
      if (j >= t.length) {
        this.i = j;
        this.unexpected('the closing double quote of the string');
      }
      const c = t.charCodeAt(j);
      if (c === 0x22) break;
      if (c === 0x5c) {
        escaped = true;
        const e = t.charCodeAt(j + 1);
        if (e === 0x75) {
          for (let k = j + 2; k < j + 6; k++) {
            if (!isHexDigit(t.charCodeAt(k))) {
              this.i = k;
              this.unexpected('four hexadecimal digits after \\u');
            }
          }
          j += 6;
          continue;
        }
        if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
          j += 2;
          continue;
        }
        this.i = j + 1;
        this.unexpected('an escape: \\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX');
      }
      if (c < 0x20) {
        this.positions.fail(j, 'malformed JSON: a control character inside a string (write it escaped, such as \\n or \\t)');
      }
      j++;
    }
    this.i = j + 1;
    return escaped ? JSON.parse(t.slice(start, j + 1)) : t.slice(start + 1, j);
  }

  private word<T>(word: string, value: T): T {
    for (let k = 0; k < word.length; k++) {
      if (this.t.charCodeAt(this.i) !== word.charCodeAt(k)) this.unexpected(k === 0 ? 'a value' : `${JSON.stringify(word)}`);
      this.i++;
    }
    return value;
  }

  private number(): number {
    const t = this.t;
    const start = this.i;
    if (t.charCodeAt(this.i) === 0x2d) this.i++;
    const digits = (what: string) => {
      if (!isDigit(t.charCodeAt(this.i))) this.unexpected(what);
      while (isDigit(t.charCodeAt(this.i))) this.i++;
    };
    if (t.charCodeAt(this.i) === 0x30) this.i++;
    else digits('a digit');
    if (t.charCodeAt(this.i) === 0x2e) {
      this.i++;
      digits('a digit after the decimal point');
    }
    const e = t.charCodeAt(this.i);
    if (e === 0x65 || e === 0x45) {
      this.i++;
      const sign = t.charCodeAt(this.i);
      if (sign === 0x2b || sign === 0x2d) this.i++;
      digits('a digit in the exponent');
    }
    const n = Number(t.slice(start, this.i));
    if (!isFinite(n)) this.outOfRange ??= { at: start, text: t.slice(start, this.i) };
    return n;
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

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
class Merger {
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
