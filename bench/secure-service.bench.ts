/**
 * SecureService against the same resources written by hand (issue 4): one stack of 200 services with 5 replicas
 * each (1000 docker_container, 200 docker_image, 400 docker_network for the private and edge networks, plus 100
 * pair networks from allowFrom), construction plus `app.synth()`, each run in a fresh Node process, alternating
 * raw and SecureService, RUNS of each (default 5; `SS_BENCH_RUNS=7` for more). Medians. Budget: at most 1.3x wall.
 *
 * The raw side builds `Image`, `Network` and `Container` resources by hand inside plain `Construct` scopes with the
 * same ids, so that both sides synthesize byte-identical resource bodies (logical ids and depends_on included); the
 * benchmark checks that on a small stack before measuring.
 *
 * Run as a module by bench/run.ts (`npm run bench secure-service`); run directly with arguments, it is the child:
 *   secure-service.bench.ts <N> <secure|raw> <outdir> <digest-label> <pids-label>
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Container } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Network } from '@cdktf/provider-docker/lib/network';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { SecureService, SecureServiceProps } from '../src/constructs/secure-service';
import { median, runChild } from './lib/child';
import { BuildSynthSample, synthesizedResources, timeBuildAndSynth } from './lib/stack';

const SELF = path.join('bench', 'secure-service.bench.ts');
const N = Number(process.env.SS_BENCH_SERVICES ?? 200);
const REPLICAS = 5;
const RUNS = Math.max(5, Number(process.env.SS_BENCH_RUNS ?? 5));
const BUDGET = 1.3;
const DIGEST = 'sha256:' + '5e'.repeat(32);

type Mode = 'secure' | 'raw';
interface Template { readonly digest: string; readonly pids: string }
type Sample = BuildSynthSample;

/** A realistic service: a published port per replica, a healthcheck, env, a writable path, a memory limit. */
function serviceProps(i: number): SecureServiceProps {
  return {
    name: `svc-${i}`,
    image: `registry.local/team${i % 20}/svc-${i}@${DIGEST}`,
    replicas: REPLICAS,
    ports: [{ internal: 8080, external: 20000 + i * REPLICAS }],
    healthcheck: { command: ['wget', '-q', '-O-', 'http://127.0.0.1:8080/health'] },
    env: { SERVICE_ID: `${i}`, LOG_LEVEL: 'info' },
    writablePaths: [{ path: '/run', sizeMb: 8 }],
    memoryMb: 256,
  };
}

function buildSecure(stack: TerraformStack, n: number): void {
  const services: SecureService[] = [];
  for (let i = 0; i < n; i++) services.push(new SecureService(stack, `svc${i}`, serviceProps(i)));
  // Pairs: every odd service lets the previous one in.
  for (let i = 1; i < n; i += 2) services[i].allowFrom(services[i - 1], 8080);
}

/** The same resources by hand: what a careful author writes without SecureService. */
function buildRaw(stack: TerraformStack, n: number, t: Template): void {
  const labelsOf = (svc: string) => [{ label: 'hardened-docker.service', value: svc }];
  const containerLabels = [
    { label: 'hardened-docker.settings-digest', value: t.digest },
    { label: 'hardened-docker.suppress.pids-limit', value: t.pids },
  ];
  const scopes: Construct[] = [];
  const replicas: Container[][] = [];
  for (let i = 0; i < n; i++) {
    const svc = `svc-${i}`;
    const scope = new Construct(stack, `svc${i}`);
    scopes.push(scope);
    const image = new Image(scope, 'Image', { name: `registry.local/team${i % 20}/svc-${i}@${DIGEST}`, keepLocally: true });
    const net = new Network(scope, 'Network', { name: `${svc}-net`, driver: 'bridge', internal: true, labels: labelsOf(svc) });
    const edge = new Network(scope, 'EdgeNetwork', {
      name: `${svc}-edge`, driver: 'bridge', internal: false, labels: labelsOf(svc),
      options: { 'com.docker.network.bridge.enable_ip_masquerade': 'false', 'com.docker.network.bridge.host_binding_ipv4': '127.0.0.1' },
    });
    const list: Container[] = [];
    for (let r = 1; r <= REPLICAS; r++) {
      list.push(new Container(new Construct(scope, `Replica${r}`), 'container', {
        name: `${svc}-${r}`,
        image: `registry.local/team${i % 20}/svc-${i}@${DIGEST}`,
        env: [`SERVICE_ID=${i}`, 'LOG_LEVEL=info'],
        user: '10001:10001',
        readOnly: true,
        tmpfs: { '/tmp': 'rw,noexec,nosuid,nodev,size=64m', '/run': 'rw,noexec,nosuid,nodev,size=8m' },
        capabilities: { drop: ['ALL'] },
        securityOpts: ['no-new-privileges:true'],
        memory: 256,
        memorySwap: 256,
        cpuPeriod: 100000,
        cpuQuota: 50000,
        cpuShares: 512,
        ulimit: [{ name: 'nofile', soft: 1024, hard: 1024 }, { name: 'nproc', soft: 256, hard: 256 }],
        ports: [{ internal: 8080, external: 20000 + i * REPLICAS + r - 1, ip: '127.0.0.1', protocol: 'tcp' }],
        restart: 'on-failure',
        maxRetryCount: 3,
        healthcheck: { test: ['CMD', 'wget', '-q', '-O-', 'http://127.0.0.1:8080/health'], interval: '30s', timeout: '5s', retries: 3, startPeriod: '0s' },
        init: true,
        logDriver: 'json-file',
        logOpts: { 'max-size': '10m', 'max-file': '3' },
        networksAdvanced: [{ name: `${svc}-net`, aliases: [svc] }, { name: `${svc}-edge` }],
        labels: containerLabels,
        dependsOn: [net, edge, image],
      }));
    }
    replicas.push(list);
  }
  for (let i = 1; i < n; i += 2) {
    const [a, b] = [`svc-${i - 1}`, `svc-${i}`];
    const link = new Network(scopes[i], `Link-${a}`, {
      name: `${a}--${b}`, driver: 'bridge', internal: true, labels: [{ label: 'hardened-docker.link', value: `${a},${b}` }],
    });
    for (const [j, svc] of [[i, b], [i - 1, a]] as const) {
      for (const c of replicas[j]) {
        c.putNetworksAdvanced([{ name: `${svc}-net`, aliases: [svc] }, { name: `${svc}-edge` }, { name: `${a}--${b}`, aliases: [svc] }]);
        c.dependsOn = [...(c.dependsOn ?? []), `docker_network.${link.friendlyUniqueId}`];
      }
    }
  }
}

function build(stack: TerraformStack, n: number, mode: Mode, t: Template): void {
  if (mode === 'secure') buildSecure(stack, n);
  else buildRaw(stack, n, t);
}

/** The digest and pids-limit labels HardenedContainer writes for these props (the same for every replica). */
function template(): Template {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'ss-bench-template-')) });
  const stack = new TerraformStack(app, 't');
  const svc = new SecureService(stack, 'x', { ...serviceProps(0), replicas: 1 });
  const labels = svc.containers[0].container.labelsInput as { label: string; value: string }[];
  const get = (k: string) => labels.find((l) => l.label === k)!.value;
  fs.rmSync(app.outdir, { recursive: true, force: true });
  return { digest: get('hardened-docker.settings-digest'), pids: get('hardened-docker.suppress.pids-limit') };
}

function sortDeep(v: any): any {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep(v[k])]));
  return v;
}

/** Every resource body of a small stack, without cdktf's `//` metadata. */
function resources(mode: Mode, t: Template): string {
  const resource = synthesizedResources((stack) => build(stack, 6, mode, t));
  for (const byName of Object.values<any>(resource)) for (const body of Object.values<any>(byName)) delete body['//'];
  return JSON.stringify(sortDeep(resource));
}

function assertSameResources(t: Template): void {
  const s = resources('secure', t);
  const r = resources('raw', t);
  if (s !== r) throw new Error(`secure-service bench: the raw resources differ from SecureService's:\n${s.slice(0, 3000)}\n---\n${r.slice(0, 3000)}`);
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export const name = 'secure-service';

export async function run(): Promise<string> {
  const t = template();
  assertSameResources(t);
  const samples: Record<Mode, Sample[]> = { raw: [], secure: [] };
  for (let r = 0; r < RUNS; r++) {
    const order: Mode[] = r % 2 === 0 ? ['raw', 'secure'] : ['secure', 'raw'];
    for (const mode of order) {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `ss-bench-${mode}-`));
      try {
        samples[mode].push(await runChild<Sample>(SELF, [String(N), mode, outdir, t.digest, t.pids]));
      } finally {
        fs.rmSync(outdir, { recursive: true, force: true });
      }
      process.stderr.write(`  secure-service run ${r + 1}/${RUNS} ${mode}: ${fmt(samples[mode][samples[mode].length - 1].wallMs)}\n`);
    }
  }
  const med = (mode: Mode, k: keyof Sample) => median(samples[mode].map((s) => s[k]));
  const wall = { raw: med('raw', 'wallMs'), secure: med('secure', 'wallMs') };
  const cpu = { raw: med('raw', 'cpuMs'), secure: med('secure', 'cpuMs') };
  const rss = { raw: med('raw', 'peakRssMiB'), secure: med('secure', 'peakRssMiB') };
  const ratio = wall.secure / wall.raw;
  const cpus = os.cpus();
  return [
    '## SecureService',
    '',
    `One stack of ${N} SecureServices with ${REPLICAS} replicas each (${N * REPLICAS} docker_container, ${N} docker_image, `
      + `${2 * N + Math.floor(N / 2)} docker_network: a private and an edge network per service, and ${Math.floor(N / 2)} pair networks from \`allowFrom\`), `
      + 'built and synthesized (`app.synth()`) in a fresh Node process per run, against the same resources written by hand '
      + '(`Image`, `Network`, `Container`; the benchmark first checks that both sides synthesize identical resource bodies). '
      + `No checks on either side. Runs alternate raw and SecureService, ${RUNS} of each; medians. Wall = construction + synth `
      + 'inside the child (start-up excluded); CPU = user + system time over the same span; peak RSS = the child\'s maxRSS. '
      + `Budget: at most ${BUDGET}x wall.`,
    '',
    '| | raw resources | SecureService | ratio |',
    '|---|---|---|---|',
    `| wall (median) | ${fmt(wall.raw)} | ${fmt(wall.secure)} | **${ratio.toFixed(2)}x** |`,
    `| CPU (median) | ${fmt(cpu.raw)} | ${fmt(cpu.secure)} | ${(cpu.secure / cpu.raw).toFixed(2)}x |`,
    `| peak RSS (median) | ${rss.raw.toFixed(0)} MiB | ${rss.secure.toFixed(0)} MiB | ${(rss.secure / rss.raw).toFixed(2)}x |`,
    '',
    `- wall runs: raw [${samples.raw.map((s) => (s.wallMs / 1000).toFixed(2)).join(', ')}] s, SecureService [${samples.secure.map((s) => (s.wallMs / 1000).toFixed(2)).join(', ')}] s; `
      + `construction alone ${fmt(med('raw', 'constructMs'))} raw, ${fmt(med('secure', 'constructMs'))} SecureService.`,
    '',
    `Machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version} (shared with other jobs: absolute times are noisy; `
      + `the ratio comes from alternating runs). Reproduce: \`npm run bench secure-service\`. Verdict: ${ratio <= BUDGET ? 'within' : 'OVER'} the ${BUDGET}x budget.`,
  ].join('\n');
}

export default { name, run };

function child(): void {
  const [nArg, mode, outdir, digest, pids] = process.argv.slice(2);
  const n = Number(nArg);
  if (!Number.isInteger(n) || n <= 0 || (mode !== 'raw' && mode !== 'secure') || !outdir || !digest || !pids) {
    throw new Error(`usage: ${SELF} <N> <secure|raw> <outdir> <digest-label> <pids-label>`);
  }
  const result: Sample = timeBuildAndSynth(outdir, (stack) => build(stack, n, mode, { digest, pids }));
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

if (require.main === module) child();
