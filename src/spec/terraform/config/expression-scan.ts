/**
 * Where a configuration's expressions are, found without evaluating it: every expression of a module (for parsing
 * them ahead), the templates of a JSON text, and whether a Terraform JSON document needs evaluating at all.
 */
import { parsedExpression } from './ast';
import { templateNodes } from './evaluator';
import { ModuleDefinition } from './files';
import { templateExpressions, TemplateSyntaxError } from './template';

/** Every expression text of a module's files, for parsing them ahead of evaluation. */
export function expressionsOf(def: ModuleDefinition): Set<string> {
  const out = new Set<string>();
  const walk = (v: any, depth: number) => {
    if (depth > 200) return;
    if (typeof v === 'string') {
      if (v.indexOf('{') < 0) return;
      try {
        for (const e of templateExpressions(templateNodes(v))) out.add(e);
      } catch (e) {
        if (!(e instanceof TemplateSyntaxError)) throw e;
      }
    } else if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        walk(k, depth + 1);
        walk(v[k], depth + 1);
      }
    }
  };
  for (const f of def.files) {
    if (f.kind === 'json') jsonTemplates(f.text, (t) => walk(t, 0));
    else walk(f.doc, 0);
  }
  return out;
}

/**
 * Every string literal of a JSON text that holds `${` or `%{`, decoded: a scan for those two marks and the quotes
 * around them, so that a cdktf stack of thousands of resources with a few expressions is not walked value by value.
 */
export function jsonTemplates(text: string, each: (template: string) => void): void {
  const seen = new Set<number>();
  for (const mark of ['${', '%{']) {
    for (let i = text.indexOf(mark); i >= 0; i = text.indexOf(mark, i + 2)) {
      // The opening quote: the nearest unescaped `"` before the mark (JSON strings hold no raw newline).
      let start = i - 1;
      while (start >= 0 && !(text.charCodeAt(start) === 34 && !escaped(text, start))) start--;
      if (start < 0 || seen.has(start)) continue;
      let end = i + 2;
      while (end < text.length && !(text.charCodeAt(end) === 34 && !escaped(text, end))) end++;
      seen.add(start);
      try {
        const s = JSON.parse(text.slice(start, end + 1));
        if (typeof s === 'string') each(s);
      } catch {
        // Not a string literal after all (the mark was between strings): nothing to prepare.
      }
      i = end - 1;
    }
  }
}

/** True when the character at `i` is escaped by an odd run of backslashes. */
function escaped(text: string, i: number): boolean {
  let n = 0;
  for (let j = i - 1; j >= 0 && text.charCodeAt(j) === 92; j--) n++;
  return n % 2 === 1;
}

/**
 * True when evaluating a Terraform JSON document could change what the adapter reads: a count, for_each, dynamic
 * block or module call, or an expression that is not a plain reference which stays as written (a variable or local
 * the document declares, `path`, a resource type it declares, any function, operator or directive). A cdktf stack
 * whose only expressions are references to things known after apply (`${docker_image.app.image_id}`) is read as it
 * is, costing one scan of its text: Terraform would leave those references unknown too.
 */
export function documentNeedsEvaluation(doc: any, text: string): boolean {
  if (/"(dynamic|count|for_each|module)"\s*:/.test(text)) return true;
  const declared = (block: any, name: string): boolean => {
    for (const b of Array.isArray(block) ? block : block === undefined || block === null ? [] : [block]) {
      if (b !== null && typeof b === 'object' && Object.prototype.hasOwnProperty.call(b, name)) return true;
    }
    return false;
  };
  let needs = false;
  // A stack repeats a few templates thousands of times (every replica's image reference): each is judged once.
  const judged = new Set<string>();
  jsonTemplates(text, (template) => {
    if (needs || judged.has(template)) return;
    judged.add(template);
    let nodes;
    try {
      nodes = templateNodes(template);
    } catch {
      needs = true;
      return;
    }
    for (const n of nodes) {
      if (n.kind === 'literal') continue;
      if (n.kind !== 'interpolation') {
        needs = true;
        return;
      }
      const m = /^([A-Za-z_][A-Za-z0-9_-]*)(?:\.([A-Za-z_][A-Za-z0-9_-]*))?/.exec(n.expr);
      const parsed = m ? parsedExpression(n.expr) : undefined;
      if (!m || !parsed || !('ast' in parsed) || parsed.ast.type !== 'scopeTraversal') {
        needs = true;
        return;
      }
      const [, root, first] = m;
      if (root === 'var' ? declared(doc.variable, first) : root === 'local' ? declared(doc.locals, first)
        : root === 'path' || declared(doc.resource, root)) {
        needs = true;
        return;
      }
    }
  });
  return needs;
}
