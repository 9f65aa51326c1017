import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { evaluate, Evaluation } from '../../src/evaluation/evaluate';
import { Finding } from '../../src/evaluation/finding';
import { Profile, ProfileLevel } from '../../src/profiles/profile';
import { FINDING_FIELDS, JsonLayout, jsonReportText, MESSAGE_CACHE, toJsonReport } from '../../src/report/json-report';
import { toSarif } from '../../src/report/sarif';
import { StreamedReports } from '../../src/report/streamed';
import { RuleStatus, Severity } from '../../src/rules/rule';
import { specsFromTerraformJson } from '../../src/spec/terraform-adapter';

describe('report files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-report-files-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // 400 bare containers: thousands of findings, suppressions on some.
  const containers: any = {};
  for (let i = 0; i < 400; i++) {
    containers[`c${i}`] = {
      name: `c${i}`,
      image: 'nginx',
      privileged: i % 2 === 0,
      ...(i % 7 === 0 ? { labels: [{ label: 'hardened-docker.suppress.no-privileged', value: 'a reason of some length' }] } : {}),
    };
  }
  const profile = Profile.named(ProfileLevel.HARDENED);
  const evaluation = evaluate(specsFromTerraformJson({ resource: { docker_container: containers } }), profile, { stack: 's' });
  const sarifOpts = { rules: profile.activeRules.map((a) => a.rule), version: '1.2.3', locate: () => ({ uri: 'cdk.tf.json' }) };

  test('every layout of the JSON report holds exactly the report', () => {
    expect(evaluation.findings.length).toBeGreaterThan(1000);
    expect(evaluation.findings.some((f) => f.suppressed)).toBe(true);
    expectLayouts(evaluation);
  });

  test('the finding fields are declared once, in runs of rule, resource and outcome fields, as the documented report has them', () => {
    expect(FINDING_FIELDS.map((f) => f.name)).toEqual(['ruleId', 'title', 'severity', 'status', 'cis', 'address', 'resourceName', 'file',
      'constructPath', 'stack', 'message', 'remediation', 'suppressed', 'reason']);
    expect(FINDING_FIELDS.map((f) => f.run).join(' ').replace(/(\w+)( \1)*/g, '$1')).toBe('rule resource outcome');
    expect(Object.keys(toJsonReport(evaluation).findings[0])).toEqual(FINDING_FIELDS.map((f) => f.name));
  });

  test.each([
    ['compact, streamed finding by finding', 1000],
    ['indented, written at the end', 1e9],
  ])('StreamedReports (%s) writes exactly the report', (_how, indentBelow) => {
    const json = path.join(dir, `s-${indentBelow}.json`);
    const sarif = path.join(dir, `s-${indentBelow}.sarif`);
    const streamed = new StreamedReports(json, sarif, evaluation.profile, sarifOpts, indentBelow);
    for (const f of evaluation.findings) streamed.add(f);
    streamed.close(evaluation.resources.length);
    const indent = indentBelow > evaluation.findings.length ? 2 : undefined;
    expect(fs.readFileSync(json, 'utf8')).toBe(JSON.stringify(toJsonReport(evaluation), null, indent) + '\n');
    expect(fs.readFileSync(sarif, 'utf8')).toBe(JSON.stringify(toSarif(evaluation, sarifOpts), null, indent) + '\n');
  });

  describe('with unknown values: counted by cause in the summary and the SARIF run properties', () => {
    const withUnknowns: any = {};
    for (let i = 0; i < 300; i++) {
      withUnknowns[`u${i}`] = {
        name: `u${i}`,
        image: i % 3 === 0 ? '${var.image}' : 'nginx',
        privileged: i % 2 === 0,
        ...(i % 5 === 0 ? { memory: '${data.m.n.mb}' } : {}),
      };
    }
    const ev = evaluate(specsFromTerraformJson({ resource: { docker_container: withUnknowns } }), profile, { stack: 's' });
    const causes = { 'variable': 100, 'data-source': 60 };

    test('the JSON report and the SARIF log', () => {
      expect(toJsonReport(ev).summary.unknownCauses).toEqual(causes);
      expect(toSarif(ev, sarifOpts).runs[0].properties).toEqual({ profile: ev.profile, unknownCauses: causes });
      // Without unknown values, the summary has no such key (reports of known inputs are unchanged).
      expect(Object.keys(toJsonReport(evaluation).summary)).toEqual(['profile', 'resources', 'error', 'warning', 'info', 'suppressed']);
      expect(toSarif(evaluation, sarifOpts).runs[0].properties).toEqual({ profile: evaluation.profile });
    });

    test.each([
      ['compact, streamed finding by finding', 100],
      ['indented, written at the end', 1e9],
    ])('StreamedReports (%s) writes the counts', (_how, indentBelow) => {
      const json = path.join(dir, `u-${indentBelow}.json`);
      const sarif = path.join(dir, `u-${indentBelow}.sarif`);
      const streamed = new StreamedReports(json, sarif, ev.profile, sarifOpts, indentBelow);
      for (const f of ev.findings) streamed.add(f);
      streamed.close(ev.resources.length, causes);
      const indent = indentBelow > ev.findings.length ? 2 : undefined;
      expect(fs.readFileSync(json, 'utf8')).toBe(JSON.stringify(toJsonReport(ev), null, indent) + '\n');
      expect(fs.readFileSync(sarif, 'utf8')).toBe(JSON.stringify(toSarif(ev, sarifOpts), null, indent) + '\n');
    });

    test('every layout of the JSON report holds the counts', () => {
      expect(JSON.parse(jsonReportText(ev)).summary.unknownCauses).toEqual(causes);
      expectLayouts(ev);
    });
  });

  test('past the cache of encoded messages (more distinct messages than MESSAGE_CACHE), with suppressions of several reasons', () => {
    const many: any = {};
    for (let i = 0; i < 3 * MESSAGE_CACHE; i++) {
      many[`m${i}`] = {
        name: `m${i}`,
        image: `registry.local/app-${i}:1.${i % 5}`,
        ports: [{ internal: 8080, external: 20000 + i }],
        ...(i % 4 === 0 ? { labels: [{ label: 'hardened-docker.suppress.image-pinned-by-digest', value: `pinned by the deploy job ${i % 3}, SEC-${i % 3}` }] } : {}),
      };
    }
    const ev = evaluate(specsFromTerraformJson({ resource: { docker_container: many } }), profile, { stack: 's' });
    expect(new Set(ev.findings.map((f) => f.message)).size).toBeGreaterThan(2 * MESSAGE_CACHE);
    expect(ev.findings.filter((f) => f.suppressed).length).toBeGreaterThan(MESSAGE_CACHE / 2);
    const json = path.join(dir, 'many.json');
    const sarif = path.join(dir, 'many.sarif');
    const streamed = new StreamedReports(json, sarif, ev.profile, sarifOpts, 100);
    for (const f of ev.findings) streamed.add(f);
    streamed.close(ev.resources.length);
    expect(fs.readFileSync(json, 'utf8')).toBe(JSON.stringify(toJsonReport(ev)) + '\n');
    expect(fs.readFileSync(sarif, 'utf8')).toBe(JSON.stringify(toSarif(ev, sarifOpts)) + '\n');
    expectLayouts(ev);
  });

  test('streamed text equals JSON.stringify for any strings (escapes, unicode, absent values)', () => {
    const text = fc.string({ unit: 'binary', maxLength: 20 });
    const opt = fc.option(text, { nil: undefined });
    const finding: fc.Arbitrary<Finding> = fc.record({
      ruleId: fc.constantFrom(...profile.activeRules.map((a) => a.rule.metadata.id), 'org-custom'),
      title: text,
      severity: fc.constantFrom(Severity.ERROR, Severity.WARNING, Severity.INFO),
      status: fc.constantFrom(RuleStatus.FAIL, RuleStatus.UNKNOWN),
      cis: fc.array(fc.constantFrom('5.5', '5.10', '4.1'), { maxLength: 2 }),
      address: text,
      resourceName: opt,
      file: opt,
      constructPath: opt,
      stack: opt,
      message: text,
      remediation: text,
      suppressed: fc.boolean(),
      reason: opt,
    });
    let k = 0;
    fc.assert(fc.property(fc.array(finding, { minLength: 1, maxLength: 5 }), fc.boolean(), (findings, locate) => {
      const ev = { profile: 'p', findings, resources: [] };
      const opts = { ...sarifOpts, locate: locate ? sarifOpts.locate : () => undefined };
      const json = path.join(dir, `p${k}.json`);
      const sarif = path.join(dir, `p${k++}.sarif`);
      const streamed = new StreamedReports(json, sarif, 'p', opts, 0);
      for (const f of findings) streamed.add(f);
      streamed.close(0);
      expect(fs.readFileSync(json, 'utf8')).toBe(JSON.stringify(toJsonReport(ev)) + '\n');
      expect(fs.readFileSync(sarif, 'utf8')).toBe(JSON.stringify(toSarif(ev, opts)) + '\n');
      expectLayouts(ev);
    }), { numRuns: 100 });
  });

  test('no findings: still valid documents', () => {
    const empty = { ...evaluation, findings: [] };
    expectLayouts(empty);
    expect(JSON.parse(jsonReportText(empty)).findings).toEqual([]);
    const json = path.join(dir, 'e.json');
    const sarif = path.join(dir, 'e.sarif');
    const streamed = new StreamedReports(json, sarif, 'p', sarifOpts, -1);
    streamed.close(0);
    expect(JSON.parse(fs.readFileSync(json, 'utf8')).findings).toEqual([]);
    expect(JSON.parse(fs.readFileSync(sarif, 'utf8')).runs[0].results).toEqual([]);
  });
});

/**
 * The JSON report of `ev` in every layout is exactly `JSON.stringify` of it: compact, indented, and `check`'s one
 * finding per line (each line `JSON.stringify` of the finding, the summary indented by two more spaces).
 */
function expectLayouts(ev: Evaluation): void {
  const report = toJsonReport(ev);
  expect(jsonReportText(ev, JsonLayout.COMPACT)).toBe(JSON.stringify(report) + '\n');
  expect(jsonReportText(ev, JsonLayout.INDENTED)).toBe(JSON.stringify(report, null, 2) + '\n');
  const findings = report.findings.map((f) => `\n    ${JSON.stringify(f)}`).join(',');
  expect(jsonReportText(ev, JsonLayout.LINES)).toBe(`{\n  "findings": [${findings}${findings ? '\n  ' : ''}],\n`
    + `  "summary": ${JSON.stringify(report.summary, null, 2).replace(/\n/g, '\n  ')}\n}\n`);
}
