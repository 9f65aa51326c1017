import { Evaluation } from './evaluate';
import { Finding } from './finding';
import { cisText, JsonFindingEncoder, MESSAGE_CACHE, quoted, toJsonReport } from './json-report';
import { SarifOptions, sarifResult, toSarif } from './sarif';
import { ChunkWriter } from './write';

/**
 * The JSON report and the SARIF log of one stack, written while findings arrive, so that the findings of thousands
 * of resources never all stay in memory. Up to `indentBelow` findings they are kept and written indented at the
 * end; past it, both files are written compact, finding by finding. The files hold exactly what
 * `JSON.stringify(toJsonReport(e))` and `JSON.stringify(toSarif(e, opts))` would.
 */
export class StreamedReports {
  private buffered: Finding[] | undefined = [];
  private json?: ChunkWriter;
  private sarif?: ChunkWriter;
  private sarifTail = '';
  private written = 0;
  private readonly counts = { error: 0, warning: 0, info: 0, suppressed: 0 };
  private readonly ruleIndex: Map<string, number>;
  private readonly encoder = new JsonFindingEncoder();
  private lastResource?: ResourceParts;
  private readonly sarifRules = new Map<string[], SarifRuleParts>();
  private readonly messages = new Map<string, Buffer>();

  constructor(
    private readonly jsonFile: string,
    private readonly sarifFile: string,
    private readonly profile: string,
    private readonly sarifOptions: SarifOptions,
    private readonly indentBelow: number,
  ) {
    this.ruleIndex = new Map(sarifOptions.rules.map((r, i) => [r.metadata.id, i]));
  }

  /** Adds one finding. */
  public add(f: Finding): void {
    if (f.suppressed) this.counts.suppressed++;
    else this.counts[f.severity]++;
    if (this.buffered) {
      this.buffered.push(f);
      if (this.buffered.length > this.indentBelow) this.startStreaming();
      return;
    }
    this.emit(f);
  }

  /** Writes the rest and closes both files. */
  public close(resources: number): void {
    if (this.buffered) {
      const evaluation = this.evaluation(this.buffered, resources);
      ChunkWriter.writeFile(this.jsonFile, JSON.stringify(toJsonReport(evaluation), null, 2) + '\n');
      ChunkWriter.writeFile(this.sarifFile, JSON.stringify(toSarif(evaluation, this.sarifOptions), null, 2) + '\n');
      return;
    }
    const summary = { profile: this.profile, resources, ...this.counts };
    this.json!.write(`],"summary":${JSON.stringify(summary)}}\n`);
    this.json!.close();
    this.sarif!.write(this.sarifTail + '\n');
    this.sarif!.close();
  }

  /** Closes the files after a failure (their content is incomplete). */
  public abort(): void {
    this.json?.close();
    this.sarif?.close();
    this.json = this.sarif = undefined;
    this.buffered = undefined;
  }

  private startStreaming(): void {
    const skeleton = JSON.stringify(toSarif(this.evaluation([], 0), this.sarifOptions));
    const marker = '"results":[';
    const at = skeleton.lastIndexOf(marker + ']') + marker.length;
    this.sarifTail = skeleton.slice(at);
    this.json = new ChunkWriter(this.jsonFile);
    this.sarif = new ChunkWriter(this.sarifFile);
    this.json.write('{"findings":[');
    this.sarif.write(skeleton.slice(0, at));
    const pending = this.buffered ?? [];
    this.buffered = undefined;
    for (const f of pending) this.emit(f);
  }

  private emit(f: Finding): void {
    if (this.written++) {
      this.json!.write(',');
      this.sarif!.write(',');
    }
    this.encoder.write(f, this.json!);
    this.writeSarifResult(f, this.sarif!);
  }

  /**
   * Writes `JSON.stringify(sarifResult(f, ...))` from parts encoded once: the rule's head per rule and level, the
   * resource's name and location per resource, the escaped message per message, the properties per rule and status.
   */
  private writeSarifResult(f: Finding, out: ChunkWriter): void {
    const loc = this.sarifOptions.locate?.(f) ?? (f.file ? { uri: f.file } : undefined);
    if (loc?.line) {
      out.write(JSON.stringify(sarifResult(f, this.ruleIndex, this.sarifOptions)));
      return;
    }
    const idx = this.ruleIndex.get(f.ruleId);
    const rule = this.sarifRule(f, idx);
    let head = rule.heads.get(f.severity);
    if (head === undefined) {
      head = Buffer.from(`{"ruleId":${quoted(f.ruleId)},"level":"${SARIF_LEVEL[f.severity]}","message":{"text":"`, 'utf8');
      rule.heads.set(f.severity, head);
    }
    out.writeBytes(head);
    const where = this.resourceParts(f, loc !== undefined, loc?.uri);
    // JSON escapes character by character, and the prefix ends with ": " (no half of a surrogate pair), so the
    // text's escape is the prefix's escape followed by the message's.
    out.writeBytes(where.prefix);
    out.writeBytes(this.escapedMessage(f.message));
    out.writeBytes(where.locations);
    if (f.suppressed) {
      out.write(`${propertiesText(f, idx)},"suppressions":[{"kind":"external","justification":${JSON.stringify(f.reason ?? '')}}]}`);
      return;
    }
    // The stack is the same for every finding of a report: the tails are kept per status, and checked for the stack.
    let tail = rule.tails.get(f.status);
    if (tail !== undefined && tail.stack !== f.stack) tail = undefined;
    if (tail === undefined) {
      tail = { stack: f.stack, bytes: Buffer.from(`${propertiesText(f, idx)}}`, 'utf8') };
      rule.tails.set(f.status, tail);
    }
    out.writeBytes(tail.bytes);
  }

  /** The parts of one rule's results, kept per rule (findings of a rule share its `cis` array). */
  private sarifRule(f: Finding, idx: number | undefined): SarifRuleParts {
    let rule = this.sarifRules.get(f.cis);
    if (rule === undefined || rule.ruleId !== f.ruleId || rule.idx !== idx) {
      rule = { ruleId: f.ruleId, idx, heads: new Map(), tails: new Map() };
      this.sarifRules.set(f.cis, rule);
    }
    return rule;
  }

  /** The escaped message, without quotes (at most MESSAGE_CACHE kept). */
  private escapedMessage(message: string): Buffer {
    let bytes = this.messages.get(message);
    if (bytes === undefined) {
      bytes = Buffer.from(JSON.stringify(message).slice(1, -1), 'utf8');
      if (this.messages.size < MESSAGE_CACHE) this.messages.set(message, bytes);
    }
    return bytes;
  }

  /** `address (name): ` escaped, and the `"locations"` member, for the last resource seen (its findings arrive together). */
  private resourceParts(f: Finding, located: boolean, uri: string | undefined): ResourceParts {
    const l = this.lastResource;
    if (l !== undefined && l.located === located && l.uri === uri && l.address === f.address
      && l.resourceName === f.resourceName && l.constructPath === f.constructPath) return l;
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
      prefix: Buffer.from(JSON.stringify(prefixText).slice(1, -1), 'utf8'),
      locations: Buffer.from(locations, 'utf8'),
    };
    this.lastResource = parts;
    return parts;
  }

  private evaluation(findings: Finding[], resources: number): Evaluation {
    return { profile: this.profile, findings, resources: new Array(resources) };
  }
}

const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', info: 'note' };

interface ResourceParts {
  readonly located: boolean;
  readonly uri?: string;
  readonly address: string;
  readonly resourceName?: string;
  readonly constructPath?: string;
  readonly prefix: Buffer;
  readonly locations: Buffer;
}

interface SarifRuleParts {
  readonly ruleId: string;
  readonly idx?: number;
  readonly heads: Map<string, Buffer>;
  readonly tails: Map<string, { readonly stack?: string; readonly bytes: Buffer }>;
}

/** A result's `"properties"` member and its `ruleIndex`, without the closing brace. */
function propertiesText(f: Finding, idx: number | undefined): string {
  return `"properties":{"cis":${cisText(f.cis)},"status":"${f.status}"${f.stack ? `,"stack":${JSON.stringify(f.stack)}` : ''}}`
    + `${idx !== undefined ? `,"ruleIndex":${idx}` : ''}`;
}
