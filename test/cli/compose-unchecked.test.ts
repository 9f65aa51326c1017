import * as fs from 'fs';
import * as path from 'path';
import { cli, hardenedBody, tempDir } from './helpers';

/** The stderr lines that name a docker_compose resource as not checked. */
function composeWarnings(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.includes('docker_compose') && l.includes('not checked'));
}

describe('docker_compose resources are named as not checked', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  test('Terraform JSON: one warning per docker_compose resource, the containers still checked', async () => {
    const file = path.join(dir, 'main.tf.json');
    fs.writeFileSync(file, JSON.stringify({
      resource: {
        docker_container: { web: hardenedBody('web') },
        docker_compose: { stack: { project_name: 'shop', config_paths: ['compose.yaml'] }, tools: { project_name: 'tools' } },
      },
    }, null, 2));
    const r = await cli(['check', file, '--format', 'json']);
    expect(composeWarnings(r.stderr)).toEqual([
      expect.stringMatching(/^hardened-docker: .*main\.tf\.json: warning: docker_compose\.stack: .*4\.3\.0.*not checked$/),
      expect.stringMatching(/docker_compose\.tools:/),
    ]);
    expect(JSON.parse(r.stdout).summary.resources).toBe(1);
  });

  test('HCL: the warning gives the line of the resource block', async () => {
    fs.writeFileSync(path.join(dir, 'main.tf'), [
      'resource "docker_container" "web" {',
      '  name  = "web"',
      '  image = "busybox"',
      '}',
      '',
      'resource "docker_compose" "shop" {',
      '  project_name = "shop"',
      '}',
      '',
    ].join('\n'));
    const r = await cli(['check', dir, '--format', 'json']);
    expect(composeWarnings(r.stderr)).toEqual([expect.stringMatching(/main\.tf:6: warning: docker_compose\.shop: /)]);
  });

  test('plan JSON: by full address, a planned deletion is not warned about', async () => {
    const file = path.join(dir, 'plan.json');
    fs.writeFileSync(file, JSON.stringify({
      format_version: '1.2',
      planned_values: { root_module: { resources: [] } },
      resource_changes: [
        { address: 'module.app.docker_compose.shop', mode: 'managed', type: 'docker_compose', name: 'shop', change: { actions: ['create'], after: {} } },
        { address: 'docker_compose.old', mode: 'managed', type: 'docker_compose', name: 'old', change: { actions: ['delete'], after: null } },
      ],
    }));
    const r = await cli(['check', file, '--format', 'json']);
    expect(composeWarnings(r.stderr)).toEqual([expect.stringMatching(/plan\.json: warning: module\.app\.docker_compose\.shop: /)]);
  });

  test('without docker_compose, no such warning', async () => {
    const file = path.join(dir, 'main.tf.json');
    fs.writeFileSync(file, JSON.stringify({ resource: { docker_container: { web: hardenedBody('web') } } }));
    const r = await cli(['check', file]);
    expect(composeWarnings(r.stderr)).toEqual([]);
  });
});
