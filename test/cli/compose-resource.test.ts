import * as fs from 'fs';
import * as path from 'path';
import { cli, hardenedBody, tempDir } from './helpers';
import { loadDeclared } from '../../src/drift/declared';

/** A compose file with one privileged service and one service under the `debug` profile. */
const COMPOSE = [
  'services:',
  '  web:',
  '    image: nginx',
  '    privileged: true',
  '  debug:',
  '    image: busybox',
  '    profiles: [debug]',
  '    pid: host',
  '',
].join('\n');

/** The findings of a JSON report, as `address rule-id` lines. */
function findingKeys(stdout: string): string[] {
  return JSON.parse(stdout).findings.map((f: any) => `${f.address} ${f.ruleId}`);
}

describe('docker_compose resources: their compose files are read with the compose reader', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  test('HCL: config_paths with path.module; each service a spec under the resource, located in the compose file', async () => {
    fs.writeFileSync(path.join(dir, 'compose.yaml'), COMPOSE);
    fs.writeFileSync(path.join(dir, 'main.tf'), [
      'resource "docker_compose" "app" {',
      '  project_name = "shop"',
      '  config_paths = ["${path.module}/compose.yaml"]',
      '}',
      '',
    ].join('\n'));
    const r = await cli(['check', dir, '--format', 'json'], { cwd: dir });
    const keys = findingKeys(r.stdout);
    expect(keys).toContain('docker_compose.app/services/web no-privileged');
    // No profiles attribute: a service with profiles may be started (COMPOSE_PROFILES), so it is checked too.
    expect(keys).toContain('docker_compose.app/services/debug no-host-pid');
    // The compose file the resource reads is not reported a second time as a project of its own.
    expect(keys.filter((k) => k.startsWith('services.'))).toEqual([]);
    expect(r.stderr).not.toMatch(/not checked/);

    const text = await cli(['check', dir], { cwd: dir });
    expect(text.stdout).toMatch(/no-privileged \(CIS 5\.5\): privileged: true {2}compose\.yaml:4:5/);
  });

  test('profiles: only the services the resource starts are checked ("*" starts every one)', async () => {
    fs.writeFileSync(path.join(dir, 'compose.yaml'), COMPOSE);
    const tf = (profiles: string) => fs.writeFileSync(path.join(dir, 'main.tf'),
      `resource "docker_compose" "app" {\n  config_paths = ["compose.yaml"]\n  profiles = ${profiles}\n}\n`);
    tf('["frontend"]');
    let keys = findingKeys((await cli(['check', dir, '--format', 'json'], { cwd: dir })).stdout);
    expect(keys).toContain('docker_compose.app/services/web no-privileged');
    expect(keys.some((k) => k.startsWith('docker_compose.app/services/debug'))).toBe(false);
    tf('["*"]');
    keys = findingKeys((await cli(['check', dir, '--format', 'json'], { cwd: dir })).stdout);
    expect(keys).toContain('docker_compose.app/services/debug no-host-pid');
  });

  test('Terraform JSON read as written: a relative path resolves against the file\'s directory', async () => {
    fs.mkdirSync(path.join(dir, 'stack'));
    fs.writeFileSync(path.join(dir, 'stack', 'compose.yaml'), COMPOSE);
    const file = path.join(dir, 'stack', 'main.tf.json');
    fs.writeFileSync(file, JSON.stringify({
      resource: {
        docker_container: { api: hardenedBody('api') },
        docker_compose: { app: { config_paths: ['compose.yaml'], profiles: ['web'] } },
      },
    }, null, 2));
    const r = await cli(['check', file, '--format', 'json'], { cwd: dir });
    const report = JSON.parse(r.stdout);
    expect(findingKeys(r.stdout)).toContain('docker_compose.app/services/web no-privileged');
    expect(report.summary.resources).toBe(2);
  });

  test('env_files (else project_directory\'s .env) give interpolation its values; one only known after apply is a finding', async () => {
    fs.mkdirSync(path.join(dir, 'app'));
    fs.writeFileSync(path.join(dir, 'app', 'compose.yaml'), 'services:\n  web:\n    image: nginx\n    privileged: ${PRIV}\n');
    fs.writeFileSync(path.join(dir, 'prod.env'), 'PRIV=true\n');
    fs.mkdirSync(path.join(dir, 'proj'));
    fs.writeFileSync(path.join(dir, 'proj', '.env'), 'PRIV=false\n');
    const tf = (attrs: string[]) => fs.writeFileSync(path.join(dir, 'main.tf'),
      ['resource "docker_compose" "app" {', '  config_paths = ["app/compose.yaml"]', ...attrs.map((a) => `  ${a}`), '}', ''].join('\n'));
    const privileged = async () => JSON.parse((await cli(['check', path.join(dir, 'main.tf'), '--format', 'json'], { cwd: dir })).stdout)
      .findings.filter((f: any) => f.ruleId === 'no-privileged' || f.ruleId === 'compose-resource-unchecked').map((f: any) => [f.ruleId, f.status]);

    // Without a value, the setting is unknown, never a pass.
    tf([]);
    expect(await privileged()).toEqual([['no-privileged', 'unknown']]);
    tf(['env_files = ["prod.env"]']);
    expect(await privileged()).toEqual([['no-privileged', 'fail']]);
    tf(['project_directory = "proj"']);
    expect(await privileged()).toEqual([]);
    tf(['env_files = [docker_container.x.id]']);
    expect(await privileged()).toEqual([['compose-resource-unchecked', 'fail']]);
  });

  test('a variable given on the command line names the file', async () => {
    fs.writeFileSync(path.join(dir, 'other.yaml'), COMPOSE);
    fs.writeFileSync(path.join(dir, 'main.tf'), [
      'variable "compose_file" {',
      '  type = string',
      '}',
      'resource "docker_compose" "app" {',
      '  config_paths = [var.compose_file]',
      '  profiles     = []',
      '}',
      '',
    ].join('\n'));
    const r = await cli(['check', path.join(dir, 'main.tf'), '--var', 'compose_file=other.yaml', '--format', 'json'], { cwd: dir });
    expect(findingKeys(r.stdout)).toEqual(expect.arrayContaining(['docker_compose.app/services/web no-privileged']));
  });

  test('plan JSON: the planned config_paths are read; one only known after apply is a finding', async () => {
    fs.writeFileSync(path.join(dir, 'compose.yaml'), COMPOSE);
    const file = path.join(dir, 'plan.json');
    fs.writeFileSync(file, JSON.stringify({
      format_version: '1.2',
      planned_values: { root_module: { resources: [] } },
      resource_changes: [
        { address: 'docker_compose.app', mode: 'managed', type: 'docker_compose', name: 'app', change: { actions: ['create'], after: { config_paths: ['./compose.yaml'], profiles: null }, after_unknown: { id: true } } },
        { address: 'module.m.docker_compose.late', mode: 'managed', type: 'docker_compose', name: 'late', change: { actions: ['create'], after: {}, after_unknown: { config_paths: true } } },
        { address: 'docker_compose.old', mode: 'managed', type: 'docker_compose', name: 'old', change: { actions: ['delete'], after: null } },
      ],
    }));
    const r = await cli(['check', file, '--format', 'json'], { cwd: dir });
    const report = JSON.parse(r.stdout);
    expect(findingKeys(r.stdout)).toContain('docker_compose.app/services/web no-privileged');
    const late = report.findings.filter((f: any) => f.ruleId === 'compose-resource-unchecked');
    expect(late.map((f: any) => [f.address, f.severity, f.message])).toEqual([
      ['module.m.docker_compose.late', 'warning', 'config_paths is only known after apply: its containers are not checked'],
    ]);
  });
});

describe('a docker_compose resource that cannot be read is a finding, in every format', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const MAIN_TF = [
    'resource "docker_container" "web" {',
    '  name  = "web"',
    '  image = "busybox"',
    '}',
    '',
    'resource "docker_compose" "shop" {',
    '  project_name = "shop"',
    '  config_paths = ["${path.module}/missing.yaml"]',
    '}',
    '',
    'resource "docker_compose" "late" {',
    '  config_paths = [docker_container.web.id]',
    '}',
    '',
  ].join('\n');

  test('text, JSON and SARIF: a warning naming the resource and why, at its config_paths', async () => {
    fs.writeFileSync(path.join(dir, 'main.tf'), MAIN_TF);
    const json = JSON.parse((await cli(['check', dir, '--format', 'json'], { cwd: dir })).stdout);
    const unchecked = json.findings.filter((f: any) => f.ruleId === 'compose-resource-unchecked');
    expect(unchecked.map((f: any) => [f.address, f.severity, f.suppressed])).toEqual([
      ['docker_compose.shop', 'warning', false],
      ['docker_compose.late', 'warning', false],
    ]);
    expect(unchecked[0].message).toMatch(/^config_paths\[0\] "\.\/missing\.yaml": no such file .*: its containers are not checked$/);
    expect(unchecked[1].message).toMatch(/^config_paths\[0\] is only known after apply \(\$\{docker_container\.web\.id\}\)/);

    const text = await cli(['check', dir], { cwd: dir });
    expect(text.stdout).toMatch(/warning +compose-resource-unchecked: config_paths\[0\] "\.\/missing\.yaml": no such file.* {2}main\.tf:8:3/);
    expect(text.stderr).toBe('');

    const sarifFile = path.join(dir, 'out.sarif');
    await cli(['check', dir, '--format', 'sarif', '--output', sarifFile], { cwd: dir });
    const run = JSON.parse(fs.readFileSync(sarifFile, 'utf8')).runs[0];
    const result = run.results.find((x: any) => x.ruleId === 'compose-resource-unchecked');
    expect(result.level).toBe('warning');
    expect(result.message.text).toMatch(/^docker_compose\.shop: config_paths\[0\]/);
    expect(result.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'main.tf' }, region: { startLine: 8, startColumn: 3 } });
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe('compose-resource-unchecked');

    const junit = (await cli(['check', dir, '--format', 'junit', '--fail-on', 'warning'], { cwd: dir })).stdout;
    expect(junit).toMatch(/<testcase name="compose-resource-unchecked" classname="docker_compose\.shop" file="main\.tf" line="6">\s*<failure message="config_paths\[0\] &quot;\.\/missing\.yaml&quot;: no such file/);
    const html = (await cli(['check', dir, '--format', 'html'], { cwd: dir })).stdout;
    expect(html).toMatch(/docker_compose\.shop[\s\S]*compose-resource-unchecked/);
  });

  test('--fail-on warning fails on it; the default (error) does not', async () => {
    fs.writeFileSync(path.join(dir, 'main.tf'), 'resource "docker_compose" "shop" {\n  config_paths = ["nowhere.yaml"]\n}\n');
    expect((await cli(['check', dir], { cwd: dir })).code).toBe(0);
    expect((await cli(['check', dir, '--fail-on', 'warning'], { cwd: dir })).code).toBe(1);
  });

  test('a compose file that does not parse: the finding gives the file, line and column', async () => {
    fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  web: [unclosed\n');
    fs.writeFileSync(path.join(dir, 'main.tf'), 'resource "docker_compose" "shop" {\n  config_paths = ["compose.yaml"]\n}\n');
    const json = JSON.parse((await cli(['check', path.join(dir, 'main.tf'), '--format', 'json'], { cwd: dir })).stdout);
    expect(json.findings.map((f: any) => [f.ruleId, f.message])).toEqual([
      ['compose-resource-unchecked', expect.stringMatching(/^its compose files cannot be read: compose\.yaml:\d+:\d+: malformed YAML/)],
    ]);
  });

  test('a service of the wrong shape: that one is named in the finding, the others are checked', async () => {
    fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n    privileged: true\n  odd:\n    image: nginx\n    privileged: maybe\n');
    fs.writeFileSync(path.join(dir, 'main.tf'), 'resource "docker_compose" "shop" {\n  config_paths = ["compose.yaml"]\n}\n');
    const json = JSON.parse((await cli(['check', path.join(dir, 'main.tf'), '--format', 'json'], { cwd: dir })).stdout);
    expect(json.findings.map((f: any) => `${f.address} ${f.ruleId}`)).toContain('docker_compose.shop/services/web no-privileged');
    const unchecked = json.findings.filter((f: any) => f.ruleId === 'compose-resource-unchecked');
    expect(unchecked.map((f: any) => [f.address, f.message])).toEqual([[
      'docker_compose.shop',
      expect.stringMatching(/^a service of its compose files cannot be read, and is not checked \(the others are\): compose\.yaml:7:\d+: .*privileged/),
    ]]);
  });

  test('suppressed like any finding: by a profile, and by the resource\'s "//" key', async () => {
    fs.writeFileSync(path.join(dir, 'main.tf'), 'resource "docker_compose" "shop" {\n  config_paths = ["nowhere.yaml"]\n}\n');
    fs.writeFileSync(path.join(dir, 'profile.json'), JSON.stringify({
      name: 'team',
      extends: 'hardened',
      suppressions: { 'compose-resource-unchecked': 'the compose files are checked in their own repository' },
    }));
    const byProfile = JSON.parse((await cli(['check', path.join(dir, 'main.tf'), '--profile', path.join(dir, 'profile.json'), '--format', 'json'], { cwd: dir })).stdout);
    expect(byProfile.findings.map((f: any) => [f.ruleId, f.suppressed, f.reason])).toEqual([
      ['compose-resource-unchecked', true, 'the compose files are checked in their own repository'],
    ]);

    const file = path.join(dir, 'cdk.tf.json');
    fs.writeFileSync(file, JSON.stringify({
      resource: {
        docker_compose: {
          shop: {
            '//': { hardened_docker: { suppressions: [{ ruleId: 'compose-resource-unchecked', reason: 'generated at apply time by the pipeline' }] } },
            'config_paths': ['${local_file.compose.filename}'],
          },
        },
      },
    }));
    const byKey = JSON.parse((await cli(['check', file, '--format', 'json'], { cwd: dir })).stdout);
    expect(byKey.findings.map((f: any) => [f.ruleId, f.suppressed])).toEqual([['compose-resource-unchecked', true]]);
    // A reason that says nothing suppresses nothing, as for any rule.
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('generated at apply time by the pipeline', 'ok'));
    const refused = JSON.parse((await cli(['check', file, '--format', 'json'], { cwd: dir })).stdout);
    expect(refused.findings.map((f: any) => [f.ruleId, f.suppressed]).sort()).toEqual([['compose-resource-unchecked', false], ['invalid-suppression', false]]);
  });

  test('without docker_compose, no such finding', async () => {
    const file = path.join(dir, 'main.tf.json');
    fs.writeFileSync(file, JSON.stringify({ resource: { docker_container: { web: hardenedBody('web') } } }));
    const r = await cli(['check', file, '--format', 'json'], { cwd: dir });
    expect(findingKeys(r.stdout).filter((k) => k.includes('compose-resource-unchecked'))).toEqual([]);
  });
});

describe('a compose document written in the configuration itself (local_file content)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  /** main.tf: a local_file whose `content` is `content`, and a docker_compose resource reading the file it writes. */
  function writeConfig(content: string[]): void {
    fs.writeFileSync(path.join(dir, 'main.tf'), [
      'resource "local_file" "compose" {',
      '  filename = "${path.module}/generated/compose.yaml"',
      ...content,
      '}',
      '',
      'resource "docker_compose" "app" {',
      '  config_paths = [local_file.compose.filename]',
      '}',
      '',
    ].join('\n'));
  }

  async function check(): Promise<{ keys: string[]; text: string; json: any }> {
    const r = await cli(['check', dir, '--format', 'json'], { cwd: dir });
    const text = (await cli(['check', dir], { cwd: dir })).stdout;
    return { keys: findingKeys(r.stdout), text, json: JSON.parse(r.stdout) };
  }

  test('a heredoc: read from the content (not the disk), findings at the content attribute', async () => {
    writeConfig(['  content  = <<-EOT', '    services:', '      web:', '        image: nginx', '        privileged: true', '  EOT']);
    // What is on the disk is stale: what Terraform writes is what compose reads.
    fs.mkdirSync(path.join(dir, 'generated'));
    fs.writeFileSync(path.join(dir, 'generated', 'compose.yaml'), 'services:\n  old:\n    image: nginx\n    read_only: true\n');
    const { keys, text } = await check();
    expect(keys).toContain('docker_compose.app/services/web no-privileged');
    expect(keys.some((k) => k.includes('/services/old'))).toBe(false);
    expect(text).toMatch(/no-privileged \(CIS 5\.5\): privileged: true {2}main\.tf:7:9/);
  });

  test('a service of the wrong shape in a heredoc: the finding points at its line of the Terraform file', async () => {
    writeConfig(['  content  = <<-EOT', '    services:', '      web:', '        image: nginx', '        privileged: maybe', '  EOT']);
    const { json } = await check();
    const unchecked = json.findings.filter((f: any) => f.ruleId === 'compose-resource-unchecked');
    expect(unchecked.map((f: any) => f.message)).toEqual([expect.stringContaining('main.tf:7:21: services.web.privileged: expected true or false')]);
  });

  test('jsonencode of a literal object is read too', async () => {
    writeConfig(['  content  = jsonencode({ services = { api = { image = "nginx", ipc = "host" } } })']);
    expect((await check()).keys).toContain('docker_compose.app/services/api no-host-ipc');
  });

  test('file("...") of a compose file beside the configuration: findings point into that file', async () => {
    fs.writeFileSync(path.join(dir, 'src.yaml'), 'services:\n  worker:\n    image: busybox\n    userns_mode: host\n');
    writeConfig(['  content  = file("${path.module}/src.yaml")']);
    const { keys, text } = await check();
    expect(keys).toContain('docker_compose.app/services/worker no-host-userns');
    expect(text).toMatch(/no-host-userns \(CIS 5\.31\): userns_mode: host {2}src\.yaml:4:5/);
  });

  test('plan JSON: a planned local_file\'s content is read; one only known after apply is a finding', async () => {
    const file = path.join(dir, 'plan.json');
    const change = (type: string, name: string, after: object, afterUnknown: object = {}) => ({
      address: `${type}.${name}`, mode: 'managed', type, name, change: { actions: ['create'], after, after_unknown: afterUnknown },
    });
    fs.writeFileSync(file, JSON.stringify({
      format_version: '1.2',
      resource_changes: [
        change('local_file', 'known', { filename: './known.yaml', content: 'services:\n  web:\n    image: nginx\n    uts: host\n' }),
        change('local_file', 'later', { filename: './later.yaml' }, { content: true }),
        change('docker_compose', 'app', { config_paths: ['./known.yaml'] }),
        change('docker_compose', 'other', { config_paths: ['./later.yaml'] }),
      ],
    }));
    const json = JSON.parse((await cli(['check', file, '--format', 'json'], { cwd: dir })).stdout);
    const keys = json.findings.map((f: any) => `${f.address} ${f.ruleId}`);
    expect(keys).toContain('docker_compose.app/services/web no-host-uts');
    expect(json.findings.filter((f: any) => f.ruleId === 'compose-resource-unchecked').map((f: any) => [f.address, f.message])).toEqual([
      ['docker_compose.other', 'config_paths[0] "./later.yaml" is written by local_file.later, and its content is only known after apply: its containers are not checked'],
    ]);
  });

  test('yamlencode of a literal object is read: a weakening inside it is flagged at the content attribute', async () => {
    writeConfig(['  content  = yamlencode({ services = { api = { image = "nginx", ipc = "host", cap_add = ["SYS_ADMIN"] } } })']);
    const { keys, text } = await check();
    expect(keys).toContain('docker_compose.app/services/api no-host-ipc');
    expect(keys).toContain('docker_compose.app/services/api no-dangerous-capabilities');
    expect(keys).not.toContain('docker_compose.app compose-resource-unchecked');
    expect(text).toMatch(/no-host-ipc \(CIS 5\.17\): ipc: host {2}main\.tf:3:3/);
  });

  test('yamlencode with a variable without a value: the known settings are checked, the unknown one is only known after apply', async () => {
    fs.writeFileSync(path.join(dir, 'variables.tf'), 'variable "image" {\n  type = string\n}\nvariable "cap" {\n  type = string\n}\n');
    writeConfig(['  content  = yamlencode({ services = { app = { image = var.image, privileged = true, cap_add = [var.cap], read_only = true } } })']);
    const r = await cli(['check', dir, '--format', 'json', '--fail-on', 'error'], { cwd: dir });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    const byRule = (id: string) => json.findings.find((f: any) => f.ruleId === id && f.address === 'docker_compose.app/services/app');
    expect(byRule('no-privileged')).toMatchObject({ status: 'fail', severity: 'error' });
    // The literal beside the unknowns is read as it is written (a pass is not listed).
    expect(byRule('read-only-rootfs')).toBeUndefined();
    expect(byRule('no-host-ipc')).toBeUndefined();
    // The unknown image and capability: unknown, in Terraform's words (never a compose variable nobody set).
    const image = byRule('image-pinned-by-digest');
    expect(image.status).toBe('unknown');
    expect(image.message).toMatch(/only known after apply/);
    const caps = byRule('no-dangerous-capabilities');
    expect(caps.status).toBe('unknown');
    expect(caps.message).toMatch(/only known after apply/);
    expect(JSON.stringify(json.findings)).not.toMatch(/HARDENED_DOCKER_KNOWN_AFTER_APPLY|which is not set|compose interpolates/);
    expect(image.message).toMatch(/cannot be verified before apply/);
    expect(json.findings.filter((f: any) => f.ruleId === 'compose-resource-unchecked')).toEqual([]);
    // With the variables given, the document is wholly known: the same literal is flagged, the image read.
    const given = JSON.parse((await cli(['check', dir, '--format', 'json', '--var', 'image=nginx:1.27', '--var', 'cap=NET_BIND_SERVICE'], { cwd: dir })).stdout);
    const keys = given.findings.map((f: any) => `${f.address} ${f.ruleId} ${f.status}`);
    expect(keys).toContain('docker_compose.app/services/app no-privileged fail');
    expect(keys).toContain('docker_compose.app/services/app image-pinned-by-digest fail');
  });

  test('an environment setting the placeholder\'s name does not make an unknown part known', async () => {
    fs.writeFileSync(path.join(dir, 'variables.tf'), 'variable "privileged" {\n  type = bool\n}\n');
    writeConfig(['  content  = yamlencode({ services = { app = { image = "nginx", privileged = var.privileged } } })']);
    const env: { [k: string]: string } = {};
    for (let n = 1; n <= 50; n++) env[`HARDENED_DOCKER_KNOWN_AFTER_APPLY_${n}`] = 'false';
    // The project directory's .env (the written file's directory) sets them too.
    fs.mkdirSync(path.join(dir, 'generated'));
    fs.writeFileSync(path.join(dir, 'generated', '.env'), Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
    const r = await cli(['check', dir, '--format', 'json'], { cwd: dir, env: { ...process.env, ...env } });
    const privileged = JSON.parse(r.stdout).findings.find((f: any) => f.ruleId === 'no-privileged' && f.address === 'docker_compose.app/services/app');
    expect(privileged.status).toBe('unknown');
  });

  test('a whole sub-object only known after apply (a merge() with a variable) is unknown, never read as absent', async () => {
    fs.writeFileSync(path.join(dir, 'variables.tf'), 'variable "deploy" {\n  type = any\n}\n');
    writeConfig(['  content  = yamlencode({ services = { app = { image = "nginx", privileged = true, deploy = merge({ replicas = 1 }, var.deploy) } } })']);
    const json = JSON.parse((await cli(['check', dir, '--format', 'json'], { cwd: dir })).stdout);
    const byRule = (id: string) => json.findings.find((f: any) => f.ruleId === id && f.address === 'docker_compose.app/services/app');
    expect(byRule('no-privileged').status).toBe('fail');
    // The memory limit is under deploy.resources: not known, so not a fail either.
    expect(byRule('memory-limit').status).toBe('unknown');
    expect(byRule('memory-limit').message).toMatch(/only known after apply/);
  });

  test.each([
    ['volumes', 'no-docker-socket'], ['ports', 'no-privileged-host-ports'], ['devices', 'no-host-devices'], ['healthcheck', 'healthcheck'],
    ['ulimits', 'ulimits-set'],
  ])('a whole %s only known after apply: %s is unknown, and the literal privileged beside it still fails', async (setting, rule) => {
    fs.writeFileSync(path.join(dir, 'variables.tf'), 'variable "x" {\n  type = any\n}\n');
    writeConfig([`  content  = yamlencode({ services = { app = { image = "nginx", privileged = true, ${setting} = var.x } } })`]);
    const r = await cli(['check', dir, '--format', 'json', '--fail-on', 'error'], { cwd: dir });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    const byRule = (id: string) => json.findings.find((f: any) => f.ruleId === id && f.address === 'docker_compose.app/services/app');
    expect(byRule('no-privileged')?.status).toBe('fail');
    expect(byRule(rule)?.status).toBe('unknown');
    expect(json.findings.some((f: any) => f.ruleId === 'compose-resource-unchecked')).toBe(false);
  });

  test('an unknown key or a whole unknown service: that part is unknown (a finding), the known services are checked', async () => {
    fs.writeFileSync(path.join(dir, 'variables.tf'), 'variable "name" {\n  type = string\n}\nvariable "worker" {\n  type = any\n}\n');
    writeConfig(['  content  = yamlencode({ services = { web = { image = "nginx", ipc = "host" }, worker = merge(var.worker, {}),'
      + ' api = { image = "nginx", (var.name) = true } } })']);
    let json = JSON.parse((await cli(['check', dir, '--format', 'json'], { cwd: dir })).stdout);
    let keys = json.findings.map((f: any) => `${f.address} ${f.ruleId}`);
    expect(keys).toContain('docker_compose.app/services/web no-host-ipc');
    const unchecked = json.findings.filter((f: any) => f.ruleId === 'compose-resource-unchecked');
    expect(unchecked.map((f: any) => f.address)).toEqual(['docker_compose.app']);
    // Positioned at the content attribute (main.tf:3:3): the document is not on the disk.
    expect(unchecked[0].message).toMatch(/^2 services of its compose files cannot be read, and are not checked \(the others are\): /);
    expect(unchecked[0].message).toContain('main.tf:3:3: services.api: its settings are only known after apply');
    expect(unchecked[0].message).toContain('main.tf:3:3: services.worker: its settings are only known after apply');
    expect(keys.some((k: string) => k.startsWith('docker_compose.app/services/api') || k.startsWith('docker_compose.app/services/worker'))).toBe(false);

    // An unknown key among the services: the services are not known, so none is checked, and that is a finding.
    writeConfig(['  content  = yamlencode({ services = { web = { image = "nginx", ipc = "host" }, (var.name) = { image = "x" } } })']);
    json = JSON.parse((await cli(['check', dir, '--format', 'json'], { cwd: dir })).stdout);
    keys = json.findings.map((f: any) => `${f.address} ${f.ruleId}`);
    expect(keys).toEqual(['docker_compose.app compose-resource-unchecked']);
  });

  test('Terraform JSON and cdktf.out: "${jsonencode({...})}" with a variable without a value is read, its literals checked', async () => {
    const body = (filename: string) => ({
      variable: { image: { type: 'string' } },
      resource: {
        local_file: { compose: { filename, content: '${jsonencode({"services" = {"api" = {"image" = var.image, "pid" = "host"}}})}' } },
        docker_compose: { app: { config_paths: [filename] } },
      },
    });
    const expectRead = (json: any) => {
      const findings = json.findings.filter((f: any) => f.address === 'docker_compose.app/services/api');
      expect(findings.find((f: any) => f.ruleId === 'no-host-pid')?.status).toBe('fail');
      const image = findings.find((f: any) => f.ruleId === 'image-pinned-by-digest');
      expect([image?.status, image?.message]).toEqual(['unknown', expect.stringMatching(/only known after apply/)]);
      expect(json.findings.some((f: any) => f.ruleId === 'compose-resource-unchecked')).toBe(false);
    };
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(body('./generated/compose.yaml'), null, 2));
    expectRead(JSON.parse((await cli(['check', path.join(dir, 'main.tf.json'), '--format', 'json'], { cwd: dir })).stdout));

    const stackDir = path.join(dir, 'cdktf.out', 'stacks', 's');
    fs.mkdirSync(stackDir, { recursive: true });
    fs.writeFileSync(path.join(stackDir, 'cdk.tf.json'), JSON.stringify(body(path.join(dir, 'written', 'compose.yaml')), null, 2));
    expectRead(JSON.parse((await cli(['check', path.join(dir, 'cdktf.out'), '--format', 'json'], { cwd: dir })).stdout));
  });

  test('a service joining one only known after apply (volumes_from, network_mode: service:) does not know what it joins', async () => {
    fs.writeFileSync(path.join(dir, 'variables.tf'), 'variable "sidecar" {\n  type = any\n}\n');
    writeConfig(['  content  = yamlencode({ services = { sidecar = merge(var.sidecar, {}),'
      + ' app = { image = "nginx", volumes_from = ["sidecar"], network_mode = "service:sidecar" } } })']);
    const json = JSON.parse((await cli(['check', dir, '--format', 'json'], { cwd: dir })).stdout);
    const byRule = (id: string) => json.findings.find((f: any) => f.ruleId === id && f.address === 'docker_compose.app/services/app');
    expect(byRule('no-host-network')?.status).toBe('unknown');
    expect(byRule('no-docker-socket')?.status).toBe('unknown');
  });

  test('Terraform JSON and cdktf.out: "${yamlencode({...})}" as cdktf writes it is read', async () => {
    const body = (filename: string) => ({
      resource: {
        local_file: { compose: { filename, content: '${yamlencode({"services" = {"api" = {"image" = "nginx", "pid" = "host", "read_only" = true}}})}' } },
        docker_compose: { app: { config_paths: [filename] } },
      },
    });
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(body('./generated/compose.yaml'), null, 2));
    const fromJson = JSON.parse((await cli(['check', path.join(dir, 'main.tf.json'), '--format', 'json'], { cwd: dir })).stdout);
    expect(fromJson.findings.map((f: any) => `${f.address} ${f.ruleId}`)).toContain('docker_compose.app/services/api no-host-pid');

    const stackDir = path.join(dir, 'cdktf.out', 'stacks', 's');
    fs.mkdirSync(stackDir, { recursive: true });
    fs.writeFileSync(path.join(stackDir, 'cdk.tf.json'), JSON.stringify(body(path.join(dir, 'written', 'compose.yaml')), null, 2));
    const fromOut = JSON.parse((await cli(['check', path.join(dir, 'cdktf.out'), '--format', 'json'], { cwd: dir })).stdout);
    expect(fromOut.findings.map((f: any) => `${f.address} ${f.ruleId}`)).toContain('docker_compose.app/services/api no-host-pid');
    expect(fromOut.findings.some((f: any) => f.ruleId === 'compose-resource-unchecked')).toBe(false);
  });
});

describe('audit --against leaves docker_compose resources out', () => {
  test('the declared side holds the docker_container only', async () => {
    const { dir, cleanup } = tempDir();
    try {
      fs.writeFileSync(path.join(dir, 'compose.yaml'), COMPOSE);
      fs.writeFileSync(path.join(dir, 'main.tf'), [
        'resource "docker_container" "web" {', '  name  = "web"', '  image = "busybox"', '}',
        'resource "docker_compose" "app" {', '  config_paths = ["compose.yaml"]', '}',
        'resource "docker_compose" "late" {', '  config_paths = [var.late]', '}',
        'variable "late" {', '  type = list(string)', '}', '',
      ].join('\n'));
      const declared = await loadDeclared([path.join(dir, 'main.tf')], dir);
      expect(declared.map((s) => s.address)).toEqual(['docker_container.web']);
    } finally {
      cleanup();
    }
  });
});
