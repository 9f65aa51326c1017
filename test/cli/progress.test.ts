/**
 * Progress for long runs: on a terminal only, above the threshold only, one line rewritten in place and cleared.
 * `audit` against a fake engine (a unix socket answering the four endpoints) with 150 and with 100 containers;
 * `check` of a directory of 1001 files.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { runAudit } from '../../src/cli/audit';
import { main } from '../../src/cli/main';
import { AUDIT_PROGRESS_THRESHOLD, CHECK_PROGRESS_THRESHOLD, progress } from '../../src/cli/progress';

let dir: string;
let socket: string;
let server: http.Server;
let containers = 0;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-progress-'));
  socket = path.join(dir, 'engine.sock');
  server = http.createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    const url = req.url!;
    const m = /^\/containers\/(id\d+)\/json$/.exec(url);
    if (url === '/info') {
      res.end(JSON.stringify({ ServerVersion: '20.10.24', Swarm: { ControlAvailable: false } }));
    } else if (url.startsWith('/containers/json')) {
      res.end(JSON.stringify(Array.from({ length: containers }, (_, i) => ({ Id: `id${i}`, Names: [`/c${i}`], State: 'exited' }))));
    } else if (m) {
      res.end(JSON.stringify({
        Id: m[1], Name: `/${m[1]}`, Config: { Image: 'x', User: '', Labels: {} }, HostConfig: {}, State: { Running: false }, Mounts: [],
      }));
    } else {
      res.statusCode = 404;
      res.end('{"message":"not here"}');
    }
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

interface FakeStream { isTTY: boolean; text: string; write(s: string): boolean }
function terminal(isTTY = true): FakeStream {
  const stream: FakeStream = {
    isTTY,
    text: '',
    write(s: string) {
      stream.text += s;
      return true;
    },
  };
  return stream;
}

test(`audit of ${AUDIT_PROGRESS_THRESHOLD + 50} containers on a terminal: a progress line in place, cleared at the end`, async () => {
  containers = AUDIT_PROGRESS_THRESHOLD + 50;
  const tty = terminal();
  const result = await runAudit({ host: `unix://${socket}`, all: true, processes: false, progress: tty });
  expect(result.specs).toHaveLength(150);
  expect(tty.text).toContain('\rhardened-docker audit: inspecting containers 2/150 (1%)');
  expect(tty.text).toContain('\rhardened-docker audit: inspecting containers 150/150 (100%)');
  expect(tty.text.endsWith('\r\x1b[K')).toBe(true);
  expect(tty.text).not.toContain('\n');
});

test('not on a terminal, or not above the threshold: nothing', async () => {
  containers = AUDIT_PROGRESS_THRESHOLD + 50;
  const pipe = terminal(false);
  await runAudit({ host: `unix://${socket}`, all: true, processes: false, progress: pipe });
  expect(pipe.text).toBe('');
  containers = AUDIT_PROGRESS_THRESHOLD;
  const tty = terminal();
  await runAudit({ host: `unix://${socket}`, all: true, processes: false, progress: tty });
  expect(tty.text).toBe('');
});

test('progress redraws only when the whole percentage changes', () => {
  const tty = terminal();
  const p = progress(tty, 'reading', 1000, 10);
  for (let i = 0; i < 1000; i++) p.tick();
  p.done();
  expect(tty.text.split('\r').filter((x) => x.startsWith('reading'))).toHaveLength(101);
});

test(`check of a directory of ${CHECK_PROGRESS_THRESHOLD + 1} files on a terminal: a progress line on stderr, cleared`, async () => {
  const tree = path.join(dir, 'many');
  fs.mkdirSync(tree);
  // One module: each file declares a container of its own name (one name twice would be Terraform's "Duplicate resource").
  const body = (i: number) => JSON.stringify({ resource: { docker_container: { [`c${i}`]: { name: `c${i}`, image: 'x' } } } });
  for (let i = 0; i <= CHECK_PROGRESS_THRESHOLD; i++) fs.writeFileSync(path.join(tree, `f${i}.tf.json`), body(i));
  const stderr = terminal();
  let stdout = '';
  const code = await main(['check', tree, '--format', 'json'], {
    stdout: { write: (s: string | Uint8Array) => { stdout += String(s); return true; } },
    stderr,
    cwd: dir,
    env: {},
  });
  expect(code).toBe(1);
  expect(JSON.parse(stdout).summary.resources).toBe(CHECK_PROGRESS_THRESHOLD + 1);
  expect(stderr.text).toContain(`\rhardened-docker check: reading files ${CHECK_PROGRESS_THRESHOLD + 1}/${CHECK_PROGRESS_THRESHOLD + 1} (100%)`);
  expect(stderr.text.startsWith('\r')).toBe(true);
  expect(stderr.text.endsWith('\r\x1b[K')).toBe(true);
});
