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

/**
 * The three runs of fields a finding's JSON is written in, each encoded once and copied for the findings that share
 * it: the rule's (the same for every finding of a rule, severity and status), the resource's (the same for the
 * findings of one resource, which arrive one after another) and the outcome's (message to end: the same for the
 * findings of a rule whose message names no value).
 */
type FieldRun = 'rule' | 'resource' | 'outcome';

interface FindingField {
  readonly name: keyof JsonFinding;
  readonly run: FieldRun;
  readonly value: (f: Finding) => JsonFinding[keyof JsonFinding];
}

/**
 * The fields of a finding in the JSON report, in the order they are written: the one list every JSON writer is built
 * from (`jsonFinding` for the indented report, `JsonReportWriter` for the streamed ones). Each run of fields is
 * contiguous, in the order rule, resource, outcome.
 */
export const FINDING_FIELDS: readonly FindingField[] = [
  { name: 'ruleId', run: 'rule', value: (f) => f.ruleId },
  { name: 'title', run: 'rule', value: (f) => f.title },
  { name: 'severity', run: 'rule', value: (f) => f.severity },
  { name: 'status', run: 'rule', value: (f) => f.status },
  { name: 'cis', run: 'rule', value: (f) => f.cis },
  { name: 'address', run: 'resource', value: (f) => f.address },
  { name: 'resourceName', run: 'resource', value: (f) => f.resourceName ?? null },
  { name: 'file', run: 'resource', value: (f) => f.file ?? null },
  { name: 'constructPath', run: 'resource', value: (f) => f.constructPath ?? null },
  { name: 'stack', run: 'resource', value: (f) => f.stack ?? null },
  { name: 'message', run: 'outcome', value: (f) => f.message },
  { name: 'remediation', run: 'outcome', value: (f) => f.remediation },
  { name: 'suppressed', run: 'outcome', value: (f) => f.suppressed },
  { name: 'reason', run: 'outcome', value: (f) => f.reason ?? null },
];

const RULE_FIELDS = FINDING_FIELDS.filter((field) => field.run === 'rule');
const RESOURCE_FIELDS = FINDING_FIELDS.filter((field) => field.run === 'resource');
const OUTCOME_FIELDS = FINDING_FIELDS.filter((field) => field.run === 'outcome');
/** The outcome's run starts with the message, the one field that names a value; the rest repeats per rule. */
const MESSAGE_FIELD = OUTCOME_FIELDS.slice(0, 1);
const AFTER_MESSAGE_FIELDS = OUTCOME_FIELDS.slice(1);
if (MESSAGE_FIELD[0]?.name !== 'message') throw new Error('FINDING_FIELDS: the outcome run must start with the message');

/** One finding as the report writes it. */
export function jsonFinding(f: Finding): JsonFinding {
  const out: any = {};
  for (const field of FINDING_FIELDS) out[field.name] = field.value(f);
  return out;
}

/** `"name":value,...` of some fields of a finding: the text `JSON.stringify(jsonFinding(f))` has for them. */
function fieldsText(fields: readonly FindingField[], f: Finding): string {
  let text = '';
  for (const field of fields) text += `${text ? ',' : ''}"${field.name}":${JSON.stringify(field.value(f))}`;
  return text;
}

/** The JSON report of one evaluation. */
export function toJsonReport(evaluation: Evaluation): JsonReport {
  return {
    findings: evaluation.findings.map(jsonFinding),
    summary: jsonSummary(evaluation),
  };
}

export function jsonSummary(evaluation: Evaluation): ReportSummary {
  return reportSummary(evaluation.profile, evaluation.resources.length, summarize(evaluation.findings), evaluationUnknownCauses(evaluation));
}

/** A summary from its counts, its keys in the documented order. */
function reportSummary(profile: string, resources: number, counts: { error: number; warning: number; info: number; suppressed: number },
  unknownCauses: { readonly [cause: string]: number } | undefined): ReportSummary {
  const { error, warning, info, suppressed } = counts;
  const summary: ReportSummary = { profile, resources, error, warning, info, suppressed };
  return unknownCauses === undefined ? summary : { ...summary, unknownCauses };
}

/** How a JSON report is laid out. Every layout holds the same document. */
export enum JsonLayout {
  /** `check` and `audit`: one finding per line (greppable), each as `JSON.stringify` writes it; the summary indented. */
  LINES = 'lines',
  /** One line: the synth-time report files of many findings. */
  COMPACT = 'compact',
  /** `JSON.stringify(report, null, 2)`: the synth-time report files of few findings. */
  INDENTED = 'indented',
}

/** The JSON report of an evaluation, whole, as text. */
export function jsonReportText(evaluation: Evaluation, layout = JsonLayout.LINES): string {
  if (layout === JsonLayout.INDENTED) return JSON.stringify(toJsonReport(evaluation), null, 2) + '\n';
  return Buffer.concat(jsonReportChunks(evaluation, layout)).toString('utf8');
}

/** The JSON report of an evaluation as UTF-8 chunks of about 1 MiB (each whole characters). */
export function jsonReportChunks(evaluation: Evaluation, layout = JsonLayout.LINES): Buffer[] {
  const out = ChunkWriter.inMemory();
  writeJsonReport(evaluation, out, layout);
  return out.chunks();
}

/** Writes the JSON report of an evaluation to `out` (which the caller closes). */
export function writeJsonReport(evaluation: Evaluation, out: ChunkWriter, layout = JsonLayout.LINES): void {
  if (layout === JsonLayout.INDENTED) {
    out.write(jsonReportText(evaluation, layout));
    return;
  }
  const writer = new JsonReportWriter(out, layout);
  const findings = evaluation.findings;
  for (let i = 0; i < findings.length; i++) writer.add(findings[i]);
  writer.end(evaluation.profile, evaluation.resources.length, evaluationUnknownCauses(evaluation));
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

/** How many distinct messages the report writers keep encoded (see JsonReportWriter.outcome). */
export const MESSAGE_CACHE = 512;

/** Small keys for the usual severity and status pairs of a rule's run. */
const RULE_SLOTS: { [severity: string]: { [status: string]: number } | undefined } = {
  error: { fail: 0, unknown: 1 },
  warning: { fail: 2, unknown: 3 },
  info: { fail: 4, unknown: 5 },
};

/**
 * Writes a JSON report (LINES or COMPACT) finding by finding, each exactly `JSON.stringify(jsonFinding(f))`, from
 * runs of fields encoded once (see FieldRun): tens of thousands of findings repeat a few dozen rules and messages, so
 * most of a report is copied rather than quoted and encoded again. The separator before a finding is encoded with
 * its rule's run. Counts the findings for the summary.
 */
export class JsonReportWriter {
  /** Per rule (its findings share its `cis` array: evaluate makes one per rule): its run, by severity and status. */
  private readonly rules = new Map<string[], { ruleId: string; title: string; bytes: Map<string | number, Buffer> }>();
  /** Per fix, per message: the outcome's run and the finding's end, unsuppressed and suppressed by reason. */
  private readonly outcomes = new Map<string, Map<string, { unsuppressed?: Buffer; suppressed?: Map<string, Buffer> }>>();
  private outcomeCount = 0;
  /** Per fix, per suppression: the outcome's fields after the message (see outcomeTail). */
  private readonly tails = new Map<string, Map<string | number, Buffer>>();
  private tailCount = 0;
  /** The last resource's finding, and its run: a view of a buffer reused from resource to resource. */
  private resource?: Finding;
  private resourceBuffer = Buffer.allocUnsafe(1024);
  private resourceRun = this.resourceBuffer.subarray(0, 0);
  private readonly separator: string;
  private first = true;
  private readonly counts = { error: 0, warning: 0, info: 0, suppressed: 0 };

  constructor(private readonly out: ChunkWriter, private readonly layout: JsonLayout.LINES | JsonLayout.COMPACT) {
    this.separator = layout === JsonLayout.LINES ? ',\n    ' : ',';
    out.write(layout === JsonLayout.LINES ? '{\n  "findings": [' : '{"findings":[');
  }

  /** Writes one finding. */
  public add(f: Finding): void {
    if (f.suppressed) this.counts.suppressed++;
    else this.counts[f.severity]++;
    const out = this.out;
    if (this.first) {
      // The first finding has no separator before it: its rule's run is written as text, once.
      this.first = false;
      out.write(`${this.layout === JsonLayout.LINES ? '\n    ' : ''}{${fieldsText(RULE_FIELDS, f)},`);
    } else {
      out.writeBytes(this.ruleRun(f));
    }
    this.writeResourceRun(f);
    const outcome = this.outcome(f);
    if (outcome !== undefined) {
      out.writeBytes(outcome);
    } else {
      // A message past the cache (one naming an image, a port): only it is encoded; the fix and the rest are copied.
      out.write(`${fieldsText(MESSAGE_FIELD, f)},`);
      out.writeBytes(this.outcomeTail(f));
    }
  }

  /** Ends the findings and writes the summary. */
  public end(profile: string, resources: number, unknownCauses?: { readonly [cause: string]: number }): void {
    const summary = reportSummary(profile, resources, this.counts, unknownCauses);
    if (this.layout === JsonLayout.LINES) {
      this.out.write(`${this.first ? '' : '\n  '}],\n  "summary": ${JSON.stringify(summary, null, 2).replace(/\n/g, '\n  ')}\n}\n`);
    } else {
      this.out.write(`],"summary":${JSON.stringify(summary)}}\n`);
    }
  }

  /** The separator and the rule's run: `,{"ruleId":...,"cis":[...],`. */
  private ruleRun(f: Finding): Buffer {
    let byRule = this.rules.get(f.cis);
    if (byRule === undefined || byRule.ruleId !== f.ruleId || byRule.title !== f.title) {
      byRule = { ruleId: f.ruleId, title: f.title, bytes: new Map() };
      this.rules.set(f.cis, byRule);
    }
    const key = RULE_SLOTS[f.severity]?.[f.status] ?? `${f.severity}\u0000${f.status}`;
    let bytes = byRule.bytes.get(key);
    if (bytes === undefined) {
      bytes = Buffer.from(`${this.separator}{${fieldsText(RULE_FIELDS, f)},`, 'utf8');
      byRule.bytes.set(key, bytes);
    }
    return bytes;
  }

  /** The resource's run and a comma; encoded when the resource differs from the last finding's. */
  private writeResourceRun(f: Finding): void {
    const last = this.resource;
    let same = last !== undefined;
    for (let i = 0; same && i < RESOURCE_FIELDS.length; i++) same = RESOURCE_FIELDS[i].value(f) === RESOURCE_FIELDS[i].value(last!);
    if (!same) {
      const text = `${fieldsText(RESOURCE_FIELDS, f)},`;
      // UTF-8 takes at most 3 bytes per UTF-16 code unit.
      if (text.length * 3 > this.resourceBuffer.length) this.resourceBuffer = Buffer.allocUnsafe(text.length * 3);
      this.resourceRun = this.resourceBuffer.subarray(0, this.resourceBuffer.write(text, 0, 'utf8'));
      this.resource = f;
    }
    this.out.writeBytes(this.resourceRun);
  }

  /** The outcome's fields after the message, and the finding's end: per fix and suppression (a few per rule). */
  private outcomeTail(f: Finding): Buffer {
    let bySuppression = this.tails.get(f.remediation);
    if (bySuppression === undefined) this.tails.set(f.remediation, bySuppression = new Map());
    const key = f.suppressed ? (f.reason === undefined ? 1 : `s\u0000${f.reason}`) : (f.reason === undefined ? 0 : `u\u0000${f.reason}`);
    let bytes = bySuppression.get(key);
    if (bytes === undefined) {
      bytes = Buffer.from(`${fieldsText(AFTER_MESSAGE_FIELDS, f)}}`, 'utf8');
      if (this.tailCount++ < MESSAGE_CACHE) bySuppression.set(key, bytes);
    }
    return bytes;
  }

  /**
   * The outcome's run and the finding's end, per fix, message and suppression (none, or suppressed with a reason).
   * At most MESSAGE_CACHE are kept: the messages that repeat (a rule's fixed texts) come early; a message naming a
   * value (an image, a path) is seldom seen twice, and keeping thousands would only give the garbage collector more
   * to move.
   */
  private outcome(f: Finding): Buffer | undefined {
    const reason = f.reason;
    // A reason without a suppression, or a suppression without one (neither made by evaluate): not kept.
    if (f.suppressed !== (reason !== undefined)) return undefined;
    let byMessage = this.outcomes.get(f.remediation);
    let runs = byMessage?.get(f.message);
    const bytes = reason === undefined ? runs?.unsuppressed : runs?.suppressed?.get(reason);
    if (bytes !== undefined || this.outcomeCount >= MESSAGE_CACHE) return bytes;
    if (byMessage === undefined) this.outcomes.set(f.remediation, byMessage = new Map());
    if (runs === undefined) byMessage.set(f.message, runs = {});
    const encoded = Buffer.from(`${fieldsText(OUTCOME_FIELDS, f)}}`, 'utf8');
    if (reason === undefined) runs.unsuppressed = encoded;
    else (runs.suppressed ??= new Map()).set(reason, encoded);
    this.outcomeCount++;
    return encoded;
  }
}
