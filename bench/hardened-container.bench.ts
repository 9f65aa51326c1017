/**
 * HardenedContainer against raw `Container`s carrying the same attributes by hand (issue 3): N = 1000 and 5000 in
 * one stack, construction plus `app.synth()`, each run in a fresh Node process (so its peak RSS is its own),
 * alternating raw and hardened, RUNS of each (default 5; `HC_BENCH_RUNS=7` for more). Medians of wall time and
 * peak RSS. Budget: at most 1.2x for both. Before measuring, checks that both kinds synthesize the same
 * docker_container bodies, so the comparison is like for like.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { build, templateLabels } from './hardened-container.child';
import { median, runChild } from './lib/child';
import { BuildSynthSample, synthesizedResources } from './lib/stack';

const CHILD = path.join('bench', 'hardened-container.child.ts');
const SIZES = (process.env.HC_BENCH_SIZES ?? '1000,5000').split(',').map(Number);
const RUNS = Math.max(5, Number(process.env.HC_BENCH_RUNS ?? 5));
const BUDGET = 1.2;

type Sample = BuildSynthSample;

/** The docker_container bodies of a small stack of each kind, keyed by container name, without cdktf metadata. */
function bodies(mode: 'hardened' | 'raw', template: { digest: string; pids: string }): Map<string, any> {
  const resource = synthesizedResources((stack) => build(stack, 8, mode, template));
  const out = new Map<string, any>();
  for (const body of Object.values<any>(resource.docker_container)) {
    const { ['//']: _meta, ...rest } = body;
    out.set(body.name, rest);
  }
  return out;
}

function assertSameBodies(template: { digest: string; pids: string }): void {
  const h = bodies('hardened', template);
  const r = bodies('raw', template);
  for (const [name, body] of h) {
    const a = JSON.stringify(body, Object.keys(body).sort());
    const raw = r.get(name);
    const b = raw === undefined ? 'missing' : JSON.stringify(raw, Object.keys(raw).sort());
    if (JSON.stringify(sortDeep(body)) !== JSON.stringify(sortDeep(raw))) {
      throw new Error(`hardened-container bench: raw and hardened bodies differ for ${name}:\n${a}\n${b}`);
    }
  }
}

function sortDeep(v: any): any {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep(v[k])]));
  return v;
}

const fmtMs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const fmtMiB = (m: number) => `${m.toFixed(0)} MiB`;

export const name = 'hardened-container';

export async function run(): Promise<string> {
  const template = templateLabels();
  assertSameBodies(template);
  const rows: string[] = [];
  const verdicts: boolean[] = [];
  const detail: string[] = [];
  for (const n of SIZES) {
    const samples: { raw: Sample[]; hardened: Sample[] } = { raw: [], hardened: [] };
    for (let r = 0; r < RUNS; r++) {
      const order: ('raw' | 'hardened')[] = r % 2 === 0 ? ['raw', 'hardened'] : ['hardened', 'raw'];
      for (const mode of order) {
        const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `hc-bench-${mode}-`));
        try {
          samples[mode].push(await runChild<Sample>(CHILD, [String(n), mode, outdir, template.digest, template.pids]));
        } finally {
          fs.rmSync(outdir, { recursive: true, force: true });
        }
        process.stderr.write(`  hardened-container N=${n} run ${r + 1}/${RUNS} ${mode}: ${fmtMs(samples[mode][samples[mode].length - 1].wallMs)}\n`);
      }
    }
    const wall = { raw: median(samples.raw.map((s) => s.wallMs)), hardened: median(samples.hardened.map((s) => s.wallMs)) };
    const cons = { raw: median(samples.raw.map((s) => s.constructMs)), hardened: median(samples.hardened.map((s) => s.constructMs)) };
    const cpu = { raw: median(samples.raw.map((s) => s.cpuMs)), hardened: median(samples.hardened.map((s) => s.cpuMs)) };
    const rss = { raw: median(samples.raw.map((s) => s.peakRssMiB)), hardened: median(samples.hardened.map((s) => s.peakRssMiB)) };
    const wallRatio = wall.hardened / wall.raw;
    const rssRatio = rss.hardened / rss.raw;
    const ok = wallRatio <= BUDGET && rssRatio <= BUDGET;
    verdicts.push(ok);
    rows.push(`| ${n} | ${fmtMs(wall.raw)} | ${fmtMs(wall.hardened)} | **${wallRatio.toFixed(2)}x** | ${fmtMs(cpu.raw)} | ${fmtMs(cpu.hardened)} | ${(cpu.hardened / cpu.raw).toFixed(2)}x `
      + `| ${fmtMiB(rss.raw)} | ${fmtMiB(rss.hardened)} | **${rssRatio.toFixed(2)}x** | ${ok ? 'within' : 'OVER'} |`);
    detail.push(`N = ${n}: construction alone ${fmtMs(cons.raw)} raw, ${fmtMs(cons.hardened)} hardened; wall runs raw [${samples.raw.map((s) => (s.wallMs / 1000).toFixed(2)).join(', ')}] s, hardened [${samples.hardened.map((s) => (s.wallMs / 1000).toFixed(2)).join(', ')}] s.`);
  }
  const cpus = os.cpus();
  return [
    '## HardenedContainer',
    '',
    `One stack of N containers, built and synthesized (\`app.synth()\`) in a fresh Node process per run: `
      + '`HardenedContainer`s with realistic props (a published port, a healthcheck, 4 env vars, a volume, a network, 3 labels, a writable path) '
      + 'against raw `Container`s carrying by hand exactly the attributes HardenedContainer synthesizes for them (the benchmark first checks '
      + 'that both synthesize identical docker_container bodies). No checks on either side (the checks have their own section). '
      + `Runs alternate raw and hardened, ${RUNS} of each per size; medians. Wall time = construction + synth, measured inside the child `
      + '(Node and module start-up excluded); CPU = user + system time of the child over the same span (less sensitive to other jobs); peak RSS = the child\'s maxRSS (start-up included, the same modules loaded in both modes). '
      + `Budget: at most ${BUDGET}x on both.`,
    '',
    '| N | raw wall | HardenedContainer wall | wall ratio | raw CPU | HardenedContainer CPU | CPU ratio | raw peak RSS | HardenedContainer peak RSS | RSS ratio | budget 1.2x (wall, RSS) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...detail.map((d) => `- ${d}`),
    '',
    `Machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version} (shared with other jobs: absolute times are noisy, ratios come from alternating runs). `
      + `Reproduce: \`npm run bench hardened-container\`. Verdict: ${verdicts.every((v) => v) ? 'within budget at every size' : 'OVER BUDGET at some size'}.`,
  ].join('\n');
}

export default { name, run };
