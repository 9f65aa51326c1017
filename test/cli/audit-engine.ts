/**
 * Helpers for the audit's engine tests: engine detection (synchronous, since jest collects `describe` blocks
 * synchronously), the test image, and container creation with a name prefix that cleanup removes.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, copyFileSync, writeFileSync, chmodSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import Docker from 'dockerode';

/** Everything these tests create is named (or labelled) with this prefix. */
export const PREFIX = 'hdaudit-';
/** The image the audit tests run, built here from the machine's static busybox (no registry is reachable). */
export const IMAGE = 'hdaudit-busybox:test';

export const IN_CI = /^(1|true)$/i.test(process.env.CI ?? '');

export function socketPath(): string {
  const host = process.env.DOCKER_HOST;
  if (host && host.startsWith('unix://')) return host.slice('unix://'.length);
  return '/var/run/docker.sock';
}

/** True when an engine answers `/_ping` on the local socket within 3 s. */
export function engineAnswers(): boolean {
  const script =
    "require('http').get({socketPath: process.argv[1], path: '/_ping', timeout: 3000}, r => process.exit(r.statusCode === 200 ? 0 : 1))" +
    ".on('error', () => process.exit(1)).on('timeout', () => process.exit(1));";
  const r = spawnSync(process.execPath, ['-e', script, socketPath()], { timeout: 5000 });
  return r.status === 0;
}

export function docker(): Docker {
  return new Docker({ socketPath: socketPath() });
}

/**
 * `describe` for engine tests: runs when an engine answers, or always under CI=true (where a missing engine fails the
 * suite); elsewhere it skips with one line saying how to run it.
 */
export function describeEngine(name: string, fn: () => void): void {
  if (IN_CI || engineAnswers()) {
    describe(name, () => {
      beforeAll(async () => {
        try {
          await docker().ping();
        } catch (e) {
          throw new Error(`CI=true but no Docker engine answers on ${socketPath()}: ${(e as Error).message}`);
        }
      });
      fn();
    });
  } else {
    // eslint-disable-next-line no-console
    console.log(`${name}: skipped, no Docker engine on ${socketPath()} (start dockerd, or set DOCKER_HOST; CI=true makes these tests required)`);
    describe.skip(name, fn);
  }
}

/** Builds IMAGE from the static busybox on this machine when it is not there yet. */
export async function ensureImage(d: Docker): Promise<void> {
  try {
    await d.getImage(IMAGE).inspect();
    return;
  } catch {
    // build it below
  }
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => spawnSync(p, ['true']).status === 0);
  if (!busybox) throw new Error('audit tests need a static busybox (apt-get install busybox-static) to build their image');
  const root = mkdtempSync(path.join(tmpdir(), 'hdaudit-img-'));
  try {
    for (const dir of ['bin', 'etc', 'tmp']) mkdirSync(path.join(root, dir));
    chmodSync(path.join(root, 'tmp'), 0o1777);
    copyFileSync(busybox, path.join(root, 'bin', 'busybox'));
    chmodSync(path.join(root, 'bin', 'busybox'), 0o755);
    for (const applet of ['sh', 'sleep', 'true', 'ps', 'cat', 'id', 'wget', 'httpd']) symlinkSync('busybox', path.join(root, 'bin', applet));
    writeFileSync(path.join(root, 'etc', 'passwd'), 'root:x:0:0::/:/bin/sh\napp:x:10001:10001::/tmp:/bin/sh\n');
    const r = spawnSync('sh', ['-c', `tar -C '${root}' -c . | docker import -c 'CMD ["sleep","3600"]' - ${IMAGE}`], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`building ${IMAGE} failed: ${r.stderr}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Removes every container (and service) whose name starts with `prefix`. */
export async function removeAll(d: Docker, prefix: string): Promise<void> {
  const list = await d.listContainers({ all: true, filters: { name: [prefix] } });
  await Promise.all(list
    .filter((c) => (c.Names ?? []).some((n) => n.replace(/^\//, '').startsWith(prefix)))
    .map((c) => d.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}

/** Creates (and by default starts) a container running `sleep`. */
export async function run(
  d: Docker, name: string, hostConfig: Docker.HostConfig = {}, extra: Partial<Docker.ContainerCreateOptions> = {}, start = true,
): Promise<Docker.Container> {
  const c = await d.createContainer({
    name,
    Image: IMAGE,
    Cmd: ['sleep', '600'],
    ...extra,
    HostConfig: { Init: true, ...hostConfig },
  });
  if (start) await c.start();
  return c;
}
