import * as fs from 'fs';
import * as path from 'path';
import { cli, hardenedBody, tempDir } from './helpers';

/** A stack whose one container sets `cpus` (provider 3.6.x panics on it), with an optional provider constraint. */
function stack(version?: string): object {
  return {
    ...(version === undefined ? {} : { terraform: { required_providers: { docker: { source: 'kreuzwerker/docker', version } } } }),
    resource: { docker_container: { web: hardenedBody('web', { cpus: '0.5' }) } },
  };
}

function cpusFinding(stdout: string): any {
  return JSON.parse(stdout).findings.find((f: any) => f.ruleId === 'no-cpus-attribute');
}

describe('the provider version constraint decides where a provider-trap rule applies', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  async function check(doc: object, ...args: string[]) {
    const file = path.join(dir, 'main.tf.json');
    fs.writeFileSync(file, JSON.stringify(doc, null, 2));
    return cli(['check', file, '--format', 'json', ...args]);
  }

  test('required_providers 3.7.0: no-cpus-attribute is not applicable (3.7.0 fixed the panic)', async () => {
    const r = await check(stack('3.7.0'));
    expect(r.stderr).toBe('');
    expect(cpusFinding(r.stdout)).toBeUndefined();
    expect(r.code).toBe(0);
  });

  test('required_providers ~> 3.6.0: every admitted release panics, so it fails without naming a range', async () => {
    const r = await check(stack('~> 3.6.0'));
    const f = cpusFinding(r.stdout);
    expect(f).toEqual(expect.objectContaining({ status: 'fail', severity: 'error' }));
    expect(f.message).not.toMatch(/provider trap/);
    expect(r.code).toBe(1);
  });

  test('no constraint: it fails and names the releases concerned', async () => {
    const r = await check(stack());
    expect(cpusFinding(r.stdout).message).toMatch(/\(a provider trap: 3\.6\.0 up to \(not including\) 3\.7\.0\)$/);
  });

  test('a constraint admitting releases with and without the trap names them', async () => {
    const r = await check(stack('>= 3.0, < 5.0'));
    expect(cpusFinding(r.stdout).message).toMatch(/\(a provider trap: 3\.6\.0 up to \(not including\) 3\.7\.0\)$/);
  });

  test('--provider-version replaces what the input declares', async () => {
    expect(cpusFinding((await check(stack('3.6.2'), '--provider-version', '4.5.0')).stdout)).toBeUndefined();
    expect(cpusFinding((await check(stack('4.5.0'), '--provider-version', '3.6.2')).stdout)).toEqual(expect.objectContaining({ status: 'fail' }));
  });

  test('a rule that only mentions the trap (cpu-limit) still applies where the trap is gone', async () => {
    const r = await check({
      terraform: { required_providers: { docker: { source: 'kreuzwerker/docker', version: '4.5.0' } } },
      resource: { docker_container: { web: hardenedBody('web', { cpu_quota: null, cpu_period: null, cpu_shares: null }) } },
    });
    expect(JSON.parse(r.stdout).findings.find((f: any) => f.ruleId === 'cpu-limit')).toEqual(expect.objectContaining({ status: 'fail' }));
  });

  test.each([
    ['3.7.0', false],
    ['~> 3.6.0', true],
  ])('HCL: required_providers of the module is read (%s: failing %s)', async (version, failing) => {
    fs.writeFileSync(path.join(dir, 'main.tf'), [
      'terraform {',
      '  required_providers {',
      '    docker = {',
      '      source  = "kreuzwerker/docker"',
      `      version = "${version}"`,
      '    }',
      '  }',
      '}',
      'resource "docker_container" "web" {',
      '  name  = "web"',
      '  image = "busybox"',
      '  cpus  = "0.5"',
      '}',
      '',
    ].join('\n'));
    const r = await cli(['check', dir, '--format', 'json']);
    expect(cpusFinding(r.stdout) !== undefined).toBe(failing);
  });

  test('a malformed --provider-version is a usage error naming the option and the valid form', async () => {
    const r = await check(stack(), '--provider-version', '3.x');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hardened-docker: --provider-version: .*"3\.x".*expected/);
  });

  test('a malformed declared constraint is a problem of that file (exit 2), and the rules apply as under none', async () => {
    const r = await check(stack('latest'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/main\.tf\.json: required_providers docker version: .*"latest"/);
    expect(cpusFinding(r.stdout).message).toMatch(/a provider trap: /);
  });
});
