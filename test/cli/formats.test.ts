import * as fs from 'fs';
import * as path from 'path';
// @xmldom/xmldom comes with jsii-rosetta (a dev dependency); it parses the JUnit report as a CI server would.
// eslint-disable-next-line import/no-extraneous-dependencies
import { DOMParser } from '@xmldom/xmldom';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import * as fc from 'fast-check';
import { cli, fixture, ROOT, tempDir, writeTfJson } from './helpers';
import { Profile } from '../../src/profiles/profile';
import { htmlEscape, toHtml } from '../../src/report/html';
import { toJunit, xmlAttr, xmlEscape } from '../../src/report/junit';

const TF_JSON = fixture('tf-json/containers.tf.json');
const HCL = fixture('hcl/main.tf');
const PLAN = fixture('plan/plan.json');
const ALL = [TF_JSON, HCL, PLAN];

/** Parses XML strictly (any error throws); returns the elements in document order with their attributes and text. */
function parseXml(xml: string): Array<{ name: string; attributes: Record<string, string>; text: string; parent?: string }> {
  // xmldom lets two things through that XML 1.0 forbids: a bare & and control characters. Reject them here.
  const bareAmp = /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.exec(xml);
  if (bareAmp) throw new Error(`XML: bare & at ${bareAmp.index}`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(xml)) throw new Error('XML: a character XML 1.0 cannot hold');
  const doc = new DOMParser({
    // Warnings too: xmldom reports a bare & as a warning, which a conforming parser rejects.
    onError: (level: string, message: string) => {
      throw new Error(`XML ${level}: ${message}`);
    },
  }).parseFromString(xml, 'text/xml');
  const out: Array<{ name: string; attributes: Record<string, string>; text: string; parent?: string }> = [];
  const walk = (el: any, parent?: string) => {
    const attributes: Record<string, string> = {};
    for (let i = 0; i < el.attributes.length; i++) attributes[el.attributes[i].name] = el.attributes[i].value;
    let text = '';
    for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 3 || c.nodeType === 4) text += c.data;
    out.push({ name: el.tagName, attributes, text, parent });
    for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) walk(c, el.tagName);
  };
  walk(doc.documentElement);
  return out;
}

function lineOf(file: string, pattern: RegExp): number {
  const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const i = lines.findIndex((l) => pattern.test(l));
  if (i < 0) throw new Error(`${pattern} not in ${file}`);
  return i + 1;
}

describe('json: the public contract', () => {
  const FINDING_KEYS = ['address', 'cis', 'constructPath', 'file', 'message', 'reason', 'remediation', 'resourceName',
    'ruleId', 'severity', 'stack', 'status', 'suppressed', 'title'];

  test('prints exactly { findings, summary }; every finding has the documented fields and types', async () => {
    const r = await cli(['check', ...ALL, '--format', 'json']);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(['findings', 'summary']);
    expect(Object.keys(report.summary).sort()).toEqual(['error', 'info', 'profile', 'resources', 'suppressed', 'unknownCauses', 'warning']);
    // The inputs hold values known only after apply (the plan) and expressions: counted by cause.
    for (const [cause, n] of Object.entries(report.summary.unknownCauses)) {
      expect(['variable', 'remote-module', 'data-source', 'after-apply', 'function', 'dynamic', 'other']).toContain(cause);
      expect(n).toBeGreaterThan(0);
    }
    expect(report.summary).toEqual(expect.objectContaining({ profile: 'hardened', resources: 8 }));
    expect(report.findings.length).toBeGreaterThan(0);
    for (const f of report.findings) {
      expect(Object.keys(f).sort()).toEqual(FINDING_KEYS);
      expect(f.ruleId).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(['error', 'warning', 'info']).toContain(f.severity);
      expect(['fail', 'unknown']).toContain(f.status);
      expect(Array.isArray(f.cis)).toBe(true);
      for (const c of f.cis) expect(c).toMatch(/^\d+(\.\d+)+$/);
      expect(f.address).toMatch(/^(module\.[^.]+\.)*docker_(container|service)\.[\w-]+(\[[^\]]+\])?$/);
      expect(typeof f.message).toBe('string');
      expect(f.remediation.length).toBeGreaterThan(10);
      expect(typeof f.suppressed).toBe('boolean');
      expect(f.suppressed ? typeof f.reason : f.reason).toBe(f.suppressed ? 'string' : null);
      expect([TF_JSON, HCL, PLAN]).toContain(f.file);
      expect(f.resourceName === null || typeof f.resourceName === 'string').toBe(true);
    }
    // The summary counts unsuppressed findings by severity, and suppressed ones apart.
    const count = (pred: (f: any) => boolean) => report.findings.filter(pred).length;
    expect(report.summary.error).toBe(count((f) => !f.suppressed && f.severity === 'error'));
    expect(report.summary.warning).toBe(count((f) => !f.suppressed && f.severity === 'warning'));
    expect(report.summary.info).toBe(count((f) => !f.suppressed && f.severity === 'info'));
    expect(report.summary.suppressed).toBe(count((f) => f.suppressed));
  });

  test('one finding per line, each exactly JSON.stringify of the finding', async () => {
    const r = await cli(['check', ...ALL, '--format', 'json']);
    const lines = r.stdout.split('\n').filter((l) => l.trim().startsWith('{"ruleId"'));
    const findings = JSON.parse(r.stdout).findings;
    expect(lines.length).toBe(findings.length);
    lines.forEach((l, i) => expect(l.trim().replace(/,$/, '')).toBe(JSON.stringify(findings[i])));
  });
});

describe('text', () => {
  test('grouped by resource, with file:line, the fixes once each, and a summary; no colour when not a TTY', async () => {
    const r = await cli(['check', TF_JSON]);
    expect(r.stdout).not.toMatch(/\u001b\[/);
    const lines = r.stdout.split('\n');
    const header = lines.findIndex((l) => l.startsWith('✖ docker_container.web (web)'));
    expect(lines[header]).toContain(`${TF_JSON}:${lineOf(TF_JSON, /"web": \{/)}`);
    // The resource's findings follow its header, indented, errors first.
    expect(lines[header + 1]).toMatch(/^ {4}error {6}no-privileged \(CIS 5\.5\): privileged = true$/);
    const next = lines.findIndex((l, i) => i > header && /^\S/.test(l));
    expect(lines[next]).toMatch(/^✖ docker_container\.api \(api\)/);
    expect(lines.filter((l) => /^ {4}suppressed no-privileged/.test(l))).toEqual([
      '    suppressed no-privileged (CIS 5.5): reason: vendor appliance needs raw device access, ticket SEC-42',
    ]);
    expect(r.stdout).toMatch(/\nHow to fix\n {2}no-privileged \(CIS 5\.5\): Remove `privileged`/);
    expect(r.stdout.match(/^ {2}no-privileged \(CIS 5\.5\): /gm)).toHaveLength(1);
    expect(lines.filter(Boolean).pop()).toMatch(/^hardened-docker: 3 resources checked with profile hardened \(\d+ rules\): \d+ errors, \d+ warnings, \d+ info, 2 suppressed$/);
    // The input's one unknown value (a network id) is counted by cause just above the summary.
    expect(lines.filter(Boolean).slice(-2)[0]).toBe('Values not known before apply, by cause: 1 attribute known only after apply');
  });

  test('several files: a heading per file', async () => {
    const r = await cli(['check', TF_JSON, HCL]);
    expect(r.stdout).toMatch(new RegExp(`^${TF_JSON.replace(/\./g, '\\.')}\\n {2}✖ docker_container\\.web`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^${HCL.replace(/\./g, '\\.')}\\n {2}✖ docker_container\\.app \\(app\\)  ${HCL.replace(/\./g, '\\.')}:11$`, 'm'));
    expect(r.stdout).toMatch(/5 resources in 2 files\/stacks checked/);
  });

  test('colour only on a TTY with NO_COLOR unset', async () => {
    expect((await cli(['check', TF_JSON], { tty: true })).stdout).toMatch(/\u001b\[31merror/);
    expect((await cli(['check', TF_JSON], { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(/\u001b\[/);
    expect((await cli(['check', TF_JSON], { tty: false })).stdout).not.toMatch(/\u001b\[/);
  });

  test('a resource with no open finding says it passes', async () => {
    const { dir, cleanup } = tempDir();
    try {
      writeTfJson(dir, 'ok.tf.json', { ok: { name: 'ok', image: 'x', read_only: true, privileged: false } });
      const r = await cli(['check', 'ok.tf.json', '--profile', 'baseline'], { cwd: dir });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^✔ docker_container\.ok \(ok\) {2}ok\.tf\.json:4 {2}passes \d+ rules$/m);
    } finally {
      cleanup();
    }
  });
});

describe('sarif', () => {
  function validator() {
    const { $schema: _draft04, id, ...rest } = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    // The file declares draft-04, which ajv 8 does not ship; it uses no draft-04-only keyword, so it reads as draft-07.
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    return ajv.compile({ $schema: 'http://json-schema.org/draft-07/schema#', $id: id, ...rest });
  }

  test('validates against the SARIF 2.1.0 schema, with file URIs relative to cwd and the line of each resource', async () => {
    const r = await cli(['check', ...ALL, '--format', 'sarif']);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    const validate = validator();
    expect(validate({ version: '2.1.0', runs: [{ tool: {} }] })).toBe(false); // not vacuous
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);

    const results = log.runs[0].results;
    const json = JSON.parse((await cli(['check', ...ALL, '--format', 'json'])).stdout);
    expect(results).toHaveLength(json.findings.length);
    const where = (address: string, uri: string) => results.find((x: any) => x.locations[0].logicalLocations[0].name === address
      && x.locations[0].physicalLocation.artifactLocation.uri === uri).locations[0].physicalLocation;
    expect(where('docker_container.legacy', TF_JSON)).toEqual({ artifactLocation: { uri: TF_JSON }, region: { startLine: lineOf(TF_JSON, /"legacy": \{/) } });
    expect(where('docker_container.debug', HCL).region.startLine).toBe(lineOf(HCL, /^resource "docker_container" "debug"/));
    expect(where('module.workers.docker_container.worker[0]', PLAN).region.startLine)
      .toBe(lineOf(PLAN, /"address": "module\.workers\.docker_container\.worker\[0\]"/));
    for (const x of results) {
      expect(log.runs[0].tool.driver.rules[x.ruleIndex].id).toBe(x.ruleId);
      expect(x.locations[0].physicalLocation.artifactLocation.uri).not.toMatch(/^\//);
    }
    // Suppressed findings carry their justification.
    const sup = results.find((x: any) => x.ruleId === 'no-privileged' && x.locations[0].logicalLocations[0].name === 'docker_container.legacy');
    expect(sup.suppressions).toEqual([{ kind: 'external', justification: 'vendor appliance needs raw device access, ticket SEC-42' }]);
  });
});

describe('junit', () => {
  test('parses; one testsuite per file, one testcase per resource x rule, failures at or above --fail-on', async () => {
    const profile = Profile.named('hardened');
    const rules = profile.activeRules.length;
    for (const failOn of ['error', 'warning', 'never']) {
      const r = await cli(['check', ...ALL, '--format', 'junit', '--fail-on', failOn]);
      const json = JSON.parse((await cli(['check', ...ALL, '--format', 'json'])).stdout);
      const els = parseXml(r.stdout);
      expect(els[0].name).toBe('testsuites');
      const suites = els.filter((e) => e.name === 'testsuite');
      expect(suites.map((s) => s.attributes.name)).toEqual(ALL);
      const cases = els.filter((e) => e.name === 'testcase');
      expect(cases).toHaveLength(8 * rules);
      expect(Number(els[0].attributes.tests)).toBe(8 * rules);
      const failures = els.filter((e) => e.name === 'failure');
      const expected = json.findings.filter((f: any) => !f.suppressed
        && (failOn === 'error' ? f.severity === 'error' : failOn === 'warning' ? f.severity !== 'info' : false));
      expect(failures).toHaveLength(expected.length);
      expect(Number(els[0].attributes.failures)).toBe(expected.length);
      expect(suites.reduce((n, s) => n + Number(s.attributes.tests), 0)).toBe(8 * rules);
    }
  });

  test('a failure names the resource, the rule with its CIS id, the message and the fix; suppressions are skipped with the reason', async () => {
    const els = parseXml((await cli(['check', TF_JSON, '--format', 'junit'])).stdout);
    const web = els.find((e) => e.name === 'testcase' && e.attributes.classname === 'docker_container.web (web)' && e.attributes.name === 'no-privileged (CIS 5.5)')!;
    expect(web.attributes.file).toBe(TF_JSON);
    expect(web.attributes.line).toBe(String(lineOf(TF_JSON, /"web": \{/)));
    const failure = els[els.indexOf(web) + 1];
    expect(failure).toEqual(expect.objectContaining({ name: 'failure', attributes: { message: 'privileged = true', type: 'error' } }));
    expect(failure.text).toMatch(/^docker_container\.web \(web\): privileged = true\nRule: .*\(CIS 5\.5\)\nFix: Remove `privileged`/);
    const legacy = els.findIndex((e) => e.name === 'testcase' && e.attributes.classname === 'docker_container.legacy (legacy)' && e.attributes.name === 'no-privileged (CIS 5.5)');
    expect(els[legacy + 1]).toEqual(expect.objectContaining({ name: 'skipped', attributes: { message: 'suppressed: vendor appliance needs raw device access, ticket SEC-42' } }));
  });

  test('escapes names, messages and reasons (XML special characters, control characters)', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const nasty = 'a<b>&"c\'\u0001';
      writeTfJson(dir, 'x&y.tf.json', {
        web: { name: nasty, image: 'x', privileged: true, labels: [{ label: 'hardened-docker.suppress.read-only-rootfs', value: 'because <reasons> & "quotes"' }] },
      });
      const r = await cli(['check', 'x&y.tf.json', '--format', 'junit'], { cwd: dir });
      const els = parseXml(r.stdout);
      expect(els.find((e) => e.name === 'testsuite')!.attributes.name).toBe('x&y.tf.json');
      // The control character is shown as an escape (src/report/escape.ts), not dropped.
      expect(els.find((e) => e.name === 'testcase')!.attributes.classname).toBe('docker_container.web (a<b>&"c\'\\u0001)');
      expect(els.find((e) => e.name === 'skipped' && e.attributes.message.startsWith('suppressed'))!.attributes.message)
        .toBe('suppressed: because <reasons> & "quotes"');
    } finally {
      cleanup();
    }
  });

  test('property: any string survives xmlEscape/xmlAttr and a strict XML parser unchanged (bar characters XML cannot hold)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      const els = parseXml(`<a b="${xmlAttr(s)}">${xmlEscape(s)}</a>`);
      // eslint-disable-next-line no-control-regex
      const expected = s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
        .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
      expect(els[0].attributes.b).toBe(expected);
      expect(els[0].text).toBe(expected);
    }), { numRuns: 300 });
  });

  test('an empty evaluation is a valid document', () => {
    const xml = toJunit({ profile: 'hardened', findings: [], resources: [] }, { rules: [] });
    expect(parseXml(xml).map((e) => e.name)).toEqual(['testsuites']);
    // The parser is strict: the checks above are not vacuous.
    expect(() => parseXml('<a><b></a>')).toThrow();
    expect(() => parseXml('<a b="x & y"/>')).toThrow();
    expect(() => parseXml('<a>x < y</a>')).toThrow();
    expect(() => parseXml('<a>\u0001</a>')).toThrow();
  });
});

describe('html', () => {
  test('one self-contained file: inline CSS, no scripts, no external assets', async () => {
    const r = await cli(['check', ...ALL, '--format', 'html']);
    const html = r.stdout;
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toMatch(/<style>[^<]+<\/style>/);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|src=/i);
    // Every href is an in-page anchor, and every anchor exists.
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const h of hrefs) {
      expect(h).toMatch(/^#f\d+$/);
      expect(html).toContain(`id="${h.slice(1)}"`);
    }
  });

  test('a resources x rules matrix: a row per resource, a column per rule with its CIS ids, a cell per pair', async () => {
    const r = await cli(['check', ...ALL, '--format', 'html']);
    const html = r.stdout;
    const rules = Profile.named('hardened').activeRules;
    const head = html.slice(html.indexOf('<thead>'), html.indexOf('</thead>'));
    expect(head.match(/<th class="rule"/g)).toHaveLength(rules.length);
    for (const { rule } of rules) {
      expect(head).toContain(`<div>${rule.metadata.id}</div><span class="cis">${rule.metadata.cis?.length ? rule.metadata.cis.join(' ') : '—'}</span>`);
    }
    const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
    const rows = body.split('\n').filter((l) => l.startsWith('<tr><td class="res">'));
    expect(rows).toHaveLength(8);
    for (const row of rows) expect(row.match(/<td class="c">/g)).toHaveLength(rules.length);
    // The cells say what the JSON says.
    const web = rows.find((l) => l.includes('>docker_container.web</div>') && l.includes('line 12'))!;
    expect(web).toMatch(/<i class="s error" title="no-privileged: fails \(error\) — privileged = true">/);
    const legacy = rows.find((l) => l.includes('>docker_container.legacy</div>'))!;
    expect(legacy).toMatch(/<i class="s suppressed" title="no-privileged: suppressed — suppressed: vendor appliance/);
    const app = rows.find((l) => l.includes('>docker_container.app</div>'))!;
    expect(app).toMatch(/<i class="s unknown" title="read-only-rootfs: unknown before apply/);
    expect(app).toMatch(/<i class="s pass" title="drop-all-capabilities: pass">/);
    // Group rows name each file.
    for (const f of ALL) expect(body).toContain(`<tr class="group"><td colspan="${rules.length + 1}">${f}</td></tr>`);
    // Below: the findings with their fixes.
    expect(html).toMatch(/<b>Fix:<\/b> Remove <code>privileged<\/code>/);
    expect(html).toMatch(/<b>Reason:<\/b> vendor appliance needs raw device access, ticket SEC-42/);
    expect(html).toMatch(/<div class="card verdict fail"><b>FAIL<\/b>/);
  });

  test('escapes everything that comes from the input', () => {
    const profile = Profile.named('baseline');
    const evil = '<script>alert("x")</script>';
    const html = toHtml({
      profile: 'baseline',
      findings: [{
        ruleId: 'no-privileged',
        title: 't',
        severity: 'error' as any,
        status: 'fail' as any,
        cis: ['5.5'],
        address: `docker_container.${evil}`,
        resourceName: evil,
        file: evil,
        message: evil,
        remediation: evil,
        suppressed: false,
      }],
      resources: [{ spec: { kind: 'docker_container' as any, source: 'terraform-json' as any, address: `docker_container.${evil}`, name: evil, file: evil }, outcomes: { 'no-privileged': 'fail' } }],
    }, { rules: profile.activeRules, subject: evil });
    expect(html).not.toContain('<script');
    expect(html).toContain(htmlEscape(evil));
  });

  test('passes when nothing is at or above --fail-on, and says so for an empty input', async () => {
    const { dir, cleanup } = tempDir();
    try {
      writeTfJson(dir, 'ok.tf.json', { ok: { name: 'ok', image: 'x', read_only: true } });
      const html = (await cli(['check', 'ok.tf.json', '--format', 'html', '--profile', 'baseline'], { cwd: dir })).stdout;
      expect(html).toMatch(/<div class="card verdict pass"><b>PASS<\/b>/);
      expect(html).toContain('No findings: every resource passes every rule of the profile.');
    } finally {
      cleanup();
    }
  });
});
