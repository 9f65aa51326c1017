/**
 * What synth prints for a person: per stack one summary line, then the findings grouped by rule (count, severity,
 * the first construct paths, "+N more"), suppressed findings on one line; a failed stack throws an error listing its
 * errors one by one up to a limit. Every line names construct paths (the Terraform address only where a resource
 * has no construct). The reports beside cdk.tf.json keep every finding in full.
 *
 * `HARDENED_DOCKER_SYNTH_OUTPUT=all` prints every finding, one line each, and every error in the failure.
 */
import * as path from 'path';
import type { Finding } from '../evaluation/finding';
import type { ReportSummary } from '../report/json-report';
import { Severity } from '../rules/rule';

/** The environment variable that chooses what synth prints: `summary` (the default) or `all`. */
export const SYNTH_OUTPUT_ENV = 'HARDENED_DOCKER_SYNTH_OUTPUT';

/** Construct paths named per rule before "+N more". */
export const PATHS_PER_RULE = 3;
/** Errors listed one by one in a failed synth before "+N more". */
export const ERRORS_LISTED = 10;

/** Whether synth prints every finding: from HARDENED_DOCKER_SYNTH_OUTPUT, checked once per stack. */
export function printEveryFinding(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env[SYNTH_OUTPUT_ENV] ?? '').trim().toLowerCase();
  if (value === '' || value === 'summary') return false;
  if (value === 'all') return true;
  throw new Error(`${SYNTH_OUTPUT_ENV}="${env[SYNTH_OUTPUT_ENV]}" is not a synth output: use "summary" (the default) or "all"`);
}

interface RuleGroup {
  readonly label: string;
  readonly severity: string;
  count: number;
  readonly where: string[];
}

/** Collects one stack's findings as they stream past, keeping only what the printed lines need. */
export class SynthOutput {
  private readonly groups = new Map<string, RuleGroup>();
  private readonly suppressed = new Map<string, number>();
  private readonly errors: Finding[] = [];
  private readonly errorsByRule = new Map<string, number>();
  private readonly every: string[] = [];
  private errorCount = 0;

  /**
   * @param stack the stack's name
   * @param all print every finding and list every error (HARDENED_DOCKER_SYNTH_OUTPUT=all)
   */
  constructor(private readonly stack: string, private readonly all: boolean) {}

  public add(f: Finding): void {
    if (this.all) this.every.push(findingLine(f));
    if (f.suppressed) {
      this.suppressed.set(f.ruleId, (this.suppressed.get(f.ruleId) ?? 0) + 1);
      return;
    }
    if (f.severity === Severity.ERROR) {
      this.errorCount++;
      this.errorsByRule.set(f.ruleId, (this.errorsByRule.get(f.ruleId) ?? 0) + 1);
      if (this.all || this.errors.length < ERRORS_LISTED) this.errors.push(f);
    }
    // Infos are host-dependent notes and reviews: counted in the summary line, listed in the reports.
    if (f.severity === Severity.INFO) return;
    const key = `${f.severity}\0${f.ruleId}`;
    let group = this.groups.get(key);
    if (!group) {
      group = { label: ruleLabel(f), severity: f.severity, count: 0, where: [] };
      this.groups.set(key, group);
    }
    group.count++;
    if (group.where.length < PATHS_PER_RULE) group.where.push(where(f));
  }

  /** The lines printed for the stack (standard error), ending in a newline. */
  public text(summary: ReportSummary, reportFile: string | undefined): string {
    const lines = [
      `hardened-docker: stack ${this.stack} (profile ${summary.profile}): ${summary.resources} containers/services, `
        + `${summary.error} errors, ${summary.warning} warnings, ${summary.info} info, ${summary.suppressed} suppressed`
        + (reportFile ? `; reports: ${reportFile} and .sarif` : ''),
    ];
    if (this.all) {
      lines.push(...this.every);
    } else {
      for (const g of mergeSameResources([...this.groups.values()])) {
        const more = g.count > g.where.length ? `, +${g.count - g.where.length} more` : '';
        lines.push(`  ${g.severity.padEnd(7)} ${g.label} x${g.count}: ${g.where.join(', ')}${more}`);
      }
      if (this.suppressed.size) {
        lines.push(`  suppressed ${[...this.suppressed].map(([rule, n]) => `${rule} x${n}`).join(', ')} (reasons in the reports)`);
      }
      if (summary.error + summary.warning > 0 || this.suppressed.size) {
        lines.push(`  every finding: ${SYNTH_OUTPUT_ENV}=all`);
      }
    }
    return lines.join('\n') + '\n';
  }

  /** The message of a failed synth: each error (up to ERRORS_LISTED) with its fix, the rest counted by rule. */
  public failureMessage(profile: string, reportFile: string | undefined): string {
    const n = this.errorCount;
    const lines = [`Docker security checks failed for stack "${this.stack}" (profile ${profile}): ${n} error${n === 1 ? '' : 's'}`];
    for (const f of this.errors) lines.push('  ' + formatFinding(f));
    if (n > this.errors.length) {
      const byRule = [...this.errorsByRule].map(([rule, count]) => `${rule} x${count}`).join(', ');
      lines.push(`  +${n - this.errors.length} more errors (all: ${byRule})${reportFile ? ` in ${reportFile}` : ''}; `
        + `${SYNTH_OUTPUT_ENV}=all lists every one`);
    }
    lines.push('Fix the settings, or suppress a rule where it is acceptable: Suppressions.add(construct, ruleId, reason).');
    return lines.join('\n');
  }
}

/**
 * Errors first, then warnings; rules of one severity found on the same resources (the same count and first paths,
 * as for a raw container that breaks a dozen rules, or a thousand alike) share one line, naming the rule ids only.
 */
function mergeSameResources(groups: RuleGroup[]): RuleGroup[] {
  const order = [Severity.ERROR, Severity.WARNING];
  const merged = new Map<string, { first: RuleGroup; ids: string[] }>();
  for (const g of groups.sort((a, b) => order.indexOf(a.severity as Severity) - order.indexOf(b.severity as Severity))) {
    const key = `${g.severity}\0${g.count}\0${g.where.join('\0')}`;
    const m = merged.get(key);
    if (m) m.ids.push(g.label.replace(/ \(CIS .*\)$/, ''));
    else merged.set(key, { first: g, ids: [g.label.replace(/ \(CIS .*\)$/, '')] });
  }
  return [...merged.values()].map(({ first, ids }) => (ids.length === 1 ? first : { ...first, label: ids.join(', ') }));
}

/** One finding as a line: construct path, rule, CIS ids, value, fix. */
export function formatFinding(f: Finding): string {
  return `[${where(f)}] ${ruleLabel(f)}: ${sentence(f.message)}. Fix: ${f.remediation}`;
}

/** Every finding, one line each (HARDENED_DOCKER_SYNTH_OUTPUT=all). */
function findingLine(f: Finding): string {
  const tag = f.suppressed ? 'suppressed' : f.severity;
  return `  ${tag.padEnd(10)} ${where(f)} ${ruleLabel(f)}: ${f.suppressed ? `reason: ${f.reason}` : f.message}`;
}

/** Where a finding is: its construct path, or the Terraform address of a resource no construct made. */
function where(f: Finding): string {
  return f.constructPath ?? f.address;
}

function ruleLabel(f: Finding): string {
  return `${f.ruleId}${f.cis.length ? ` (CIS ${f.cis.join(', ')})` : ''}`;
}

function sentence(text: string): string {
  return text.endsWith('.') ? text.slice(0, -1) : text;
}

/** The report's path as a person would type it: relative to the working directory when below it. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/**
 * Throws the failure of a synth. Its stack is the message alone: the library's frames say nothing the message does
 * not. When nothing catches it (an app run by `cdktf synth` or `tsx main.ts`), Node would still print the throwing
 * source line of the library above it; for that case only, and only when the app has no `uncaughtException` handler
 * of its own, the process prints the message and exits 1. A caller that catches the error (tests, a wrapper) gets
 * it as usual, and the listener is gone by the next turn of the event loop.
 */
export function throwSynthFailure(message: string): never {
  const error = new Error(message);
  error.name = 'DockerSecurityChecksError';
  error.stack = `${error.name}: ${message}`;
  printAloneIfUncaught(error);
  throw error;
}

function printAloneIfUncaught(error: Error): void {
  if (process.listenerCount('uncaughtException') > 0) return;
  const onUncaught = (e: unknown): void => {
    process.off('uncaughtException', onUncaught);
    // Another error escaping in the same turn is printed as Node would print it.
    process.stderr.write(`${e === error ? error.message : (e as Error | undefined)?.stack ?? String(e)}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', onUncaught);
  setImmediate(() => process.off('uncaughtException', onUncaught)).unref();
}
