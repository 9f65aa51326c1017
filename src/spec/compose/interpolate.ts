/**
 * Compose interpolation of one string, as the compose specification defines it: `$VAR`, `${VAR}`, `${VAR:-default}`
 * (unset or empty), `${VAR-default}` (unset), `${VAR:?error}` / `${VAR?error}` (required), `${VAR:+alt}` /
 * `${VAR+alt}` (replacement when set), `$$` for a literal `$`; defaults may themselves interpolate.
 *
 * Unlike `docker compose`, which substitutes an empty string for a variable without a value (with a warning), a
 * variable without a value makes the result unknown: a check never passes on a value nobody has given.
 */

/** The variables interpolation reads: `.env` or `--env-file` files under the environment. */
export type Variables = ReadonlyMap<string, string>;

/** The result of interpolating one string. */
export interface Interpolated {
  /** The string with every variable replaced (a variable without a value contributes nothing). */
  readonly value: string;
  /** Variables without a value the result depends on: when any, the value is not known. */
  readonly unknownVariables: string[];
  /**
   * When a variable has no value: the string with UNKNOWN_MARK where each such variable's text would be, so that a
   * reader can tell which part of a structured value (`${DATA}:/data:ro`) is not known.
   * @default - none: the value is known
   */
  readonly marked?: string;
}

/**
 * The prefix of the placeholder variables standing for the parts of a compose document Terraform writes
 * (`yamlencode({...})`) that are only known after apply: no environment or env file gives such a name a value, so
 * each stays unknown; a reader of the document names their cause from Terraform's side.
 */
export const AFTER_APPLY_PLACEHOLDER_PREFIX = 'HARDENED_DOCKER_KNOWN_AFTER_APPLY_';

/** True for a placeholder variable of a part of a document only known after apply. */
export function isAfterApplyPlaceholder(name: string): boolean {
  return name.startsWith(AFTER_APPLY_PLACEHOLDER_PREFIX);
}

/** What a variable without a value contributes to `Interpolated.marked`. */
export const UNKNOWN_MARK = '\u0000';

/** The variables without a value met while interpolating, and what each contributes to the text. */
class Missing {
  public readonly names: string[] = [];
  constructor(public readonly mark: string) {}
  public push(name: string): string {
    this.names.push(name);
    return this.mark;
  }
}

/** A malformed `${...}`: the message says what is wrong, the caller adds where. */
export class InterpolationError extends Error {}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Interpolates `text`. Throws InterpolationError for a malformed expression (`${`, `${1A}`, `${A:x}`). */
export function interpolate(text: string, vars: Variables): Interpolated {
  if (!text.includes('$')) return { value: text, unknownVariables: [] };
  const unknown = new Missing('');
  const value = interpolateFrom(text, vars, unknown);
  if (!unknown.names.length) return { value, unknownVariables: [] };
  return { value, unknownVariables: [...new Set(unknown.names)], marked: interpolateFrom(text, vars, new Missing(UNKNOWN_MARK)) };
}

function interpolateFrom(text: string, vars: Variables, unknown: Missing): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const end = closingBrace(text, i + 2);
      if (end < 0) throw new InterpolationError(`"${text}": "\${" without its closing "}"`);
      out += braced(text.slice(i + 2, end), vars, unknown);
      i = end + 1;
      continue;
    }
    const m = NAME.exec(text.slice(i + 1));
    if (!m) {
      // A lone `$` (before a space, a digit, the end) stays as written, as compose leaves it.
      out += '$';
      i++;
      continue;
    }
    out += lookup(m[0], vars, unknown);
    i += 1 + m[0].length;
  }
  return out;
}

/** The index of the `}` closing a `${` whose body starts at `from`, counting nested `${...}`; -1 when none. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '$') {
      i++;
    } else if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function braced(body: string, vars: Variables, unknown: Missing): string {
  const m = NAME.exec(body);
  if (!m) throw new InterpolationError(`"\${${body}}": a variable name starts with a letter or _ and holds letters, digits and _`);
  const name = m[0];
  const rest = body.slice(name.length);
  if (rest === '') return lookup(name, vars, unknown);
  const op = /^(:-|-|:\?|\?|:\+|\+)/.exec(rest);
  if (!op) throw new InterpolationError(`"\${${body}}": after the name, expected one of :- - :? ? :+ + and a word`);
  const word = rest.slice(op[0].length);
  const set = vars.has(name);
  const nonEmpty = set && vars.get(name) !== '';
  switch (op[0]) {
    case ':-': return nonEmpty ? vars.get(name)! : interpolateFrom(word, vars, unknown);
    case '-': return set ? vars.get(name)! : interpolateFrom(word, vars, unknown);
    case ':+': return nonEmpty ? interpolateFrom(word, vars, unknown) : '';
    case '+': return set ? interpolateFrom(word, vars, unknown) : '';
    case ':?': return nonEmpty ? vars.get(name)! : missing(name, unknown);
    default: return set ? vars.get(name)! : missing(name, unknown);
  }
}

/** A required variable without a value: compose would stop; here the value is unknown, with the name kept. */
function missing(name: string, unknown: Missing): string {
  return unknown.push(name);
}

function lookup(name: string, vars: Variables, unknown: Missing): string {
  const v = vars.get(name);
  return v === undefined ? unknown.push(name) : v;
}

/**
 * A `.env` file's variables, as compose reads it: `KEY=VALUE` lines, an optional `export `, `#` comments (after
 * a space in an unquoted value), single quotes literal, double quotes with `\n`, `\t`, `\"`, `\\` escapes; an
 * unquoted or double-quoted value interpolates the variables read before it. Throws an Error naming the line for a
 * line that is not an assignment.
 */
export function parseEnvFile(text: string, file: string, outer: Variables): Map<string, string> {
  const vars = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(=)?\s*(.*)$/.exec(line);
    if (!m) throw new Error(`${file}:${index + 1}:1: expected KEY=VALUE, got ${JSON.stringify(raw)}`);
    const [, key, eq, rest] = m;
    if (!eq) {
      // `KEY` alone takes its value from the environment, when there is one.
      const v = outer.get(key);
      if (v !== undefined) vars.set(key, v);
      return;
    }
    const scope = new Map([...vars, ...outer]);
    if (rest.startsWith("'")) {
      const end = rest.indexOf("'", 1);
      vars.set(key, end < 0 ? rest.slice(1) : rest.slice(1, end));
    } else if (rest.startsWith('"')) {
      let value = '';
      let i = 1;
      for (; i < rest.length && rest[i] !== '"'; i++) {
        if (rest[i] === '\\' && i + 1 < rest.length) {
          const e = rest[++i];
          value += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
        } else {
          value += rest[i];
        }
      }
      vars.set(key, interpolate(value, scope).value);
    } else {
      const value = rest.replace(/\s+#.*$/, '').trim();
      vars.set(key, interpolate(value, scope).value);
    }
  });
  return vars;
}
