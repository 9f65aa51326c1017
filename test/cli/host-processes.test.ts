/**
 * Reading the containers' processes from the host's /proc (src/cli/host-processes.ts), on a fake /proc tree: only
 * containers whose init provably sits in their own cgroup are read; membership is the cgroup and those below it;
 * command lines as `ps -ef` prints them; anything unreadable is left to `docker top`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseCgroupFile, readHostProcesses } from '../../src/cli/host-processes';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);

let root: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-proc-'));
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function proc(pid: number, cgroup: string, args: string[] | Buffer, comm = 'x'): void {
  const dir = path.join(root, String(pid));
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'cgroup'), cgroup);
  fs.writeFileSync(path.join(dir, 'cmdline'), Buffer.isBuffer(args) ? args : Buffer.from(args.map((a) => `${a}\0`).join('')));
  fs.writeFileSync(path.join(dir, 'comm'), `${comm}\n`);
}

/** A cgroup v1 host with the cgroupfs driver (several hierarchies, and the unified line). */
const v1 = (p: string, unified = p) => `12:pids:${p}\n5:devices:${p}\n4:memory:${p}\n1:name=systemd:${p}\n0::${unified}\n`;
/** cgroup v2 with the systemd driver. */
const v2 = (p: string) => `0::${p}\n`;

test('each container gets the processes of its cgroup and of the cgroups below it, and nothing else', async () => {
  proc(1, v1('/'), ['/sbin/init']);
  proc(100, v1(`/docker/${A}`), ['sleep', '600']);
  proc(101, v1(`/docker/${A}`), ['/usr/sbin/sshd', '-D']);
  proc(102, v1(`/docker/${A}/inner`), ['worker', '--flag']);
  proc(200, v1(`/docker/${B}`), ['nginx: master process nginx']);
  proc(300, v1('/system.slice/containerd.service'), ['containerd-shim-runc-v2', '-id', A]);
  fs.mkdirSync(path.join(root, 'self'));
  const read = await readHostProcesses([{ id: A, pid: 100 }, { id: B, pid: 200 }], root);
  expect(read.get(A)?.sort()).toEqual(['/usr/sbin/sshd -D', 'sleep 600', 'worker --flag']);
  expect(read.get(B)).toEqual(['nginx: master process nginx']);
  expect(read.size).toBe(2);
});

test('cgroup v2 with the systemd driver: the scope named after the id', async () => {
  proc(100, v2(`/system.slice/docker-${A}.scope`), ['sleep', '600']);
  proc(101, v2(`/system.slice/docker-${A}.scope`), Buffer.alloc(0), 'defunct-child');
  proc(102, v2('/system.slice/docker.service'), ['dockerd']);
  expect((await readHostProcesses([{ id: A, pid: 100 }], root)).get(A)?.sort()).toEqual(['[defunct-child]', 'sleep 600']);
});

test('an init that is not in a cgroup named by the container (another machine\'s pid, a reused pid) is not read here', async () => {
  proc(100, v1('/user.slice/session-1.scope'), ['bash']);
  proc(200, v1(`/docker/${C}`), ['sleep', '1']);
  const read = await readHostProcesses([{ id: A, pid: 100 }, { id: B, pid: 4242 }, { id: C, pid: 200 }], root);
  expect(read.has(A)).toBe(false);
  expect(read.has(B)).toBe(false);
  expect(read.get(C)).toEqual(['sleep 1']);
});

test('ids that are not full ids, and pids that are not positive integers, are never looked up', async () => {
  proc(100, v1(`/docker/${A}`), ['sleep', '1']);
  expect((await readHostProcesses([{ id: A.slice(0, 12), pid: 100 }, { id: A, pid: 0 }, { id: A, pid: -1 }], root)).size).toBe(0);
});

test('a container one of whose processes cannot be read is left out (to be read with docker top), not reported with fewer', async () => {
  proc(100, v1(`/docker/${A}`), ['sleep', '1']);
  proc(101, v1(`/docker/${A}`), ['hidden']);
  proc(200, v1(`/docker/${B}`), ['sleep', '2']);
  // A directory where the file should be: reading it fails with EISDIR, as a hidepid /proc fails with EACCES.
  fs.rmSync(path.join(root, '101', 'cmdline'));
  fs.mkdirSync(path.join(root, '101', 'cmdline'));
  const read = await readHostProcesses([{ id: A, pid: 100 }, { id: B, pid: 200 }], root);
  expect(read.has(A)).toBe(false);
  expect(read.get(B)).toEqual(['sleep 2']);
});

test('a process that exits during the pass is skipped', async () => {
  proc(100, v1(`/docker/${A}`), ['sleep', '1']);
  fs.mkdirSync(path.join(root, '101')); // listed, then gone: no cgroup file
  proc(102, v1(`/docker/${A}`), ['sleep', '2']);
  fs.rmSync(path.join(root, '102', 'cmdline'));
  expect((await readHostProcesses([{ id: A, pid: 100 }], root)).get(A)).toEqual(['sleep 1']);
});

test('no /proc at all: nothing is read here', async () => {
  expect((await readHostProcesses([{ id: A, pid: 100 }], path.join(root, 'absent'))).size).toBe(0);
});

test('a cgroup whose name only begins with the container\'s is not its; a container nested in it is both\'s (docker top lists both)', async () => {
  proc(100, v2(`/docker/${A}`), ['dockerd']);
  proc(101, v2(`/docker/${A}-sidecar`), ['not-a']);
  proc(200, v2(`/docker/${A}/docker/${B}`), ['sleep', 'inner']);
  const read = await readHostProcesses([{ id: A, pid: 100 }, { id: B, pid: 200 }], root);
  expect(read.get(A)?.sort()).toEqual(['dockerd', 'sleep inner']);
  expect(read.get(B)).toEqual(['sleep inner']);
});

test('on cgroup v1 membership is the devices hierarchy, as runc ps reads it, whatever the unified line says', async () => {
  proc(100, v1(`/docker/${A}`), ['sleep', '1']);
  proc(101, v1('/user.slice', `/docker/${A}`), ['moved-out']);
  expect((await readHostProcesses([{ id: A, pid: 100 }], root)).get(A)).toEqual(['sleep 1']);
});

test('parseCgroupFile keeps colons inside the path', () => {
  expect(parseCgroupFile('0::/a:b\n5:cpu,cpuacct:/x\n\n')).toEqual([
    { hierarchy: '0:', cgroupPath: '/a:b' },
    { hierarchy: '5:cpu,cpuacct', cgroupPath: '/x' },
  ]);
});
