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
    evaluation.findings.forEach((f, i) => w.write((i ? ',' : '') + jsonFindingText(f)));
    w.write(`],"summary":${JSON.stringify(jsonSummary(evaluation))}}\n`);
  } finally {
    w.close();
  }
}

/** JSON text of strings that repeat in every finding of a rule (id, title, fix), quoted once. */
const QUOTED = new Map<string, string>();
export function quoted(text: string): string {
  let q = QUOTED.get(text);
  if (q === undefined) {
    q = JSON.stringify(text);
    if (QUOTED.size < 10000) QUOTED.set(text, q);
  }
  return q;
}

const CIS_TEXT = new WeakMap<string[], string>();
export function cisText(cis: string[]): string {
  let t = CIS_TEXT.get(cis);
  if (t === undefined) {
    t = JSON.stringify(cis);
    CIS_TEXT.set(cis, t);
  }
  return t;
}

function nullable(v: string | undefined): string {
  return v === undefined ? 'null' : JSON.stringify(v);
}

/**
 * The resource's part of a finding's text (address to stack), for the last resource seen: a resource's findings
 * arrive one after another, so each resource's strings are quoted once.
 */
let lastResource: { address: string; resourceName?: string; file?: string; constructPath?: string; stack?: string; text: string } | undefined;
function resourceText(f: Finding): string {
  const l = lastResource;
  if (l !== undefined && l.address === f.address && l.resourceName === f.resourceName && l.file === f.file
    && l.constructPath === f.constructPath && l.stack === f.stack) return l.text;
  const text = `"address":${JSON.stringify(f.address)},"resourceName":${nullable(f.resourceName)},`
    + `"file":${nullable(f.file)},"constructPath":${nullable(f.constructPath)},"stack":${nullable(f.stack)}`;
  lastResource = { address: f.address, resourceName: f.resourceName, file: f.file, constructPath: f.constructPath, stack: f.stack, text };
  return text;
}

/** `JSON.stringify(jsonFinding(f))`, with the rule's and the resource's parts quoted once. */
export function jsonFindingText(f: Finding): string {
  return `{"ruleId":${quoted(f.ruleId)},"title":${quoted(f.title)},"severity":"${f.severity}","status":"${f.status}",`
    + `"cis":${cisText(f.cis)},${resourceText(f)},`
    + `"message":${JSON.stringify(f.message)},"remediation":${quoted(f.remediation)},"suppressed":${f.suppressed},`
    + `"reason":${f.reason === undefined ? 'null' : JSON.stringify(f.reason)}}`;
}
