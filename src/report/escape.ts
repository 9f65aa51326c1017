/**
 * Making input-controlled text safe to show. Names, addresses, file names, messages and reasons in a report all come
 * from files a pull request's author writes: a raw ESC in a container name would drive the reader's terminal, a
 * newline would forge a report line, a bidi override would make a line read differently from what it says.
 *
 * Every such character is shown as a visible escape instead (`\u001b`, `\n`), in the text, HTML and JUnit reports and
 * in error lines; JSON and SARIF escape through JSON.stringify, which a JSON reader decodes back.
 */

/**
 * Characters never written raw: C0 controls (tab and newline included: a value is shown on one line), DEL, C1
 * controls, the bidi marks, embeddings, overrides and isolates (U+061C, U+200E/U+200F, U+202A-U+202E, U+2066-U+2069),
 * the line and paragraph separators (U+2028/U+2029), the noncharacters U+FFFE/U+FFFF and lone surrogates (neither
 * XML 1.0 nor UTF-8 can hold them).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Whether `s` holds a character `escapeControls` would rewrite. */
export function hasUnsafeCharacters(s: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(s);
  UNSAFE.lastIndex = 0;
  return found;
}

/** `s` with every unsafe character (see above) written as a visible escape: `\n`, `\t`, `\r`, else `\uXXXX`. */
export function escapeControls(s: string): string {
  return s.replace(UNSAFE, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * One line for standard error: control characters escaped, and at most `max` characters (an error names a file and
 * a position; it must not become a copy of the input).
 */
export function oneLine(s: string, max = 600): string {
  const line = escapeControls(s);
  if (line.length <= max) return line;
  // Not between the two halves of a surrogate pair.
  const cut = /[\ud800-\udbff]/.test(line[max - 2]) ? max - 2 : max - 1;
  return `${line.slice(0, cut)}…`;
}
