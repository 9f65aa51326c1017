import { defineRule } from '../define';
import { describeSecurityOpt, parsedSecurityOpts, securityOptsName, selinuxConfinementOff, unknownResult, unlistedItems } from '../helpers';
import { ProfileLevel, Results, Severity } from '../rule';

export const selinuxConfinementNotDisabled = defineRule({
  id: 'selinux-confinement-not-disabled',
  title: 'SELinux confinement is not turned off (label=disable, type spc_t or unconfined_t)',
  cis: ['5.3'],
  severity: Severity.ERROR,
  level: ProfileLevel.BASELINE,
  rationale: 'On an SELinux host Docker runs every container as container_t with its own MCS level, which keeps it from the host\'s files and from other containers even when it runs as root. `label=disable` runs it as spc_t, the "super privileged container" type that SELinux does not confine, and `label=type:spc_t` or `label=type:unconfined_t` ask for that outright: a process that escapes the namespaces is then stopped by nothing SELinux enforces. No ordinary workload needs it; where the host has no SELinux the option does nothing, so asking for it is at best noise and at worst a weakening that takes effect on the next host.',
  remediation: 'Remove `label=disable` / `label:disable` and `label=type:spc_t` / `label=type:unconfined_t` from `security_opts`; docker_service: remove `disable = true` and `type = "spc_t"` (or `unconfined_t`) from `task_spec.container_spec.privileges.se_linux_context`. If a workload needs a different type, write a policy module for it and name that type. HardenedContainer refuses these in `selinuxLabels`.',
  composeRemediation: 'Remove `label=disable` (`label:disable`) and `label=type:spc_t` / `label=type:unconfined_t` from `security_opt:`; if a workload needs another type, write a policy module for it and name that type.',
}, (spec) => {
  for (const o of parsedSecurityOpts(spec)) {
    const off = selinuxConfinementOff(o);
    if (off !== undefined) return Results.fail(`${describeSecurityOpt(spec, o)}: ${off}`);
  }
  if (unlistedItems(spec, 'securityOpts')) return unknownResult(spec, ['securityOpts'], securityOptsName(spec));
  return Results.pass();
});
