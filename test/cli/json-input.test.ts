import * as fs from 'fs';
import * as path from 'path';
import { cli, tempDir } from './helpers';

/** `check` of Terraform JSON written the ways Terraform reads and refuses (repeated keys, errors with positions). */
describe('check reads Terraform JSON as Terraform does', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('hd-json-')));
  afterEach(() => cleanup());

  const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);

  test('a privileged container and a docker.sock bind written under repeated keys are found (exit 1)', async () => {
    write('main.tf.json', `{
  "resource": {"docker_container": {"evil": {"image": "nginx:1.25", "privileged": true}}},
  "resource": {"docker_container": {"web": {
    "image": "nginx:1.25",
    "volumes": {"host_path": "/srv", "container_path": "/srv"},
    "volumes": {"host_path": "/var/run/docker.sock", "container_path": "/var/run/docker.sock"}
  }}}
}`);
    const r = await cli(['check', 'main.tf.json', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const failed = JSON.parse(r.stdout).findings.filter((f: any) => f.status === 'fail' && f.severity === 'error').map((f: any) => `${f.address} ${f.ruleId}`);
    expect(failed).toEqual(expect.arrayContaining(['docker_container.evil no-privileged', 'docker_container.web no-docker-socket']));
  });

  test.each([
    ['a repeated argument', '{"resource": {"docker_container": {"web": {\n  "image": "x",\n  "privileged": false,\n  "privileged": true\n}}}}',
      /^hardened-docker: main\.tf\.json:4:3: Duplicate argument "privileged" in docker_container\.web: it was already set at 3:3; /],
    ['truncated JSON', '{"resource": {"docker_container": {"web": {"privileged": tru',
      /^hardened-docker: main\.tf\.json:1:61: malformed JSON: unexpected end of input/],
    ['nesting 100,000 deep', '['.repeat(100_000) + ']'.repeat(100_000),
      /^hardened-docker: main\.tf\.json:1:1001: JSON nested deeper than 1000 arrays and objects/],
    ['memory 1e400', '{"resource": {"docker_container": {"web": {"image": "x", "memory": 1e400}}}}',
      /^hardened-docker: main\.tf\.json:1:68: number "1e400" is out of range/],
  ])('%s: exit 2, one line with the position', async (_what, text, message) => {
    write('main.tf.json', text);
    const r = await cli(['check', 'main.tf.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.length).toBeLessThan(400);
  });

  test.each([
    ['a read attribute', (deep: string) => `{"resource": {"docker_container": {"web": {"image": "x", "security_opts": ${deep}}}}}`],
    ['an attribute not read', (deep: string) => `{"resource": {"docker_container": {"web": {"image": "x", "env": ${deep}}}}}`],
    ['a plan\'s after_unknown', (deep: string) => JSON.stringify({
      format_version: '1.2',
      resource_changes: [{
        address: 'docker_container.web',
        mode: 'managed',
        type: 'docker_container',
        name: 'web',
        change: { actions: ['create'], after: { name: 'web', image: 'x' }, after_unknown: { upload: '@' } },
      }],
    }).replace('"@"', deep)],
  ])('nesting at the limit in %s: the run ends with one line or a report, never a stack overflow', async (_what, make) => {
    // 1,000 levels in all: the document's own levels, then lists down to the limit.
    const before = make('X').split('X')[0].split('');
    const outer = before.filter((c) => c === '{' || c === '[').length - before.filter((c) => c === '}' || c === ']').length;
    const depth = 1000 - outer;
    write('main.tf.json', make('['.repeat(depth) + ']'.repeat(depth)));
    const r = await cli(['check', 'main.tf.json', '--format', 'json'], { cwd: dir });
    expect(r.stderr).not.toMatch(/stack|internal error/i);
    expect([0, 1, 2]).toContain(r.code);
    if (r.code === 2) expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    write('main.tf.json', make('['.repeat(depth + 1) + ']'.repeat(depth + 1)));
    const over = await cli(['check', 'main.tf.json'], { cwd: dir });
    expect(over.code).toBe(2);
    expect(over.stderr).toMatch(/^hardened-docker: main\.tf\.json:\d+:\d+: JSON nested deeper than 1000 arrays and objects/);
  });

  test('a plan with resource_changes and no planned_values is checked (it read as empty before)', async () => {
    write('plan.json', JSON.stringify({
      format_version: '1.2',
      terraform_version: '1.9.8',
      resource_changes: [{
        address: 'module.app.docker_container.web[0]',
        module_address: 'module.app',
        mode: 'managed',
        type: 'docker_container',
        name: 'web',
        index: 0,
        provider_name: 'registry.terraform.io/kreuzwerker/docker',
        change: { actions: ['create'], before: null, after: { name: 'web', image: 'nginx:1.25', privileged: true, user: null }, after_unknown: { user: true } },
      }],
    }));
    const r = await cli(['check', 'plan.json', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout).findings;
    expect(findings).toEqual(expect.arrayContaining([
      expect.objectContaining({ address: 'module.app.docker_container.web[0]', ruleId: 'no-privileged', status: 'fail' }),
      expect.objectContaining({ address: 'module.app.docker_container.web[0]', ruleId: 'non-root-user', status: 'unknown' }),
    ]));
  });
});
