/**
 * The worker thread of `check --format json` on a large Terraform JSON file (src/cli/parallel.ts; started by
 * src/cli/prestart.ts): reads and parses the file, then, asked, claims blocks of its resources (in file order of
 * `dockerResources`), turns them into specs, evaluates them, and sends back the JSON text of their findings and the
 * counts the summary needs. Loads only the
 * adapter, the profile (and its rules) and the JSON finding renderer.
 */
import * as fs from 'fs';
import { parentPort, workerData } from 'worker_threads';
import { BlockResult, claimBlocks, runBlock, WorkerRequest, WorkerResult } from './parallel';
import { Profile } from '../profiles/profile';
import { dockerResources, parseTerraformJson, TerraformResourceRef } from '../spec/terraform-adapter';

function run(abs: string, onRequest: (cb: (req: WorkerRequest) => void) => void, send: (r: WorkerResult) => void): void {
  let refs: TerraformResourceRef[] | undefined;
  try {
    refs = dockerResources(parseTerraformJson(fs.readFileSync(abs, 'utf8'), abs));
  } catch {
    // Whatever went wrong, the main thread does the work itself (and reports any error as the single thread would).
    refs = undefined;
  }
  onRequest((req) => {
    try {
      if (!refs) throw new Error('cannot read the file');
      if (refs.length !== req.total) throw new Error(`resource count ${refs.length}, expected ${req.total}`);
      const profile = req.profileFile !== undefined ? Profile.fromFile(req.profileFile) : Profile.named(req.profileName!);
      const blocks: BlockResult[] = [];
      for (const start of claimBlocks(req, 1)) {
        blocks.push(runBlock(start / req.block, refs, start, Math.min(start + req.block, refs.length), req.file, profile, req.strict));
      }
      send({ ok: true, blocks });
    } catch (e: any) {
      send({ ok: false, error: String(e?.message ?? e) });
    }
  });
}

if (parentPort) {
  const port = parentPort;
  run((workerData as { path: string }).path, (cb) => port.once('message', cb), (r) => port.postMessage(r));
}
