/**
 * On a real engine: `systempaths=unconfined` empties MaskedPaths and ReadonlyPaths (nothing in /proc is masked or
 * read-only any more), a default HardenedContainer keeps both, and the engine adapter with the rule
 * no-unconfined-system-paths tells the two apart from `docker inspect` alone.
 */
import { TerraformStack, Testing } from 'cdktf';
import {
  cleanup, createFromSynth, describeEngine, docker, NAME_PREFIX, planFromSynth, removeContainer, RUN_ID, sh, synthContainers, TEST_IMAGE,
} from './harness';
import { HardenedContainer } from '../../src/constructs/hardened-container';
import { builtinRule } from '../../src/rules/catalog';
import { RuleStatus } from '../../src/rules/rule';
import { specFromContainerInspect } from '../../src/spec/engine-adapter';

const n = (what: string) => `${NAME_PREFIX}systempaths-${what}-${RUN_ID}`;
const REASON = 'kernel tracing agent reads /proc/kcore on purpose';

function synth(): Record<string, any> {
  const stack = new TerraformStack(Testing.app(), 'systempaths');
  new HardenedContainer(stack, 'default', { name: n('default'), image: TEST_IMAGE, command: ['sleep', '3600'] });
  new HardenedContainer(stack, 'unconfined', {
    name: n('unconfined'), image: TEST_IMAGE, command: ['sleep', '3600'], optOuts: { unconfinedSystemPaths: { reason: REASON } },
  });
  return synthContainers(stack);
}

/** The /proc submounts Docker adds: read-only /proc/sys and friends, and the masks over /proc/keys and the like. */
async function procSubmounts(c: { id: string }): Promise<string[]> {
  const r = await sh(docker().getContainer(c.id), 'grep " /proc/" /proc/mounts || true');
  return r.stdout.split('\n').filter(Boolean).map((line) => line.split(' ').slice(1, 4).join(' '));
}

describeEngine('systempaths=unconfined on a real engine', () => {
  const rule = builtinRule('no-unconfined-system-paths')!;
  let bodies: Record<string, any>;

  beforeAll(() => {
    bodies = synth();
  });
  afterAll(async () => {
    await cleanup();
    await removeContainer(n('cli'));
  });

  test('a default HardenedContainer keeps MaskedPaths and a read-only /proc/sys; the rule passes on its inspect', async () => {
    const body = Object.values(bodies).find((b) => b.name === n('default'));
    const c = await createFromSynth(body);
    const info = await c.inspect();
    expect(info.HostConfig.MaskedPaths).toEqual(expect.arrayContaining(['/proc/keys', '/proc/kcore', '/sys/firmware']));
    expect(info.HostConfig.ReadonlyPaths).toEqual(expect.arrayContaining(['/proc/sys', '/proc/sysrq-trigger']));
    expect(await procSubmounts(c)).toEqual(expect.arrayContaining(['/proc/sys proc ro,nosuid,nodev,noexec,relatime', expect.stringMatching(/^\/proc\/keys tmpfs /)]));
    expect(rule.check(specFromContainerInspect(info)).status).toBe(RuleStatus.PASS);
  });

  test('as the docker CLI (and provider 3.8+) send the option, MaskedPaths and ReadonlyPaths are empty; the rule fails', async () => {
    // `docker run --security-opt systempaths=unconfined` sends no SecurityOpt, only the two lists, empty.
    const plan = planFromSynth(Object.values(bodies).find((b) => b.name === n('default')));
    await removeContainer(n('cli'));
    const c = await docker().createContainer({
      ...plan.create, name: n('cli'), HostConfig: { ...plan.create.HostConfig, MaskedPaths: [], ReadonlyPaths: [] },
    });
    await c.start();
    const info = await c.inspect();
    expect(info.HostConfig.MaskedPaths).toEqual([]);
    expect(info.HostConfig.ReadonlyPaths).toEqual([]);
    expect(info.HostConfig.SecurityOpt).not.toContain('systempaths=unconfined');
    expect(await procSubmounts(c)).toEqual([]);
    const result = rule.check(specFromContainerInspect(info));
    expect(result.status).toBe(RuleStatus.FAIL);
    expect(result.message).toMatch(/MaskedPaths/);
  });

  test('with the opt-out HardenedContainer writes the option; provider 3.6.2 passes it raw, and this daemon refuses it', async () => {
    const body = Object.values(bodies).find((b) => b.name === n('unconfined'));
    expect(body.security_opts).toContain('systempaths=unconfined');
    let created: { inspect(): Promise<any> } | undefined;
    let refusal = '';
    try {
      created = await createFromSynth(body);
    } catch (e: any) {
      refusal = String(e.message);
    }
    if (created) {
      // A daemon that takes the option itself must show its effect: never masked while the option is set.
      expect((await created.inspect()).HostConfig.MaskedPaths ?? []).toEqual([]);
    } else {
      expect(refusal).toMatch(/invalid --security-opt.*systempaths=unconfined/);
    }
  });
});
