import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { ACME_PROFILE_FILE, ACME_REGISTRY, useAcme } from '../../examples/org-profile/src';
import { HardenedContainer, Suppressions } from '../../src';
import { main } from '../../src/cli/main';

async function cli(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => { stdout += s; return true; } },
    stderr: { write: (s: string) => { stderr += s; return true; } },
    cwd,
    env: {},
  });
  return { code, stdout, stderr };
}

/** What makes two findings the same finding, whoever reported them. */
const key = (f: any) => [f.ruleId, f.address, f.severity, f.status, f.suppressed, f.reason ?? null, f.message].join(' | ');

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-cli-profile-')); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

test('check --profile acme-profile.json on the synthesized app gives the same findings as synth', async () => {
  const outdir = path.join(dir, 'cdktf.out');
  const app = new App({ outdir });
  useAcme(app, { printReport: false });
  const stack = new TerraformStack(app, 'shop');
  new DockerProvider(stack, 'docker');
  new HardenedContainer(stack, 'web', { image: `${ACME_REGISTRY}web:1.4.2`, labels: { owner: 'shop' }, healthcheck: { command: ['/app/health'] } });
  const canary = new HardenedContainer(stack, 'canary', { image: `${ACME_REGISTRY}web:latest`, labels: { owner: 'shop' }, healthcheck: { command: ['/app/health'] } });
  Suppressions.add(canary, 'acme-no-latest-tag', 'the canary tracks latest by design (RFC-42)');
  const raw = new Container(stack, 'sidecar', { name: 'sidecar', image: `${ACME_REGISTRY}sidecar:3`, readOnly: true, memory: 256, labels: [{ label: 'owner', value: 'shop' }] });
  Suppressions.add(raw, 'healthcheck', 'the sidecar is supervised by the web container');
  Suppressions.add(raw, 'non-root-user', 'image runs as its own user, fixed in the Dockerfile');
  app.synth();

  const synth = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'shop', 'hardened-docker-report.json'), 'utf8'));
  expect(synth.summary.error).toBe(0);
  expect(synth.findings.map((f: any) => f.ruleId)).toEqual(expect.arrayContaining(['acme-no-latest-tag', 'healthcheck']));

  const r = await cli(['check', outdir, '--profile', ACME_PROFILE_FILE, '--format', 'json'], dir);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const checked = JSON.parse(r.stdout);
  expect(checked.findings.map(key).sort()).toEqual(synth.findings.map(key).sort());
  expect(checked.summary).toEqual(expect.objectContaining({ profile: 'acme', error: 0, suppressed: synth.summary.suppressed }));
});

test('an organisation rule fails check, appears in the SARIF driver, and a bad profile file is one clear line', async () => {
  const tf = path.join(dir, 'main.tf.json');
  fs.writeFileSync(tf, JSON.stringify({ resource: { docker_container: { web: { name: 'web', image: `${ACME_REGISTRY}web:latest` } } } }));
  const r = await cli(['check', tf, '--profile', ACME_PROFILE_FILE, '--format', 'sarif'], dir);
  expect(r.code).toBe(1);
  const sarif = JSON.parse(r.stdout);
  expect(sarif.runs[0].tool.driver.rules.map((x: any) => x.id)).toEqual(expect.arrayContaining(['acme-no-latest-tag', 'org-allowed-registries', 'org-required-labels']));
  expect(sarif.runs[0].results.filter((x: any) => x.ruleId === 'acme-no-latest-tag')).toHaveLength(1);

  // A suppression label on the resource works for an organisation rule as for a built-in one.
  fs.writeFileSync(tf, JSON.stringify({
    resource: {
      docker_container: {
        web: {
          name: 'web',
          image: `${ACME_REGISTRY}web:latest`,
          labels: [{ label: 'hardened-docker.suppress.acme-no-latest-tag', value: 'canary tracks latest by design (RFC-42)' }],
        },
      },
    },
  }));
  const s = await cli(['check', tf, '--profile', ACME_PROFILE_FILE, '--format', 'json'], dir);
  expect(JSON.parse(s.stdout).findings.filter((f: any) => f.ruleId === 'acme-no-latest-tag'))
    .toEqual([expect.objectContaining({ suppressed: true, reason: 'canary tracks latest by design (RFC-42)' })]);

  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, JSON.stringify({ name: 'bad', rules: { 'read-only-rootfs': 'fatal' } }));
  const b = await cli(['check', tf, '--profile', bad], dir);
  expect(b.code).toBe(2);
  expect(b.stderr).toMatch(/rules\.read-only-rootfs: must be one of error, warning, info, off/);
});
