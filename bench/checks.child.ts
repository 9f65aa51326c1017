/**
 * One measurement for bench/checks.bench.ts, in its own process:
 *   checks.child.ts <N> <raw|library|checks> <outdir>
 * The app `cdktf synth` would run: one stack of N raw `Container`s with realistic attributes, `app.synth()` into
 * outdir. `raw` never loads the library. `library` loads it as users install it (the compiled lib/, which the parent
 * builds first), as an app that imports it for its constructs does, and adds no checks. `checks` loads it and adds
 * DockerSecurityChecks to the app (reports written, nothing printed). Reports the process from its start to the end of synth (what `cdktf synth` waits for, Node's own
 * start included), `app.synth()` alone, the construction, the time inside the checks, the CPU time of the main
 * thread and of V8's background threads during synth, and the peak RSS.
 */
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { peakRssMiB, report } from './lib/child';

/**
 * The compiled library (package.json "main"); BENCH_CHECKS_LIB names another compiled copy's index.js (inside this
 * checkout, so that it resolves the same node_modules), to compare two builds run for run.
 */
export const LIB = process.env.BENCH_CHECKS_LIB ? path.resolve(process.env.BENCH_CHECKS_LIB) : path.resolve(__dirname, '..', 'lib', 'index.js');
const LIB_DIR = path.dirname(LIB) + path.sep;

/** Container i: what a team writes by hand, mostly careful, with the usual gaps in a share of them. */
export function addContainer(stack: TerraformStack, i: number): Container {
  const team = `team${i % 20}`;
  const careful = i % 3 !== 0; // a third forget to drop capabilities and no-new-privileges
  return new Container(stack, `svc${i}`, {
    name: `svc-${i}`,
    image: i % 4 === 0
      ? `registry.local/${team}/svc-${i}@sha256:${(i * 2654435761 % 2 ** 32).toString(16).padStart(8, '0').repeat(8)}`
      : `registry.local/${team}/svc-${i}:1.${i % 7}.${i % 3}`,
    user: '10001:10001',
    readOnly: true,
    tmpfs: { '/tmp': 'rw,noexec,nosuid,size=64m', '/run': 'rw,noexec,nosuid,size=8m' },
    memory: 256 + (i % 4) * 128,
    memorySwap: 256 + (i % 4) * 128,
    cpuShares: 512,
    cpuPeriod: 100000,
    cpuQuota: 50000,
    ports: [{ internal: 8080, external: 20000 + (i % 40000), ip: i % 5 === 0 ? '0.0.0.0' : '127.0.0.1' }],
    env: [`SERVICE_ID=${i}`, 'LOG_LEVEL=info', `DATABASE_URL=postgres://db.${team}.internal:5432/svc${i}`, 'TZ=UTC'],
    volumes: [
      { volumeName: `svc-${i}-data`, containerPath: '/data' },
      { hostPath: `/srv/config/svc-${i}`, containerPath: '/etc/svc', readOnly: true },
    ],
    labels: [
      { label: 'team', value: team },
      { label: 'service', value: `svc-${i}` },
      { label: 'env', value: 'prod' },
    ],
    healthcheck: {
      test: ['CMD', 'wget', '-q', '-O-', 'http://127.0.0.1:8080/health'],
      interval: '30s', timeout: '5s', startPeriod: '10s', retries: 3,
    },
    restart: 'on-failure',
    maxRetryCount: 5,
    logDriver: 'json-file',
    logOpts: { 'max-size': '10m', 'max-file': '3' },
    networksAdvanced: [{ name: `${team}-backend` }],
    ulimit: [{ name: 'nofile', soft: 1024, hard: 2048 }, { name: 'nproc', soft: 256, hard: 256 }],
    ...(careful ? { capabilities: { drop: ['ALL'] }, securityOpts: ['no-new-privileges:true'] } : {}),
  });
}

/**
 * The hardened profile (every rule), with error-level rules reported as warnings: a rule added to the catalog later
 * that fails on these containers must not stop the benchmark. Every finding is still evaluated, annotated, reported.
 */
function benchProfile(lib: any): unknown {
  const { Profile, ProfileLevel, Severity } = lib;
  const hardened = Profile.named(ProfileLevel.HARDENED);
  return new Profile('hardened', hardened.activeRules.map((a: any) => a.rule),
    hardened.activeRules.filter((a: any) => a.severity === Severity.ERROR).map((a: any) => ({ ruleId: a.rule.metadata.id, severity: Severity.WARNING })));
}

/**
 * CPU time of this process's threads (Linux: /proc/self/task/<tid>/schedstat, time on a CPU in ns; time spent waiting
 * for one, when other processes hold both cores, is not counted). Main thread, and the others: V8's compiler and
 * garbage-collector threads, libuv's pool. Undefined where /proc is missing.
 */
function threadCpuMs(): { main: number; background: number } | undefined {
  try {
    let main = 0;
    let background = 0;
    for (const tid of fs.readdirSync('/proc/self/task')) {
      const ns = Number(fs.readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      if (Number(tid) === process.pid) main += ns;
      else background += ns;
    }
    return { main: main / 1e6, background: background / 1e6 };
  } catch {
    return undefined;
  }
}

/** The main thread's time on a CPU so far, in ms (Linux: /proc/self/task/<pid>/schedstat); undefined elsewhere. */
function mainThreadCpuMs(): number | undefined {
  try {
    return Number(fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

function main(): void {
  const [nArg, mode, outdir] = process.argv.slice(2);
  const n = Number(nArg);
  if (!Number.isInteger(n) || n <= 0 || !['raw', 'library', 'checks'].includes(mode) || !outdir) {
    throw new Error('usage: checks.child.ts <N> <raw|library|checks> <outdir>');
  }
  const gc = (global as any).gc as (() => void) | undefined;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  // The checks' own share of the synth, timed in the same process around each stack's check (the A/B comparison of
  // whole synths carries the machine's noise, often larger than the checks themselves).
  let checksMs = 0;
  let libLoadMs = 0;
  let libModules = 0;
  // The checks' time on a core (the main thread's, from /proc): steadier than wall time when the machine is busy.
  let checksCpuMs: number | undefined;
  const app = new App({ outdir });
  let lib: any;
  if (mode !== 'raw') {
    const loading = process.hrtime.bigint();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    lib = require(LIB);
    libLoadMs = Number(process.hrtime.bigint() - loading) / 1e6;
    libModules = Object.keys(require.cache).filter((k) => k.startsWith(LIB_DIR)).length;
  }
  if (mode === 'checks') {
    lib.DockerSecurityChecks.applyTo(app, { printReport: false, profile: benchProfile(lib) });
    const proto = lib.DockerSecurityChecks.prototype;
    const check = proto._checkStack;
    proto._checkStack = function timed(this: unknown, ...args: unknown[]) {
      const started = process.hrtime.bigint();
      const cpuStarted = mainThreadCpuMs();
      try {
        return check.apply(this, args);
      } finally {
        checksMs += Number(process.hrtime.bigint() - started) / 1e6;
        const cpuEnded = mainThreadCpuMs();
        if (cpuStarted !== undefined && cpuEnded !== undefined) checksCpuMs = (checksCpuMs ?? 0) + cpuEnded - cpuStarted;
      }
    };
  }
  const stack = new TerraformStack(app, 'bench');
  new DockerProvider(stack, 'docker');
  for (let i = 0; i < n; i++) addContainer(stack, i);
  const t1 = process.hrtime.bigint();
  const c1 = process.cpuUsage(c0);
  const beforeGc = process.cpuUsage();
  gc?.();
  const gcMs = Number(process.hrtime.bigint() - t1) / 1e6;
  const c2 = process.cpuUsage();
  const gcCpu = process.cpuUsage(beforeGc);
  const threads0 = threadCpuMs();
  const t2 = process.hrtime.bigint();
  app.synth();
  const t3 = process.hrtime.bigint();
  const threads1 = threadCpuMs();
  const c3 = process.cpuUsage(c2);
  // From the process's start (Node's own start included) to the end of synth, less the forced gc() above.
  const processMs = performance.now() - gcMs;
  const processCpu = process.cpuUsage(gcCpu);
  const peak = peakRssMiB(); // before reading the report below
  const stackDir = path.join(outdir, 'stacks', 'bench');
  const reportFile = path.join(stackDir, 'hardened-docker-report.json');
  const summary = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf8')).summary : undefined;
  const size = (f: string) => (fs.existsSync(path.join(stackDir, f)) ? fs.statSync(path.join(stackDir, f)).size : 0);
  report({
    n,
    mode,
    constructMs: Number(t1 - t0) / 1e6,
    libLoadMs,
    libModules,
    synthMs: Number(t3 - t2) / 1e6,
    checksMs,
    checksCpuMs,
    synthCpuMs: (c3.user + c3.system) / 1000,
    mainCpuMs: threads0 && threads1 ? threads1.main - threads0.main : undefined,
    backgroundCpuMs: threads0 && threads1 ? threads1.background - threads0.background : undefined,
    // The whole app run after its modules loaded: construction plus synth (the forced gc() between them excluded).
    appMs: Number(t1 - t0 + t3 - t2) / 1e6,
    appCpuMs: (c1.user + c1.system + c3.user + c3.system) / 1000,
    processMs,
    processCpuMs: (processCpu.user + processCpu.system) / 1000,
    peakRssMiB: peak,
    summary,
    bytes: { tf: size('cdk.tf.json'), json: size('hardened-docker-report.json'), sarif: size('hardened-docker-report.sarif') },
  });
}

if (require.main === module) main();
