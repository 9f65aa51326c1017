/**
 * Terraform JSON templates (the strings of `*.tf.json`, and of `@cdktf/hcl2json`'s rendering of HCL) split into their
 * parts: literal text, interpolations `${expr}`, and the directives `%{if}`, `%{else}`, `%{endif}`, `%{for}`,
 * `%{endfor}`, with the `~` strip markers applied. The expressions inside are parsed by HCL's own parser
 * (see ast.ts); this module only finds where each one ends.
 */

export type TemplateNode =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'interpolation'; readonly expr: string }
  | { readonly kind: 'if'; readonly cond: string; readonly then: TemplateNode[]; readonly else: TemplateNode[] }
  | { readonly kind: 'for'; readonly keyVar?: string; readonly valueVar: string; readonly collection: string; readonly body: TemplateNode[] };

type Flat =
  | { kind: 'literal'; text: string }
  | { kind: 'interpolation' | 'if' | 'else' | 'endif' | 'for' | 'endfor'; expr: string; stripBefore: boolean; stripAfter: boolean; keyVar?: string; valueVar?: string };

/** Thrown for a template whose structure is malformed; the message says what and where (offset in the string). */
export class TemplateSyntaxError extends Error {}

/** True when the string holds an interpolation or a directive (`$${` and `%%{` are escaped literals). */
export function hasTemplate(s: string): boolean {
  return s.indexOf('{') >= 0 && /(^|[^$])\$\{|(^|[^%])%\{/.test(s);
}

/**
 * The end (index of the closing `}`) of the expression starting at `start` inside `${` or `%{`; -1 when unclosed.
 * Skips nested braces and quoted strings, with their own nested interpolations.
 */
export function expressionEnd(s: string, start: number): number {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      i = quotedEnd(s, i + 1);
      if (i < 0) return -1;
    } else if (c === '{') {
      depth++;
    } else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    } else if (c === '<' && s[i + 1] === '<') {
      // A heredoc inside an interpolation (hcl2json keeps it as written): skip to its closing marker's line.
      const m = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)\r?\n/.exec(s.slice(i, i + 256));
      if (!m) return -1;
      const close = new RegExp(`\\n[ \\t]*${m[1]}(?![A-Za-z0-9_-])`, 'g');
      close.lastIndex = i + m[0].length - 1;
      const e = close.exec(s);
      if (!e) return -1;
      i = e.index + e[0].length - 1;
    }
  }
  return -1;
}

/** The index of the closing quote of a quoted string whose text starts at `i`; -1 when unclosed. */
function quotedEnd(s: string, i: number): number {
  for (; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      i++;
    } else if (c === '"') {
      return i;
    } else if ((c === '$' || c === '%') && s[i + 1] === '{') {
      if (s[i - 1] === c && s[i - 2] !== c) continue; // `$${` escape (the first `$` was seen already)
      const end = expressionEnd(s, i + 2);
      if (end < 0) return -1;
      i = end;
    }
  }
  return -1;
}

const DIRECTIVE_FOR = /^for\s+([A-Za-z_][\w-]*)\s*(?:,\s*([A-Za-z_][\w-]*)\s*)?\s+in\s+([\s\S]+)$/;

function flatParts(s: string): Flat[] {
  const out: Flat[] = [];
  let lit = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if ((c === '$' || c === '%') && s[i + 1] === c && s[i + 2] === '{') {
      lit += c + '{';
      i += 3;
      continue;
    }
    if ((c === '$' || c === '%') && s[i + 1] === '{') {
      const end = expressionEnd(s, i + 2);
      if (end < 0) throw new TemplateSyntaxError(`unclosed "${c}{" at offset ${i}`);
      let inner = s.slice(i + 2, end);
      const stripBefore = inner.startsWith('~');
      const stripAfter = inner.endsWith('~') && inner.length > (stripBefore ? 1 : 0);
      if (stripBefore) inner = inner.slice(1);
      if (stripAfter) inner = inner.slice(0, -1);
      if (lit) out.push({ kind: 'literal', text: lit });
      lit = '';
      if (c === '$') {
        out.push({ kind: 'interpolation', expr: inner.trim(), stripBefore, stripAfter });
      } else {
        out.push(directive(inner.trim(), stripBefore, stripAfter, i));
      }
      i = end + 1;
      continue;
    }
    lit += c;
    i++;
  }
  if (lit) out.push({ kind: 'literal', text: lit });
  // Strip markers: `~` after the opening brace trims the whitespace before; before the closing one, after.
  for (let k = 0; k < out.length; k++) {
    const p = out[k];
    if (p.kind === 'literal') continue;
    if (p.stripBefore && out[k - 1]?.kind === 'literal') (out[k - 1] as any).text = (out[k - 1] as any).text.replace(/\s+$/, '');
    if (p.stripAfter && out[k + 1]?.kind === 'literal') (out[k + 1] as any).text = (out[k + 1] as any).text.replace(/^\s+/, '');
  }
  return out.filter((p) => p.kind !== 'literal' || p.text !== '');
}

function directive(text: string, stripBefore: boolean, stripAfter: boolean, at: number): Flat {
  if (/^if\s/.test(text)) return { kind: 'if', expr: text.slice(2).trim(), stripBefore, stripAfter };
  if (text === 'else') return { kind: 'else', expr: '', stripBefore, stripAfter };
  if (text === 'endif') return { kind: 'endif', expr: '', stripBefore, stripAfter };
  if (text === 'endfor') return { kind: 'endfor', expr: '', stripBefore, stripAfter };
  const m = DIRECTIVE_FOR.exec(text);
  if (m) {
    return m[2] !== undefined
      ? { kind: 'for', keyVar: m[1], valueVar: m[2], expr: m[3].trim(), stripBefore, stripAfter }
      : { kind: 'for', valueVar: m[1], expr: m[3].trim(), stripBefore, stripAfter };
  }
  throw new TemplateSyntaxError(`unknown template directive "%{${text}}" at offset ${at}; valid: if, else, endif, for, endfor`);
}

/** The parts of a template string, directives nested. Throws TemplateSyntaxError when malformed. */
export function parseTemplate(s: string): TemplateNode[] {
  const flat = flatParts(s);
  let k = 0;
  const seq = (closers: string[]): { nodes: TemplateNode[]; closer?: string } => {
    const nodes: TemplateNode[] = [];
    while (k < flat.length) {
      const p = flat[k++];
      if (p.kind === 'literal') {
        nodes.push({ kind: 'literal', text: p.text });
      } else if (p.kind === 'interpolation') {
        nodes.push({ kind: 'interpolation', expr: p.expr });
      } else if (p.kind === 'if') {
        const then = seq(['else', 'endif']);
        let otherwise: TemplateNode[] = [];
        if (then.closer === 'else') otherwise = seq(['endif']).nodes;
        else if (then.closer !== 'endif') throw new TemplateSyntaxError(`"%{if ${p.expr}}" has no "%{endif}"`);
        nodes.push({ kind: 'if', cond: p.expr, then: then.nodes, else: otherwise });
      } else if (p.kind === 'for') {
        const body = seq(['endfor']);
        if (body.closer !== 'endfor') throw new TemplateSyntaxError(`"%{for ... in ${p.expr}}" has no "%{endfor}"`);
        nodes.push({ kind: 'for', keyVar: p.keyVar, valueVar: p.valueVar!, collection: p.expr, body: body.nodes });
      } else if (closers.includes(p.kind)) {
        return { nodes, closer: p.kind };
      } else {
        throw new TemplateSyntaxError(`"%{${p.kind}}" without its opening directive`);
      }
    }
    return { nodes };
  };
  const top = seq([]);
  return top.nodes;
}

/** Every expression text of a template (interpolations, conditions, collections), for parsing them ahead. */
export function templateExpressions(nodes: TemplateNode[], out: string[] = []): string[] {
  for (const n of nodes) {
    if (n.kind === 'interpolation') {out.push(n.expr);} else if (n.kind === 'if') {
      out.push(n.cond);
      templateExpressions(n.then, out);
      templateExpressions(n.else, out);
    } else if (n.kind === 'for') {
      out.push(n.collection);
      templateExpressions(n.body, out);
    }
  }
  return out;
}
