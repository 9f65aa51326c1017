/**
 * The positioned JSON reader behind json-reader.ts: a recursive-descent parser (RFC 8259) that keeps every repeated
 * key and the offset of each value, for the rare file `JSON.parse` cannot be trusted with (see provablyPlain).
 */
import { AdapterError } from '../terraform-adapter';

/** The deepest nesting of arrays and objects read; deeper is an error with its position, never a stack overflow. */
export const MAX_JSON_DEPTH = 1000;

/** An object as written: every key in order, repeated ones too, with the offset of each. */
export class JObject {
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

export class JArray {
  constructor(readonly at: number, readonly items: JValue[]) {}
}

export type JValue = JObject | JArray | string | number | boolean | null;

/** Line and column of offsets, for messages. */
export class Positions {
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
export function excerpt(s: string): string {
  return JSON.stringify(s.length > 40 ? s.slice(0, 40) + '…' : s);
}

/** A recursive-descent JSON parser (RFC 8259) that keeps repeated keys and offsets. */
export class Parser {
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
