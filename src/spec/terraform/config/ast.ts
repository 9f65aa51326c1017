/**
 * Expression syntax trees from `@cdktf/hcl2json`'s `getExpressionAst` (HCL's own parser in WebAssembly), cached per
 * distinct expression text: real configurations repeat the same expressions many times. Parsing is asynchronous, so
 * a module's expressions are parsed ahead ({@link prepareExpressions}) and evaluation then reads the cache.
 *
 * References (`var.memory`, `docker_network.n.name`, `each.value["x"]`) and plain literals, the most common
 * expressions by far, are recognised here without the parser: a Terraform JSON file whose only expressions are
 * references never loads the WebAssembly (about half a second).
 */

export interface AstNode {
  readonly type: string;
  readonly children: AstNode[];
  readonly meta?: any;
  readonly range?: { start: { byte: number }; end: { byte: number } };
}

/** The parse of one expression text: its tree, or the parser's message. */
export type Parsed = { readonly ast: AstNode; readonly source: string } | { readonly error: string };

const cache = new Map<string, Parsed>();

let parser: { getExpressionAst(file: string, text: string): Promise<any> } | undefined;

function hcl() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!parser) parser = require('@cdktf/hcl2json');
  return parser!;
}

const NAME = '[A-Za-z_][A-Za-z0-9_-]*';
const SIMPLE_TRAVERSAL = new RegExp(`^${NAME}(?:\\.${NAME}|\\[\\d+\\]|\\["[^"\\\\$%]*"\\])*$`);
const TRAVERSAL_PART = new RegExp(`\\.(${NAME})|\\[(\\d+|"[^"]*")\\]`, 'g');
const NUMBER = /^\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** The tree of a reference or literal, built without the parser; undefined for anything else. */
function simpleAst(text: string): AstNode | undefined {
  if (NUMBER.test(text)) return { type: 'literalValue', children: [], meta: { type: 'number', value: text } };
  if (text === 'true' || text === 'false') return { type: 'literalValue', children: [], meta: { type: 'bool', value: text } };
  if (text === 'null') return { type: 'literalValue', children: [], meta: { type: 'dynamic', value: text } };
  if (!SIMPLE_TRAVERSAL.test(text)) return undefined;
  const root = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text)![0];
  const traversal: any[] = [{ type: 'nameTraversal', segment: root }];
  TRAVERSAL_PART.lastIndex = root.length;
  for (let m = TRAVERSAL_PART.exec(text); m; m = TRAVERSAL_PART.exec(text)) {
    traversal.push(m[1] !== undefined ? { type: 'nameTraversal', segment: m[1] } : { type: 'indexTraversal', segment: m[2] });
  }
  return { type: 'scopeTraversal', children: [], meta: { fullAccessor: text, value: text, traversal } };
}

/** Parses every expression text not parsed yet. */
export async function prepareExpressions(texts: Iterable<string>): Promise<void> {
  for (const text of texts) {
    if (cache.has(text)) continue;
    const simple = simpleAst(text);
    if (simple) {
      cache.set(text, { ast: simple, source: text });
      continue;
    }
    try {
      const ast = await hcl().getExpressionAst('expression.tf', text);
      cache.set(text, ast ? { ast, source: text } : { error: 'empty expression' });
    } catch (e: any) {
      cache.set(text, { error: parserMessage(String(e?.message ?? e)) });
    }
  }
}

/** The parse of an expression text; undefined when it was not prepared. */
export function parsedExpression(text: string): Parsed | undefined {
  const hit = cache.get(text);
  if (hit) return hit;
  const simple = simpleAst(text);
  if (!simple) return undefined;
  const parsed = { ast: simple, source: text };
  cache.set(text, parsed);
  return parsed;
}

/** `getExpressionAst errors on input string '...': x.tf:0,21-1,1: Summary; detail, and 3 other diagnostic(s)` to its summary. */
function parserMessage(raw: string): string {
  const m = /:\s*expression\.tf:\d+,\d+(?:-\d+,\d+)?:\s*([^;]*)(?:;\s*([^\n]*))?/.exec(raw);
  if (!m) return raw.replace(/\s+/g, ' ').slice(0, 200);
  const detail = (m[2] ?? '').replace(/, and \d+ other diagnostic\(s\).*$/, '').trim();
  return detail ? `${m[1].trim()}: ${detail}` : m[1].trim();
}
