import { escapeControls } from './escape';
import { failsAt } from './junit';
import { findingsByResource, groupResources, Locator, resourceKey, sortFindings } from './text';
import { Evaluation, summarize } from '../evaluation/evaluate';
import { Finding } from '../evaluation/finding';
import type { ActiveRule } from '../profiles/profile';
import type { Comparison } from '../rules/rule';

export interface HtmlReportOptions {
  /** The rules the profile ran, with their severities: the matrix's columns. */
  readonly rules: ActiveRule[];
  /** The lowest severity that fails the run (`error`, `warning`, `info`, `never`). @default error */
  readonly failOn?: string;
  /** Locates resources (`main.tf:12`). @default - file only */
  readonly locate?: Locator;
  /** What was checked, for the title line. @default - none */
  readonly subject?: string;
  /** Tool version. @default - none */
  readonly version?: string;
  /** Time of the report. @default - now */
  readonly generatedAt?: Date;
}

/** Escapes text for HTML element content and attribute values; control and bidi characters become visible escapes. */
export function htmlEscape(s: string): string {
  return escapeControls(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Inline `code` spans of rule text (`read_only = true`) as <code>, the rest escaped. */
function prose(s: string): string {
  return s.split('`').map((part, i) => (i % 2 ? `<code>${htmlEscape(part)}</code>` : htmlEscape(part))).join('');
}

type Cell = 'pass' | 'error' | 'warning' | 'info' | 'unknown' | 'suppressed' | 'na';

const GLYPH: Record<Cell, string> = {
  pass: '✓', error: '✗', warning: '!', info: 'i', unknown: '?', suppressed: 'S', na: '·',
};

const CELL_LABEL: Record<Cell, string> = {
  pass: 'pass',
  error: 'fails (error)',
  warning: 'fails (warning)',
  info: 'fails (info)',
  unknown: 'unknown before apply',
  suppressed: 'suppressed',
  na: 'not applicable',
};

function cellOf(outcome: string | undefined, finding: Finding | undefined): Cell {
  if (outcome === undefined || outcome === 'not-applicable') return 'na';
  if (outcome === 'suppressed' || finding?.suppressed) return 'suppressed';
  if (outcome === 'pass') return 'pass';
  if (outcome === 'unknown') return 'unknown';
  return (finding?.severity as Cell | undefined) ?? 'error';
}

const CSS = `
:root{--err:#d1242f;--warn:#e16f24;--info:#2f81f7;--unk:#d4a72c;--ok:#1a7f37;--sup:#8250df;--na:#eaeef2;--fg:#1f2328;--mut:#59636e;--line:#d1d9e0;--bg:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:#fff}
header{padding:18px 22px 14px;border-bottom:1px solid var(--line);background:var(--bg)}
h1{font-size:20px;margin:0 0 2px}
h2{font-size:16px;margin:28px 0 10px}
.meta{color:var(--mut);font-size:13px}
.meta code{font-size:12px}
main{padding:4px 22px 40px}
.cards{display:flex;gap:10px;flex-wrap:wrap;margin-top:14px}
.card{border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:104px;background:#fff}
.card b{display:block;font-size:22px;line-height:1.2}
.card span{color:var(--mut);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card.verdict{color:#fff;border:0}
.card.verdict span{color:#fff;opacity:.9}
.verdict.fail{background:var(--err)}.verdict.pass{background:var(--ok)}
.card.err b{color:var(--err)}.card.warn b{color:var(--warn)}.card.sup b{color:var(--sup)}.card.unk b{color:#9a6700}
.legend{display:flex;gap:14px;flex-wrap:wrap;margin:14px 0 6px;color:var(--mut);font-size:12px;align-items:center}
.legend i{margin-right:4px;vertical-align:middle}
.wrap{overflow:auto;max-height:78vh;border:1px solid var(--line);border-radius:8px}
table.matrix{border-collapse:separate;border-spacing:0;font-size:13px}
.matrix th,.matrix td{border-bottom:1px solid var(--line);padding:0}
.matrix thead th{position:sticky;top:0;background:#fff;z-index:2;vertical-align:bottom}
.matrix th.res{position:sticky;left:0;z-index:3;text-align:left;padding:8px 12px;min-width:230px;border-right:1px solid var(--line)}
.matrix td.res{position:sticky;left:0;background:#fff;z-index:1;padding:4px 12px;border-right:1px solid var(--line);white-space:nowrap}
.matrix tr:hover td{background:#f3f6fa}
.matrix th.rule{width:25px;min-width:25px;padding:8px 0 6px}
.matrix th.rule div{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;margin:0 auto;font-weight:600;font-size:12px;text-align:left}
.matrix th.rule .cis{display:block;font-size:9px;letter-spacing:-.03em;font-weight:600;color:var(--mut);text-align:center;margin-top:6px}
.matrix th.rule .cnt{display:block;margin:4px auto 0;width:20px;border-radius:9px;font-size:10px;font-weight:700;color:#fff;text-align:center;background:var(--ok)}
.matrix th.rule .cnt.bad{background:var(--err)}.matrix th.rule .cnt.warn{background:var(--warn)}.matrix th.rule .cnt.zero{background:var(--na);color:var(--mut)}
.matrix td.c{text-align:center;width:25px;height:27px}
.matrix tr.group td{background:var(--bg);font-weight:600;padding:6px 12px;position:sticky;left:0;color:var(--mut);font-size:12px}
.matrix td.res .addr{max-width:320px;overflow:hidden;text-overflow:ellipsis}
.addr{font-weight:600;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;word-break:break-all}
.sub{color:var(--mut);font-size:11.5px}
.sub a{color:inherit}
i.s{display:inline-block;width:20px;height:20px;border-radius:5px;font-style:normal;font-weight:700;font-size:12px;line-height:20px;text-align:center;color:#fff}
a.s{text-decoration:none}
.s.pass{background:#dafbe1;color:var(--ok)}
.s.error{background:var(--err)}
.s.warning{background:var(--warn)}
.s.info{background:var(--info)}
.s.unknown{background:repeating-linear-gradient(135deg,#f5d76e 0 4px,#fae8a4 4px 8px);color:#6b4f00}
.s.suppressed{background:#ede4fc;color:var(--sup);border:1px dashed var(--sup)}
.s.na{background:var(--na);color:#8c959f}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:11px;font-weight:700;color:#fff;text-transform:uppercase;letter-spacing:.03em;vertical-align:1px}
.badge.error{background:var(--err)}.badge.warning{background:var(--warn)}.badge.info{background:var(--info)}.badge.suppressed{background:var(--sup)}
.badge.unknown{background:#9a6700}.badge.ok{background:var(--ok)}
.sub .badge{font-size:10px;padding:0 6px;margin-left:4px}
.cisb{display:inline-block;border:1px solid var(--line);border-radius:10px;padding:0 7px;font-size:11px;color:var(--mut);margin-left:4px}
.res-block{border:1px solid var(--line);border-radius:8px;margin:0 0 12px;overflow:hidden}
.res-block>h3{margin:0;padding:8px 14px;font-size:14px;background:var(--bg);border-bottom:1px solid var(--line)}
.res-block>h3 .sub{font-weight:400;margin-left:8px}
.finding{padding:9px 14px;border-bottom:1px solid #eef1f4}
.finding:last-child{border-bottom:0}
.finding:target{background:#fff8c5}
.finding .rid{font-weight:600;margin-left:6px}
.finding .msg{margin:3px 0 0}
table.diff{border-collapse:collapse;margin:6px 0 2px;font-size:12.5px}
.diff th{text-align:left;font-weight:600;color:var(--mut);padding:2px 12px 2px 0;border-bottom:1px solid var(--line)}
.diff td{padding:3px 12px 3px 0;border-bottom:1px solid #eef1f4;vertical-align:top;word-break:break-word;max-width:520px}
.diff td:nth-child(3){font-weight:600}
.diff tr.note td{color:var(--fg);font-weight:400;background:#fff8c5;padding:3px 8px;max-width:none}
.finding .fix{margin:3px 0 0;color:var(--mut)}
.finding .fix b{color:var(--fg)}
.finding.sup{opacity:.75}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;background:#eff2f5;border-radius:4px;padding:0 4px}
.empty{color:var(--mut);padding:16px 0}
footer{color:var(--mut);font-size:12px;padding:0 22px 24px}
`;

/** A drift finding's subject, then its settings as declared against live, a note (a stale digest label) under its row. */
function comparisonHtml(c: Comparison): string {
  const rows = c.differences.map((d) => `<tr><td><code>${htmlEscape(d.setting)}</code></td><td>${htmlEscape(d.declared)}</td><td>${htmlEscape(d.live)}</td></tr>`
    + (d.note ? `<tr class="note"><td colspan="3">${htmlEscape(d.note)}</td></tr>` : '')).join('');
  return `<p class="msg">${htmlEscape(c.subject)}:</p><table class="diff"><thead><tr><th>setting</th><th>declared</th><th>live</th></tr></thead>`
    + `<tbody>${rows}</tbody></table>`;
}

/**
 * One self-contained HTML file (inline CSS, no scripts, no external assets): summary cards, a resources-by-rules
 * matrix (pass / fail by severity / unknown / suppressed / not applicable, CIS ids in the headers), and every
 * finding with its fix, grouped by resource.
 */
export function toHtml(evaluation: Evaluation, opts: HtmlReportOptions): string {
  const failOn = opts.failOn ?? 'error';
  const rules = opts.rules;
  const s = summarize(evaluation.findings);
  const unknowns = evaluation.findings.filter((f) => !f.suppressed && f.status === 'unknown').length;
  const failed = evaluation.findings.some((f) => !f.suppressed && failsAt(f.severity, failOn));
  const byResource = findingsByResource(evaluation.findings);
  const anchors = new Map<Finding, string>();
  evaluation.findings.forEach((f, i) => anchors.set(f, `f${i + 1}`));

  // Per rule: how many resources fail it (unsuppressed), and the worst severity.
  const perRule = new Map<string, { count: number; worst: string }>();
  for (const f of evaluation.findings) {
    if (f.suppressed) continue;
    const p = perRule.get(f.ruleId) ?? { count: 0, worst: 'info' };
    p.count++;
    if (f.severity === 'error' || (f.severity === 'warning' && p.worst === 'info')) p.worst = f.severity;
    perRule.set(f.ruleId, p);
  }

  const head = rules.map(({ rule, severity }) => {
    const m = rule.metadata;
    const p = perRule.get(m.id);
    const cnt = p ? `<span class="cnt ${p.worst === 'error' ? 'bad' : p.worst === 'warning' ? 'warn' : ''}" title="${p.count} resource(s) with a finding">${p.count}</span>`
      : '<span class="cnt zero" title="no findings">0</span>';
    const cis = m.cis?.length ? m.cis.join(' ') : '—';
    return `<th class="rule" title="${htmlEscape(`${m.id}: ${m.title} (${severity}${m.cis?.length ? `, CIS ${m.cis.join(', ')}` : ''})`)}"><div>${htmlEscape(m.id)}</div>`
      + `<span class="cis">${htmlEscape(cis)}</span>${cnt}</th>`;
  }).join('');

  const groups = groupResources(evaluation.resources);
  const rows: string[] = [];
  for (const [group, resources] of groups) {
    rows.push(`<tr class="group"><td colspan="${rules.length + 1}">${htmlEscape(group)}</td></tr>`);
    for (const r of resources) {
      const findings = byResource.get(resourceKey(r.spec.file, r.stack, r.spec.address)) ?? [];
      const byRule = new Map(findings.map((f) => [f.ruleId, f]));
      const loc = opts.locate?.(r.spec);
      const name = r.spec.name && !r.spec.address.endsWith(`/${r.spec.name}`) ? r.spec.name : '';
      const sub = [name && `name <b>${htmlEscape(name)}</b>`, loc?.line ? `line ${loc.line}` : ''].filter(Boolean).join(' · ');
      const cells = rules.map(({ rule }) => {
        const id = rule.metadata.id;
        const f = byRule.get(id);
        const cell = cellOf(r.outcomes[id], f);
        const title = `${id}: ${CELL_LABEL[cell]}${f ? ` — ${f.suppressed ? `suppressed: ${f.reason ?? ''}` : f.message}` : ''}`;
        const glyph = `<i class="s ${cell}" title="${htmlEscape(title)}">${GLYPH[cell]}</i>`;
        return `<td class="c">${f ? `<a class="s" href="#${anchors.get(f)}">${glyph}</a>` : glyph}</td>`;
      }).join('');
      const open = findings.filter((f) => !f.suppressed);
      const worst = open.some((f) => f.severity === 'error') ? 'error' : open.some((f) => f.severity === 'warning') ? 'warning' : 'info';
      const pill = open.length ? ` <span class="badge ${worst}" title="open findings">${open.length} open</span>` : ' <span class="badge ok">ok</span>';
      rows.push(`<tr><td class="res"><div class="addr" title="${htmlEscape(r.spec.address)}">${htmlEscape(r.spec.address)}</div>`
        + `<div class="sub">${sub}${pill}</div></td>${cells}</tr>`);
    }
  }

  const details: string[] = [];
  for (const [, resources] of groups) {
    for (const r of resources) {
      const findings = sortFindings(byResource.get(resourceKey(r.spec.file, r.stack, r.spec.address)) ?? []);
      if (!findings.length) continue;
      const loc = opts.locate?.(r.spec);
      const where = loc ? `${loc.file}${loc.line ? `:${loc.line}` : ''}` : r.spec.file ?? '';
      const sub = [r.spec.name ? `name ${r.spec.name}` : '', r.spec.constructPath ? `construct ${r.spec.constructPath}` : '',
        r.stack ? `stack ${r.stack}` : '', where].filter(Boolean).join(' · ');
      const items = findings.map((f) => {
        const badge = f.suppressed ? '<span class="badge suppressed">suppressed</span>' : `<span class="badge ${f.severity}">${f.severity}</span>`;
        const unknown = f.status === 'unknown' && !f.suppressed ? ' <span class="badge unknown">unknown</span>' : '';
        const cis = f.cis.map((c) => `<span class="cisb">CIS ${htmlEscape(c)}</span>`).join('');
        const tail = f.suppressed
          ? `<p class="fix"><b>Reason:</b> ${htmlEscape(f.reason ?? '')}</p>`
          : `<p class="fix"><b>Fix:</b> ${prose(f.remediation)}</p>`;
        const what = f.comparison ? comparisonHtml(f.comparison) : `<p class="msg">${prose(f.message)}</p>`;
        return `<div class="finding${f.suppressed ? ' sup' : ''}" id="${anchors.get(f)}">${badge}${unknown}<span class="rid">${htmlEscape(f.ruleId)}</span>${cis}`
          + ` <span class="sub">${htmlEscape(f.title)}</span>${what}${tail}</div>`;
      }).join('');
      details.push(`<section class="res-block"><h3><span class="addr">${htmlEscape(r.spec.address)}</span><span class="sub">${htmlEscape(sub)}</span></h3>${items}</section>`);
    }
  }

  const card = (cls: string, n: number | string, label: string) => `<div class="card ${cls}"><b>${n}</b><span>${label}</span></div>`;
  const legend = (['pass', 'error', 'warning', 'info', 'unknown', 'suppressed', 'na'] as Cell[])
    .map((c) => `<span><i class="s ${c}">${GLYPH[c]}</i>${CELL_LABEL[c]}</span>`).join('');
  const when = (opts.generatedAt ?? new Date()).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const title = `hardened-docker report${opts.subject ? `: ${opts.subject}` : ''}`;

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${htmlEscape(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>Docker security report</h1>
<div class="meta">${opts.subject ? `<code>${htmlEscape(opts.subject)}</code> · ` : ''}profile <b>${htmlEscape(evaluation.profile)}</b> · ${rules.length} rules · fail on <b>${htmlEscape(failOn)}</b> · ${htmlEscape(when)}${opts.version ? ` · cdktf-hardened-docker ${htmlEscape(opts.version)}` : ''}</div>
<div class="cards">
${card(`verdict ${failed ? 'fail' : 'pass'}`, failed ? 'FAIL' : 'PASS', `fail on ${htmlEscape(failOn)}`)}
${card('', evaluation.resources.length, 'resources')}
${card('err', s.error, 'errors')}
${card('warn', s.warning, 'warnings')}
${card('', s.info, 'info')}
${card('unk', unknowns, 'unknown')}
${card('sup', s.suppressed, 'suppressed')}
</div>
</header>
<main>
<h2>Resources × rules</h2>
<div class="legend">${legend}</div>
${evaluation.resources.length ? `<div class="wrap"><table class="matrix">
<thead><tr><th class="res">Resource</th>${head}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table></div>` : '<p class="empty">No docker_container or docker_service resources were found.</p>'}
<h2>Findings</h2>
${details.length ? details.join('\n') : '<p class="empty">No findings: every resource passes every rule of the profile.</p>'}
</main>
<footer>Rows are resources, columns are the profile's rules (CIS Docker Benchmark v1.6.0 ids under each rule; the number is how many resources have an open finding). Hover a cell for the finding; click it to jump to the fix. “Unknown” means the value is only known after apply: never a pass.</footer>
</body>
</html>
`;
}
