/**
 * A container that joins another's namespace (`network_mode = "container:..."`) or takes its mounts
 * (`volumes { from_container }`) is judged with what it takes: the host's namespace, a sensitive bind. A container
 * outside the configuration is unknown, never a pass.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cli, tempDir } from './helpers';
import { loadDeclared } from '../../src/drift/declared';
import { withJoinedContainers } from '../../src/spec/joined-containers';
import { container } from '../rules/specs';

const RULES = ['no-host-network', 'no-host-pid', 'no-host-ipc', 'no-sensitive-host-mounts', 'no-sensitive-host-mounts-read-only'];

async function findings(target: string, cwd: string): Promise<string[]> {
  const report = JSON.parse((await cli(['check', target, '--format', 'json'], { cwd })).stdout);
  return report.findings.filter((f: any) => RULES.includes(f.ruleId)).map((f: any) => `${f.address} ${f.ruleId} ${f.status}`).sort();
}

describe('check follows what a container takes from another', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  test('inside a module, a reference names that module\'s container (module.a.docker_container.x), not a root one', async () => {
    fs.mkdirSync(path.join(dir, 'agent'));
    fs.writeFileSync(path.join(dir, 'agent', 'main.tf'), [
      'resource "docker_container" "sleeper" {',
      '  name         = "sleeper"',
      '  image        = "nginx"',
      '  network_mode = "host"',
      '}',
      'resource "docker_container" "server" {',
      '  name         = "server"',
      '  image        = "nginx"',
      '  network_mode = "container:${docker_container.sleeper.id}"',
      '}',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'main.tf'), [
      'module "a" {',
      '  source = "./agent"',
      '}',
      'resource "docker_container" "sleeper" {',
      '  name  = "root-sleeper"',
      '  image = "nginx"',
      '}',
    ].join('\n'));
    expect((await findings('.', dir)).filter((f) => f.includes('no-host-network'))).toEqual([
      'module.a.docker_container.server no-host-network fail',
      'module.a.docker_container.sleeper no-host-network fail',
    ]);
  });

  test('HCL: the host\'s namespaces through container:, a sensitive bind through from_container, an outside container unknown', async () => {
    fs.writeFileSync(path.join(dir, 'main.tf'), [
      'resource "docker_container" "host" {',
      '  name         = "host"',
      '  image        = "nginx"',
      '  network_mode = "host"',
      '  pid_mode     = "host"',
      '}',
      'resource "docker_container" "joins" {',
      '  name         = "joins"',
      '  image        = "nginx"',
      '  network_mode = "container:${docker_container.host.id}"',
      '  pid_mode     = "container:${docker_container.host.name}"',
      '}',
      'resource "docker_container" "chained" {',
      '  name     = "chained"',
      '  image    = "nginx"',
      '  pid_mode = "container:${docker_container.joins.id}"',
      '}',
      'resource "docker_container" "private" {',
      '  name  = "private"',
      '  image = "nginx"',
      '}',
      'resource "docker_container" "beside" {',
      '  name         = "beside"',
      '  image        = "nginx"',
      '  network_mode = "container:${docker_container.private.id}"',
      '}',
      'resource "docker_container" "outside" {',
      '  name     = "outside"',
      '  image    = "nginx"',
      '  ipc_mode = "container:some-other-stack"',
      '}',
      'resource "docker_container" "etc" {',
      '  name  = "etc"',
      '  image = "nginx"',
      '  volumes {',
      '    host_path      = "/etc"',
      '    container_path = "/etc2"',
      '  }',
      '}',
      'resource "docker_container" "takes" {',
      '  name  = "takes"',
      '  image = "nginx"',
      '  volumes {',
      '    from_container = docker_container.etc.name',
      '    read_only      = true',
      '  }',
      '}',
      '',
    ].join('\n'));
    expect(await findings(dir, dir)).toEqual([
      'docker_container.chained no-host-pid fail',
      'docker_container.etc no-sensitive-host-mounts fail',
      'docker_container.host no-host-network fail',
      'docker_container.host no-host-pid fail',
      'docker_container.joins no-host-network fail',
      'docker_container.joins no-host-pid fail',
      'docker_container.outside no-host-ipc unknown',
      'docker_container.takes no-sensitive-host-mounts-read-only fail',
    ]);
  });

  test('audit --against compares the declaration as written (the engine shows container:<id> too)', async () => {
    const file = path.join(dir, 'main.tf.json');
    fs.writeFileSync(file, JSON.stringify({
      resource: {
        docker_container: {
          host: { name: 'host', image: 'nginx', ipc_mode: 'host' },
          joins: { name: 'joins', image: 'nginx', ipc_mode: 'container:host' },
        },
      },
    }));
    const declared = await loadDeclared([file], dir);
    expect(declared.find((s) => s.name === 'joins')?.ipcMode).toBe('container:host');
  });

  test('Terraform JSON as written, with literal names', async () => {
    const file = path.join(dir, 'main.tf.json');
    fs.writeFileSync(file, JSON.stringify({
      resource: {
        docker_container: {
          host: { name: 'host', image: 'nginx', ipc_mode: 'host' },
          joins: { name: 'joins', image: 'nginx', ipc_mode: 'container:host' },
        },
      },
    }));
    expect(await findings(file, dir)).toEqual(['docker_container.host no-host-ipc fail', 'docker_container.joins no-host-ipc fail']);
  });
});

describe('withJoinedContainers', () => {
  test('a cycle, and a from_container outside the specs, are unknown', () => {
    const a = { ...container({ name: 'a', networkMode: 'container:b' }), address: 'docker_container.a' };
    const b = { ...container({ name: 'b', networkMode: 'container:a' }), address: 'docker_container.b' };
    const c = { ...container({ name: 'c', mounts: [{ type: 'volumes-from', source: 'elsewhere', target: '' }] }), address: 'docker_container.c' };
    const [ra, , rc] = withJoinedContainers([a, b, c]);
    expect(ra).toMatchObject({ networkMode: undefined, unknown: ['networkMode'] });
    expect(rc.mounts).toEqual([{ type: 'bind', source: undefined, target: '', readOnly: undefined, unknown: ['source', 'target'] }]);
    expect(rc).toMatchObject({ unknown: ['mounts'], listedInFull: ['mounts'] });
  });

  test('specs that join nothing are returned as they are', () => {
    const plain = container({ networkMode: 'bridge' });
    expect(withJoinedContainers([plain])[0]).toBe(plain);
  });
});
