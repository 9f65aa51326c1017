/**
 * Proof on a real engine: a default HardenedContainer against, for contrast, a default raw `Container` of the same
 * image. Both are synthesized with cdktf and created through test/runtime/harness.ts, which maps the
 * `docker_container` JSON to the Engine API as provider kreuzwerker/docker 3.6.2 does.
 *
 * Needs a Docker engine and the image from scripts/build-test-images.sh (`.ci/run` does both).
 * Every probe records what it saw; afterAll writes the table to test-reports/runtime-proof.md.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { Container } from '@cdktf/provider-docker/lib/container';
import { TerraformStack, Testing } from 'cdktf';
import Docker from 'dockerode';
import {
  cleanup, createFromSynth, describeEngine, docker, planFromSynth, removeContainer, RUN_ID, NAME_PREFIX, sh,
  synthContainers, TEST_IMAGE, waitFor, ExecResult,
} from './harness';
import { HardenedContainer } from '../../src/constructs/hardened-container';
import { builtinRule } from '../../src/rules/catalog';
import { RuleStatus } from '../../src/rules/rule';
import { specFromContainerInspect } from '../../src/spec/engine-adapter';

const n = (what: string) => `${NAME_PREFIX}${what}-${RUN_ID}`;
const HTTP_PORT = 8080;
const HEALTH = ['wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${HTTP_PORT}/`];
const HOST_CGROUPNS_REASON = 'a cgroup exporter reads the host cgroup tree on purpose';

type Variant = 'plain' | 'hardened';

/** One stack, two variants of each container: default raw Container vs default HardenedContainer. */
function synthAll(): Record<string, Record<string, any>> {
  const stack = new TerraformStack(Testing.app(), 'runtime-proof');
  const both = (what: string, command: string[], extra: { ports?: boolean; user?: string } = {}) => {
    new Container(stack, `plain-${what}`, {
      name: n(`plain-${what}`),
      image: TEST_IMAGE,
      command,
      ports: extra.ports ? [{ internal: HTTP_PORT }] : undefined,
    });
    new HardenedContainer(stack, `hardened-${what}`, {
      name: n(`hardened-${what}`),
      image: TEST_IMAGE,
      command,
      user: extra.user,
      ports: extra.ports ? [{ internal: HTTP_PORT }] : undefined,
      healthcheck: extra.ports ? { command: HEALTH, intervalSeconds: 1, timeoutSeconds: 3, retries: 3 } : undefined,
    });
  };
  both('svc', ['httpd', '-f', '-p', String(HTTP_PORT), '-h', '/www'], { ports: true });
  both('oom', ['probe', 'mem', '400']);
  // RLIMIT_NPROC counts every process of a UID on the host: the fork probe runs under a UID of its own, as the docs
  // advise for every service, so that filling its limit cannot stop other uid-10001 test containers from forking.
  both('fork', ['sleep', '3600'], { user: '10999:10999' });
  // The one opt-out this suite starts: sharing the host's cgroup namespace, to show the default is what keeps it private.
  new HardenedContainer(stack, 'hardened-hostcgroupns', {
    name: n('hardened-hostcgroupns'),
    image: TEST_IMAGE,
    command: ['sleep', '3600'],
    optOuts: { hostCgroupNamespace: { reason: HOST_CGROUPNS_REASON } },
  });
  return synthContainers(stack);
}

// ----- the observations that become the table -----
interface Row { probe: string; plain?: string; hardened?: string; by?: string }
const rows: Row[] = [];
function record(probe: string, v: Variant, observed: string, by?: string): void {
  let row = rows.find((r) => r.probe === probe);
  if (!row) rows.push(row = { probe });
  row[v] = observed.replace(/\s+/g, ' ').trim();
  if (by) row.by = by;
}
const firstLine = (r: ExecResult) => (r.output.trim().split('\n').find((l) => l.trim()) ?? '').trim();

function statusField(status: string, field: string): string {
  const m = new RegExp(`^${field}:\\s*(\\S+)`, 'm').exec(status);
  if (!m) throw new Error(`no ${field} in /proc/self/status:\n${status}`);
  return m[1];
}

/** Reads a cgroup value inside the container: cgroup v1 path first, v2 second. */
async function cgroup(c: Docker.Container, v1: string, v2: string): Promise<string | undefined> {
  const r = await sh(c, `cat /sys/fs/cgroup/${v1} 2>/dev/null || cat /sys/fs/cgroup/${v2} 2>/dev/null`);
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

function httpGet(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/', timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d) => body += d);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject).on('timeout', function (this: http.ClientRequest) {
      this.destroy(new Error('timeout'));
    });
  });
}

/** Host listening TCP sockets on `port` (`ss -Hltn`, or /proc/net/tcp{,6} when ss is missing). */
function hostListeners(port: number): string[] {
  const ss = spawnSync('ss', ['-Hltn', `sport = :${port}`], { encoding: 'utf8' });
  if (ss.status === 0) {
    return ss.stdout.split('\n').map((l) => l.trim().split(/\s+/)[3]).filter((a): a is string => !!a);
  }
  const out: string[] = [];
  for (const [file, v6] of [['/proc/net/tcp', false], ['/proc/net/tcp6', true]] as const) {
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 4 || f[3] !== '0A') continue; // 0A = LISTEN
      const [hexIp, hexPort] = f[1].split(':');
      if (parseInt(hexPort, 16) !== port) continue;
      if (v6) out.push(/^0+$/.test(hexIp) ? `[::]:${port}` : `[${hexIp}]:${port}`);
      else out.push(`${hexIp.match(/../g)!.reverse().map((b) => parseInt(b, 16)).join('.')}:${port}`);
    }
  }
  return out;
}

describeEngine('runtime proof: default HardenedContainer vs default raw Container', () => {
  let bodies: Record<string, Record<string, any>>;
  const c: Record<string, Docker.Container> = {};
  const svc = (v: Variant) => c[`${v}-svc`];

  beforeAll(async () => {
    await docker().getImage(TEST_IMAGE).inspect().catch((e) => {
      throw e?.statusCode === 404 ? new Error(`image ${TEST_IMAGE} is missing: run scripts/build-test-images.sh`) : e;
    });
    bodies = synthAll();
    // the fork containers are created by their own test, right before use
    await Promise.all(['svc', 'oom'].flatMap((what) => (['plain', 'hardened'] as const).map(async (v) => {
      c[`${v}-${what}`] = await createFromSynth(bodies[n(`${v}-${what}`)]);
    })));
  }, 60_000);

  afterAll(async () => {
    await cleanup();
    if (rows.length) {
      const dir = path.join(__dirname, '..', '..', 'test-reports');
      fs.mkdirSync(dir, { recursive: true });
      const table = ['| probe | default raw `Container` | default `HardenedContainer` | stopped by |', '|---|---|---|---|',
        ...rows.map((r) => `| ${r.probe} | ${r.plain ?? ''} | ${r.hardened ?? ''} | ${r.by ?? ''} |`)].join('\n');
      fs.writeFileSync(path.join(dir, 'runtime-proof.md'), table + '\n');
    }
  }, 60_000);

  test('the engine holds what provider 3.6.2 would send for the default HardenedContainer', async () => {
    const plan = planFromSynth(bodies[n('hardened-svc')]).create;
    const i = await svc('hardened').inspect();
    expect(i.Config.User).toBe('10001:10001');
    expect(i.Config.User).toBe(plan.User);
    expect(i.HostConfig).toMatchObject({
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': expect.stringMatching(/noexec/) },
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges:true'],
      Memory: 256 * 1024 * 1024,
      MemorySwap: 256 * 1024 * 1024,
      CpuPeriod: 100000,
      CpuQuota: 50000,
      Init: true,
      RestartPolicy: { Name: 'on-failure', MaximumRetryCount: plan.HostConfig!.RestartPolicy!.MaximumRetryCount },
      LogConfig: { Type: 'json-file' },
      Privileged: false,
    });
    expect(i.HostConfig.Tmpfs).toEqual(plan.HostConfig!.Tmpfs);
    expect(i.HostConfig.Ulimits).toEqual(expect.arrayContaining([expect.objectContaining({ Name: 'nproc' }), expect.objectContaining({ Name: 'nofile' })]));
    expect(i.HostConfig.PortBindings).toEqual(plan.HostConfig!.PortBindings);
    // the engine stores the healthcheck without its zero durations (omitempty)
    const hc = Object.fromEntries(Object.entries(plan.Healthcheck ?? {}).filter(([, v]) => v !== 0 && v !== undefined));
    expect(i.Config.Healthcheck).toEqual(hc);
  });

  test('the default user: plain runs as root, hardened as 10001', async () => {
    const p = await sh(svc('plain'), 'probe ids');
    const h = await sh(svc('hardened'), 'probe ids');
    expect(p.stdout).toContain('ruid=0 euid=0');
    expect(h.stdout).toContain('ruid=10001 euid=10001');
    record('process user', 'plain', 'uid 0 (root)');
    record('process user', 'hardened', 'uid 10001', 'user 10001:10001');
  });

  test('writing to the root filesystem', async () => {
    const p = await sh(svc('plain'), 'echo x >/probe-file && echo written');
    const h = await sh(svc('hardened'), 'echo x >/probe-file && echo written');
    expect(p.exitCode).toBe(0);
    expect(h.exitCode).not.toBe(0);
    expect(h.output).toMatch(/Read-only file system/);
    record('write to the root filesystem', 'plain', 'allowed');
    record('write to the root filesystem', 'hardened', `denied: "${firstLine(h)}"`, 'read_only');
  });

  test('writing, then executing a file in /tmp', async () => {
    const script = "printf '#!/bin/sh\\necho ran\\n' >/tmp/x.sh && chmod +x /tmp/x.sh && echo written && /tmp/x.sh";
    const p = await sh(svc('plain'), script);
    const h = await sh(svc('hardened'), script);
    expect(p.exitCode).toBe(0);
    expect(p.stdout).toContain('ran');
    expect(h.stdout).toContain('written'); // /tmp is writable (tmpfs) ...
    expect(h.stdout).not.toContain('ran'); // ... but nothing in it runs
    expect(h.exitCode).not.toBe(0);
    expect(h.output).toMatch(/Permission denied/);
    record('write, then execute a file in /tmp', 'plain', 'written and executed');
    record('write, then execute a file in /tmp', 'hardened', `written; exec denied: "${firstLine({ ...h, output: h.stderr })}"`,
      'tmpfs /tmp noexec,nosuid,nodev');
  });

  test('/proc/self/status: CapEff, NoNewPrivs, Seccomp', async () => {
    const p = (await sh(svc('plain'), 'cat /proc/self/status')).stdout;
    const h = (await sh(svc('hardened'), 'cat /proc/self/status')).stdout;
    expect(BigInt('0x' + statusField(p, 'CapEff'))).not.toBe(0n);
    expect(BigInt('0x' + statusField(h, 'CapEff'))).toBe(0n);
    expect(statusField(p, 'NoNewPrivs')).toBe('0');
    expect(statusField(h, 'NoNewPrivs')).toBe('1');
    expect(statusField(p, 'Seccomp')).toBe('2');
    expect(statusField(h, 'Seccomp')).toBe('2'); // Docker's default seccomp profile is kept
    const fmt = (s: string) => `CapEff ${statusField(s, 'CapEff')}, NoNewPrivs ${statusField(s, 'NoNewPrivs')}, Seccomp ${statusField(s, 'Seccomp')}`;
    record('capabilities, no-new-privileges, seccomp (`/proc/self/status`)', 'plain', fmt(p));
    record('capabilities, no-new-privileges, seccomp (`/proc/self/status`)', 'hardened', fmt(h),
      'cap drop ALL, no-new-privileges (seccomp: Docker default kept)');
  });

  test('gaining root through a setuid-root binary', async () => {
    // In the plain container the default user is already root; even a process started as 10001 gains root.
    const p = await sh(svc('plain'), 'suid-probe setuid', { user: '10001:10001' });
    const h = await sh(svc('hardened'), 'suid-probe setuid');
    expect(p.stdout).toContain('setuid0=ok ruid=0 euid=0');
    expect(h.stdout).toContain('setuid0=EPERM ruid=10001 euid=10001');
    record('gain root through a setuid-root binary', 'plain', `already root; a uid-10001 process gets root too (${p.stdout.trim()})`);
    record('gain root through a setuid-root binary', 'hardened', `denied (${h.stdout.trim()})`, 'no-new-privileges, non-root user');
  });

  test('opening a raw socket', async () => {
    const p = await sh(svc('plain'), 'probe rawsock');
    const h = await sh(svc('hardened'), 'probe rawsock');
    expect(p.stdout).toContain('rawsock=ok');
    expect(h.stdout).toContain('rawsock=EPERM');
    record('open a raw socket', 'plain', 'allowed (NET_RAW)');
    record('open a raw socket', 'hardened', 'denied (EPERM)', 'cap drop ALL');
  });

  test('mounting a filesystem', async () => {
    const p = await sh(svc('plain'), 'mount -t tmpfs none /mnt && echo mounted');
    const h = await sh(svc('hardened'), 'mount -t tmpfs none /mnt && echo mounted');
    // Docker's default capability set has no SYS_ADMIN: the plain container cannot mount either.
    expect(p.stdout).not.toContain('mounted');
    expect(p.output).toMatch(/permission denied/i);
    expect(h.stdout).not.toContain('mounted');
    expect(h.output).toMatch(/permission denied/i);
    record('mount a filesystem', 'plain', `denied: "${firstLine(p)}"`);
    record('mount a filesystem', 'hardened', `denied: "${firstLine(h)}"`, 'Docker default already (no SYS_ADMIN); cap drop ALL keeps it');
  });

  test('changing file ownership', async () => {
    const p = await sh(svc('plain'), 'touch /tmp/own && chown 10001:10001 /tmp/own && echo chowned');
    const h = await sh(svc('hardened'), 'touch /tmp/own && chown 0:0 /tmp/own && echo chowned');
    expect(p.stdout).toContain('chowned');
    expect(h.stdout).not.toContain('chowned');
    expect(h.output).toMatch(/Operation not permitted/);
    record('change file ownership (chown)', 'plain', 'allowed (CHOWN)');
    record('change file ownership (chown)', 'hardened', `denied: "${firstLine(h)}"`, 'cap drop ALL, non-root user');
  });

  test('chroot', async () => {
    const p = await sh(svc('plain'), 'chroot / true && echo chrooted');
    const h = await sh(svc('hardened'), 'chroot / true && echo chrooted');
    expect(p.stdout).toContain('chrooted');
    expect(h.stdout).not.toContain('chrooted');
    expect(h.output).toMatch(/Operation not permitted/);
    record('chroot', 'plain', 'allowed (SYS_CHROOT)');
    record('chroot', 'hardened', `denied: "${firstLine(h)}"`, 'cap drop ALL');
  });

  test('allocating beyond the memory limit: OOM-killed, no swap', async () => {
    // plain: no limit, 400 MiB allocated, exits 0
    const po = await waitFor(c['plain-oom'], (i) => !i.State.Running, 60_000);
    expect(po.State.OOMKilled).toBe(false);
    expect(po.State.ExitCode).toBe(0);
    expect(po.HostConfig.Memory).toBe(0);
    // hardened: killed by the kernel's OOM killer inside the 256 MiB cgroup (it is restarted on failure: each run dies)
    const ho = await waitFor(c['hardened-oom'], (i) => i.State.OOMKilled === true, 60_000);
    expect(ho.HostConfig.Memory).toBe(256 * 1024 * 1024);
    expect(ho.HostConfig.MemorySwap).toBe(ho.HostConfig.Memory); // swap = memory: no swap at all

    // the cgroup itself: memory limit and memory+swap limit are equal (v1), or swap.max is 0 (v2)
    const limit = await cgroup(svc('hardened'), 'memory/memory.limit_in_bytes', 'memory.max');
    expect(limit).toBe(String(256 * 1024 * 1024));
    const memsw = await cgroup(svc('hardened'), 'memory/memory.memsw.limit_in_bytes', 'memory.swap.max');
    if (memsw !== undefined) expect([limit, '0']).toContain(memsw);
    const plainLimit = await cgroup(svc('plain'), 'memory/memory.limit_in_bytes', 'memory.max');
    expect(plainLimit === 'max' || BigInt(plainLimit ?? '0') > BigInt(2 ** 40)).toBe(true);

    record('allocate 400 MiB', 'plain', `allowed (no limit; exit ${po.State.ExitCode})`);
    record('allocate 400 MiB', 'hardened', 'OOM-killed (State.OOMKilled true); ' +
      `cgroup limit ${limit}, memory+swap limit ${memsw ?? 'n/a'}: no swap`, 'memory 256 MiB, memory_swap = memory');
  });

  test('forking beyond the process limit', async () => {
    const fork = 'i=0; while [ $i -lt 300 ]; do sleep 5 & i=$((i+1)); done; echo spawned=$i';
    for (const v of ['plain', 'hardened'] as const) {
      const ctr = await createFromSynth(bodies[n(`${v}-fork`)]);
      try {
        const r = await sh(ctr, fork);
        if (v === 'plain') {
          expect(r.stdout).toContain('spawned=300');
          record('fork 300 processes', v, 'allowed (300 started)');
        } else {
          expect(r.stdout).not.toContain('spawned=300');
          expect(r.output).toMatch(/can't fork/);
          record('fork 300 processes', v, `stopped: "${firstLine({ ...r, output: r.stderr })}"`,
            'nproc ulimit 256 (per UID, host-wide: provider 3.6.2 has no pids_limit)');
        }
      } finally {
        await removeContainer(ctr.id); // frees the UID's process slots at once
      }
    }
  }, 60_000);

  test('burning CPU: the quota throttles it', async () => {
    // Counters from the container's CPU cgroup (v1: cpu.stat + cpuacct.usage in ns; v2: cpu.stat, usage in µs).
    const counters = async (ctr: Docker.Container) => {
      const st = (await cgroup(ctr, 'cpu/cpu.stat', 'cpu.stat')) ?? '';
      const v1usage = await cgroup(ctr, 'cpuacct/cpuacct.usage', 'cpuacct.usage');
      const usageNs = v1usage !== undefined ? Number(v1usage) : Number(/usage_usec (\d+)/.exec(st)?.[1] ?? NaN) * 1000;
      return { throttled: Number(/nr_throttled (\d+)/.exec(st)?.[1] ?? NaN), usageNs };
    };
    // two busy loops for 2 s each; the CPU time they got is read from the kernel's accounting, not from a clock
    const burn = async (ctr: Docker.Container) => {
      const before = await counters(ctr);
      const t0 = process.hrtime.bigint();
      await sh(ctr, 'for i in 1 2; do timeout -s KILL 2 sh -c "while :; do :; done" & done; wait; true');
      const wallNs = Number(process.hrtime.bigint() - t0);
      const after = await counters(ctr);
      return { throttled: after.throttled, cpus: (after.usageNs - before.usageNs) / wallNs, usedNs: after.usageNs - before.usageNs, wallNs };
    };
    const p = await burn(svc('plain'));
    let h = await burn(svc('hardened'));
    // On a saturated machine the burner may get less CPU than its quota, and then nothing is throttled: burn again.
    for (let i = 0; i < 2 && h.throttled === 0; i++) h = await burn(svc('hardened'));

    const pq = await cgroup(svc('plain'), 'cpu/cpu.cfs_quota_us', 'cpu.max');
    const hq = await cgroup(svc('hardened'), 'cpu/cpu.cfs_quota_us', 'cpu.max');
    expect(hq === '50000' || hq === '50000 100000').toBe(true);
    expect(pq === '-1' || pq?.startsWith('max')).toBe(true);
    expect(p.throttled).toBe(0);
    // The quota's invariant, whatever the load: never more than 0.5 CPU over the burn (+ one period of slack).
    expect(h.usedNs).toBeLessThanOrEqual(0.5 * h.wallNs + 100e6);
    if (h.throttled === 0) {
      // Only acceptable when the burner never reached its quota (other load on the host starved it).
      expect(h.cpus).toBeLessThan(0.45);
      // eslint-disable-next-line no-console
      console.log(`[runtime] CPU probe: host too busy to reach the 0.5 CPU quota (got ${h.cpus.toFixed(2)} CPU): no throttling to see`);
    } else {
      expect(h.throttled).toBeGreaterThan(0);
    }
    record('burn CPU (2 busy loops, 2 s)', 'plain', `not throttled (quota ${pq}, nr_throttled 0, used ${p.cpus.toFixed(2)} CPU)`);
    record('burn CPU (2 busy loops, 2 s)', 'hardened',
      `${h.throttled > 0 ? 'throttled' : 'starved by host load'} (quota ${hq} µs per 100000 µs, nr_throttled ${h.throttled}, ` +
      `used ${h.cpus.toFixed(2)} CPU)`, 'cpu_period/cpu_quota (0.5 CPU)');
  });

  test('seeing host processes', async () => {
    for (const v of ['plain', 'hardened'] as const) {
      const r = await sh(svc(v), 'ps -o pid,user,args');
      const procs = r.stdout.trim().split('\n').slice(1);
      expect(r.exitCode).toBe(0);
      expect(procs.length).toBeLessThan(10); // only the container's own: PID 1, httpd, this ps (and its shell)
      expect(r.stdout).not.toMatch(/dockerd|containerd|jest|node /);
      record('see host processes', v, `no: ${procs.length} processes, all the container's own`,
        v === 'hardened' ? 'Docker default already (PID namespace); no pid_mode host' : undefined);
    }
  });

  test('the cgroup namespace: private for HardenedContainer, the host\'s for a raw Container on cgroup v1 and with the opt-out', async () => {
    const hostNs = fs.readlinkSync('/proc/self/ns/cgroup');
    const v1 = (await docker().info()).CgroupVersion !== '2';
    const rule = builtinRule('no-host-cgroupns')!;
    const probe = async (ctr: Docker.Container) => {
      const info = await ctr.inspect();
      const ns = (await sh(ctr, 'readlink /proc/self/ns/cgroup')).stdout.trim();
      const paths = (await sh(ctr, 'cat /proc/self/cgroup')).stdout.trim().split('\n').map((l) => l.slice(l.indexOf(':', l.indexOf(':') + 1) + 1));
      const mode = (info.HostConfig as { CgroupnsMode?: string }).CgroupnsMode;
      return { info, mode, ns, paths, audit: rule.check(specFromContainerInspect(info)).status };
    };
    const shared = await createFromSynth(bodies[n('hardened-hostcgroupns')]);
    try {
      const p = await probe(svc('plain'));
      const h = await probe(svc('hardened'));
      const o = await probe(shared);
      expect(hostNs).toMatch(/^cgroup:\[\d+\]$/);
      // HardenedContainer: asked for private, its own namespace, rooted at its own cgroup (no host path, no id).
      expect((planFromSynth(bodies[n('hardened-svc')]).create.HostConfig as { CgroupnsMode?: string }).CgroupnsMode).toBe('private');
      expect(h.mode).toBe('private');
      expect(h.ns).toMatch(/^cgroup:\[\d+\]$/);
      expect(h.ns).not.toBe(hostNs);
      expect(h.paths.length).toBeGreaterThan(0);
      expect(new Set(h.paths)).toEqual(new Set(['/']));
      expect(h.audit).toBe(RuleStatus.PASS);
      // The opt-out: the host's namespace; its cgroup paths name the container (/docker/<id> or docker-<id>.scope).
      expect(o.mode).toBe('host');
      expect(o.ns).toBe(hostNs);
      expect(o.paths.every((path_) => path_.includes(o.info.Id))).toBe(true);
      expect(o.audit).toBe(RuleStatus.FAIL);
      expect(o.info.Config.Labels['hardened-docker.suppress.no-host-cgroupns']).toBe(HOST_CGROUPNS_REASON);
      // A raw Container sets nothing: Docker's default, the host's namespace on cgroup v1, private on v2.
      expect(p.mode).toBe(v1 ? 'host' : 'private');
      if (v1) expect(p.ns).toBe(hostNs);
      else expect(p.ns).not.toBe(hostNs);
      expect(p.audit).toBe(v1 ? RuleStatus.FAIL : RuleStatus.PASS);
      const shown = (x: { ns: string; paths: string[] }) => `${x.ns === hostNs ? 'the host\'s' : 'its own'} (${x.ns}); /proc/self/cgroup ${x.paths[0]}`;
      record('cgroup namespace (`readlink /proc/self/ns/cgroup`)', 'plain', `${shown(p)}; audit: no-host-cgroupns ${p.audit}`);
      record('cgroup namespace (`readlink /proc/self/ns/cgroup`)', 'hardened', `${shown(h)}; audit: no-host-cgroupns ${h.audit}`,
        `cgroupns_mode private (host ${hostNs}; with optOuts.hostCgroupNamespace: ${shown({ ...o, paths: [o.paths[0].replace(o.info.Id, '<id>')] })})`);
    } finally {
      await removeContainer(shared.id);
    }
  });

  test('finding a Docker socket', async () => {
    for (const v of ['plain', 'hardened'] as const) {
      const r = await sh(svc(v), 'ls -l /var/run/docker.sock /run/docker.sock 2>&1; find / -xdev -type s 2>/dev/null | head -5');
      expect(r.stdout).toMatch(/No such file or directory/);
      expect(r.stdout).not.toMatch(/docker\.sock\s*$/m);
      record('find a Docker socket', v, 'none mounted', v === 'hardened' ? 'Docker default already; no such volume' : undefined);
    }
  });

  test('listening beyond the bound interface: the published port is on 127.0.0.1 only', async () => {
    const key = `${HTTP_PORT}/tcp`;
    const pi = await svc('plain').inspect();
    const hi = await svc('hardened').inspect();
    const pb = pi.NetworkSettings.Ports[key] ?? [];
    const hb = hi.NetworkSettings.Ports[key] ?? [];
    expect(pb.some((b) => b.HostIp === '0.0.0.0')).toBe(true);
    expect(hb.length).toBeGreaterThan(0);
    expect(hb.every((b) => b.HostIp === '127.0.0.1')).toBe(true);

    const pl = [...new Set(pb.map((b) => Number(b.HostPort)))].flatMap(hostListeners);
    const hl = hostListeners(Number(hb[0].HostPort));
    expect(pl.some((a) => a.startsWith('0.0.0.0:') || a.startsWith('*:') || a.startsWith('[::]:'))).toBe(true);
    expect(hl.length).toBeGreaterThan(0); // docker-proxy's socket (userland proxy, Docker's default)
    expect(hl.every((a) => a.startsWith('127.0.0.1:'))).toBe(true);
    record('publish a port: where the host listens', 'plain', `every interface (${[...new Set(pl)].join(', ')})`);
    record('publish a port: where the host listens', 'hardened', `loopback only (${[...new Set(hl)].join(', ')})`,
      'ports ip 127.0.0.1');
  });

  test('a default HardenedContainer still runs a real service: httpd as uid 10001, healthy, serving on 127.0.0.1', async () => {
    const info = await waitFor(svc('hardened'), (i) => i.State.Health?.Status === 'healthy', 30_000);
    expect(info.State.Health?.Status).toBe('healthy');
    const port = Number(info.NetworkSettings.Ports[`${HTTP_PORT}/tcp`]![0].HostPort);
    const res = await httpGet(port);
    expect(res.status).toBe(200);
    expect(res.body).toContain('hardened-docker runtime test');
    const ps = await sh(svc('hardened'), 'ps -o user,args');
    expect(ps.stdout).toMatch(/^\s*app\s+httpd -f/m); // app = uid 10001 in the image's /etc/passwd
    expect(ps.stdout).not.toMatch(/^\s*root\s/m);
    record('run busybox httpd with a healthcheck', 'plain', 'serves (as root, on every interface)');
    record('run busybox httpd with a healthcheck', 'hardened', `serves as uid 10001 on 127.0.0.1:${port}; Health.Status healthy`);
  });

  test('privileged is checked statically (it cannot start on this sandbox)', () => {
    // --privileged fails here ("unable to apply caps"): compare what the provider would send instead.
    const h = planFromSynth(bodies[n('hardened-svc')]).create.HostConfig!;
    const stack = new TerraformStack(Testing.app(), 'priv');
    new Container(stack, 'p', { name: n('priv'), image: TEST_IMAGE, privileged: true });
    const p = planFromSynth(synthContainers(stack)[n('priv')]).create.HostConfig!;
    expect(p.Privileged).toBe(true);
    expect(h.Privileged).toBe(false);
    expect(h.CapAdd).toEqual([]);
    expect(h.CapDrop).toEqual(['ALL']);
  });
});
