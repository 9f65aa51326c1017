import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { App, TerraformStack, Testing } from 'cdktf';
import * as fc from 'fast-check';
import { DockerSecurityChecks } from '../../src/checks/docker-security-checks';
import { hasResourceType } from '../../src/checks/stack-specs';
import { loadInputs } from '../../src/cli/inputs';
import { Profile } from '../../src/profiles/profile';
import { builtinRule } from '../../src/rules/catalog';
import { bodyMayJoinAnother, withJoinedContainers } from '../../src/spec/joined-containers';
import { containerSpecFromContainer } from '../../src/spec/terraform-adapter';

/**
 * Synth reads a stack's containers as `hardened-docker check cdktf.out` does: a container that joins another's
 * namespace or takes its volumes is judged with what it takes, and a named volume that binds a host path is judged
 * as that bind. Before, synth read each container alone: joining a host-network container passed synth.
 */

const IMAGE = `nginx@sha256:${'a'.repeat(64)}`;
const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

function newStack(): { app: App; stack: TerraformStack } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-stackspecs-'));
  tmpDirs.push(outdir);
  const app = Testing.app({ outdir });
  const stack = new TerraformStack(app, 's');
  new DockerProvider(stack, 'docker');
  return { app, stack };
}

function checkOnly(app: App, ...ids: string[]): void {
  DockerSecurityChecks.applyTo(app, { printReport: false, profile: new Profile('only', ids.map((id) => builtinRule(id)!)) });
}

/** The findings of `ids` that synth reported (warnings only: synth did not fail), by address. */
function synthFindings(app: App): any[] {
  return JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 's', 'hardened-docker-report.json'), 'utf8')).findings;
}

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
    expect(synthFindings(app).filter((f) => f.address === 'docker_container.sidecar')).toEqual([]);
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
    expect(synthFindings(app)).toEqual([]);
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
