/**
 * The reports written beside each stack's cdk.tf.json: their names, the previous synth's set aside, the library
 * version they name.
 */
import * as fs from 'fs';
import * as path from 'path';

/** File names of the reports written beside each stack. */
export const REPORT_JSON = 'hardened-docker-report.json';
export const REPORT_SARIF = 'hardened-docker-report.sarif';

/**
 * Moves the previous synth's report out of the way and deletes it in the background, so that the new one is a new
 * file. Writing over it would truncate it first, and freeing the blocks of a file of megabytes (the reports of a
 * thousand containers) makes the synth wait for the file system: 3 to 40 ms per 4 MB file on the benchmark's
 * machine, against about 1 ms for the rename. The unlink runs on libuv's thread pool while synth goes on, and Node
 * finishes it before the process exits. A reader holding the previous report (an editor, an upload) keeps it whole.
 * One fixed name per report: whatever a killed process left there is replaced by the next synth.
 */
export function setAsidePrevious(file: string): void {
  const previous = path.join(path.dirname(file), `.${path.basename(file)}.replaced`);
  try {
    fs.renameSync(file, previous);
  } catch {
    // No previous report (a first synth), or it cannot be moved: opening it for writing truncates it, as before.
    return;
  }
  fs.unlink(previous, () => {
    // Already gone (a second synth of the process replaced it again), or it stays until the next synth replaces it.
  });
}

/** Where every finding of a stack's reports is: the stack's cdk.tf.json, beside them. */
export const STACK_FILE = Object.freeze({ uri: 'cdk.tf.json' });

/** Above this many findings the reports are written without indentation (a 5000-container stack: ~40% less to write). */
export const COMPACT_REPORT_FINDINGS = 1000;

let cachedVersion: string | undefined;
/** This library's version, for reports. */
export function libraryVersion(): string {
  if (!cachedVersion) {
    try {
      cachedVersion = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
    } catch {
      cachedVersion = '0.0.0';
    }
  }
  return cachedVersion ?? '0.0.0';
}
