/**
 * `hardened-docker check` on a generated Terraform JSON file of 10,000 docker_container resources: the whole command
 * (`node lib/cli/main.js check FILE --format json > /dev/null`, Node startup included) against `node -e` reading and
 * JSON.parse-ing the same file. Runs alternate, 7 of each; medians. Budget (issue 5): at most 3x.
 *
 * Uses the compiled CLI in lib/ (what `npx hardened-docker` runs). When lib/cli/main.js is missing or older than
 * src/, it compiles first with `npx jsii --silence-warnings=reserved-word`.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { median } from './lib/child';

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
function container(i: number, mix: 'realistic' | 'careless'): any {
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

export function generate(file: string, mix: 'realistic' | 'careless' = 'realistic'): void {
  const containers: Record<string, any> = {};
  for (let i = 0; i < RESOURCES; i++) containers[`c${i}`] = container(i, mix);
  const doc = {
    terraform: { required_providers: { docker: { source: 'kreuzwerker/docker', version: '3.6.2' } } },
    resource: { docker_container: containers },
  };
  fs.writeFileSync(file, JSON.stringify(doc, null, 2));
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function ensureCompiled(): string {
  const src = path.join(ROOT, 'src');
  if (fs.existsSync(CLI) && fs.statSync(CLI).mtimeMs >= newestMtime(src)) return 'lib/ was up to date';
  execFileSync('npx', ['jsii', '--silence-warnings=reserved-word'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  if (!fs.existsSync(CLI)) throw new Error('cli-check: lib/cli/main.js is missing after `npx jsii`');
  return 'compiled with `npx jsii` first';
}

/** Wall-clock milliseconds of one process, stdout to /dev/null. */
function time(args: string[]): { ms: number; status: number | null } {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.error) throw r.error;
  return { ms, status: r.status };
}

export const name = 'cli-check';

export async function run(): Promise<string> {
  const compiled = ensureCompiled();
  fs.mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, 'containers-10k.tf.json');
  generate(file);
  const sizeMiB = fs.statSync(file).size / 2 ** 20;
  const rel = path.relative(ROOT, file);

  // One run with output kept, to report what the command found (and check that it worked: exit 1, findings).
  const probe = spawnSync(process.execPath, [CLI, 'check', rel, '--format', 'json'], { cwd: ROOT, maxBuffer: 1 << 30 });
  if (probe.status !== 1) throw new Error(`cli-check: expected exit 1 (findings), got ${probe.status}: ${String(probe.stderr).slice(0, 2000)}`);
  const report = JSON.parse(String(probe.stdout));
  const outMiB = probe.stdout.length / 2 ** 20;

  const check = ['lib/cli/main.js', 'check', rel, '--format', 'json'];
  const parse = ['-e', `JSON.parse(require('fs').readFileSync(${JSON.stringify(rel)}, 'utf8'))`];
  const empty = ['-e', '0'];
  const checkMs: number[] = [];
  const parseMs: number[] = [];
  const emptyMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    checkMs.push(time(check).ms);
    parseMs.push(time(parse).ms);
    emptyMs.push(time(empty).ms);
  }
  const c = median(checkMs);
  const p = median(parseMs);
  const e = median(emptyMs);
  const ratio = c / p;
  const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
  const s = report.summary;

  return [
    '## CLI check',
    '',
    `\`hardened-docker check FILE --format json > /dev/null\` on a generated Terraform JSON file of ${RESOURCES.toLocaleString('en-US')} `
      + `docker_container resources (${sizeMiB.toFixed(1)} MiB; a mix of hardened, half-hardened with expressions, and careless containers), `
      + `against \`node -e\` reading and \`JSON.parse\`-ing the same file. Whole processes, Node startup included; `
      + `${RUNS} runs of each, alternating, medians. CLI from lib/ (${compiled}).`,
    '',
    '| command | median | runs |',
    '|---|---:|---|',
    `| \`node lib/cli/main.js check FILE --format json\` | ${fmt(c)} | ${checkMs.map((x) => x.toFixed(0)).join(', ')} |`,
    `| \`node -e\` read + \`JSON.parse\` | ${fmt(p)} | ${parseMs.map((x) => x.toFixed(0)).join(', ')} |`,
    `| \`node -e 0\` (startup alone, for reference) | ${fmt(e)} | ${emptyMs.map((x) => x.toFixed(0)).join(', ')} |`,
    '',
    `Ratio check / parse: **${ratio.toFixed(2)}x** (budget ${BUDGET}x: ${ratio <= BUDGET ? 'within' : '**over**'}). `
      + `The command found ${s.error.toLocaleString('en-US')} errors, ${s.warning.toLocaleString('en-US')} warnings, `
      + `${s.info.toLocaleString('en-US')} info and ${s.suppressed.toLocaleString('en-US')} suppressed findings `
      + `(${report.findings.length.toLocaleString('en-US')} in all, ${outMiB.toFixed(1)} MiB of JSON) under profile ${s.profile}.`,
  ].join('\n') + '\n';
}

export default { name, run };
