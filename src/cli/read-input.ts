/**
 * Reading the files `check` is given, defensively. `check` runs on untrusted pull requests in CI, where the author of
 * the pull request controls every file in the checkout: the file kinds, the symlinks, the sizes, `manifest.json`.
 *
 * - Only regular files are read. A FIFO would block the reader forever, a device may never end or may act on being
 *   opened; both are refused with one line. The file is opened non-blocking and checked again on the open descriptor,
 *   so that a FIFO swapped in after the first look does not block either.
 * - Sizes are bounded: per file and in total (`--max-file-size`, `--max-input-size`), counted while reading, so that a
 *   file that grows, or a /proc file that says its size is 0, cannot get past the limit.
 * - A path read on behalf of a file (a stack of cdktf.out's `manifest.json`) must stay inside its directory once
 *   symlinks are resolved.
 * - Errors name the file and what is wrong with it; they never quote its content (see `withoutInputText`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { InputError } from './inputs';

/** How much input `check` reads before refusing it. */
export interface InputLimits {
  /** Bytes per file (standard input included). */
  readonly maxFileBytes: number;
  /** Bytes of every input together. */
  readonly maxTotalBytes: number;
  /** docker_container and docker_service resources of every input together. */
  readonly maxResources: number;
}

const MIB = 1024 * 1024;

/**
 * The defaults: above any real Terraform configuration (10,000 containers as cdktf synthesizes them are 14 MiB), and
 * low enough to bound memory. Bytes alone do not: 100,000 two-attribute containers are 3.9 MiB of JSON, and checking
 * them took 1.8 GB of memory and wrote a 160 MB text report (each resource gets about 15 findings, each with its fix).
 * Resources are counted too: in a Terraform JSON document before it is read into specs, in every input before the
 * rules run. See docs/cli.md#input-limits.
 */
export const DEFAULT_INPUT_LIMITS: InputLimits = { maxFileBytes: 32 * MIB, maxTotalBytes: 128 * MIB, maxResources: 10_000 };

/** Counts the bytes read so far against the limits. */
export class InputBudget {
  private used = 0;
  private resources = 0;

  constructor(public readonly limits: InputLimits = DEFAULT_INPUT_LIMITS) {}

  /** Bytes a file may still have: the per-file limit, or what is left of the total, whichever is less. */
  public allowanceFor(): number {
    return Math.min(this.limits.maxFileBytes, this.limits.maxTotalBytes - this.used);
  }

  /** Records `bytes` read from `shown`; an InputError when a limit is passed. */
  public take(shown: string, bytes: number): void {
    if (bytes > this.limits.maxFileBytes) throw tooLarge(shown, this.limits.maxFileBytes, 'per file', '--max-file-size');
    if (this.used + bytes > this.limits.maxTotalBytes) throw tooLarge(shown, this.limits.maxTotalBytes, 'for all inputs together', '--max-input-size');
    this.used += bytes;
  }

  /** Records `count` resources from `shown`; an InputError when the total passes the limit. */
  public takeResources(shown: string, count: number): void {
    if (this.resources + count > this.limits.maxResources) {
      throw new InputError(`${shown}: too many resources: more than ${this.limits.maxResources} docker_container and docker_service `
        + 'resources in all inputs together; raise the limit with --max-resources if this is expected');
    }
    this.resources += count;
  }
}

/**
 * How many docker_container and docker_service resources a Terraform JSON document declares, counted without reading
 * them (the shapes the adapter accepts: `resource` as an object or a list, each type's map as an object or a list).
 */
export function countDockerResources(doc: unknown): number {
  const resource = (doc as any)?.resource;
  if (resource === null || typeof resource !== 'object') return 0;
  let n = 0;
  for (const block of Array.isArray(resource) ? resource : [resource]) {
    if (block === null || typeof block !== 'object') continue;
    for (const type of ['docker_container', 'docker_service']) {
      const maps = (block as any)[type];
      for (const m of Array.isArray(maps) ? maps : [maps]) {
        if (m !== null && typeof m === 'object') n += Object.keys(m).length;
      }
    }
  }
  return n;
}

function tooLarge(shown: string, limit: number, scope: string, option: string): InputError {
  return new InputError(`${shown}: input too large: more than ${formatSize(limit)} ${scope}; raise the limit with ${option} if this is expected`);
}

/** `64 MiB`, `1.5 KiB`, `12 bytes`. */
export function formatSize(bytes: number): string {
  if (bytes >= MIB) return `${+(bytes / MIB).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

/** Parses a size option: `64M`, `64MiB`, `1g`, `500k`, `1048576` (bytes); binary units. A clear error otherwise. */
export function parseSize(value: string, option: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\s*$/i.exec(value);
  const unit = m?.[2]?.[0]?.toLowerCase();
  const bytes = m ? Math.floor(Number(m[1]) * (unit === 'k' ? 1024 : unit === 'm' ? MIB : unit === 'g' ? 1024 * MIB : 1)) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new InputError(`${option} ${JSON.stringify(value)}: expected a size such as 64M, 512K, 2G or a number of bytes`);
  }
  return bytes;
}

/** Parses a count option (a whole number, at least 1). */
export function parseCount(value: string, option: string): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new InputError(`${option} ${JSON.stringify(value)}: expected a whole number, at least 1`);
  return n;
}

/** What a file system entry is, for a message: "a named pipe (FIFO)", "a socket", ... */
export function kindOf(st: fs.Stats): string {
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isDirectory()) return 'a directory';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function notRegular(shown: string, st: fs.Stats): InputError {
  return new InputError(`${shown}: not a regular file (${kindOf(st)}); only regular files are read`);
}

function cannotRead(shown: string, e: any): InputError {
  return new InputError(`${shown}: ${e?.code === 'ENOENT' ? 'no such file' : `cannot read (${e?.code ?? e?.message})`}`);
}

/** Stats `abs` (following symlinks) and refuses anything but a regular file, without opening it. */
export function assertRegularFile(abs: string, shown: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch (e: any) {
    throw cannotRead(shown, e);
  }
  if (!st.isFile()) throw notRegular(shown, st);
}

// O_NONBLOCK: opening a FIFO then returns at once (and fstat refuses it); O_NOCTTY: a terminal never becomes ours.
// eslint-disable-next-line no-bitwise
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

/**
 * Reads a regular file as UTF-8 within the budget. Refuses FIFOs, sockets, devices and directories with one line
 * naming the file (`shown`), before reading a byte of them.
 */
export function readRegularFile(abs: string, shown: string, budget: InputBudget = new InputBudget()): string {
  assertRegularFile(abs, shown);
  let fd: number;
  try {
    fd = fs.openSync(abs, OPEN_FLAGS);
  } catch (e: any) {
    throw cannotRead(shown, e);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw notRegular(shown, st);
    const allowance = budget.allowanceFor();
    if (st.size > allowance) budget.take(shown, st.size);
    // Read to the end, but never past the allowance: the size stat gives may be stale, or 0 (/proc). Read into one
    // buffer of the stat size (plus one byte, to see the end), grown only when the file is longer than it said:
    // a file read in one piece is decoded where it was read, never copied.
    let buffer = Buffer.allocUnsafe(Math.min(Math.max(st.size + 1, 64 * 1024), allowance + 1));
    let total = 0;
    for (;;) {
      if (total === buffer.length) {
        const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, allowance + 1));
        buffer.copy(grown, 0, 0, total);
        buffer = grown;
      }
      let n: number;
      try {
        n = fs.readSync(fd, buffer, total, buffer.length - total, null);
      } catch (e: any) {
        throw cannotRead(shown, e);
      }
      if (n === 0) break;
      total += n;
      if (total > allowance) budget.take(shown, total);
    }
    budget.take(shown, total);
    return decode(buffer.subarray(0, total));
  } finally {
    fs.closeSync(fd);
  }
}

/** UTF-8 text of bytes (invalid sequences become U+FFFD, as readFileSync does). */
function decode(bytes: Buffer): string {
  return bytes.toString('utf8');
}

/**
 * Reads a stream (standard input) as UTF-8, refusing it with one line once it passes the budget, without reading on.
 */
export function readStreamWithin(stream: NodeJS.ReadableStream, shown: string, budget: InputBudget): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const allowance = budget.allowanceFor();
    const onData = (c: Buffer | string) => {
      const b = typeof c === 'string' ? Buffer.from(c) : c;
      total += b.length;
      if (total > allowance) {
        cleanup();
        (stream as any).pause?.();
        try {
          budget.take(shown, total);
        } catch (e) {
          reject(e);
        }
        return;
      }
      chunks.push(b);
    };
    const onEnd = () => {
      cleanup();
      try {
        budget.take(shown, total);
        resolve(decode(Buffer.concat(chunks, total)));
      } catch (e) {
        reject(e);
      }
    };
    const onError = (e: any) => {
      cleanup();
      reject(cannotRead(shown, e));
    };
    const cleanup = () => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}

/**
 * `target` resolved inside `dir`: both through realpath, so a symlink cannot lead out. An InputError naming `what`
 * (where the path came from) when it is outside, with the path as written escaped and cut short.
 */
export function resolveInside(dir: string, target: string, what: string, dirShown: string): string {
  let realDir: string;
  let realTarget: string;
  try {
    realDir = fs.realpathSync(dir);
    realTarget = fs.realpathSync(target);
  } catch (e: any) {
    throw cannotRead(what, e);
  }
  const rel = path.relative(realDir, realTarget);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    throw new InputError(`${what}: leads outside ${dirShown} (through ".." or a symbolic link); refusing to read it`);
  }
  return realTarget;
}

/**
 * An error message without the input text a parser quoted in it. V8's JSON.parse quotes up to about ten characters
 * around the error (`Unexpected token 'r', "root:x:0:0:"... is not valid JSON`); a file read through a symlink or
 * a path the input chose must not have its bytes echoed into a CI log. The position and the one unexpected character
 * stay (escaped by the caller).
 */
export function withoutInputText(message: string): string {
  // Greedy: V8 does not escape a quote inside the text it quotes.
  return message.replace(/(Unexpected token '[\s\S]{1,2}'), "[\s\S]*"(\.\.\.)? is not valid JSON/, '$1');
}

/**
 * Where each JSON string matching `pattern` (whose group 1 is the string's body) occurs in `text`, by its decoded
 * value, in file order: one pass over the text, so that locating N resources costs one scan, not N. (A search per
 * resource scanned the whole file again for each one it missed, and a file can make every search miss by writing its
 * keys with \u escapes: minutes for 10,000 resources.)
 */
function stringPositions(text: string, pattern: RegExp): Map<string, number[]> {
  const index = new Map<string, number[]>();
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    let value: string;
    try {
      value = m[1].includes('\\') ? JSON.parse(`"${m[1]}"`) : m[1];
    } catch {
      continue;
    }
    let list = index.get(value);
    if (!list) index.set(value, list = []);
    list.push(m.index);
  }
  return index;
}

/** Positions of every object key (`"key":`) of a JSON text, by decoded key. */
export function jsonKeyPositions(text: string): Map<string, number[]> {
  return stringPositions(text, /"((?:[^"\\\n]|\\.)*)"\s*:/g);
}

/** Positions of every `"address": "<value>"` of a JSON text (plan JSON), by decoded value. */
export function jsonAddressPositions(text: string): Map<string, number[]> {
  return stringPositions(text, /"address"\s*:\s*"((?:[^"\\\n]|\\.)*)"/g);
}

/** The first of the sorted `positions` at or after `from`. */
export function firstAtOrAfter(positions: number[] | undefined, from: number): number | undefined {
  if (!positions?.length) return undefined;
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (positions[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < positions.length ? positions[lo] : undefined;
}
