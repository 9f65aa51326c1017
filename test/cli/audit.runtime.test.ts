/**
 * `hardened-docker audit` against the real engine: containers started with known settings get the expected findings
 * (by rule id and CIS id), filters select what they say, formats and exit codes match `check`.
 * Needs a Docker engine (CI=true: required; elsewhere skipped with one line). Everything made here is named hdaudit-rt-.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import type Docker from 'dockerode';
import { auditJson, describeEngine, docker, ensureImage, IMAGE, removeAll, run } from './audit-engine';
import { runAudit } from '../../src/cli/audit';
import { main } from '../../src/cli/main';

const P = 'hdaudit-rt-';

interface Captured { code: number; stdout: string; stderr: string }

async function cli(args: string[]): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => { stdout += s; return true; } },
    stderr: { write: (s: string) => { stderr += s; return true; } },
  });
  return { code, stdout, stderr };
}

async function jsonAudit(...args: string[]): Promise<any> {
  const r = await auditJson(args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.report;
}

/** Unsuppressed findings' rule ids and CIS ids of one address. */
function flagged(report: any, address: string): { rules: string[]; cis: string[]; suppressed: string[] } {
  const mine = report.findings.filter((f: any) => f.address === address);
  return {
    rules: mine.filter((f: any) => !f.suppressed).map((f: any) => f.ruleId),
    cis: [...new Set<string>(mine.filter((f: any) => !f.suppressed).flatMap((f: any) => f.cis))],
    suppressed: mine.filter((f: any) => f.suppressed).map((f: any) => f.ruleId),
  };
}

/**
 * A container whose main process is named /bin/sshd: the static tini that ships with the engine (docker-init), copied
 * in as /bin/sshd, running `sleep`. No SSH daemon runs; the process table says sshd, which is what CIS 5.7 looks for.
 */
async function startSshd(d: Docker, name: string): Promise<void> {
  const c = await run(d, name, { Init: false }, { Entrypoint: ['/bin/sshd'], Cmd: ['--', 'sleep', '600'] }, false);
  const cp = spawnSync('docker', ['cp', '-L', '/usr/bin/docker-init', `${name}:/bin/sshd`], { encoding: 'utf8' });
  if (cp.status !== 0) throw new Error(`docker cp docker-init: ${cp.stderr}`);
  await c.start();
}

describeEngine('hardened-docker audit on a live engine', () => {
  let d: Docker;
  let report: any;

  beforeAll(async () => {
    d = docker();
    await ensureImage(d);
    await removeAll(d, P);
    const labels = { 'hdaudit.role': 'web' };
    await Promise.all([
      run(d, `${P}plain`, {}, { Labels: labels }),
      run(d, `${P}hardened`, {
        ReadonlyRootfs: true,
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        Memory: 64 * 1024 * 1024,
        MemorySwap: 64 * 1024 * 1024,
        PidsLimit: 64,
        CpuShares: 512,
        CpuPeriod: 100000,
        CpuQuota: 50000,
        Ulimits: [{ Name: 'nproc', Soft: 64, Hard: 64 }],
        RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
        PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
        Tmpfs: { '/tmp': 'rw,noexec,nosuid,size=1m' },
      }, {
        User: '10001:10001',
        ExposedPorts: { '8080/tcp': {} },
        Healthcheck: { Test: ['CMD', 'true'], Interval: 30e9, Timeout: 5e9, Retries: 3 },
        Labels: { 'hdaudit.role': 'db' },
      }),
      run(d, `${P}suppressed`, {}, {
        Labels: { ...labels, 'hardened-docker.suppress.read-only-rootfs': 'writes its cache to /var/cache' },
      }),
      run(d, `${P}exposed`, {
        PidMode: 'host',
        UTSMode: 'host',
        CapAdd: ['NET_ADMIN'],
        PortBindings: { '8080/tcp': [{ HostIp: '0.0.0.0', HostPort: '' }] },
        Binds: ['/etc:/hostetc', '/var/run/docker.sock:/var/run/docker.sock:ro'],
        RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 10 },
        SecurityOpt: ['seccomp=unconfined'],
      }, { ExposedPorts: { '8080/tcp': {} } }),
      run(d, `${P}stopped`, {}, {}, false),
      startSshd(d, `${P}sshd`),
    ]);
    report = await jsonAudit('--name', `${P}*`, '--no-services');
  });

  afterAll(async () => {
    await removeAll(d, P);
  });

  test('audits every running container the pattern names, not the stopped one', () => {
    const addresses = report.findings.map((f: any) => f.address);
    expect(new Set(addresses)).toEqual(new Set([
      `container/${P}plain`, `container/${P}hardened`, `container/${P}suppressed`, `container/${P}exposed`, `container/${P}sshd`,
    ]));
    expect(report.summary.resources).toBe(5);
    for (const f of report.findings) expect(f.resourceName).toBe(f.address.replace('container/', ''));
  });

  test('a plain container: the defaults Docker Bench warns about are all flagged, with their CIS ids', () => {
    const { rules, cis } = flagged(report, `container/${P}plain`);
    expect(rules).toEqual(expect.arrayContaining(['read-only-rootfs', 'pids-limit', 'non-root-user']));
    // 4.1 root, 5.11 memory, 5.12 CPU, 5.13 writable root, 5.26 no-new-privileges, 5.27 healthcheck, 5.29 PIDs
    expect(cis).toEqual(expect.arrayContaining(['4.1', '5.11', '5.12', '5.13', '5.26', '5.27', '5.29']));
    // Nothing it does not do: no host namespace, no added capability, no port, no mount.
    expect(cis).not.toEqual(expect.arrayContaining(['5.5']));
    for (const id of ['5.4', '5.6', '5.8', '5.10', '5.14', '5.15', '5.16', '5.17', '5.21', '5.22', '5.31', '5.32']) expect(cis).not.toContain(id);
  });

  test('the hardened container passes what the engine lets it set (PidsLimit included: the engine has it)', () => {
    const { rules, cis } = flagged(report, `container/${P}hardened`);
    for (const id of ['4.1', '5.4', '5.11', '5.12', '5.13', '5.14', '5.15', '5.26', '5.27', '5.29']) expect(cis).not.toContain(id);
    expect(rules).not.toContain('pids-limit');
    expect(rules).not.toContain('read-only-rootfs');
  });

  test('a suppression label suppresses its rule, with the label\'s value as the reason', () => {
    const mine = report.findings.filter((f: any) => f.address === `container/${P}suppressed`);
    const ro = mine.find((f: any) => f.ruleId === 'read-only-rootfs');
    expect(ro).toMatchObject({ suppressed: true, reason: 'writes its cache to /var/cache', cis: ['5.13'] });
    expect(mine.find((f: any) => f.ruleId === 'pids-limit')).toMatchObject({ suppressed: false });
  });

  test('host namespaces, 0.0.0.0 ports, added capabilities, sensitive and socket mounts, unconfined seccomp', () => {
    const { cis } = flagged(report, `container/${P}exposed`);
    // 5.4 NET_ADMIN, 5.6 /etc rw, 5.14 0.0.0.0, 5.15 retries 10, 5.16 pid host, 5.21 uts host, 5.22 seccomp, 5.32 socket
    expect(cis).toEqual(expect.arrayContaining(['5.4', '5.6', '5.14', '5.15', '5.16', '5.21', '5.22', '5.32']));
  });

  test('CIS 5.7: the running processes are read (docker top): sshd is found; a host-PID container has the host\'s', () => {
    const sshd = report.findings.find((f: any) => f.address === `container/${P}sshd` && f.ruleId === 'no-sshd');
    expect(sshd).toMatchObject({ cis: ['5.7'], suppressed: false });
    expect(sshd.message).toMatch(/sshd runs in the container: \/bin\/sshd -- sleep 600/);
    expect(flagged(report, `container/${P}exposed`).rules).toContain('no-sshd');
    for (const name of ['plain', 'hardened', 'suppressed']) expect(flagged(report, `container/${P}${name}`).cis).not.toContain('5.7');
  });

  test('the processes are read only when the profile runs no-sshd', async () => {
    const hardened = await runAudit({ names: [`${P}sshd`], services: false });
    expect(hardened.specs[0].processes).toEqual(expect.arrayContaining(['/bin/sshd -- sleep 600']));
    const restricted = await runAudit({ names: [`${P}sshd`], services: false, profile: 'restricted' });
    expect(restricted.specs[0].processes).toBeUndefined();
  });

  test('--all includes the stopped container', async () => {
    const all = await jsonAudit('--name', `${P}stopped`, '--all', '--no-services');
    expect(all.summary.resources).toBe(1);
    expect(flagged(all, `container/${P}stopped`).rules).toContain('read-only-rootfs');
    const running = await jsonAudit('--name', `${P}stopped`, '--no-services');
    expect(running.summary.resources).toBe(0);
  });

  test('--label KEY=VALUE and KEY filter; --name is a glob, repeatable', async () => {
    const web = await jsonAudit('--name', `${P}*`, '--label', 'hdaudit.role=web', '--no-services');
    expect(new Set(web.findings.map((f: any) => f.address))).toEqual(new Set([`container/${P}plain`, `container/${P}suppressed`]));
    const role = await jsonAudit('--name', `${P}*`, '--label', 'hdaudit.role', '--no-services');
    expect(role.summary.resources).toBe(3);
    const two = await jsonAudit('--name', `${P}plain`, '--name', `${P}exp?sed`, '--no-services');
    expect(new Set(two.findings.map((f: any) => f.address))).toEqual(new Set([`container/${P}plain`, `container/${P}exposed`]));
  });

  test('exit codes: 1 on errors, 0 under --fail-on never, 2 for an unreachable engine or a bad option', async () => {
    expect((await cli(['audit', '--name', `${P}plain`, '--no-services'])).code).toBe(1);
    expect((await cli(['audit', '--name', `${P}plain`, '--no-services', '--fail-on', 'never'])).code).toBe(0);
    const noEngine = await cli(['audit', '--host', 'unix:///nonexistent/hdaudit.sock']);
    expect(noEngine.code).toBe(2);
    expect(noEngine.stderr.trim().split('\n')).toHaveLength(1);
    expect(noEngine.stderr).toMatch(/cannot reach the Docker engine at unix:\/\/\/nonexistent\/hdaudit\.sock: no socket there/);
    const badFailOn = await cli(['audit', '--fail-on', 'sometimes']);
    expect(badFailOn.code).toBe(2);
    expect(badFailOn.stderr).toMatch(/--fail-on/);
    const badLabel = await cli(['audit', '--label', '=x']);
    expect(badLabel.code).toBe(2);
    expect(badLabel.stderr).toMatch(/KEY or KEY=VALUE/);
  });

  test('the restricted profile runs fewer rules: the hardened container passes it (exit 0 at --fail-on warning)', async () => {
    const r = await cli(['audit', '--name', `${P}hardened`, '--no-services', '--profile', 'restricted', '--fail-on', 'warning', '--format', 'json']);
    const unsuppressed = JSON.parse(r.stdout).findings.filter((f: any) => !f.suppressed && f.severity !== 'info');
    expect(unsuppressed).toEqual([]);
    expect(r.code).toBe(0);
  });

  test('text, sarif and --output', async () => {
    const text = await cli(['audit', '--name', `${P}exposed`, '--no-services', '--fail-on', 'never']);
    expect(text.stdout).toContain(`container/${P}exposed`);
    expect(text.stdout).toMatch(/no-host-pid|5\.16/);
    const sarif = await cli(['audit', '--name', `${P}exposed`, '--no-services', '--format', 'sarif', '--fail-on', 'never']);
    const log = JSON.parse(sarif.stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results.map((r: any) => r.ruleId)).toEqual(expect.arrayContaining(['pids-limit']));
    const dir = mkdtempSync(path.join(tmpdir(), 'hdaudit-out-'));
    try {
      const out = path.join(dir, 'audit.json');
      const r = await cli(['audit', '--name', `${P}plain`, '--no-services', '--format', 'json', '--output', out]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(JSON.parse(readFileSync(out, 'utf8')).summary.resources).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a daemon.json with no-new-privileges counts for every container (--daemon-config)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hdaudit-daemon-'));
    try {
      const file = path.join(dir, 'daemon.json');
      writeFileSync(file, JSON.stringify({ 'no-new-privileges': true }));
      const on = await jsonAudit('--name', `${P}plain`, '--no-services', '--daemon-config', file);
      expect(flagged(on, `container/${P}plain`).cis).not.toContain('5.26');
      const off = await jsonAudit('--name', `${P}plain`, '--no-services');
      expect(flagged(off, `container/${P}plain`).cis).toContain('5.26');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('Swarm: a service is audited by default on a manager; --no-services leaves it out', async () => {
    const info = await d.info();
    let initialised = false;
    if (info.Swarm?.LocalNodeState !== 'active') {
      const init = spawnSync('docker', ['swarm', 'init', '--advertise-addr', '127.0.0.1'], { encoding: 'utf8' });
      if (init.status !== 0 && !/already part of a swarm/.test(init.stderr)) throw new Error(`docker swarm init: ${init.stderr}`);
      initialised = init.status === 0;
    }
    const svc = `${P}svc`;
    try {
      const create = spawnSync('docker', ['service', 'create', '--detach', '--name', svc, '--read-only', '--cap-drop', 'ALL',
        '--limit-memory', '64m', '--limit-cpu', '0.5', '--replicas', '1', '--user', '10001',
        '--label', 'hardened-docker.suppress.ports-bound-to-interface=published through the ingress on purpose',
        '--publish', 'published=18999,target=8080', IMAGE, 'sleep', '600'], { encoding: 'utf8' });
      expect(create.stderr).not.toMatch(/Error/);
      const result = await runAudit({ names: [svc], profile: 'hardened' });
      expect(result.engine.swarmManager).toBe(true);
      const spec = result.specs.find((s) => s.address === `service/${svc}`);
      expect(spec).toMatchObject({ kind: 'docker_service', readOnly: true, capDrop: ['ALL'], memoryBytes: 64 * 1024 * 1024, nanoCpus: 5e8, user: '10001', replicas: 1 });
      const findings = result.evaluation.findings.filter((f) => f.address === `service/${svc}`);
      expect(findings.find((f) => f.ruleId === 'read-only-rootfs')).toBeUndefined();
      expect(findings.find((f) => f.ruleId === 'pids-limit')).toMatchObject({ suppressed: false });
      expect(findings.find((f) => f.ruleId === 'ports-bound-to-interface')).toMatchObject({ suppressed: true });
      const without = await runAudit({ names: [svc], services: false });
      expect(without.specs.filter((s) => s.address.startsWith('service/'))).toEqual([]);
    } finally {
      spawnSync('docker', ['service', 'rm', svc]);
      if (initialised) {
        const others = spawnSync('docker', ['service', 'ls', '-q'], { encoding: 'utf8' }).stdout.trim();
        if (others === '') spawnSync('docker', ['swarm', 'leave', '--force']);
      }
      await removeAll(d, svc);
    }
  });
});
