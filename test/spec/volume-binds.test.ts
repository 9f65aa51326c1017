/**
 * A `volume` mount of the local driver with `o = "bind"` binds its `device`, a host path: the Terraform reader reads
 * it as the bind it is, so a sensitive host path behind it is flagged (it passed as a named volume).
 */
import { cleanupProjects, web } from './compose/helpers';
import { builtinRule } from '../../src/rules/catalog';
import { RuleStatus } from '../../src/rules/rule';
import { specFromServiceInspect } from '../../src/spec/engine-adapter';
import { specsFromHcl } from '../../src/spec/hcl-adapter';
import { specsFromTerraformJson } from '../../src/spec/terraform-adapter';

const sensitive = builtinRule('no-sensitive-host-mounts')!;
const socket = builtinRule('no-docker-socket')!;

function containerWithMount(mount: object) {
  const [spec] = specsFromTerraformJson({ resource: { docker_container: { web: { name: 'web', image: 'nginx', mounts: [mount] } } } });
  return spec;
}

const volume = (volumeOptions?: object) => ({ type: 'volume', target: '/host', source: 'data', ...(volumeOptions ? { volume_options: volumeOptions } : {}) });

describe('mounts { type = "volume", volume_options { driver_options } }', () => {
  test('o=bind with a device: a bind of that host path', () => {
    const spec = containerWithMount(volume({ driver_name: 'local', driver_options: { type: 'none', o: 'bind', device: '/etc' } }));
    expect(spec.mounts).toEqual([expect.objectContaining({ type: 'bind', source: '/etc', target: '/host' })]);
    expect(sensitive.check(spec)).toMatchObject({ status: RuleStatus.FAIL, message: expect.stringMatching(/\/etc -> \/host/) });
  });

  test('the driver name left to its default, o among other options; the socket directory', () => {
    const spec = containerWithMount(volume({ driver_options: { o: 'rbind,ro', device: '/run' } }));
    expect(spec.mounts?.[0]).toMatchObject({ type: 'bind', source: '/run' });
    expect(socket.check(spec).status).toBe(RuleStatus.FAIL);
  });

  test('options only known after apply: the host path is unknown, never a pass', () => {
    for (const options of [{ driver_options: '${var.opts}' }, { driver_options: { o: 'bind', device: '${var.dir}' } }, { driver_options: { o: '${var.o}', device: '/etc' } }]) {
      const spec = containerWithMount(volume(options));
      expect(spec.mounts?.[0]).toMatchObject({ type: 'bind', source: undefined, unknown: ['source'] });
      expect(sensitive.check(spec).status).toBe(RuleStatus.UNKNOWN);
    }
  });

  test('an ordinary volume, a plugin driver, options without bind: a volume, as before', () => {
    for (const options of [undefined, { driver_name: 'rexray/ebs', driver_options: { o: 'bind', device: '/etc' } }, { driver_options: { type: 'nfs', o: 'addr=10.0.0.1', device: ':/export' } }]) {
      const spec = containerWithMount(volume(options));
      expect(spec.mounts?.[0]).toMatchObject({ type: 'volume', source: 'data' });
      expect(sensitive.check(spec).status).toBe(RuleStatus.PASS);
    }
  });

  test('HCL, and a docker_service\'s container_spec mounts', async () => {
    const specs = await specsFromHcl([
      'resource "docker_container" "web" {',
      '  name  = "web"',
      '  image = "nginx"',
      '  mounts {',
      '    type   = "volume"',
      '    target = "/host"',
      '    source = "rootfs"',
      '    volume_options {',
      '      driver_options = {',
      '        type   = "none"',
      '        o      = "bind"',
      '        device = "/"',
      '      }',
      '    }',
      '  }',
      '}',
      'resource "docker_service" "svc" {',
      '  name = "svc"',
      '  task_spec {',
      '    container_spec {',
      '      image = "nginx"',
      '      mounts {',
      '        type   = "volume"',
      '        target = "/host"',
      '        volume_options {',
      '          driver_name    = "local"',
      '          driver_options = { o = "bind", device = "/var/lib/docker" }',
      '        }',
      '      }',
      '    }',
      '  }',
      '}',
    ].join('\n'), 'main.tf');
    expect(specs.map((s) => [s.address, s.mounts?.[0].type, s.mounts?.[0].source, sensitive.check(s).status])).toEqual([
      ['docker_container.web', 'bind', '/', RuleStatus.FAIL],
      ['docker_service.svc', 'bind', '/var/lib/docker', RuleStatus.FAIL],
    ]);
  });
});

describe('compose: a named volume whose o is rbind binds its device too', () => {
  afterEach(() => cleanupProjects());
  test('top-level volumes: driver_opts o: rbind', () => {
    const spec = web('services:\n  web:\n    image: nginx\n    volumes: ["root:/host"]\nvolumes:\n  root:\n    driver_opts: { type: none, o: rbind, device: / }\n');
    expect(spec.mounts?.[0]).toMatchObject({ type: 'bind', source: '/' });
    expect(sensitive.check(spec).status).toBe(RuleStatus.FAIL);
  });
});

test('a Swarm service\'s volume mount whose local driver options bind a host path is that bind (engine)', () => {
  const svc = (options: object) => specFromServiceInspect({
    ID: 's',
    Spec: {
      Name: 'svc',
      TaskTemplate: { ContainerSpec: { Image: 'nginx', Mounts: [{ Type: 'volume', Source: 'rootfs', Target: '/host', VolumeOptions: { DriverConfig: options } }] } },
    },
  });
  expect(svc({ Name: 'local', Options: { type: 'none', o: 'bind', device: '/' } }).mounts?.[0]).toMatchObject({ type: 'bind', source: '/' });
  expect(sensitive.check(svc({ Options: { o: 'bind', device: '/etc' } })).status).toBe(RuleStatus.FAIL);
  expect(sensitive.check(svc({ Name: 'local', Options: { type: 'tmpfs', device: 'tmpfs' } })).status).toBe(RuleStatus.PASS);
});
