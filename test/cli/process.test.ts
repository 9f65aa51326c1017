import { spawn } from 'child_process';
import * as path from 'path';
import { hardenedBody, ROOT, tempDir, writeTfJson } from './helpers';

/** Runs the CLI with its stdout read until `keep` bytes arrived, then closed (as `| head -c N` does). */
function runClosingStdout(args: string[], cwd: string, keep: number): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), path.join(ROOT, 'src/cli/main.ts'), ...args], {
      cwd, env: { ...process.env, NO_COLOR: '1', TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') },
    });
    let got = 0;
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      got += c.length;
      if (got >= keep) child.stdout.destroy();
    });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

test('a reader that closes the pipe early (| head): no unhandled EPIPE, no stack trace, the check\'s exit code', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const containers: Record<string, unknown> = {};
    for (let i = 0; i < 3000; i++) containers[`c${i}`] = hardenedBody(`c${i}`, { privileged: true });
    writeTfJson(dir, 'many.tf.json', containers);
    for (const format of ['text', 'json']) {
      const r = await runClosingStdout(['check', 'many.tf.json', '--format', format], dir, 100);
      expect(r.signal).toBeNull();
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
    }
  } finally {
    cleanup();
  }
});
