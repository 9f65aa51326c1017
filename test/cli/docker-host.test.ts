/**
 * `audit` against endpoints that are not a Docker engine. Every server here is a Unix socket this test starts in its
 * own temporary directory (loopback only: no other address is ever contacted; the ssh case connects to 127.0.0.1
 * port 1, where nothing listens).
 */
import { spawnSync } from 'child_process';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';
import { cli, ROOT, tempDir } from './helpers';

let dir: string;
let cleanup: () => void;
const servers: net.Server[] = [];
beforeEach(() => ({ dir, cleanup } = tempDir('hd-host-')));
const connections: net.Socket[] = [];
afterEach(async () => {
  for (const c of connections.splice(0)) c.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  cleanup();
});

async function listen(server: net.Server): Promise<string> {
  const sock = path.join(dir, `s${servers.length}.sock`);
  servers.push(server);
  server.on('connection', (c) => connections.push(c));
  server.listen(sock);
  await new Promise((resolve) => server.once('listening', resolve));
  return sock;
}

function expectOneLine(r: { code: number | null; stdout: string; stderr: string }, pattern: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.replace(/\n$/, '').split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^hardened-docker audit: /);
  expect(lines[0]).toMatch(pattern);
}

const PAGE = '<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body>SECRET-PAGE-TEXT</body></html>';

test('an HTTP server answering every path with an HTML page: what it is and why it is not a Docker engine', async () => {
  const sock = await listen(http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(PAGE);
  }));
  const r = await cli(['audit', '--host', `unix://${sock}`]);
  expectOneLine(r, new RegExp(`^hardened-docker audit: unix://${sock.replace(/[.]/g, '\\.')} is not a Docker engine: GET /info answered an HTML page \\(text/html\\), not the Engine API's JSON`));
  expect(r.stderr).not.toContain('SECRET-PAGE-TEXT');
});

test('an HTTP server answering 404 with an HTML page', async () => {
  const sock = await listen(http.createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end(PAGE);
  }));
  const r = await cli(['audit', '--host', sock]);
  expectOneLine(r, /is not a Docker engine: GET \/info answered HTTP 404 with an HTML page/);
  expect(r.stderr).not.toContain('SECRET-PAGE-TEXT');
});

test('a server that writes an HTML page without reading the request and closes: not "write EPIPE" alone', async () => {
  const sock = await listen(net.createServer((c) => {
    c.end(PAGE);
  }));
  const r = await cli(['audit', '--host', sock]);
  expectOneLine(r, /is not a Docker engine: it does not speak HTTP|is not a Docker engine: it closed the connection/);
  expect(r.stderr).not.toContain('SECRET-PAGE-TEXT');
});

test('a server that is not HTTP at all (an SSH banner)', async () => {
  const sock = await listen(net.createServer((c) => {
    c.write('SSH-2.0-OpenSSH_9.6\r\n');
  }));
  const r = await cli(['audit', '--host', sock]);
  expectOneLine(r, /is not a Docker engine: it does not speak HTTP/);
});

test('a JSON API that is not the Engine API', async () => {
  const sock = await listen(http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', version: 3 }));
  }));
  const r = await cli(['audit', '--host', sock]);
  expectOneLine(r, /is not a Docker engine: GET \/info answered JSON without the engine's ServerVersion/);
});

test('a Docker engine error (JSON message) is still reported as the engine\'s answer, escaped', async () => {
  const sock = await listen(http.createServer((_req, res) => {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: 'daemon is shutting down\u001b[2J' }));
  }));
  const r = await cli(['audit', '--host', sock]);
  expectOneLine(r, /the Docker engine at .* answered HTTP 500: daemon is shutting down\\u001b\[2J$/);
});

test('DOCKER_HOST=ssh://...: one line, no Node deprecation warning with a mangled URL', () => {
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/main.ts', 'audit'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, DOCKER_HOST: 'ssh://nobody@127.0.0.1:1', SSH_AUTH_SOCK: '' },
  });
  expect(r.stderr).not.toMatch(/DeprecationWarning|DEP0170|trace-deprecation/);
  expectOneLine({ code: r.status, stdout: r.stdout, stderr: r.stderr }, /^hardened-docker audit: cannot reach the Docker engine at ssh:\/\/nobody@127\.0\.0\.1:1: connection refused/);
});

describe('DOCKER_CLIENT_TIMEOUT', () => {
  const saved = process.env.DOCKER_CLIENT_TIMEOUT;
  afterEach(() => {
    if (saved === undefined) delete process.env.DOCKER_CLIENT_TIMEOUT;
    else process.env.DOCKER_CLIENT_TIMEOUT = saved;
  });

  test('an endpoint that accepts and never answers: the timeout is named, not "socket hang up"', async () => {
    const sock = await listen(net.createServer(() => undefined));
    process.env.DOCKER_CLIENT_TIMEOUT = '300';
    const r = await cli(['audit', '--host', sock]);
    expectOneLine(r, /the endpoint at .* did not answer GET \/(info|containers\/json) within 300 ms \(DOCKER_CLIENT_TIMEOUT\)/);
  });

  test('a value that is not a number of milliseconds is refused', async () => {
    process.env.DOCKER_CLIENT_TIMEOUT = 'soon';
    expectOneLine(await cli(['audit', '--host', path.join(dir, 'none.sock')]), /DOCKER_CLIENT_TIMEOUT="soon": expected a number of milliseconds greater than 0/);
  });
});
