/**
 * Helpers for the audit's engine tests: engine detection (synchronous, since jest collects `describe` blocks
 * synchronously), the test image, and container creation with a name prefix that cleanup removes.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import Docker from 'dockerode';
import { main } from '../../src/cli/main';
import { TEST_IMAGE } from '../engine';

/** Everything these tests create is named (or labelled) with this prefix. */
export const PREFIX = 'hdaudit-';
/** The image the audit tests run (scripts/build-test-images.sh). */
export const IMAGE = TEST_IMAGE;

export { describeEngine, docker } from '../engine';

/**
 * Builds the test images (scripts/build-test-images.sh, which .ci/run runs first) when IMAGE is not there yet.
 */
export async function ensureImage(d: Docker): Promise<void> {
  try {
    await d.getImage(IMAGE).inspect();
    return;
  } catch {
    // build it below
  }
  const script = path.join(__dirname, '..', '..', 'scripts', 'build-test-images.sh');
  const r = spawnSync('bash', [script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building ${IMAGE} with ${script} failed: ${r.stderr}`);
}

/** Removes every container (and service) whose name starts with `prefix`. */
export async function removeAll(d: Docker, prefix: string): Promise<void> {
  const list = await d.listContainers({ all: true, filters: { name: [prefix] } });
  await Promise.all(list
    .filter((c) => (c.Names ?? []).some((n) => n.replace(/^\//, '').startsWith(prefix)))
    .map((c) => d.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}

/** Creates (and by default starts) a container running `sleep`. */
export async function run(
  d: Docker, name: string, hostConfig: Docker.HostConfig = {}, extra: Partial<Docker.ContainerCreateOptions> = {}, start = true,
): Promise<Docker.Container> {
  const c = await d.createContainer({
    name,
    Image: IMAGE,
    Cmd: ['sleep', '600'],
    ...extra,
    HostConfig: { Init: true, ...hostConfig },
  });
  if (start) await c.start();
  return c;
}

/** `hardened-docker audit --format json --fail-on never <args>`, run in this process: its exit code, report and stderr. */
export async function auditJson(args: string[]): Promise<{ code: number; report: any; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['audit', '--format', 'json', '--fail-on', 'never', ...args], {
    stdout: { write: (s: string) => { stdout += s; return true; } },
    stderr: { write: (s: string) => { stderr += s; return true; } },
  });
  return { code, report: stdout ? JSON.parse(stdout) : undefined, stderr };
}
