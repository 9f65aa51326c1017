import { cisText, jsonReportText, JsonLayout, JsonReportWriter, MESSAGE_CACHE, quoted } from './json-report';
import { driverRules, SarifOptions, sarifResult, toSarif } from './sarif';
import { CountedEvaluation } from './unknown-summary';
import { ChunkWriter } from './write';
import { Evaluation } from '../evaluation/evaluate';
import { Finding } from '../evaluation/finding';

/**
 * The JSON report and the SARIF log of one stack, written while findings arrive, so that the findings of thousands
 * of resources never all stay in memory. Up to `indentBelow` findings they are kept and written indented at the
 * end; past it, both files are written compact, finding by finding. The files hold exactly what
 * `JSON.stringify(toJsonReport(e))` and `JSON.stringify(toSarif(e, opts))` would.
 */
export class StreamedReports {
  private buffered: Finding[] | undefined = [];
  private json?: ChunkWriter;
  private jsonWriter?: JsonReportWriter;
  private sarif?: ChunkWriter;
  private sarifTail = '';
  private written = 0;
  private readonly ruleIndex: Map<string, number>;
  private readonly rules = new Map<string[], RuleParts>();
  private messageCount = 0;
  private lastResource?: ResourceParts;
  private unknownCauses?: { [cause: string]: number };

  constructor(
    private readonly jsonFile: string,
    private readonly sarifFile: string,
    private readonly profile: string,
    private readonly sarifOptions: SarifOptions,
    private readonly indentBelow: number,
  ) {
    this.ruleIndex = new Map(driverRules(sarifOptions.rules).map((r, i) => [r.metadata.id, i]));
  }

  /** Adds one finding. */
  public add(f: Finding): void {
    if (this.buffered) {
      this.buffered.push(f);
      if (this.buffered.length > this.indentBelow) this.startStreaming();
      return;
    }
    this.emit(f);
  }

  /**
   * Writes the rest and closes both files.
   * @param unknownCauses the checked resources' unknown values by cause (countUnknownCauses), when any
   */
  public close(resources: number, unknownCauses?: { [cause: string]: number }): void {
    this.unknownCauses = unknownCauses;
    if (this.buffered) {
      const evaluation = this.evaluation(this.buffered, resources);
      ChunkWriter.writeFile(this.jsonFile, jsonReportText(evaluation, JsonLayout.INDENTED));
      ChunkWriter.writeFile(this.sarifFile, JSON.stringify(toSarif(evaluation, this.sarifOptions), null, 2) + '\n');
      return;
    }
    this.jsonWriter!.end(this.profile, resources, unknownCauses);
    this.json!.close();
    // The run's properties come after the results: the tail is made again when there are causes to count.
    this.sarif!.write((unknownCauses ? this.tailOf(this.evaluation([], 0)) : this.sarifTail) + '\n');
    this.sarif!.close();
  }

  /** Closes the files after a failure (their content is incomplete). */
  public abort(): void {
    this.json?.close();
    this.sarif?.close();
    this.json = this.sarif = this.jsonWriter = undefined;
    this.buffered = undefined;
  }

  /** The SARIF text after the results of a log of `evaluation`. */
  private tailOf(evaluation: Evaluation): string {
    const skeleton = JSON.stringify(toSarif(evaluation, this.sarifOptions));
    const marker = '"results":[';
    return skeleton.slice(skeleton.lastIndexOf(marker + ']') + marker.length);
  }

  private startStreaming(): void {
    const skeleton = JSON.stringify(toSarif(this.evaluation([], 0), this.sarifOptions));
    const marker = '"results":[';
    const at = skeleton.lastIndexOf(marker + ']') + marker.length;
    this.sarifTail = skeleton.slice(at);
    this.json = new ChunkWriter(this.jsonFile);
    this.jsonWriter = new JsonReportWriter(this.json, JsonLayout.COMPACT);
    this.sarif = new ChunkWriter(this.sarifFile);
    this.sarif.write(skeleton.slice(0, at));
    const pending = this.buffered ?? [];
    this.buffered = undefined;
    for (const f of pending) this.emit(f);
  }

  /**
   * Writes one finding to both files, as `JSON.stringify(jsonFinding(f))` and `JSON.stringify(sarifResult(...))`
   * would: the JSON through the report's JsonReportWriter, the SARIF from parts encoded once per rule (its head and
   * tail), per resource (its message prefix and locations) and per message.
   */
  private emit(f: Finding): void {
    const sarif = this.sarif!;
    if (this.written++) sarif.writeBytes(COMMA);
    this.jsonWriter!.add(f);

    const loc = this.sarifOptions.locate?.(f) ?? (f.file ? { uri: f.file } : undefined);
    if (loc?.line) {
      sarif.write(JSON.stringify(sarifResult(f, this.ruleIndex, this.sarifOptions)));
      return;
    }
    const rule = this.ruleParts(f);
    const resource = this.resourceParts(f, loc?.uri, loc !== undefined);
    sarif.writeBytes(sarifHead(rule, f));
    // JSON escapes character by character, and the prefix ends with ": " (no half of a surrogate pair), so the
    // text's escape is the prefix's escape followed by the message's.
    sarif.writeBytes(resource.sarifPrefix);
    const message = this.escapedMessage(rule, f.message);
    if (message !== undefined) sarif.writeBytes(message);
    else sarif.write(JSON.stringify(f.message).slice(1, -1));
    sarif.writeBytes(resource.sarifLocations);
    if (f.suppressed) {
      sarif.write(`${propertiesText(f, rule.idx)},"suppressions":[{"kind":"external","justification":${JSON.stringify(f.reason ?? '')}}]}`);
      return;
    }
    sarif.writeBytes(sarifResultTail(rule, f));
  }

  /** The parts of one rule's findings (they share the rule's `cis` array: evaluate makes one per rule). */
  private ruleParts(f: Finding): RuleParts {
    let rule = this.rules.get(f.cis);
    if (rule === undefined || rule.ruleId !== f.ruleId) {
      rule = {
        ruleId: f.ruleId,
        idx: this.ruleIndex.get(f.ruleId),
        sarifHeads: new Map(),
        sarifTails: new Map(),
        messages: new Map(),
      };
      this.rules.set(f.cis, rule);
    }
    return rule;
  }

  /** The escaped message, without quotes, kept for the first MESSAGE_CACHE distinct messages; undefined past them. */
  private escapedMessage(rule: RuleParts, message: string): Buffer | undefined {
    let bytes = rule.messages.get(message);
    if (bytes === undefined && this.messageCount < MESSAGE_CACHE) {
      bytes = Buffer.from(JSON.stringify(message).slice(1, -1), 'utf8');
      rule.messages.set(message, bytes);
      this.messageCount++;
    }
    return bytes;
  }

  /** The resource's parts, for the last resource seen (its findings arrive together). */
  private resourceParts(f: Finding, uri: string | undefined, located: boolean): ResourceParts {
    const l = this.lastResource;
    if (l !== undefined && l.located === located && l.uri === uri && l.address === f.address && l.resourceName === f.resourceName
      && l.constructPath === f.constructPath) return l;
    const name = JSON.stringify(f.address);
    const prefixText = `${f.address}${f.resourceName ? ` (${f.resourceName})` : ''}: `;
    const locations = `"},"locations":[{${located ? `"physicalLocation":{"artifactLocation":{"uri":${quoted(uri!)}}},` : ''}`
      + `"logicalLocations":[{"fullyQualifiedName":${f.constructPath !== undefined ? JSON.stringify(f.constructPath) : name},"name":${name},"kind":"resource"}]}],`;
    const parts: ResourceParts = {
      located,
      uri,
      address: f.address,
      resourceName: f.resourceName,
      constructPath: f.constructPath,
      sarifPrefix: Buffer.from(JSON.stringify(prefixText).slice(1, -1), 'utf8'),
      sarifLocations: Buffer.from(locations, 'utf8'),
    };
    this.lastResource = parts;
    return parts;
  }

  private evaluation(findings: Finding[], resources: number): CountedEvaluation {
    return { profile: this.profile, findings, resources: new Array(resources), unknownCauses: this.unknownCauses };
  }
}

const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', info: 'note' };
const COMMA = Buffer.from(',', 'utf8');

/** The SARIF parts of one rule's results (they share the rule's `cis` array: evaluate makes one per rule). */
interface RuleParts {
  readonly ruleId: string;
  readonly idx?: number;
  readonly sarifHeads: Map<string, Buffer>;
  /** Per status; kept for one stack (the same for every finding of a report). */
  readonly sarifTails: Map<string, { readonly stack?: string; readonly bytes: Buffer }>;
  /** Escaped messages, without quotes. */
  readonly messages: Map<string, Buffer>;
}

interface ResourceParts {
  readonly located: boolean;
  readonly uri?: string;
  readonly address: string;
  readonly resourceName?: string;
  readonly constructPath?: string;
  /** `address (name): `, escaped, the start of a SARIF message. */
  readonly sarifPrefix: Buffer;
  /** The end of a SARIF message and the `"locations"` member. */
  readonly sarifLocations: Buffer;
}

function sarifHead(rule: RuleParts, f: Finding): Buffer {
  let head = rule.sarifHeads.get(f.severity);
  if (head === undefined) {
    head = Buffer.from(`{"ruleId":${quoted(f.ruleId)},"level":"${SARIF_LEVEL[f.severity]}","message":{"text":"`, 'utf8');
    rule.sarifHeads.set(f.severity, head);
  }
  return head;
}

function sarifResultTail(rule: RuleParts, f: Finding): Buffer {
  let tail = rule.sarifTails.get(f.status);
  if (tail === undefined || tail.stack !== f.stack) {
    tail = { stack: f.stack, bytes: Buffer.from(`${propertiesText(f, rule.idx)}}`, 'utf8') };
    rule.sarifTails.set(f.status, tail);
  }
  return tail.bytes;
}

/** A result's `"properties"` member and its `ruleIndex`, without the closing brace. */
function propertiesText(f: Finding, idx: number | undefined): string {
  return `"properties":{"cis":${cisText(f.cis)},"status":"${f.status}"${f.stack ? `,"stack":${JSON.stringify(f.stack)}` : ''}}`
    + `${idx !== undefined ? `,"ruleIndex":${idx}` : ''}`;
}
