/**
 * The audit's Engine API client against a fake engine on a unix socket: what it sends, how it reports the engine's
 * errors and a missing socket, and ssh through `docker system dial-stdio` (a fake `ssh` on PATH relays its stdio
 * to the fake engine's socket, standing in for the remote host).
 */
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { EngineClient, EngineClientOptions, queryString } from '../../src/cli/engine-client';

let dir: string;
let socket: string;
let server: http.Server;
const seen: Array<{ url: string; method: string }> = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-engine-client-'));
  socket = path.join(dir, 'engine.sock');
  server = http.createServer((req, res) => {
    seen.push({ url: req.url!, method: req.method! });
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/info') {
      res.end(JSON.stringify({ ServerVersion: '20.10.24' }));
    } else if (req.url!.startsWith('/containers/json')) {
      res.end(JSON.stringify([{ Id: 'abc', Names: ['/web'] }]));
    } else if (req.url === '/slow') {
      // never answers
    } else {
      res.statusCode = 404;
      res.end(JSON.stringify({ message: 'No such container: gone' }));
    }
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  // The fake ssh: records its arguments, then relays stdin/stdout to the engine socket like dial-stdio.
  fs.writeFileSync(path.join(dir, 'ssh'), [
    `#!${process.execPath}`,
    `require('fs').writeFileSync(${JSON.stringify(path.join(dir, 'ssh-args.json'))}, JSON.stringify(process.argv.slice(2)));`,
    `const s = require('net').connect(${JSON.stringify(socket)});`,
    'process.stdin.pipe(s); s.pipe(process.stdout);',
  ].join('\n'), { mode: 0o755 });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

function get(options: EngineClientOptions, urlPath: string, query: object = {}): Promise<any> {
  const client = new EngineClient(options);
  return new Promise((resolve, reject) => client.dial(
    { path: urlPath, method: 'GET', options: query, statusCodes: { 200: true, 404: 'no such container' } },
    (e, data) => (e ? reject(e) : resolve(data)),
  ));
}

test('GET over a unix socket: the JSON answer; a trailing ? carries the options, filters as JSON', async () => {
  await expect(get({ socketPath: socket }, '/info')).resolves.toEqual({ ServerVersion: '20.10.24' });
  await expect(get({ socketPath: socket }, '/containers/json?', { all: true, filters: { label: ['a=b'] } }))
    .resolves.toEqual([{ Id: 'abc', Names: ['/web'] }]);
  expect(seen.pop()).toEqual({ method: 'GET', url: '/containers/json?all=true&filters=%7B%22label%22%3A%5B%22a%3Db%22%5D%7D' });
  await get({ socketPath: socket }, '/containers/json?');
  expect(seen.pop()!.url).toBe('/containers/json');
});

test('an error the engine answers: its status, the reason and the engine\'s message, as docker-modem gave them', async () => {
  const e = await get({ socketPath: socket }, '/containers/gone/json').catch((x) => x);
  expect(e).toMatchObject({ statusCode: 404, reason: 'no such container', message: '(HTTP code 404) no such container - No such container: gone ' });
});

test('no socket: the error code the audit turns into "no socket there"', async () => {
  await expect(get({ socketPath: path.join(dir, 'missing.sock') }, '/info')).rejects.toMatchObject({ code: 'ENOENT' });
});

test('no answer within the timeout: ETIMEDOUT', async () => {
  await expect(get({ socketPath: socket, timeout: 200 }, '/slow')).rejects.toMatchObject({ code: 'ETIMEDOUT', message: 'no answer within 200 ms' });
});

test('ssh: runs `ssh -o BatchMode=yes -p PORT -- USER@HOST docker system dial-stdio` and speaks HTTP over its stdio', async () => {
  const options = { protocol: 'ssh', host: 'engine.example', port: 2222, username: 'ops', sshCommand: path.join(dir, 'ssh') };
  await expect(get(options, '/info')).resolves.toEqual({ ServerVersion: '20.10.24' });
  // One ssh per request, each closed after its answer.
  await expect(get(options, '/containers/json?', { all: true })).resolves.toEqual([{ Id: 'abc', Names: ['/web'] }]);
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'ssh-args.json'), 'utf8')))
    .toEqual(['-o', 'BatchMode=yes', '-p', '2222', '--', 'ops@engine.example', 'docker', 'system', 'dial-stdio']);
});

test('ssh without an ssh client: a clear error', async () => {
  await expect(get({ protocol: 'ssh', host: 'h', sshCommand: path.join(dir, 'no-ssh') }, '/info'))
    .rejects.toThrow('ssh is not installed (needed for ssh:// engine addresses)');
});

test('queryString leaves out undefined values', () => {
  expect(queryString({ all: false, filters: undefined, limit: 3 })).toBe('all=false&limit=3');
});
