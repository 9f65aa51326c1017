import { canExpress } from '../../spec/source-capabilities';
import { defineRule } from '../define';
import { describeSecurityOpt, parsedSecurityOpts, securityOptsName, selinuxConfinementOff, unknownResult, unlistedItems } from '../helpers';
import { Results, Severity } from '../rule';

export const selinuxOptions = defineRule({
  id: 'selinux-options',
  title: 'SELinux options label the container (where the host runs SELinux)',
  cis: ['5.3'],
  severity: Severity.INFO,
  rationale: 'On SELinux hosts a container label (type, level) confines what the container may touch on the host. Host-dependent, so informational; turning the labelling off (`label=disable`, type spc_t or unconfined_t) is an error under rule selinux-confinement-not-disabled.',
  remediation: 'On SELinux hosts with the daemon\'s `selinux-enabled`, set a label: `security_opts = ["label=type:container_t", "label=level:s0:c100,c200"]` (HardenedContainer: `selinuxLabels: [\'type:container_t\', \'level:s0:c100,c200\']`); docker_service: `task_spec.container_spec.privileges.se_linux_context { type = "container_t", level = "s0:c100,c200" }`. Never `label=disable` (`disable = true`).',
  composeRemediation: 'On SELinux hosts with the daemon\'s `selinux-enabled`, set a label: `security_opt: ["label=type:container_t", "label=level:s0:c100,c200"]`. Never `label=disable`.',
}, (spec) => {
  const opts = parsedSecurityOpts(spec);
  for (const o of opts) {
    const off = selinuxConfinementOff(o);
    if (off !== undefined) return Results.fail(`${describeSecurityOpt(spec, o)}: ${off}`);
  }
  if (unlistedItems(spec, 'securityOpts')) return unknownResult(spec, ['securityOpts'], securityOptsName(spec));
  const labels = opts.filter((o) => o.key === 'label' && (o.value ?? '') !== '');
  if (labels.length === 0) {
    return Results.fail(canExpress(spec, 'securityOpts')
      ? 'no SELinux label option (label=type:..., label=level:...) in security_opts'
      : 'no SELinux context (task_spec.container_spec.privileges.se_linux_context)');
  }
  return Results.pass();
});
