import { AnnotationMetadataEntryType, App, TerraformStack } from 'cdktf';
import { REPORT_JSON } from './stack-reports';
import { Finding } from '../evaluation/finding';
import { Severity } from '../rules/rule';

/**
 * Warnings and infos as annotations in the stack's manifest entry, where `cdktf synth` reports them (cdktf collected
 * the constructs' annotations before toTerraform ran, and writes the manifest after every stack): one warning
 * annotation per resource at most, naming each rule and what was found; infos once per rule (see finish). A stack of 5000 containers has tens of
 * thousands of findings; one annotation each would flood the console and cost cdktf more to write than the checks
 * themselves. The reports hold every finding with its full fix. Not as construct metadata either: it would stay in
 * memory for nothing.
 */
export class ManifestAnnotations {
  private readonly list?: any[];
  private readonly stackPath: string;
  private readonly infos = new Map<string, { first: Finding; count: number }>();
  private readonly warnings = new Map<string, { first: Finding; count: number; where: string[] }>();

  constructor(stack: TerraformStack) {
    this.stackPath = stack.node.path;
    const app = stack.node.root;
    const manifest: any = App.isApp(app) ? app.manifest.forStack(stack) : undefined;
    if (!manifest || !Array.isArray(manifest.annotations)) return;
    // Another synth of the same stack (Testing.synth again) replaces what the previous one added.
    if (manifest.annotations.some((x: any) => OURS.has(x))) manifest.annotations = manifest.annotations.filter((x: any) => !OURS.has(x));
    this.list = manifest.annotations;
  }

  /** The unsuppressed warnings and infos of one resource. */
  public addResource(findings: Finding[]): void {
    if (!this.list || findings.length === 0) return;
    const warnings: Finding[] = [];
    const infos: Finding[] = [];
    for (const f of findings) {
      if (f.severity === Severity.WARNING) warnings.push(f);
      else if (f.severity === Severity.INFO) infos.push(f);
    }
    const where = findings[0].constructPath ?? this.stackPath;
    for (const f of warnings) {
      const seen = this.warnings.get(f.ruleId);
      if (!seen) this.warnings.set(f.ruleId, { first: f, count: 1, where: [where] });
      else if (++seen.count <= WARNING_PATHS) seen.where.push(where);
    }
    for (const f of infos) {
      const seen = this.infos.get(f.ruleId);
      if (seen) seen.count++;
      else this.infos.set(f.ruleId, { first: f, count: 1 });
    }
  }

  /**
   * Writes the annotations collected by addResource: the warnings grouped (writeGroupedWarnings), then infos, once per
   * rule: at the resource when only one has it, else one annotation on the stack with the count and the first
   * resource (infos are host-dependent notes and reviews, the same for most resources of a stack).
   */
  public writeGrouped(): void {
    if (!this.list) return;
    this.writeGroupedWarnings();
    for (const { first, count } of this.infos.values()) {
      if (count === 1) {
        this.push(first.constructPath ?? this.stackPath, AnnotationMetadataEntryType.INFO, `${label(first)}: ${sentence(first.message)}`);
      } else {
        this.push(this.stackPath, AnnotationMetadataEntryType.INFO, `${label(first)}: ${count} resources, `
          + `e.g. ${first.constructPath ?? first.address}: ${sentence(first.message)} (all in ${REPORT_JSON})`);
      }
    }
    this.infos.clear();
  }

  /**
   * Warnings, grouped like the printed summary (cdktf synth prints every annotation: one per resource would be a
   * thousand lines for a thousand containers). Rules found on one resource only: one annotation at it, naming each
   * rule, what was found and (for a single rule) the fix. Rules found on several: one annotation on the stack per
   * set of resources, with the count and the first construct paths.
   */
  private writeGroupedWarnings(): void {
    const bySet = new Map<string, Array<{ first: Finding; count: number; where: string[] }>>();
    for (const g of this.warnings.values()) {
      const key = `${g.count}\0${g.where.join('\0')}`;
      const list = bySet.get(key);
      if (list) list.push(g);
      else bySet.set(key, [g]);
    }
    for (const groups of bySet.values()) {
      const { count, where } = groups[0];
      if (count === 1 && groups.length === 1) {
        const f = groups[0].first;
        this.push(where[0], AnnotationMetadataEntryType.WARN, `${label(f)}: ${sentence(f.message)}. Fix: ${firstSentence(f.remediation)}`);
      } else if (count === 1) {
        this.push(where[0], AnnotationMetadataEntryType.WARN, `${groups.length} warnings: `
          + groups.map((g) => `${label(g.first)}: ${sentence(g.first.message)}`).join('; ') + `. Fixes: ${REPORT_JSON}, docs/rules.md`);
      } else {
        const more = count > where.length ? `, +${count - where.length} more` : '';
        const rules = groups.length === 1
          ? `${label(groups[0].first)}: ${count} resources`
          : `${groups.length} warnings (${groups.map((g) => g.first.ruleId).join(', ')}) on each of ${count} resources`;
        this.push(this.stackPath, AnnotationMetadataEntryType.WARN, `${rules}: ${where.join(', ')}${more} (all in ${REPORT_JSON})`);
      }
    }
    this.warnings.clear();
  }

  private push(constructPath: string, level: string, message: string): void {
    const entry = { constructPath, level, message };
    OURS.add(entry);
    this.list!.push(entry);
  }
}

/** `rule-id (CIS 5.x, 5.y)`; made once per rule (findings of a rule share their `cis` array). */
function label(f: Finding): string {
  const byRule = LABELS.get(f.cis);
  const cached = byRule?.get(f.ruleId);
  if (cached !== undefined) return cached;
  const text = `${f.ruleId}${f.cis.length ? ` (CIS ${f.cis.join(', ')})` : ''}`;
  if (byRule) byRule.set(f.ruleId, text);
  else LABELS.set(f.cis, new Map([[f.ruleId, text]]));
  return text;
}
const LABELS = new WeakMap<string[], Map<string, string>>();

function sentence(text: string): string {
  return text.endsWith('.') ? text.slice(0, -1) : text;
}

/** Construct paths named in a warning annotation that covers several resources. */
const WARNING_PATHS = 3;

/** The manifest annotations this library added. */
const OURS = new WeakSet<object>();

const FIRST_SENTENCE = new Map<string, string>();
/** The first sentence of a remediation, for annotations (the reports carry the whole text). */
function firstSentence(text: string): string {
  let s = FIRST_SENTENCE.get(text);
  if (s === undefined) {
    const m = /^(.+?)\.\s+(?=[A-Z])/s.exec(text);
    s = m ? `${m[1]} (more in the report)` : text.replace(/\.$/, '');
    FIRST_SENTENCE.set(text, s);
  }
  return s;
}
