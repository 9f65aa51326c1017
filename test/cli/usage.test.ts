import { spawnSync } from 'child_process';
import { cli, fixture, ROOT } from './helpers';

/** Exit 2 and exactly one line on stderr, prefixed, nothing on stdout. */
function expectOneLineUsageError(r: { code: number | null; stdout: string; stderr: string }, pattern: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  const lines = r.stderr.slice(0, -1).split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^hardened-docker: /);
  expect(lines[0]).toMatch(pattern);
}

describe('usage errors: one line, hardened-docker: prefix, exit 2', () => {
  test('unknown option', async () => {
    expectOneLineUsageError(await cli(['--bogus']), /unknown option '--bogus'/);
    expectOneLineUsageError(await cli(['check', '--bogus', fixture('tf-json')]), /unknown option '--bogus'/);
  });

  test('unknown option with a suggestion stays on one line', async () => {
    expectOneLineUsageError(await cli(['check', '--profil', 'baseline']), /unknown option '--profil'.*Did you mean --profile\?/);
  });

  test('unknown command', async () => {
    expectOneLineUsageError(await cli(['frob']), /unknown command 'frob'/);
  });

  test('an option without its value', async () => {
    expectOneLineUsageError(await cli(['check', '--format']), /option '-f, --format <format>' argument missing/);
    expectOneLineUsageError(await cli(['audit', '--host']), /option '--host <address>' argument missing/);
  });

  test('no command at all: one line naming the commands, not the whole usage', async () => {
    expectOneLineUsageError(await cli([]), /no command: expected check, audit or convert \(hardened-docker --help for usage\)/);
  });

  test('a control character in a bad option is escaped', async () => {
    const r = await cli(['--\u001b[2Jx']);
    expectOneLineUsageError(r, /unknown option '--\\u001b\[2Jx'/);
  });

  test('--help and help print the usage on stdout and exit 0; --version exits 0', async () => {
    for (const argv of [['--help'], ['help'], ['check', '--help'], ['help', 'check']]) {
      const r = await cli(argv);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^Usage: hardened-docker/);
    }
    const v = await cli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

test('spawned: an unknown option is one line on stderr and exit 2', () => {
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/main.ts', 'check', '--nope'], {
    cwd: ROOT, encoding: 'utf8', timeout: 60_000,
  });
  expectOneLineUsageError({ code: r.status, stdout: r.stdout, stderr: r.stderr }, /unknown option '--nope'/);
});
