/**
 * `audit` on the real engine: a container mounting a local volume whose options bind a host directory is judged as
 * that bind (its Mounts show only the volume's directory; the volume list shows the options). Also a device cgroup
 * rule, as the engine reports it. Everything made here is named hdaudit-vb-.
 */
import type Docker from 'dockerode';
import { auditJson, describeEngine, docker, ensureImage, removeAll, run } from './audit-engine';
import { readEngineSpecs } from '../../src/cli/engine-specs';
import { engineIdOf } from '../../src/spec/engine-adapter';

const P = 'hdaudit-vb-';

async function audit(): Promise<any> {
  // Containers only: another runtime test may turn this engine's swarm on or off meanwhile.
  const r = await auditJson(['--no-services', '--all', '--name', `${P}*`]);
  expect(r.code).toBe(0);
  return r.report;
}

describeEngine('audit reads what a volume binds and device cgroup rules', () => {
  let d: Docker;
  let report: any;

  beforeAll(async () => {
    d = docker();
    await ensureImage(d);
    await removeAll(d, P);
    await d.getVolume(`${P}etc`).remove().catch(() => undefined);
    await d.createVolume({ Name: `${P}etc`, Driver: 'local', DriverOpts: { type: 'none', o: 'bind', device: '/etc' } });
    await d.createVolume({ Name: `${P}plain`, Driver: 'local' });
    await run(d, `${P}bound`, { Binds: [`${P}etc:/host`] }, {}, false);
    await run(d, `${P}plain`, { Binds: [`${P}plain:/data`] }, {}, false);
    await run(d, `${P}devrule`, { DeviceCgroupRules: ['b 8:* rw'] }, {}, false);
    report = await audit();
  }, 120_000);

  afterAll(async () => {
    await removeAll(d, P);
    for (const v of [`${P}etc`, `${P}plain`]) await d.getVolume(v).remove().catch(() => undefined);
  });

  const open = (address: string, ruleId: string) => report.findings.find((f: any) => f.address === address && f.ruleId === ruleId);

  test('a local volume with o=bind, device=/etc is a bind of /etc', () => {
    expect(open(`container/${P}bound`, 'no-sensitive-host-mounts')).toMatchObject({ status: 'fail', message: expect.stringMatching(/\/etc -> \/host/) });
    expect(open(`container/${P}plain`, 'no-sensitive-host-mounts')).toBeUndefined();
  });

  test('the rewritten spec keeps its container id (audit --against pairs by it)', async () => {
    const { specs } = await readEngineSpecs({ names: [`${P}bound`], all: true, processes: false, services: false });
    expect(specs[0].mounts?.[0]).toMatchObject({ type: 'bind', source: '/etc' });
    expect(engineIdOf(specs[0])).toBe((await d.getContainer(`${P}bound`).inspect()).Id);
  });

  test('a device cgroup rule granting the host\'s disks', () => {
    expect(open(`container/${P}devrule`, 'no-host-devices')).toMatchObject({ status: 'fail', message: expect.stringMatching(/device_cgroup_rules has "b 8:\* rw"/) });
  });
});
