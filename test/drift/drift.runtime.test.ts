/**
 * Proof on a real engine of `audit --against`: HardenedContainers synthesized with cdktf and created from the
 * synthesized JSON as provider 3.6.2 would (test/runtime/harness.ts), then
 *   - `untouched`: left alone: no drift finding;
 *   - `updated`: weakened with `docker update` (memory, CPU quota, restart policy): drift naming each;
 *   - `byhand`: removed and run again by hand with other options: drift, and the digest label says it was never
 *     created from this declaration;
 *   - `stale`: created from an older declaration (another healthcheck): the digest label differs, so the container
 *     was never replaced;
 *   - `absent`: declared, never created: missing;
 *   - `stranger`: started by hand, declared nowhere: undeclared;
 *   - `svc`: a SecureService of 2 replicas (containers mode), replica 2 weakened with `docker update`: drift on it alone.
 * Every name carries the prefix and this run's id; everything is removed afterwards.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { HardenedContainer, HardenedContainerProps } from '../../src/constructs/hardened-container';
import { SecureService, SecureServiceProps } from '../../src/constructs/secure-service';
import { cli } from '../cli/helpers';
import { newStack } from '../constructs/helpers';
import { cleanup, createFromSynth, describeEngine, docker, NAME_PREFIX, removeContainer, RUN_ID, synthContainers, TEST_IMAGE } from '../runtime/harness';

const n = (what: string) => `${NAME_PREFIX}drift-${what}-${RUN_ID}`;
const NAMES = ['untouched', 'updated', 'byhand', 'stale', 'absent'];
const COMMAND = ['sleep', '600'];

function declare(stack: TerraformStack, what: string, props: Partial<HardenedContainerProps> = {}): void {
  new HardenedContainer(stack, what, { name: n(what), image: TEST_IMAGE, command: COMMAND, ...props });
}

/** The declaration audited: each container as it is declared now. */
function currentStack(): TerraformStack {
  const stack = newStack();
  for (const what of NAMES) {
    declare(stack, what, what === 'stale' ? { healthcheck: { command: ['true'], intervalSeconds: 5, timeoutSeconds: 2, retries: 2 } } : {});
  }
  new SecureService(stack, 'svc', {
    name: n('svc'),
    image: TEST_IMAGE,
    pullImage: false,
    replicas: 2,
    command: COMMAND,
    serviceOptOuts: { unpinnedImage: { reason: 'locally imported test image: no registry, so no repo digest' } },
  } as SecureServiceProps);
  return stack;
}

describeEngine('audit --against on a real engine', () => {
  let outdir: string;
  let ids: Record<string, string>;
  let report: any;
  let code: number;
  let text: string;
  const networks: string[] = [];

  beforeAll(async () => {
    const d = docker();
    const stack = currentStack();
    const bodies = synthContainers(stack);
    outdir = Testing.fullSynth(stack);
    ids = {};
    for (const what of ['untouched', 'updated', 'byhand']) ids[what] = (await createFromSynth(bodies[n(what)])).id;
    // The SecureService's private network (the provider creates it before the replicas), then its replicas.
    const doc = JSON.parse(Testing.synth(stack));
    for (const net of Object.values<any>(doc.resource.docker_network ?? {})) {
      await d.getNetwork(net.name).remove().catch(() => undefined);
      await d.createNetwork({ Name: net.name, Internal: net.internal || undefined, CheckDuplicate: true } as any);
      networks.push(net.name);
    }
    for (const i of [1, 2]) ids[`svc-${i}`] = (await createFromSynth(bodies[`${n('svc')}-${i}`])).id;
    await d.getContainer(ids['svc-2']).update({ Memory: 512 * 1024 ** 2, MemorySwap: 512 * 1024 ** 2 });
    // `stale`: what an earlier declaration (no healthcheck) created; provider 3.6.2 would not apply the new one.
    const before = newStack();
    declare(before, 'stale');
    ids.stale = (await createFromSynth(synthContainers(before)[n('stale')])).id;

    await d.getContainer(ids.updated).update({ Memory: 1024 ** 3, MemorySwap: 1024 ** 3, CpuQuota: 200000, RestartPolicy: { Name: 'always' } });

    await removeContainer(ids.byhand);
    const byhand = await d.createContainer({ name: n('byhand'), Image: TEST_IMAGE, Cmd: COMMAND, HostConfig: { Memory: 256 * 1024 ** 2 } });
    await byhand.start();
    ids.byhand = byhand.id;

    const stranger = await d.createContainer({ name: n('stranger'), Image: TEST_IMAGE, Cmd: COMMAND });
    await stranger.start();
    ids.stranger = stranger.id;

    const pattern = `${NAME_PREFIX}drift-*-${RUN_ID}*`;
    const json = await cli(['audit', '--against', outdir, '--name', pattern, '--no-services', '--format', 'json']);
    expect(json.stderr).toBe('');
    code = json.code;
    report = JSON.parse(json.stdout);
    text = (await cli(['audit', '--against', outdir, '--name', pattern, '--no-services'])).stdout;
  }, 120_000);

  afterAll(async () => {
    await cleanup();
    for (const what of ['byhand', 'stranger']) await removeContainer(n(what));
    for (const net of networks) await docker().getNetwork(net).remove().catch(() => undefined);
    if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  }, 60_000);

  const findings = (ruleId: string, name?: string) => report.findings
    .filter((f: any) => f.ruleId === ruleId && (name === undefined || f.resourceName === name));

  test('the untouched container gives no drift finding', () => {
    const about = report.findings.filter((f: any) => f.resourceName === n('untouched') && ['drift', 'drift-stronger', 'undeclared', 'missing'].includes(f.ruleId));
    expect(about).toEqual([]);
  });

  test('docker update: memory, swap, CPU quota and restart policy are drift, declared and live values named', () => {
    const [f] = findings('drift', n('updated'));
    expect(f).toMatchObject({ severity: 'error', suppressed: false, address: expect.stringMatching(/^docker_container\.updated_container_/), constructPath: 'stack/updated/container' });
    expect(f.message).toContain(`live container ${n('updated')} (id ${ids.updated.slice(0, 12)})`);
    expect(f.message).toContain('memory: declared 256 MiB, live 1 GiB');
    expect(f.message).toContain('memory_swap: declared 256 MiB, live 1 GiB');
    expect(f.message).toContain('cpu_quota/cpu_period: declared 50000/100000 µs (0.5 CPU), live 200000/100000 µs (2 CPU)');
    expect(f.message).toContain('restart: declared on-failure:3, live always');
    expect(f.message).not.toContain('settings-digest');
  });

  test('recreated by hand: its weaker settings and the missing digest label are drift', () => {
    const [f] = findings('drift', n('byhand'));
    expect(f.message).toContain(`(id ${ids.byhand.slice(0, 12)})`);
    for (const part of ['read_only: declared true, live false', 'user: declared 10001:10001, live unset', 'security_opts no-new-privileges=true: declared set, live absent',
      'capabilities (+AUDIT_WRITE', 'tmpfs /tmp', 'memory_swap: declared 256 MiB, live 512 MiB', 'ulimit nproc', 'label hardened-docker.settings-digest: declared sha256:']) {
      expect(f.message).toContain(part);
    }
    expect(f.message).toContain('live unset: the container was never replaced');
    // Restart "no" allows fewer restarts than on-failure:3: stronger, so info.
    expect(findings('drift-stronger', n('byhand'))[0]).toMatchObject({ severity: 'info', message: expect.stringContaining('restart: declared on-failure:3, live no') });
  });

  test('created from an older declaration: the digest label says it was never replaced', () => {
    const [f] = findings('drift', n('stale'));
    expect(f.message).toMatch(/label hardened-docker\.settings-digest: declared sha256:[0-9a-f]{64}, live sha256:[0-9a-f]{64}: the container was never replaced/);
    expect(f.message).toContain('healthcheck: declared ["CMD","true"], live none');
  });

  test('SecureService replicas: the weakened one drifts, the other does not', () => {
    const [f] = findings('drift', `${n('svc')}-2`);
    expect(f.message).toContain(`live container ${n('svc')}-2 (id ${ids['svc-2'].slice(0, 12)})`);
    expect(f.message).toContain('memory: declared 256 MiB, live 512 MiB');
    expect(f.constructPath).toMatch(/^stack\/svc\//);
    expect(report.findings.filter((x: any) => x.resourceName === `${n('svc')}-1` && x.ruleId.startsWith('drift'))).toEqual([]);
  });

  test('declared but not on the engine: missing; started by hand: undeclared', () => {
    expect(findings('missing').map((f: any) => f.resourceName)).toEqual([n('absent')]);
    expect(findings('missing')[0].constructPath).toBe('stack/absent/container');
    const [u] = findings('undeclared');
    expect(u).toMatchObject({ resourceName: n('stranger'), address: `container/${n('stranger')}`, severity: 'warning' });
    expect(u.message).toContain(`(id ${ids.stranger.slice(0, 12)})`);
  });

  test('drift errors fail the audit (exit 1); the text report names each', () => {
    expect(code).toBe(1);
    expect(text).toContain(`drift: live container ${n('updated')}`);
    expect(text).toContain(`undeclared: container ${n('stranger')} (id ${ids.stranger.slice(0, 12)}) on the engine matches no`);
    expect(text).toContain('missing:');
  });

  test('every format carries the drift rules: SARIF lists them in the driver', async () => {
    const sarif = JSON.parse((await cli(['audit', '--against', outdir, '--name', `${NAME_PREFIX}drift-*-${RUN_ID}*`, '--no-services', '--format', 'sarif'])).stdout);
    const run = sarif.runs[0];
    const result = run.results.find((r: any) => r.ruleId === 'drift');
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe('drift');
    expect(run.results.some((r: any) => r.ruleId === 'undeclared')).toBe(true);
  }, 60_000);

  test('JUnit and HTML carry them too: a test case and a matrix column per drift rule', async () => {
    const args = ['audit', '--against', outdir, '--name', `${NAME_PREFIX}drift-*-${RUN_ID}*`, '--no-services'];
    const junit = (await cli([...args, '--format', 'junit'])).stdout;
    expect(junit).toMatch(/<testcase[^>]*name="drift"[^>]*>\s*<failure[^>]*memory: declared 256 MiB, live 1 GiB/);
    const html = (await cli([...args, '--format', 'html'])).stdout;
    for (const id of ['drift', 'drift-stronger', 'undeclared', 'missing']) expect(html).toContain(`>${id}<`);
    expect(html).toContain('memory: declared 256 MiB, live 1 GiB');
  }, 60_000);

  test('a path that cannot be read is one line, exit 2', async () => {
    const r = await cli(['audit', '--against', path.join(outdir, 'nope'), '--name', 'none', '--no-services']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hardened-docker audit: --against: .*nope/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
