import { escapeControls as esc } from './escape';
import { findingsByResource, groupResources, Locator, resourceKey } from './text';
import { Evaluation } from '../evaluation/evaluate';
import { Finding } from '../evaluation/finding';
import { IRule } from '../rules/rule';

export interface JunitReportOptions {
  /** The rules the profile ran, in column order. */
  readonly rules: IRule[];
  /**
   * The lowest severity that fails (`error`, `warning`, `info`), or `never`.
   * @default error
   */
  readonly failOn?: string;
  /** Locates resources for the `file` and `line` attributes. @default - the spec's file */
  readonly locate?: Locator;
}

const RANK: Record<string, number> = { error: 3, warning: 2, info: 1, never: 99 };

/** True when an unsuppressed finding of `severity` fails under `failOn` (`error`, `warning`, `info` or `never`). */
export function failsAt(severity: string, failOn: string): boolean {
  return (RANK[severity] ?? 0) >= (RANK[failOn] ?? RANK.error);
}

/** Escapes element text, dropping characters XML 1.0 cannot hold (a CR is kept as a character reference). */
export function xmlEscape(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;');
}

/** Escapes an attribute value: as element text, and tabs and newlines as references, which XML would otherwise normalize to spaces. */
export function xmlAttr(s: string): string {
  return xmlEscape(s).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

function attrs(a: Record<string, string | number | undefined>): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(esc(String(v)))}"`)
    .join('');
}

/**
 * JUnit XML: one testsuite per file or stack, one testcase per resource x rule. A finding at or above `failOn`
 * is a failure; a suppressed one is skipped with its reason; a rule that does not apply is skipped; a finding
 * below `failOn` passes and carries its message in `system-out`.
 */
export function toJunit(evaluation: Evaluation, opts: JunitReportOptions): string {
  const failOn = opts.failOn ?? 'error';
  const byResource = findingsByResource(evaluation.findings);
  const suites: string[] = [];
  let total = 0;
  let totalFailures = 0;
  let totalSkipped = 0;

  for (const [group, resources] of groupResources(evaluation.resources)) {
    const cases: string[] = [];
    let failures = 0;
    let skipped = 0;
    for (const r of resources) {
      const findings = new Map<string, Finding>();
      for (const f of byResource.get(resourceKey(r.spec.file, r.stack, r.spec.address)) ?? []) findings.set(f.ruleId, f);
      const loc = opts.locate?.(r.spec);
      const classname = r.spec.name && !r.spec.address.endsWith(`/${r.spec.name}`) ? `${r.spec.address} (${r.spec.name})` : r.spec.address;
      for (const rule of opts.rules) {
        const id = rule.metadata.id;
        const outcome = r.outcomes[id];
        if (outcome === undefined) continue;
        const cis = rule.metadata.cis?.length ? ` (CIS ${rule.metadata.cis.join(', ')})` : '';
        const open = `<testcase${attrs({ name: `${id}${cis}`, classname, file: loc?.file ?? r.spec.file, line: loc?.line })}`;
        const f = findings.get(id);
        let body = '';
        if (outcome === 'not-applicable') {
          body = `<skipped${attrs({ message: `not applicable to ${r.spec.kind}` })}/>`;
          skipped++;
        } else if (f?.suppressed || outcome === 'suppressed') {
          body = `<skipped${attrs({ message: `suppressed: ${f?.reason ?? ''}` })}/>`;
          skipped++;
        } else if (f && failsAt(f.severity, failOn)) {
          // Each value escaped on its own: the newlines between them are the report's.
          const text = `${esc(r.spec.address)}${r.spec.name ? ` (${esc(r.spec.name)})` : ''}: ${esc(f.message)}\n`
            + `Rule: ${esc(f.title)}${esc(cis)}\nFix: ${esc(f.remediation)}`;
          body = `<failure${attrs({ message: f.message, type: `${f.severity}${f.status === 'unknown' ? ' (unknown)' : ''}` })}>${xmlEscape(text)}</failure>`;
          failures++;
        } else if (f) {
          body = `<system-out>${xmlEscape(`${f.severity}: ${esc(f.message)}\nFix: ${esc(f.remediation)}`)}</system-out>`;
        }
        cases.push(body ? `    ${open}>\n      ${body}\n    </testcase>` : `    ${open}/>`);
      }
      // Findings of rules no profile column holds (a refused suppression): a testcase each, so none is lost.
      for (const f of byResource.get(resourceKey(r.spec.file, r.stack, r.spec.address)) ?? []) {
        if (opts.rules.some((rule) => rule.metadata.id === f.ruleId)) continue;
        const open = `<testcase${attrs({ name: f.ruleId, classname, file: loc?.file ?? r.spec.file, line: loc?.line })}`;
        if (failsAt(f.severity, failOn)) {
          const text = `${r.spec.address}${r.spec.name ? ` (${r.spec.name})` : ''}: ${f.message}\nRule: ${f.title}\nFix: ${f.remediation}`;
          cases.push(`    ${open}>\n      <failure${attrs({ message: f.message, type: `${f.severity}${f.status === 'unknown' ? ' (unknown)' : ''}` })}>${xmlEscape(text)}</failure>\n    </testcase>`);
          failures++;
        } else {
          cases.push(`    ${open}>\n      <system-out>${xmlEscape(`${f.severity}: ${f.message}\nFix: ${f.remediation}`)}</system-out>\n    </testcase>`);
        }
      }
    }
    total += cases.length;
    totalFailures += failures;
    totalSkipped += skipped;
    suites.push(`  <testsuite${attrs({ name: group, tests: cases.length, failures, errors: 0, skipped })}>\n`
      + (cases.length ? cases.join('\n') + '\n' : '') + '  </testsuite>');
  }

  return '<?xml version="1.0" encoding="UTF-8"?>\n'
    + `<testsuites${attrs({ name: `hardened-docker (profile ${evaluation.profile})`, tests: total, failures: totalFailures, errors: 0, skipped: totalSkipped })}>\n`
    + (suites.length ? suites.join('\n') + '\n' : '')
    + '</testsuites>\n';
}
