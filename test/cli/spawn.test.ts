import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import { fixture, ROOT } from './helpers';

/** The CLI as a user runs it, in its own process (ts-node, transpile only). */
function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/main.ts', ...args], {
    cwd: ROOT, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('check --format json: exit 1, the report on stdout, nothing on stderr', () => {
  const r = run(['check', fixture('tf-json/containers.tf.json'), '--format', 'json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(1);
  expect(JSON.parse(r.stdout).summary.resources).toBe(3);
});

test('check --format json with stdout redirected to a file (written straight to the descriptor): the same report as through a pipe', () => {
  const dir = fs.mkdtempSync(`${os.tmpdir()}/hd-spawn-`);
  try {
    const file = `${dir}/out.json`;
    const fd = fs.openSync(file, 'w');
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/main.ts', 'check', fixture('tf-json/containers.tf.json'), '--format', 'json'], {
      cwd: ROOT, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', timeout: 60_000,
    });
    fs.closeSync(fd);
    expect(r.status).toBe(1);
    const piped = run(['check', fixture('tf-json/containers.tf.json'), '--format', 'json']).stdout;
    expect(fs.readFileSync(file, 'utf8')).toBe(piped);
    expect(JSON.parse(piped).findings.length).toBeGreaterThan(0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('plan JSON piped to check -', () => {
  const plan = fs.readFileSync(`${ROOT}/${fixture('plan/plan.json')}`, 'utf8');
  const r = run(['check', '-', '--format', 'json', '--fail-on', 'never'], plan);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).summary.resources).toBe(3);
});

test('malformed input: exit 2 and one line on stderr, no stack trace', () => {
  for (const f of ['malformed/bad.tf.json', 'malformed/bad.tf']) {
    const r = run(['check', fixture(f)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^hardened-docker: ${fixture(f).replace(/\./g, '\\.')}:\\d+:\\d+: malformed (JSON|HCL): `));
  }
});

test('usage errors exit 2; --version and --help exit 0', () => {
  expect(run(['check', '--format', 'xml', fixture('tf-json')]).code).toBe(2);
  expect(run(['--version']).code).toBe(0);
  expect(run(['--version']).stdout).toMatch(/^\d+\.\d+\.\d+/);
  expect(run(['--help']).code).toBe(0);
});

test('check loads neither the Docker client nor the HCL parser for JSON input', () => {
  const script = `require('./src/cli/main').main(['check', ${JSON.stringify(fixture('tf-json/containers.tf.json'))}, '--format', 'json'],
    { stdout: { write() {} }, stderr: process.stderr }).then((code) => {
      const loaded = Object.keys(require.cache);
      console.log(JSON.stringify({ code, dockerode: loaded.some((k) => k.includes('/node_modules/dockerode/')),
        hcl2json: loaded.some((k) => k.includes('/node_modules/@cdktf/hcl2json/')) }));
    });`;
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  expect(JSON.parse(r.stdout)).toEqual({ code: 1, dockerode: false, hcl2json: false });
});
