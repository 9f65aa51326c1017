/**
 * An inline seccomp profile that allows by default and whose only "deny" rules name no system call filters nothing:
 * the rule flags it and HardenedContainer refuses it, by the same fact (docker-facts' seccompAllowsEverything).
 */
import { container } from './specs';
import { HardenedContainer } from '../../src';
import { builtinRule } from '../../src/rules/catalog';
import { RuleStatus } from '../../src/rules/rule';
import { newStack } from '../constructs/helpers';

const RULE = builtinRule('no-unconfined-seccomp')!;

const profiles: Array<[string, object, boolean]> = [
  ['a deny rule with no system call', { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: [], action: 'SCMP_ACT_ERRNO' }] }, true],
  ['a deny rule whose names are empty strings', { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: [''], action: 'SCMP_ACT_KILL' }] }, true],
  ['a deny rule without names', { defaultAction: 'SCMP_ACT_LOG', syscalls: [{ action: 'SCMP_ACT_ERRNO' }] }, true],
  ['a deny rule naming one call', { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['kexec_load'], action: 'SCMP_ACT_ERRNO' }] }, false],
  ['the older singular name', { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ name: 'kexec_load', action: 'SCMP_ACT_ERRNO' }] }, false],
  ['deny by default', { defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }] }, false],
];

test.each(profiles)('%s: the rule and the construct agree', (_name, profile, allowsAll) => {
  const json = JSON.stringify(profile);
  expect(RULE.check(container({ securityOpts: [`seccomp=${json}`] })).status).toBe(allowsAll ? RuleStatus.FAIL : RuleStatus.PASS);
  const build = () => new HardenedContainer(newStack(), 'web', { image: 'local/busybox:test', seccompProfileJson: json });
  if (allowsAll) expect(build).toThrow(/allows every system call .*unconfinedSeccomp/);
  else expect(build).not.toThrow();
});
