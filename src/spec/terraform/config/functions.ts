import { jsonEncode, partialEncoding, yamlEncode } from './encode';
import {
  asBool, asNumber, asString, EvalError, firstUnknown, isLazy, isObject, materialize, numberToString, shortJson,
  typeName, Unknown, Value, valuesEqual,
} from './values';

/**
 * Terraform's pure built-in functions that the evaluator decides. Any other function (`timestamp`, `file`, `uuid`,
 * provider functions, ...) leaves its call unknown. Each function gets evaluated arguments; an unknown argument makes
 * the result unknown unless the function can decide without it (`length` of a list with an unknown element).
 */

type Fn = (args: Value[], text: string) => Value;

interface FnDef {
  readonly fn: Fn;
  /** How much of the arguments must be known: all of them deeply (default), or only at the top. */
  readonly shallow?: boolean;
  /** The function looks at unknown arguments itself (coalesce decides on a known value before an unknown one). */
  readonly unknownAware?: boolean;
  readonly min?: number;
  readonly max?: number;
}

const MAX_RESULT = 1_000_000;

function list(v: Value, what: string): Value[] {
  if (isLazy(v)) v = v.all();
  if (Array.isArray(v)) return v;
  throw new EvalError(`${what}: a list is required, got ${typeName(v)} ${shortJson(v)}`);
}

function map(v: Value, what: string): { [k: string]: Value } {
  if (isLazy(v)) return v.all();
  if (isObject(v)) return v;
  throw new EvalError(`${what}: a map or object is required, got ${typeName(v)} ${shortJson(v)}`);
}

function sortedKeys(o: { [k: string]: Value }): string[] {
  return Object.keys(o).sort();
}

/** A set of values: duplicates removed; strings sorted as Terraform orders sets of strings. */
function toSet(items: Value[]): Value[] {
  const out: Value[] = [];
  for (const x of items) if (!out.some((y) => valuesEqual(x, y))) out.push(x);
  if (out.every((x) => typeof x === 'string')) (out as string[]).sort();
  return out;
}

/** Go's fmt verbs as Terraform's format() takes them: %s %d %f %v %q %t %%, with width and precision. */
function format(spec: string, args: Value[], text: string): string {
  let i = 0;
  return spec.replace(/%([-+ 0#]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g, (m, flags: string, width: string | undefined, prec: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (i >= args.length) throw new EvalError(`"${text}": not enough arguments for format "${spec}"`);
    const a = args[i++];
    let s: string;
    switch (verb) {
      case 's': s = asString(a, `format ${m}`); break;
      case 'd': {
        const n = asNumber(a, `format ${m}`);
        if (!Number.isInteger(n)) throw new EvalError(`"${text}": %d needs a whole number, got ${n}`);
        s = numberToString(n);
        if (flags.includes('+') && n >= 0) s = '+' + s;
        break;
      }
      case 'f': s = asNumber(a, `format ${m}`).toFixed(prec !== undefined ? Number(prec) : 6); break;
      case 't': s = asBool(a, `format ${m}`) ? 'true' : 'false'; break;
      case 'q': s = JSON.stringify(asString(a, `format ${m}`)); break;
      case 'v': s = typeof a === 'string' ? a : typeof a === 'number' || typeof a === 'boolean' ? asString(a, 'format') : JSON.stringify(materialize(a)); break;
      default: throw new EvalError(`"${text}": unsupported format verb "%${verb}"`);
    }
    if (width !== undefined && s.length < Number(width)) {
      const pad = (flags.includes('0') && !flags.includes('-') ? '0' : ' ').repeat(Number(width) - s.length);
      s = flags.includes('-') ? s + pad : pad + s;
    }
    return s;
  });
}

function flatten(v: Value[], depth = 0): Value[] {
  if (depth > 64) throw new EvalError('flatten: nested too deeply');
  const out: Value[] = [];
  for (const x of v) {
    if (x instanceof Unknown) throw new UnknownResult();
    if (Array.isArray(x)) out.push(...flatten(x, depth + 1));
    else out.push(x);
  }
  return out;
}

/** Thrown inside a function that meets an unknown where it needs a value: the call is unknown. */
class UnknownResult extends Error {}

function replaceFn(s: string, search: string, rep: string): string {
  if (search.length > 2 && search.startsWith('/') && search.endsWith('/')) {
    // Terraform's regular expressions are RE2; JavaScript's agree on the common subset. `$1` is Go's `${1}` too.
    let re: RegExp;
    try {
      re = new RegExp(search.slice(1, -1), 'g');
    } catch (e: any) {
      throw new EvalError(`replace: invalid regular expression ${search}: ${e?.message}`);
    }
    return s.replace(re, rep.replace(/\$\{(\d+)\}/g, '$$$1'));
  }
  return search === '' ? s : s.split(search).join(rep);
}

const FUNCTIONS: { [name: string]: FnDef } = {
  // Collections
  length: {
    shallow: true,
    min: 1,
    max: 1,
    fn: ([v], t) => {
      if (typeof v === 'string') return [...v].length;
      if (Array.isArray(v)) return v.length;
      if (isLazy(v)) return Object.keys(v.all()).length;
      if (isObject(v)) return Object.keys(v).length;
      throw new EvalError(`"${t}": length() needs a string, list or map, got ${typeName(v)}`);
    },
  },
  concat: {
    shallow: true,
    fn: (args, t) => {
      const out: Value[] = [];
      for (const a of args) out.push(...list(a, `"${t}"`));
      return out;
    },
  },
  merge: {
    shallow: true,
    fn: (args, t) => {
      const out: { [k: string]: Value } = {};
      for (const a of args) {
        if (a === null) continue;
        const m = map(a, `"${t}"`);
        for (const k of Object.keys(m)) out[k] = m[k];
      }
      return out;
    },
  },
  lookup: {
    shallow: true,
    min: 2,
    max: 3,
    fn: ([m, k, d], t) => {
      if (k instanceof Unknown) throw new UnknownResult();
      const key = asString(k, `"${t}"`);
      const o = map(m, `"${t}"`);
      if (Object.prototype.hasOwnProperty.call(o, key)) return o[key];
      if (d !== undefined) return d;
      throw new EvalError(`"${t}": the map has no element with the key "${key}" and no default was given`);
    },
  },
  keys: { shallow: true, min: 1, max: 1, fn: ([m], t) => sortedKeys(map(m, `"${t}"`)) },
  values: {
    shallow: true,
    min: 1,
    max: 1,
    fn: ([m], t) => {
      const o = map(m, `"${t}"`);
      return sortedKeys(o).map((k) => o[k]);
    },
  },
  contains: {
    min: 2, max: 2, fn: ([l, v], t) => list(l, `"${t}"`).some((x) => valuesEqual(x, v)),
  },
  element: {
    shallow: true,
    min: 2,
    max: 2,
    fn: ([l, i], t) => {
      const items = list(l, `"${t}"`);
      if (i instanceof Unknown) throw new UnknownResult();
      const n = asNumber(i, `"${t}"`);
      if (!items.length) throw new EvalError(`"${t}": cannot use element() on an empty list`);
      if (n < 0) throw new EvalError(`"${t}": the index must not be negative`);
      return items[Math.floor(n) % items.length];
    },
  },
  flatten: { shallow: true, min: 1, max: 1, fn: ([l], t) => flatten(list(l, `"${t}"`)) },
  distinct: {
    min: 1,
    max: 1,
    fn: ([l], t) => {
      const out: Value[] = [];
      for (const x of list(l, `"${t}"`)) if (!out.some((y) => valuesEqual(x, y))) out.push(x);
      return out;
    },
  },
  compact: {
    min: 1, max: 1, fn: ([l], t) => list(l, `"${t}"`).filter((x) => x !== null && x !== '').map((x) => asString(x, `"${t}"`)),
  },
  zipmap: {
    shallow: true,
    min: 2,
    max: 2,
    fn: ([k, v], t) => {
      const ks = list(k, `"${t}"`);
      const vs = list(v, `"${t}"`);
      if (ks.length !== vs.length) throw new EvalError(`"${t}": the two lists differ in length (${ks.length} and ${vs.length})`);
      const out: { [k: string]: Value } = {};
      ks.forEach((key, i) => {
        if (key instanceof Unknown) throw new UnknownResult();
        out[asString(key, `"${t}"`)] = vs[i];
      });
      return out;
    },
  },
  range: {
    min: 1,
    max: 3,
    fn: (args, t) => {
      const n = args.map((a) => asNumber(a, `"${t}"`));
      const [start, end, step] = n.length === 1 ? [0, n[0], 1] : [n[0], n[1], n[2] ?? (n[1] >= n[0] ? 1 : -1)];
      if (step === 0) throw new EvalError(`"${t}": the step must not be zero`);
      const out: number[] = [];
      for (let x = start; step > 0 ? x < end : x > end; x += step) {
        if (out.length >= MAX_RESULT) throw new EvalError(`"${t}": more than ${MAX_RESULT} elements`);
        out.push(x);
      }
      return out;
    },
  },
  slice: {
    shallow: true,
    min: 3,
    max: 3,
    fn: ([l, a, b], t) => {
      const items = list(l, `"${t}"`);
      if (a instanceof Unknown || b instanceof Unknown) throw new UnknownResult();
      const from = asNumber(a, `"${t}"`);
      const to = asNumber(b, `"${t}"`);
      if (from < 0 || to > items.length || from > to) throw new EvalError(`"${t}": indexes ${from}..${to} out of range for ${items.length} element(s)`);
      return items.slice(from, to);
    },
  },
  reverse: { shallow: true, min: 1, max: 1, fn: ([l], t) => [...list(l, `"${t}"`)].reverse() },
  sort: {
    min: 1, max: 1, fn: ([l], t) => list(l, `"${t}"`).map((x) => asString(x, `"${t}"`)).sort(),
  },
  one: {
    shallow: true,
    min: 1,
    max: 1,
    fn: ([l], t) => {
      const items = list(l, `"${t}"`);
      if (items.length > 1) throw new EvalError(`"${t}": one() needs a list of at most one element, got ${items.length}`);
      return items.length ? items[0] : null;
    },
  },
  coalesce: {
    unknownAware: true,
    fn: (args, t) => {
      for (const a of args) {
        if (a instanceof Unknown) throw new UnknownResult();
        if (a !== null && a !== '') return a;
      }
      throw new EvalError(`"${t}": no non-null, non-empty argument`);
    },
  },
  coalescelist: {
    unknownAware: true,
    fn: (args, t) => {
      for (const a of args) {
        if (a instanceof Unknown) throw new UnknownResult();
        if (list(a, `"${t}"`).length) return a;
      }
      throw new EvalError(`"${t}": no non-empty list argument`);
    },
  },
  // Type conversions
  tostring: {
    min: 1,
    max: 1,
    fn: ([v], t) => {
      if (v === null) return null;
      if (typeof v === 'object') throw new EvalError(`"${t}": cannot convert ${typeName(v)} to string`);
      return asString(v, `"${t}"`);
    },
  },
  tonumber: {
    min: 1,
    max: 1,
    fn: ([v], t) => {
      if (v === null) return null;
      try {
        return asNumber(v, `"${t}"`);
      } catch {
        throw new EvalError(`"${t}": cannot convert ${shortJson(v)} to a number; give a string of digits such as "512"`);
      }
    },
  },
  tobool: {
    min: 1,
    max: 1,
    fn: ([v], t) => {
      if (v === null) return null;
      try {
        return asBool(v, `"${t}"`);
      } catch {
        throw new EvalError(`"${t}": cannot convert ${shortJson(v)} to bool; only true, false, "true" and "false" convert`);
      }
    },
  },
  tolist: { shallow: true, min: 1, max: 1, fn: ([l], t) => list(l, `"${t}"`) },
  toset: { min: 1, max: 1, fn: ([l], t) => toSet(list(l, `"${t}"`)) },
  tomap: { shallow: true, min: 1, max: 1, fn: ([m], t) => map(m, `"${t}"`) },
  // Strings
  format: { min: 1, fn: ([f, ...rest], t) => format(asString(f, `"${t}"`), rest, t) },
  formatlist: {
    min: 1,
    fn: ([f, ...rest], t) => {
      const spec = asString(f, `"${t}"`);
      const lists = rest.map((r) => (Array.isArray(r) ? r : undefined));
      const n = lists.find((l) => l !== undefined)?.length;
      if (n === undefined) return [format(spec, rest, t)];
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push(format(spec, rest.map((r, j) => (lists[j] ? lists[j]![i] : r)), t));
      return out;
    },
  },
  join: {
    min: 2,
    fn: ([sep, ...ls], t) => {
      const parts: string[] = [];
      for (const l of ls) for (const x of list(l, `"${t}"`)) parts.push(asString(x, `"${t}"`));
      return parts.join(asString(sep, `"${t}"`));
    },
  },
  split: { min: 2, max: 2, fn: ([sep, s], t) => asString(s, `"${t}"`).split(asString(sep, `"${t}"`)) },
  lower: { min: 1, max: 1, fn: ([s], t) => asString(s, `"${t}"`).toLowerCase() },
  upper: { min: 1, max: 1, fn: ([s], t) => asString(s, `"${t}"`).toUpperCase() },
  title: { min: 1, max: 1, fn: ([s], t) => asString(s, `"${t}"`).replace(/\b\p{L}/gu, (c) => c.toUpperCase()) },
  replace: { min: 3, max: 3, fn: ([s, a, b], t) => replaceFn(asString(s, `"${t}"`), asString(a, `"${t}"`), asString(b, `"${t}"`)) },
  trimspace: { min: 1, max: 1, fn: ([s], t) => asString(s, `"${t}"`).trim() },
  trim: {
    min: 2,
    max: 2,
    fn: ([s, cs], t) => {
      const chars = new Set([...asString(cs, `"${t}"`)]);
      const a = [...asString(s, `"${t}"`)];
      let i = 0;
      let j = a.length;
      while (i < j && chars.has(a[i])) i++;
      while (j > i && chars.has(a[j - 1])) j--;
      return a.slice(i, j).join('');
    },
  },
  trimprefix: {
    min: 2,
    max: 2,
    fn: ([s, p], t) => {
      const str = asString(s, `"${t}"`);
      const pre = asString(p, `"${t}"`);
      return str.startsWith(pre) ? str.slice(pre.length) : str;
    },
  },
  trimsuffix: {
    min: 2,
    max: 2,
    fn: ([s, p], t) => {
      const str = asString(s, `"${t}"`);
      const suf = asString(p, `"${t}"`);
      return suf && str.endsWith(suf) ? str.slice(0, -suf.length) : str;
    },
  },
  startswith: { min: 2, max: 2, fn: ([s, p], t) => asString(s, `"${t}"`).startsWith(asString(p, `"${t}"`)) },
  endswith: { min: 2, max: 2, fn: ([s, p], t) => asString(s, `"${t}"`).endsWith(asString(p, `"${t}"`)) },
  strcontains: { min: 2, max: 2, fn: ([s, p], t) => asString(s, `"${t}"`).includes(asString(p, `"${t}"`)) },
  substr: {
    min: 3,
    max: 3,
    fn: ([s, o, l], t) => {
      const chars = [...asString(s, `"${t}"`)];
      let off = asNumber(o, `"${t}"`);
      let len = asNumber(l, `"${t}"`);
      if (off < 0) off = Math.max(0, chars.length + off);
      if (off > chars.length) throw new EvalError(`"${t}": offset ${off} beyond the end of the string`);
      if (len < 0 || off + len > chars.length) len = chars.length - off;
      return chars.slice(off, off + len).join('');
    },
  },
  jsonencode: { min: 1, max: 1, fn: ([v]) => jsonEncode(v) },
  yamlencode: { min: 1, max: 1, fn: ([v]) => yamlEncode(v) },
  // Numbers
  max: {
    min: 1, fn: (args, t) => Math.max(...args.map((a) => asNumber(a, `"${t}"`))),
  },
  min: {
    min: 1, fn: (args, t) => Math.min(...args.map((a) => asNumber(a, `"${t}"`))),
  },
  abs: { min: 1, max: 1, fn: ([n], t) => Math.abs(asNumber(n, `"${t}"`)) },
  ceil: { min: 1, max: 1, fn: ([n], t) => Math.ceil(asNumber(n, `"${t}"`)) },
  floor: { min: 1, max: 1, fn: ([n], t) => Math.floor(asNumber(n, `"${t}"`)) },
  parseint: {
    min: 2,
    max: 2,
    fn: ([s, b], t) => {
      const base = asNumber(b, `"${t}"`);
      const str = asString(s, `"${t}"`);
      const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
      if (base < 2 || base > 62 || !new RegExp(`^[-+]?[${digits}]+$`, 'i').test(str)) {
        throw new EvalError(`"${t}": cannot parse ${JSON.stringify(str)} as a base-${base} integer`);
      }
      return parseInt(str, base);
    },
  },
};

/** True when the evaluator decides calls of `name` (a pure built-in it implements). */
export function isPureFunction(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(FUNCTIONS, name);
}

/** The names of the functions the evaluator decides (for the docs and tests). */
export function pureFunctionNames(): string[] {
  return ['can', 'try', ...Object.keys(FUNCTIONS)].sort();
}

/** Calls a pure function on evaluated arguments; unknown when an argument it needs is unknown. */
export function callFunction(name: string, args: Value[], text: string): Value {
  const def = FUNCTIONS[name];
  if (!def) return Unknown.of(text);
  if (def.min !== undefined && args.length < def.min) throw new EvalError(`"${text}": ${name}() needs at least ${def.min} argument(s), got ${args.length}`);
  if (def.max !== undefined && args.length > def.max) throw new EvalError(`"${text}": ${name}() takes at most ${def.max} argument(s), got ${args.length}`);
  const blocked = def.unknownAware ? false : def.shallow ? args.some((a) => a instanceof Unknown) : args.some((a) => firstUnknown(a) !== undefined);
  if (blocked) return (name === 'jsonencode' || name === 'yamlencode' ? partialEncoding(name, args[0], text) : undefined) ?? Unknown.of(text);
  try {
    return def.fn(args, text);
  } catch (e) {
    if (e instanceof UnknownResult) return Unknown.of(text);
    throw e;
  }
}
