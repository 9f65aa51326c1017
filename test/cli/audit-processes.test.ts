/**
 * How the audit reads running containers' processes for no-sshd when this machine's /proc does not show them (a fake
 * engine on a unix socket, whose containers' pids are not this machine's): `docker top` per container, and a
 * container whose processes cannot be read is unknown for no-sshd, never a pass.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { runAudit } from '../../src/cli/audit';

let dir: string;
let socket: string;
let server: http.Server;
let tcpServer: http.Server;
let tcpHost: string;
const topAnswers = new Map<string, { status: number; body: unknown }>();
const topCalls: string[] = [];

const ID = (n: number) => String(n).repeat(64).slice(0, 64);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-audit-proc-'));
  socket = path.join(dir, 'engine.sock');
  const handler: http.RequestListener = (req, res) => {
    res.setHeader('Content-Type', 'application/json');
    const url = req.url!;
    const inspect = /^\/containers\/([0-9a-f]{64})\/json$/.exec(url);
    const top = /^\/containers\/([0-9a-f]{64})\/top$/.exec(url);
    if (url === '/info') {
      res.end(JSON.stringify({ ServerVersion: '20.10.24', Swarm: { ControlAvailable: false } }));
    } else if (url.startsWith('/containers/json')) {
      res.end(JSON.stringify([...topAnswers.keys()].map((id, i) => ({ Id: id, Names: [`/c${i}`], State: 'running' }))));
    } else if (inspect) {
      // A pid no process of this machine has in a container's cgroup: /proc cannot vouch for it.
      res.end(JSON.stringify({
        Id: inspect[1],
        Name: `/c-${inspect[1].slice(0, 4)}`,
        Config: { Image: 'x', User: '10001', Labels: {} },
        HostConfig: {},
        State: { Running: true, Pid: 1 },
        Mounts: [],
      }));
    } else if (top) {
      topCalls.push(top[1]);
      const answer = topAnswers.get(top[1])!;
      res.statusCode = answer.status;
      res.end(JSON.stringify(answer.body));
    } else {
      res.statusCode = 404;
      res.end('{"message":"not here"}');
    }
  };
  server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  // The same engine over tcp: a remote engine, whose processes are never looked for in this machine's /proc.
  tcpServer = http.createServer(handler);
  await new Promise<void>((resolve) => tcpServer.listen(0, '127.0.0.1', resolve));
  tcpHost = `tcp://127.0.0.1:${(tcpServer.address() as any).port}`;
});

afterAll(async () => {
  for (const s of [server, tcpServer]) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

function noSshd(result: Awaited<ReturnType<typeof runAudit>>, id: string) {
  const spec = result.specs.find((s) => s.address === `container/c-${id.slice(0, 4)}`)!;
  const finding = result.evaluation.findings.find((f) => f.ruleId === 'no-sshd' && f.address === spec.address);
  const outcome = result.evaluation.resources.find((r) => r.spec.address === spec.address)!.outcomes['no-sshd'];
  return { spec, finding, outcome };
}

test.each([['a local engine whose pids /proc cannot vouch for', () => `unix://${socket}`], ['a remote engine', () => tcpHost]])('docker top for %s: an sshd is found; a failed top is unknown for no-sshd, not a pass', async (_, host) => {
  topAnswers.clear();
  topCalls.length = 0;
  const titles = ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'];
  topAnswers.set(ID(1), { status: 200, body: { Titles: titles, Processes: [['root', '9', '1', '0', '08:00', '?', '00:00:00', '/usr/sbin/sshd -D']] } });
  topAnswers.set(ID(2), { status: 200, body: { Titles: titles, Processes: [['root', '9', '1', '0', '08:00', '?', '00:00:00', 'sleep 600']] } });
  topAnswers.set(ID(3), { status: 500, body: { message: 'runc did not terminate successfully' } });
  topAnswers.set(ID(4), { status: 200, body: { Processes: 'not rows' } });
  const result = await runAudit({ host: host(), services: false });
  expect(topCalls.sort()).toEqual([ID(1), ID(2), ID(3), ID(4)]);

  const sshd = noSshd(result, ID(1));
  expect(sshd.outcome).toBe('fail');
  expect(sshd.finding?.message).toContain('/usr/sbin/sshd -D');
  expect(noSshd(result, ID(2)).outcome).toBe('pass');

  for (const id of [ID(3), ID(4)]) {
    const failed = noSshd(result, id);
    expect(failed.spec.unknown).toEqual(['processes']);
    expect(failed.outcome).toBe('unknown');
    expect(failed.finding?.status).toBe('unknown');
    // An engine has no apply to wait for: the message says what could not be read, not "before apply".
    expect(failed.finding?.message).toBe('the container runs but its processes could not be read (`docker top` failed): whether an sshd runs in it is not known');
  }
});

test('a container that stopped between the inspect and docker top (409) runs nothing: not applicable, not unknown', async () => {
  topAnswers.clear();
  topAnswers.set(ID(5), { status: 409, body: { message: 'Container 555 is not running' } });
  const result = await runAudit({ host: `unix://${socket}`, services: false });
  const stopped = noSshd(result, ID(5));
  expect(stopped.spec.unknown).toBeUndefined();
  expect(stopped.outcome).toBe('not-applicable');
});

test('a profile without no-sshd asks for no processes', async () => {
  topAnswers.clear();
  topCalls.length = 0;
  topAnswers.set(ID(6), { status: 500, body: { message: 'never asked' } });
  const result = await runAudit({ host: `unix://${socket}`, services: false, profile: 'restricted' });
  expect(topCalls).toEqual([]);
  expect(result.specs[0].unknown).toBeUndefined();
});
