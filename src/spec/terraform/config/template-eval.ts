/**
 * Templates evaluated: Terraform JSON strings (`${...}`, `%{...}`), and the quoted strings and heredocs inside
 * expressions.
 */
import { AstNode } from './ast';
import { Ctx, evalNode, evaluateExpression, iterable, Scope, textOf } from './evaluator';
import { parseTemplate, TemplateNode, TemplateSyntaxError } from './template';
import { asBool, asString, escapeTemplate, firstUnknown, Unknown, Value } from './values';

/**
 * The value of a Terraform JSON string: a template whose parts are literal text, `${...}` and `%{...}`. A template of
 * exactly one interpolation has that expression's value, of whatever type; any other is a string.
 */
export function evaluateTemplateString(s: string, scope: Scope, bound?: ReadonlyMap<string, Value>): Value {
  let nodes: TemplateNode[];
  try {
    nodes = templateNodes(s);
  } catch (e) {
    // Text that HCL's parser accepted but this splitter cannot follow: unknown as written, never a false error.
    if (e instanceof TemplateSyntaxError) return new Unknown(s);
    throw e;
  }
  if (nodes.length === 1 && nodes[0].kind === 'interpolation') return evaluateExpression(nodes[0].expr, scope, bound);
  return evalTemplateNodes(nodes, scope, bound);
}

const templateCache = new Map<string, TemplateNode[]>();

/** The parsed parts of a template string, cached per text. */
export function templateNodes(s: string): TemplateNode[] {
  let nodes = templateCache.get(s);
  if (!nodes) {
    nodes = parseTemplate(s);
    if (templateCache.size < 100_000) templateCache.set(s, nodes);
  }
  return nodes;
}

function evalTemplateNodes(nodes: TemplateNode[], scope: Scope, bound: ReadonlyMap<string, Value> | undefined): Value {
  let out = '';
  let unknown = false;
  for (const n of nodes) {
    const v = evalTemplateNode(n, scope, bound);
    if (v instanceof Unknown) {
      unknown = true;
      out += v.residual;
    } else {
      out += escapeTemplate(v);
    }
  }
  return unknown ? new Unknown(out) : unescapeAll(out);
}

/** Undoes escapeTemplate on a wholly known result. */
function unescapeAll(s: string): string {
  return s.indexOf('{') < 0 ? s : s.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

function evalTemplateNode(n: TemplateNode, scope: Scope, bound: ReadonlyMap<string, Value> | undefined): string | Unknown {
  switch (n.kind) {
    case 'literal':
      return n.text;
    case 'interpolation': {
      const v = evaluateExpression(n.expr, scope, bound);
      if (v instanceof Unknown) return v;
      if (firstUnknown(v)) return Unknown.of(n.expr);
      return asString(v, `\${${n.expr}}`);
    }
    case 'if': {
      const c = evaluateExpression(n.cond, scope, bound);
      if (c instanceof Unknown) return new Unknown(`%{ if ${n.cond} }${renderNodes(n.then)}${n.else.length ? `%{ else }${renderNodes(n.else)}` : ''}%{ endif }`);
      const v = evalTemplateNodes(asBool(c, `%{if ${n.cond}}`) ? n.then : n.else, scope, bound);
      return v as string | Unknown;
    }
    case 'for': {
      const coll = evaluateExpression(n.collection, scope, bound);
      const items = coll instanceof Unknown ? undefined : iterable(coll, `%{for ... in ${n.collection}}`);
      if (!items) return new Unknown(`%{ for ${n.keyVar ? n.keyVar + ', ' : ''}${n.valueVar} in ${n.collection} }${renderNodes(n.body)}%{ endfor }`);
      let out = '';
      let unknown = false;
      for (const [k, v] of items) {
        const inner = new Map(bound ?? []);
        if (n.keyVar) inner.set(n.keyVar, k);
        inner.set(n.valueVar, v);
        const part = evalTemplateNodes(n.body, scope, inner);
        if (part instanceof Unknown) {
          unknown = true;
          out += part.residual;
        } else {
          out += escapeTemplate(part as string);
        }
      }
      return unknown ? new Unknown(out) : unescapeAll(out);
    }
  }
}

/** A template's parts written back as template text (for the residual of an undecidable directive). */
function renderNodes(nodes: TemplateNode[]): string {
  return nodes.map((n) => {
    switch (n.kind) {
      case 'literal': return escapeTemplate(n.text);
      case 'interpolation': return `\${${n.expr}}`;
      case 'if': return `%{ if ${n.cond} }${renderNodes(n.then)}${n.else.length ? `%{ else }${renderNodes(n.else)}` : ''}%{ endif }`;
      case 'for': return `%{ for ${n.keyVar ? n.keyVar + ', ' : ''}${n.valueVar} in ${n.collection} }${renderNodes(n.body)}%{ endfor }`;
    }
  }).join('');
}

/** A quoted string or heredoc inside an expression: its literal parts come raw from the source. */
export function evalAstTemplate(node: AstNode, c: Ctx, text: string): Value {
  const src: string = node.meta?.value ?? '';
  const heredoc = src.startsWith('<<');
  if (/~\}|\{~/.test(src)) return Unknown.of(text); // strip markers inside nested templates: not modelled
  let out = '';
  let unknown = false;
  const add = (v: Value, partText: string) => {
    if (v instanceof Unknown) {
      unknown = true;
      out += v.residual;
    } else if (firstUnknown(v)) {
      unknown = true;
      out += Unknown.of(partText).residual;
    } else {
      out += escapeTemplate(asString(v, `\${${partText}}`));
    }
  };
  for (const k of node.children ?? []) {
    if (k.type === 'literalValue' && k.meta?.type === 'string') {
      out += escapeTemplate(heredoc ? unescapeHeredoc(k.meta.value) : unescapeQuoted(k.meta.value));
    } else if (k.type === 'conditional' && k.children.length === 3) {
      const cond = evalNode(k.children[0], c, textOf(k.children[0], text));
      if (cond instanceof Unknown) return Unknown.of(text);
      const branch = asBool(cond, 'template condition') ? k.children[1] : k.children[2];
      add(evalNode(branch, c, textOf(branch, text)), textOf(branch, text));
    } else if (k.type === 'templateJoin' && k.children.length === 1 && k.children[0].type === 'for') {
      const f = k.children[0];
      const coll = evalNode(f.children[0], c, textOf(f.children[0], text));
      const items = iterable(coll, 'template for');
      if (!items) return Unknown.of(text);
      for (const [key, val] of items) {
        const bound = new Map(c.bound ?? []);
        if (f.meta?.keyVar) bound.set(f.meta.keyVar, key);
        bound.set(f.meta?.valVar, val);
        add(evalNode(f.children[1], { ...c, bound }, text), text);
      }
    } else {
      add(evalNode(k, c, textOf(k, text)), textOf(k, text));
    }
  }
  return unknown ? new Unknown(out) : unescapeAll(out);
}

function unescapeHeredoc(raw: string): string {
  return raw.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/** HCL's escapes in quoted strings: \n \r \t \" \\ \uNNNN \UNNNNNNNN, and $${ %%{. */
export function unescapeQuoted(raw: string): string {
  if (raw.indexOf('\\') < 0 && raw.indexOf('{') < 0) return raw;
  return raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{/g, (m, esc: string | undefined) => {
    if (esc === undefined) return m.slice(1);
    switch (esc[0]) {
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case '"': return '"';
      case '\\': return '\\';
      case 'u':
      case 'U': return String.fromCodePoint(parseInt(esc.slice(1), 16));
      default: return m;
    }
  });
}
