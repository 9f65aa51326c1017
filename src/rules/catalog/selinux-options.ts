import { defineRule } from '../define';
import { isTerraformService, parsedSecurityOpts, PROVIDER, unknownIf } from '../helpers';
import { Results, Severity } from '../rule';

export const selinuxOptions = defineRule({
  id: 'selinux-options',
  title: 'SELinux options label the container (where the host runs SELinux)',
  cis: ['5.3'],
  severity: Severity.INFO,
  rationale: 'On SELinux hosts a container label (type, level) confines what the container may touch on the host. Host-dependent, so informational; `label=disable` turns the labelling off.',
  remediation: 'On SELinux hosts with the daemon\'s `selinux-enabled`, set a label: `security_opts = ["label=type:container_t", "label=level:s0:c100,c200"]` (HardenedContainer: `selinuxLabels: [\'type:container_t\', \'level:s0:c100,c200\']`). Never `label=disable`. docker_service: ' + PROVIDER + ' cannot set SELinux options for services.',
}, (spec) => {
  if (isTerraformService(spec)) return Results.fail(`${PROVIDER} cannot set SELinux options on docker_service`);
  const unknown = unknownIf(spec, ['securityOpts'], 'security_opts');
  if (unknown) return unknown;
  const opts = parsedSecurityOpts(spec);
  const disabled = opts.find((o) => (o.key === 'label' && (o.value ?? '').toLowerCase() === 'disable') || o.key === 'disable');
  if (disabled) return Results.fail(`security_opts has "${disabled.raw}": SELinux labelling is off`);
  const labels = opts.filter((o) => o.key === 'label' && (o.value ?? '') !== '');
  if (labels.length === 0) return Results.fail('no SELinux label option (label=type:..., label=level:...) in security_opts');
  return Results.pass();
});
