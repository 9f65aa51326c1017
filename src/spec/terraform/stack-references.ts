/**
 * The references of a stack's Terraform JSON that synth can decide on its own, decided as `hardened-docker check`
 * decides them (src/spec/terraform/config/, docs/cli.md "evaluated | stays unknown"), so that synth and `check
 * cdktf.out` give one verdict on the same JSON:
 *
 * - `${local.NAME}`: the local's value in the same document, itself evaluated (a chain of locals, within
 *   {@link MAX_REFERENCE_DEPTH}; a cycle stays unknown);
 * - `${TYPE.NAME.ATTR}`: an attribute written in the body of a resource of the same document without `count` or
 *   `for_each` (`docker_network.backend.name`); one the body does not set (`id`) stays unknown, as Terraform only
 *   knows it after apply;
 * - `${5}`, `${true}`, `${null}`, and further steps into a known value (`local.ports[0]`, `local.net["name"]`).
 *
 * A string that is exactly one reference takes the value's type (a number stays a number, a list a list); inside a
 * longer template only a string, a bool or a whole number is written in, anything else stays unknown there. What
 * needs the expression parser (`check` parses through hcl2json, asynchronously; synth is synchronous) stays as
 * written, hence unknown: variables (their values come at plan time), data sources, functions, operators, `%{`
 * directives, `dynamic` blocks. Known parts of a partly unknown template are written in, the rest kept as written,
 * as `check` does, so that the unknown causes name what is left.
 *
 * The bodies cdktf wrote are never changed (Terraform must get the templates): a body with a resolved reference is
 * a copy; every other body is returned as it is.
 */
import { isExpression, Json, unescapeTemplate } from './common';
import { parseTemplate, TemplateNode, TemplateSyntaxError } from './config/template';
import { escapeTemplate, numberToString, toBody, Unknown } from './config/values';
import type { TerraformResourceRef } from './resources';
import { mayHoldUnknown, READ_ATTRIBUTES } from './unknown-scan';

/** How long a chain of references may be: the CLI evaluator's bound (config/module.ts MAX_REFERENCE_DEPTH). */
export const MAX_REFERENCE_DEPTH = 100;

/** Meta-arguments of a resource: not attributes another resource can read (config/module.ts RESOURCE_META). */
const RESOURCE_META: ReadonlySet<string> = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'provisioner', 'connection']);

/** A value: JSON, with what is not known as an {@link Unknown} (carrying how it is written back). */
type Value = Json;

/** One step of a reference after its root: `.name` (a string) or `[0]` / `["key"]` (an index). */
type Step = string | { readonly index: number | string };

const NAME = '[A-Za-z_][A-Za-z0-9_-]*';
/** The references the CLI reads without its parser too (config/ast.ts): names, `[0]`, `["key"]`. */
const SIMPLE_TRAVERSAL = new RegExp(`^${NAME}(?:\\.${NAME}|\\[\\d+\\]|\\["[^"\\\\$%]*"\\])*$`);
const TRAVERSAL_PART = new RegExp(`\\.(${NAME})|\\[(\\d+)\\]|\\["([^"]*)"\\]`, 'g');
const NUMBER = /^\d+(\.\d+)?([eE][+-]?\d+)?$/;

const IN_PROGRESS = Symbol('in progress');

const READ: ReadonlySet<string> = new Set(READ_ATTRIBUTES);

/**
 * The docker resources with their bodies as synth reads them: what the stack's own locals and resources decide is
 * written in (a copy of the body); a body with nothing decidable is the same object, and so is the list when no
 * body changes. `plain`, when the caller has scanned the bodies already: plain[i] is true when refs[i]'s body may hold
 * no expression (`mayHoldUnknown` is false), so it is not scanned again.
 */
export function withStackReferences(doc: Json, refs: TerraformResourceRef[], plain?: readonly boolean[]): TerraformResourceRef[] {
  let references: StackReferences | undefined;
  let out: TerraformResourceRef[] | undefined;
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i];
    if (plain !== undefined ? plain[i] : !mayHoldUnknown(ref.body, true)) continue;
    references ??= new StackReferences(doc);
    const body = references.body(ref.body);
    if (body === ref.body) continue;
    out ??= refs.slice();
    out[i] = { ...ref, body };
  }
  return out ?? refs;
}

/** The locals and resources of one Terraform JSON document, and the references to them evaluated (once each). */
export class StackReferences {
  private readonly locals = new Map<string, Json>();
  /** Resource bodies by `type.name`: the first declaration, as Terraform's merge keeps it (config/files.ts). */
  private readonly resources = new Map<string, Json>();
  private readonly resourceTypes = new Set<string>();
  private readonly localValues = new Map<string, Value | typeof IN_PROGRESS>();
  private readonly attributeValues = new Map<string, Value | typeof IN_PROGRESS>();
  private readonly templates = new Map<string, TemplateNode[] | null>();
  private depth = 0;
  /** How many times a reference led back to itself (a cycle: Terraform refuses it; unknown here). */
  public cycles = 0;
  /** References found and read so far: a string none of whose references was found is kept as written. */
  private found = 0;

  constructor(doc: Json) {
    for (const block of listOf(doc?.locals)) {
      if (!isMap(block)) continue;
      for (const name of Object.keys(block)) if (!this.locals.has(name)) this.locals.set(name, block[name]);
    }
    for (const block of listOf(doc?.resource)) {
      if (!isMap(block)) continue;
      for (const type of Object.keys(block)) {
        for (const byName of listOf(block[type])) {
          if (!isMap(byName)) continue;
          for (const name of Object.keys(byName)) {
            const body = listOf(byName[name])[0];
            const key = `${type}.${name}`;
            if (body === undefined || this.resources.has(key)) continue;
            this.resources.set(key, body);
            this.resourceTypes.add(type);
          }
        }
      }
    }
  }

  /** A resource body with what is decidable in the attributes the adapter reads written in; the same object if none. */
  public body(body: Json): Json {
    if (!isMap(body)) return body;
    let out: Json | undefined;
    // In the body's order, as check evaluates it: a cycle of locals leaves the residual of where it was entered.
    for (const key of Object.keys(body)) {
      if (!READ.has(key)) continue;
      const v = body[key];
      if (v === undefined || !mayHoldUnknown(v)) continue;
      const r = this.written(v);
      if (r === v) continue;
      out ??= { ...body };
      out[key] = r;
    }
    return out ?? body;
  }

  /** A value as written in a body, with its decidable references written in; the same object when none is. */
  private written(raw: Json): Json {
    if (typeof raw === 'string') {
      if (raw.indexOf('{') < 0 || !isExpression(raw)) return raw;
      const before = this.found;
      const v = this.template(raw);
      if (this.found === before) return raw;
      const out = toBody(v);
      return out === raw ? raw : out;
    }
    if (raw === null || typeof raw !== 'object') return raw;
    if (Array.isArray(raw)) {
      let out: Json[] | undefined;
      for (let i = 0; i < raw.length; i++) {
        const r = this.written(raw[i]);
        if (r === raw[i]) continue;
        out ??= raw.slice();
        out[i] = r;
      }
      return out ?? raw;
    }
    let out: Json | undefined;
    for (const k of Object.keys(raw)) {
      // A dynamic block stays as written (its field unknown); the `//` comment is no attribute.
      if (k === 'dynamic' || k === '//') continue;
      const v = raw[k];
      const r = this.written(v);
      const key = this.writtenKey(k);
      if (r === v && key === k) continue;
      out ??= { ...raw };
      if (key !== k) delete out[k];
      out[key] = r;
    }
    return out ?? raw;
  }

  /** A map key (`tmpfs = { (local.path) = ... }` is `"${local.path}"` in JSON): written in when a scalar is known. */
  private writtenKey(k: string): string {
    if (k.indexOf('{') < 0 || !isExpression(k)) return k;
    const before = this.found;
    const v = this.template(k);
    if (this.found === before) return k;
    if (v instanceof Unknown) return v.residual;
    const s = scalarText(v);
    return s === undefined ? k : escapeTemplate(s);
  }

  /** The value of a Terraform JSON string: one reference has its value's type; any other template is a string. */
  private template(s: string): Value {
    let nodes = this.templates.get(s);
    if (nodes === undefined) {
      try {
        nodes = parseTemplate(s);
      } catch (e) {
        if (!(e instanceof TemplateSyntaxError)) throw e;
        nodes = null;
      }
      this.templates.set(s, nodes);
    }
    // Directives and what does not parse stay as written.
    if (nodes === null || nodes.some((n) => n.kind !== 'literal' && n.kind !== 'interpolation')) return new Unknown(s);
    if (nodes.length === 1 && nodes[0].kind === 'interpolation') return this.expression(nodes[0].expr);
    let out = '';
    let unknown = false;
    for (const n of nodes) {
      if (n.kind === 'literal') {
        out += escapeTemplate(n.text);
        continue;
      }
      if (n.kind !== 'interpolation') continue;
      const v = this.expression(n.expr);
      const text = v instanceof Unknown ? undefined : scalarText(v);
      if (text === undefined) {
        unknown = true;
        out += v instanceof Unknown ? v.residual : Unknown.of(n.expr).residual;
      } else {
        out += escapeTemplate(text);
      }
    }
    return unknown ? new Unknown(out) : unescapeTemplate(out);
  }

  /** The value of one expression: a reference to a local or a resource attribute, or a literal; else unknown. */
  private expression(expr: string): Value {
    if (NUMBER.test(expr)) return this.literal(Number(expr));
    if (expr === 'true' || expr === 'false') return this.literal(expr === 'true');
    if (expr === 'null') return this.literal(null);
    const steps = SIMPLE_TRAVERSAL.test(expr) ? stepsOf(expr) : undefined;
    if (steps === undefined) return Unknown.of(expr);
    const root = steps[0] as string;
    const first = steps[1];
    if (root === 'local') {
      if (typeof first !== 'string' || !this.locals.has(first)) return Unknown.of(expr);
      this.found++;
      return follow(this.local(first), steps, 2, expr);
    }
    // var, data, module, path, each, count, self, terraform: values this stack's JSON does not hold.
    if (root === 'var' || root === 'module' || root === 'path' || !this.resourceTypes.has(root)) return Unknown.of(expr);
    const attr = steps[2];
    if (typeof first !== 'string' || attr === undefined) return Unknown.of(expr);
    const key = `${root}.${first}`;
    const body = this.resources.get(key);
    // A counted resource is a list (a for_each one a map) of instances: not one whose attribute this reads.
    if (!isMap(body) || body.count !== undefined || body.for_each !== undefined) return Unknown.of(expr);
    const name = typeof attr === 'string' ? attr : typeof attr.index === 'string' ? attr.index : undefined;
    // What the body does not set (`id`, a computed attribute) Terraform knows only after apply.
    if (name === undefined || name === 'dynamic' || RESOURCE_META.has(name) || !Object.prototype.hasOwnProperty.call(body, name)) {
      return Unknown.of(expr);
    }
    this.found++;
    return follow(this.attribute(key, name, body[name], expr), steps, 3, expr);
  }

  private literal(v: Value): Value {
    this.found++;
    return v;
  }

  private local(name: string): Value {
    const known = this.localValues.get(name);
    if (known === IN_PROGRESS) {
      this.cycles++; // a cycle: Terraform refuses it; unknown here
      return Unknown.of(`local.${name}`);
    }
    if (known !== undefined) return known;
    this.localValues.set(name, IN_PROGRESS);
    const v = this.nested(() => this.value(this.locals.get(name), `local.${name}`, 0), `local.${name}`);
    this.localValues.set(name, v);
    return v;
  }

  private attribute(key: string, name: string, raw: Json, expr: string): Value {
    const cacheKey = `${key}.${name}`;
    const known = this.attributeValues.get(cacheKey);
    if (known === IN_PROGRESS) {
      this.cycles++;
      return Unknown.of(expr);
    }
    if (known !== undefined) return known;
    this.attributeValues.set(cacheKey, IN_PROGRESS);
    const v = this.nested(() => this.value(raw, expr, 0), expr);
    this.attributeValues.set(cacheKey, v);
    return v;
  }

  /** Runs the evaluation one reference leads to: a chain of them is bounded (its end is unknown). */
  private nested(fn: () => Value, text: string): Value {
    if (this.depth >= MAX_REFERENCE_DEPTH) return Unknown.of(text);
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  /** A value as written in the document (a local's, an attribute's) evaluated: its strings are templates. */
  private value(raw: Json, text: string, depth: number): Value {
    if (depth > 100) return Unknown.of(text);
    if (typeof raw === 'string') return raw.indexOf('{') < 0 ? raw : this.template(raw);
    if (raw === null || raw === undefined || typeof raw !== 'object') return raw ?? null;
    if (Array.isArray(raw)) return raw.map((x) => this.value(x, text, depth + 1));
    const out: { [k: string]: Value } = {};
    for (const k of Object.keys(raw)) {
      if (k === 'dynamic') return Unknown.of(text);
      if (k === '//') {
        out[k] = raw[k];
        continue;
      }
      let key = k;
      if (k.indexOf('{') >= 0) {
        const kv = this.template(k);
        const s = kv instanceof Unknown ? kv.residual : scalarText(kv);
        if (s === undefined) return Unknown.of(text);
        key = s;
      }
      out[key] = this.value(raw[k], text, depth + 1);
    }
    return out;
  }
}

/** The steps of a simple traversal (`local.net["name"]` is `local`, `net`, {index: "name"}). */
function stepsOf(expr: string): Step[] {
  const root = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(expr)![0];
  const steps: Step[] = [root];
  TRAVERSAL_PART.lastIndex = root.length;
  for (let m = TRAVERSAL_PART.exec(expr); m; m = TRAVERSAL_PART.exec(expr)) {
    steps.push(m[1] !== undefined ? m[1] : m[2] !== undefined ? { index: Number(m[2]) } : { index: m[3] });
  }
  return steps;
}

/** Steps into a value from `from` on; what Terraform would refuse (a missing key, an index out of range) is unknown. */
function follow(v: Value, steps: Step[], from: number, expr: string): Value {
  for (let i = from; i < steps.length; i++) {
    if (v instanceof Unknown) return Unknown.of(expr);
    const step = steps[i];
    const key = typeof step === 'string' ? step : step.index;
    if (Array.isArray(v) && typeof step !== 'string') {
      const n = typeof key === 'number' ? key : /^\d+$/.test(key) ? Number(key) : -1;
      if (n < 0 || n >= v.length) return Unknown.of(expr);
      v = v[n];
    } else if (isMap(v) && Object.prototype.hasOwnProperty.call(v, String(key))) {
      v = v[String(key)];
    } else {
      return Unknown.of(expr);
    }
  }
  return v;
}

/**
 * A known value as template text: a string, a bool, a whole number (a fraction is printed by Terraform in its own
 * way: left unknown). Undefined for anything else (null, a list, an object: Terraform refuses them in a template).
 */
function scalarText(v: Value): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 1e21) return numberToString(v);
  return undefined;
}

function isMap(v: unknown): v is { [k: string]: Json } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Unknown);
}

function listOf(v: Json): Json[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}
