import { BodySchema, CONFIGURATION_FILE, DOCKER_CONTAINER_BODY, DOCKER_SERVICE_BODY } from './json-blocks';
import { Merger } from './json-merge';
import { JObject, MAX_JSON_DEPTH, Parser, Positions } from './json-parser';

export { MAX_JSON_DEPTH } from './json-parser';

/**
 * Reads Terraform JSON as Terraform does.
 *
 * `JSON.parse` keeps only the last of a repeated key, but in Terraform's JSON syntax a repeated key of a block type
 * is one more block, at every level (`resource`, a resource type, `volumes`, `mounts`...): a privileged container or
 * a docker.sock bind written under a repeated key would vanish while Terraform creates it. Here a repeated block type
 * becomes a list of all its blocks, a repeated argument is Terraform's "Duplicate argument" error, a second resource
 * of one type and name is "Duplicate resource", each with the file, line and column of the second occurrence.
 *
 * Most files have no repeated key, and a hand-written parser is several times slower than `JSON.parse`. So
 * `JSON.parse` reads first, and a cheap count proves there is no repeated key (see `provablyPlain`); only when the
 * count differs, the text is malformed, nested too deep or holds a number out of range does the positioned reader
 * (`readJsonDocument`) run.
 */

type Json = any;


/** Parses Terraform JSON (or plan JSON) text; an AdapterError names the file, line and column of any problem. */
export function parseTerraformJson(text: string, file: string): Json {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let doc: Json;
  try {
    doc = JSON.parse(body);
  } catch {
    return readJsonDocument(body, file); // throws the positioned error
  }
  return provablyPlain(body, doc) ? doc : readJsonDocument(body, file);
}

/**
 * True when `doc`, parsed from `text` by `JSON.parse`, is what Terraform reads and safe to walk: no object in the text
 * has a repeated key, nothing is nested deeper than MAX_JSON_DEPTH, every number is finite, no declaration block
 * (`resource`, `variable`...) is given as a list of more than one (which could declare one name twice), and no single
 * block type's key (`capabilities`) holds a list of more than one.
 *
 * No repeated key, because every key of the text ends in a double quote not escaped (preceded by an even number of
 * backslashes), then optional whitespace, then `:`. Counting such colons counts every key, and may count more (a
 * string value that starts with `:`), never fewer; `JSON.parse` makes one property per distinct key of an object.
 * So keys counted <= properties parsed can only hold with no key repeated (a property test checks this).
 */
export function provablyPlain(text: string, doc: Json): boolean {
  const properties = countDocument(doc);
  return properties >= 0 && countKeyTokens(text) <= properties;
}

/** Declaration blocks and their number of labels: a list of more than one of them, at any label level, may repeat a name. */
const DECLARING = new Map<string, number>(Object.entries(CONFIGURATION_FILE.blocks)
  .filter(([, b]) => b.declares || b.declaresArguments).map(([type, b]) => [type, b.labels ?? 0]));

/** Every single block type's name (MaxItems 1, in any body): a list of more than one under one of them goes the slow way. */
const SINGLE_BLOCKS = new Set<string>();
(function collectSingle(schema: BodySchema): void {
  for (const [type, block] of Object.entries(schema.blocks)) {
    if (block.single) SINGLE_BLOCKS.add(type);
    if (typeof block.body === 'object') collectSingle(block.body);
  }
})({ blocks: { ...DOCKER_CONTAINER_BODY.blocks, ...DOCKER_SERVICE_BODY.blocks } });

/**
 * The properties of every object of a parsed document, or -1 when it must be read the positioned way (see
 * provablyPlain). One walk; the top-level declaration blocks are walked knowing their label levels.
 */
function countDocument(doc: Json): number {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return countProperties(doc, 1, false);
  // Plan and state JSON (as readJsonDocument tells them): blocks are lists there, and `resources` lists every resource.
  const own = (k: string) => Object.prototype.hasOwnProperty.call(doc, k);
  const singles = !own('format_version') || own('resource');
  let n = 0;
  for (const k in doc) {
    n++;
    const v = doc[k];
    const labels = DECLARING.get(k);
    const inner = labels === undefined ? countValue(v, 2, singles) : countLabels(v, labels, 2);
    if (inner < 0) return -1;
    n += inner;
  }
  return n;
}

/** The label levels of a declaration block: objects keyed by label, then the body; a list of more than one is -1. */
function countLabels(value: Json, labelsLeft: number, depth: number): number {
  if (value === null || typeof value !== 'object') return countValue(value, depth, true);
  if (depth > MAX_JSON_DEPTH) return -1;
  if (Array.isArray(value)) {
    if (value.length > 1) return -1;
    return value.length ? countLabels(value[0], labelsLeft, depth + 1) : 0;
  }
  if (labelsLeft === 0) return countProperties(value, depth, true);
  let n = 0;
  for (const label in value) {
    n++;
    const inner = countLabels(value[label], labelsLeft - 1, depth + 1);
    if (inner < 0) return -1;
    n += inner;
  }
  return n;
}

function countValue(value: Json, depth: number, singles: boolean): number {
  if (typeof value === 'object') return value === null ? 0 : countProperties(value, depth, singles);
  return typeof value === 'number' && value - value !== 0 ? -1 : 0;
}

/**
 * The properties of every object in a parsed object or list at `depth`; -1 when nested deeper than MAX_JSON_DEPTH, a
 * number is not finite, or a single block type's key holds a list of more than one.
 */
function countProperties(value: Json, depth: number, singles: boolean): number {
  if (depth > MAX_JSON_DEPTH) return -1;
  let n = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const x = value[i];
      if (typeof x === 'object') {
        if (x === null) continue;
        const inner = countProperties(x, depth + 1, singles);
        if (inner < 0) return -1;
        n += inner;
      } else if (typeof x === 'number' && x - x !== 0) {
        return -1;
      }
    }
    return n;
  }
  for (const k in value) {
    n++;
    const x = value[k];
    if (typeof x === 'object') {
      if (x === null) continue;
      if (singles && x.length > 1 && SINGLE_BLOCKS.has(k) && Array.isArray(x)) return -1;
      const inner = countProperties(x, depth + 1, singles);
      if (inner < 0) return -1;
      n += inner;
    } else if (typeof x === 'number' && x - x !== 0) {
      return -1;
    }
  }
  return n;
}

/** The colons of `text` preceded (after optional JSON whitespace) by a double quote that no backslash escapes. */
export function countKeyTokens(text: string): number {
  let n = 0;
  for (let i = text.indexOf(':'); i !== -1; i = text.indexOf(':', i + 1)) {
    let j = i - 1;
    let c = text.charCodeAt(j);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(--j);
    if (c !== 0x22) continue;
    let backslashes = 0;
    while (text.charCodeAt(j - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) n++;
  }
  return n;
}

/**
 * Reads JSON text keeping every repeated key and its position, then merges it as Terraform does (plan or state JSON,
 * which Terraform writes without repeated keys, gets an error for one). Throws an AdapterError
 * `file:line:column: ...` for malformed JSON, nesting deeper than MAX_JSON_DEPTH, a number out of range, a duplicate
 * argument or declaration, and a single block given twice.
 */
export function readJsonDocument(text: string, file: string): Json {
  const positions = new Positions(text, file);
  const parsed = new Parser(text, positions).document();
  const merger = new Merger(positions);
  if (parsed instanceof JObject && parsed.keys.includes('format_version') && !parsed.keys.includes('resource')) {
    return merger.plan(parsed);
  }
  return merger.body(parsed, CONFIGURATION_FILE, '');
}
