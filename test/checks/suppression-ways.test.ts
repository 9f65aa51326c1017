/**
 * Every way of suppressing a rule, each with a valid reason and with the reasons the one validator refuses (empty,
 * invisible, one character repeated, punctuation only) and a token: through the real paths (synth with the checks,
 * the CLI's check on Terraform JSON, HCL and a plan, profiles in code and in files, the engine's labels as audit
 * reads them). A valid reason suppresses; a refused one suppresses nothing and is an error finding that names where
 * it was written; a token is unknown and suppresses nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { App, Lazy, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import * as fc from 'fast-check';
import { DockerSecurityChecks } from '../../src/checks/docker-security-checks';
import { Suppressions } from '../../src/checks/suppressions';
import { evaluate } from '../../src/evaluation/evaluate';
import { Profile } from '../../src/profiles/profile';
import { builtinRule } from '../../src/rules/catalog';
import { isValidReason } from '../../src/rules/reason';
import { ContainerSpec } from '../../src/spec/container-spec';
import { specFromContainerInspect } from '../../src/spec/engine-adapter';
import { specsFromTerraformJson } from '../../src/spec/terraform-adapter';
import { cli, tempDir } from '../cli/helpers';

const VALID = 'vendor appliance needs raw device access, SEC-42';
/** The reasons the validator refuses, with what the finding says about each. */
const REFUSED: [string, string, RegExp][] = [
  ['empty', '', /is empty/],
  ['invisible', '\u200b'.repeat(12), /is empty once whitespace and invisible characters are removed/],
  ['repeated', 'aaaaaaaaaaaa', /is one character repeated \("a"\)/],
  ['punctuation', '!?!?!?!?!?!?', /has no letter or digit: punctuation and symbols only/],
];
const LABEL = 'hardened-docker.suppress.no-privileged';

const dirs: Array<() => void> = [];
afterAll(() => dirs.forEach((cleanup) => cleanup()));
function scratch(): string {
  const t = tempDir('hd-suppress-');
  dirs.push(t.cleanup);
  return t.dir;
}

/** The findings of one resource that matter here: no-privileged and the findings about suppressions. */
function relevant(findings: any[], address: string): any[] {
  return findings.filter((f) => f.address === address
    && ['no-privileged', 'invalid-suppression', 'unknown-suppressed-rule'].includes(f.ruleId));
}

function expectSuppressed(findings: any[]): void {
  expect(findings).toEqual([expect.objectContaining({ ruleId: 'no-privileged', suppressed: true, reason: VALID })]);
}

function expectRefused(findings: any[], origin: string, problem: RegExp): void {
  expect(findings).toEqual(expect.arrayContaining([
    expect.objectContaining({ ruleId: 'no-privileged', suppressed: false, severity: 'error' }),
    expect.objectContaining({ ruleId: 'invalid-suppression', suppressed: false, severity: 'error', status: 'fail' }),
  ]));
  expect(findings).toHaveLength(2);
  const refusal = findings.find((f) => f.ruleId === 'invalid-suppression');
  expect(refusal.message.startsWith(origin)).toBe(true);
  expect(refusal.message).toMatch(problem);
  expect(refusal.message).toMatch(/so the suppression of "no-privileged" suppresses nothing$/);
}

function expectUnknown(findings: any[], origin: string): void {
  expect(findings).toHaveLength(2);
  expect(findings).toEqual(expect.arrayContaining([
    expect.objectContaining({ ruleId: 'no-privileged', suppressed: false, severity: 'error' }),
    expect.objectContaining({ ruleId: 'invalid-suppression', suppressed: false, severity: 'warning', status: 'unknown' }),
  ]));
  const refusal = findings.find((f) => f.ruleId === 'invalid-suppression');
  expect(refusal.message.startsWith(origin)).toBe(true);
  expect(refusal.message).toMatch(/is only known after apply/);
}

// ---------------------------------------------------------------------------------------------------------------
// At synth: Suppressions.add, a label on the resource, the "//" key written with an override, a profile in code.

const ONLY_PRIVILEGED = () => new Profile('test', [builtinRule('no-privileged')!]);

function synthApp(build: (stack: TerraformStack, c: Container) => void, profile: Profile = ONLY_PRIVILEGED()): { app: App; error?: string } {
  const app = Testing.app({ outdir: scratch() });
  DockerSecurityChecks.applyTo(app, { profile, printReport: false });
  const stack = new TerraformStack(app, 's');
  new DockerProvider(stack, 'docker');
  const c = new Container(stack, 'box', { name: 'box', image: 'nginx:1.27', privileged: true });
  build(stack, c);
  try {
    app.synth();
    return { app };
  } catch (e: any) {
    return { app, error: String(e.message) };
  }
}
function synthFindings(app: App): any[] {
  const file = path.join(app.outdir, 'stacks', 's', 'hardened-docker-report.json');
  return relevant(JSON.parse(fs.readFileSync(file, 'utf8')).findings, 'docker_container.box');
}
const tokenReason = (stack: TerraformStack) => new TerraformVariable(stack, 'why', { type: 'string' }).stringValue;

describe('Suppressions.add', () => {
  test('a reason with a bidirectional control is refused (it would display otherwise than it reads)', () => {
    const app = Testing.app({ outdir: scratch() });
    const c = new Container(new TerraformStack(app, 's'), 'box', { name: 'box', image: 'nginx:1.27' });
    expect(() => Suppressions.add(c, 'no-privileged', 'vendor appliance \u202eneeds raw devices')).toThrow(/bidirectional control character \(U\+202E\)/);
  });

  test('valid: suppresses at synth', () => {
    const { app, error } = synthApp((_s, c) => Suppressions.add(c, 'no-privileged', VALID));
    expect(error).toBeUndefined();
    expectSuppressed(synthFindings(app));
  });

  test.each(REFUSED)('%s: throws at once, with the validator\'s message and the construct path', (_name, reason, problem) => {
    const app = Testing.app({ outdir: scratch() });
    const stack = new TerraformStack(app, 's');
    const c = new Container(stack, 'box', { name: 'box', image: 'nginx:1.27' });
    expect(() => Suppressions.add(c, 'no-privileged', reason)).toThrow(/^\[s\/box\] suppression of "no-privileged": the reason /);
    expect(() => Suppressions.add(c, 'no-privileged', reason)).toThrow(problem);
    expect(Suppressions.on(c)).toEqual([]);
  });

  test('token: unknown at synth, suppresses nothing', () => {
    const { app, error } = synthApp((s, c) => Suppressions.add(c, 'no-privileged', tokenReason(s)));
    expect(error).toMatch(/no-privileged/);
    expectUnknown(synthFindings(app), 'Suppressions.add on "s/box"');
    expect(synthFindings(app).find((f) => f.ruleId === 'invalid-suppression').message).toContain('"${var.why}"');
  });

  test('a token that resolves to literal text is that text, validated like any reason', () => {
    const { app } = synthApp((_s, c) => Suppressions.add(c, 'no-privileged', Lazy.stringValue({ produce: () => 's'.repeat(12) })));
    expectRefused(synthFindings(app), 'Suppressions.add on "s/box"', /one character repeated/);
  });

  test('the rules about suppressions cannot be suppressed', () => {
    const app = Testing.app({ outdir: scratch() });
    const c = new Container(new TerraformStack(app, 's'), 'box', { name: 'box', image: 'nginx:1.27' });
    expect(() => Suppressions.add(c, 'invalid-suppression', VALID)).toThrow(/cannot itself be suppressed/);
  });
});

describe('a label on the resource, at synth', () => {
  const labelled = (reason: string) => (_s: TerraformStack, c: Container) => c.putLabels([{ label: LABEL, value: reason }]);

  test('valid: suppresses', () => {
    const { app, error } = synthApp(labelled(VALID));
    expect(error).toBeUndefined();
    expectSuppressed(synthFindings(app));
  });

  test.each(REFUSED)('%s: suppresses nothing, and fails synth as an error naming the label', (_name, reason, problem) => {
    const { app, error } = synthApp(labelled(reason));
    expect(error).toContain(`invalid-suppression: label "${LABEL}": the reason`);
    expectRefused(synthFindings(app), `label "${LABEL}"`, problem);
  });

  test('the finding spells invisible characters out', () => {
    const { app } = synthApp(labelled('\u200b'.repeat(12)));
    expect(synthFindings(app).find((f) => f.ruleId === 'invalid-suppression').message)
      .toContain(`the reason "${'\\u200b'.repeat(12)}" is empty once whitespace`);
  });

  test('token: unknown, suppresses nothing', () => {
    const { app } = synthApp((s, c) => c.putLabels([{ label: LABEL, value: tokenReason(s) }]));
    expectUnknown(synthFindings(app), `label "${LABEL}"`);
  });

  test('a label of a rule id that exists nowhere: a warning, not silence', () => {
    const { app, error } = synthApp((_s, c) => c.putLabels([{ label: 'hardened-docker.suppress.no-privilegd', value: VALID }]));
    expect(error).toMatch(/no-privileged/); // the rule meant still fails
    const file = path.join(app.outdir, 'stacks', 's', 'hardened-docker-report.json');
    const findings = JSON.parse(fs.readFileSync(file, 'utf8')).findings;
    expect(findings).toEqual(expect.arrayContaining([expect.objectContaining({
      ruleId: 'unknown-suppressed-rule',
      severity: 'warning',
      message: 'label "hardened-docker.suppress.no-privilegd": "no-privilegd" is no rule of profile test (did you mean "no-privileged"?), '
        + 'so the suppression of "no-privilegd" suppresses nothing',
    })]));
  });
});

describe('the "//" key, written with an override', () => {
  const ORIGIN = '"//".hardened_docker.suppressions[0] ("//" key)';
  const overridden = (reason: unknown) => (_s: TerraformStack, c: Container) =>
    c.addOverride('//.hardened_docker.suppressions', [{ ruleId: 'no-privileged', reason }]);

  test('valid: suppresses at synth, and stays in the output', () => {
    const { app, error } = synthApp(overridden(VALID));
    expect(error).toBeUndefined();
    expectSuppressed(synthFindings(app));
    const out = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 's', 'cdk.tf.json'), 'utf8'));
    expect(out.resource.docker_container.box['//'].hardened_docker.suppressions).toEqual([{ ruleId: 'no-privileged', reason: VALID }]);
  });

  test.each(REFUSED)('%s: suppresses nothing, an error naming the key', (_name, reason, problem) => {
    const { app, error } = synthApp(overridden(reason));
    expect(error).toContain('invalid-suppression');
    expectRefused(synthFindings(app), ORIGIN, problem);
  });

  test('token: unknown, suppresses nothing', () => {
    const { app } = synthApp((s, c) => overridden(tokenReason(s))(s, c));
    expectUnknown(synthFindings(app), ORIGIN);
  });
});

describe('a profile in code', () => {
  test('valid: suppresses every resource it checks, at synth', () => {
    const profile = ONLY_PRIVILEGED().derive({ name: 'p', suppressions: [{ ruleId: 'no-privileged', reason: VALID }] });
    const { app, error } = synthApp(() => undefined, profile);
    expect(error).toBeUndefined();
    expectSuppressed(synthFindings(app));
    expect(profile.toJson().suppressions).toEqual({ 'no-privileged': VALID });
  });

  test.each(REFUSED)('%s: refused when the profile is made, naming the rule and the problem', (_name, reason, problem) => {
    expect(() => ONLY_PRIVILEGED().derive({ name: 'p', suppressions: [{ ruleId: 'no-privileged', reason }] }))
      .toThrow(new RegExp(`^Profile "p" \\(derived from "test"\\): suppressions\\.no-privileged: the reason ".*" ${problem.source}`));
  });

  test('token: refused when the profile is made (a profile is data, known before any app)', () => {
    const app = Testing.app();
    const token = tokenReason(new TerraformStack(app, 's'));
    expect(() => ONLY_PRIVILEGED().derive({ name: 'p', suppressions: [{ ruleId: 'no-privileged', reason: token }] }))
      .toThrow(/suppressions\.no-privileged: the reason .* holds a token or an expression, only known after apply/);
  });

  test('a rule id the profile does not know, or a rule about suppressions: refused', () => {
    expect(() => ONLY_PRIVILEGED().derive({ name: 'p', suppressions: [{ ruleId: 'acme-unknown', reason: VALID }] }))
      .toThrow(/suppressions\.acme-unknown: unknown rule id\. Valid ids: /);
    expect(() => ONLY_PRIVILEGED().derive({ name: 'p', suppressions: [{ ruleId: 'invalid-suppression', reason: VALID }] }))
      .toThrow(/cannot itself be suppressed/);
    expect(() => ONLY_PRIVILEGED().derive({ name: 'p', rules: [{ ruleId: 'invalid-suppression', enabled: false }] }))
      .toThrow(/it cannot be switched off or re-graded/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The CLI's check: labels and the "//" key in Terraform JSON, labels in HCL and in a plan, a JSON profile file.

async function checkFile(name: string, text: string, extra: string[] = []): Promise<{ code: number; findings: any[]; stderr: string }> {
  const dir = scratch();
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  const r = await cli(['check', file, '--format', 'json', ...extra], { cwd: dir });
  return { code: r.code, stderr: r.stderr, findings: r.stdout ? relevant(JSON.parse(r.stdout).findings, 'docker_container.box') : [] };
}

function tfJson(box: Record<string, unknown>): string {
  return JSON.stringify({ resource: { docker_container: { box: { name: 'box', image: 'nginx:1.27', privileged: true, ...box } } } });
}

describe('check: a label in Terraform JSON', () => {
  const file = (reason: string) => tfJson({ labels: [{ label: LABEL, value: reason }] });

  test('valid: suppresses', async () => {
    expectSuppressed((await checkFile('main.tf.json', file(VALID))).findings);
  });

  test.each(REFUSED)('%s: an error naming the label', async (_name, reason, problem) => {
    const r = await checkFile('main.tf.json', file(reason));
    expect(r.code).toBe(1);
    expectRefused(r.findings, `label "${LABEL}"`, problem);
  });

  test('token: an expression is unknown, suppresses nothing', async () => {
    expectUnknown((await checkFile('main.tf.json', file('${var.why}'))).findings, `label "${LABEL}"`);
  });

  test('an escaped "$${" is literal text, not an expression', async () => {
    const r = await checkFile('main.tf.json', file('costs $${HOME} to mount, ticket SEC-9'));
    expect(r.findings).toEqual([expect.objectContaining({ ruleId: 'no-privileged', suppressed: true, reason: 'costs ${HOME} to mount, ticket SEC-9' })]);
  });
});

describe('check: the "//" key in Terraform JSON', () => {
  const ORIGIN = '"//".hardened_docker.suppressions[0] ("//" key)';
  const file = (reason: unknown) => tfJson({ '//': { hardened_docker: { suppressions: [{ ruleId: 'no-privileged', reason }] } } });

  test('valid: suppresses', async () => {
    expectSuppressed((await checkFile('main.tf.json', file(VALID))).findings);
  });

  test.each(REFUSED)('%s: an error naming the key', async (_name, reason, problem) => {
    expectRefused((await checkFile('main.tf.json', file(reason))).findings, ORIGIN, problem);
  });

  test('token: an expression is unknown (Terraform never evaluates a "//" key)', async () => {
    expectUnknown((await checkFile('main.tf.json', file('${var.why}'))).findings, ORIGIN);
  });

  test('a "//" key of the wrong shape is an error naming the place, not silence', async () => {
    for (const meta of ['suppress everything', [{ ruleId: 'no-privileged', reason: VALID }]]) {
      const r = await checkFile('main.tf.json', tfJson({ '//': { hardened_docker: meta } }));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/docker_container\.box: "\/\/"\.hardened_docker must be an object, got /);
    }
    const r = await checkFile('main.tf.json', tfJson({ '//': { hardened_docker: { suppressions: { 'no-privileged': VALID } } } }));
    expect(r.stderr).toMatch(/"\/\/"\.hardened_docker\.suppressions must be a list of \{"ruleId", "reason"\}/);
  });

  test('an entry of the wrong shape is an error naming the place, not silence', async () => {
    const r = await checkFile('main.tf.json', file(42));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/docker_container\.box: "\/\/"\.hardened_docker\.suppressions\[0\] must be \{"ruleId": "<rule id>", "reason": "<text>"\}, got \{"ruleId":"no-privileged","reason":42\}/);
  });
});

describe('check: a label in HCL', () => {
  const file = (value: string) => `resource "docker_container" "box" {
  name       = "box"
  image      = "nginx:1.27"
  privileged = true
  labels {
    label = "${LABEL}"
    value = ${value}
  }
}
`;

  test('valid: suppresses', async () => {
    expectSuppressed((await checkFile('main.tf', file(JSON.stringify(VALID)))).findings);
  });

  test.each(REFUSED)('%s: an error naming the label', async (_name, reason, problem) => {
    expectRefused((await checkFile('main.tf', file(`"${reason}"`))).findings, `label "${LABEL}"`, problem);
  });

  test('token: a variable is unknown, suppresses nothing', async () => {
    const text = `variable "why" {\n  type = string\n}\n${file('var.why')}`;
    expectUnknown((await checkFile('main.tf', text)).findings, `label "${LABEL}"`);
  });
});

describe('check: a label in a plan', () => {
  const plan = (value: string | null, unknown = false) => JSON.stringify({
    format_version: '1.2',
    planned_values: {
      root_module: {
        resources: [{
          address: 'docker_container.box',
          mode: 'managed',
          type: 'docker_container',
          name: 'box',
          values: { name: 'box', image: 'nginx:1.27', privileged: true, labels: [{ label: LABEL, value }] },
        }],
      },
    },
    resource_changes: [{
      address: 'docker_container.box',
      mode: 'managed',
      type: 'docker_container',
      name: 'box',
      change: { actions: ['create'], after_unknown: unknown ? { labels: [{ value: true }] } : {} },
    }],
  });

  test('valid: suppresses', async () => {
    expectSuppressed((await checkFile('plan.json', plan(VALID))).findings);
  });

  test.each(REFUSED)('%s: an error naming the label', async (_name, reason, problem) => {
    expectRefused((await checkFile('plan.json', plan(reason))).findings, `label "${LABEL}"`, problem);
  });

  test('token: a value the plan does not know is unknown, suppresses nothing', async () => {
    expectUnknown((await checkFile('plan.json', plan(null, true))).findings, `label "${LABEL}"`);
  });
});

describe('check --profile: a JSON profile file', () => {
  async function withProfile(reason: string): Promise<{ code: number; findings: any[]; stderr: string }> {
    const dir = scratch();
    fs.writeFileSync(path.join(dir, 'p.json'), JSON.stringify({ name: 'p', extends: 'baseline', suppressions: { 'no-privileged': reason } }));
    fs.writeFileSync(path.join(dir, 'main.tf.json'), tfJson({}));
    const r = await cli(['check', 'main.tf.json', '--profile', 'p.json', '--format', 'json'], { cwd: dir });
    return { code: r.code, stderr: r.stderr, findings: r.stdout ? relevant(JSON.parse(r.stdout).findings, 'docker_container.box') : [] };
  }

  test('valid: suppresses', async () => {
    expectSuppressed((await withProfile(VALID)).findings);
  });

  test.each(REFUSED)('%s: the profile is refused, one line naming the file and the suppression', async (_name, reason, problem) => {
    const r = await withProfile(reason);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--profile p\.json: Invalid profile .*p\.json: .*suppressions\.no-privileged: /);
    expect(r.stderr).toMatch(problem);
  });

  test('token: an expression is refused, the profile is literal data', async () => {
    const r = await withProfile('${var.why} is the reason');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/suppressions\.no-privileged: the reason "\$\{var\.why\} is the reason" holds a token or an expression/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Audit: labels on a live container, as the engine adapter reads `docker inspect` and audit evaluates it.

describe('audit: a label on a live container', () => {
  const inspect = (value: string) => ({
    Id: 'abc',
    Name: '/box',
    Config: { Image: 'nginx:1.27', Labels: { [LABEL]: value } },
    HostConfig: { Privileged: true },
    State: { Running: true },
  });
  const audited = (value: string) => relevant(
    evaluate([specFromContainerInspect(inspect(value) as any)], Profile.named('baseline')).findings.map((f) => ({ ...f })), 'container/box');

  test('valid: suppresses', () => {
    expectSuppressed(audited(VALID));
  });

  test.each(REFUSED)('%s: an error naming the label', (_name, reason, problem) => {
    expectRefused(audited(reason), `label "${LABEL}"`, problem);
  });

  test('no tokens on an engine: "${...}" in a label is the text it says', () => {
    const reason = '${VENDOR} appliance needs raw devices';
    expect(audited(reason)).toEqual([expect.objectContaining({ ruleId: 'no-privileged', suppressed: true, reason })]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// How a refused suppression appears in each report format.

describe('a refused suppression in every report format', () => {
  const file = tfJson({ labels: [{ label: LABEL, value: '' }] });
  async function report(format: string): Promise<{ code: number; stdout: string }> {
    const dir = scratch();
    fs.writeFileSync(path.join(dir, 'main.tf.json'), file);
    const r = await cli(['check', 'main.tf.json', '--profile', 'baseline', '--format', format], { cwd: dir });
    return { code: r.code, stdout: r.stdout };
  }
  const MESSAGE = `label "${LABEL}": the reason "" is empty once whitespace and invisible characters are removed, so the suppression of "no-privileged" suppresses nothing`;

  test('text: an error line under its resource, with its fix', async () => {
    const r = await report('text');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`invalid-suppression: ${MESSAGE}`);
    expect(r.stdout).toMatch(/invalid-suppression: Write the reason as a literal sentence/);
  });

  test('SARIF: a result at level error whose rule the driver lists', async () => {
    const log = JSON.parse((await report('sarif')).stdout);
    const run = log.runs[0];
    const result = run.results.find((x: any) => x.ruleId === 'invalid-suppression');
    expect(result).toEqual(expect.objectContaining({ level: 'error', message: { text: `docker_container.box (box): ${MESSAGE}` } }));
    expect(result.suppressions).toBeUndefined();
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe('invalid-suppression');
  });

  test('JUnit: a failing testcase of its own', async () => {
    const xml = (await report('junit')).stdout;
    expect(xml).toMatch(/<testcase name="invalid-suppression" classname="docker_container\.box \(box\)"[^>]*>\s*<failure message="label &quot;hardened-docker\.suppress\.no-privileged&quot;: the reason &quot;&quot; is empty/);
  });

  test('HTML: listed with the resource\'s findings', async () => {
    const html = (await report('html')).stdout;
    expect(html).toContain('<span class="rid">invalid-suppression</span>');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// One validator: for any reason, every way in accepts it exactly when reasonProblem does.

describe('every way in agrees with the one validator', () => {
  const reasons = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.array(fc.constantFrom('a', 'b', ' ', '.', '!', '\u200b', '\u2060', '\u00ad', '\u202e', '7', 'é', '😀', '\t'), { maxLength: 24 })
      .map((cs) => cs.join('')),
    fc.constantFrom(VALID, 'short one', 'x'.repeat(11), '..........', ' a b c d e f g h i j '),
  );
  const profile = Profile.named('baseline');

  const EXPRESSION = /(^|[^$])\$\{|(^|[^%])%\{/;
  const unescaped = (r: string) => r.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');

  test('a label in Terraform JSON, the "//" key, an engine label: suppressed exactly when the reason is valid, else an error', () => {
    fc.assert(fc.property(reasons, (reason) => {
      const ways: [ContainerSpec, boolean][] = [
        // A label value: an expression is unknown; `$${` is an escaped `${`.
        [specsFromTerraformJson(JSON.parse(tfJson({ labels: [{ label: LABEL, value: reason }] })))[0],
          !EXPRESSION.test(reason) && isValidReason(unescaped(reason))],
        // The "//" key: an expression is unknown; nothing is unescaped (Terraform never reads it).
        [specsFromTerraformJson(JSON.parse(tfJson({ '//': { hardened_docker: { suppressions: [{ ruleId: 'no-privileged', reason }] } } })))[0],
          !EXPRESSION.test(reason) && isValidReason(reason)],
        // An engine label: always literal.
        [specFromContainerInspect({ Id: 'x', Name: '/box', Config: { Labels: { [LABEL]: reason } }, HostConfig: { Privileged: true } } as any),
          isValidReason(reason)],
      ];
      for (const [spec, accepted] of ways) {
        const findings = evaluate([spec], profile).findings;
        const privileged = findings.find((f) => f.ruleId === 'no-privileged')!;
        const refused = findings.filter((f) => f.ruleId === 'invalid-suppression');
        if (privileged.suppressed !== accepted || refused.length !== (accepted ? 0 : 1)) return false;
      }
      // Suppressions.add throws exactly for what the validator refuses.
      const c = new Container(new TerraformStack(Testing.app(), 's'), 'box', { name: 'box', image: 'nginx:1.27' });
      let threw = false;
      try {
        Suppressions.add(c, 'no-privileged', reason);
      } catch {
        threw = true;
      }
      return threw === !isValidReason(reason);
    }), { numRuns: 100 });
  });
});

test('a label key with control characters is quoted in the finding, never written raw', () => {
  const key = `${LABEL}\u001b[2J`;
  const spec = specsFromTerraformJson(JSON.parse(tfJson({ labels: [{ label: key, value: VALID }] })))[0];
  const finding = evaluate([spec], Profile.named('baseline')).findings.find((f) => f.ruleId === 'unknown-suppressed-rule')!;
  expect(finding.message).toContain('label "hardened-docker.suppress.no-privileged\\u001b[2J"');
  expect(finding.message).not.toContain('\u001b');
});

test('strict: a reason only known after apply is an error, like every unknown under an error rule', () => {
  const spec = specsFromTerraformJson(JSON.parse(tfJson({ labels: [{ label: LABEL, value: '${var.why}' }] })))[0];
  const refusal = (strict: boolean) => evaluate([spec], Profile.named('baseline'), { strict }).findings
    .find((f) => f.ruleId === 'invalid-suppression')!;
  expect(refusal(false)).toEqual(expect.objectContaining({ status: 'unknown', severity: 'warning' }));
  expect(refusal(true)).toEqual(expect.objectContaining({ status: 'unknown', severity: 'error' }));
});
