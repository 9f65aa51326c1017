import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * What an app that synthesizes with the checks must never load: the CLI and what only it reads (audit, drift,
 * the Engine API client, the compose reader and its YAML parser, the HCL evaluator and hcl2json, the plan reader),
 * the text, HTML and JUnit writers, the profile-file loader and its schema validator, the drift comparison, the
 * docker_compose reader (for a stack without such a resource), and the provider classes that only SecureService
 * creates. Paths are relative to the repository (sources) or node_modules (packages).
 */
const NOT_FOR_SYNTH: readonly RegExp[] = [
  /^src\/cli\//,
  /^src\/drift\/(against|declared|index)\.ts$/,
  /^src\/spec\/(engine-adapter|hcl-adapter|plan-adapter)\.ts$/,
  /^src\/spec\/compose\//,
  /^src\/spec\/terraform\/config\//,
  /^src\/report\/(html|junit|text)\.ts$/,
  // The drift comparison (its rules' ids are listed by every profile; the comparison runs only in audit --against),
  // the positioned JSON reader of `check`, the docker_compose reader (read only when a stack has such a resource),
  // the profile-file loader and the rule-doc renderer.
  /^src\/drift\/compare\.ts$/,
  /^src\/spec\/terraform\/json-(reader|merge|parser)\.ts$/,
  /^src\/spec\/(compose-resource|compose-local-files)\.ts$/,
  /^src\/profiles\/profile-file\.ts$/,
  /^src\/rules\/doc\.ts$/,
  /^node_modules\/(ajv|yaml|commander|@cdktf\/hcl2json)\//,
  /^node_modules\/@cdktf\/provider-docker\/lib\/(service|image|network)\//,
];

/**
 * In a fresh Node process (ts-node, as `cdktf synth` runs a TypeScript app): loads cdktf and the provider's
 * Container as the app does, then the library, then synthesizes one stack of two raw containers under
 * DockerSecurityChecks with the reports written. Prints the modules loaded by the library and by the synth.
 */
const SCRIPT = `
const path = require('path');
const rel = (k) => k.includes('/node_modules/') ? 'node_modules/' + k.split('/node_modules/').pop() : path.relative(${JSON.stringify(ROOT)}, k);
const { App, TerraformStack } = require('cdktf');
const { Container } = require('@cdktf/provider-docker/lib/container');
const { DockerProvider } = require('@cdktf/provider-docker/lib/provider');
const before = new Set(Object.keys(require.cache));
const lib = require('./src');
const afterLoad = Object.keys(require.cache).filter((k) => !before.has(k));
const app = new App({ outdir: process.argv[1] });
const hardened = lib.Profile.named(lib.ProfileLevel.HARDENED);
const warningsOnly = new lib.Profile('warnings-only', hardened.activeRules.map((a) => a.rule),
  hardened.activeRules.map((a) => ({ ruleId: a.rule.metadata.id, severity: lib.Severity.WARNING })));
lib.DockerSecurityChecks.applyTo(app, { printReport: false, profile: warningsOnly });
const stack = new TerraformStack(app, 'lazy');
new DockerProvider(stack, 'docker');
new Container(stack, 'web', { name: 'web', image: 'nginx:1.27', privileged: true });
new Container(stack, 'worker', { name: 'worker', image: 'busybox:1.36', user: '1000:1000', readOnly: true });
app.synth();
const afterSynth = Object.keys(require.cache).filter((k) => !before.has(k));
process.stdout.write(JSON.stringify({ afterLoad: afterLoad.map(rel), afterSynth: afterSynth.map(rel) }));
`;

describe('loading the library for synth', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-lazy-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  let loaded: { afterLoad: string[]; afterSynth: string[] };
  beforeAll(() => {
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', SCRIPT, outdir], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' }, timeout: 120_000,
    });
    if (r.status !== 0) throw new Error(`the synth process failed (${r.status}):\n${r.stderr}`);
    loaded = JSON.parse(r.stdout);
  }, 130_000);

  test('the synth ran the checks and wrote the reports (the module lists below are those of a real check)', () => {
    expect(loaded.afterLoad).toContain('src/checks/docker-security-checks.ts');
    expect(loaded.afterSynth).toContain('src/report/streamed.ts');
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'lazy', 'hardened-docker-report.json'), 'utf8'));
    expect(report.summary.resources).toBe(2);
    expect(report.findings.some((f: any) => f.ruleId === 'no-privileged' && f.address === 'docker_container.web')).toBe(true);
  });

  test.each([
    ['requiring the library', 'afterLoad'],
    ['requiring it and synthesizing with the checks', 'afterSynth'],
  ] as const)('%s loads none of the CLI, audit, compose, HCL, schema, HTML/JUnit or SecureService-only modules', (_what, phase) => {
    const unwanted = loaded[phase].filter((m) => NOT_FOR_SYNTH.some((re) => re.test(m)));
    expect(unwanted).toEqual([]);
  });
});
