/**
 * One measurement for bench/checks.bench.ts, in its own process:
 *   checks.child.ts <N> <raw|checks> <outdir>
 * Builds one stack of N raw `Container`s with realistic attributes, runs `app.synth()` into outdir (with
 * DockerSecurityChecks on the app for `checks`: reports written, nothing printed) and reports the synth wall time,
 * the construction time, the whole app run (construction + synth) and the process's peak RSS.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { peakRssMiB, report } from './lib/child';
import { DockerSecurityChecks } from '../src/checks/docker-security-checks';
import { Profile, ProfileLevel } from '../src/profiles/profile';
import { Severity } from '../src/rules/rule';

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
function benchProfile(): Profile {
  const hardened = Profile.named(ProfileLevel.HARDENED);
  return new Profile('hardened', hardened.activeRules.map((a) => a.rule),
    hardened.activeRules.filter((a) => a.severity === Severity.ERROR).map((a) => ({ ruleId: a.rule.metadata.id, severity: Severity.WARNING })));
}

function main(): void {
  const [nArg, mode, outdir] = process.argv.slice(2);
  const n = Number(nArg);
  if (!Number.isInteger(n) || n <= 0 || (mode !== 'raw' && mode !== 'checks') || !outdir) {
    throw new Error('usage: checks.child.ts <N> <raw|checks> <outdir>');
  }
  const gc = (global as any).gc as (() => void) | undefined;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const app = new App({ outdir });
  if (mode === 'checks') DockerSecurityChecks.applyTo(app, { printReport: false, profile: benchProfile() });
  const stack = new TerraformStack(app, 'bench');
  new DockerProvider(stack, 'docker');
  for (let i = 0; i < n; i++) addContainer(stack, i);
  const t1 = process.hrtime.bigint();
  const c1 = process.cpuUsage(c0);
  // The checks' own share of the synth, timed in the same process around each stack's check (the A/B comparison of
  // whole synths carries the machine's noise, often larger than the checks themselves).
  let checksMs = 0;
  if (mode === 'checks') {
    const proto = DockerSecurityChecks.prototype as any;
    const check = proto._checkStack;
    proto._checkStack = function timed(this: unknown, ...args: unknown[]) {
      const started = process.hrtime.bigint();
      try {
        return check.apply(this, args);
      } finally {
        checksMs += Number(process.hrtime.bigint() - started) / 1e6;
      }
    };
  }
  gc?.();
  const c2 = process.cpuUsage();
  const t2 = process.hrtime.bigint();
  app.synth();
  const t3 = process.hrtime.bigint();
  const c3 = process.cpuUsage(c2);
  const peak = peakRssMiB(); // before reading the report below
  const stackDir = path.join(outdir, 'stacks', 'bench');
  const reportFile = path.join(stackDir, 'hardened-docker-report.json');
  const summary = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf8')).summary : undefined;
  const size = (f: string) => (fs.existsSync(path.join(stackDir, f)) ? fs.statSync(path.join(stackDir, f)).size : 0);
  report({
    n,
    mode,
    constructMs: Number(t1 - t0) / 1e6,
    synthMs: Number(t3 - t2) / 1e6,
    checksMs,
    synthCpuMs: (c3.user + c3.system) / 1000,
    // The whole app run, what a user waits for in `cdktf synth` after Node and the modules have loaded: construction
    // plus synth (the forced gc() between them excluded).
    appMs: Number(t1 - t0 + t3 - t2) / 1e6,
    appCpuMs: (c1.user + c1.system + c3.user + c3.system) / 1000,
    peakRssMiB: peak,
    summary,
    bytes: { tf: size('cdk.tf.json'), json: size('hardened-docker-report.json'), sarif: size('hardened-docker-report.sarif') },
  });
}

if (require.main === module) main();
