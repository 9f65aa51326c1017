import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { cli, fixture, hardenedBody, ROOT, tempDir, writeTfJson } from './helpers';
import { DEFAULT_INPUT_LIMITS, InputBudget, readRegularFile } from '../../src/cli/read-input';

/**
 * Runs the CLI in a child process with a timeout, so that a read that blocks forever (a FIFO, /dev/zero) fails the
 * test instead of hanging the test runner. `timedOut` is true when the timeout killed it.
 */
function spawnCli(args: string[], cwd: string, input?: string) {
  const r = spawnSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), path.join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd, input, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1', TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, timedOut: r.signal === 'SIGTERM' };
}

function expectOneLine(r: { code: number | null; stdout?: string; stderr: string }, pattern: RegExp) {
  expect(r.code).toBe(2);
  const lines = r.stderr.replace(/\n$/, '').split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^hardened-docker: /);
  expect(lines[0]).toMatch(pattern);
}

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir('hd-read-')));
afterEach(() => cleanup());

describe('only regular files are read', () => {
  test('a FIFO given as the path is refused at once, not read (it would block forever)', () => {
    execFileSync('mkfifo', [path.join(dir, 'main.tf.json')]);
    const r = spawnCli(['check', 'main.tf.json'], dir);
    expect(r.timedOut).toBe(false);
    expectOneLine(r, /^hardened-docker: main\.tf\.json: not a regular file \(a named pipe \(FIFO\)\); only regular files are read$/);
  });

  test('a FIFO as a cdktf stack, as manifest.json, or as --profile is refused too', () => {
    const out = path.join(dir, 'cdktf.out');
    fs.mkdirSync(path.join(out, 'stacks', 'web'), { recursive: true });
    fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({ stacks: { web: { name: 'web', synthesizedStackPath: 'stacks/web/cdk.tf.json' } } }));
    execFileSync('mkfifo', [path.join(out, 'stacks', 'web', 'cdk.tf.json')]);
    execFileSync('mkfifo', [path.join(dir, 'profile.json')]);
    const other = path.join(dir, 'other.out');
    fs.mkdirSync(other);
    execFileSync('mkfifo', [path.join(other, 'manifest.json')]);
    writeTfJson(dir, 'ok/main.tf.json', { web: hardenedBody('web') });

    expectOneLine(spawnCli(['check', 'cdktf.out'], dir), /cdktf\.out\/stacks\/web\/cdk\.tf\.json: not a regular file \(a named pipe \(FIFO\)\)/);
    expectOneLine(spawnCli(['check', 'other.out/manifest.json'], dir), /other\.out\/manifest\.json: not a regular file \(a named pipe/);
    expectOneLine(spawnCli(['check', 'ok', '--profile', 'profile.json'], dir), /--profile profile\.json: not a regular file \(a named pipe/);
  });

  test('a device is refused without reading it (/dev/zero never ends)', () => {
    const r = spawnCli(['check', '/dev/zero'], dir);
    expect(r.timedOut).toBe(false);
    expectOneLine(r, /^hardened-docker: [./]*\/dev\/zero: not a regular file \(a character device\)/);
  });

  test('a socket is refused', async () => {
    const sock = path.join(dir, 'docker.tf.json');
    const server = net.createServer().listen(sock);
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      expectOneLine(await cli(['check', 'docker.tf.json'], { cwd: dir }), /docker\.tf\.json: not a regular file \(a socket\)/);
    } finally {
      server.close();
    }
  });

  test('a directory walk skips FIFOs and symlinks and reads the regular files', async () => {
    writeTfJson(dir, 'infra/main.tf.json', { web: hardenedBody('web') });
    execFileSync('mkfifo', [path.join(dir, 'infra', 'pipe.tf.json')]);
    fs.symlinkSync('/etc/hostname', path.join(dir, 'infra', 'link.tf.json'));
    const r = await cli(['check', 'infra', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).summary.resources).toBe(1);
  });
});

describe('--output is a regular file or a new file', () => {
  beforeEach(() => writeTfJson(dir, 'main.tf.json', { web: hardenedBody('web') }));

  test('a FIFO with no reader is refused (opening it to write would block forever)', () => {
    execFileSync('mkfifo', [path.join(dir, 'report.txt')]);
    const r = spawnCli(['check', 'main.tf.json', '--output', 'report.txt'], dir);
    expect(r.timedOut).toBe(false);
    expectOneLine(r, /^hardened-docker: --output report\.txt: not a regular file \(a named pipe \(FIFO\)\); give a new file or a regular file to replace$/);
  });

  test('a device and a file of /proc or /sys are refused; nothing is written', async () => {
    expectOneLine(await cli(['check', 'main.tf.json', '--output', '/dev/null'], { cwd: dir }), /--output \/dev\/null: not a regular file \(a character device\)/);
    for (const f of ['/proc/self/status', '/sys/kernel/profiling']) {
      const r = await cli(['check', 'main.tf.json', '--format', 'json', '--output', f], { cwd: dir });
      expectOneLine(r, new RegExp(`--output ${f}: is on a kernel file system \\(/proc, /sys or /dev\\); give a new file or a regular file to replace`));
    }
  });

  test('a symbolic link is refused, not followed: the file it points to is left alone', async () => {
    fs.writeFileSync(path.join(dir, 'precious'), 'keep me');
    fs.symlinkSync(path.join(dir, 'precious'), path.join(dir, 'report.sarif'));
    const r = await cli(['check', 'main.tf.json', '--format', 'sarif', '--output', 'report.sarif'], { cwd: dir });
    expectOneLine(r, /^hardened-docker: --output report\.sarif: is a symbolic link; give a new file or a regular file to replace$/);
    expect(fs.readFileSync(path.join(dir, 'precious'), 'utf8')).toBe('keep me');
  });

  test('a new file and a regular file are written', async () => {
    fs.writeFileSync(path.join(dir, 'old.txt'), 'x'.repeat(100_000));
    for (const f of ['new/report.txt', 'old.txt']) {
      const r = await cli(['check', 'main.tf.json', '--output', f], { cwd: dir });
      expect(r.code).toBe(0);
      expect(fs.readFileSync(path.join(dir, f), 'utf8')).toMatch(/^[✔✖] docker_container\.web \(web\)[^]*\nhardened-docker: 1 resource checked/);
    }
  });
});

describe('cdktf.out manifest.json cannot lead outside its directory', () => {
  const SECRET = 'root:x:0:0:TOPSECRET-token-abcdef:/root:/bin/bash\n';

  function cdktfOut(stacks: Record<string, unknown>) {
    fs.writeFileSync(path.join(dir, 'secret.txt'), SECRET);
    const out = path.join(dir, 'repo', 'cdktf.out');
    fs.mkdirSync(path.join(out, 'stacks', 'web'), { recursive: true });
    fs.writeFileSync(path.join(out, 'stacks', 'web', 'cdk.tf.json'), JSON.stringify({ resource: { docker_container: { web: hardenedBody('web'), api: hardenedBody('api') } } }));
    fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks }));
    return path.join(dir, 'repo');
  }

  test('synthesizedStackPath with ../ is refused; the file is not read, its content not echoed', async () => {
    const cwd = cdktfOut({ web: { name: 'web', synthesizedStackPath: '../../secret.txt' } });
    const r = await cli(['check', 'cdktf.out'], { cwd });
    expectOneLine(r, /^hardened-docker: cdktf\.out\/manifest\.json: stack "web": synthesizedStackPath "\.\.\/\.\.\/secret\.txt": leads outside cdktf\.out \(through "\.\." or a symbolic link\); refusing to read it$/);
    expect(r.stderr).not.toMatch(/root|TOPSECRET/);
  });

  test('an absolute synthesizedStackPath, a stack name with ../, and a symlink out are refused', async () => {
    let cwd = cdktfOut({ web: { name: 'web', synthesizedStackPath: path.join(dir, 'secret.txt') } });
    expectOneLine(await cli(['check', 'cdktf.out'], { cwd }), /stack "web": synthesizedStackPath .*: leads outside cdktf\.out/);

    fs.rmSync(path.join(dir, 'repo'), { recursive: true });
    cwd = cdktfOut({ '../../../secret.txt#': { name: 'x' } });
    const byName = await cli(['check', 'cdktf.out'], { cwd });
    expect(byName.code).toBe(2);
    expect(byName.stderr).toMatch(/leads outside cdktf\.out|no such file/);
    expect(byName.stderr).not.toMatch(/TOPSECRET/);

    fs.rmSync(path.join(dir, 'repo'), { recursive: true });
    cwd = cdktfOut({ web: { name: 'web', synthesizedStackPath: 'stacks/web/cdk.tf.json' } });
    fs.rmSync(path.join(cwd, 'cdktf.out', 'stacks', 'web', 'cdk.tf.json'));
    fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(cwd, 'cdktf.out', 'stacks', 'web', 'cdk.tf.json'));
    const r = await cli(['check', 'cdktf.out'], { cwd });
    expectOneLine(r, /stack "web": synthesizedStackPath "stacks\/web\/cdk\.tf\.json": leads outside cdktf\.out/);
    expect(r.stderr).not.toMatch(/TOPSECRET/);
  });

  test('a stack inside the directory through a symlink that stays inside is read', async () => {
    const cwd = cdktfOut({ web: { name: 'web', synthesizedStackPath: 'stacks/alias/cdk.tf.json' } });
    fs.symlinkSync('web', path.join(cwd, 'cdktf.out', 'stacks', 'alias'));
    const r = await cli(['check', 'cdktf.out', '--format', 'json'], { cwd });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).summary.resources).toBe(2);
  });

  test('malformed JSON: the error names the file and position, never more than the one character', async () => {
    fs.writeFileSync(path.join(dir, 'bad.tf.json'), 'TOPSECRET-token-abcdef');
    const r = await cli(['check', 'bad.tf.json'], { cwd: dir });
    expectOneLine(r, /^hardened-docker: bad\.tf\.json:1:1: malformed JSON/);
    expect(r.stderr).not.toMatch(/OPSECRE/);
  });
});

describe('input size limits', () => {
  test('a file over --max-file-size is refused with one line naming the limit and the option', async () => {
    writeTfJson(dir, 'big.tf.json', { web: hardenedBody('web'), api: hardenedBody('api') });
    const r = await cli(['check', 'big.tf.json', '--max-file-size', '1K'], { cwd: dir });
    expectOneLine(r, /^hardened-docker: big\.tf\.json: input too large: more than 1 KiB per file; raise the limit with --max-file-size if this is expected$/);
    const ok = await cli(['check', 'big.tf.json', '--max-file-size', '64K'], { cwd: dir });
    expect(ok.code).toBe(0);
  });

  test('inputs over --max-input-size together are refused', async () => {
    writeTfJson(dir, 'a.tf.json', { a: hardenedBody('a') });
    writeTfJson(dir, 'b.tf.json', { b: hardenedBody('b') });
    const size = fs.statSync(path.join(dir, 'a.tf.json')).size;
    const r = await cli(['check', 'a.tf.json', 'b.tf.json', '--max-input-size', String(size + 10)], { cwd: dir });
    expectOneLine(r, /^hardened-docker: b\.tf\.json: input too large: more than [\d.]+ KiB for all inputs together; raise the limit with --max-input-size/);
  });

  test('standard input over the limit is refused', () => {
    const r = spawnCli(['check', '-', '--max-file-size', '1k'], dir, JSON.stringify({ resource: { docker_container: { web: hardenedBody('web'), api: hardenedBody('api') } } }));
    expectOneLine(r, /^hardened-docker: <stdin>: input too large: more than 1 KiB per file/);
  });

  test('a /proc file (which says its size is 0) is counted while read', async () => {
    const r = await cli(['check', '/proc/self/maps', '--max-file-size', '100'], { cwd: dir });
    expectOneLine(r, /^hardened-docker: [./]*\/proc\/self\/maps: input too large: more than 100 bytes per file/);
  });

  test('more resources than --max-resources are refused before the rules run, in Terraform JSON, HCL and across files', async () => {
    writeTfJson(dir, 'three.tf.json', { a: hardenedBody('a'), b: hardenedBody('b'), c: hardenedBody('c') });
    expectOneLine(await cli(['check', 'three.tf.json', '--max-resources', '2'], { cwd: dir }),
      /^hardened-docker: three\.tf\.json: too many resources: more than 2 docker_container and docker_service resources in all inputs together; raise the limit with --max-resources if this is expected$/);
    // hcl2json's list shape and a list of resource blocks are counted too.
    fs.writeFileSync(path.join(dir, 'list.tf.json'), JSON.stringify({ resource: [{ docker_container: [{ a: {}, b: {} }] }, { docker_service: { s: {} } }] }));
    expectOneLine(await cli(['check', 'list.tf.json', '--max-resources', '2'], { cwd: dir }), /^hardened-docker: list\.tf\.json: too many resources/);
    fs.writeFileSync(path.join(dir, 'main.tf'), ['a', 'b', 'c'].map((n) => `resource "docker_container" "${n}" {\n  name  = "${n}"\n  image = "x"\n}\n`).join(''));
    expectOneLine(await cli(['check', 'main.tf', '--max-resources', '2'], { cwd: dir }), /^hardened-docker: main\.tf: too many resources/);
    writeTfJson(dir, 'one.tf.json', { d: hardenedBody('d') });
    writeTfJson(dir, 'two.tf.json', { e: hardenedBody('e'), f: hardenedBody('f') });
    expectOneLine(await cli(['check', 'one.tf.json', 'two.tf.json', '--max-resources', '2'], { cwd: dir }), /^hardened-docker: two\.tf\.json: too many resources/);
    const ok = await cli(['check', 'three.tf.json', '--max-resources', '3', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(ok.stdout).summary.resources).toBe(3);
    expectOneLine(await cli(['check', 'three.tf.json', '--max-resources', 'many'], { cwd: dir }), /--max-resources "many": expected a whole number, at least 1/);
  });

  test('a bad size is a usage error', async () => {
    for (const bad of ['0', 'lots', '-5', '1T']) {
      expectOneLine(await cli(['check', fixture('tf-json'), '--max-file-size', bad]), /--max-file-size "[^"]*": expected a size such as 64M, 512K, 2G or a number of bytes/);
    }
  });
});

describe('readRegularFile', () => {
  test('a file longer than its size said when opened is read to its end, within the limit', () => {
    // A file that grew after fstat (or a /proc file, which says 0): the first buffer fills, and reading goes on.
    const file = path.join(dir, 'big.tf.json');
    const text = JSON.stringify({ resource: { docker_container: { web: { image: 'ü'.repeat(150_000) } } } });
    fs.writeFileSync(file, text);
    // The module object itself (the namespace import's properties cannot be redefined).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeFs: typeof fs = require('fs');
    const realFstat = nodeFs.fstatSync;
    const spy = jest.spyOn(nodeFs, 'fstatSync').mockImplementation(((fd: number) => Object.assign(realFstat(fd), { size: 10 })) as any);
    try {
      expect(readRegularFile(file, 'big.tf.json')).toBe(text);
      expect(() => readRegularFile(file, 'big.tf.json', new InputBudget({ ...DEFAULT_INPUT_LIMITS, maxFileBytes: 200_000 })))
        .toThrow(/^big\.tf\.json: input too large: more than 195\.3 KiB per file/);
    } finally {
      spy.mockRestore();
    }
  });
});
