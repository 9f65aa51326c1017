/**
 * Helpers for benchmark modules: run one measurement in a fresh Node process (so that its peak RSS is its own),
 * collect what it reports, and summarize.
 */
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const MARK = 'BENCH_RESULT ';
const ROOT = path.resolve(__dirname, '..', '..');

/** In a child: report the result object to the parent (one line on stdout). */
export function report(result: object): void {
  process.stdout.write(`${MARK}${JSON.stringify(result)}\n`);
}

/** The child's own peak resident set size, in MiB (`process.resourceUsage().maxRSS` is in KiB). */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/**
 * Runs `script` (a .ts file, relative to the repository root) in a fresh `node --expose-gc` process with ts-node
 * (transpile only) and returns the object it passed to `report()`. Rejects with the child's stderr when it fails.
 */
export function runChild<T = any>(script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', script, ...args], {
      cwd: ROOT,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(MARK));
      if (code !== 0 || !line) {
        reject(new Error(`${script} ${args.join(' ')} exited with ${code}:\n${err.slice(-4000)}`));
        return;
      }
      resolve(JSON.parse(line.slice(MARK.length)) as T);
    });
  });
}

/** Median of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * A bootstrap interval of the median of `xs`: the `lo` and `hi` quantiles (default 5% and 95%) of the medians of
 * `resamples` samples drawn with replacement, from a fixed seed so that the same runs give the same interval.
 */
export function medianInterval(xs: number[], resamples = 4000, lo = 0.05, hi = 0.95): { lo: number; hi: number } {
  if (xs.length === 0) return { lo: NaN, hi: NaN };
  let seed = 0x2545f491;
  // xorshift32: enough for resampling indices; Math.random would make the interval differ between readings.
  const next = () => {
    seed ^= seed << 13; seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5; seed >>>= 0;
    return seed / 2 ** 32;
  };
  const medians: number[] = [];
  const draw = new Array<number>(xs.length);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < xs.length; i++) draw[i] = xs[Math.floor(next() * xs.length)];
    medians.push(median(draw));
  }
  medians.sort((a, b) => a - b);
  return { lo: medians[Math.floor(lo * (resamples - 1))], hi: medians[Math.ceil(hi * (resamples - 1))] };
}

/** One line describing this machine. */
export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, `
    + `${os.type()} ${os.release()}, Node ${process.version}`;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Compiles the library (`npx jsii`: lib/, what users install) unless `file` (a file of lib/) is newer than every
 * source. Benchmarks that time the library as users run it load lib/, not the TypeScript sources.
 */
export function ensureCompiled(file: string): string {
  if (fs.existsSync(file) && fs.statSync(file).mtimeMs >= newestMtime(path.join(ROOT, 'src'))) return 'lib/ was up to date';
  execFileSync('npx', ['jsii', '--silence-warnings=reserved-word'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing after \`npx jsii\``);
  return 'compiled with `npx jsii` first';
}

/** CPU time (user + system) of this process's waited-for children so far, in ms (Linux /proc; undefined elsewhere). */
export function childrenCpuMs(): number | undefined {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: state is field 3, so cutime (16) and cstime (17) are at 13 and 14 here. Ticks of 10 ms.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

/** Wall-clock and CPU milliseconds of one Node process run in `cwd`, stdout to /dev/null. */
export function timeProcess(args: string[], cwd: string): { ms: number; cpuMs?: number } {
  const cpuBefore = childrenCpuMs();
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.error) throw r.error;
  const cpuAfter = childrenCpuMs();
  return { ms, cpuMs: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined };
}
