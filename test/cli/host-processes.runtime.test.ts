/**
 * On the real engine (local, so this machine's /proc is the engine's): the one pass over /proc finds each container's
 * processes exactly as `docker top` lists them, including a process started later with `docker exec`, and a container
 * in the host's PID namespace gets only its own. Everything made here is named hdaudit-hostproc-.
 */
import type Docker from 'dockerode';
import { describeEngine, docker, ensureImage, removeAll, run } from './audit-engine';
import { readHostProcesses } from '../../src/cli/host-processes';
import { processesFromTop } from '../../src/spec/engine-adapter';

const P = 'hdaudit-hostproc-';

describeEngine('container processes from the host\'s /proc', () => {
  let d: Docker;
  const running: Array<{ id: string; pid: number }> = [];

  beforeAll(async () => {
    d = docker();
    await ensureImage(d);
    await removeAll(d, P);
    const several = await run(d, `${P}several`, {}, { Cmd: ['sh', '-c', 'sleep 601 & sleep 602 & exec sleep 603'] });
    const hostPid = await run(d, `${P}hostpid`, { PidMode: 'host' }, { Cmd: ['sleep', '604'] });
    const exec = await several.exec({ Cmd: ['sleep', '605'] });
    // Detached: the answer is no stream to keep open.
    const started: unknown = await exec.start({ Detach: true });
    (started as { destroy?: () => void } | undefined)?.destroy?.();
    for (const c of [several, hostPid]) {
      const inspect = await c.inspect();
      running.push({ id: inspect.Id, pid: inspect.State.Pid });
    }
    // Until the exec'd process is there (docker top is the reference, asked below).
    for (let i = 0; i < 50 && !(processesFromTop(await several.top()) ?? []).includes('sleep 605'); i++) await new Promise((r) => setTimeout(r, 100));
  }, 60_000);

  afterAll(async () => {
    await removeAll(d, P);
  });

  test('the same command lines as docker top, for each container', async () => {
    const read = await readHostProcesses(running);
    for (const { id } of running) {
      const top = processesFromTop(await d.getContainer(id).top());
      expect(read.get(id)?.sort()).toEqual(top?.sort());
    }
    const [several, hostPid] = running.map((c) => read.get(c.id));
    expect(several).toEqual(expect.arrayContaining(['sleep 601', 'sleep 602', 'sleep 603', 'sleep 605', '/sbin/docker-init -- sh -c sleep 601 & sleep 602 & exec sleep 603']));
    // In the host's PID namespace, yet only its own process, none of the host's.
    expect(hostPid).toEqual(['sleep 604']);
  });
});
