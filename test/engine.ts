/**
 * The Docker engine the real-engine tests (`*.runtime.test.ts`) use: detection, the client, and `describeEngine`.
 * Under CI=true these tests must run and fail when no engine answers; elsewhere they skip with one line.
 */
import { spawnSync } from 'child_process';
import Docker from 'dockerode';

/** The image scripts/build-test-images.sh builds (no registry is reachable); TEST_IMAGE chooses another tag. */
export const TEST_IMAGE = process.env.TEST_IMAGE || 'local/busybox:test';

/**
 * Set by the jest global setup (test/global-setup.ts) for the test workers: `ready`, or `skip:<reason>` /
 * `fail:<reason>` when the engine or the test image is not there.
 */
export const RUNTIME_STATE_ENV = 'HARDENED_DOCKER_RUNTIME_TESTS';

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
  const state = process.env[RUNTIME_STATE_ENV];
  if (state?.startsWith('skip:')) {
    // The global setup has said why, once for the whole run.
    describe.skip(name, fn);
    return;
  }
  if (state?.startsWith('fail:')) {
    describe(name, () => {
      beforeAll(() => {
        throw new Error(`CI=true, but ${state.slice('fail:'.length)}. Run .ci/run.`);
      });
      fn();
    });
    return;
  }
  if (state === 'ready' || IN_CI || engineAnswers()) {
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
