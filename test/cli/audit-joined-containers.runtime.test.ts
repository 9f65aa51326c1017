/**
 * `audit` on the real engine follows `container:<id>` namespace joins, as `check` does for Terraform: a container
 * joining the network, PID or IPC namespace of a container that uses the host's is judged as using the host's. The
 * engine records the other by its full id. Everything made here is named hdaudit-join-.
 */
import type Docker from 'dockerode';
import { auditJson, describeEngine, docker, ensureImage, removeAll, run } from './audit-engine';
import { readEngineSpecs } from '../../src/cli/engine-specs';
import { engineIdOf } from '../../src/spec/engine-adapter';

const P = 'hdaudit-join-';

async function audit(names: string[]): Promise<any> {
  // Containers only: another runtime test may turn this engine's swarm on or off meanwhile.
  const r = await auditJson(['--no-services', ...names.flatMap((n) => ['--name', n])]);
  expect(r.code).toBe(0);
  return r.report;
}

describeEngine('audit follows container:<id> namespace joins', () => {
  let d: Docker;
  let report: any;

  beforeAll(async () => {
    d = docker();
    await ensureImage(d);
    await removeAll(d, P);
    await run(d, `${P}host`, { NetworkMode: 'host', PidMode: 'host', IpcMode: 'host' });
    await run(d, `${P}private`, { IpcMode: 'shareable' });
    const joins = (other: string) => ({ NetworkMode: `container:${other}`, PidMode: `container:${other}`, IpcMode: `container:${other}` });
    await run(d, `${P}joins-host`, joins(`${P}host`));
    await run(d, `${P}joins-private`, joins(`${P}private`));
    report = await audit([`${P}*`]);
  }, 120_000);

  afterAll(async () => {
    await removeAll(d, P);
  });

  const status = (r: any, name: string, ruleId: string) => r.findings.find((f: any) => f.address === `container/${P}${name}` && f.ruleId === ruleId)?.status;

  test('the engine names the joined container by its full id', async () => {
    const hc = (await d.getContainer(`${P}joins-host`).inspect()).HostConfig;
    const id = (await d.getContainer(`${P}host`).inspect()).Id;
    expect([hc.NetworkMode, hc.PidMode, hc.IpcMode]).toEqual([`container:${id}`, `container:${id}`, `container:${id}`]);
  });

  test('joining a container in the host\'s namespaces is in the host\'s namespaces', () => {
    for (const rule of ['no-host-network', 'no-host-pid', 'no-host-ipc']) {
      expect([rule, status(report, 'host', rule)]).toEqual([rule, 'fail']);
      expect([rule, status(report, 'joins-host', rule)]).toEqual([rule, 'fail']);
    }
  });

  test('joining a container in its own namespaces is no host namespace (a pass: no finding)', () => {
    for (const rule of ['no-host-network', 'no-host-pid', 'no-host-ipc']) {
      expect([rule, status(report, 'private', rule)]).toEqual([rule, undefined]);
      expect([rule, status(report, 'joins-private', rule)]).toEqual([rule, undefined]);
    }
    // Audited, with findings of other rules: the passes above are not an absent container.
    expect(status(report, 'joins-private', 'read-only-rootfs')).toBe('fail');
  });

  test('the joined container is followed when it is not audited itself; the spec keeps its container id', async () => {
    const alone = await audit([`${P}joins-host`]);
    expect(alone.findings.every((f: any) => f.address === `container/${P}joins-host`)).toBe(true);
    expect(status(alone, 'joins-host', 'no-host-network')).toBe('fail');
    const { specs } = await readEngineSpecs({ names: [`${P}joins-host`], processes: false, services: false });
    expect(specs.map((s) => [s.networkMode, s.pidMode, s.ipcMode])).toEqual([['host', 'host', 'host']]);
    expect(engineIdOf(specs[0])).toBe((await d.getContainer(`${P}joins-host`).inspect()).Id);
  });
});
