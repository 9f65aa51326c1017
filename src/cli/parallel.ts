/**
 * `check --format json` on one large Terraform JSON file, on two threads: the main thread and one worker
 * (src/cli/check-worker.ts) each read the file, turn their share of the resources into specs and evaluate them; the
 * worker sends back the JSON text of its findings, which follows the main thread's in resource order. The report is
 * byte-identical to the single-thread one (test/cli/parallel.test.ts).
 *
 * Used only when it can pay off and be exact: one JSON file (not stdin, not a cdktf.out directory, not a plan), at
 * least HARDENED_DOCKER_PARALLEL_MIN resources (default 0: off, see prestart.ts; HARDENED_DOCKER_PARALLEL_BLOCK, for tests,
 * sets the block size and has the threads take alternate blocks), a second core, the compiled worker
 * beside this file, and a profile the worker can load again by itself (a built-in name or a profile file). Anything
 * else, and any failure of the worker, takes the single-thread path.
 */
import * as fs from 'fs';
import * as path from 'path';
import { InputUnit, unitsFromJsonDoc } from './inputs';
import type { ReportTotals } from './output';
import { minResources, parallelCandidate, takeWorker } from './prestart';
import { Profile } from '../profiles/profile';
import { evaluate } from '../report/evaluate';
import { jsonFindingText } from '../report/json-report';
import { isPlanJson } from '../spec/plan-adapter';
import { dockerResources, parseTerraformJson, specFromResource, TerraformResourceRef } from '../spec/terraform-adapter';

/** Sent once the main thread has counted the resources: blocks of `block` resources are claimed from `next`. */
export interface WorkerRequest {
  readonly total: number;
  readonly block: number;
  /** One Int32: the first resource of the next unclaimed block (Atomics.add). */
  readonly next: SharedArrayBuffer;
  /** For tests: no claiming, the main thread does the even blocks and the worker the odd ones. */
  readonly alternate?: boolean;
  /** The file as reports show it. */
  readonly file: string;
  readonly profileName?: string;
  readonly profileFile?: string;
  readonly strict?: boolean;
}

/** The first resources of the blocks a thread (0 main, 1 worker) does, claimed one at a time. */
export function* claimBlocks(req: WorkerRequest, thread: 0 | 1): Generator<number> {
  if (req.alternate) {
    for (let start = thread * req.block; start < req.total; start += 2 * req.block) yield start;
    return;
  }
  const counter = new Int32Array(req.next);
  for (let start = Atomics.add(counter, 0, req.block); start < req.total; start = Atomics.add(counter, 0, req.block)) yield start;
}

/** The findings of one block: their JSON texts joined by `,\n    `, and counts. */
export interface BlockResult {
  readonly index: number;
  readonly text: string;
  readonly findings: number;
  readonly resources: number;
  readonly counts: { error: number; warning: number; info: number; suppressed: number };
}

export type WorkerResult =
  | { readonly ok: true; readonly blocks: BlockResult[] }
  | { readonly ok: false; readonly error: string };

/** Turns resources [start, end) into specs, evaluates them and renders their findings. */
export function runBlock(index: number, refs: TerraformResourceRef[], start: number, end: number, file: string,
  profile: Profile, strict: boolean | undefined): BlockResult {
  const specs = new Array(end - start);
  for (let i = start; i < end; i++) specs[i - start] = specFromResource(refs[i], { file });
  const evaluation = evaluate(specs, profile, { strict });
  const findings = evaluation.findings;
  const texts: string[] = new Array(findings.length);
  const counts = { error: 0, warning: 0, info: 0, suppressed: 0 };
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    texts[i] = jsonFindingText(f);
    if (f.suppressed) counts.suppressed++;
    else counts[f.severity]++;
  }
  return { index, text: texts.join(',\n    '), findings: findings.length, resources: evaluation.resources.length, counts };
}

export type ParallelOutcome =
  /** The whole report, done. */
  | { readonly chunks: string[]; readonly counts: ReportTotals }
  /** Not worth it or not possible after reading the file: the units read, for the single-thread path. */
  | { readonly units: InputUnit[] };

/** How many checks took the two-thread path in this process (for tests). */
export const parallelRuns = { count: 0 };

/** Resources per claimed block. */
const BLOCK = 200;

/**
 * Runs the check on two threads when it applies; undefined when it does not (nothing read yet), units when it turned
 * out not to after reading the file. Input problems throw as the single-thread path would.
 */
export async function checkJsonInParallel(paths: string[], opts: {
  readonly cwd: string;
  readonly env: { [k: string]: string | undefined };
  readonly profile: Profile;
  readonly profileNameOrFile: string;
  readonly builtinProfile: boolean;
  readonly strict?: boolean;
}): Promise<ParallelOutcome | undefined> {
  const min = minResources(opts.env);
  if (paths.length !== 1 || paths[0] === '-') return undefined;
  const abs = path.resolve(opts.cwd, paths[0]);
  if (!parallelCandidate(abs, opts.env)) return undefined;
  // Usually started already by main(), so that its start-up and its reading of the file overlap the main thread's.
  const worker = takeWorker(abs);
  if (!worker) return undefined;
  const file = (path.relative(opts.cwd, abs) || path.basename(abs)).split(path.sep).join('/');
  const result = new Promise<WorkerResult>((resolve) => {
    worker.once('message', (r: WorkerResult) => resolve(r));
    worker.once('error', (e: any) => resolve({ ok: false, error: String(e?.message ?? e) }));
    worker.once('exit', (code) => resolve({ ok: false, error: `worker exited (${code})` }));
  });
  const stop = () => { void worker.terminate(); };

  let text: string;
  let doc: any;
  let refs: ReturnType<typeof dockerResources>;
  try {
    text = fs.readFileSync(abs, 'utf8');
    doc = parseTerraformJson(text, file);
    if (isPlanJson(doc)) throw new Error('plan');
    refs = dockerResources(doc, file);
  } catch {
    stop();
    // The single-thread path reports any problem exactly as it always has.
    return doc === undefined ? undefined : { units: await unitsFromJsonDoc(doc, text!, file) };
  }
  if (refs.length < Math.max(min, 1)) {
    stop();
    return { units: await unitsFromJsonDoc(doc, text, file) };
  }

  // Both threads claim blocks of resources from a shared counter until none is left: the work balances itself
  // whatever the worker's start-up costs and however busy the other core is.
  const testBlock = Number(opts.env.HARDENED_DOCKER_PARALLEL_BLOCK);
  const block = Number.isInteger(testBlock) && testBlock > 0 ? testBlock : BLOCK;
  const request: WorkerRequest = {
    total: refs.length,
    block,
    next: new SharedArrayBuffer(4),
    alternate: block !== BLOCK,
    file,
    strict: opts.strict,
    ...(opts.builtinProfile ? { profileName: opts.profileNameOrFile } : { profileFile: path.resolve(opts.cwd, opts.profileNameOrFile) }),
  };
  worker.postMessage(request);

  const blocks: BlockResult[] = [];
  try {
    for (const start of claimBlocks(request, 0)) {
      blocks[start / block] = runBlock(start / block, refs, start, Math.min(start + block, refs.length), file, opts.profile, opts.strict);
    }
  } catch {
    stop();
    return { units: await unitsFromJsonDoc(doc, text, file) };
  }
  const blockCount = Math.ceil(refs.length / block);
  let mine = 0;
  for (const b of blocks) if (b) mine++;
  if (mine < blockCount) {
    const r = await result;
    if (!r.ok) {
      stop();
      // The main thread does everything itself: the same specs, or the same input error.
      return { units: await unitsFromJsonDoc(doc, text, file) };
    }
    for (const b of r.blocks) blocks[b.index] = b;
  }
  stop();

  const counts = { resources: 0, error: 0, warning: 0, info: 0, suppressed: 0 };
  const chunks: string[] = ['{\n  "findings": ['];
  let total = 0;
  for (let i = 0; i < blockCount; i++) {
    const b = blocks[i];
    if (!b) {
      return { units: await unitsFromJsonDoc(doc, text, file) };
    }
    counts.resources += b.resources;
    counts.error += b.counts.error;
    counts.warning += b.counts.warning;
    counts.info += b.counts.info;
    counts.suppressed += b.counts.suppressed;
    if (b.findings) chunks.push((total ? ',\n    ' : '\n    ') + b.text);
    total += b.findings;
  }
  // The key order of jsonSummary: profile, resources, error, warning, info, suppressed.
  const summary = {
    profile: opts.profile.name,
    resources: counts.resources,
    error: counts.error,
    warning: counts.warning,
    info: counts.info,
    suppressed: counts.suppressed,
  };
  chunks.push(`${total ? '\n  ' : ''}],\n  "summary": ${JSON.stringify(summary, null, 2).replace(/\n/g, '\n  ')}\n}\n`);
  parallelRuns.count++;
  return { chunks, counts };
}
