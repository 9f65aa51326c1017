/**
 * Values of the Terraform configuration evaluator.
 *
 * A value is JSON-like (string, number, boolean, null, list, object), an {@link Unknown} (a value only Terraform
 * knows, carrying the residual expression it came from), or a {@link LazyObject} (a resource instance or a module
 * call, whose attributes are evaluated when read). Lists and sets are arrays; maps and objects are plain objects.
 */

/**
 * A value the evaluator cannot decide. `residual` is how it is written back into a resource body: a Terraform JSON
 * template holding the expression with its references in their original form (`${var.memory}`,
 * `web-${data.x.y.id}`), which the adapter reads as unknown and which names the cause.
 */
export class Unknown {
  /** The unknown value of the expression `text` (written without `${}`). */
  public static of(text: string): Unknown {
    return new Unknown('${' + text.trim() + '}');
  }

  constructor(public readonly residual: string) {}
}

/**
 * The unknown result of `yamlencode` / `jsonencode` of a value only partly known: besides its residual (the call, as
 * any unknown), the document with each unknown part written as a compose interpolation of a placeholder variable
 * no environment sets (AFTER_APPLY_PLACEHOLDER_PREFIX in compose/interpolate.ts), so that a compose reader reads the
 * known settings as known and the unknown ones as unknown.
 */
export class PartialEncoding extends Unknown {
  constructor(residual: string, public readonly partial: PartialDocument) {
    super(residual);
  }
}

/** A document encoded with its unknown parts as `${PLACEHOLDER}`. */
export interface PartialDocument {
  /** The encoded text (YAML or JSON). */
  readonly document: string;
  /** Each placeholder variable's name, with the residual of the unknown part it stands for (`${var.image}`). */
  readonly unknowns: ReadonlyMap<string, string>;
}

/** An object whose attributes are evaluated when read: a resource instance, or the outputs of a module call. */
export interface LazyObject {
  /** How references to it read, for residuals: `docker_network.n`, `module.web["a"]`. */
  readonly address: string;
  /** The value of an attribute; `text` is the reference as written, for the residual of an unknown. */
  get(key: string, text: string): Value;
  /** Every attribute the configuration sets (for functions that take the whole object). */
  all(): { [key: string]: Value };
}

export type Value = string | number | boolean | null | Value[] | { [key: string]: Value } | Unknown | LazyObject;

/** An error Terraform would report for known operands (`tonumber("x")`, a missing attribute); `try` and `can` catch it. */
export class EvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvalError';
  }
}

export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

const LAZY = Symbol('lazy');

/** Marks an object as a LazyObject (resources and module calls are built by the module evaluator). */
export function lazyObject(address: string, get: (key: string, text: string) => Value, all: () => { [key: string]: Value }): LazyObject {
  return { [LAZY]: true, address, get, all } as LazyObject;
}

export function isLazy(v: unknown): v is LazyObject {
  return v !== null && typeof v === 'object' && (v as any)[LAZY] === true;
}

/** True for an object or map value (not a list, not unknown, not lazy). */
export function isObject(v: Value): v is { [key: string]: Value } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Unknown) && !isLazy(v);
}

/** The value with every lazy object materialized (for functions that take whole values). */
export function materialize(v: Value, depth = 0): Value {
  if (depth > 64) throw new EvalError('value nested too deeply');
  if (isLazy(v)) return materialize(v.all(), depth + 1);
  if (Array.isArray(v)) return v.some((x) => isLazy(x) || (x !== null && typeof x === 'object')) ? v.map((x) => materialize(x, depth + 1)) : v;
  if (isObject(v)) {
    const out: { [key: string]: Value } = {};
    for (const k of Object.keys(v)) out[k] = materialize(v[k], depth + 1);
    return out;
  }
  return v;
}

/** The first unknown inside a value (lazy objects materialized), or undefined when the value is wholly known. */
export function firstUnknown(v: Value, depth = 0): Unknown | undefined {
  if (v instanceof Unknown) return v;
  if (depth > 64) return undefined;
  if (isLazy(v)) return firstUnknown(v.all(), depth + 1);
  if (Array.isArray(v)) {
    for (const x of v) {
      const u = firstUnknown(x, depth + 1);
      if (u) return u;
    }
    return undefined;
  }
  if (isObject(v)) {
    for (const k of Object.keys(v)) {
      const u = firstUnknown(v[k], depth + 1);
      if (u) return u;
    }
  }
  return undefined;
}

/** Terraform's name for a value's type, for error messages. */
export function typeName(v: Value): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Unknown) return 'unknown';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

/** A number as Terraform prints it: integers without a fraction, others in shortest form. */
export function numberToString(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(n);
}

/** Terraform's automatic conversion to string (numbers and bools convert; null, lists and objects do not). */
export function asString(v: Value, what: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberToString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null) throw new EvalError(`${what}: the value is null; a string is required`);
  throw new EvalError(`${what}: a string is required, got ${typeName(v)}`);
}

/** Terraform's automatic conversion to number (a string holding a number converts). */
export function asNumber(v: Value, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v.trim())) return Number(v);
  if (v === null) throw new EvalError(`${what}: the value is null; a number is required`);
  throw new EvalError(`${what}: a number is required, got ${typeName(v)} ${shortJson(v)}`);
}

/** Terraform's automatic conversion to bool (the strings "true" and "false" convert). */
export function asBool(v: Value, what: string): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  if (v === null) throw new EvalError(`${what}: the value is null; a bool is required`);
  throw new EvalError(`${what}: a bool is required, got ${typeName(v)} ${shortJson(v)}`);
}

export function shortJson(v: Value): string {
  let s: string;
  try {
    s = JSON.stringify(materialize(v));
  } catch {
    s = typeName(v);
  }
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

/** Deep equality of known values (Terraform's `==`: same type and same value). */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (isLazy(a)) a = a.all();
  if (isLazy(b)) b = b.all();
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => valuesEqual(x, (b as Value[])[i]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => k in b && valuesEqual(a[k] as Value, b[k]));
  }
  return false;
}

const UNKNOWN_KEYS = new WeakMap<object, ReadonlyMap<string, Value>>();

/**
 * Marks `obj`, a map of a resource body, as also holding `entries` under keys only Terraform knows, by their
 * residuals. They are kept apart from its ordinary keys, which are literal: a literal `${x}` key and an unknown one
 * written `${x}` stay two keys. Only {@link toBody} reads them.
 */
export function withUnknownKeys(obj: { [key: string]: Value }, entries: ReadonlyMap<string, Value>): { [key: string]: Value } {
  UNKNOWN_KEYS.set(obj, entries);
  return obj;
}

/**
 * The value as it goes into a resource body: unknowns as their residual, literal `${` and `%{` escaped. A key only
 * Terraform knows is written as its residual, so the adapter reads it unknown.
 */
export function toBody(v: Value, depth = 0): any {
  if (v instanceof Unknown) return v.residual;
  if (typeof v === 'string') return escapeTemplate(v);
  if (v === null || typeof v !== 'object') return v;
  if (depth > 64) return '${...}';
  if (isLazy(v)) return toBody(v.all(), depth + 1);
  if (Array.isArray(v)) return v.map((x) => toBody(x, depth + 1));
  const out: any = {};
  for (const k of Object.keys(v)) out[escapeTemplate(k)] = toBody(v[k], depth + 1);
  for (const [residual, x] of UNKNOWN_KEYS.get(v) ?? []) out[residual] = toBody(x, depth + 1);
  return out;
}

/** A literal string as Terraform JSON writes it: `${` as `$${`, `%{` as `%%{`. */
export function escapeTemplate(s: string): string {
  // `$$$$` is one `$$` in a replacement string.
  return s.indexOf('{') < 0 ? s : s.replace(/\$\{/g, '$$$${').replace(/%\{/g, '%%{');
}
