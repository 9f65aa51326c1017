import { defineRule } from '../define';
import { DOCKER_DEFAULT_CAPABILITIES, judgeList, normalizeCapability, unknownResult } from '../helpers';
import { ProfileLevel, Results, Severity } from '../rule';

export const noAddedCapabilities = defineRule({
  id: 'no-added-capabilities',
  title: 'No capability is added beyond Docker\'s default set',
  cis: ['5.4'],
  severity: Severity.WARNING,
  level: ProfileLevel.RESTRICTED,
  rationale: 'Each capability beyond Docker\'s default set (AUDIT_WRITE CHOWN DAC_OVERRIDE FOWNER FSETID KILL MKNOD NET_BIND_SERVICE NET_RAW SETFCAP SETGID SETPCAP SETUID SYS_CHROOT) hands a piece of root\'s power over the kernel to the container. Adding back one of the defaults after dropping ALL is fine.',
  remediation: 'Remove the extra names from `capabilities.add` (docker_container) or `task_spec.container_spec.cap_add` (docker_service); HardenedContainer drops ALL and adds back only `addCapabilities`, which accepts the default set without an opt-out.',
  composeRemediation: 'Remove from `cap_add:` every capability beyond Docker\'s default set; better, `cap_drop: [ALL]` and add back only what the service needs.',
}, (spec) => {
  const { failing, undecided } = judgeList(spec, 'capAdd', spec.capAdd, (c) => !DOCKER_DEFAULT_CAPABILITIES.includes(normalizeCapability(c)));
  if (failing.length) return Results.fail(`capabilities added beyond Docker's default set: ${failing.join(', ')}`);
  if (undecided) return unknownResult(spec, ['capAdd'], 'capabilities.add');
  return Results.pass(spec.capAdd?.length ? `added: ${spec.capAdd.join(', ')} (all in Docker's default set)` : 'no capability added');
});
