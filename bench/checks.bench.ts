/**
 * Synth-time checks: what DockerSecurityChecks adds to `app.synth()` of one stack of N raw `Container`s.
 *
 * For N = 1000 and 5000, runs `bench/checks.child.ts` RUNS times without and RUNS times with the checks, alternating
 * (ABBA, so that drift in the machine's load falls on both), each in a fresh Node process. Compares the medians of
 * the synth wall time and of the process's peak RSS. Budget: at most +10% wall time and +15% peak RSS at both sizes.
 * Env: BENCH_CHECKS_RUNS (default 5), BENCH_CHECKS_SIZES (default "1000,5000").
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { median, runChild } from './lib/child';

interface Sample {
  readonly n: number;
  readonly mode: 'raw' | 'checks';
  readonly constructMs: number;
  readonly synthMs: number;
  /** Time inside the checks (DockerSecurityChecks._checkStack) during that synth; 0 for raw. */
  readonly checksMs: number;
  readonly synthCpuMs: number;
  readonly appMs: number;
  readonly appCpuMs: number;
  readonly peakRssMiB: number;
  readonly summary?: { resources: number; error: number; warning: number; info: number; suppressed: number };
  readonly bytes: { tf: number; json: number; sarif: number };
}

const BUDGET_TIME = 0.10;
const BUDGET_RSS = 0.15;

async function measure(n: number, mode: 'raw' | 'checks'): Promise<Sample> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `hd-bench-${mode}-`));
  try {
    return await runChild<Sample>('bench/checks.child.ts', [String(n), mode, outdir]);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
const ms = (x: number) => `${Math.round(x)} ms`;
const mib = (x: number) => `${Math.round(x)} MiB`;

export const name = 'checks';

export async function run(): Promise<string> {
  const runs = Number(process.env.BENCH_CHECKS_RUNS ?? 5);
  const sizes = (process.env.BENCH_CHECKS_SIZES ?? '1000,5000').split(',').map(Number);
  const rows: string[] = [];
  const appRows: string[] = [];
  const shareRows: string[] = [];
  const verdicts: string[] = [];
  const runLines: string[] = [];
  const load: number[] = [];
  let example: Sample | undefined;
  for (const n of sizes) {
    const samples: Record<'raw' | 'checks', Sample[]> = { raw: [], checks: [] };
    for (let r = 0; r < runs; r++) {
      const order: ('raw' | 'checks')[] = r % 2 === 0 ? ['raw', 'checks'] : ['checks', 'raw'];
      for (const mode of order) {
        load.push(os.loadavg()[0]);
        const s = await measure(n, mode);
        samples[mode].push(s);
        process.stderr.write(`  N=${n} ${mode.padEnd(6)} synth ${ms(s.synthMs)} (cpu ${ms(s.synthCpuMs)}), peak RSS ${mib(s.peakRssMiB)}\n`);
      }
    }
    const m = (mode: 'raw' | 'checks', f: (s: Sample) => number) => median(samples[mode].map(f));
    const raw = { t: m('raw', (s) => s.synthMs), cpu: m('raw', (s) => s.synthCpuMs), rss: m('raw', (s) => s.peakRssMiB) };
    const chk = { t: m('checks', (s) => s.synthMs), cpu: m('checks', (s) => s.synthCpuMs), rss: m('checks', (s) => s.peakRssMiB) };
    const rawApp = { t: m('raw', (s) => s.appMs), cpu: m('raw', (s) => s.appCpuMs) };
    const chkApp = { t: m('checks', (s) => s.appMs), cpu: m('checks', (s) => s.appCpuMs) };
    const dtApp = chkApp.t / rawApp.t - 1;
    const dcpuApp = chkApp.cpu / rawApp.cpu - 1;
    appRows.push(`| ${n} | ${ms(rawApp.t)} | ${ms(chkApp.t)} | **${pct(dtApp)}** | ${ms(rawApp.cpu)} | ${ms(chkApp.cpu)} | ${pct(dcpuApp)} |`);
    // The checks' own time against the synth without it, per checks run: the steadier reading of the same budget.
    const shares = samples.checks.map((x) => x.checksMs / (x.synthMs - x.checksMs));
    const share = median(shares);
    shareRows.push(`| ${n} | ${ms(m('checks', (x) => x.checksMs))} | ${ms(m('checks', (x) => x.synthMs - x.checksMs))} | **${pct(share)}** | `
      + `${shares.map((x) => pct(x)).join(', ')} |`);
    verdicts.push(`N = ${n}: the checks' own time ${pct(share)} of the rest of synth (budget +${BUDGET_TIME * 100}%) ${share <= BUDGET_TIME ? 'within' : 'OVER'}`);
    const dt = chk.t / raw.t - 1;
    const dcpu = chk.cpu / raw.cpu - 1;
    const drss = chk.rss / raw.rss - 1;
    rows.push(`| ${n} | ${ms(raw.t)} | ${ms(chk.t)} | **${pct(dt)}** | ${ms(raw.cpu)} | ${ms(chk.cpu)} | ${pct(dcpu)} | ${mib(raw.rss)} | ${mib(chk.rss)} | **${pct(drss)}** |`);
    verdicts.push(`N = ${n}: synth wall time ${pct(dt)} (budget +${BUDGET_TIME * 100}%) ${dt <= BUDGET_TIME ? 'within' : 'OVER'}, `
      + `synth CPU ${pct(dcpu)} ${dcpu <= BUDGET_TIME ? 'within' : 'OVER'}; `
      + `whole app wall ${pct(dtApp)} ${dtApp <= BUDGET_TIME ? 'within' : 'OVER'}, whole app CPU ${pct(dcpuApp)} ${dcpuApp <= BUDGET_TIME ? 'within' : 'OVER'}; `
      + `peak RSS ${pct(drss)} (budget +${BUDGET_RSS * 100}%) ${drss <= BUDGET_RSS ? 'within' : 'OVER'}`);
    example = samples.checks[0];
    const list = (mode: 'raw' | 'checks', f: (x: Sample) => number) => samples[mode].map((x) => Math.round(f(x))).join(', ');
    runLines.push(`- N = ${n}, each run: synth wall raw [${list('raw', (x) => x.synthMs)}], checks [${list('checks', (x) => x.synthMs)}] ms; `
      + `whole app wall raw [${list('raw', (x) => x.appMs)}], checks [${list('checks', (x) => x.appMs)}] ms; `
      + `CPU raw [${list('raw', (x) => x.synthCpuMs)}], checks [${list('checks', (x) => x.synthCpuMs)}] ms; `
      + `peak RSS raw [${list('raw', (x) => x.peakRssMiB)}], checks [${list('checks', (x) => x.peakRssMiB)}] MiB.`);
  }
  const s = example?.summary;
  return [
    '## Synth-time checks',
    '',
    `What \`DockerSecurityChecks\` adds to \`app.synth()\` of one stack of N raw \`Container\`s (\`npm run bench checks\`,`,
    '`bench/checks.bench.ts`). Each container has realistic attributes: image (a quarter pinned by digest), user,',
    'read-only root, two tmpfs, memory and swap, CPU quota, a port, four env vars, a named volume and a read-only bind',
    'mount, three labels, a healthcheck, restart policy, log rotation, a network, two ulimits; two thirds drop all',
    'capabilities and set no-new-privileges. The checks run the `hardened` profile (every rule of the catalog; error rules',
    'reported as warnings, so that the run never stops) and write both reports; nothing is printed.',
    '',
    `Each measurement is a fresh Node process (\`node --expose-gc\`, ts-node transpile-only): construct the app, \`gc()\`,`,
    `then time \`app.synth()\` (wall and CPU time of that call only, construction excluded, so the ratio is the strict`,
    `one); peak memory is the process's max RSS (\`process.resourceUsage().maxRSS\`). ${runs} runs each, with and without`,
    'checks alternating (ABBA); medians.',
    '',
    '| N | synth, raw | synth, checks | wall time | CPU, raw | CPU, checks | CPU time | peak RSS, raw | peak RSS, checks | peak RSS |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    'The checks\' own time, measured inside the same synth: the time spent in the checks (adapter, rules, both',
    'reports, annotations) against the rest of that `app.synth()` call. Each A/B pair above compares two processes and',
    'carries the machine\'s noise (runs of one mode spread by 10 to 40% here); this one does not.',
    '',
    '| N | checks (median) | rest of synth (median) | checks / rest | each run |',
    '|---|---|---|---|---|',
    ...shareRows,
    '',
    'The whole app run in the same processes: construction plus `app.synth()` (what a user waits for in `cdktf synth`',
    'once Node and the modules have loaded, which is the same with and without the checks; the forced `gc()` between',
    'them excluded). The checks run only inside synth; construction is the same work on both sides, so this ratio is',
    'the looser reading of the budget and the table above the strict one.',
    '',
    '| N | app, raw | app, checks | wall time | CPU, raw | CPU, checks | CPU time |',
    '|---|---|---|---|---|---|---|',
    ...appRows,
    '',
    ...verdicts.map((v) => `- ${v}`),
    ...runLines,
    s ? `- Findings at N = ${example!.n}: ${s.warning} warnings, ${s.info} info (${((s.warning + s.info) / s.resources).toFixed(1)} per container); `
      + `report sizes: JSON ${(example!.bytes.json / 1e6).toFixed(1)} MB, SARIF ${(example!.bytes.sarif / 1e6).toFixed(1)} MB `
      + `(cdk.tf.json ${(example!.bytes.tf / 1e6).toFixed(1)} MB).` : '',
    `- Machine: ${machineLine()}; 1-minute load average during the runs: ${Math.min(...load).toFixed(1)} to ${Math.max(...load).toFixed(1)}.`,
    '',
  ].join('\n');
}

function machineLine(): string {
  const cpus = os.cpus();
  return `${cpus.length} cores (${cpus[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}`;
}
