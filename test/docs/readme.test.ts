import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * The README's complete example must stay true: it is compiled, run against this source tree, and its stack must
 * pass the checks it turns on (app.synth() throws on any error-level finding).
 */
const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

function completeExample(): string {
  // The example under "## A complete example" ("Use it in your project" has its own test: scripts/e2e-package.sh).
  const section = README.slice(README.indexOf('\n## A complete example\n'));
  const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  const example = blocks.find((b) => b.includes('new App()') && b.includes('app.synth()'));
  if (!example) throw new Error('README.md has no complete ```ts example with new App() and app.synth()');
  return example;
}

test('the README complete example compiles, synthesizes and passes the checks', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-readme-'));
  const source = completeExample().replace('new App()', `new App({ outdir: ${JSON.stringify(outdir)} })`);
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const requireFromExample = (name: string) => (name === 'cdktf-hardened-docker' ? require('../../src') : require(name));
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    new Function('require', 'exports', 'module', js)(requireFromExample, {}, { exports: {} });
  } finally {
    stderr.mockRestore();
  }
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'shop', 'hardened-docker-report.json'), 'utf8'));
  expect(report.summary.error).toBe(0);
  expect(report.summary.warning).toBe(0);
  // The one finding every docker_container carries: provider 3.6.2 has no pids_limit; the construct suppresses it
  // with a reason naming the nproc stand-in, and the report keeps it.
  const suppressed = report.findings.filter((f: any) => f.suppressed);
  expect(new Set(suppressed.map((f: any) => f.ruleId))).toEqual(new Set(['pids-limit']));
  // web (2) + api (3) + db (1) replicas + the worker
  expect(report.summary.resources).toBe(7);
});
