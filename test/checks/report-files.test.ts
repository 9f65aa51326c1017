import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { evaluate } from '../../src/evaluation/evaluate';
import { Finding } from '../../src/evaluation/finding';
import { Profile, ProfileLevel } from '../../src/profiles/profile';
import { toJsonReport, writeJsonReport } from '../../src/report/json-report';
import { toSarif, writeSarif } from '../../src/report/sarif';
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

  test('streamed (compact) and indented files hold exactly the report', () => {
    expect(evaluation.findings.length).toBeGreaterThan(1000);
    expect(evaluation.findings.some((f) => f.suppressed)).toBe(true);
    for (const indent of [false, true]) {
      const json = path.join(dir, `r-${indent}.json`);
      const sarif = path.join(dir, `r-${indent}.sarif`);
      writeJsonReport(json, evaluation, indent);
      writeSarif(sarif, evaluation, sarifOpts, indent);
      expect(fs.readFileSync(json, 'utf8')).toBe(JSON.stringify(toJsonReport(evaluation), null, indent ? 2 : undefined) + '\n');
      expect(fs.readFileSync(sarif, 'utf8')).toBe(JSON.stringify(toSarif(evaluation, sarifOpts), null, indent ? 2 : undefined) + '\n');
    }
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

    test('compact files written by the CLI writers hold the counts', () => {
      const json = path.join(dir, 'u-cli.json');
      const sarif = path.join(dir, 'u-cli.sarif');
      writeJsonReport(json, ev, false);
      writeSarif(sarif, ev, sarifOpts, false);
      expect(fs.readFileSync(json, 'utf8')).toBe(JSON.stringify(toJsonReport(ev)) + '\n');
      expect(fs.readFileSync(sarif, 'utf8')).toBe(JSON.stringify(toSarif(ev, sarifOpts)) + '\n');
    });
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
    }), { numRuns: 100 });
  });

  test('no findings: still valid documents', () => {
    const empty = { ...evaluation, findings: [] };
    writeJsonReport(path.join(dir, 'e.json'), empty, false);
    writeSarif(path.join(dir, 'e.sarif'), empty, sarifOpts, false);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'e.json'), 'utf8')).findings).toEqual([]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'e.sarif'), 'utf8')).runs[0].results).toEqual([]);
  });
});
