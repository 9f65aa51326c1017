/**
 * One measurement for bench/hardened-container.bench.ts, in its own process:
 *   hardened-container.child.ts <N> <hardened|raw> <outdir>
 * Builds one stack of N containers, either as `HardenedContainer`s or as raw `Container`s carrying by hand the
 * attributes HardenedContainer synthesizes for the same props, runs `app.synth()` into outdir, and prints one line
 * `BENCH_RESULT {"wallMs", "cpuMs", "constructMs", "peakRssMiB"}` (cpuMs: user + system CPU time of the process over the
 * same span, much less sensitive than wall time to other jobs on a shared machine). Both modes load the same modules, so the baselines match.
 */
import * as fs from 'fs';
import { Container } from '@cdktf/provider-docker/lib/container';
import { App, TerraformStack } from 'cdktf';
import { HardenedContainer, HardenedContainerProps } from '../src/constructs/hardened-container';
import { timeBuildAndSynth } from './lib/stack';

/** A realistic service: ports, healthcheck, env, a volume, a network, labels, one writable path. */
export function hardenedProps(i: number): HardenedContainerProps {
  const team = `team${i % 20}`;
  return {
    name: `svc-${i}`,
    image: `registry.local/${team}/svc-${i}:1.${i % 7}.${i % 3}`,
    ports: [{ internal: 8080, external: 20000 + (i % 40000) }],
    healthcheck: { command: ['wget', '-q', '-O-', 'http://127.0.0.1:8080/health'], startPeriodSeconds: 10 },
    env: { SERVICE_ID: `${i}`, LOG_LEVEL: 'info', DATABASE_URL: `postgres://db.${team}.internal:5432/svc${i}`, TZ: 'UTC' },
    volumes: [{ volumeName: `svc-${i}-data`, containerPath: '/data', readOnly: false }],
    networks: [{ name: `${team}-backend` }],
    labels: { team, service: `svc-${i}`, env: 'prod' },
    writablePaths: [{ path: '/run', sizeMb: 8 }],
    memoryMb: 256 + (i % 4) * 128,
  };
}

/** Labels every container of this benchmark carries: the same for all, computed once, as a hand-writer would. */
let constantLabels: { label: string; value: string }[] | undefined;

/** The same container as a raw `Container`, every attribute written by hand. */
export function rawContainer(stack: TerraformStack, id: string, i: number, template: { digest: string; pids: string }): Container {
  const team = `team${i % 20}`;
  const memory = 256 + (i % 4) * 128;
  constantLabels ??= [
    { label: 'hardened-docker.settings-digest', value: template.digest },
    { label: 'hardened-docker.suppress.pids-limit', value: template.pids },
  ];
  return new Container(stack, id, {
    name: `svc-${i}`,
    image: `registry.local/${team}/svc-${i}:1.${i % 7}.${i % 3}`,
    env: [`SERVICE_ID=${i}`, 'LOG_LEVEL=info', `DATABASE_URL=postgres://db.${team}.internal:5432/svc${i}`, 'TZ=UTC'],
    user: '10001:10001',
    readOnly: true,
    tmpfs: { '/tmp': 'rw,noexec,nosuid,nodev,size=64m', '/run': 'rw,noexec,nosuid,nodev,size=8m' },
    capabilities: { drop: ['ALL'] },
    securityOpts: ['no-new-privileges:true'],
    memory,
    memorySwap: memory,
    cpuPeriod: 100000,
    cpuQuota: 50000,
    cpuShares: 512,
    ulimit: [{ name: 'nofile', soft: 1024, hard: 1024 }, { name: 'nproc', soft: 256, hard: 256 }],
    ports: [{ internal: 8080, external: 20000 + (i % 40000), ip: '127.0.0.1', protocol: 'tcp' }],
    restart: 'on-failure',
    maxRetryCount: 3,
    healthcheck: { test: ['CMD', 'wget', '-q', '-O-', 'http://127.0.0.1:8080/health'], interval: '30s', timeout: '5s', retries: 3, startPeriod: '10s' },
    init: true,
    logDriver: 'json-file',
    logOpts: { 'max-size': '10m', 'max-file': '3' },
    networksAdvanced: [{ name: `${team}-backend` }],
    volumes: [{ containerPath: '/data', volumeName: `svc-${i}-data`, readOnly: false }],
    labels: [
      { label: 'env', value: 'prod' },
      ...constantLabels,
      { label: 'service', value: `svc-${i}` },
      { label: 'team', value: team },
    ],
  });
}

/** The digest and pids-limit labels HardenedContainer writes for these props (identical for every i). */
export function templateLabels(): { digest: string; pids: string } {
  const app = new App({ outdir: fs.mkdtempSync('/tmp/hc-bench-template-') });
  const stack = new TerraformStack(app, 't');
  const hc = new HardenedContainer(stack, 'x', hardenedProps(0));
  const labels = (hc.container.labelsInput as { label: string; value: string }[]);
  const get = (k: string) => labels.find((l) => l.label === k)!.value;
  return { digest: get('hardened-docker.settings-digest'), pids: get('hardened-docker.suppress.pids-limit') };
}

/** Builds the stack: N containers of one kind. */
export function build(stack: TerraformStack, n: number, mode: 'hardened' | 'raw', template: { digest: string; pids: string }): void {
  for (let i = 0; i < n; i++) {
    if (mode === 'hardened') new HardenedContainer(stack, `svc${i}`, hardenedProps(i));
    else rawContainer(stack, `svc${i}`, i, template);
  }
}

function main(): void {
  const [nArg, mode, outdir, digest, pids] = process.argv.slice(2);
  const n = Number(nArg);
  if (!Number.isInteger(n) || n <= 0 || (mode !== 'raw' && mode !== 'hardened') || !outdir || !digest || !pids) {
    throw new Error('usage: hardened-container.child.ts <N> <hardened|raw> <outdir> <digest> <pids-reason>');
  }
  const result = timeBuildAndSynth(outdir, (stack) => build(stack, n, mode, { digest, pids }));
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

if (require.main === module) main();
