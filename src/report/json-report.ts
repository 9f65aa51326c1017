import { evaluationUnknownCauses } from './unknown-summary';
import { ChunkWriter } from './write';
import { Evaluation, summarize } from '../evaluation/evaluate';
import { Finding } from '../evaluation/finding';

/** The public JSON report: `{ findings: [...], summary: {...} }`. Documented in docs/report-format.md. */
export interface JsonReport {
  readonly findings: JsonFinding[];
  readonly summary: ReportSummary;
}

/** The counts of a report: resources checked, unsuppressed findings by severity, suppressed findings. */
export interface ReportSummary {
  readonly profile: string;
  readonly resources: number;
  readonly error: number;
  readonly warning: number;
  readonly info: number;
  readonly suppressed: number;
  /**
   * The unknown values of the checked resources by cause (`variable`, `remote-module`, `data-source`, `after-apply`,
   * `function`, `dynamic`, `other`): why what could not be judged could not. Absent when every value is known.
   */
  readonly unknownCauses?: { readonly [cause: string]: number };
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

export function jsonSummary(evaluation: Evaluation): ReportSummary {
  const summary: ReportSummary = { profile: evaluation.profile, resources: evaluation.resources.length, ...summarize(evaluation.findings) };
  const unknownCauses = evaluationUnknownCauses(evaluation);
  return unknownCauses === undefined ? summary : { ...summary, unknownCauses };
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
    const encoder = new JsonFindingEncoder();
    w.write('{"findings":[');
    evaluation.findings.forEach((f, i) => {
      if (i) w.write(',');
      encoder.write(f, w);
    });
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
  return `${headText(f)}${resourceText(f)},${tailText(f)}`;
}

/** A finding's text up to its resource: rule id, title, severity, status, CIS ids. */
function headText(f: Finding): string {
  return `{"ruleId":${quoted(f.ruleId)},"title":${quoted(f.title)},"severity":"${f.severity}","status":"${f.status}",`
    + `"cis":${cisText(f.cis)},`;
}

/**
 * Writes findings as `jsonFindingText` would, byte for byte, from parts encoded once: the rule's part (id, title,
 * severity, status, CIS ids) per rule and outcome, the resource's part per resource, and the rest (message, fix,
 * suppression) per distinct message. Tens of thousands of findings repeat a few dozen rule parts and messages, so
 * most of a report is copied rather than quoted and encoded again.
 */
export class JsonFindingEncoder {
  private readonly heads = new Map<string[], { ruleId: string; title: string; bytes: Map<string | number, Buffer> }>();
  private readonly tails = new Map<string, Map<string, Buffer>>();
  private tailCount = 0;
  /** Per fix: the fix quoted and the end of an unsuppressed finding (a few dozen: one per rule). */
  private readonly fixes = new Map<string, Buffer>();
  private resource?: { address: string; resourceName?: string; file?: string; constructPath?: string; stack?: string; bytes: Buffer };

  public write(f: Finding, out: ChunkWriter): void {
    out.writeBytes(this.head(f));
    out.writeBytes(this.resourceBytes(f));
    const tail = this.tail(f);
    if (tail !== undefined) {
      out.writeBytes(tail);
      return;
    }
    // A message seen once (it names an image, a port): only the message is encoded; the fix and the end of an
    // unsuppressed finding are the same for every finding of the rule, encoded once.
    out.write(tailBeforeFix(f));
    if (f.suppressed || f.reason !== undefined) {
      out.write(quoted(f.remediation));
      out.write(tailAfterFix(f));
      return;
    }
    let fix = this.fixes.get(f.remediation);
    if (fix === undefined) {
      fix = Buffer.from(quoted(f.remediation) + tailAfterFix(f), 'utf8');
      this.fixes.set(f.remediation, fix);
    }
    out.writeBytes(fix);
  }

  private head(f: Finding): Buffer {
    // Findings of one rule share its `cis` array (evaluate makes one per rule): the rule's heads hang off it.
    let byRule = this.heads.get(f.cis);
    if (byRule === undefined || byRule.ruleId !== f.ruleId || byRule.title !== f.title) {
      byRule = { ruleId: f.ruleId, title: f.title, bytes: new Map() };
      this.heads.set(f.cis, byRule);
    }
    const key = HEAD_SLOTS[f.severity]?.[f.status] ?? `${f.severity}\u0000${f.status}`;
    let bytes = byRule.bytes.get(key);
    if (bytes === undefined) {
      bytes = Buffer.from(headText(f), 'utf8');
      byRule.bytes.set(key, bytes);
    }
    return bytes;
  }

  private resourceBytes(f: Finding): Buffer {
    const l = this.resource;
    if (l !== undefined && l.address === f.address && l.resourceName === f.resourceName && l.file === f.file
      && l.constructPath === f.constructPath && l.stack === f.stack) return l.bytes;
    const bytes = Buffer.from(resourceText(f) + ',', 'utf8');
    this.resource = { address: f.address, resourceName: f.resourceName, file: f.file, constructPath: f.constructPath, stack: f.stack, bytes };
    return bytes;
  }

  /**
   * The message-to-end part of an unsuppressed finding, per fix and message. At most 512 are kept: the messages that
   * repeat (a rule's fixed texts) come early; a message naming a value (an image, a path) is seldom seen twice, and
   * keeping thousands would only give the garbage collector more to move.
   */
  private tail(f: Finding): Buffer | undefined {
    if (f.suppressed || f.reason !== undefined) return undefined;
    let byMessage = this.tails.get(f.remediation);
    let bytes = byMessage?.get(f.message);
    if (bytes !== undefined) return bytes;
    if (this.tailCount >= MESSAGE_CACHE) return undefined;
    bytes = Buffer.from(tailText(f), 'utf8');
    if (byMessage === undefined) {
      byMessage = new Map();
      this.tails.set(f.remediation, byMessage);
    }
    byMessage.set(f.message, bytes);
    this.tailCount++;
    return bytes;
  }
}

/** How many distinct messages the report writers keep encoded (see JsonFindingEncoder.tail). */
export const MESSAGE_CACHE = 512;

/** Small keys for the usual severity and status pairs of a head. */
const HEAD_SLOTS: { [severity: string]: { [status: string]: number } | undefined } = {
  error: { fail: 0, unknown: 1 },
  warning: { fail: 2, unknown: 3 },
  info: { fail: 4, unknown: 5 },
};

/** A finding's text from its message to the end: message, fix, suppression. */
function tailText(f: Finding): string {
  return tailBeforeFix(f) + quoted(f.remediation) + tailAfterFix(f);
}

function tailBeforeFix(f: Finding): string {
  return `"message":${JSON.stringify(f.message)},"remediation":`;
}

function tailAfterFix(f: Finding): string {
  return `,"suppressed":${f.suppressed},"reason":${f.reason === undefined ? 'null' : JSON.stringify(f.reason)}}`;
}
