/**
 * Raw body values of Terraform JSON evaluated in a scope: templates, `dynamic` blocks, and the meta-arguments
 * stripped from what the adapter reads.
 */
import { evaluateTemplateString, iterable, Scope } from './evaluator';
import { BlockRef } from './files';
import { RESOURCE_META } from './module';
import { InstanceKey, ModuleInstance } from './module-instance';
import { asString, EvalError, Unknown, Value, withUnknownKeys } from './values';
import { mayHoldUnknown } from '../../terraform-adapter';

/**
 * True when a resource body holds something to evaluate in what the adapter reads (the attributes it reads, a
 * `dynamic` block) or a meta-argument. An expression elsewhere (`env`, `command`) changes no finding: it stays as written.
 */
export function needsEvaluation(body: any): boolean {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  if (body.count !== undefined || body.for_each !== undefined || body.depends_on !== undefined || body.lifecycle !== undefined
    || body.provider !== undefined || body.provisioner !== undefined || body.connection !== undefined) return true;
  return mayHoldUnknown(body, true);
}

export function stripMeta(body: any): any {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const out: any = {};
  for (const k of Object.keys(body)) if (!RESOURCE_META.has(k)) out[k] = body[k];
  return out;
}

/** The one instance of a block whose count or for_each is undecidable: its `count.index` and `each.*` are unknown. */
export function unknownKey(ref: BlockRef): InstanceKey {
  if (ref.body?.for_each !== undefined) return { suffix: '', each: { key: Unknown.of('each.key'), value: Unknown.of('each.value') } };
  return { suffix: '', countIndex: Unknown.of('count.index') };
}

/** The scope of one instance: the module's, with `each` or `count` bound. */
export function instanceScope(module: ModuleInstance, key: InstanceKey): Scope {
  if (!key.each && key.countIndex === undefined) return module;
  const each = key.each ? { key: key.each.key, value: key.each.value } : undefined;
  const count = key.countIndex !== undefined ? { index: key.countIndex } : undefined;
  return {
    root: (name) => {
      if (name === 'each') return each;
      if (name === 'count') return count;
      return module.root(name);
    },
    optionalAttributes: (v) => module.optionalAttributes(v),
  };
}

/**
 * Evaluates a raw body value (Terraform JSON: strings are templates, `dynamic` keys hold dynamic blocks). `bound`
 * holds iterator names of enclosing dynamic blocks.
 *
 * A map key only Terraform knows (`"${var.k}": "1g"`) makes the whole map unknown, as in Terraform, unless `body` is
 * set: a resource body keeps the map's known entries and carries that entry under the key's residual (see
 * {@link withUnknownKeys}), so that the adapter reads what it reads from the body as written (the known entries, and
 * the field unknown).
 */
export function evalRaw(raw: any, scope: Scope, bound: ReadonlyMap<string, Value> | undefined, depth: number, body = false): Value {
  if (depth > 100) throw new EvalError('body nested too deeply');
  if (typeof raw === 'string') {
    if (raw.indexOf('{') < 0) return raw;
    return evaluateTemplateString(raw, scope, bound);
  }
  if (raw === null || typeof raw !== 'object') return raw === undefined ? null : raw;
  if (Array.isArray(raw)) return raw.map((x) => evalRaw(x, scope, bound, depth + 1, body));
  const out: { [k: string]: Value } = {};
  let unknownKeys: Map<string, Value> | undefined;
  let dynamics: any;
  for (const k of Object.keys(raw)) {
    if (k === 'dynamic') {
      dynamics = raw[k];
      continue;
    }
    if (k === '//') {
      out[k] = raw[k];
      continue;
    }
    const key = k.indexOf('{') >= 0 ? evaluateTemplateString(k, scope, bound) : k;
    if (key instanceof Unknown && !body) return key;
    const v = evalRaw(raw[k], scope, bound, depth + 1, body);
    if (key instanceof Unknown) (unknownKeys ??= new Map()).set(key.residual, v);
    else out[asString(key, `key "${k}"`)] = v;
  }
  if (dynamics !== undefined) expandDynamic(dynamics, out, scope, bound, depth, body);
  return unknownKeys ? withUnknownKeys(out, unknownKeys) : out;
}

/**
 * Expands `dynamic` blocks over decidable collections into ordinary blocks (after the static blocks of the same type);
 * an undecidable one stays under `dynamic` (the adapter reads its field as unknown).
 */
function expandDynamic(dynamics: any, out: { [k: string]: Value }, scope: Scope, bound: ReadonlyMap<string, Value> | undefined, depth: number,
  body: boolean): void {
  const residual: { [k: string]: Value[] } = {};
  for (const group of Array.isArray(dynamics) ? dynamics : [dynamics]) {
    if (group === null || typeof group !== 'object') continue;
    for (const type of Object.keys(group)) {
      for (const spec of Array.isArray(group[type]) ? group[type] : [group[type]]) {
        if (spec === null || typeof spec !== 'object') continue;
        const iteratorName = typeof spec.iterator === 'string' ? spec.iterator.replace(/^\$\{\s*|\s*\}$/g, '') : type;
        const coll = evalRaw(spec.for_each, scope, bound, depth + 1);
        const items = coll instanceof Unknown ? undefined : iterable(coll, `dynamic "${type}" for_each`);
        if (!items) {
          // Left unexpanded, with its collection's residual: the adapter reads the field as unknown.
          (residual[type] ??= []).push({ for_each: coll });
          continue;
        }
        const contents = spec.content === undefined ? [{}] : Array.isArray(spec.content) ? spec.content : [spec.content];
        const blocks: Value[] = [];
        for (const [k, v] of items) {
          const inner = new Map(bound ?? []);
          inner.set(iteratorName, { key: k, value: v });
          for (const c of contents) blocks.push(evalRaw(c, scope, inner, depth + 1, body));
        }
        const existing = out[type];
        out[type] = existing === undefined || existing === null ? blocks : [...(Array.isArray(existing) ? existing : [existing]), ...blocks];
      }
    }
  }
  if (Object.keys(residual).length) out.dynamic = residual;
}
