import { SpecSource, UnknownCause, UnknownValue } from './container-spec';

/**
 * Why an expression left in a configuration is not known: classified from its text alone (pure, no I/O).
 *
 * The evaluator leaves what it cannot evaluate as a `${...}` template whose references keep their original form
 * (`${var.memory}`, `${module.m.out}`, `${data.t.n.attr}`, `${docker_network.n.id}`, `${timestamp()}`), and a plan
 * marks a value known only after apply as `${(known after apply)}`. Only the expression parts of a template are read:
 * `/var.log-${var.x}` names one variable, not two, and string literals inside an expression are skipped.
 */

/** The plan's marker of a value known only after apply (plan-adapter's UNKNOWN_AFTER_APPLY). */
const AFTER_APPLY_MARKER = '(known after apply)';

/**
 * Functions the configuration evaluator computes when their arguments are known: a call of one of these left in the
 * text is unknown because of its arguments, not because of the function.
 */
const EVALUATED_FUNCTIONS: ReadonlySet<string> = new Set([
  'lookup', 'merge', 'concat', 'format', 'join', 'split', 'coalesce', 'try', 'can', 'tostring', 'tonumber', 'tobool',
  'tolist', 'toset', 'tomap', 'keys', 'values', 'length', 'contains', 'element', 'flatten', 'lower', 'upper',
  'replace', 'trimspace', 'jsonencode', 'yamlencode',
]);

/** Reference roots that are not resources. */
const ROOTS: ReadonlySet<string> = new Set(['var', 'local', 'module', 'data', 'each', 'count', 'path', 'self', 'terraform']);

/** Words of the expression language that look like a reference root or a call but are not. */
const KEYWORDS: ReadonlySet<string> = new Set(['for', 'in', 'if', 'true', 'false', 'null']);

/**
 * The causes of the expressions in `text` (a string holding `${...}` or `%{...}`), each once, in a fixed order.
 * A text with no recognised reference or call is OTHER; one that is not an expression gives no cause.
 */
export function unknownCausesOf(text: string): readonly UnknownCause[] {
  // The same expressions recur across the resources of a configuration: each is classified once.
  let causes = CAUSES.get(text);
  if (causes === undefined) {
    causes = Object.freeze(classify(text));
    if (CAUSES.size < 4096 && text.length <= 1024) CAUSES.set(text, causes);
  }
  return causes;
}
const CAUSES = new Map<string, readonly UnknownCause[]>();

function classify(text: string): UnknownCause[] {
  const code = expressionCode(text);
  if (code === undefined) return [];
  const found = new Set<UnknownCause>();
  if (code.includes(AFTER_APPLY_MARKER)) found.add(UnknownCause.AFTER_APPLY);
  // The symbols a `for` expression binds (`for k, v in ...`) are not references.
  const bound = new Set<string>();
  const forSymbols = /\bfor\s+([A-Za-z_][\w-]*)(?:\s*,\s*([A-Za-z_][\w-]*))?\s+in\b/g;
  for (let m = forSymbols.exec(code); m !== null; m = forSymbols.exec(code)) {
    bound.add(m[1]);
    if (m[2] !== undefined) bound.add(m[2]);
  }
  // A traversal `root.name` not preceded by `.` (an attribute of something else) or a word character.
  const ref = /(^|[^.\w])([A-Za-z_][\w-]*)\s*\.\s*([A-Za-z_][\w-]*)/g;
  for (let m = ref.exec(code); m !== null; m = ref.exec(code)) {
    const root = m[2];
    if (KEYWORDS.has(root) || bound.has(root)) continue;
    if (root === 'var') found.add(UnknownCause.VARIABLE);
    else if (root === 'module') found.add(UnknownCause.REMOTE_MODULE);
    else if (root === 'data') found.add(UnknownCause.DATA_SOURCE);
    else if (ROOTS.has(root)) found.add(UnknownCause.OTHER);
    // `<type>.<name>`: a resource of the configuration; its attributes left unevaluated are computed at apply.
    else if (root.includes('_')) found.add(UnknownCause.AFTER_APPLY);
    else found.add(UnknownCause.OTHER);
  }
  const call = /(^|[^.\w])([A-Za-z_][\w]*(?:::[\w]+)*)\s*\(/g;
  for (let m = call.exec(code); m !== null; m = call.exec(code)) {
    const name = m[2];
    if (KEYWORDS.has(name)) continue;
    if (!EVALUATED_FUNCTIONS.has(name)) found.add(UnknownCause.FUNCTION);
  }
  if (found.size === 0) found.add(UnknownCause.OTHER);
  return CAUSE_ORDER.filter((c) => found.has(c));
}

/** The order causes are listed and counted in. */
export const CAUSE_ORDER: readonly UnknownCause[] = [
  UnknownCause.VARIABLE, UnknownCause.REMOTE_MODULE, UnknownCause.DATA_SOURCE, UnknownCause.AFTER_APPLY,
  UnknownCause.FUNCTION, UnknownCause.DYNAMIC, UnknownCause.OTHER,
];

/** How each cause reads in a report. */
export const CAUSE_DESCRIPTIONS: { readonly [cause: string]: string } = {
  [UnknownCause.VARIABLE]: 'variable without a value',
  [UnknownCause.REMOTE_MODULE]: 'output of a module not followed',
  [UnknownCause.DATA_SOURCE]: 'data source',
  [UnknownCause.AFTER_APPLY]: 'attribute known only after apply',
  [UnknownCause.FUNCTION]: 'function not evaluated',
  [UnknownCause.DYNAMIC]: 'dynamic block / for_each not decidable',
  [UnknownCause.OTHER]: 'other expression',
};

/**
 * The expression parts of a template (the text inside each `${...}` and `%{...}`, with string literals blanked),
 * joined by newlines; undefined when the text holds none. `$${` and `%%{` are escaped literals.
 */
export function expressionCode(text: string): string | undefined {
  const parts: string[] = [];
  let i = 0;
  const n = text.length;
  let any = false;
  while (i < n) {
    const c = text[i];
    if ((c === '$' || c === '%') && text[i + 1] === '{') {
      // As isExpression: a `${` right after a `$` (a `%{` after a `%`) is the escaped literal.
      if (i > 0 && text[i - 1] === c) {
        i += 2;
        continue;
      }
      any = true;
      i = readExpression(text, i + 2, parts, 0);
      continue;
    }
    i++;
  }
  return any ? parts.join('\n') : undefined;
}

/** How deep templates nested in string literals are read; deeper text is read as code (a hostile input must not exhaust the stack). */
const MAX_NESTING = 64;

/** Reads one expression from `start` (just after `${`) to its closing brace; pushes its code; returns the index after it. */
function readExpression(text: string, start: number, parts: string[], nesting: number): number {
  if (nesting >= MAX_NESTING) {
    parts.push(text.slice(start));
    return text.length;
  }
  let depth = 0;
  let out = '';
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      // A string literal: blanked, but the expressions of a template inside it are read.
      i++;
      out += '""';
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') {
          i += 2;
          continue;
        }
        if ((text[i] === '$' || text[i] === '%') && text[i + 1] === '{' && text[i - 1] !== text[i]) {
          i = readExpression(text, i + 2, parts, nesting + 1);
          continue;
        }
        i++;
      }
      i++;
      continue;
    }
    if (c === '{') {depth++;} else if (c === '}') {
      if (depth === 0) {
        parts.push(out);
        return i + 1;
      }
      depth--;
    }
    out += c;
    i++;
  }
  // Unclosed: what there is counts.
  parts.push(out);
  return i;
}

/**
 * How an unknown finding's message ends, after the rule's own words: when the value can be judged, as true for the
 * spec's source. Terraform's values are known at apply. A compose file's are known when compose interpolates them
 * (`docker compose up`, or the apply of a docker_compose resource): its unknowns are variables without a value, or
 * what the files alone do not say (a container outside the project). A compose document Terraform writes
 * (`yamlencode({...})`) may hold values Terraform knows only at apply: fields unknown without a cause (see
 * compose-resource.ts), known at apply too. A live engine's unknowns say why themselves: undefined.
 */
export function unverifiedUntil(spec: {
  readonly source: SpecSource; readonly unknown?: readonly string[]; readonly unknownCauses?: readonly UnknownValue[];
}): string | undefined {
  const causes = spec.unknownCauses ?? [];
  switch (spec.source) {
    case SpecSource.ENGINE:
      return undefined;
    case SpecSource.COMPOSE:
      if ((spec.unknown ?? []).some((field) => !causes.some((u) => u.field === field))) return 'cannot be verified before apply';
      return causes.every((u) => u.cause === UnknownCause.VARIABLE)
        ? 'cannot be verified until compose interpolates it'
        : 'cannot be verified from the compose files alone';
    default:
      return 'cannot be verified before apply';
  }
}
