/**
 * The worker thread of `check --format json` on a large Terraform JSON file (src/cli/parallel.ts): reads and parses
 * the same file, turns its share of the resources (`[start, end)` of `dockerResources`, in file order) into specs,
 * evaluates them, and sends back the JSON text of their findings and the counts the summary needs. Loads only the
 * adapter, the profile (and its rules) and the JSON finding renderer.
 */
import * as fs from 'fs';
import { parentPort, workerData } from 'worker_threads';
import { BlockResult, claimBlocks, runBlock, WorkerRequest, WorkerResult, WorkerSetup } from './parallel';
import { Profile } from '../profiles/profile';
import { dockerResources, parseTerraformJson } from '../spec/terraform-adapter';

function run(setup: WorkerSetup, onRequest: (cb: (req: WorkerRequest) => void) => void, send: (r: WorkerResult) => void): void {
  let refs: ReturnType<typeof dockerResources>;
  let profile: Profile;
  try {
    profile = setup.profileFile !== undefined ? Profile.fromFile(setup.profileFile) : Profile.named(setup.profileName!);
    const doc = parseTerraformJson(fs.readFileSync(setup.path, 'utf8'), setup.file);
    refs = dockerResources(doc, setup.file);
  } catch (e: any) {
    // Whatever went wrong, the main thread does this share itself (and reports any error as the single thread would).
    onRequest(() => send({ ok: false, error: String(e?.message ?? e) }));
    return;
  }
  onRequest((req) => {
    try {
      if (refs.length !== req.total) throw new Error(`resource count ${refs.length}, expected ${req.total}`);
      const blocks: BlockResult[] = [];
      for (const start of claimBlocks(req, 1)) {
        blocks.push(runBlock(start / req.block, refs, start, Math.min(start + req.block, refs.length), setup.file, profile, setup.strict));
      }
      send({ ok: true, blocks });
    } catch (e: any) {
      send({ ok: false, error: String(e?.message ?? e) });
    }
  });
}

if (parentPort) {
  const port = parentPort;
  run(workerData as WorkerSetup, (cb) => port.once('message', cb), (r) => port.postMessage(r));
}
