import { defineRule } from '../define';
import { describeSecurityOpt, parsedSecurityOpts, securityOptsName, selinuxConfinementOff, unknownResult, unlistedItems } from '../helpers';
import { ProfileLevel, Results, Severity } from '../rule';

export const selinuxConfinementNotDisabled = defineRule({
  id: 'selinux-confinement-not-disabled',
  title: 'SELinux confinement is not turned off (label=disable, type spc_t or unconfined_t)',
  cis: ['5.3'],
  severity: Severity.ERROR,
  level: ProfileLevel.BASELINE,
  rationale: 'On an SELinux host Docker runs every container as container_t with an MCS level of its own, two categories out of c0 to c1023 (`s0:c123,c456`), which keeps it from the host\'s files and from other containers even when it runs as root. `label=disable` runs it as spc_t, the "super privileged container" type that SELinux does not confine, and `label=type:spc_t` or `label=type:unconfined_t` ask for that outright, as do the runtime\'s own types, which container-selinux leaves unconfined (`container_runtime_t`, alias `docker_t`, and `kubelet_t`; also `unconfined_service_t`). A level holding every category (`label=level:s0:c0.c1023`, the range `s0-s0:c0.c1023`, or the same set written otherwise, `c0.c511,c512.c1023`) keeps the type but undoes the isolation between containers: it dominates every other container\'s level, so the container may read and write what any of them labelled. Either way a process that escapes the namespaces is stopped by nothing SELinux enforces between containers. No ordinary workload needs it; where the host has no SELinux the option does nothing, so asking for it is at best noise and at worst a weakening that takes effect on the next host.',
  remediation: 'Remove `label=disable` / `label:disable`, `label=type:spc_t` / `label=type:unconfined_t` (or another unconfined type: `container_runtime_t`, `docker_t`, `kubelet_t`, `unconfined_service_t`) and a `label=level:` holding every category (`s0:c0.c1023`) from `security_opts`; docker_service: remove `disable = true`, `type = "spc_t"` (or `unconfined_t`) and such a `level` from `task_spec.container_spec.privileges.se_linux_context`. Leave the level to the daemon (it picks two free categories), or name two categories of your own (`level:s0:c100,c200`). If a workload needs a different type, write a policy module for it and name that type. HardenedContainer refuses these in `selinuxLabels`.',
  composeRemediation: 'Remove `label=disable` (`label:disable`), `label=type:spc_t` / `label=type:unconfined_t` (or another unconfined type: `container_runtime_t`, `docker_t`, `kubelet_t`, `unconfined_service_t`) and a `label=level:` holding every category (`s0:c0.c1023`) from `security_opt:`; if a workload needs another type, write a policy module for it and name that type.',
}, (spec) => {
  for (const o of parsedSecurityOpts(spec)) {
    const off = selinuxConfinementOff(o);
    if (off !== undefined) return Results.fail(`${describeSecurityOpt(spec, o)}: ${off}`);
  }
  if (unlistedItems(spec, 'securityOpts')) return unknownResult(spec, ['securityOpts'], securityOptsName(spec));
  return Results.pass();
});
