/**
 * Starts the worker thread of the two-thread `check --format json` (src/cli/parallel.ts) as early as possible: from
 * main(), before the CLI's own modules load, when the command line looks like `check` of one large JSON file. The
 * worker only reads and parses the file until the check asks it for work (or terminates it). Loads only fs, os, path
 * and worker_threads.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Worker } from 'worker_threads';

/**
 * Off unless asked for: measured on the 2-core bench machine, two threads made the 10,000-resource check about 15%
 * slower in wall time and 40% dearer in CPU (the worker's start-up, its own parse, a second cold JIT, and the two
 * threads' allocation and GC competing for the cores); docs/benchmarks.md, CLI check.
 */
const DEFAULT_MIN_RESOURCES = 0;
/** Below this many bytes a file cannot hold the minimum resources (each takes well over 50 bytes). */
const MIN_BYTES_PER_RESOURCE = 50;

/** HARDENED_DOCKER_PARALLEL_MIN: the fewest resources worth a second thread (default 0: never; 2000 is a sensible value). */
export function minResources(env: { [k: string]: string | undefined }): number {
  const v = env.HARDENED_DOCKER_PARALLEL_MIN;
  if (v === undefined || v === '') return DEFAULT_MIN_RESOURCES;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : DEFAULT_MIN_RESOURCES;
}

function cores(): number {
  return typeof (os as any).availableParallelism === 'function' ? (os as any).availableParallelism() : os.cpus().length;
}

/**
 * The worker's script: the compiled check-worker.js beside this file; from source (tests, ts-node), the TypeScript
 * file and the ts-node hook that loads it, as two lines; undefined when neither can run.
 */
function workerEntry(): string | undefined {
  const js = path.join(__dirname, 'check-worker.js');
  if (fs.existsSync(js)) return js;
  const ts = path.join(__dirname, 'check-worker.ts');
  if (!fs.existsSync(ts)) return undefined;
  try {
    return `${require.resolve('ts-node/register/transpile-only')}\n${ts}`;
  } catch {
    return undefined;
  }
}

/** Whether a second thread may pay off for this file: a regular *.json file (not a cdktf manifest) large enough. */
export function parallelCandidate(abs: string, env: { [k: string]: string | undefined }): boolean {
  const min = minResources(env);
  if (min === 0 || cores() < 2 || !abs.endsWith('.json') || path.basename(abs) === 'manifest.json') return false;
  try {
    const stat = fs.statSync(abs);
    return stat.isFile() && stat.size >= min * MIN_BYTES_PER_RESOURCE;
  } catch {
    return false;
  }
}

function startWorker(abs: string): Worker | undefined {
  const entry = workerEntry();
  if (!entry) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Worker: WorkerClass } = require('worker_threads') as typeof import('worker_threads');
  const workerData = { path: abs };
  return entry.endsWith('.js')
    ? new WorkerClass(entry, { workerData })
    : new WorkerClass(`require(${JSON.stringify(entry.split('\n')[0])}); require(${JSON.stringify(entry.split('\n')[1])});`,
      { eval: true, workerData });
}

let pending: { readonly abs: string; readonly worker: Worker } | undefined;

/**
 * From main(): when argv is `check` of exactly one *.json path (options aside) that is a candidate, starts its worker.
 * A guess from the raw arguments: `check` itself decides, and terminates the worker when it does not use it.
 */
export function prestartCheckWorker(argv: string[], cwd: string, env: { [k: string]: string | undefined }): void {
  if (argv[0] !== 'check') return;
  const files: string[] = [];
  let format: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-f' || a === '--format') format = argv[++i];
    else if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else if (/^-f./.test(a)) format = a.slice(2);
    else if (/^(-[po]|--profile|--output|--fail-on)$/.test(a)) i++;
    else if (!a.startsWith('-')) files.push(a);
  }
  // Only the JSON report takes the two-thread path.
  if (format !== 'json' || files.length !== 1) return;
  const abs = path.resolve(cwd, files[0]);
  if (!parallelCandidate(abs, env)) return;
  const worker = startWorker(abs);
  if (worker) pending = { abs, worker };
}

/** The worker for `abs`: the one started early, or a new one. Terminates an early one for another file. */
export function takeWorker(abs: string): Worker | undefined {
  const p = pending;
  pending = undefined;
  if (p?.abs === abs) return p.worker;
  if (p) void p.worker.terminate();
  return startWorker(abs);
}

/** Terminates an early worker that `check` did not take (another format, an error before the check ran). */
export function dropPendingWorker(): void {
  if (pending) void pending.worker.terminate();
  pending = undefined;
}
