import { AstNode, parsedExpression } from './ast';
import { callFunction, isPureFunction } from './functions';
import { evalAstTemplate, unescapeQuoted } from './template-eval';
import { asBool, asNumber, asString, EvalError, firstUnknown, isLazy, isObject, materialize, numberToString, shortJson, typeName, Unknown, Value, valuesEqual } from './values';

export { evaluateTemplateString, templateNodes, unescapeQuoted } from './template-eval';
export { applyTypeDefaults } from './type-defaults';

/**
 * Evaluates Terraform expressions (parsed by HCL's own parser, see ast.ts) and Terraform JSON templates over a
 * {@link Scope}. What cannot be decided is an {@link Unknown} carrying the expression text; what Terraform would refuse
 * with known operands (`tonumber("x")`, a missing attribute) is an {@link EvalError}, which `try` and `can` catch.
 */

/** Where the names of an expression come from (the module evaluator implements it). */
export interface Scope {
  /**
   * The value of a root name: `var`, `local`, `each`, `count`, `path`, `module`, `data`, a resource type.
   * Undefined when the name means nothing here (the reference is unknown).
   */
  root(name: string): Value | undefined;
  /** True when `var.<name>` has an object type with optional attributes: a missing attribute reads as null. */
  optionalAttributes?(variable: string): boolean;
}

/** A scope with nothing in it: literals, functions and operators only (tfvars, `--var` values). */
export const EMPTY_SCOPE: Scope = { root: () => undefined };

export interface Ctx {
  readonly scope: Scope;
  /** Names bound by `for` expressions, template `for` directives and dynamic-block iterators. */
  readonly bound?: ReadonlyMap<string, Value>;
  /** The source text of the expression, as UTF-8 (ranges are byte offsets). */
  readonly source?: Buffer;
  /** The element a splat applies its traversal to. */
  readonly anon?: Value;
  readonly depth: number;
}

const MAX_DEPTH = 200;
/** Collections a `for` expression or template `for` may build, at most (a runaway guard). */
export const MAX_COLLECTION = 100_000;

/** The value of an expression text (prepared with prepareExpressions, or a plain reference or literal). */
export function evaluateExpression(text: string, scope: Scope, bound?: ReadonlyMap<string, Value>): Value {
  const parsed = parsedExpression(text);
  if (!parsed) return Unknown.of(text);
  if ('error' in parsed) throw new EvalError(`invalid expression "${text}": ${parsed.error}`);
  return evalNode(parsed.ast, { scope, bound, source: undefined, depth: 0 }, text, parsed.source);
}

/** The [key, value] pairs a `for` iterates: a list's indexes, a map's keys (in lexical order). Undefined if unknown. */
export function iterable(v: Value, what: string): Array<[Value, Value]> | undefined {
  if (v instanceof Unknown) return undefined;
  if (isLazy(v)) v = v.all();
  if (Array.isArray(v)) {
    if (v.length > MAX_COLLECTION) throw new EvalError(`${what}: more than ${MAX_COLLECTION} elements`);
    return v.map((x, i) => [i, x]);
  }
  if (isObject(v)) return Object.keys(v).sort().map((k) => [k, (v as any)[k]]);
  if (v === null) throw new EvalError(`${what}: cannot iterate over null`);
  throw new EvalError(`${what}: cannot iterate over ${typeName(v)} ${shortJson(v)}; a list, set, map or object is required`);
}

export function textOf(node: AstNode, fallback: string): string {
  const t = node.meta?.value;
  return typeof t === 'string' && t !== '' ? t : fallback;
}

/** Evaluates one node; `text` is its source (for residuals), `full` the whole expression's (for ranges). */
export function evalNode(node: AstNode, ctx: Ctx, text: string, full?: string): Value {
  if (ctx.depth > MAX_DEPTH) throw new EvalError('expression nested too deeply');
  const c: Ctx = full !== undefined ? { ...ctx, source: Buffer.from(full, 'utf8'), depth: ctx.depth + 1 } : { ...ctx, depth: ctx.depth + 1 };
  const kids = node.children ?? [];
  const child = (i: number): Value => evalNode(kids[i], c, textOf(kids[i], text));
  switch (node.type) {
    case 'literalValue':
      return literal(node);
    case 'template':
      return evalAstTemplate(node, c, text);
    case 'templateWrap':
      return kids.length === 1 ? child(0) : Unknown.of(text);
    case 'tuple': {
      const out: Value[] = [];
      for (let i = 0; i < kids.length; i++) out.push(child(i));
      return out;
    }
    case 'object':
      return evalObject(node, c, text);
    case 'scopeTraversal':
      return evalScopeTraversal(node, c, text);
    case 'relativeTraversal': {
      if (kids.length !== 1) return Unknown.of(text);
      const src = child(0);
      return traverse(src, node.meta?.traversal ?? [], text, c, false);
    }
    case 'index': {
      if (kids.length !== 2) return Unknown.of(text);
      const coll = child(0);
      const key = child(1);
      if (coll instanceof Unknown || key instanceof Unknown) return Unknown.of(text);
      return indexValue(coll, key, text);
    }
    case 'splat':
      return evalSplat(node, c, text);
    case 'conditional': {
      if (kids.length !== 3) return Unknown.of(text);
      const cond = child(0);
      if (cond instanceof Unknown) return Unknown.of(text);
      return asBool(cond, `condition of "${text}"`) ? child(1) : child(2);
    }
    case 'unaryOp': {
      if (kids.length !== 1) return Unknown.of(text);
      const v = child(0);
      if (v instanceof Unknown) return Unknown.of(text);
      if (node.meta?.operator === 'negate') return -asNumber(v, `operand of "${text}"`);
      if (node.meta?.operator === 'logicalNot') return !asBool(v, `operand of "${text}"`);
      return Unknown.of(text);
    }
    case 'binaryOp':
      return evalBinary(node, c, text);
    case 'function':
      return evalCall(node, c, text);
    case 'for':
      return evalFor(node, c, text);
    case '':
      // Parentheses (one child), or the anonymous element of a splat (none).
      if (kids.length === 1) return child(0);
      if (kids.length === 0 && 'anon' in c) return c.anon as Value;
      return Unknown.of(text);
    default:
      return Unknown.of(text);
  }
}

function literal(node: AstNode): Value {
  const { type, value } = node.meta ?? {};
  if (type === 'number') return Number(value);
  if (type === 'bool') return value === 'true';
  if (type === 'string') return value;
  if (value === 'null') return null;
  return Unknown.of(String(value));
}

function evalObject(node: AstNode, c: Ctx, text: string): Value {
  const kids = node.children ?? [];
  const out: { [k: string]: Value } = {};
  for (let i = 0; i + 1 < kids.length; i += 2) {
    const keyNode = kids[i];
    let key: Value;
    if (keyNode.children.length === 0 && keyNode.range && c.source) {
      key = c.source.subarray(keyNode.range.start.byte, keyNode.range.end.byte).toString('utf8');
    } else if (keyNode.children.length === 1) {
      const inner = keyNode.children[0];
      key = evalNode(inner, c, textOf(inner, text));
    } else {
      return Unknown.of(text);
    }
    if (key instanceof Unknown) return Unknown.of(text);
    out[asString(key, `key in "${text}"`)] = evalNode(kids[i + 1], c, textOf(kids[i + 1], text));
  }
  return out;
}

function evalScopeTraversal(node: AstNode, c: Ctx, text: string): Value {
  const parts: any[] = node.meta?.traversal ?? [];
  if (!parts.length) return Unknown.of(text);
  const name = parts[0].segment as string;
  let root: Value | undefined = c.bound?.get(name);
  if (root === undefined && !c.bound?.has(name)) root = c.scope.root(name);
  if (root === undefined) return Unknown.of(text);
  const lenient = name === 'var' && parts.length > 1 && !!c.scope.optionalAttributes?.(parts[1].segment);
  return traverse(root, parts.slice(1), text, c, lenient);
}

/** Applies traversal steps (`.name`, `[0]`, `["key"]`) to a value. */
function traverse(v: Value, parts: any[], text: string, c: Ctx, lenient: boolean): Value {
  for (let i = 0; i < parts.length; i++) {
    if (v instanceof Unknown) return Unknown.of(text);
    const p = parts[i];
    let key: Value;
    if (p.type === 'nameTraversal') {key = p.segment;} else {
      const seg: string = p.segment;
      if (/^-?\d+$/.test(seg)) {key = Number(seg);} else if (seg.startsWith('"')) {
        try {
          key = unescapeQuoted(seg.slice(1, -1));
        } catch {
          return Unknown.of(text);
        }
      } else {
        return Unknown.of(text);
      }
    }
    if (isLazy(v)) {
      v = v.get(String(key), text);
      continue;
    }
    if (lenient && i >= 1 && isObject(v) && typeof key === 'string' && !(key in v)) {
      v = null;
      continue;
    }
    v = p.type === 'nameTraversal' ? attribute(v, key as string, text) : indexValue(v, key, text);
  }
  void c;
  return v;
}

function attribute(v: Value, name: string, text: string): Value {
  if (isObject(v)) {
    if (Object.prototype.hasOwnProperty.call(v, name)) return v[name];
    throw new EvalError(`"${text}": this object has no attribute "${name}"`);
  }
  if (v === null) throw new EvalError(`"${text}": attempt to get attribute "${name}" from a null value`);
  if (Array.isArray(v)) throw new EvalError(`"${text}": a list has no attribute "${name}"; use an index ([0]) or a splat ([*].${name})`);
  throw new EvalError(`"${text}": a ${typeName(v)} has no attribute "${name}"`);
}

function indexValue(coll: Value, key: Value, text: string): Value {
  if (isLazy(coll)) return coll.get(asString(key, `index of "${text}"`), text);
  if (Array.isArray(coll)) {
    const n = asNumber(key, `index of "${text}"`);
    if (!Number.isInteger(n) || n < 0 || n >= coll.length) {
      throw new EvalError(`"${text}": index ${numberToString(n)} out of range for a list of ${coll.length} element(s)`);
    }
    return coll[n];
  }
  if (isObject(coll)) {
    const k = asString(key, `key of "${text}"`);
    if (Object.prototype.hasOwnProperty.call(coll, k)) return coll[k];
    throw new EvalError(`"${text}": no element with the key "${k}"`);
  }
  if (coll === null) throw new EvalError(`"${text}": cannot index a null value`);
  throw new EvalError(`"${text}": cannot index a ${typeName(coll)}`);
}

function evalSplat(node: AstNode, c: Ctx, text: string): Value {
  const kids = node.children ?? [];
  if (kids.length !== 2) return Unknown.of(text);
  let src = evalNode(kids[0], c, textOf(kids[0], text));
  if (src instanceof Unknown) return Unknown.of(text);
  if (isLazy(src)) src = src.all();
  // A splat over null is an empty list; over a single value, a list of it (Terraform's rule).
  const items: Value[] = src === null ? [] : Array.isArray(src) ? src : [src];
  return items.map((item) => (item instanceof Unknown ? Unknown.of(text) : evalNode(kids[1], { ...c, anon: item }, text)));
}

function evalBinary(node: AstNode, c: Ctx, text: string): Value {
  const kids = node.children ?? [];
  if (kids.length !== 2) return Unknown.of(text);
  const op: string = node.meta?.operator;
  const a = evalNode(kids[0], c, textOf(kids[0], text));
  const b = evalNode(kids[1], c, textOf(kids[1], text));
  if (op === 'logicalAnd' || op === 'logicalOr') {
    // A known operand that decides the result decides it, whatever the other is.
    const decisive = op === 'logicalOr';
    for (const v of [a, b]) if (!(v instanceof Unknown) && asBool(v, `operand of "${text}"`) === decisive) return decisive;
    if (a instanceof Unknown || b instanceof Unknown) return Unknown.of(text);
    return !decisive;
  }
  if (a instanceof Unknown || b instanceof Unknown) return Unknown.of(text);
  if (op === 'equal' || op === 'notEqual') {
    if (firstUnknown(a) || firstUnknown(b)) return Unknown.of(text);
    const eq = valuesEqual(materialize(a), materialize(b));
    return op === 'equal' ? eq : !eq;
  }
  const x = asNumber(a, `left operand of "${text}"`);
  const y = asNumber(b, `right operand of "${text}"`);
  switch (op) {
    case 'add': return x + y;
    case 'subtract': return x - y;
    case 'multiply': return x * y;
    case 'divide':
      if (y === 0) throw new EvalError(`"${text}": division by zero`);
      return x / y;
    case 'modulo':
      if (y === 0) throw new EvalError(`"${text}": modulo by zero`);
      return x % y;
    case 'lessThan': return x < y;
    case 'lessThanOrEqual': return x <= y;
    case 'greaterThan': return x > y;
    case 'greaterThanOrEqual': return x >= y;
    default: return Unknown.of(text);
  }
}

function evalCall(node: AstNode, c: Ctx, text: string): Value {
  const name: string = node.meta?.name ?? '';
  const kids = node.children ?? [];
  if (name === 'try') {
    for (const k of kids) {
      try {
        const v = evalNode(k, c, textOf(k, text));
        // An unknown might still fail once known: try cannot decide yet.
        if (firstUnknown(v)) return Unknown.of(text);
        return v;
      } catch (e) {
        if (!(e instanceof EvalError)) throw e;
      }
    }
    throw new EvalError(`"${text}": no argument of try() could be evaluated without an error`);
  }
  if (name === 'can') {
    if (kids.length !== 1) throw new EvalError(`"${text}": can() takes one argument`);
    try {
      const v = evalNode(kids[0], c, textOf(kids[0], text));
      return firstUnknown(v) ? Unknown.of(text) : true;
    } catch (e) {
      if (e instanceof EvalError) return false;
      throw e;
    }
  }
  if (!isPureFunction(name)) return Unknown.of(text);
  let args = kids.map((k) => evalNode(k, c, textOf(k, text)));
  if (node.meta?.expandedFinalArgument && args.length) {
    const last = args[args.length - 1];
    if (last instanceof Unknown) return Unknown.of(text);
    const spread = isLazy(last) ? Object.values(last.all()) : Array.isArray(last) ? last : isObject(last) ? Object.values(last) : undefined;
    if (!spread) throw new EvalError(`"${text}": the argument expanded with "..." must be a list`);
    args = [...args.slice(0, -1), ...spread];
  }
  return callFunction(name, args, text);
}

function evalFor(node: AstNode, c: Ctx, text: string): Value {
  const m = node.meta ?? {};
  const kids = node.children ?? [];
  const objectForm = m.openRangeValue === '{';
  const hasKey = objectForm && typeof m.keyExpression === 'string' && m.keyExpression !== '';
  const hasCond = typeof m.conditionalExpression === 'string' && m.conditionalExpression !== '';
  const expected = 2 + (hasKey ? 1 : 0) + (hasCond ? 1 : 0);
  if (kids.length !== expected) return Unknown.of(text);
  const collNode = kids[0];
  const keyNode = hasKey ? kids[1] : undefined;
  const valueNode = kids[hasKey ? 2 : 1];
  const condNode = hasCond ? kids[expected - 1] : undefined;
  const coll = evalNode(collNode, c, textOf(collNode, text));
  const items = iterable(coll, `"${text}"`);
  if (!items) return Unknown.of(text);
  const list: Value[] = [];
  const obj: { [k: string]: Value } = {};
  const grouped: { [k: string]: Value[] } = {};
  for (const [k, v] of items) {
    const bound = new Map(c.bound ?? []);
    if (m.keyVar) bound.set(m.keyVar, k);
    bound.set(m.valVar, v);
    const inner: Ctx = { ...c, bound };
    if (condNode) {
      const keep = evalNode(condNode, inner, textOf(condNode, text));
      if (keep instanceof Unknown) return Unknown.of(text);
      if (!asBool(keep, `condition of "${text}"`)) continue;
    }
    const value = evalNode(valueNode, inner, textOf(valueNode, text));
    if (!objectForm) {
      list.push(value);
      continue;
    }
    const key = evalNode(keyNode!, inner, textOf(keyNode!, text));
    if (key instanceof Unknown) return Unknown.of(text);
    const ks = asString(key, `key of "${text}"`);
    if (m.groupedValue) {
      (grouped[ks] ??= []).push(value);
    } else {
      if (Object.prototype.hasOwnProperty.call(obj, ks)) {
        throw new EvalError(`"${text}": duplicate object key "${ks}"; add "..." after the value to group values by key`);
      }
      obj[ks] = value;
    }
  }
  if (!objectForm) return list;
  return m.groupedValue ? grouped : obj;
}

/** Re-exported for callers that evaluate attributes: asString etc. with Terraform's conversions. */
export { asBool, asNumber, asString };
