/**
 * Progress on standard error for long CLI runs, only on a terminal: one line rewritten in place (`\r`), cleared at
 * the end, so that logs and pipes never see it. Shown only above a threshold of items (short runs end before a
 * person would look), and redrawn only when the whole percentage changes.
 */

/** `check` shows progress when a directory holds more than this many Terraform files. */
export const CHECK_PROGRESS_THRESHOLD = 1000;

/** `audit` shows progress when it inspects more than this many containers. */
export const AUDIT_PROGRESS_THRESHOLD = 100;

/** Where progress goes: a stream that says whether it is a terminal (process.stderr does). */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(s: string): unknown;
}

export interface Progress {
  /** One more item done. */
  tick(): void;
  /** Clears the line (call once, also after a failure). */
  done(): void;
}

const NONE: Progress = { tick: () => undefined, done: () => undefined };

/** `label 123/456 (27%)` on `stream` when it is a terminal and `total` is above `threshold`; else nothing. */
export function progress(stream: ProgressStream | undefined, label: string, total: number, threshold: number): Progress {
  if (!stream?.isTTY || total <= threshold) return NONE;
  let count = 0;
  let shownPercent = -1;
  let shown = false;
  return {
    tick() {
      count++;
      const percent = Math.floor((count * 100) / total);
      if (percent === shownPercent) return;
      shownPercent = percent;
      shown = true;
      stream.write(`\r${label} ${count}/${total} (${percent}%)`);
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
