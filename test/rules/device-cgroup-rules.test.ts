/**
 * A device cgroup rule (`device_cgroup_rules`, `--device-cgroup-rule`) exposes host devices as surely as `devices`:
 * with CAP_MKNOD, a default capability, the container creates the node of any device the rule allows. Provider
 * kreuzwerker/docker cannot set one; compose and a live engine can.
 */
import { engineContainer } from './specs';
import { builtinRule } from '../../src/rules/catalog';
import { RuleStatus } from '../../src/rules/rule';
import { ContainerSpec } from '../../src/spec/container-spec';
import { specFromContainerInspect } from '../../src/spec/engine-adapter';
import { cleanupProjects, web } from '../spec/compose/helpers';

const RULE = builtinRule('no-host-devices')!;
afterEach(() => cleanupProjects());

const composeWith = (rules: string) => web(`services:\n  web:\n    image: nginx\n    device_cgroup_rules: ${rules}\n`);

describe('no-host-devices reads device cgroup rules', () => {
  const cases: Array<[string, () => ContainerSpec, RuleStatus, RegExp | undefined]> = [
    ['compose: every block device', () => composeWith('["b *:* rwm"]'), RuleStatus.FAIL, /device_cgroup_rules has "b \*:\* rwm" \(every block device of the host, read and written/],
    ['compose: every device', () => composeWith('["a *:* rwm"]'), RuleStatus.FAIL, /every device of the host/],
    ['compose: the host\'s disks (sd, major 8), read only', () => composeWith('["b 8:* r"]'), RuleStatus.FAIL, /the block devices 8:\* of the host, read through/],
    ['compose: one character device, write only', () => composeWith('["c 1:1 w"]'), RuleStatus.FAIL, /character devices 1:1 of the host, written/],
    ['compose: mknod alone grants no use', () => composeWith('["c 189:* m"]'), RuleStatus.PASS, undefined],
    ['compose: a rule the daemon refuses starts nothing', () => composeWith('["x 1:1 rwm"]'), RuleStatus.PASS, undefined],
    ['compose: a rule needing a variable without a value', () => composeWith('["${DEVICE_RULE}"]'), RuleStatus.UNKNOWN, /device_cgroup_rules depend on \$\{DEVICE_RULE\}, which is not set/],
    ['compose: a literal rule beside an unknown one', () => composeWith('["${DEVICE_RULE}", "b *:* rwm"]'), RuleStatus.FAIL, /b \*:\* rwm/],
    ['engine: HostConfig.DeviceCgroupRules', () => specFromContainerInspect({ Id: 'x', Name: '/web', Config: { Image: 'nginx' }, HostConfig: { DeviceCgroupRules: ['b 8:* rwm'] } }), RuleStatus.FAIL, /device_cgroup_rules has "b 8:\* rwm"/],
    ['engine: none', () => specFromContainerInspect({ Id: 'x', Name: '/web', Config: { Image: 'nginx' }, HostConfig: { DeviceCgroupRules: null } }), RuleStatus.PASS, undefined],
    ['engine spec: unknown', () => engineContainer({ unknown: ['deviceCgroupRules'] }), RuleStatus.UNKNOWN, undefined],
  ];
  test.each(cases.map((c) => [c[0], c] as const))('%s', (_name, [, spec, status, message]) => {
    const result = RULE.check(spec());
    expect(result.status).toBe(status);
    if (message) expect(result.message).toMatch(message);
  });
});
