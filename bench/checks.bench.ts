/**
 * Synth-time checks: what DockerSecurityChecks adds to a `cdktf synth` of one stack of N raw `Container`s.
 *
 * For N = 1000 and 5000, runs `bench/checks.child.ts` RUNS times in each mode, each in a fresh Node process: `raw`
 * (the library never loaded), `library` (loaded as an app that imports it for its constructs, no checks) and `checks`
 * (loaded, DockerSecurityChecks added), the modes' order changing every round (see roundOrder) so that drift in the
 * machine's load falls on all. The budget (at most +10% wall time and +15% peak RSS at both sizes) is read on what
 * `cdktf synth` waits for: the app's process from its start to the end of `app.synth()`, checks against raw.
 * Checks against `library` (what the checks alone add), `app.synth()` alone, and the checks' own time inside it are
 * reported beside it.
 * Env: BENCH_CHECKS_RUNS (default 9), BENCH_CHECKS_SIZES (default "1000,5000"), BENCH_CHECKS_MODES (default
 * "raw,raw-again,library,checks": raw-again is the A/A control; "raw,checks" runs only the two the budget compares), BENCH_CHECKS_OUTDIR ("fresh", the default: a new
 * output directory per run; "again": each run writes over the previous run's output, as `cdktf synth` run again).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LIB } from './checks.child';
import { ensureCompiled, median, medianInterval, runChild } from './lib/child';

/**
 * `raw-again` is `raw` run a second time in every round, under its own name: the A/A control. What it shows against
 * `raw` is the method's own noise on this machine, the floor below which no difference can be read.
 */
type Mode = 'raw' | 'raw-again' | 'library' | 'checks';
const MODES: readonly Mode[] = ['raw', 'raw-again', 'library', 'checks'];

interface Sample {
  readonly n: number;
  readonly mode: Mode;
  readonly constructMs: number;
  readonly libLoadMs: number;
  /** Modules of lib/ loaded by requiring the library (0 for raw). */
  readonly libModules?: number;
  readonly synthMs: number;
  /** Time inside the checks (DockerSecurityChecks._checkStack) during that synth; 0 without checks. */
  readonly checksMs: number;
  /** The main thread's CPU time inside the checks (undefined where /proc is missing, and without checks). */
  readonly checksCpuMs?: number;
  readonly synthCpuMs: number;
  readonly mainCpuMs?: number;
  readonly backgroundCpuMs?: number;
  readonly appMs: number;
  readonly appCpuMs: number;
  readonly processMs: number;
  readonly processCpuMs: number;
  readonly peakRssMiB: number;
  readonly summary?: { resources: number; error: number; warning: number; info: number; suppressed: number };
  readonly bytes: { tf: number; json: number; sarif: number };
}

const BUDGET_TIME = 0.10;
const BUDGET_RSS = 0.15;

/**
 * Where each mode synthesizes. `fresh`: a new directory per run. `again`: one directory per mode and size for the
 * whole benchmark, so that every counted run writes over the previous run's output, as `cdktf synth` run again
 * writes into the cdktf.out of the last synth (the uncounted first run of each size fills it).
 */
const OUTDIRS = new Map<string, string>();
function outdirFor(n: number, mode: Mode, again: boolean): string {
  if (!again) return fs.mkdtempSync(path.join(os.tmpdir(), `hd-bench-${mode}-`));
  const key = `${n}-${mode}`;
  let dir = OUTDIRS.get(key);
  if (!dir) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `hd-bench-again-${key}-`));
    OUTDIRS.set(key, dir);
  }
  return dir;
}

async function measure(n: number, mode: Mode, again: boolean): Promise<Sample> {
  const outdir = outdirFor(n, mode, again);
  try {
    return await runChild<Sample>('bench/checks.child.ts', [String(n), mode === 'raw-again' ? 'raw' : mode, outdir]);
  } finally {
    if (!again) fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * The order of the modes in round r: every permutation in turn (with two modes, ABBA), so that each mode runs as
 * often first, second and last, and a drift in the machine's load falls on all of them alike.
 */
export function roundOrder(modes: readonly Mode[], r: number): Mode[] {
  const perms: Mode[][] = [];
  const permute = (rest: Mode[], done: Mode[]) => {
    if (!rest.length) perms.push(done);
    rest.forEach((m, i) => permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...done, m]));
  };
  permute([...modes], []);
  // Heap's order would repeat a first mode; this one alternates: 0, last, 1, last-1, ...
  const k = r % perms.length;
  return perms[k % 2 === 0 ? k / 2 : perms.length - 1 - (k - 1) / 2];
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
const ms = (x: number) => `${Math.round(x)} ms`;
const mib = (x: number) => `${Math.round(x)} MiB`;
const within = (x: number, budget: number) => (x <= budget ? 'within' : 'OVER');
/** Whether the runs decide it: the whole 90% interval of the pairs' median on one side of the budget. */
const settled = (interval: { lo: number; hi: number }, budget: number) => (interval.hi <= budget
  ? 'settled (the whole interval within)' : interval.lo > budget ? 'settled OVER (the whole interval over)' : 'not settled (the interval spans the budget)');

export const name = 'checks';

export async function run(): Promise<string> {
  const runs = Number(process.env.BENCH_CHECKS_RUNS ?? 9);
  const sizes = (process.env.BENCH_CHECKS_SIZES ?? '1000,5000').split(',').map(Number);
  const modes = (process.env.BENCH_CHECKS_MODES ?? MODES.join(',')).split(',') as Mode[];
  if (!modes.includes('raw') || !modes.includes('checks') || modes.some((m) => !MODES.includes(m))) {
    throw new Error(`BENCH_CHECKS_MODES="${process.env.BENCH_CHECKS_MODES}": list raw and checks, and library if wanted (${MODES.join(',')})`);
  }
  const withLibrary = modes.includes('library');
  const outdirs = process.env.BENCH_CHECKS_OUTDIR ?? 'fresh';
  if (outdirs !== 'fresh' && outdirs !== 'again') throw new Error(`BENCH_CHECKS_OUTDIR="${outdirs}": use fresh or again`);
  const again = outdirs === 'again';
  const compiled = ensureCompiled(LIB);
  const processRows: string[] = [];
  const synthRows: string[] = [];
  const shareRows: string[] = [];
  const verdicts: string[] = [];
  const runLines: string[] = [];
  const load: number[] = [];
  let example: Sample | undefined;
  // One run of each, not counted: the first process after a build reads lib/ and the modules from disk (with `again`,
  // once per size, to leave a previous output in each directory).
  for (const mode of modes) await measure(Math.min(...sizes), mode, again);
  for (const n of sizes) {
    if (again && n !== Math.min(...sizes)) for (const mode of modes) await measure(n, mode, again);
    const samples: Record<Mode, Sample[]> = { 'raw': [], 'raw-again': [], 'library': [], 'checks': [] };
    for (let r = 0; r < runs; r++) {
      for (const mode of roundOrder(modes, r)) {
        load.push(os.loadavg()[0]);
        const s = await measure(n, mode, again);
        samples[mode].push(s);
        process.stderr.write(`  N=${n} ${mode.padEnd(7)} process ${ms(s.processMs)}, synth ${ms(s.synthMs)} (cpu ${ms(s.synthCpuMs)}), `
          + `library load ${ms(s.libLoadMs)}, checks ${ms(s.checksMs)}, peak RSS ${mib(s.peakRssMiB)}\n`);
      }
    }
    const m = (mode: Mode, f: (s: Sample) => number) => median(samples[mode].map(f));
    /** `mode` over `base`: the ratio of the medians, and the median of the ratios of the runs of the same round. */
    const delta = (f: (s: Sample) => number, mode: Mode = 'checks', base: Mode = 'raw') => ({
      medians: m(mode, f) / m(base, f) - 1,
      pairs: median(samples[mode].map((c, i) => f(c) / f(samples[base][i]) - 1)),
    });
    const proc = delta((s) => s.processMs);
    // How sure the pairs' median is (90% bootstrap interval), and the same for raw against itself (the noise floor).
    const procPairs = samples.checks.map((c, i) => c.processMs / samples.raw[i].processMs - 1);
    const procInterval = medianInterval(procPairs);
    const control = modes.includes('raw-again') ? delta((s) => s.processMs, 'raw-again', 'raw') : undefined;
    const controlInterval = control ? medianInterval(samples['raw-again'].map((c, i) => c.processMs / samples.raw[i].processMs - 1)) : undefined;
    const procCpu = delta((s) => s.processCpuMs);
    const rss = delta((s) => s.peakRssMiB);
    const noChecks = withLibrary ? delta((s) => s.processMs, 'checks', 'library') : undefined;
    const loadOnly = withLibrary ? delta((s) => s.processMs, 'library', 'raw') : undefined;
    processRows.push(`| ${n} | ${ms(m('raw', (s) => s.processMs))} | ${withLibrary ? ms(m('library', (s) => s.processMs)) : 'n/a'} | `
      + `${ms(m('checks', (s) => s.processMs))} | **${pct(proc.medians)}** | ${pct(proc.pairs)} | ${pct(procInterval.lo)} to ${pct(procInterval.hi)} | `
      + `${control ? `${pct(control.pairs)} (${pct(controlInterval!.lo)} to ${pct(controlInterval!.hi)})` : 'n/a'} | `
      + `${noChecks ? `${pct(noChecks.medians)} | ${pct(noChecks.pairs)}` : 'n/a | n/a'} | ${loadOnly ? pct(loadOnly.medians) : 'n/a'} | `
      + `${pct(procCpu.medians)} | ${mib(m('raw', (s) => s.peakRssMiB))} | ${mib(m('checks', (s) => s.peakRssMiB))} | **${pct(rss.medians)}** |`);
    const synth = delta((s) => s.synthMs);
    const hasThreads = samples.raw.every((s) => s.mainCpuMs !== undefined);
    const mainCpu = hasThreads ? delta((s) => s.mainCpuMs!) : undefined;
    const bgExtra = hasThreads ? m('checks', (s) => s.backgroundCpuMs!) - m('raw', (s) => s.backgroundCpuMs!) : undefined;
    synthRows.push(`| ${n} | ${ms(m('raw', (s) => s.synthMs))} | ${ms(m('checks', (s) => s.synthMs))} | **${pct(synth.medians)}** | ${pct(synth.pairs)} | `
      + (hasThreads
        ? `${ms(m('raw', (s) => s.mainCpuMs!))} | ${ms(m('checks', (s) => s.mainCpuMs!))} | ${pct(mainCpu!.medians)} | `
          + `${ms(m('raw', (s) => s.backgroundCpuMs!))} | ${ms(m('checks', (s) => s.backgroundCpuMs!))} | ${bgExtra! >= 0 ? '+' : ''}${ms(bgExtra!)} |`
        : 'n/a | n/a | n/a | n/a | n/a | n/a |'));
    // The checks' own time against the synth without it, per checks run: the steadier reading of the same budget.
    const shares = samples.checks.map((x) => x.checksMs / (x.synthMs - x.checksMs));
    const share = median(shares);
    // The same on the main thread's CPU time: what the checks ran against what the rest of synth ran.
    const cpuShares = samples.checks.every((x) => x.checksCpuMs !== undefined && x.mainCpuMs !== undefined)
      ? samples.checks.map((x) => x.checksCpuMs! / (x.mainCpuMs! - x.checksCpuMs!)) : undefined;
    const loadShare = median(samples.checks.map((x) => x.libLoadMs / x.processMs));
    // The direct reading: what the library's load and the checks took inside each checks process, against the rest of
    // that same process. Contention slows both alike, so it is steady where the A/B comparison of processes is not;
    // it leaves out what the checks cost elsewhere (collecting their garbage later, V8 compiling them in the background).
    const directShares = samples.checks.map((x) => (x.libLoadMs + x.checksMs) / (x.processMs - x.libLoadMs - x.checksMs));
    const direct = median(directShares);
    const directInterval = medianInterval(directShares);
    const decisive = controlInterval === undefined || (controlInterval.lo >= -BUDGET_TIME / 2 && controlInterval.hi <= BUDGET_TIME / 2);
    shareRows.push(`| ${n} | ${ms(m('checks', (x) => x.checksMs))} | ${ms(m('checks', (x) => x.synthMs - x.checksMs))} | **${pct(share)}** | `
      + `${cpuShares ? `${ms(m('checks', (x) => x.checksCpuMs!))} | ${pct(median(cpuShares))}` : 'n/a | n/a'} | `
      + `${ms(m('checks', (x) => x.libLoadMs))} (${samples.checks[0].libModules ?? '?'} modules; ${pct(loadShare)} of the process) | `
      + `${shares.map((x) => pct(x)).join(', ')} |`);
    verdicts.push(`N = ${n}: \`cdktf synth\`'s app process ${pct(proc.medians)} (pairs ${pct(proc.pairs)}, 90% interval `
      + `${pct(procInterval.lo)} to ${pct(procInterval.hi)}; budget +${BUDGET_TIME * 100}%) `
      + `${within(Math.max(proc.medians, proc.pairs), BUDGET_TIME)}, `
      + `${decisive ? settled(procInterval, BUDGET_TIME) : 'not settled: the run is too noisy to decide (the A/A interval is wider than half the budget)'}`
      + (control ? ` (raw against itself: ${pct(control.medians)}, pairs ${pct(control.pairs)}, 90% interval ${pct(controlInterval!.lo)} to ${pct(controlInterval!.hi)})` : '')
      + `; its CPU ${pct(procCpu.medians)}; peak RSS ${pct(rss.medians)} `
      + `(budget +${BUDGET_RSS * 100}%) ${within(rss.medians, BUDGET_RSS)}. `
      + (noChecks ? `Against the same app loading the library without checks: ${pct(noChecks.medians)} (pairs ${pct(noChecks.pairs)}). ` : '')
      + `\`app.synth()\` alone ${pct(synth.medians)} (pairs ${pct(synth.pairs)}) `
      + `${within(Math.max(synth.medians, synth.pairs), BUDGET_TIME)}; the checks' own time ${pct(share)} of the rest of synth ${within(share, BUDGET_TIME)}. `
      + `Direct reading (library load and checks against the rest of their own process): ${pct(direct)} `
      + `(90% interval ${pct(directInterval.lo)} to ${pct(directInterval.hi)}) ${within(directInterval.hi, BUDGET_TIME)}.`);
    example = samples.checks[0];
    const list = (mode: Mode, f: (x: Sample) => number | undefined) => samples[mode].map((x) => Math.round(f(x) ?? NaN)).join(', ');
    const each = (f: (x: Sample) => number | undefined) => modes.map((mode) => `[${list(mode, f)}]`).join('; ');
    runLines.push(`- N = ${n}, each run (${modes.join('; ')}): process ${each((x) => x.processMs)} ms. `
      + `synth ${each((x) => x.synthMs)} ms. `
      + `main-thread CPU in synth ${each((x) => x.mainCpuMs)} ms. `
      + `background CPU in synth ${each((x) => x.backgroundCpuMs)} ms. `
      + `peak RSS ${each((x) => x.peakRssMiB)} MiB.`);
  }
  for (const dir of OUTDIRS.values()) fs.rmSync(dir, { recursive: true, force: true });
  OUTDIRS.clear();
  const s = example?.summary;
  return [
    '## Synth-time checks',
    '',
    `What \`DockerSecurityChecks\` adds to a \`cdktf synth\` of one stack of N raw \`Container\`s (\`npm run bench checks\`,`,
    '`bench/checks.bench.ts`). Each container has realistic attributes: image (a quarter pinned by digest), user,',
    'read-only root, two tmpfs, memory and swap, CPU quota, a port, four env vars, a named volume and a read-only bind',
    'mount, three labels, a healthcheck, restart policy, log rotation, a network, two ulimits; two thirds drop all',
    'capabilities and set no-new-privileges. The checks run the `hardened` profile (every rule of the catalog; error rules',
    'reported as warnings, so that the run never stops) and write both reports; nothing is printed.',
    '',
    'Each measurement is a fresh Node process running the app, as `cdktf synth` runs it (`node --expose-gc`, ts-node',
    'transpile-only for the app), in one of four modes. *raw*: the app never loads the library. *library only*: it loads',
    'the library as users install it (the compiled `lib/`,',
    `${compiled === 'lib/ was up to date' ? 'up to date with the sources' : 'compiled first with `npx jsii`'}), as an app that imports it for its constructs`,
    'does, and adds no checks. *checks*: it loads the library and adds the aspect to the app. *raw again*: raw a second',
    'time in every round, under its own name: the A/A control, whose difference from raw is the method\'s own noise.',
    `${runs} runs of each mode, the modes\' order changing every round (every permutation in turn); medians, and the median of the`,
    'ratios of the runs of the same round ("pairs": each round saw about the same load on this shared machine), with its',
    '90% bootstrap interval (4000 resamples of the rounds). The budget is *settled* when the whole interval is on one side of it.',
    again
      ? 'Each mode synthesizes into one output directory per size for the whole benchmark, so that every counted run writes over the previous run\'s output, as `cdktf synth` run again does (`BENCH_CHECKS_OUTDIR=again`).'
      : 'Each run synthesizes into a new directory (`BENCH_CHECKS_OUTDIR=fresh`; `again` writes over the previous run\'s output, as `cdktf synth` run again does).',
    '',
    'The budget\'s reading: the app\'s process from its start (Node\'s own start included) to the end of `app.synth()`, what',
    '`cdktf synth` waits for before it reads `cdktf.out` (the forced `gc()` after construction excluded). Peak memory is',
    'the process\'s max RSS (`process.resourceUsage().maxRSS`).',
    '',
    '| N | process, raw | process, library only | process, checks | checks vs raw | (pairs) | pairs, 90% interval | raw vs raw (A/A) | checks vs library only | (pairs) | library only vs raw | CPU, checks vs raw | peak RSS, raw | peak RSS, checks | peak RSS |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...processRows,
    '',
    '`app.synth()` alone, the strictest reading (construction, module loading and Node\'s start excluded). The CPU time',
    'of the main thread (time on a core only: waiting for one while other tenants of this machine hold both is not',
    'counted) and of V8\'s background threads (its optimizing compiler and garbage collector) during that call:',
    '',
    '| N | synth, raw | synth, checks | wall time | wall (pairs) | main CPU, raw | main CPU, checks | main CPU | background CPU, raw | background CPU, checks | background CPU |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...synthRows,
    '',
    'The checks\' own time, measured inside the same synth: the time spent in the checks (adapter, rules, both',
    'reports, annotations) against the rest of that `app.synth()` call, in wall time and in the main thread\'s CPU time',
    '(time on a core: the steadier figure when other jobs share the machine); and the time to load the library. The',
    '*direct reading* of the budget puts the library\'s load and the checks against the rest of their own process, run',
    'by run: contention slows both sides of that ratio alike, so it holds still where the A/B comparison of whole',
    'processes swings; it leaves out what the checks cost elsewhere (V8 compiling them on a background thread, their',
    'garbage collected later). A run whose A/A interval is wider than half the budget is too noisy to settle anything.',
    '',
    '| N | checks (median) | rest of synth (median) | checks / rest | checks, main-thread CPU | CPU: checks / rest | library load | each run (wall) |',
    '|---|---|---|---|---|---|---|---|',
    ...shareRows,
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
