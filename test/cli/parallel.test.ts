import * as fs from 'fs';
import * as path from 'path';
import { cli, hardenedBody, ROOT, tempDir } from './helpers';
import { parallelRuns } from '../../src/cli/parallel';

/** A mix like the benchmark's: hardened, half-hardened with expressions, careless, in between. */
function body(i: number): Record<string, unknown> {
  switch (i % 4) {
    case 0: return hardenedBody(`svc-${i}`);
    case 1: return { name: `svc-${i}`, image: '${docker_image.app.image_id}', user: '${var.user}', read_only: true, ports: [{ internal: 80 }] };
    case 2: return {
      name: `svc-${i}`,
      image: 'nginx:latest',
      privileged: true,
      network_mode: 'host',
      volumes: [{ host_path: '/var/run/docker.sock', container_path: '/var/run/docker.sock' }],
      labels: [{ label: 'hardened-docker.suppress.privileged', value: 'test' }],
    };
    default: return { name: `svc-${i}`, image: 'example/worker:1.4', user: '1000', security_opts: ['seccomp=unconfined'] };
  }
}

function writeDoc(dir: string, n: number, extra: Record<string, unknown> = {}): string {
  const containers: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) containers[`c${i}`] = body(i);
  const services = { s0: { name: 's0', task_spec: { container_spec: { image: 'nginx:latest' } } } };
  const file = path.join(dir, 'many.tf.json');
  fs.writeFileSync(file, JSON.stringify({ resource: { docker_container: { ...containers, ...extra }, docker_service: services } }, null, 2));
  return path.relative(ROOT, file);
}

const SINGLE = { HARDENED_DOCKER_PARALLEL_MIN: '0' };
/** Blocks of 2 resources, alternating between the threads: the worker does half of them whatever its start-up time. */
const PARALLEL = { HARDENED_DOCKER_PARALLEL_MIN: '1', HARDENED_DOCKER_PARALLEL_BLOCK: '2' };

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => { tmp = tempDir('hd-parallel-'); });
afterAll(() => tmp.cleanup());

jest.setTimeout(120_000);

test('two threads give the same JSON report, stderr and exit code as one, for every --fail-on', async () => {
  const file = writeDoc(tmp.dir, 41);
  for (const failOn of ['error', 'warning', 'info', 'never']) {
    const before = parallelRuns.count;
    const two = await cli(['check', file, '--format', 'json', '--fail-on', failOn], { env: PARALLEL });
    expect(parallelRuns.count).toBe(before + 1);
    const one = await cli(['check', file, '--format', 'json', '--fail-on', failOn], { env: SINGLE });
    expect(parallelRuns.count).toBe(before + 1);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
    expect(two.code).toBe(one.code);
    expect(JSON.parse(one.stdout).summary.resources).toBe(42);
  }
});

test('--strict and --output: the same file and the same one-line summary on stderr', async () => {
  const file = writeDoc(tmp.dir, 9);
  const out1 = path.join(tmp.dir, 'one.json');
  const out2 = path.join(tmp.dir, 'two.json');
  const one = await cli(['check', file, '--format', 'json', '--strict', '-o', out1], { env: SINGLE });
  const two = await cli(['check', file, '--format', 'json', '--strict', '-o', out2], { env: PARALLEL });
  expect(fs.readFileSync(out2, 'utf8')).toBe(fs.readFileSync(out1, 'utf8'));
  expect(two.stderr.replace('two.json', 'one.json')).toBe(one.stderr);
  expect(two.code).toBe(one.code);
});

test('a profile file with organisation rules (ruleModules) runs in the worker too', async () => {
  const file = writeDoc(tmp.dir, 12);
  const profile = path.relative(ROOT, path.join(ROOT, 'test', 'profiles', 'fixtures', 'child.json'));
  const before = parallelRuns.count;
  const two = await cli(['check', file, '--format', 'json', '--profile', profile], { env: PARALLEL });
  expect(parallelRuns.count).toBe(before + 1);
  const one = await cli(['check', file, '--format', 'json', '--profile', profile], { env: SINGLE });
  expect(two.stdout).toBe(one.stdout);
  const report = JSON.parse(two.stdout);
  const last = report.findings.filter((f: any) => f.address === 'docker_container.c11');
  expect(last.some((f: any) => f.ruleId === 'acme-fixture-rule')).toBe(true);
});

test('bad input in the worker\'s share: the single thread\'s error, exit 2', async () => {
  const file = writeDoc(tmp.dir, 10, { broken: 'not an object' });
  const one = await cli(['check', file, '--format', 'json'], { env: SINGLE });
  const two = await cli(['check', file, '--format', 'json'], { env: PARALLEL });
  expect(one.code).toBe(2);
  expect(two).toEqual(one);
});

test('fewer resources than the threshold, or another format: one thread', async () => {
  const file = writeDoc(tmp.dir, 5);
  const before = parallelRuns.count;
  await cli(['check', file, '--format', 'json'], { env: { HARDENED_DOCKER_PARALLEL_MIN: '100' } });
  await cli(['check', file, '--format', 'json'], { env: {} });
  await cli(['check', file, '--format', 'sarif'], { env: PARALLEL });
  expect(parallelRuns.count).toBe(before);
});
