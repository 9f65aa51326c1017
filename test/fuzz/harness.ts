/**
 * Runs fuzz cases in a worker thread with a time bound per case: a case that does not finish in time is a failure
 * (a hang), and the worker is terminated and restarted. The bound is generous (a hang detector, not a speed test).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { FuzzCase, FuzzOutcome } from './fuzz-worker';

export type { FuzzCase, FuzzOutcome };

export const ROOT = path.resolve(__dirname, '..', '..');
/** How long one case may take before it counts as a hang. */
export const CASE_TIMEOUT_MS = 60_000;

export class FuzzRunner {
  private worker?: Worker;
  private nextId = 0;
  private pending = new Map<number, (o: FuzzOutcome) => void>();

  /** Runs a case; rejects with the case when it does not finish within `timeoutMs`. */
  public async run(fuzzCase: FuzzCase, timeoutMs = CASE_TIMEOUT_MS): Promise<FuzzOutcome> {
    const worker = this.start();
    const id = this.nextId++;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<FuzzOutcome>((resolve, reject) => {
        this.pending.set(id, resolve);
        timer = setTimeout(() => {
          this.pending.delete(id);
          void this.stop();
          reject(new Error(`hang: the case did not finish within ${timeoutMs} ms: ${describe(fuzzCase)}`));
        }, timeoutMs);
        worker.postMessage({ id, fuzzCase });
      });
    } finally {
      clearTimeout(timer);
    }
  }

  public async stop(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // The worker loads the TypeScript sources through ts-node (transpile only), as the spawned CLI tests do.
    const w = new Worker(`
      require(${JSON.stringify(require.resolve('ts-node'))}).register({ transpileOnly: true, project: ${JSON.stringify(path.join(ROOT, 'tsconfig.json'))} });
      require(${JSON.stringify(path.join(__dirname, 'fuzz-worker.ts'))});
    `, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    w.on('message', (m: { id: number; outcome: FuzzOutcome }) => {
      const resolve = this.pending.get(m.id);
      this.pending.delete(m.id);
      resolve?.(m.outcome);
    });
    w.on('error', (e: any) => {
      for (const resolve of this.pending.values()) resolve({ thrown: { name: 'WorkerError', message: String(e?.message ?? e), stack: e?.stack } });
      this.pending.clear();
      this.worker = undefined;
    });
    this.worker = w;
    return w;
  }
}

/** A case, short enough for a failure message. */
export function describe(c: FuzzCase): string {
  const short = (s: string | Uint8Array) => {
    const text = typeof s === 'string' ? s : Buffer.from(s).toString('latin1');
    return JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}... (${text.length} chars)` : text);
  };
  if (c.kind === 'cli') {
    return `check ${c.args.join(' ')} ${JSON.stringify(c.options ?? {})} with ${Object.entries(c.files).map(([f, t]) => `${f}=${short(t)}`).join(', ')}`;
  }
  return `${c.kind} ${short(c.text)}`;
}

/** The fixtures the mutations start from. */
export function fixtures(): { [name: string]: string } {
  const dir = path.join(ROOT, 'test', 'cli', 'fixtures');
  return {
    'tf-json': fs.readFileSync(path.join(dir, 'tf-json', 'containers.tf.json'), 'utf8'),
    'hcl': fs.readFileSync(path.join(dir, 'hcl', 'main.tf'), 'utf8'),
    'plan': fs.readFileSync(path.join(dir, 'plan', 'plan.json'), 'utf8'),
    'profile': fs.readFileSync(path.join(ROOT, 'test', 'profiles', 'fixtures', 'good.json'), 'utf8'),
  };
}
