/**
 * `hardened-docker check` on a generated Terraform JSON file of 10,000 docker_container resources: the whole command
 * (`node lib/cli/main.js check FILE --format json > /dev/null`, Node startup included) against `node -e` reading and
 * JSON.parse-ing the same file. Runs alternate, 7 of each; medians. Budget (issue 5): at most 3x.
 *
 * Uses the compiled CLI in lib/ (what `npx hardened-docker` runs). When lib/cli/main.js is missing or older than
 * src/, it compiles first with `npx jsii --silence-warnings=reserved-word`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ensureCompiled, median, timeProcess } from './lib/child';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'bench', 'out');
const CLI = path.join(ROOT, 'lib', 'cli', 'main.js');
const RESOURCES = 10_000;
const RUNS = 7;
const BUDGET = 3;

/**
 * The realistic mix: 7 in 10 containers as HardenedContainer synthesizes them (construct metadata, a suppression
 * label), 1 half-hardened with expressions only known after apply, 1 careless, 1 in between.
 */
type Mix = 'realistic' | 'careless' | 'unique';

function container(i: number, mix: Mix): any {
  const body = containerBody(i, mix);
  // *unique*: the realistic containers, each with its own cpu_shares: the same findings, but no two containers with
  // the same settings, so nothing is read once for several (the worst case for SharedReading).
  if (mix === 'unique') body.cpu_shares = 2 + i;
  return body;
}

function containerBody(i: number, mix: Mix): any {
  const name = `svc-${i}`;
  const kind = mix === 'careless' ? 8 : i % 10;
  if (kind < 7) {
    return {
      '//': { metadata: { path: `stack/svc-${i}/container`, uniqueId: `svc-${i}_container` } },
      capabilities: { drop: ['ALL'] },
      cpu_period: 100000,
      cpu_quota: 50000,
      cpu_shares: 512,
      image: 'registry.example/app@sha256:' + (i % 16).toString(16).repeat(64),
      init: true,
      labels: [
        { label: 'hardened-docker.settings-digest', value: 'sha256:' + 'f'.repeat(64) },
        { label: 'hardened-docker.suppress.pids-limit', value: 'provider kreuzwerker/docker 3.6.2 has no pids_limit; stand-in: nproc ulimit 256 for UID 10001' },
      ],
      log_driver: 'json-file',
      log_opts: { 'max-file': '3', 'max-size': '10m' },
      max_retry_count: 3,
      memory: 256,
      memory_swap: 256,
      name,
      networks_advanced: [{ name: 'app' }],
      read_only: true,
      restart: 'on-failure',
      security_opts: ['no-new-privileges:true'],
      tmpfs: { '/tmp': 'rw,noexec,nosuid,nodev,size=64m' },
      ulimit: [{ hard: 1024, name: 'nofile', soft: 1024 }, { hard: 256, name: 'nproc', soft: 256 }],
      healthcheck: { test: ['CMD', 'wget', '-q', '-O-', 'http://127.0.0.1:8080/health'], interval: '30s', timeout: '5s', retries: 3 },
      user: '10001:10001',
    };
  }
  switch (kind) {
    case 7: // half-hardened, with expressions only known after apply
      return {
        name,
        image: '${docker_image.app.image_id}',
        user: '${var.user}',
        read_only: true,
        capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
        memory: '${var.memory}',
        ports: [{ internal: 80 }],
      };
    case 8: // careless
      return {
        name,
        image: 'nginx:latest',
        privileged: true,
        network_mode: 'host',
        volumes: [{ host_path: '/var/run/docker.sock', container_path: '/var/run/docker.sock' }],
      };
    default: // in between
      return {
        name,
        image: 'example/worker:1.4',
        user: '1000',
        security_opts: ['no-new-privileges:true', 'seccomp=unconfined'],
        memory: 512,
        restart: 'always',
      };
  }
}

export function generate(file: string, mix: Mix = 'realistic'): void {
  const containers: Record<string, any> = {};
  for (let i = 0; i < RESOURCES; i++) containers[`c${i}`] = container(i, mix);
  const doc = {
    terraform: { required_providers: { docker: { source: 'kreuzwerker/docker', version: '3.6.2' } } },
    resource: { docker_container: containers },
  };
  fs.writeFileSync(file, JSON.stringify(doc, null, 2));
}

/** Wall-clock and CPU milliseconds of one process, stdout to /dev/null. */
function time(args: string[]): { ms: number; cpuMs?: number } {
  return timeProcess(args, ROOT);
}

interface Scenario {
  readonly label: string;
  readonly sizeMiB: number;
  readonly check: number[];
  readonly parse: number[];
  readonly empty: number[];
  readonly checkCpu: number[];
  readonly parseCpu: number[];
  readonly summary: any;
  readonly findings: number;
  readonly outMiB: number;
}

function measure(mix: Mix): Scenario {
  const file = path.join(OUT, `containers-10k-${mix}.tf.json`);
  generate(file, mix);
  const rel = path.relative(ROOT, file);
  // One run with output kept, to report what the command found (and check that it worked: exit 1, findings).
  const probe = spawnSync(process.execPath, [CLI, 'check', rel, '--format', 'json'], { cwd: ROOT, maxBuffer: 2 ** 30 });
  if (probe.status !== 1) throw new Error(`cli-check: expected exit 1 (findings), got ${probe.status}: ${String(probe.stderr).slice(0, 2000)}`);
  const report = JSON.parse(String(probe.stdout));

  const checkArgs = [path.relative(ROOT, CLI), 'check', rel, '--format', 'json'];
  const parseArgs = ['-e', `JSON.parse(require('fs').readFileSync(${JSON.stringify(rel)}, 'utf8'))`];
  const out: Scenario = {
    label: mix, sizeMiB: fs.statSync(file).size / 2 ** 20, check: [], parse: [], empty: [], checkCpu: [], parseCpu: [],
    summary: report.summary, findings: report.findings.length, outMiB: probe.stdout.length / 2 ** 20,
  };
  for (let i = 0; i < RUNS; i++) {
    const c = time(checkArgs);
    const p = time(parseArgs);
    out.check.push(c.ms);
    out.parse.push(p.ms);
    if (c.cpuMs !== undefined && p.cpuMs !== undefined) {
      out.checkCpu.push(c.cpuMs);
      out.parseCpu.push(p.cpuMs);
    }
    out.empty.push(time(['-e', '0']).ms);
  }
  return out;
}

export const name = 'cli-check';

export async function run(): Promise<string> {
  const compiled = ensureCompiled(CLI);
  fs.mkdirSync(OUT, { recursive: true });
  const scenarios = [measure('realistic'), measure('unique'), measure('careless')];
  const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
  const runs = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  const rows: string[] = [];
  const notes: string[] = [];
  for (const s of scenarios) {
    const c = median(s.check);
    const p = median(s.parse);
    const ratio = c / p;
    const cpuRatio = s.checkCpu.length ? median(s.checkCpu) / median(s.parseCpu) : undefined;
    rows.push(`| ${s.label} (${s.sizeMiB.toFixed(1)} MiB in, ${s.findings.toLocaleString('en-US')} findings, ${s.outMiB.toFixed(1)} MiB out) `
      + `| ${fmt(c)} | ${fmt(p)} | ${fmt(median(s.empty))} | **${ratio.toFixed(2)}x** | ${cpuRatio !== undefined ? `${cpuRatio.toFixed(2)}x` : 'n/a'} |`);
    notes.push(`- ${s.label}: check ${runs(s.check)} ms; parse ${runs(s.parse)} ms`
      + `${s.checkCpu.length ? `; CPU check ${runs(s.checkCpu)} ms, parse ${runs(s.parseCpu)} ms` : ''}. `
      + `Findings: ${s.summary.error} errors, ${s.summary.warning} warnings, ${s.summary.info} info, ${s.summary.suppressed} suppressed.`);
  }
  const main = scenarios[0];
  const mainRatio = median(main.check) / median(main.parse);
  return [
    '## CLI check',
    '',
    `\`node lib/cli/main.js check FILE --format json > /dev/null\` against \`node -e\` reading and \`JSON.parse\`-ing the same file: `
      + `whole processes, Node startup included in both; ${RUNS} runs of each, alternating, medians. `
      + `FILE is a generated Terraform JSON file of ${RESOURCES.toLocaleString('en-US')} docker_container resources. `
      + '*realistic*: 7 in 10 as HardenedContainer synthesizes them (a few info findings and a suppressed pids-limit each), '
      + '1 in 10 half-hardened with expressions only known after apply, 1 careless (privileged, host network, docker.sock), '
      + '1 in between. *unique*: the same containers, each with its own `cpu_shares` (the same findings; no two containers '
      + 'share their settings, so `check` reads and checks every one: SharedReading, which reads identical settings once, '
      + 'cannot help). *careless*: every container careless (the most findings: about 20 each, each with its fix). '
      + `CLI from lib/ (${compiled}); profile hardened.`,
    '',
    '| file | check | parse | `node -e 0` | ratio (wall) | ratio (CPU) |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Budget (issue 5): at most ${BUDGET}x on the realistic file: **${mainRatio <= BUDGET ? 'within' : 'over'}** (${mainRatio.toFixed(2)}x). `
      + 'The CPU ratio (user + system time of each process) is the steadier figure on a shared machine.',
    '',
    ...notes,
  ].join('\n') + '\n';
}

export default { name, run };
