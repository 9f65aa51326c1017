import { Evaluation, summarize } from './evaluate';
import { Finding } from './finding';
import { ChunkWriter } from './write';

/** The public JSON report: `{ findings: [...], summary: {...} }`. Documented in docs/report-format.md. */
export interface JsonReport {
  readonly findings: JsonFinding[];
  readonly summary: {
    readonly profile: string;
    readonly resources: number;
    readonly error: number;
    readonly warning: number;
    readonly info: number;
    readonly suppressed: number;
  };
}

export interface JsonFinding {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: string;
  readonly status: string;
  readonly cis: string[];
  readonly address: string;
  readonly resourceName: string | null;
  readonly file: string | null;
  readonly constructPath: string | null;
  readonly stack: string | null;
  readonly message: string;
  readonly remediation: string;
  readonly suppressed: boolean;
  readonly reason: string | null;
}

/** One finding as the report writes it. */
export function jsonFinding(f: Finding): JsonFinding {
  return {
    ruleId: f.ruleId,
    title: f.title,
    severity: f.severity,
    status: f.status,
    cis: f.cis,
    address: f.address,
    resourceName: f.resourceName ?? null,
    file: f.file ?? null,
    constructPath: f.constructPath ?? null,
    stack: f.stack ?? null,
    message: f.message,
    remediation: f.remediation,
    suppressed: f.suppressed,
    reason: f.reason ?? null,
  };
}

/** The JSON report of one evaluation. */
export function toJsonReport(evaluation: Evaluation): JsonReport {
  return {
    findings: evaluation.findings.map(jsonFinding),
    summary: jsonSummary(evaluation),
  };
}

export function jsonSummary(evaluation: Evaluation): JsonReport['summary'] {
  return { profile: evaluation.profile, resources: evaluation.resources.length, ...summarize(evaluation.findings) };
}

/**
 * Writes the JSON report to a file: indented, or compact and streamed finding by finding (the same content as
 * `JSON.stringify(toJsonReport(evaluation))`, without building the whole report in memory first).
 */
export function writeJsonReport(file: string, evaluation: Evaluation, indent: boolean): void {
  if (indent) {
    ChunkWriter.writeFile(file, JSON.stringify(toJsonReport(evaluation), null, 2) + '\n');
    return;
  }
  const w = new ChunkWriter(file);
  try {
    w.write('{"findings":[');
    evaluation.findings.forEach((f, i) => w.write((i ? ',' : '') + JSON.stringify(jsonFinding(f))));
    w.write(`],"summary":${JSON.stringify(jsonSummary(evaluation))}}\n`);
  } finally {
    w.close();
  }
}
