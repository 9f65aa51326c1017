import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Container } from '@cdktf/provider-docker/lib/container';
import { Network } from '@cdktf/provider-docker/lib/network';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { App, TerraformLocal, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import * as fc from 'fast-check';
import { DockerSecurityChecks } from '../../src/checks/docker-security-checks';
import { hasResourceType } from '../../src/checks/stack-specs';
import { loadInputs } from '../../src/cli/inputs';
import { Profile } from '../../src/profiles/profile';
import { builtinRule } from '../../src/rules/catalog';
import { bodyMayJoinAnother, withJoinedContainers } from '../../src/spec/joined-containers';
import * as resources from '../../src/spec/terraform/resources';
import { containerSpecFromContainer } from '../../src/spec/terraform-adapter';

/**
 * Synth reads what `hardened-docker check cdktf.out` reads: a stack's locals and the literal attributes of its own
 * resources are decided at synth as check decides them; what only Terraform knows stays unknown. A container is read
 * with what it takes from others of the stack (another's namespace, its volumes, a named volume binding a host path).
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

/** What check reads of the synthesized stack, joins included (as `check` evaluates). */
async function checkedSpecs(app: App): Promise<Map<string, any>> {
  const dir = path.join(app.outdir, 'stacks', 's');
  const units = await loadInputs(['cdk.tf.json'], { cwd: dir, env: {}, problems: [] });
  return new Map(withJoinedContainers(units.flatMap((u) => u.specs)).map((s) => [s.address, s]));
}

describe('containers joining others at synth', () => {
  test('joining a container on the host network fails synth with no-host-network at the joining container', () => {
    const { app, stack } = newStack();
    const host = new Container(stack, 'agent', { name: 'agent', image: IMAGE, networkMode: 'host' });
    new Container(stack, 'sidecar', { name: 'sidecar', image: IMAGE, networkMode: `container:${host.name}` });
    checkOnly(app, 'no-host-network');
    expect(() => app.synth()).toThrow(/\[s\/sidecar\] no-host-network/);
  });

  test('joining a container on its own network passes; the verdicts equal check\'s', async () => {
    const { app, stack } = newStack();
    const other = new Container(stack, 'app', { name: 'app', image: IMAGE });
    new Container(stack, 'sidecar', { name: 'sidecar', image: IMAGE, networkMode: `container:${other.name}`, pidMode: `container:${other.id}` });
    checkOnly(app, 'no-host-network', 'no-host-pid');
    app.synth();
    expect(findings(app).filter((f) => f.address === 'docker_container.sidecar')).toEqual([]);
    const checked = await checkedSpecs(app);
    // check evaluates the name; synth resolves the same container by the reference: both pass, neither is unknown.
    expect(checked.get('docker_container.sidecar').networkMode).toBe('container:app');
    expect(checked.get('docker_container.sidecar').unknown ?? []).not.toContain('networkMode');
  });

  test('taking the volumes of a container that binds the Docker socket fails no-docker-socket at the taker', () => {
    const { app, stack } = newStack();
    const holder = new Container(stack, 'holder', {
      name: 'holder', image: IMAGE, volumes: [{ hostPath: '/var/run/docker.sock', containerPath: '/var/run/docker.sock' }],
    });
    new Container(stack, 'taker', { name: 'taker', image: IMAGE, volumes: [{ fromContainer: holder.name }] });
    checkOnly(app, 'no-docker-socket');
    expect(() => app.synth()).toThrow(/\[s\/taker\] no-docker-socket/);
  });
});

describe('named volumes that bind a host path, at synth', () => {
  test('a docker_volume binding /etc, mounted by name, fails no-sensitive-host-mounts as the bind it is, as check reads it', async () => {
    const { app, stack } = newStack();
    const etc = new Volume(stack, 'etc', { name: 'etc-vol', driver: 'local', driverOpts: { type: 'none', o: 'bind', device: '/etc' } });
    new Container(stack, 'web', { name: 'web', image: IMAGE, volumes: [{ volumeName: etc.name, containerPath: '/host-etc' }] });
    checkOnly(app, 'no-sensitive-host-mounts');
    expect(() => app.synth()).toThrow(/\[s\/web\] no-sensitive-host-mounts/);
  });

  test('a plain named volume stays a volume (no finding); docker_volume resources are found in either JSON form', () => {
    const { app, stack } = newStack();
    const data = new Volume(stack, 'data', { name: 'data' });
    new Container(stack, 'web', { name: 'web', image: IMAGE, volumes: [{ volumeName: data.name, containerPath: '/data' }] });
    checkOnly(app, 'no-sensitive-host-mounts', 'no-docker-socket');
    app.synth();
    expect(findings(app)).toEqual([]);
    expect(hasResourceType({ resource: { docker_container: {} } }, 'docker_volume')).toBe(false);
    expect(hasResourceType({ resource: [{ docker_container: {} }, { docker_volume: { v: {} } }] }, 'docker_volume')).toBe(true);
  });
});

describe('bodyMayJoinAnother: true whenever the spec read from the body joins another container', () => {
  const mode = fc.oneof(fc.constantFrom(undefined, 'host', 'bridge', 'none', 'container:web', ' container:web ', 'CONTAINER:web',
    'container:${docker_container.web.id}', '${var.mode}', 'service:web'), fc.string({ maxLength: 12 }));
  const volume = fc.oneof(
    fc.record({ container_path: fc.constant('/d'), volume_name: fc.constant('v') }),
    fc.record({ container_path: fc.constant('/d'), host_path: fc.constant('/srv') }),
    fc.record({ from_container: fc.constantFrom('web', '${docker_container.web.name}') }),
  );
  test('random container bodies', () => {
    const web = containerSpecFromContainer('web', { name: 'web', image: 'x', network_mode: 'host', pid_mode: 'host', ipc_mode: 'host' });
    fc.assert(fc.property(mode, mode, mode, fc.array(volume, { maxLength: 3 }), (net, pid, ipc, volumes) => {
      const body: any = { name: 'other', image: 'x', network_mode: net, pid_mode: pid, ipc_mode: ipc, volumes };
      for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
      let spec;
      try {
        spec = containerSpecFromContainer('other', body);
      } catch {
        return; // a body the adapter refuses is refused at synth before any join
      }
      const [after] = withJoinedContainers([spec, web]);
      if (!bodyMayJoinAnother(body)) expect(after).toBe(spec);
    }), { numRuns: 1000 });
  });
});
