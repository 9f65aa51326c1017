/**
 * A docker_volume of the local driver with `o = "bind"` and a `device` binds that host path into every container that
 * mounts it: `check` reads such a mount as the bind it is, from HCL, Terraform JSON (as written and evaluated) and a
 * plan.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cli, tempDir } from './helpers';
import { withVolumeBinds } from '../../src/spec/volume-binds';
import { container } from '../rules/specs';

const ROOT_VOLUME = { name: 'rootfs', driver: 'local', driver_opts: { type: 'none', o: 'bind', device: '/' } };

async function mountFindings(target: string, cwd: string): Promise<string[]> {
  const report = JSON.parse((await cli(['check', target, '--format', 'json'], { cwd })).stdout);
  return report.findings.filter((f: any) => /mount|socket/.test(f.ruleId)).map((f: any) => `${f.address} ${f.ruleId} ${f.status}`);
}

describe('a container mounting a docker_volume that binds a host path', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  test('HCL: volumes { volume_name = docker_volume.root.name }', async () => {
    fs.writeFileSync(path.join(dir, 'main.tf'), [
      'resource "docker_volume" "root" {',
      '  name        = "rootfs"',
      '  driver_opts = { type = "none", o = "bind", device = "/" }',
      '}',
      'resource "docker_volume" "plain" {',
      '  name = "plain"',
      '}',
      'resource "docker_container" "web" {',
      '  name  = "web"',
      '  image = "nginx"',
      '  volumes {',
      '    volume_name    = docker_volume.root.name',
      '    container_path = "/host"',
      '  }',
      '}',
      'resource "docker_container" "ok" {',
      '  name  = "ok"',
      '  image = "nginx"',
      '  volumes {',
      '    volume_name    = docker_volume.plain.name',
      '    container_path = "/data"',
      '  }',
      '}',
      '',
    ].join('\n'));
    expect(await mountFindings(dir, dir)).toEqual(['docker_container.web no-sensitive-host-mounts fail']);
  });

  test('Terraform JSON as written (literal names) and as cdktf writes it (a reference)', async () => {
    const literal = path.join(dir, 'literal.tf.json');
    fs.writeFileSync(literal, JSON.stringify({
      resource: {
        docker_volume: { root: ROOT_VOLUME },
        docker_container: { web: { name: 'web', image: 'nginx', mounts: [{ type: 'volume', source: 'rootfs', target: '/host', read_only: true }] } },
      },
    }));
    expect(await mountFindings(literal, dir)).toEqual(['docker_container.web no-sensitive-host-mounts-read-only fail']);

    const referenced = path.join(dir, 'cdk.tf.json');
    fs.writeFileSync(referenced, JSON.stringify({
      resource: {
        docker_volume: { root: ROOT_VOLUME },
        docker_container: { web: { name: 'web', image: 'nginx', volumes: [{ volume_name: '${docker_volume.root.name}', container_path: '/host' }] } },
      },
    }));
    expect(await mountFindings(referenced, dir)).toEqual(['docker_container.web no-sensitive-host-mounts fail']);
  });

  test('plan JSON: the planned volume; options only known after apply make the host path unknown', async () => {
    const change = (type: string, name: string, after: object, afterUnknown: object = {}) => ({
      address: `${type}.${name}`, mode: 'managed', type, name, change: { actions: ['create'], after, after_unknown: afterUnknown },
    });
    const plan = (volume: object, afterUnknown: object = {}) => JSON.stringify({
      format_version: '1.2',
      resource_changes: [
        change('docker_volume', 'root', volume, afterUnknown),
        change('docker_container', 'web', { name: 'web', image: 'nginx', volumes: [{ volume_name: 'rootfs', container_path: '/host' }] }),
      ],
    });
    const file = path.join(dir, 'plan.json');
    fs.writeFileSync(file, plan(ROOT_VOLUME));
    expect(await mountFindings(file, dir)).toEqual(['docker_container.web no-sensitive-host-mounts fail']);
    fs.writeFileSync(file, plan({ name: 'rootfs', driver: 'local' }, { driver_opts: true }));
    expect((await mountFindings(file, dir)).sort()).toEqual([
      'docker_container.web no-docker-socket unknown', 'docker_container.web no-sensitive-host-mounts unknown', 'docker_container.web no-sensitive-host-mounts-read-only unknown',
    ]);
  });
});

test('a volume mount whose name is not known may be a binding volume: its host path is unknown', () => {
  const spec = container({ mounts: [{ type: 'volume', target: '/data', unknown: ['source'] }], unknown: ['mounts'], listedInFull: ['mounts'] });
  expect(withVolumeBinds(spec, [{ address: 'docker_volume.root', name: 'rootfs', device: '/' }]).mounts)
    .toEqual([{ type: 'bind', target: '/data', source: undefined, unknown: ['source'] }]);
  // Without any binding volume, a volume stays a volume.
  expect(withVolumeBinds(spec, [])).toBe(spec);
});
