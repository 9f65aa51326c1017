import { assignment, canExpress, settingName } from '../../spec/source-capabilities';
import { defineRule } from '../define';
import { PROVIDER, unknownIf } from '../helpers';
import { ProfileLevel, Results, Severity } from '../rule';

export const noHostUts = defineRule({
  id: 'no-host-uts',
  title: 'The host\'s UTS namespace is not shared',
  cis: ['5.21'],
  severity: Severity.ERROR,
  level: ProfileLevel.BASELINE,
  rationale: 'With the host UTS namespace a container can change the host\'s hostname and NIS domain name. ' + PROVIDER + ' has no `uts_mode`, so Terraform cannot create such a container: the rule applies to live containers (`docker inspect`) and compose files (`uts: host`), and is not applicable to Terraform sources.',
  remediation: 'Compose: remove `uts: host`. Live containers: recreate without `--uts=host` (`HostConfig.UTSMode` must be empty). Through Terraform nothing is needed: provider 3.6.2 has no `uts_mode` attribute.',
  composeRemediation: 'Remove `uts: host`.',
}, (spec) => {
  if (!canExpress(spec, 'utsMode')) return Results.notApplicable(`${PROVIDER} has no uts_mode: the UTS namespace is always private`);
  const setting = settingName(spec, 'utsMode');
  const unknown = unknownIf(spec, ['utsMode'], setting);
  if (unknown) return unknown;
  if (spec.utsMode?.trim().toLowerCase() === 'host') return Results.fail(assignment(spec, setting, 'host'));
  return Results.pass();
});
