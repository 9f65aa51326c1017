/**
 * A small model of the TypeScript `convert` writes, and its printer. The mapping builds values (strings, numbers,
 * arrays, objects, `new` expressions, references) and statements; the printer alone decides the layout, the way
 * prettier would: a value stays on one line when it fits and holds no comment, otherwise it breaks one item per
 * line with a trailing comma, and the last object argument of a call hugs the call's parentheses.
 */

/** A value in the generated code. */
export type Code =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  /** An expression written as it is: an identifier, an enum member, a member access, a call. */
  | { readonly kind: 'ref'; readonly text: string }
  | { readonly kind: 'array'; readonly items: readonly Code[] }
  | { readonly kind: 'object'; readonly props: readonly Prop[] }
  | { readonly kind: 'new'; readonly className: string; readonly args: readonly Code[] };

/** One property of an object, with the comment lines written above it. */
export interface Prop {
  readonly key: string;
  readonly value: Code;
  readonly comments?: readonly string[];
}

/** A statement of the stack's constructor: `const name = value;` or `value;`, with comment lines above it. */
export interface Statement {
  readonly comments?: readonly string[];
  /** The constant it is bound to. @default - not bound: an expression statement */
  readonly constName?: string;
  readonly value: Code;
}

/** A module: a header comment, imports, and one exported stack class whose constructor runs the statements. */
export interface StackModule {
  readonly header: readonly string[];
  /** Module specifier -> names imported from it. */
  readonly imports: ReadonlyMap<string, readonly string[]>;
  /** Module-level constants, before the class. */
  readonly constants: readonly Statement[];
  readonly className: string;
  readonly classDoc: readonly string[];
  /** Groups of statements, separated by a blank line. */
  readonly body: readonly (readonly Statement[])[];
}

export const str = (value: string): Code => ({ kind: 'string', value });
export const num = (value: number): Code => ({ kind: 'number', value });
export const bool = (value: boolean): Code => ({ kind: 'boolean', value });
export const ref = (text: string): Code => ({ kind: 'ref', text });
export const arr = (items: readonly Code[]): Code => ({ kind: 'array', items });
export const obj = (props: readonly Prop[]): Code => ({ kind: 'object', props });
export const newOf = (className: string, args: readonly Code[]): Code => ({ kind: 'new', className, args });

/** The line width the printer keeps to (the project's lint allows 150; prettier's habit is narrower). */
export const LINE_WIDTH = 120;
const INDENT = '  ';

/** A string literal in single quotes, every character that could end or bend it escaped. */
export function quote(s: string): string {
  let out = "'";
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === "'") out += "\\'";
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || (code >= 0x202a && code <= 0x202e)
      || (code >= 0x2066 && code <= 0x2069)) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + "'";
}

/** A property key: bare when it is an identifier, quoted otherwise. */
export function propertyKey(key: string): string {
  // `__proto__: v`, quoted or not, sets the prototype: only a computed key makes it a property.
  if (key === '__proto__') return `[${quote(key)}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key);
}

/** The text of a comment line, safe inside `//` (no line break can end it early). */
export function commentText(s: string): string {
  return s.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/**
 * A comment's text as lines of at most `width` characters, broken at spaces (a longer word stays whole); a list item
 * (`- ...`) continues indented under its text.
 */
export function wrapComment(text: string, width: number): string[] {
  const clean = commentText(text);
  const indent = /^- /.test(clean) ? '  ' : '';
  const out: string[] = [];
  let line = '';
  for (const word of clean.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      out.push(line);
      line = indent + word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  out.push(line);
  return out;
}

/** Comment lines at `pad`, wrapped to the line width. */
function commentLines(lines: readonly string[], pad: string): string {
  return lines.flatMap((l) => (l === '' ? [''] : wrapComment(l, LINE_WIDTH - pad.length - 3)))
    .map((l) => (l === '' ? `${pad}//\n` : `${pad}// ${l}\n`)).join('');
}

/** The one-line form, or undefined when the value holds a comment (and so must break). */
function flat(c: Code): string | undefined {
  switch (c.kind) {
    case 'string': return quote(c.value);
    case 'number': return numberText(c.value);
    case 'boolean': return String(c.value);
    case 'ref': return c.text;
    case 'array': {
      const items = c.items.map(flat);
      return items.some((i) => i === undefined) ? undefined : `[${items.join(', ')}]`;
    }
    case 'object': {
      if (c.props.length === 0) return '{}';
      if (c.props.some((p) => p.comments?.length)) return undefined;
      const props = c.props.map((p) => {
        const v = flat(p.value);
        return v === undefined ? undefined : `${propertyKey(p.key)}: ${v}`;
      });
      return props.some((p) => p === undefined) ? undefined : `{ ${props.join(', ')} }`;
    }
    case 'new': {
      const args = c.args.map(flat);
      return args.some((a) => a === undefined) ? undefined : `new ${c.className}(${args.join(', ')})`;
    }
  }
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`cannot write ${n} as a literal`);
  return Object.is(n, -0) ? '0' : String(n);
}

/**
 * The value printed at `depth` levels of indentation, its first line starting `used` characters into the line
 * (what precedes it: the indentation, a key, `const x = `) and followed by `trailing` characters (`,` or `;`).
 */
export function printCode(c: Code, depth: number, used: number, trailing = 0): string {
  const one = flat(c);
  if (one !== undefined && used + one.length + trailing <= LINE_WIDTH && !one.includes('\n')) return one;
  const pad = INDENT.repeat(depth + 1);
  const close = INDENT.repeat(depth);
  switch (c.kind) {
    case 'array':
      if (c.items.length === 0) return '[]';
      return `[\n${c.items.map((i) => `${pad}${printCode(i, depth + 1, pad.length, 1)},\n`).join('')}${close}]`;
    case 'object': {
      if (c.props.length === 0) return '{}';
      const lines = c.props.map((p) => {
        const comments = commentLines(p.comments ?? [], pad);
        const head = `${pad}${propertyKey(p.key)}: `;
        return `${comments}${head}${printCode(p.value, depth + 1, head.length, 1)},\n`;
      });
      return `{\n${lines.join('')}${close}}`;
    }
    case 'new': {
      const head = `new ${c.className}(`;
      const last = c.args[c.args.length - 1];
      const firstArgs = c.args.slice(0, -1).map(flat);
      // prettier's hug: the leading arguments on the call's line, the last object or array broken below it.
      if (last && (last.kind === 'object' || last.kind === 'array') && firstArgs.every((a) => a !== undefined)) {
        const lead = `${head}${firstArgs.map((a) => `${a}, `).join('')}`;
        if (used + lead.length <= LINE_WIDTH) return `${lead}${printCode(last, depth, used + lead.length, 1 + trailing)})`;
      }
      return `${head}\n${c.args.map((a) => `${pad}${printCode(a, depth + 1, pad.length, 1)},\n`).join('')}${close})`;
    }
    default:
      // Scalars and references do not break: a long one stays long (a string is not split).
      return one ?? '';
  }
}

/** One statement at `depth`, with its comments, ending in a newline. */
function printStatement(s: Statement, depth: number): string {
  const pad = INDENT.repeat(depth);
  const comments = commentLines(s.comments ?? [], pad);
  const head = `${pad}${s.constName ? `const ${s.constName} = ` : ''}`;
  return `${comments}${head}${printCode(s.value, depth, head.length, 1)};\n`;
}

/** The module's text. */
export function printModule(m: StackModule): string {
  let out = '';
  out += commentLines(m.header, '');
  if (m.header.length) out += '\n';
  const specifiers = [...m.imports.keys()].sort(importOrder);
  for (const spec of specifiers) {
    const names = [...new Set(m.imports.get(spec)!)].sort();
    const line = `import { ${names.join(', ')} } from ${quote(spec)};`;
    out += line.length <= LINE_WIDTH ? `${line}\n` : `import {\n${names.map((n) => `${INDENT}${n},\n`).join('')}} from ${quote(spec)};\n`;
  }
  out += '\n';
  if (m.constants.length) {
    for (const c of m.constants) out += printStatement(c, 0);
    out += '\n';
  }
  if (m.classDoc.length) {
    const doc = wrapComment(m.classDoc.join(' ').replace(/\*\//g, '* /'), LINE_WIDTH - 3);
    out += `/**\n${doc.map((l) => ` * ${l}\n`).join('')} */\n`;
  }
  out += `export class ${m.className} extends TerraformStack {\n`;
  out += `${INDENT}constructor(scope: Construct, id: string) {\n`;
  out += `${INDENT}${INDENT}super(scope, id);\n`;
  for (const group of m.body) {
    if (!group.length) continue;
    out += '\n';
    for (const s of group) out += printStatement(s, 2);
  }
  out += `${INDENT}}\n}\n`;
  return out;
}

/** Package imports before relative ones, each alphabetical (the order eslint's import/order keeps here). */
function importOrder(a: string, b: string): number {
  const rel = (s: string) => (s.startsWith('.') ? 1 : 0);
  return rel(a) - rel(b) || a.localeCompare(b);
}
