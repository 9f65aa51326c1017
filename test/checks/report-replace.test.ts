import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { DockerSecurityChecks, REPORT_JSON, REPORT_SARIF } from '../../src/checks/docker-security-checks';
import { Profile } from '../../src/profiles/profile';
import { builtinRule } from '../../src/rules/catalog';
import { Severity } from '../../src/rules/rule';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** One synth of a one-container stack into `outdir`, as `cdktf synth` runs the app again into the same cdktf.out. */
function synth(outdir: string, privileged: boolean): string {
  const app = new App({ outdir });
  // no-privileged as a warning: the synth with a privileged container writes its reports and does not fail.
  const profile = new Profile('p', [builtinRule('no-privileged')!], [{ ruleId: 'no-privileged', severity: Severity.WARNING }]);
  DockerSecurityChecks.applyTo(app, { printReport: false, profile });
  const stack = new TerraformStack(app, 's');
  new DockerProvider(stack, 'docker');
  new Container(stack, 'web', { name: 'web', image: 'nginx:1.27', privileged });
  app.synth();
  return path.join(outdir, 'stacks', 's');
}

/** Waits for the background removal of the previous reports (libuv's thread pool); gives up after 10 s. */
async function settled(dir: string): Promise<string[]> {
  for (let i = 0; i < 1000; i++) {
    const files = fs.readdirSync(dir).sort();
    if (!files.some((f) => f.endsWith('.replaced'))) return files;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return fs.readdirSync(dir).sort();
}

describe('a synth again into the same output directory', () => {
  test('writes new report files: the previous ones, held by a reader, stay whole; nothing is left beside them', async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-replace-'));
    dirs.push(outdir);
    const held = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-replace-held-'));
    dirs.push(held);

    const dir = synth(outdir, true);
    // A reader of the first synth's reports (an upload step, an editor): hard links to the same files.
    for (const f of [REPORT_JSON, REPORT_SARIF]) fs.linkSync(path.join(dir, f), path.join(held, f));
    const first = fs.readFileSync(path.join(held, REPORT_JSON), 'utf8');
    expect(JSON.parse(first).summary.warning).toBe(1);

    synth(outdir, false);
    expect(JSON.parse(fs.readFileSync(path.join(dir, REPORT_JSON), 'utf8')).summary.warning).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, REPORT_SARIF), 'utf8')).runs[0].results).toEqual([]);
    // Not truncated and rewritten in place: the held files still are the first synth's reports.
    expect(fs.readFileSync(path.join(held, REPORT_JSON), 'utf8')).toBe(first);
    expect(JSON.parse(fs.readFileSync(path.join(held, REPORT_SARIF), 'utf8')).runs[0].results).toHaveLength(1);

    expect(await settled(dir)).toEqual(['cdk.tf.json', REPORT_JSON, REPORT_SARIF]);
  });
});
