/**
 * jest globalSetup: gets the real-engine tests (`*.runtime.test.ts`) ready before any test file loads, so that
 * `npm test` passes on a fresh clone by itself. When a Docker engine answers it builds the local test images
 * (scripts/build-test-images.sh: idempotent, a no-op when they are up to date). When it cannot (no engine, or a
 * missing Debian package), it prints one line and the runtime suites skip; under CI=true they fail instead, with
 * that line as the reason. The outcome reaches the test workers through RUNTIME_STATE_ENV.
 */
import { spawnSync } from 'child_process';
import * as http from 'http';
import * as path from 'path';
import { IN_CI, RUNTIME_STATE_ENV, socketPath, TEST_IMAGE } from './engine';

const BUILD_SCRIPT = path.join(__dirname, '..', 'scripts', 'build-test-images.sh');

function pingEngine(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath: socket, path: '/_ping', timeout: 3000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

/** The last line the script wrote to stderr: its one-line reason (which package is missing, and so on). */
function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines[lines.length - 1] ?? '';
}

/**
 * What the runtime suites should do: `ready`, or `skip:` / `fail:` followed by the one-line reason.
 * Exported for its test; jest calls the default export.
 */
export async function prepareRuntimeTests(
  ci: boolean, socket: string, image: string, env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  if (!(await pingEngine(socket))) {
    const reason = `no Docker engine answers on ${socket}`;
    return ci ? `fail:${reason}` : `skip:${reason}`;
  }
  const r = spawnSync('bash', [BUILD_SCRIPT], {
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...env, TEST_IMAGE: image },
  });
  if (r.status === 0) return 'ready';
  const reason = `cannot build the test image ${image}: ${lastLine(r.stderr ?? '') || r.error?.message || `exit ${r.status}`}`;
  return ci ? `fail:${reason}` : `skip:${reason}`;
}

export default async function globalSetup(): Promise<void> {
  const state = await prepareRuntimeTests(IN_CI, socketPath(), TEST_IMAGE);
  process.env[RUNTIME_STATE_ENV] = state;
  if (state.startsWith('skip:')) {
    // eslint-disable-next-line no-console
    console.log(`\n[runtime] real-engine tests skipped: ${state.slice('skip:'.length)} (CI=true makes them mandatory)`);
  }
}
