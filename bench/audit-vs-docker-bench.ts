/**
 * `hardened-docker audit` side by side with Docker Bench for Security's section 5 (container runtime), on the same
 * 50 running containers of the local engine. Run by hand (not part of jest), results go to docs/benchmarks.md:
 *
 *   DOCKER_BENCH_DIR=/path/to/docker-bench-security npx ts-node --transpile-only bench/audit-vs-docker-bench.ts
 *
 * DOCKER_BENCH_DIR is a checkout of github.com/docker/docker-bench-security made by you, outside this repository:
 * this project neither ships nor downloads it. Without it the bench says so and exits 0.
 *
 * What it does: starts 50 containers named hdaudit-bench-NN (a seeded mix of hardened, plain and partly hardened
 * settings; ports on 0.0.0.0 and 127.0.0.1; privileged is left out: it cannot start on this kind of host), runs
 * `docker-bench-security.sh -c container_runtime -i hdaudit-bench-` and `hardened-docker audit --name
 * 'hdaudit-bench-*'` (compiled JS, node startup included), times both (wall clock), and for each CIS id compares
 * the containers Docker Bench lists with those our findings carry that CIS id for. Agreement means every container
 * Docker Bench warns about is flagged by us with the same CIS id (we may flag more). Removes what it made.
 *
 * Options (env): BENCH_RUNS_DB (Docker Bench runs, default 2), BENCH_RUNS_AUDIT (default 11), BENCH_JSON=file (raw
 * results), BENCH_KEEP=1 (leave the containers for a look).
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'fs';
import { cpus, tmpdir } from 'os';
import * as path from 'path';
import type Docker from 'dockerode';
import { docker, ensureImage, IMAGE, removeAll } from '../test/cli/audit-engine';

const PREFIX = 'hdaudit-bench-';
const NETWORK = 'hdaudit-bench-net';
const COUNT = 50;
const ROOT = path.resolve(__dirname, '..');

/** Deterministic PRNG (mulberry32), so every run starts the same 50 containers. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0; a = (a + 0x6D2B79F5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Plan {
  readonly name: string;
  readonly kind: string;
  readonly create: Docker.ContainerCreateOptions;
}

/** The hardened settings, in groups that go together (a swap limit needs a memory limit). */
const HARDENED: Docker.HostConfig[] = [
  { ReadonlyRootfs: true, Tmpfs: { '/tmp': 'rw,noexec,nosuid,size=1m' } },
  { CapDrop: ['ALL'] },
  { SecurityOpt: ['no-new-privileges'] },
  { Memory: 64 * 1024 * 1024, MemorySwap: 64 * 1024 * 1024 },
  { CpuShares: 512 },
  { CpuPeriod: 100000, CpuQuota: 50000 },
  { PidsLimit: 64 },
  { Ulimits: [{ Name: 'nproc', Soft: 64, Hard: 64 }] },
  { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 } },
  { LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } } },
];

/** The 50 containers: 8 fully hardened, 8 plain, 34 partly hardened (each hardened setting kept or not, plus risks). */
function plans(): Plan[] {
  const rnd = prng(20261128);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const out: Plan[] = [];
  let lowPort = 900;
  for (let i = 0; i < COUNT; i++) {
    const name = `${PREFIX}${String(i).padStart(2, '0')}`;
    const kind = i < 8 ? 'hardened' : i < 16 ? 'plain' : 'partial';
    const hc: any = {};
    const cfg: any = { Image: IMAGE, Cmd: ['sleep', '3600'], Labels: { 'hdaudit.bench': kind } };
    const keep = (p: number) => kind === 'hardened' || (kind === 'partial' && rnd() < p);
    if (kind !== 'plain') {
      for (const group of HARDENED) if (keep(0.5)) Object.assign(hc, group);
      if (keep(0.5)) cfg.User = pick(['10001', '10001:10001', '65534:65534']);
      if (keep(0.5)) cfg.Healthcheck = { Test: ['CMD', 'true'], Interval: 30e9, Timeout: 5e9, Retries: 3 };
    }
    // Ports: none, 127.0.0.1, 0.0.0.0, or a low (privileged) port on 127.0.0.1.
    const ports = kind === 'hardened' ? pick(['none', 'loopback']) : pick(['none', 'loopback', 'any', 'any', 'low']);
    if (ports !== 'none') {
      const hostIp = ports === 'any' ? '0.0.0.0' : '127.0.0.1';
      const hostPort = ports === 'low' ? String(lowPort++) : '';
      cfg.ExposedPorts = { '8080/tcp': {} };
      hc.PortBindings = { '8080/tcp': [{ HostIp: hostIp, HostPort: hostPort }] };
    }
    if (kind === 'partial') {
      // Risks a partly hardened container may carry (each with a small probability).
      if (rnd() < 0.15) hc.CapAdd = [pick(['NET_ADMIN', 'SYS_PTRACE', 'NET_BIND_SERVICE', 'CHOWN', 'SYS_ADMIN'])];
      if (rnd() < 0.1) hc.PidMode = 'host';
      if (rnd() < 0.1) hc.IpcMode = 'host';
      if (rnd() < 0.1) hc.UTSMode = 'host';
      if (rnd() < 0.08) hc.NetworkMode = 'host';
      if (rnd() < 0.08) hc.UsernsMode = 'host';
      if (rnd() < 0.1) hc.SecurityOpt = [...(hc.SecurityOpt ?? []), 'seccomp=unconfined'];
      if (rnd() < 0.1) hc.Devices = [{ PathOnHost: '/dev/null', PathInContainer: '/dev/xnull', CgroupPermissions: 'rwm' }];
      if (rnd() < 0.1) hc.CgroupParent = '/hdaudit-bench';
      if (rnd() < 0.15) hc.RestartPolicy = { Name: 'on-failure', MaximumRetryCount: pick([6, 10]) };
      if (rnd() < 0.1) hc.RestartPolicy = { Name: pick(['always', 'unless-stopped']) };
      if (rnd() < 0.1) hc.NetworkMode = hc.NetworkMode ?? NETWORK;
      const binds: string[] = [];
      if (rnd() < 0.1) binds.push('/etc:/hostetc');
      if (rnd() < 0.1) binds.push('/etc:/hostetc-ro:ro');
      if (rnd() < 0.08) binds.push('/usr:/hostusr:ro');
      if (rnd() < 0.08) binds.push('/var/run/docker.sock:/var/run/docker.sock:ro');
      if (rnd() < 0.15) binds.push(`${PREFIX}vol-${i}:/data`);
      if (binds.length) hc.Binds = binds;
    }
    if (hc.NetworkMode === 'host') delete hc.PortBindings;
    if (hc.NetworkMode === 'host') delete cfg.ExposedPorts;
    out.push({ name, kind, create: { name, ...cfg, HostConfig: hc } });
  }
  return out;
}

async function startAll(d: Docker, ps: Plan[]): Promise<void> {
  await d.createNetwork({ Name: NETWORK, Labels: { 'hdaudit.bench': 'net' } }).catch(() => undefined);
  for (let i = 0; i < ps.length; i += 8) {
    await Promise.all(ps.slice(i, i + 8).map(async (p) => {
      const c = await d.createContainer(p.create);
      await c.start();
    }));
  }
}

async function cleanup(d: Docker): Promise<void> {
  await removeAll(d, PREFIX);
  const vols: any = await (d as any).listVolumes({ filters: { name: [PREFIX] } });
  await Promise.all((vols.Volumes ?? []).filter((v: any) => v.Name.startsWith(PREFIX)).map((v: any) => d.getVolume(v.Name).remove().catch(() => undefined)));
  await d.getNetwork(NETWORK).remove().catch(() => undefined);
  // The empty cgroup the CgroupParent containers left (cgroupfs driver).
  for (const controller of existsSync('/sys/fs/cgroup') ? readdirSync('/sys/fs/cgroup') : []) {
    try {
      rmdirSync(path.join('/sys/fs/cgroup', controller, 'hdaudit-bench'));
    } catch {
      // not there, or not ours to remove
    }
  }
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(ms < 10000 ? 2 : 1);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** One Docker Bench run: wall time and its JSON log. */
function runDockerBench(dir: string): { ms: number; log: any } {
  const out = mkdtempSync(path.join(tmpdir(), 'hdaudit-dbench-'));
  try {
    const logFile = path.join(out, 'bench.log');
    const t0 = process.hrtime.bigint();
    const r = spawnSync('bash', ['docker-bench-security.sh', '-b', '-c', 'container_runtime', '-i', PREFIX, '-l', logFile], {
      cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`docker-bench-security.sh exited ${r.status}: ${r.stderr.slice(0, 500)}`);
    return { ms, log: JSON.parse(readFileSync(`${logFile}.json`, 'utf8')) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Compiles src/ once to a temp dir: the audit is timed as users run it (lib/cli/main.js), not through ts-node. */
function compileCli(): string {
  const out = mkdtempSync(path.join(tmpdir(), 'hdaudit-lib-'));
  spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.json'),
    '--outDir', out, '--noEmitOnError', 'false', '--inlineSourceMap', 'false', '--inlineSources', 'false', '--declaration', 'false'], { encoding: 'utf8' });
  if (!existsSync(path.join(out, 'cli', 'main.js'))) throw new Error('compiling src/ failed: no cli/main.js');
  return out;
}

function runAuditCli(lib: string): { ms: number; report: any } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [path.join(lib, 'cli', 'main.js'), 'audit', '--name', `${PREFIX}*`, '--no-services', '--format', 'json', '--fail-on', 'never'], {
    encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`hardened-docker audit exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return { ms, report: JSON.parse(r.stdout) };
}

interface Row {
  readonly cis: string;
  readonly title: string;
  readonly dbResult: string;
  readonly db: string[];
  readonly ours: string[];
  readonly missed: string[];
  readonly stricter: string[];
  readonly rules: string[];
}

/** Container names of Docker Bench's items (`name`, `name:detail`, or `id:name` for 5.30). */
function itemContainers(items: string[] | undefined, names: Set<string>, idToName: Map<string, string>): string[] {
  const out = new Set<string>();
  for (const item of items ?? []) {
    const [head, ...rest] = item.split(':');
    const tail = rest.join(':');
    if (names.has(item)) out.add(item);
    else if (names.has(head)) out.add(head);
    else if (names.has(tail)) out.add(tail);
    else if (idToName.has(head)) out.add(idToName.get(head)!);
  }
  return [...out].sort();
}

function compare(dbLog: any, report: any, names: Set<string>, idToName: Map<string, string>): Row[] {
  const section = (dbLog.tests as any[]).find((t) => t.id === '5');
  const rows: Row[] = [];
  for (const r of section.results as any[]) {
    const ours = new Set<string>();
    const rules = new Set<string>();
    for (const f of report.findings) {
      if (f.suppressed || !f.cis.includes(r.id)) continue;
      const n = f.address.replace(/^container\//, '');
      if (names.has(n)) ours.add(n);
      rules.add(f.ruleId);
    }
    const db = itemContainers(r.items, names, idToName);
    rows.push({
      cis: r.id,
      title: String(r.desc),
      dbResult: r.result,
      db,
      ours: [...ours].sort(),
      missed: db.filter((n) => !ours.has(n)),
      stricter: [...ours].filter((n) => !db.includes(n)).sort(),
      rules: [...rules].sort(),
    });
  }
  return rows;
}

function table(rows: Row[]): string {
  const lines = [
    '| CIS | check (Docker Bench) | Docker Bench | DB lists | we flag | both | DB only (we are laxer) | we only (stricter) | our rules |',
    '|---|---|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    const both = r.db.length - r.missed.length;
    const title = r.title.replace(/^Ensure (that,? )?/, '').replace(/ \((Automated|Manual)\)$/, '').replace(/\|/g, '\\|');
    lines.push(`| ${r.cis} | ${title} | ${r.dbResult} | ${r.db.length} | ${r.ours.length} | ${both} | ${r.missed.length ? `**${r.missed.length}**: ${r.missed.join(' ')}` : 0} | ${r.stricter.length} | ${r.rules.join(', ') || '-'} |`);
  }
  return lines.join('\n');
}

async function bench(): Promise<void> {
  const dir = process.env.DOCKER_BENCH_DIR;
  if (!dir || !existsSync(path.join(dir, 'docker-bench-security.sh'))) {
    console.log('audit-vs-docker-bench: skipped: set DOCKER_BENCH_DIR to a checkout of github.com/docker/docker-bench-security (made outside this repository)');
    return;
  }
  if (spawnSync('docker', ['version', '--format', '{{.Client.Version}}']).status !== 0) {
    throw new Error('the docker CLI does not reach the engine; Docker Bench for Security needs it');
  }
  const runsDb = Number(process.env.BENCH_RUNS_DB ?? 2);
  const runsAudit = Number(process.env.BENCH_RUNS_AUDIT ?? 11);
  const d = docker();
  await d.ping();
  await ensureImage(d);
  await cleanup(d);
  const ps = plans();
  let done = false;
  const onSignal = () => {
    if (!done) void cleanup(d).finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  try {
    console.error(`starting ${ps.length} containers ...`);
    await startAll(d, ps);
    const running = await d.listContainers({ filters: { name: [PREFIX] } });
    const names = new Set(running.map((c) => c.Names[0].replace(/^\//, '')).filter((n) => n.startsWith(PREFIX)));
    if (names.size !== COUNT) throw new Error(`expected ${COUNT} running containers, found ${names.size}`);
    const idToName = new Map(running.map((c) => [c.Id, c.Names[0].replace(/^\//, '')]));

    console.error('compiling the CLI ...');
    const lib = compileCli();
    try {
      // Let the 50 starts (and the compile) settle, then warm the page cache once, as Docker Bench's first run warms
      // the docker CLI's.
      await new Promise((r) => setTimeout(r, 15_000));
      runAuditCli(lib);
      // Audit runs before, between and after the Docker Bench runs, so that both see the machine's load alike.
      const audits: Array<{ ms: number; report: any }> = [];
      const dbRuns: Array<{ ms: number; log: any }> = [];
      const auditsPerSlot = Math.ceil(runsAudit / (runsDb + 1));
      for (let i = 0; i <= runsDb; i++) {
        for (let j = 0; j < auditsPerSlot && audits.length < runsAudit; j++) audits.push(runAuditCli(lib));
        if (i === runsDb) break;
        console.error(`Docker Bench run ${i + 1}/${runsDb} ...`);
        dbRuns.push(runDockerBench(dir));
      }
      const auditMs = median(audits.map((a) => a.ms));
      const dbMs = median(dbRuns.map((r) => r.ms));
      const rows = compare(dbRuns[0].log, audits[0].report, names, idToName);
      const revision = spawnSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
      const engine = (await d.version()).Version;
      const kinds = ps.reduce((m, p) => ({ ...m, [p.kind]: (m[p.kind] ?? 0) + 1 }), {} as Record<string, number>);

      console.log(`Containers: ${COUNT} running (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ')}), engine ${engine}, cores ${cpus().length}`);
      console.log(`Docker Bench for Security ${dbRuns[0].log.dockerbenchsecurity}${revision ? ` (${revision})` : ''}, -c container_runtime: ${dbRuns.map((r) => seconds(r.ms)).join(' s, ')} s (median ${seconds(dbMs)} s)`);
      console.log(`hardened-docker audit (node ${process.version}, whole process): ${audits.map((a) => seconds(a.ms)).join(' s, ')} s (median ${seconds(auditMs)} s)`);
      console.log(`Speed-up: ${(dbMs / auditMs).toFixed(0)}x (budget: at least 50x)`);
      const missed = rows.filter((r) => r.missed.length);
      console.log(`Agreement: ${missed.length === 0 ? 'every container Docker Bench lists is flagged with the same CIS id' : `Docker Bench lists containers we do not flag under ${missed.map((r) => r.cis).join(', ')}`}`);
      console.log('');
      console.log(table(rows));
      if (process.env.BENCH_JSON) {
        writeFileSync(process.env.BENCH_JSON, JSON.stringify({ dbMs: dbRuns.map((r) => r.ms), auditMs: audits.map((a) => a.ms), rows, plans: ps, dockerBench: dbRuns[0].log, audit: audits[0].report }, null, 2));
      }
      if (missed.length) process.exitCode = 1;
    } finally {
      rmSync(lib, { recursive: true, force: true });
    }
  } finally {
    done = true;
    if (process.env.BENCH_KEEP !== '1') await cleanup(d);
  }
}

bench().catch((e) => {
  console.error(`audit-vs-docker-bench: ${e?.message ?? e}`);
  process.exitCode = 2;
});
