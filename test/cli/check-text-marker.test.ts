/**
 * `check`'s text report marks a resource with ✖ only for errors or warnings (infos and suppressed findings pass),
 * and `check --help` wraps its paragraphs evenly within 80 columns.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { cli } from './helpers';
import { DockerSecurityChecks } from '../../src/checks/docker-security-checks';
import { HardenedContainer } from '../../src/constructs/hardened-container';

const DIGEST = 'registry.example.com/w@sha256:0f1c7d5c3b0c0e8a9e4f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f';

test('a HardenedContainer with only infos and a suppressed finding is marked ✔; a raw Container with warnings ✖', async () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-marker-'));
  try {
    const app = Testing.app({ outdir });
    DockerSecurityChecks.applyTo(app, { printReport: false });
    const stack = new TerraformStack(app, 's');
    new DockerProvider(stack, 'docker');
    new HardenedContainer(stack, 'worker', { image: DIGEST, healthcheck: { command: ['true'] } });
    new Container(stack, 'raw', { name: 'raw', image: DIGEST, readOnly: true, user: '1000:1000' });
    app.synth();
    const r = await cli(['check', outdir]);
    const lines = r.stdout.split('\n');
    const worker = lines.find((l) => l.includes('docker_container.worker_'))!;
    expect(worker).toMatch(/^ {2}✔ docker_container\.worker_\S+ \(worker-[0-9a-f]+\) .* passes \d+ rules, \d+ info, 1 suppressed$/);
    // Its infos and the suppression are still listed under it.
    const next = lines[lines.indexOf(worker) + 1];
    expect(next).toMatch(/^ {6}(info|suppressed) /);
    expect(lines.find((l) => l.includes('docker_container.raw'))).toMatch(/^ {2}✖ docker_container\.raw /);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});

test('check --help: no line over 80 columns, and the PATH paragraph wraps evenly (no short line mid-paragraph)', async () => {
  const r = await cli(['check', '--help']);
  const lines = r.stdout.split('\n');
  for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
  const start = lines.findIndex((l) => l.startsWith('PATH is'));
  const end = lines.indexOf('', start);
  const paragraph = lines.slice(start, end);
  expect(paragraph.join(' ')).toContain('a directory of them (searched recursively, skipping node_modules and .terraform)');
  for (const l of paragraph.slice(0, -1)) expect(l.length).toBeGreaterThanOrEqual(70);
});
