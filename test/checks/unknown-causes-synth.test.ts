import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { DockerSecurityChecks } from '../../src/checks/docker-security-checks';

/** The synth-time reports count the unknown values by cause too, and judge a literal item beside a token. */
describe('synth: unknown values counted by cause', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-causes-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('a token from a variable and one from a resource attribute', () => {
    const app = Testing.app({ outdir });
    const stack = new TerraformStack(app, 's');
    new DockerProvider(stack, 'docker');
    const memory = new TerraformVariable(stack, 'memory', { type: 'number' });
    const data = new Volume(stack, 'data', { name: 'data' });
    new Container(stack, 'web', {
      name: 'web',
      image: 'nginx:1.27',
      readOnly: true,
      memory: memory.numberValue,
      // `id`, which the stack does not set, is known after apply (its literal `name` synth reads as check does).
      volumes: [{ volumeName: data.id, containerPath: '/data' }, { hostPath: '/var/run/docker.sock', containerPath: '/s' }],
    });
    DockerSecurityChecks.applyTo(app, { printReport: false });
    // The literal socket bind beside a volume named by a token fails synth.
    expect(() => app.synth()).toThrow(/no-docker-socket/);
    const dir = path.join(outdir, 'stacks', 's');
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'hardened-docker-report.json'), 'utf8'));
    expect(report.summary.unknownCauses).toEqual({ 'variable': 1, 'after-apply': 1 });
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'hardened-docker-report.sarif'), 'utf8'));
    expect(sarif.runs[0].properties.unknownCauses).toEqual({ 'variable': 1, 'after-apply': 1 });
    // The named volume is no host path: the host-path rules are decided, not unknown.
    const hostPathRules = ['no-docker-socket', 'no-sensitive-host-mounts', 'no-sensitive-host-mounts-read-only', 'no-shared-mount-propagation'];
    expect(report.findings.filter((f: any) => f.status === 'unknown' && hostPathRules.includes(f.ruleId))).toEqual([]);
  });
});
