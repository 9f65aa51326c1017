import { escapeControls as esc } from './escape';
import { describeUnknownCauses, evaluationUnknownCauses } from './unknown-summary';
import { Evaluation, ResourceOutcome, summarize } from '../evaluation/evaluate';
import { Finding } from '../evaluation/finding';

/** Where a resource is defined, for reports: a file (relative to the working directory) and a line. */
export interface ResourceLocation {
  readonly file: string;
  readonly line?: number;
  /** The column, where the source has one (compose files). @default - not known */
  readonly column?: number;
}

/**
 * Finds where a resource is defined, or with `ruleId` where that rule's finding points (the setting, where the
 * source keeps positions); undefined when it has no file (a live engine) or cannot be found.
 */
export type Locator = (resource: { readonly file?: string; readonly address: string; readonly ruleId?: string }) => ResourceLocation | undefined;

export interface TextReportOptions {
  /** Use ANSI colours. */
  readonly color?: boolean;
  /** Locates resources (`main.tf:12`). @default - file only */
  readonly locate?: Locator;
  /** How many rules the profile ran, for "passes N rules". */
  readonly ruleCount?: number;
}

const ANSI = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  blue: '\u001b[34m',
  magenta: '\u001b[35m',
  cyan: '\u001b[36m',
};

type Style = keyof typeof ANSI;

/** The group a resource belongs to in reports: its stack and file, or its file, or its source. */
export function groupOf(r: ResourceOutcome): string {
  const file = r.spec.file;
  if (r.stack) return file ? `stack ${r.stack} (${file})` : `stack ${r.stack}`;
  return file ?? (r.spec.source === 'engine' ? 'Docker engine' : '(no file)');
}

/** Resources grouped by `groupOf`, groups and resources in input order. */
export function groupResources(resources: ResourceOutcome[]): Map<string, ResourceOutcome[]> {
  const groups = new Map<string, ResourceOutcome[]>();
  for (const r of resources) {
    const key = groupOf(r);
    let list = groups.get(key);
    if (!list) groups.set(key, list = []);
    list.push(r);
  }
  return groups;
}

/** Findings keyed by resource (file + stack + address), in evaluation order. */
export function findingsByResource(findings: Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = resourceKey(f.file, f.stack, f.address);
    let list = out.get(key);
    if (!list) out.set(key, list = []);
    list.push(f);
  }
  return out;
}

/** The key `findingsByResource` uses for one resource. */
export function resourceKey(file: string | undefined, stack: string | undefined, address: string): string {
  return `${file ?? ''}\u0000${stack ?? ''}\u0000${address}`;
}

const SEVERITY_RANK: Record<string, number> = { error: 0, warning: 1, info: 2 };

/** Findings ordered for reading: unsuppressed first, then by severity, then rule id. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) =>
    Number(a.suppressed) - Number(b.suppressed)
    || (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9)
    || a.ruleId.localeCompare(b.ruleId));
}

/**
 * A terminal report: findings grouped by resource under their file or stack, each with its fix, then a summary.
 */
export function toText(evaluation: Evaluation, opts: TextReportOptions = {}): string {
  const paint = (style: Style, s: string) => (opts.color ? `${ANSI[style]}${s}${ANSI.reset}` : s);
  const lines: string[] = [];
  const byResource = findingsByResource(evaluation.findings);
  const groups = groupResources(evaluation.resources);
  const multipleGroups = groups.size > 1;
  // Each rule's fix is printed once, after the resources, in severity order.
  const fixes = new Map<string, Finding>();

  for (const [group, resources] of groups) {
    if (multipleGroups || resources[0]?.stack) lines.push(paint('bold', esc(group)));
    const indent = multipleGroups || resources[0]?.stack ? '  ' : '';
    for (const r of resources) {
      const findings = sortFindings(byResource.get(resourceKey(r.spec.file, r.stack, r.spec.address)) ?? []);
      const loc = opts.locate?.(r.spec);
      const where = loc ? `${loc.file}${loc.line ? `:${loc.line}` : ''}` : r.spec.file;
      const name = r.spec.name && !r.spec.address.endsWith(`/${r.spec.name}`) ? ` (${esc(r.spec.name)})` : '';
      const header = `${paint('bold', esc(r.spec.address))}${name}${where ? `  ${paint('dim', esc(where))}` : ''}`;
      const open = findings.filter((f) => !f.suppressed);
      // Infos are notes, not failures: a resource with only infos and suppressed findings passes.
      if (!open.some((f) => f.severity !== 'info')) {
        const ran = Object.values(r.outcomes).filter((o) => o !== 'not-applicable').length;
        const suppressed = findings.length - open.length;
        const extra = [open.length ? `${open.length} info` : '', suppressed ? `${suppressed} suppressed` : '']
          .filter(Boolean).map((x) => `, ${x}`).join('');
        lines.push(`${indent}${paint('green', '✔')} ${header}  ${paint('green', `passes ${ran} rule${ran === 1 ? '' : 's'}`)}${paint('dim', extra)}`);
        if (!findings.length) continue;
      } else {
        lines.push(`${indent}${paint(open.some((f) => f.severity === 'error') ? 'red' : 'yellow', '✖')} ${header}`);
      }
      for (const f of findings) {
        const cis = f.cis.length ? ` (CIS ${esc(f.cis.join(', '))})` : '';
        if (f.suppressed) {
          lines.push(`${indent}    ${paint('magenta', 'suppressed'.padEnd(10))} ${esc(f.ruleId)}${cis}: ${paint('dim', `reason: ${esc(f.reason ?? '')}`)}`);
          continue;
        }
        const style: Style = f.severity === 'error' ? 'red' : f.severity === 'warning' ? 'yellow' : 'cyan';
        const unknown = f.status === 'unknown' ? paint('dim', ' [unknown]') : '';
        // Where the source says where the setting is (compose), the finding names it.
        const at = loc?.column !== undefined ? opts.locate?.({ file: f.file, address: f.address, ruleId: f.ruleId }) : undefined;
        const setting = at?.line !== undefined ? paint('dim', `  ${esc(at.file)}:${at.line}:${at.column ?? 1}`) : '';
        lines.push(`${indent}    ${paint(style, f.severity.padEnd(10))} ${paint('bold', esc(f.ruleId))}${cis}${unknown}: ${esc(f.message)}${setting}`);
        // By rule and wording: a compose service's fix is worded for compose, a resource's for Terraform.
        const fix = `${f.ruleId}\u0000${f.remediation}`;
        if (!fixes.has(fix)) fixes.set(fix, f);
      }
    }
    if (multipleGroups) lines.push('');
  }

  if (fixes.size) {
    if (lines.length && lines[lines.length - 1] !== '') lines.push('');
    lines.push(paint('bold', 'How to fix'));
    for (const f of sortFindings([...fixes.values()])) {
      const cis = f.cis.length ? ` (CIS ${esc(f.cis.join(', '))})` : '';
      lines.push(`  ${paint('bold', esc(f.ruleId))}${paint('dim', cis)}: ${esc(f.remediation)}`);
    }
  }

  const s = summarize(evaluation.findings);
  const n = evaluation.resources.length;
  if (lines.length && lines[lines.length - 1] !== '') lines.push('');
  const counts = [
    paint(s.error ? 'red' : 'green', `${s.error} error${s.error === 1 ? '' : 's'}`),
    paint(s.warning ? 'yellow' : 'green', `${s.warning} warning${s.warning === 1 ? '' : 's'}`),
    `${s.info} info`,
    `${s.suppressed} suppressed`,
  ];
  const files = new Set(evaluation.resources.map((r) => `${r.spec.file ?? ''}\u0000${r.stack ?? ''}`)).size;
  const scope = `${n} resource${n === 1 ? '' : 's'}${files > 1 ? ` in ${files} files/stacks` : ''}`;
  // Why some values could not be judged, just above the summary line (which stays the last line).
  const unknownCauses = evaluationUnknownCauses(evaluation);
  if (unknownCauses !== undefined) lines.push(`Values not known before apply, by cause: ${describeUnknownCauses(unknownCauses)}`);
  lines.push(`${paint('bold', 'hardened-docker')}: ${scope} checked with profile ${esc(evaluation.profile)}`
    + `${opts.ruleCount !== undefined ? ` (${opts.ruleCount} rules)` : ''}: ${counts.join(', ')}`);
  return lines.join('\n') + '\n';
}
