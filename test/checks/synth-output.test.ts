/**
 * What synth prints for a person: few lines for many containers, construct paths on every line, grouped by rule,
 * errors one by one up to a limit, a switch for every finding, and a failed synth that shows its message without
 * the library's stack trace.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import { DockerSecurityChecks } from '../../src/checks/docker-security-checks';
import { Suppressions } from '../../src/checks/suppressions';
import { ERRORS_LISTED, printEveryFinding, SYNTH_OUTPUT_ENV } from '../../src/checks/synth-output';
import { HardenedContainer } from '../../src/constructs/hardened-container';

const DIGEST = 'registry.example.com/w@sha256:0f1c7d5c3b0c0e8a9e4f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f';
const tmpDirs: string[] = [];
function newApp(): App {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-synth-output-'));
  tmpDirs.push(outdir);
  return Testing.app({ outdir });
}
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Synthesizes and returns what the checks wrote to standard error, and the error synth threw, if any. */
function synthPrinted(app: App, env: Record<string, string> = {}): { text: string; error?: Error } {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  let error: Error | undefined;
  let text = '';
  try {
    app.synth();
  } catch (e) {
    error = e as Error;
  } finally {
    text = spy.mock.calls.map((c) => String(c[0])).join('');
    spy.mockRestore();
    process.env = saved;
  }
  return { text, error };
}

/** 1000 containers: hardened ones (a suppressed pids-limit each) and raw ones with warnings, in two stacks. */
function bigApp(rawErrors: boolean): App {
  const app = newApp();
  DockerSecurityChecks.applyTo(app, { writeReports: true });
  const hardened = new TerraformStack(app, 'hardened');
  new DockerProvider(hardened, 'docker');
  for (let i = 0; i < 600; i++) {
    new HardenedContainer(hardened, `worker-${i}`, { image: DIGEST, healthcheck: { command: ['true'] } });
  }
  const legacy = new TerraformStack(app, 'legacy');
  new DockerProvider(legacy, 'docker');
  for (let i = 0; i < 400; i++) {
    new Container(legacy, `raw-${i}`, { name: `raw-${i}`, image: 'nginx', readOnly: !rawErrors || i % 2 === 0, user: '1000:1000' });
  }
  return app;
}

describe('synth output of an app of 1000 containers', () => {
  test('passing: at most 40 lines, one summary line per stack, rules grouped with three construct paths and +N more', () => {
    const app = bigApp(false);
    const { text, error } = synthPrinted(app);
    expect(error).toBeUndefined();
    const lines = text.trimEnd().split('\n');
    // cdktf synth prints the manifest's annotations too: together within the budget.
    const annotations = ['hardened', 'legacy'].flatMap((s) => app.manifest.forStack(app.node.findChild(s) as TerraformStack).annotations);
    expect(lines.length + annotations.length).toBeLessThanOrEqual(40);
    expect(annotations.filter((a) => a.level === '@cdktf/warn')).toEqual([{
      constructPath: 'legacy',
      level: '@cdktf/warn',
      message: expect.stringMatching(/^\d+ warnings \(memory-limit, cpu-limit, [a-z-, ]+\) on each of 400 resources: legacy\/raw-0, legacy\/raw-1, legacy\/raw-2, \+397 more \(all in hardened-docker-report\.json\)$/),
    }]);
    expect(lines.filter((l) => l.startsWith('hardened-docker: stack '))).toEqual([
      expect.stringMatching(/^hardened-docker: stack hardened \(profile hardened\): 600 containers\/services, 0 errors, 0 warnings, \d+ info, 600 suppressed; reports: .*hardened-docker-report\.json and \.sarif$/),
      expect.stringMatching(/^hardened-docker: stack legacy \(profile hardened\): 400 containers\/services, 0 errors, \d+ warnings/),
    ]);
    expect(lines).toContain('  suppressed pids-limit x600 (reasons in the reports)');
    // The raw containers break the same rules: one line for all of them.
    expect(lines.filter((l) => l.includes(': legacy/raw-0, legacy/raw-1, legacy/raw-2, +397 more'))).toEqual([
      expect.stringMatching(/^ {2}warning memory-limit, cpu-limit, [a-z-, ]+ x400: /),
    ]);
    // Construct paths, never Terraform addresses, and no line as long as a suppression's reason.
    expect(text).not.toMatch(/docker_container\./);
    for (const l of lines.filter((x) => x.startsWith('  '))) expect(l.length).toBeLessThanOrEqual(250);
  });

  test('failing: errors one by one up to the limit with construct paths, the rest counted by rule', () => {
    const { text, error } = synthPrinted(bigApp(true));
    expect(text.trimEnd().split('\n').length + error!.message.split('\n').length).toBeLessThanOrEqual(40);
    const message = error!.message;
    expect(message.split('\n')[0]).toBe('Docker security checks failed for stack "legacy" (profile hardened): 200 errors');
    const listed = message.split('\n').filter((l) => l.startsWith('  [legacy/raw-'));
    expect(listed).toHaveLength(ERRORS_LISTED);
    expect(listed[0]).toMatch(/^ {2}\[legacy\/raw-1\] read-only-rootfs \(CIS 5\.13\): read_only = false\. Fix: /);
    expect(message).toContain(`  +${200 - ERRORS_LISTED} more errors (all: read-only-rootfs x200) in `);
    expect(message).toContain(`${SYNTH_OUTPUT_ENV}=all lists every one`);
    expect(text).toContain('\n  error   read-only-rootfs (CIS 5.13) x200: legacy/raw-1, legacy/raw-3, legacy/raw-5, +197 more\n');
  });
});

describe(`${SYNTH_OUTPUT_ENV}=all`, () => {
  test('prints every finding, one line each with its construct path, and lists every error', () => {
    const app = newApp();
    DockerSecurityChecks.applyTo(app, { writeReports: false });
    const stack = new TerraformStack(app, 's');
    new DockerProvider(stack, 'docker');
    for (let i = 0; i < 12; i++) new Container(stack, `c${i}`, { name: `c${i}`, image: 'nginx', privileged: true });
    Suppressions.add(stack.node.findChild('c0'), 'healthcheck', 'a batch job: exits in seconds, nothing to probe');
    const { text, error } = synthPrinted(app, { [SYNTH_OUTPUT_ENV]: 'all' });
    expect(text).toMatch(/^ {2}suppressed s\/c0 healthcheck \(CIS 5\.27\): reason: a batch job: exits in seconds, nothing to probe$/m);
    expect(text).toMatch(/^ {2}info {7}s\/c11 /m);
    const lines = text.trimEnd().split('\n');
    // The summary line, then every finding of the report.
    const summary = lines[0].match(/(\d+) errors, (\d+) warnings, (\d+) info, (\d+) suppressed/)!.slice(1).map(Number);
    expect(lines.length - 1).toBe(summary.reduce((a, b) => a + b, 0));
    expect(error!.message.split('\n').filter((l) => /^ {2}\[s\/c\d+\] no-privileged /.test(l))).toHaveLength(12);
    expect(error!.message).not.toContain('more errors');
  });

  test('an unknown value is refused with the valid ones', () => {
    expect(printEveryFinding({})).toBe(false);
    expect(printEveryFinding({ [SYNTH_OUTPUT_ENV]: 'summary' })).toBe(false);
    expect(printEveryFinding({ [SYNTH_OUTPUT_ENV]: 'ALL' })).toBe(true);
    expect(() => printEveryFinding({ [SYNTH_OUTPUT_ENV]: 'verbose' })).toThrow(
      'HARDENED_DOCKER_SYNTH_OUTPUT="verbose" is not a synth output: use "summary" (the default) or "all"');
  });
});

describe('a failed synth', () => {
  test('caught by the caller: the error carries the message and no library frame; no listener stays behind', async () => {
    const app = newApp();
    DockerSecurityChecks.applyTo(app, { printReport: false, writeReports: false });
    const stack = new TerraformStack(app, 's');
    new DockerProvider(stack, 'docker');
    new Container(stack, 'p', { name: 'p', image: 'nginx', privileged: true });
    // Tests that ran in this turn of the event loop may still hold theirs.
    await new Promise((resolve) => setImmediate(resolve));
    const listeners = process.listeners('uncaughtException');
    const { error } = synthPrinted(app);
    expect(error!.stack).toBe(`DockerSecurityChecksError: ${error!.message}`);
    await new Promise((resolve) => setImmediate(resolve));
    expect(process.listeners('uncaughtException')).toEqual(listeners);
  });

  test('uncaught, in an app process: the message alone on stderr, exit 1, no stack trace or library source line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-synth-fail-'));
    tmpDirs.push(dir);
    const main = path.join(dir, 'main.ts');
    const src = path.join(__dirname, '..', '..', 'src');
    fs.writeFileSync(main, [
      "import { App, TerraformStack } from 'cdktf';",
      "import { Container } from '@cdktf/provider-docker/lib/container';",
      "import { DockerProvider } from '@cdktf/provider-docker/lib/provider';",
      `import { DockerSecurityChecks } from ${JSON.stringify(src)};`,
      `const app = new App({ outdir: ${JSON.stringify(path.join(dir, 'out'))} });`,
      'DockerSecurityChecks.applyTo(app);',
      "const stack = new TerraformStack(app, 'shop');",
      "new DockerProvider(stack, 'docker');",
      "new Container(stack, 'raw', { name: 'raw', image: 'nginx', privileged: true });",
      'app.synth();',
    ].join('\n'));
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', main], {
      encoding: 'utf8',
      cwd: path.join(__dirname, '..', '..'),
      env: { ...process.env, NODE_OPTIONS: '--enable-source-maps', NODE_PATH: path.join(__dirname, '..', '..', 'node_modules') },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Docker security checks failed for stack "shop" (profile hardened): 3 errors\n  [shop/raw] ');
    expect(r.stderr).not.toMatch(/^ +at /m);
    expect(r.stderr).not.toContain('docker-security-checks');
    expect(r.stderr).not.toContain('synth-output');
    expect(r.stderr.trimEnd().split('\n').pop()).toBe(
      'Fix the settings, or suppress a rule where it is acceptable: Suppressions.add(construct, ruleId, reason).');
  });
});
