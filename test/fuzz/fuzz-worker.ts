/**
 * The fuzz suite's worker thread: runs one case at a time (a reader on a text, or `runCheck` on files) and posts back
 * what happened. It runs in a worker so that a case that never ends, even in synchronous code, can be stopped
 * (Worker.terminate) and reported, instead of hanging the test run.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parentPort } from 'worker_threads';
import { runCheck } from '../../src/cli/check';
import { specsFromHcl } from '../../src/spec/hcl-adapter';
import { isPlanJson, specsFromPlanJson } from '../../src/spec/plan-adapter';
import { AdapterError, parseTerraformJson, specsFromTerraformJson } from '../../src/spec/terraform-adapter';

/** A case: a reader over one text, or the CLI over files written to a fresh directory. */
export type FuzzCase =
  | { readonly kind: 'tf-json' | 'plan-json' | 'hcl'; readonly text: string }
  | { readonly kind: 'cli'; readonly files: { [relPath: string]: string | Uint8Array }; readonly args: string[]; readonly options?: { [k: string]: string | boolean } };

/** What a case did. `thrown` is set when a reader threw something other than its documented AdapterError. */
export interface FuzzOutcome {
  readonly ok?: boolean;
  readonly adapterError?: string;
  readonly thrown?: { readonly name: string; readonly message: string; readonly stack?: string };
  readonly code?: number;
  readonly stdoutBytes?: number;
  readonly stderr?: string;
}

async function runCase(c: FuzzCase, scratch: string): Promise<FuzzOutcome> {
  if (c.kind === 'cli') {
    const dir = fs.mkdtempSync(path.join(scratch, 'case-'));
    try {
      for (const [rel, content] of Object.entries(c.files)) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), content);
      }
      let stdoutBytes = 0;
      let stderr = '';
      const code = await runCheck(c.args, c.options ?? {}, {
        stdout: { write: (s: string | Uint8Array) => { stdoutBytes += s.length; return true; } },
        stderr: { write: (s: string) => { stderr += s; return true; } },
        cwd: dir,
        env: {},
        readStdin: async () => '',
      });
      return { code, stdoutBytes, stderr };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  try {
    if (c.kind === 'hcl') {
      await specsFromHcl(c.text, 'fuzz.tf');
    } else {
      const doc = parseTerraformJson(c.text, 'fuzz.json');
      if (c.kind === 'plan-json' && isPlanJson(doc)) specsFromPlanJson(doc, { file: 'fuzz.json' });
      else specsFromTerraformJson(doc, { file: 'fuzz.json' });
    }
    return { ok: true };
  } catch (e: any) {
    if (e instanceof AdapterError) return { adapterError: e.message };
    return { thrown: { name: String(e?.name ?? typeof e), message: String(e?.message ?? e), stack: e?.stack } };
  }
}

const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-fuzz-'));
parentPort!.on('message', (msg: { id: number; fuzzCase: FuzzCase } | 'exit') => {
  if (msg === 'exit') {
    fs.rmSync(scratchDir, { recursive: true, force: true });
    process.exit(0);
  }
  runCase(msg.fuzzCase, scratchDir).then(
    (outcome) => parentPort!.postMessage({ id: msg.id, outcome }),
    (e) => parentPort!.postMessage({ id: msg.id, outcome: { thrown: { name: 'HarnessError', message: String(e?.message ?? e), stack: e?.stack } } }),
  );
});
