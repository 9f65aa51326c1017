/**
 * Terraform's `jsonencode` and `yamlencode`, and their result for a value only partly known: the document with each
 * unknown part as a placeholder, which a compose reader reads (see PartialEncoding).
 */
import { EvalError, isLazy, isObject, materialize, PartialEncoding, Unknown, Value } from './values';
import { AFTER_APPLY_PLACEHOLDER_PREFIX } from '../../compose/interpolate';

/** Terraform's jsonencode: compact JSON. */
export function jsonEncode(v: Value): string {
  return JSON.stringify(materialize(v));
}

/** Terraform's yamlencode form: strings and keys double-quoted, keys sorted. (`yaml` loaded on first use.) */
export function yamlEncode(v: Value): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { stringify } = require('yaml') as typeof import('yaml');
  return stringify(materialize(v), { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'QUOTE_DOUBLE', lineWidth: 0, indentSeq: false, sortMapEntries: true });
}

/** Numbers the placeholders of partial documents: unique in a run, so that the files of one project never share one. */
let placeholderCount = 0;

/**
 * `jsonencode` / `yamlencode` of a value with unknown parts: unknown, with the document it will be, each unknown part
 * (a leaf, or a whole list or object: a `merge()` of a variable, an object with an unknown key) written as
 * `${PLACEHOLDER}`. Undefined when the value itself is unknown: there is no document to keep.
 */
export function partialEncoding(name: 'jsonencode' | 'yamlencode', v: Value, text: string): Unknown | undefined {
  if (v instanceof Unknown) return undefined;
  const unknowns = new Map<string, string>();
  const withPlaceholders = (x: Value, depth: number): Value => {
    if (depth > 64) throw new EvalError('value nested too deeply');
    if (x instanceof Unknown) {
      const placeholder = `${AFTER_APPLY_PLACEHOLDER_PREFIX}${++placeholderCount}`;
      unknowns.set(placeholder, x.residual);
      return '${' + placeholder + '}';
    }
    if (isLazy(x)) return withPlaceholders(x.all(), depth + 1);
    if (Array.isArray(x)) return x.map((item) => withPlaceholders(item, depth + 1));
    if (isObject(x)) {
      const out: { [k: string]: Value } = {};
      for (const k of Object.keys(x)) out[k] = withPlaceholders(x[k], depth + 1);
      return out;
    }
    return x;
  };
  const known = withPlaceholders(v, 0);
  const document = name === 'jsonencode' ? jsonEncode(known) : yamlEncode(known);
  return new PartialEncoding(Unknown.of(text).residual, { document, unknowns });
}
