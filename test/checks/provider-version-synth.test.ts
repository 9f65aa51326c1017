import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import { DockerSecurityChecks } from '../../src/checks/docker-security-checks';
import { Profile } from '../../src/profiles/profile';
import { builtinRule } from '../../src/rules/catalog';

const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A stack with one container that sets `cpus`, checked by no-cpus-attribute alone; `version` overrides required_providers. */
function synthCpus(version?: string): { app: App; error?: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-provider-version-'));
  tmpDirs.push(outdir);
  const app = Testing.app({ outdir });
  const stack = new TerraformStack(app, 's');
  new DockerProvider(stack, 'docker');
  if (version !== undefined) stack.addOverride('terraform.required_providers.docker.version', version);
  new Container(stack, 'web', { name: 'web', image: 'nginx:1.27', cpus: '0.5' });
  DockerSecurityChecks.applyTo(app, { printReport: false, profile: new Profile('test', [builtinRule('no-cpus-attribute')!]) });
  try {
    app.synth();
    return { app };
  } catch (e: any) {
    return { app, error: String(e.message) };
  }
}

function findings(app: App): any[] {
  return JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 's', 'hardened-docker-report.json'), 'utf8')).findings;
}

describe('synth checks read the provider version the stack synthesizes', () => {
  test('@cdktf/provider-docker 12 writes 3.6.2: no-cpus-attribute fails synth, naming no range (every admitted release panics)', () => {
    const { app, error } = synthCpus();
    expect(error).toMatch(/no-cpus-attribute/);
    expect(findings(app)[0].message).not.toMatch(/provider trap/);
  });

  test('a stack for provider 3.7.0 (a binding for a later release) synthesizes: the rule is not applicable', () => {
    const { app, error } = synthCpus('3.7.0');
    expect(error).toBeUndefined();
    expect(findings(app)).toEqual([]);
  });

  test('a constraint admitting 3.6.x and later names the releases concerned', () => {
    const { app, error } = synthCpus('>= 3.0');
    expect(error).toMatch(/no-cpus-attribute/);
    expect(findings(app)[0].message).toMatch(/\(a provider trap: 3\.6\.0 up to \(not including\) 3\.7\.0\)$/);
  });

  test('a malformed constraint fails synth naming the stack and the value', () => {
    expect(synthCpus('newest').error).toMatch(/stack s: terraform\.required_providers docker version: .*"newest"/);
  });
});
