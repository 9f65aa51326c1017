/**
 * The acme profile package's own tests (`npm test` in the package). The library's test run includes them through
 * test/examples/org-profile.test.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { RULES_DOC, rulesDoc } from '../scripts/gen-docs';
import { ACME_PROFILE_FILE, ACME_REGISTRY, acme, AcmeNoLatestTagRule, useAcme } from '../src';
import {
  ContainerSpec, HardenedContainer, Profile, ProfileScope, ResourceKind, RuleStatus, Severity, SpecSource, Suppressions,
} from '../src/hardened-docker';

const spec = (image?: string, unknown?: string[]): ContainerSpec => ({
  kind: ResourceKind.CONTAINER, source: SpecSource.TERRAFORM_JSON, address: 'docker_container.web', image, unknown,
});

describe('AcmeNoLatestTagRule', () => {
  const rule = new AcmeNoLatestTagRule();
  test.each([
    ['registry.acme.example/web:1.4.2', RuleStatus.PASS],
    [`registry.acme.example/web@sha256:${'a'.repeat(64)}`, RuleStatus.PASS],
    ['registry.acme.example:5000/web:2', RuleStatus.PASS],
    ['registry.acme.example/web:latest', RuleStatus.FAIL],
    ['registry.acme.example/web', RuleStatus.FAIL],
    ['registry.acme.example:5000/web', RuleStatus.FAIL], // the port is not a tag
  ])('%s -> %s', (image, status) => {
    expect(rule.check(spec(image)).status).toBe(status);
  });
  test('unknown image is unknown, never a pass', () => {
    expect(rule.check(spec('${docker_image.web.image_id}', ['image'])).status).toBe(RuleStatus.UNKNOWN);
    expect(rule.check(spec(undefined)).status).toBe(RuleStatus.UNKNOWN);
  });
});

describe('the acme profile', () => {
  test('is hardened with only what ACME named changed', () => {
    const hardened = Profile.named('hardened');
    expect(acme.toJson()).toEqual({
      name: 'acme',
      description: expect.any(String),
      extends: 'hardened',
      defaults: { memoryMb: 512, logMaxFiles: 5 },
      rules: { healthcheck: 'error' },
      policies: {
        allowedRegistries: [ACME_REGISTRY],
        requiredLabels: ['owner'],
        maxMemoryMb: 2048,
        forbiddenHostPaths: ['/etc', '/root', '/home', '/var/lib/docker'],
      },
    });
    for (const { rule, severity } of hardened.activeRules) {
      if (rule.metadata.id !== 'healthcheck') expect(acme.severityOf(rule.metadata.id)).toBe(severity);
    }
    expect(acme.severityOf('acme-no-latest-tag')).toBe(Severity.ERROR);
  });

  test('acme-profile.json is the same profile (same JSON form, same rules, same severities)', () => {
    const file = Profile.fromFile(ACME_PROFILE_FILE);
    expect(file.toJson()).toEqual(acme.toJson());
    const ids = (p: Profile) => p.activeRules.map((a) => `${a.rule.metadata.id}:${a.severity}`);
    expect(ids(file)).toEqual(ids(acme));
    expect(file.defaults).toEqual(acme.defaults);
  });
});

describe('in an app', () => {
  let outdir: string;
  beforeEach(() => { outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'acme-profile-')); });
  afterEach(() => { fs.rmSync(outdir, { recursive: true, force: true }); });

  function app() {
    const a = new App({ outdir });
    const stack = new TerraformStack(a, 'shop');
    new DockerProvider(stack, 'docker');
    useAcme(a, { printReport: false });
    return { app: a, stack };
  }
  const healthy = { command: ['/app/health'] };

  test('HardenedContainer takes acme\'s defaults', () => {
    const { stack } = app();
    const web = new HardenedContainer(stack, 'web', { image: `${ACME_REGISTRY}web:1.4.2`, labels: { owner: 'shop' }, healthcheck: healthy });
    const body = JSON.parse(Testing.synth(stack)).resource.docker_container[stack.getLogicalId(web.container)];
    expect(body.memory).toBe(512);
    expect(body.log_opts).toEqual(expect.objectContaining({ 'max-file': '5' }));
  });

  test('a container breaking ACME\'s rules fails synth, naming each rule', () => {
    const { app: a, stack } = app();
    new HardenedContainer(stack, 'web', { image: 'nginx:latest', healthcheck: healthy });
    expect(() => a.synth()).toThrow(/org-allowed-registries[\s\S]*org-required-labels[\s\S]*acme-no-latest-tag/);
    // The reports were written before the failure: the organisation rule is in the SARIF driver with its metadata.
    const sarif = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'shop', 'hardened-docker-report.sarif'), 'utf8'));
    const driverRule = sarif.runs[0].tool.driver.rules.find((r: any) => r.id === 'acme-no-latest-tag');
    expect(driverRule.shortDescription.text).toBe(new AcmeNoLatestTagRule().metadata.title);
    expect(sarif.runs[0].results.map((r: any) => r.ruleId)).toEqual(expect.arrayContaining(['acme-no-latest-tag', 'org-allowed-registries']));
  });

  test('a suppression of the organisation rule works, with its reason in the reports', () => {
    const { app: a, stack } = app();
    const web = new HardenedContainer(stack, 'web', { image: `${ACME_REGISTRY}web:latest`, labels: { owner: 'shop' }, healthcheck: healthy });
    Suppressions.add(web, 'acme-no-latest-tag', 'canary tracks latest by design; see RFC-42');
    a.synth();
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'shop', 'hardened-docker-report.json'), 'utf8'));
    expect(report.findings).toEqual(expect.arrayContaining([expect.objectContaining({
      ruleId: 'acme-no-latest-tag', suppressed: true, reason: 'canary tracks latest by design; see RFC-42',
    })]));
    expect(report.summary).toEqual(expect.objectContaining({ profile: 'acme', error: 0 }));
  });

  test('a team subtree with its own profile is checked with it; the rest with acme', () => {
    const { app: a, stack } = app();
    const legacy = new Construct(stack, 'legacy');
    ProfileScope.apply(legacy, acme.derive({ name: 'acme-legacy', rules: [{ ruleId: 'acme-no-latest-tag', severity: Severity.WARNING }] }));
    new Container(legacy, 'old', { name: 'old', image: `${ACME_REGISTRY}old:latest`, readOnly: true });
    new HardenedContainer(stack, 'web', { image: `${ACME_REGISTRY}web:2.0.0`, labels: { owner: 'shop' }, healthcheck: healthy });
    let message = '';
    try { a.synth(); } catch (e: any) { message = e.message; }
    expect(message).toMatch(/shop\/legacy\/old\]/); // it fails on its other rules...
    expect(message).not.toMatch(/acme-no-latest-tag/); // ...but the tag is only a warning there
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'shop', 'hardened-docker-report.json'), 'utf8'));
    const tag = report.findings.filter((f: any) => f.ruleId === 'acme-no-latest-tag');
    expect(tag).toEqual([expect.objectContaining({ constructPath: 'shop/legacy/old', severity: 'warning' })]);
    expect(report.findings.filter((f: any) => f.constructPath?.startsWith('shop/web'))
      .filter((f: any) => f.severity === 'error' && !f.suppressed)).toEqual([]);
  });
});

test('docs/rules.md is generated from the rules (npm run docs)', () => {
  const doc = rulesDoc();
  expect(fs.readFileSync(RULES_DOC, 'utf8')).toBe(doc);
  expect(doc).toContain('### `acme-no-latest-tag`');
  expect(doc).toContain(new AcmeNoLatestTagRule().metadata.rationale);
});
