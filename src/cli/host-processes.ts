/**
 * The processes of running containers read from this machine's /proc, for rule no-sshd (CIS 5.7), in one pass,
 * instead of one `docker top` per container. `docker top` makes the engine run `runc ps` and then `ps` for each
 * container: on 500 containers that was 7 to 10 s of a loaded 2-core machine, where one pass over /proc takes
 * tens of milliseconds.
 *
 * The pass needs nothing from the engine, so the audit runs it while the engine answers the inspects. Its results
 * count only where this is provably the engine's machine: a container is read here only when the process the engine
 * names as its init (`State.Pid`) was seen in this /proc in a cgroup whose path carries the container's full 64-hex
 * id (`/docker/<id>`, `docker-<id>.scope`: the cgroupfs and systemd drivers, cgroup v1 and v2). An engine on another
 * machine, in a VM (Docker Desktop), or an audit running in another PID namespace fails that test for every
 * container, and those containers are read with `docker top` as before. A container one of whose processes this pass
 * could not read (a /proc mounted with hidepid, a permission error) is left to `docker top` too, never reported with
 * fewer processes.
 *
 * Membership is the container's cgroup and those below it, in the hierarchy `runc ps` (what `docker top` lists)
 * reads: `devices` on cgroup v1, the unified one on v2. So a container sharing the host's PID namespace still gets
 * only its own processes. A command line is what `ps -ef` prints in its CMD column: the arguments joined by
 * spaces, or `[name]` when there are none (a kernel thread, a zombie).
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'fs';
import * as path from 'path';

/** A running container as the inspect reports it. */
export interface RunningContainer {
  /** The full container id (64 hex digits). */
  readonly id: string;
  /** `State.Pid`: its init process on the engine's machine. */
  readonly pid: number;
}

/** A process whose cgroup path names a container id. */
interface ContainerProcess {
  readonly pid: number;
  /**
   * Its cgroup paths that name a container id, by `hierarchy-id:controllers` (`0:` for cgroup v2 or v1's unified
   * line, `5:devices` for a v1 hierarchy).
   */
  readonly cgroups: ReadonlyMap<string, string>;
  /** Its command line as `ps -ef` prints it; undefined when it could not be read. */
  readonly command: string | undefined;
}

export type HostProcessTable = ReadonlyMap<string, readonly ContainerProcess[]>;

const ANY_ID = /[0-9a-f]{64}/g;
const FULL_ID_ANYWHERE = /[0-9a-f]{64}/;
const FULL_ID = /^[0-9a-f]{64}$/;
/**
 * Processes read between two turns of the event loop. The reads are synchronous (a /proc read is a few microseconds;
 * fs.promises spent more on its file handles than on reading), in slices, so that the inspects' answers arriving
 * meanwhile are taken in between.
 */
const SLICE = 64;

/** `/proc/PID/cgroup` as (hierarchy, path) pairs; lines are `ID:CONTROLLERS:PATH` (the path may hold colons). */
export function parseCgroupFile(text: string): Array<{ hierarchy: string; cgroupPath: string }> {
  const out: Array<{ hierarchy: string; cgroupPath: string }> = [];
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = first < 0 ? -1 : line.indexOf(':', first + 1);
    if (second < 0) continue;
    out.push({ hierarchy: line.slice(0, second), cgroupPath: line.slice(second + 1) });
  }
  return out;
}

/**
 * One buffer for every read: /proc files report a size of 0, for which readFileSync allocates 64 KiB chunks per file
 * (on 2,600 files, most of the pass went to garbage collection).
 */
const BUFFER = Buffer.allocUnsafe(64 * 1024);

/** A /proc file's bytes; undefined when it cannot be opened or read (the code says why, in `error`). */
function readProcFile(file: string): { bytes?: Buffer; error?: string } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e: any) {
    return { error: String(e?.code ?? 'EIO') };
  }
  try {
    let length = 0;
    for (let n = -1; n !== 0 && length < BUFFER.length; length += n) n = readSync(fd, BUFFER, length, BUFFER.length - length, null);
    // Longer than the buffer (a command line of more than 64 KiB): read it whole.
    return { bytes: length < BUFFER.length ? BUFFER.subarray(0, length) : readFileSync(file) };
  } catch (e: any) {
    return { error: String(e?.code ?? 'EIO') };
  } finally {
    closeSync(fd);
  }
}

function readText(file: string): string | undefined {
  return readProcFile(file).bytes?.toString('utf8');
}

/** What `ps -ef` prints in CMD for a process: its arguments, or `[comm]` when it has none; '' once it has exited. */
function commandLine(procDir: string): string | undefined {
  const { bytes, error } = readProcFile(path.join(procDir, 'cmdline'));
  if (error === 'ENOENT' || error === 'ESRCH') return ''; // exited since the listing: not a process any more
  if (bytes === undefined) return undefined;
  const args = bytes.toString('utf8').split('\0');
  while (args.length && args[args.length - 1] === '') args.pop();
  if (args.length) return args.join(' ');
  const comm = readText(path.join(procDir, 'comm'));
  return comm === undefined ? '' : `[${comm.trim()}]`;
}

/**
 * One pass over `procRoot`: every process whose cgroup path names a container id, with its command line. Undefined
 * when there is no readable /proc. `procRoot` is for tests.
 */
export async function scanHostProcesses(procRoot = '/proc'): Promise<HostProcessTable | undefined> {
  let entries: string[];
  try {
    entries = readdirSync(procRoot).filter((e) => /^[0-9]+$/.test(e));
  } catch {
    return undefined;
  }
  const table = new Map<string, ContainerProcess[]>();
  for (let i = 0; i < entries.length; i++) {
    if (i > 0 && i % SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    const procDir = path.join(procRoot, entries[i]);
    const text = readText(path.join(procDir, 'cgroup'));
    // Gone since the listing, or no container's: most of a host's processes stop here.
    if (text === undefined || !FULL_ID_ANYWHERE.test(text)) continue;
    const command = commandLine(procDir);
    if (command === '') continue;
    const cgroups = new Map<string, string>();
    for (const line of parseCgroupFile(text)) if (FULL_ID_ANYWHERE.test(line.cgroupPath)) cgroups.set(line.hierarchy, line.cgroupPath);
    const seen: ContainerProcess = { pid: Number(entries[i]), cgroups, command };
    for (const id of new Set(text.match(ANY_ID))) {
      let list = table.get(id);
      if (list === undefined) table.set(id, list = []);
      list.push(seen);
    }
  }
  return table;
}
/**
 * The command lines of each container's processes, for the containers the table provably shows (see the file's
 * comment): its init was seen in a cgroup naming its id, and every process in that cgroup or below it could be read.
 * A container missing from the result is to be read another way.
 */
export function processesOfContainers(table: HostProcessTable, containers: readonly RunningContainer[]): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const c of containers) {
    if (!FULL_ID.test(c.id) || !Number.isSafeInteger(c.pid) || c.pid <= 0) continue;
    const candidates = table.get(c.id) ?? [];
    const init = candidates.find((p) => p.pid === c.pid);
    const hierarchy = init === undefined ? undefined : hierarchyOf(init, c.id);
    if (init === undefined || hierarchy === undefined) continue;
    const own = init.cgroups.get(hierarchy)!;
    const below = `${own}/`;
    const members = candidates.filter((p) => {
      const cgroupPath = p.cgroups.get(hierarchy);
      return cgroupPath !== undefined && (cgroupPath === own || cgroupPath.startsWith(below));
    });
    if (members.some((p) => p.command === undefined)) continue;
    result.set(c.id, members.map((p) => p.command!));
  }
  return result;
}

/**
 * The hierarchy whose cgroup is the container, as `runc ps` (what `docker top` lists) reads it: on cgroup v1 the
 * `devices` hierarchy, on v2 the unified one; else the first naming the container.
 */
function hierarchyOf(init: ContainerProcess, id: string): string | undefined {
  const naming = [...init.cgroups].filter(([, cgroupPath]) => cgroupPath.includes(id)).map(([h]) => h);
  return naming.find((h) => h.split(':')[1]?.split(',').includes('devices')) ?? naming.find((h) => h.startsWith('0:')) ?? naming[0];
}

/** `scanHostProcesses` and `processesOfContainers` in one. */
export async function readHostProcesses(containers: readonly RunningContainer[], procRoot = '/proc'): Promise<Map<string, string[]>> {
  const table = await scanHostProcesses(procRoot);
  return table === undefined ? new Map() : processesOfContainers(table, containers);
}
