import { defineRule } from '../define';
import { DANGEROUS_CAPABILITIES, judgeList, normalizeCapability, unknownResult } from '../helpers';
import { ProfileLevel, Results, Severity } from '../rule';

export const noDangerousCapabilities = defineRule({
  id: 'no-dangerous-capabilities',
  title: 'No capability that breaks host isolation is added (ALL, SYS_ADMIN, SYS_MODULE, NET_ADMIN, SYS_PTRACE, ...)',
  cis: ['5.4'],
  severity: Severity.ERROR,
  level: ProfileLevel.BASELINE,
  rationale: `Some capabilities amount to root on the host: ALL is privileged mode without the name, SYS_ADMIN mounts filesystems and escapes through cgroups, SYS_MODULE loads kernel modules, SYS_PTRACE reads other processes, NET_ADMIN rewrites the host's firewall in a shared network namespace, DAC_READ_SEARCH opens any file by handle. Flagged here: ${DANGEROUS_CAPABILITIES.join(', ')}.`,
  remediation: 'Remove them from `capabilities.add` / `cap_add`. If a workload truly needs one, run it on a dedicated host and suppress this rule on that one construct with the reason (`Suppressions.add(scope, "no-dangerous-capabilities", reason)`).',
  composeRemediation: 'Remove them from `cap_add:`. If a workload truly needs one, run it on a dedicated host and suppress this rule on the service with the label `hardened-docker.suppress.no-dangerous-capabilities: "<reason>"`.',
}, (spec) => {
  const { failing, undecided } = judgeList(spec, 'capAdd', spec.capAdd, (c) => DANGEROUS_CAPABILITIES.includes(normalizeCapability(c)));
  if (failing.length) return Results.fail(`dangerous capabilities added: ${failing.join(', ')}`);
  if (undecided) return unknownResult(spec, ['capAdd'], 'capabilities.add');
  return Results.pass();
});
