/**
 * The Docker engine the real-engine tests (`*.runtime.test.ts`) use: detection, the client, and `describeEngine`.
 * Under CI=true these tests must run and fail when no engine answers; elsewhere they skip with one line.
 */
import { spawnSync } from 'child_process';
import Docker from 'dockerode';

/** The image scripts/build-test-images.sh builds (no registry is reachable). */
export const TEST_IMAGE = 'local/busybox:test';

export const IN_CI = /^(1|true)$/i.test(process.env.CI ?? '');

export function socketPath(): string {
  const host = process.env.DOCKER_HOST;
  if (host && host.startsWith('unix://')) return host.slice('unix://'.length);
  return '/var/run/docker.sock';
}

/** Synchronous engine ping (jest collects `describe` blocks synchronously). */
export function engineAnswers(): boolean {
  const script =
    "require('http').get({socketPath: process.argv[1], path: '/_ping', timeout: 3000}, r => process.exit(r.statusCode === 200 ? 0 : 1))" +
    ".on('error', () => process.exit(1)).on('timeout', () => process.exit(1));";
  const r = spawnSync(process.execPath, ['-e', script, socketPath()], { timeout: 5000 });
  return r.status === 0;
}

let client: Docker | undefined;
export function docker(): Docker {
  client ??= new Docker({ socketPath: socketPath() });
  return client;
}

/**
 * `describe` for engine tests: runs when an engine answers or when CI=true (then a missing engine fails the
 * suite in beforeAll); otherwise skips with one line saying how to run it.
 */
export function describeEngine(name: string, fn: () => void): void {
  if (IN_CI || engineAnswers()) {
    describe(name, () => {
      beforeAll(async () => {
        try {
          await docker().ping();
        } catch (e) {
          throw new Error(`CI=true but no Docker engine answers on ${socketPath()}: ${(e as Error).message}. Run .ci/run.`);
        }
      });
      fn();
    });
  } else {
    // eslint-disable-next-line no-console
    console.log(`[runtime] skipped "${name}": no Docker engine answers on ${socketPath()}; ` +
      'start dockerd, run scripts/build-test-images.sh, then `npx jest runtime` (CI=true makes this mandatory).');
    describe.skip(name, fn);
  }
}
