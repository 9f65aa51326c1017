import { isUnknown } from '../../spec/fields';
import { defineRule } from '../define';
import { unknownResult } from '../helpers';
import { ProfileLevel, Results, Severity } from '../rule';

export const noPrivileged = defineRule({
  id: 'no-privileged',
  title: 'Containers do not run privileged',
  cis: ['5.5'],
  severity: Severity.ERROR,
  level: ProfileLevel.BASELINE,
  rationale: 'A privileged container has every capability, every device and no seccomp or AppArmor confinement: root in it is root on the host.',
  remediation: 'Remove `privileged` (docker_container) and add back only the capabilities the workload needs (`addCapabilities` on HardenedContainer).',
  composeRemediation: 'Remove `privileged: true`; add back only the capabilities the service needs (`cap_drop: [ALL]`, `cap_add: [...]`).',
}, (spec) => {
  if (isUnknown(spec, 'privileged')) return unknownResult(spec, ['privileged'], 'privileged');
  if (spec.privileged === true) return Results.fail('privileged = true');
  return Results.pass();
});
