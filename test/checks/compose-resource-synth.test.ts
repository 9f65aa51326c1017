import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { App, TerraformResource, TerraformStack, Testing } from 'cdktf';
import { DockerSecurityChecks } from '../../src/checks/docker-security-checks';
import { Suppressions } from '../../src/checks/suppressions';
import { cli } from '../cli/helpers';

const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

function tmp(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tmpDirs.push(d);
  return d;
}

/**
 * A stack with a docker_compose resource, as bindings for provider 4.3+ write it (12.0.3 has no class for it: a
 * plain TerraformResource writes the same JSON).
 */
function synthCompose(configPaths: string[], suppress?: string): { app: App; error?: string } {
  const app = Testing.app({ outdir: tmp('hd-compose-synth-') });
  const stack = new TerraformStack(app, 's');
  new DockerProvider(stack, 'docker');
  const compose = new TerraformResource(stack, 'app', { terraformResourceType: 'docker_compose' });
  compose.addOverride('config_paths', configPaths);
  compose.addOverride('project_name', 'shop');
  if (suppress) Suppressions.add(compose, suppress, 'the pipeline checks this compose project before apply');
  DockerSecurityChecks.applyTo(app, { printReport: false });
  try {
    app.synth();
    return { app };
  } catch (e: any) {
    return { app, error: String(e.message) };
  }
}

function report(app: App): any {
  return JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 's', 'hardened-docker-report.json'), 'utf8'));
}

describe('synth checks read the docker_compose resources of a stack', () => {
  test('its services are checked by the same rules: a privileged service fails synth', () => {
    const dir = tmp('hd-compose-files-');
    const file = path.join(dir, 'compose.yaml');
    fs.writeFileSync(file, 'services:\n  web:\n    image: nginx\n    privileged: true\n');
    const { app, error } = synthCompose([file]);
    expect(error).toMatch(/no-privileged/);
    const findings = report(app).findings.filter((f: any) => f.ruleId === 'no-privileged');
    expect(findings.map((f: any) => [f.address, f.constructPath])).toEqual([['docker_compose.app/services/web', 's/app']]);
    expect(report(app).summary.resources).toBe(1);
  });

  test('a compose file that does not exist: a warning naming the resource, synth goes on', () => {
    const { app, error } = synthCompose([path.join(tmp('hd-compose-none-'), 'missing.yaml')]);
    expect(error).toBeUndefined();
    expect(report(app).findings.map((f: any) => [f.ruleId, f.severity, f.address])).toEqual([
      ['compose-resource-unchecked', 'warning', 'docker_compose.app'],
    ]);
    expect(report(app).findings[0].message).toMatch(/^config_paths\[0\] ".*missing\.yaml": no such file/);
  });

  test('a compose document the stack writes (a local_file\'s literal content) is read from the stack, not the disk', () => {
    const app = Testing.app({ outdir: tmp('hd-compose-synth-') });
    const stack = new TerraformStack(app, 's');
    new DockerProvider(stack, 'docker');
    const filename = path.join(tmp('hd-compose-written-'), 'compose.yaml');
    const file = new TerraformResource(stack, 'compose-file', { terraformResourceType: 'local_file' });
    file.addOverride('filename', filename);
    file.addOverride('content', 'services:\n  web:\n    image: nginx\n    pid: host\n');
    const compose = new TerraformResource(stack, 'app', { terraformResourceType: 'docker_compose' });
    compose.addOverride('config_paths', [filename]);
    DockerSecurityChecks.applyTo(app, { printReport: false });
    expect(() => app.synth()).toThrow(/no-host-pid/);
    expect(report(app).findings.filter((f: any) => f.ruleId === 'no-host-pid').map((f: any) => f.address)).toEqual(['docker_compose.app/services/web']);
  });

  test('Suppressions.add on the resource covers its finding, and its services\' (and check of the output agrees)', async () => {
    const { app, error } = synthCompose([path.join(tmp('hd-compose-none-'), 'missing.yaml')], 'compose-resource-unchecked');
    expect(error).toBeUndefined();
    expect(report(app).findings.map((f: any) => [f.ruleId, f.suppressed])).toEqual([['compose-resource-unchecked', true]]);
    // The suppression travels in the resource's "//" key, where `check` of cdktf.out reads it.
    const written = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 's', 'cdk.tf.json'), 'utf8'));
    expect(written.resource.docker_compose.app['//'].hardened_docker.suppressions).toEqual([
      { ruleId: 'compose-resource-unchecked', reason: 'the pipeline checks this compose project before apply' },
    ]);

    const dir = tmp('hd-compose-files-');
    const file = path.join(dir, 'compose.yaml');
    fs.writeFileSync(file, 'services:\n  web:\n    image: nginx\n    user: "10001:10001"\n    read_only: true\n    privileged: true\n');
    const services = synthCompose([file], 'no-privileged');
    expect(services.error).toBeUndefined();
    expect(report(services.app).findings.filter((f: any) => f.ruleId === 'no-privileged').map((f: any) => f.suppressed)).toEqual([true]);
    // `check` of the synthesized stack reads the suppression from the resource's "//" key, for its service too.
    const checked = await cli(['check', services.app.outdir, '--format', 'json']);
    expect(JSON.parse(checked.stdout).findings.filter((f: any) => f.ruleId === 'no-privileged').map((f: any) => [f.address, f.suppressed]))
      .toEqual([['docker_compose.app/services/web', true]]);
  });
});
