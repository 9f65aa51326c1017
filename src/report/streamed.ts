import { Evaluation } from './evaluate';
import { Finding } from './finding';
import { cisText, JsonFindingEncoder, quoted, toJsonReport } from './json-report';
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
  private lastLocation?: { located: boolean; uri?: string; address: string; constructPath?: string; text: string };

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
    this.sarif!.write(this.sarifResultText(f));
  }

  /** `JSON.stringify(sarifResult(f, ...))`, with the rule's parts quoted once and each resource's location once. */
  private sarifResultText(f: Finding): string {
    const loc = this.sarifOptions.locate?.(f) ?? (f.file ? { uri: f.file } : undefined);
    if (loc?.line) return JSON.stringify(sarifResult(f, this.ruleIndex, this.sarifOptions));
    const idx = this.ruleIndex.get(f.ruleId);
    return `{"ruleId":${quoted(f.ruleId)},"level":"${SARIF_LEVEL[f.severity]}",`
      + `"message":{"text":${JSON.stringify(`${f.address}${f.resourceName ? ` (${f.resourceName})` : ''}: ${f.message}`)}},`
      + this.locationsText(f, loc !== undefined, loc?.uri)
      + `"properties":{"cis":${cisText(f.cis)},"status":"${f.status}"${f.stack ? `,"stack":${JSON.stringify(f.stack)}` : ''}}`
      + `${idx !== undefined ? `,"ruleIndex":${idx}` : ''}`
      + `${f.suppressed ? `,"suppressions":[{"kind":"external","justification":${JSON.stringify(f.reason ?? '')}}]` : ''}}`;
  }

  /** The `"locations"` member of a result, for the last resource seen (a resource's findings arrive together). */
  private locationsText(f: Finding, located: boolean, uri: string | undefined): string {
    const l = this.lastLocation;
    if (l !== undefined && l.located === located && l.uri === uri && l.address === f.address && l.constructPath === f.constructPath) return l.text;
    const name = JSON.stringify(f.address);
    const text = `"locations":[{${located ? `"physicalLocation":{"artifactLocation":{"uri":${quoted(uri!)}}},` : ''}`
      + `"logicalLocations":[{"fullyQualifiedName":${f.constructPath !== undefined ? JSON.stringify(f.constructPath) : name},"name":${name},"kind":"resource"}]}],`;
    this.lastLocation = { located, uri, address: f.address, constructPath: f.constructPath, text };
    return text;
  }

  private evaluation(findings: Finding[], resources: number): Evaluation {
    return { profile: this.profile, findings, resources: new Array(resources) };
  }
}

const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', info: 'note' };
