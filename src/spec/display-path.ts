/**
 * How findings and messages name a file: relative to the working directory, with `/` separators on every platform.
 * In the lowest layer so that the readers (compose, docker_compose resources) and the CLI above them share it.
 */
import * as path from 'path';

/** `abs` as reports show it: relative to `cwd`, `/`-separated; its base name when it is `cwd` itself. */
export function display(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs) || path.basename(abs);
  return rel.split(path.sep).join('/');
}
