import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Container } from '@cdktf/provider-docker/lib/container';
import { Network } from '@cdktf/provider-docker/lib/network';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { App, TerraformLocal, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { DockerSecurityChecks } from '../../src/checks/docker-security-checks';
import { Profile } from '../../src/profiles/profile';
import { builtinRule } from '../../src/rules/catalog';
import * as resources from '../../src/spec/terraform/resources';

/**
 * Synth reads what `hardened-docker check cdktf.out` reads: a stack's locals and the literal attributes of its own
 * resources are decided at synth as check decides them; what only Terraform knows stays unknown.
 */

const IMAGE = `nginx@sha256:${'a'.repeat(64)}`;
const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

function newStack(): { app: App; stack: TerraformStack } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-stackrefs-'));
  tmpDirs.push(outdir);
  const app = Testing.app({ outdir });
  const stack = new TerraformStack(app, 's');
  new DockerProvider(stack, 'docker');
  return { app, stack };
}

/** Checks of the given rules only (the others would judge a raw container too). */
function checkOnly(app: App, ...ids: string[]): void {
  const rules = ids.map((id) => builtinRule(id)!);
  DockerSecurityChecks.applyTo(app, { printReport: false, profile: new Profile('refs', rules) });
}

function findings(app: App): any[] {
  return JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 's', 'hardened-docker-report.json'), 'utf8')).findings;
}

describe('synth decides what the stack itself holds', () => {
  test('a TerraformLocal holding "host" as network_mode fails synth with no-host-network, naming the construct', () => {
    const { app, stack } = newStack();
    const mode = new TerraformLocal(stack, 'mode', 'host');
    new Container(stack, 'web', { name: 'web', image: IMAGE, networkMode: mode.asString });
    checkOnly(app, 'no-host-network');
    expect(() => app.synth()).toThrow(/\[s\/web\] no-host-network/);
  });

  test('a chain of locals and a number keep their value and type', () => {
    const { app, stack } = newStack();
    const base = new TerraformLocal(stack, 'base', 'host');
    const mode = new TerraformLocal(stack, 'mode', base.asString);
    const memory = new TerraformLocal(stack, 'memory', 256);
    new Container(stack, 'web', { name: 'web', image: IMAGE, networkMode: mode.asString, memory: memory.asNumber });
    checkOnly(app, 'no-host-network', 'memory-limit');
    expect(() => app.synth()).toThrow(/no-host-network/);
    expect(findings(app).map((f) => [f.ruleId, f.status])).toEqual([['no-host-network', 'fail']]);
  });

  test('a container on a network named by the network\'s name attribute passes no-host-network', () => {
    const { app, stack } = newStack();
    const backend = new Network(stack, 'backnet', { name: 'backend' });
    new Container(stack, 'web', { name: 'web', image: IMAGE, networkMode: backend.name });
    new Container(stack, 'api', { name: 'api', image: IMAGE, networksAdvanced: [{ name: backend.name }] });
    checkOnly(app, 'no-host-network');
    app.synth();
    expect(findings(app)).toEqual([]);
  });

  test('a network named "host" by a literal attribute is found', () => {
    const { app, stack } = newStack();
    const host = new Network(stack, 'hostnet', { name: 'host' });
    new Container(stack, 'web', { name: 'web', image: IMAGE, networksAdvanced: [{ name: host.name }] });
    checkOnly(app, 'no-host-network');
    expect(() => app.synth()).toThrow(/\[s\/web\] no-host-network/);
  });

  test('an attribute the resource does not set (id) stays unknown, a warning', () => {
    const { app, stack } = newStack();
    const backend = new Network(stack, 'backnet', { name: 'backend' });
    new Container(stack, 'web', { name: 'web', image: IMAGE, networkMode: backend.id });
    checkOnly(app, 'no-host-network');
    app.synth();
    expect(findings(app).map((f) => [f.ruleId, f.status, f.severity])).toEqual([['no-host-network', 'unknown', 'warning']]);
  });

  test('a variable stays unknown, even with a default: its value comes at plan time', () => {
    const { app, stack } = newStack();
    const mode = new TerraformVariable(stack, 'mode', { type: 'string', default: 'bridge' });
    new Container(stack, 'web', { name: 'web', image: IMAGE, networkMode: mode.stringValue });
    checkOnly(app, 'no-host-network');
    app.synth();
    expect(findings(app).map((f) => [f.ruleId, f.status])).toEqual([['no-host-network', 'unknown']]);
  });

  test('a stack without expressions reads the bodies cdktf wrote, the same objects', () => {
    const { app, stack } = newStack();
    new Volume(stack, 'data', { name: 'data' });
    new Container(stack, 'web', { name: 'web', image: IMAGE, networkMode: 'bridge' });
    new Container(stack, 'api', { name: 'api', image: IMAGE, volumes: [{ volumeName: 'data', containerPath: '/data' }] });
    checkOnly(app, 'no-host-network');
    const checkStack = jest.spyOn(DockerSecurityChecks.prototype, '_checkStack');
    const read = jest.spyOn(resources, 'specFromResource');
    try {
      app.synth();
      const json = checkStack.mock.calls[0][1];
      const bodies = read.mock.calls.map(([ref]) => ref.body);
      expect(bodies).toHaveLength(2);
      expect(bodies[0]).toBe(json.resource.docker_container.web);
      expect(bodies[1]).toBe(json.resource.docker_container.api);
    } finally {
      checkStack.mockRestore();
      read.mockRestore();
    }
  });

  test('a body with a resolved reference is read as a copy; the stack\'s JSON keeps the template', () => {
    const { app, stack } = newStack();
    const mode = new TerraformLocal(stack, 'mode', 'bridge');
    new Container(stack, 'web', { name: 'web', image: IMAGE, networkMode: mode.asString });
    checkOnly(app, 'no-host-network');
    const checkStack = jest.spyOn(DockerSecurityChecks.prototype, '_checkStack');
    const read = jest.spyOn(resources, 'specFromResource');
    try {
      app.synth();
      const json = checkStack.mock.calls[0][1];
      const [ref] = read.mock.calls[0];
      expect(ref.body).not.toBe(json.resource.docker_container.web);
      expect(ref.body.network_mode).toBe('bridge');
      expect(json.resource.docker_container.web.network_mode).toBe('${local.mode}');
    } finally {
      checkStack.mockRestore();
      read.mockRestore();
    }
  });
});
