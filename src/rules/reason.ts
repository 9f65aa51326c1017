/**
 * The one validator of a written reason: for a suppression (Suppressions.add, a `hardened-docker.suppress.<rule>`
 * label, the `//` metadata key, a JSON profile, an audit `--label`) and for a construct's opt-out. Every way in
 * calls it, so a reason that one of them refuses, none of them accepts.
 *
 * A reason is a sentence a reviewer can read: at least 10 visible characters once whitespace, zero-width and other
 * format or control characters are removed, not one character repeated, not punctuation or symbols only, and no
 * bidirectional controls or control characters (tab and line breaks aside), and not a placeholder (`TODO: ...`,
 * `FIXME`, `TBD`, `XXX`, `changeme`, `fill in`, `<reason>`), which `convert` writes and a person must replace.
 */

/** The fewest visible characters a reason must have. */
export const MIN_REASON_CHARS = 10;

/** Whitespace, controls (Cc), format characters (Cf: zero-width spaces, joiners, bidi marks), separators. */
const INVISIBLE = /[\s\p{Cc}\p{Cf}\p{Z}\p{Default_Ignorable_Code_Point}]/gu;
/**
 * Bidirectional embedding, override and isolate controls: they make text display in another order than it is
 * written (a reason could show one thing in a report and say another). Right-to-left text needs none of them.
 */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/u;
/** Control characters other than tab and line breaks: a terminal or a log reads them as commands, not text. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;
/**
 * A placeholder left for a person to replace: one of the markers a generator or a template writes, at the start of
 * the reason (after any opening bracket or quote).
 */
const PLACEHOLDER = new RegExp(
  '^[\\s<\\[({"\'`]*(?:' +
    // A marker (TODO, FIXME...) then punctuation, the end, or words that ask for a reason: "a Todo app needs..." is a reason.
    '(todo|fixme|tbd|tbc|xxx)(?=\\s*(?:[:\\-\u2013\u2014.!)\\]>(]|$)|\\s+(?:later|this|reason|why|explain|add|write|fill|document|describe|justify)\\b)' +
    '|(changeme|change me|fill me in|fill in|fill this in|placeholder|insert reason|your reason|reason here|lorem ipsum)(?![\\p{L}\\p{N}])' +
  ')',
  'iu',
);
/** A letter or a digit, in any script. */
const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * Why `reason` is not acceptable, as the end of a sentence (`is empty`, `has only 3 visible characters`, ...);
 * undefined when it is acceptable. A value that is not a string is refused.
 */
export function reasonProblem(reason: unknown): string | undefined {
  if (typeof reason !== 'string') return `is not text (got ${reason === null ? 'null' : typeof reason})`;
  const bidi = BIDI_CONTROL.exec(reason);
  if (bidi) {
    return `holds a bidirectional control character (U+${bidi[0].codePointAt(0)!.toString(16).toUpperCase()}), which makes it display in another order than it is written`;
  }
  const visible = [...reason.replace(INVISIBLE, '')];
  if (visible.length === 0) return 'is empty once whitespace and invisible characters are removed';
  const control = CONTROL.exec(reason);
  if (control) return `holds a control character (U+${control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;
  const placeholder = PLACEHOLDER.exec(reason);
  if (placeholder) return `is a placeholder (it starts with ${JSON.stringify(placeholder[1] ?? placeholder[2])}): replace it with why the weakening is acceptable here`;
  if (visible.length < MIN_REASON_CHARS) {
    return `has only ${visible.length} visible character${visible.length === 1 ? '' : 's'} (at least ${MIN_REASON_CHARS} are needed)`;
  }
  if (visible.every((c) => c === visible[0])) return `is one character repeated (${JSON.stringify(visible[0])})`;
  if (!visible.some((c) => WORD_CHAR.test(c))) return 'has no letter or digit: punctuation and symbols only';
  return undefined;
}

/** True when `reason` is acceptable (see reasonProblem). */
export function isValidReason(reason: unknown): boolean {
  return reasonProblem(reason) === undefined;
}

/** What a valid reason looks like, for error messages. */
export const REASON_FORM = `a sentence of at least ${MIN_REASON_CHARS} visible characters that says why it is acceptable here`;
