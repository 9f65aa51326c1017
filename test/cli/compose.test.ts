import * as fs from 'fs';
import * as path from 'path';
import { cli, tempDir } from './helpers';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir('hd-compose-cli-')));
afterEach(() => cleanup());

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

/** A service that passes every error rule of the hardened profile. */
const HARDENED = [
  '    image: registry.example/app@sha256:' + 'a'.repeat(64),
  '    user: "10001:10001"',
  '    read_only: true',
  '    cap_drop: [ALL]',
  '    security_opt: ["no-new-privileges:true"]',
].join('\n');

describe('check on compose files', () => {
  test('a finding names file:line:column of its setting; a missing setting names the service', async () => {
    write({
      'compose.yaml': [
        'services:', // 1
        '  web:', // 2
        HARDENED, // 3-7
        '    privileged: true', // 8
        '    volumes:', // 9
        '      - /var/run/docker.sock:/var/run/docker.sock', // 10
        '',
      ].join('\n'),
    });
    const r = await cli(['check', 'compose.yaml', '--profile', 'baseline'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/no-privileged .*compose\.yaml:8:5/);
    expect(r.stdout).toMatch(/no-docker-socket .*compose\.yaml:9:5/);
    expect(r.stdout).toMatch(/services\.web +compose\.yaml:2\b/);
  });

  test('SARIF regions point at the setting: startLine and startColumn', async () => {
    write({ 'compose.yaml': `services:\n  web:\n${HARDENED}\n    pid: host\n` });
    const r = await cli(['check', 'compose.yaml', '--format', 'sarif'], { cwd: dir });
    const results = JSON.parse(r.stdout).runs[0].results as any[];
    const pid = results.find((x) => x.ruleId === 'no-host-pid');
    expect(pid.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'compose.yaml' }, region: { startLine: 8, startColumn: 5 } });
    const health = results.find((x) => x.ruleId === 'healthcheck');
    expect(health.locations[0].physicalLocation.region).toEqual({ startLine: 2, startColumn: 3 });
  });

  test('no provider excuse: pids_limit and uts are judged as written (compose can set them)', async () => {
    write({ 'compose.yaml': `services:\n  web:\n${HARDENED}\n    pids_limit: 200\n  bad:\n${HARDENED}\n    uts: host\n    cpus: "0.5"\n` });
    const r = await cli(['check', 'compose.yaml', '--format', 'json'], { cwd: dir });
    const findings = JSON.parse(r.stdout).findings as any[];
    const of = (address: string) => findings.filter((f) => f.address === address).map((f) => f.ruleId);
    expect(of('services.web')).not.toContain('pids-limit');
    expect(of('services.bad')).toEqual(expect.arrayContaining(['pids-limit', 'no-host-uts']));
    expect(of('services.bad')).not.toContain('no-cpus-attribute');
    expect(findings.find((f) => f.address === 'services.bad' && f.ruleId === 'pids-limit').message).toBe('pids_limit is not set');
  });

  test('a variable without a value is unknown, never a pass; --env-file and the environment give it one', async () => {
    write({ 'compose.yaml': `services:\n  web:\n${HARDENED}\n    privileged: \${PRIV}\n`, 'ci.env': 'PRIV=false\n' });
    const unknown = await cli(['check', 'compose.yaml', '--format', 'json'], { cwd: dir });
    const priv = (JSON.parse(unknown.stdout).findings as any[]).find((f) => f.ruleId === 'no-privileged');
    expect(priv).toMatchObject({ status: 'unknown' });
    expect(priv.message).toBe('privileged depends on ${PRIV}, which is not set: cannot be verified until compose interpolates it');
    const withFile = await cli(['check', 'compose.yaml', '--format', 'json', '--env-file', 'ci.env'], { cwd: dir });
    expect((JSON.parse(withFile.stdout).findings as any[]).some((f) => f.ruleId === 'no-privileged')).toBe(false);
    const fromEnv = await cli(['check', 'compose.yaml', '--format', 'json'], { cwd: dir, env: { PRIV: 'true' } });
    expect((JSON.parse(fromEnv.stdout).findings as any[]).find((f) => f.ruleId === 'no-privileged')).toMatchObject({ status: 'fail' });
  });

  test('a directory: its compose file and override; docker-compose.yml in a subdirectory; Terraform beside it', async () => {
    write({
      'compose.yaml': `services:\n  web:\n${HARDENED}\n`,
      'compose.override.yaml': 'services:\n  web:\n    privileged: true\n',
      'legacy/docker-compose.yml': 'version: "3.8"\nservices:\n  old:\n    image: x\n    network_mode: host\n',
    });
    const r = await cli(['check', '.', '--format', 'json'], { cwd: dir });
    const findings = JSON.parse(r.stdout).findings as any[];
    expect(findings.find((f) => f.ruleId === 'no-privileged')).toMatchObject({ address: 'services.web', file: 'compose.yaml' });
    expect(findings.find((f) => f.ruleId === 'no-host-network')).toMatchObject({ address: 'services.old', file: 'legacy/docker-compose.yml' });
  });

  test('YAML files of one directory named together merge in order, as compose -f does', async () => {
    write({ 'base.yaml': `services:\n  web:\n${HARDENED}\n    privileged: true\n`, 'prod.yaml': 'services:\n  web:\n    privileged: false\n' });
    const r = await cli(['check', 'base.yaml', 'prod.yaml', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(r.stdout).summary.resources ?? JSON.parse(r.stdout).findings.filter((f: any) => f.ruleId === 'no-privileged')).toBeDefined();
    expect((JSON.parse(r.stdout).findings as any[]).some((f) => f.ruleId === 'no-privileged')).toBe(false);
    const alone = await cli(['check', 'base.yaml', '--format', 'json'], { cwd: dir });
    expect((JSON.parse(alone.stdout).findings as any[]).some((f) => f.ruleId === 'no-privileged')).toBe(true);
  });

  test('one bad compose file is one positioned line on stderr (exit 2); the other files are still checked', async () => {
    write({ 'a/compose.yaml': 'services:\n  web:\n    privileged: maybe\n', 'b/compose.yaml': 'services:\n  db:\n    privileged: true\n' });
    const r = await cli(['check', 'a/compose.yaml', 'b/compose.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('hardened-docker: a/compose.yaml:3:17: services.web.privileged: expected true or false, got "maybe"\n');
    expect(r.stdout).toMatch(/services\.db/);
  });

  test('a suppression label on a service suppresses the rule there', async () => {
    write({ 'compose.yaml': `services:\n  web:\n${HARDENED}\n    pid: host\n    labels:\n      hardened-docker.suppress.no-host-pid: "the agent reads host processes; ticket SEC-12"\n` });
    const r = await cli(['check', 'compose.yaml', '--format', 'json'], { cwd: dir });
    expect((JSON.parse(r.stdout).findings as any[]).find((f) => f.ruleId === 'no-host-pid')).toMatchObject({ suppressed: true });
  });
});

describe('rules as compose runs the service', () => {
  test('no-default-bridge: a service joins the project network unless network_mode: bridge puts it on docker0', async () => {
    write({ 'compose.yaml': `services:\n  web:\n${HARDENED}\n  legacy:\n${HARDENED}\n    network_mode: bridge\n` });
    const r = await cli(['check', 'compose.yaml', '--format', 'json'], { cwd: dir });
    const bridge = (JSON.parse(r.stdout).findings as any[]).filter((f) => f.ruleId === 'no-default-bridge').map((f) => [f.address, f.message]);
    expect(bridge).toEqual([['services.legacy', 'network_mode: bridge']]);
  });
});

describe('several projects', () => {
  test('services of the same name in two projects are each located in their own file', async () => {
    write({
      'a/compose.yaml': `services:\n  web:\n${HARDENED}\n    privileged: true\n`,
      'b/compose.yaml': `services:\n\n\n  web:\n${HARDENED}\n    ipc: host\n    privileged: true\n`,
    });
    const r = await cli(['check', '.', '--format', 'sarif'], { cwd: dir });
    const located = (JSON.parse(r.stdout).runs[0].results as any[]).filter((x) => x.ruleId === 'no-privileged')
      .map((x) => `${x.locations[0].physicalLocation.artifactLocation.uri}:${x.locations[0].physicalLocation.region.startLine}`);
    expect(located.sort()).toEqual(['a/compose.yaml:8', 'b/compose.yaml:11']);
  });
});
