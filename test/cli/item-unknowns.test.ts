import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli } from './helpers';

/** `check` over an HCL file: a literal failing item beside an unknown one fails the run (exit 1), whatever the unknown is. */
describe('check: a literal failing item beside unknown ones fails the run', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-items-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the reverse-proxy module: a docker.sock bind beside a mount from a variable is an error, not a warning', async () => {
    const file = path.join(dir, 'proxy.tf');
    fs.writeFileSync(file, `
variable "certs" {}

resource "docker_container" "proxy" {
  name  = "proxy"
  image = "traefik:v3.1"
  mounts {
    type   = "bind"
    source = var.certs
    target = "/certs"
  }
  mounts {
    type      = "bind"
    source    = "/var/run/docker.sock"
    target    = "/var/run/docker.sock"
    read_only = true
  }
}
`);
    const r = await cli(['check', file, '--profile', 'baseline', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    const socket = report.findings.find((f: any) => f.ruleId === 'no-docker-socket');
    expect(socket).toMatchObject({ severity: 'error', status: 'fail' });
    expect(socket.message).toContain('/var/run/docker.sock -> /var/run/docker.sock');
    // The variable's mount stays unknown elsewhere, counted by cause.
    expect(report.summary.unknownCauses).toEqual({ variable: 1 });
  });

  test('named volumes whose names are resources\' attributes leave the host-path rules decided', async () => {
    const file = path.join(dir, 'volumes.tf');
    fs.writeFileSync(file, `
resource "docker_container" "db" {
  name  = "db"
  image = "postgres:16"
  volumes {
    volume_name    = docker_volume.data.name
    container_path = "/var/lib/postgresql/data"
  }
}
`);
    const r = await cli(['check', file, '--profile', 'baseline', '--format', 'json']);
    const report = JSON.parse(r.stdout);
    const hostPathRules = ['no-docker-socket', 'no-sensitive-host-mounts', 'no-shared-mount-propagation'];
    expect(report.findings.filter((f: any) => hostPathRules.includes(f.ruleId))).toEqual([]);
    expect(report.summary.unknownCauses).toEqual({ 'after-apply': 1 });
  });
});
