/**
 * The test setup on machines that lack something: each missing piece is named in one line (the Debian package to
 * install), and the runtime suites skip outside CI and fail under CI=true. No engine is needed: a fake `docker`
 * on PATH stands for one whose image is absent, and a socket path that does not exist for no engine at all.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { prepareRuntimeTests } from '../global-setup';

const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'build-test-images.sh');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-setup-'));
  // `docker image inspect` finds nothing; anything else would be a build, which these tests must never reach.
  fs.writeFileSync(path.join(dir, 'docker'), '#!/bin/sh\n[ "$1" = image ] && exit 1\necho "unexpected docker $*" >&2; exit 99\n', { mode: 0o755 });
  // A compiler without a static C library: what gcc answers when libc6-dev is not installed.
  fs.writeFileSync(path.join(dir, 'cc-without-libc'), '#!/bin/sh\necho libc.a\n', { mode: 0o755 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function build(env: Record<string, string>): { status: number | null; stderr: string } {
  const r = spawnSync('bash', [SCRIPT], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, TEST_IMAGE: 'local/busybox:never-built', ...env },
  });
  return { status: r.status, stderr: r.stderr };
}

describe('scripts/build-test-images.sh names the missing Debian package in one line', () => {
  test('no C compiler: gcc', () => {
    const r = build({ CC: 'no-such-compiler' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('build-test-images: C compiler no-such-compiler not found (apt-get install gcc)\n');
  });

  test('a compiler without the static C library: libc6-dev', () => {
    const r = build({ CC: path.join(dir, 'cc-without-libc') });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('build-test-images: static C library libc.a not found (apt-get install libc6-dev)\n');
  });

  test('a busybox that is not one: busybox-static is what it needs', () => {
    const r = build({ BUSYBOX: '/bin/false' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`build-test-images: ${fs.realpathSync('/bin/false')} is not a busybox binary (apt-get install busybox-static)\n`);
  });
});

describe('prepareRuntimeTests', () => {
  test('no engine: skip outside CI, fail under CI=true, with the socket named', async () => {
    const noEngine = path.join(dir, 'no-engine.sock');
    await expect(prepareRuntimeTests(false, noEngine, 'local/x:y')).resolves.toBe(`skip:no Docker engine answers on ${noEngine}`);
    await expect(prepareRuntimeTests(true, noEngine, 'local/x:y')).resolves.toBe(`fail:no Docker engine answers on ${noEngine}`);
  });

  test('an engine answers but the image cannot be built: the script\'s one line is the reason', async () => {
    const socket = path.join(dir, 'engine.sock');
    const server = http.createServer((req, res) => {
      res.statusCode = req.url === '/_ping' ? 200 : 404;
      res.end('OK');
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      const env = { ...process.env, PATH: `${dir}:${process.env.PATH}`, CC: 'no-such-compiler' };
      const reason = 'cannot build the test image local/busybox:never-built: ' +
        'build-test-images: C compiler no-such-compiler not found (apt-get install gcc)';
      await expect(prepareRuntimeTests(false, socket, 'local/busybox:never-built', env)).resolves.toBe(`skip:${reason}`);
      await expect(prepareRuntimeTests(true, socket, 'local/busybox:never-built', env)).resolves.toBe(`fail:${reason}`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
