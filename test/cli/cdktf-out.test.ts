import * as fs from 'fs';
import * as path from 'path';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { cli, tempDir } from './helpers';
import { DockerSecurityChecks, HardenedContainer, Suppressions } from '../../src';

let dir: string;
let cleanup: () => void;
let outdir: string;

beforeAll(() => {
  ({ dir, cleanup } = tempDir('hd-cli-cdktf-'));
  outdir = path.join(dir, 'cdktf.out');
  const app = new App({ outdir });
  DockerSecurityChecks.applyTo(app, { printReport: false });

  const web = new TerraformStack(app, 'web');
  new DockerProvider(web, 'docker');
  new HardenedContainer(web, 'frontend', { image: 'registry.example/frontend:1.0', name: 'frontend' });
  // A raw container whose only error-level finding is suppressed through the construct: the reason travels in the JSON.
  const builder = new Container(web, 'builder', { name: 'builder', image: 'docker:27-dind', privileged: true, readOnly: true, user: '10001:10001' });
  Suppressions.add(builder, 'no-privileged', 'docker-in-docker builder needs a privileged daemon (CI-88)');

  const jobs = new TerraformStack(app, 'jobs');
  new DockerProvider(jobs, 'docker');
  new Container(jobs, 'cron', { name: 'cron', image: 'busybox:1.36', readOnly: true, user: '10001' });
  app.synth();
});
afterAll(() => cleanup());

test('a cdktf.out directory: every stack from manifest.json, stack names in the report, construct suppressions honoured', async () => {
  const r = await cli(['check', 'cdktf.out', '--format', 'json'], { cwd: dir });
  expect(r.stderr).toBe('');
  const report = JSON.parse(r.stdout);
  expect(report.summary.resources).toBe(3);
  const byAddress = new Map<string, any[]>();
  for (const f of report.findings) byAddress.set(f.address, [...(byAddress.get(f.address) ?? []), f]);
  const stacks = new Set(report.findings.map((f: any) => `${f.stack} ${f.file}`));
  expect([...stacks].sort()).toEqual(['jobs cdktf.out/stacks/jobs/cdk.tf.json', 'web cdktf.out/stacks/web/cdk.tf.json']);

  const builder = report.findings.find((f: any) => f.resourceName === 'builder' && f.ruleId === 'no-privileged');
  expect(builder).toEqual(expect.objectContaining({
    severity: 'error',
    suppressed: true,
    reason: 'docker-in-docker builder needs a privileged daemon (CI-88)',
    stack: 'web',
    constructPath: 'web/builder',
  }));
  // The same verdicts as the synth-time checks wrote beside the stack.
  const synth = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'web', 'hardened-docker-report.json'), 'utf8'));
  const key = (f: any) => `${f.address} ${f.ruleId} ${f.severity} ${f.status} ${f.suppressed} ${f.reason}`;
  expect(report.findings.filter((f: any) => f.stack === 'web').map(key).sort()).toEqual(synth.findings.map(key).sort());
  // Nothing unsuppressed at error level: exit 0.
  expect(r.code).toBe(0);
});

test('the project directory above cdktf.out, a stack directory, and a cdk.tf.json all work', async () => {
  const stackDir = await cli(['check', 'cdktf.out/stacks/web', '--format', 'json'], { cwd: dir });
  expect(JSON.parse(stackDir.stdout).summary.resources).toBe(2);

  const project = await cli(['check', '.', '--format', 'json'], { cwd: dir });
  expect(JSON.parse(project.stdout).summary.resources).toBe(3);
  expect(JSON.parse(project.stdout).findings[0].stack).not.toBeNull();

  const one = await cli(['check', 'cdktf.out/stacks/jobs/cdk.tf.json', '--format', 'json'], { cwd: dir });
  const report = JSON.parse(one.stdout);
  expect(report.summary.resources).toBe(1);
  expect(report.findings.every((f: any) => f.file === 'cdktf.out/stacks/jobs/cdk.tf.json')).toBe(true);
});

test('without manifest.json, stacks/*/cdk.tf.json are found', async () => {
  const copy = path.join(dir, 'copy');
  fs.cpSync(outdir, copy, { recursive: true });
  fs.rmSync(path.join(copy, 'manifest.json'));
  const r = await cli(['check', 'copy', '--format', 'json'], { cwd: dir });
  const report = JSON.parse(r.stdout);
  expect(report.summary.resources).toBe(3);
  expect(new Set(report.findings.map((f: any) => f.stack))).toEqual(new Set(['web', 'jobs']));
});

test('text and html name each stack', async () => {
  const text = await cli(['check', 'cdktf.out'], { cwd: dir });
  expect(text.stdout).toMatch(/^stack web \(cdktf\.out\/stacks\/web\/cdk\.tf\.json\)$/m);
  expect(text.stdout).toMatch(/^stack jobs \(cdktf\.out\/stacks\/jobs\/cdk\.tf\.json\)$/m);
  const html = await cli(['check', 'cdktf.out', '--format', 'html'], { cwd: dir });
  expect(html.stdout).toContain('>stack web (cdktf.out/stacks/web/cdk.tf.json)</td></tr>');
});
