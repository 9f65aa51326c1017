import * as fs from 'fs';
import * as path from 'path';
import { Profile } from '../profiles/profile';
import { Evaluation, summarize } from '../report/evaluate';
import type { Locator } from '../report/text';

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
  readonly stdout: { readonly isTTY?: boolean; write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
  /** @default process.env */
  readonly env?: { [k: string]: string | undefined };
  /** @default process.cwd() */
  readonly cwd?: string;
  /** Reads all of standard input (for the path `-`). @default process.stdin */
  readonly readStdin?: () => Promise<string>;
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
    case 'json':
      return jsonReportChunks(evaluation).join('');
    case 'sarif': {
      const { toSarif } = require('../report/sarif') as typeof import('../report/sarif');
      const log = toSarif(evaluation, {
        rules,
        version: toolVersion(),
        locate: (f) => {
          if (!f.file || f.file.startsWith('<')) return undefined;
          const loc = opts.locate?.({ file: f.file, address: f.address });
          return { uri: encodeURI(f.file), line: loc?.line };
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
 * The JSON report (`{ "findings": [...], "summary": {...} }`) in chunks of about 1 MB: one finding per line, so the
 * output is greppable and a large report never has to sit in memory as one string.
 */
export function jsonReportChunks(evaluation: Evaluation): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { jsonFindingText, jsonSummary } = require('../report/json-report') as typeof import('../report/json-report');
  const findings = evaluation.findings;
  const chunks: string[] = [];
  // Each finding is JSON.stringify(jsonFinding(f)), written without building the report objects first.
  let parts: string[] = ['{\n  "findings": ['];
  let size = 0;
  for (let i = 0; i < findings.length; i++) {
    const text = jsonFindingText(findings[i]);
    parts.push(i ? ',\n    ' : '\n    ', text);
    size += text.length;
    if (size > 1_048_576) {
      chunks.push(parts.join(''));
      parts = [];
      size = 0;
    }
  }
  parts.push(`${findings.length ? '\n  ' : ''}],\n  "summary": ${JSON.stringify(jsonSummary(evaluation), null, 2).replace(/\n/g, '\n  ')}\n}\n`);
  chunks.push(parts.join(''));
  return chunks;
}

/** Writes a report (a string or chunks) to `output` (a file) or stdout; with a file, a one-line summary goes to stderr. */
export function writeReport(text: string | string[], evaluation: Evaluation, output: string | undefined, format: string, io: CliIo): void {
  const chunks = typeof text === 'string' ? [text] : text;
  if (!output) {
    for (const c of chunks) io.stdout.write(c);
    return;
  }

  const file = path.resolve(io.cwd ?? process.cwd(), output);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fd = fs.openSync(file, 'w');
    try {
      for (const c of chunks) fs.writeSync(fd, c);
    } finally {
      fs.closeSync(fd);
    }
  } catch (e: any) {
    throw new UsageError(`--output ${output}: cannot write (${e?.code ?? e?.message})`);
  }
  const s = summarize(evaluation.findings);
  io.stderr.write(`hardened-docker: wrote ${format} report to ${output}: ${evaluation.resources.length} resources, `
    + `${s.error} errors, ${s.warning} warnings, ${s.info} info, ${s.suppressed} suppressed\n`);
}

/** Whether to colour text output: stdout is a terminal, NO_COLOR is unset, and the report is not going to a file. */
export function useColor(io: CliIo, output: string | undefined): boolean {
  const env = io.env ?? process.env;
  return !output && io.stdout.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '') && env.TERM !== 'dumb';
}
