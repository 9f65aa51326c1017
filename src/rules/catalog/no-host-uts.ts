import { defineRule } from '../define';
import { isTerraformSource, PROVIDER, unknownIf } from '../helpers';
import { Results, Severity } from '../rule';

export const noHostUts = defineRule({
  id: 'no-host-uts',
  title: 'The host\'s UTS namespace is not shared',
  cis: ['5.21'],
  severity: Severity.ERROR,
  rationale: 'With the host UTS namespace a container can change the host\'s hostname and NIS domain name. ' + PROVIDER + ' has no `uts_mode`, so Terraform cannot create such a container: the rule applies to live containers (`docker inspect`) and is not applicable to Terraform sources.',
  remediation: 'Do not run the container with `--uts=host`; through Terraform nothing is needed.',
}, (spec) => {
  if (isTerraformSource(spec)) return Results.notApplicable(`${PROVIDER} has no uts_mode: the UTS namespace is always private`);
  const unknown = unknownIf(spec, ['utsMode'], 'UTSMode');
  if (unknown) return unknown;
  if (spec.utsMode?.trim().toLowerCase() === 'host') return Results.fail('UTSMode = "host"');
  return Results.pass();
});
