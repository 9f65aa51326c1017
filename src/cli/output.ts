import * as fs from 'fs';
import * as path from 'path';
import { InputBudget, kindOf } from './read-input';
import { Evaluation, summarize } from '../evaluation/evaluate';
import { Profile } from '../profiles/profile';
import { oneLine } from '../report/escape';
import type { Locator } from '../report/text';
import { ChunkWriter } from '../report/write';

/** Report formats of `check` and `audit`. */
export const FORMATS = ['text', 'json', 'sarif', 'junit', 'html'] as const;
export type Format = typeof FORMATS[number];

/** The format named, or undefined. */
export function asFormat(s: string): Format | undefined {
  return (FORMATS as readonly string[]).includes(s) ? s as Format : undefined;
}

/** `--fail-on` levels: the lowest severity that makes the exit code 1. */
export const FAIL_ON = ['error', 'warning', 'info', 'never'] as const;
export type FailOn = typeof FAIL_ON[number];

/** Streams and environment the CLI runs with (process's by default; tests pass their own). */
export interface CliIo {
  /** Reports arrive as strings, or as UTF-8 chunks (each whole characters) for large JSON reports. */
  readonly stdout: { readonly isTTY?: boolean; write(s: string | Uint8Array): unknown };
  readonly stderr: { write(s: string): unknown };
  /** @default process.env */
  readonly env?: { [k: string]: string | undefined };
  /** @default process.cwd() */
  readonly cwd?: string;
  /** Reads all of standard input (for the path `-`), within the input size limits. @default process.stdin */
  readonly readStdin?: (budget: InputBudget) => Promise<string>;
}

/** A usage problem (bad option value, unknown profile): exit code 2, one line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const RANK: Record<string, number> = { info: 1, warning: 2, error: 3 };

/** 0 when no unsuppressed finding is at or above `failOn`, else 1. */
export function exitCodeFor(evaluation: Evaluation, failOn: FailOn): number {
  if (failOn === 'never') return 0;
  const min = RANK[failOn];
  return evaluation.findings.some((f) => !f.suppressed && (RANK[f.severity] ?? 0) >= min) ? 1 : 0;
}

/** Merges the evaluations of several inputs (one per file or stack) into one. */
export function mergeEvaluations(profile: string, evaluations: Evaluation[]): Evaluation {
  return {
    profile,
    findings: evaluations.flatMap((e) => e.findings),
    resources: evaluations.flatMap((e) => e.resources),
  };
}

let cachedVersion: string | undefined;
/** This package's version (lib/cli and src/cli are both two levels below package.json). */
export function toolVersion(): string {
  if (cachedVersion === undefined) {
    try {
      cachedVersion = String(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version ?? '0.0.0');
    } catch {
      cachedVersion = '0.0.0';
    }
  }
  return cachedVersion;
}

export interface RenderOptions {
  readonly format: Format;
  readonly profile: Profile;
  readonly failOn: FailOn;
  readonly color?: boolean;
  readonly locate?: Locator;
  /** Shown in the HTML report's title line (what was checked). */
  readonly subject?: string;
}

/** The report text in one format. Report modules load only when their format is asked for. */
export function renderReport(evaluation: Evaluation, opts: RenderOptions): string {
  const rules = opts.profile.activeRules.map((a) => a.rule);
  /* eslint-disable @typescript-eslint/no-require-imports */
  switch (opts.format) {
    case 'json': {
      const { jsonReportText } = require('../report/json-report') as typeof import('../report/json-report');
      return jsonReportText(evaluation);
    }
    case 'sarif': {
      const { toSarif } = require('../report/sarif') as typeof import('../report/sarif');
      const log = toSarif(evaluation, {
        rules,
        version: toolVersion(),
        locate: (f) => {
          if (!f.file || f.file.startsWith('<')) return undefined;
          const loc = opts.locate?.({ file: f.file, address: f.address, ruleId: f.ruleId });
          return { uri: encodeURI(loc?.file ?? f.file), line: loc?.line, column: loc?.column };
        },
      });
      return JSON.stringify(log, null, 2) + '\n';
    }
    case 'junit': {
      const { toJunit } = require('../report/junit') as typeof import('../report/junit');
      return toJunit(evaluation, { rules, failOn: opts.failOn, locate: opts.locate });
    }
    case 'html': {
      const { toHtml } = require('../report/html') as typeof import('../report/html');
      return toHtml(evaluation, {
        rules: opts.profile.activeRules,
        failOn: opts.failOn,
        locate: opts.locate,
        subject: opts.subject,
        version: toolVersion(),
      });
    }
    case 'text':
    default: {
      const { toText } = require('../report/text') as typeof import('../report/text');
      return toText(evaluation, { color: opts.color, locate: opts.locate, ruleCount: rules.length });
    }
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/**
 * Writes the JSON report to `--output` or standard output. A file, or a standard output that is a file or a device
 * (not a pipe), is written synchronously through one reused buffer; a pipe or an in-process stream gets the chunks.
 */
export function emitJsonReport(evaluation: Evaluation, output: string | undefined, io: CliIo): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { jsonReportChunks, writeJsonReport } = require('../report/json-report') as typeof import('../report/json-report');
  if (output === undefined && io.stdout === process.stdout && stdoutIsFileOrDevice()) {
    const out = ChunkWriter.toDescriptor(1);
    writeJsonReport(evaluation, out);
    out.close();
    return;
  }
  if (output !== undefined) {
    writeOutputFile(output, evaluation, 'json', io, (out) => writeJsonReport(evaluation, out));
    return;
  }
  for (const c of jsonReportChunks(evaluation)) io.stdout.write(c);
}

function stdoutIsFileOrDevice(): boolean {
  try {
    const st = fs.fstatSync(1);
    return st.isFile() || (st.isCharacterDevice() && process.stdout.isTTY !== true);
  } catch {
    return false;
  }
}

/** Writes a report (a string or chunks) to `output` (a file) or stdout; with a file, a one-line summary goes to stderr. */
export function writeReport(text: string | string[], evaluation: Evaluation, output: string | undefined, format: string, io: CliIo): void {
  const chunks = typeof text === 'string' ? [text] : text;
  if (!output) {
    for (const c of chunks) io.stdout.write(c);
    return;
  }
  writeOutputFile(output, evaluation, format, io, (out) => {
    for (const c of chunks) out.write(c);
  });
}

/** Writes a report to the `--output` file through `write`, then a one-line summary on stderr. */
function writeOutputFile(output: string, evaluation: Evaluation, format: string, io: CliIo, write: (out: ChunkWriter) => void): void {
  const file = path.resolve(io.cwd ?? process.cwd(), output);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fd = openOutputFile(file, output);
    try {
      const out = ChunkWriter.toDescriptor(fd);
      write(out);
      out.close();
    } finally {
      fs.closeSync(fd);
    }
  } catch (e: any) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--output ${output}: cannot write (${e?.code ?? e?.message})`);
  }
  const s = summarize(evaluation.findings);
  io.stderr.write(`hardened-docker: ${oneLine(`wrote ${format} report to ${output}`)}: ${evaluation.resources.length} resources, `
    + `${s.error} errors, ${s.warning} warnings, ${s.info} info, ${s.suppressed} suppressed\n`);
}

const KERNEL_FILE_SYSTEMS = ['/proc', '/sys', '/dev'];

/**
 * Opens the `--output` file for writing: a new file, or a regular file to replace. A FIFO would block the open (or
 * the writes) forever, a device or a /proc or /sys file is not a report's place: each is refused with one line. The
 * file is opened non-blocking and checked again on the descriptor, and truncated only then.
 */
function openOutputFile(file: string, shown: string): number {
  const refuse = (why: string) => new UsageError(`--output ${shown}: ${why}; give a new file or a regular file to replace`);
  let real = file;
  try {
    real = fs.realpathSync(file);
  } catch {
    try {
      real = path.join(fs.realpathSync(path.dirname(file)), path.basename(file));
    } catch {
      // The directory was just made: realpath fails only on a race; the checks on the descriptor still hold.
    }
  }
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(file);
  } catch {
    st = undefined;
  }
  // A symbolic link is refused, not followed: in a pull request's checkout, `report.sarif` committed as a link to a
  // file of the CI user would have the report written over that file.
  if (st?.isSymbolicLink()) throw refuse('is a symbolic link');
  if (st && !st.isFile()) throw refuse(`not a regular file (${kindOf(st)})`);
  if (KERNEL_FILE_SYSTEMS.some((d) => real === d || real.startsWith(`${d}/`))) throw refuse('is on a kernel file system (/proc, /sys or /dev)');
  // eslint-disable-next-line no-bitwise
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0)
    | (fs.constants.O_NOFOLLOW ?? 0), 0o666);
  try {
    const opened = fs.fstatSync(fd);
    if (!opened.isFile()) throw refuse(`not a regular file (${kindOf(opened)})`);
    fs.ftruncateSync(fd, 0);
    return fd;
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
}

/** Whether to colour text output: stdout is a terminal, NO_COLOR is unset, and the report is not going to a file. */
export function useColor(io: CliIo, output: string | undefined): boolean {
  const env = io.env ?? process.env;
  return !output && io.stdout.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '') && env.TERM !== 'dumb';
}
