/**
 * The defaults of a variable type's `optional(type, default)` attributes, filled in as Terraform does.
 */
import { AstNode, parsedExpression } from './ast';
import { EMPTY_SCOPE, evalNode, textOf } from './evaluator';
import { isObject, Unknown, Value } from './values';

/**
 * A variable's value with the defaults of its type's `optional(type, default)` attributes filled in, as Terraform
 * does (`object({ read_only = optional(bool, true) })`), in nested objects, lists, sets and maps too. The type is an
 * expression text (prepared like any other); a type it cannot read leaves the value as it is.
 */
export function applyTypeDefaults(value: Value, typeText: string): Value {
  const parsed = parsedExpression(typeText);
  if (!parsed || 'error' in parsed) return value;
  return withDefaults(value, parsed.ast, Buffer.from(parsed.source, 'utf8'), 0);
}

function withDefaults(value: Value, type: AstNode, source: Buffer, depth: number): Value {
  if (depth > 32 || value === null || value instanceof Unknown) return value;
  while (type.type === '' && type.children?.length === 1) type = type.children[0];
  if (type.type !== 'function') return value;
  const name: string = type.meta?.name;
  const arg = type.children?.[0];
  if (!arg) return value;
  if ((name === 'list' || name === 'set') && Array.isArray(value)) return value.map((v) => withDefaults(v, arg, source, depth + 1));
  if (name === 'map' && isObject(value)) {
    const out: { [k: string]: Value } = {};
    for (const k of Object.keys(value)) out[k] = withDefaults(value[k], arg, source, depth + 1);
    return out;
  }
  if (name !== 'object' || !isObject(value) || arg.type !== 'object') return value;
  const out: { [k: string]: Value } = { ...value };
  const kids = arg.children ?? [];
  for (let i = 0; i + 1 < kids.length; i += 2) {
    const keyNode = kids[i];
    if (keyNode.children.length !== 0 || !keyNode.range) continue;
    const key = source.subarray(keyNode.range.start.byte, keyNode.range.end.byte).toString('utf8');
    let attrType = kids[i + 1];
    if (attrType.type === 'function' && attrType.meta?.name === 'optional') {
      const [inner, dflt] = attrType.children ?? [];
      if (out[key] === undefined || out[key] === null) {
        let d: Value = null;
        if (dflt) {
          try {
            d = evalNode(dflt, { scope: EMPTY_SCOPE, source, depth: 0 }, textOf(dflt, sourceText(source)));
          } catch {
            d = null;
          }
        }
        out[key] = d;
      }
      if (!inner) continue;
      attrType = inner;
    }
    if (out[key] !== undefined) out[key] = withDefaults(out[key], attrType, source, depth + 1);
  }
  return out;
}

function sourceText(source: Buffer): string {
  return source.toString('utf8');
}
