import { canExpress } from '../../spec/source-capabilities';
import { defineRule } from '../define';
import { PROVIDER, securityOptsWithKey, unknownResult, unlistedItems } from '../helpers';
import { Results, Severity } from '../rule';

export const apparmorProfile = defineRule({
  id: 'apparmor-profile',
  title: 'An AppArmor profile confines the container (where the host runs AppArmor)',
  cis: ['5.2'],
  severity: Severity.INFO,
  rationale: 'AppArmor limits what files, mounts and capabilities a container\'s processes may use even as root. Host-dependent: on a host with AppArmor enabled Docker applies `docker-default` when none is named, so this is informational; `apparmor=unconfined` switches it off.',
  remediation: 'On AppArmor hosts, name a profile: `security_opts = ["apparmor=docker-default"]` (or a tailored profile loaded on the host); HardenedContainer: `appArmorProfile: \'docker-default\'`. Never `apparmor=unconfined`. docker_service: ' + PROVIDER + ' cannot set AppArmor for services; set it on the hosts (the daemon applies docker-default).',
  composeRemediation: 'On AppArmor hosts, name a profile: `security_opt: ["apparmor=docker-default"]` (or a tailored profile loaded on the host). Never `apparmor=unconfined`.',
}, (spec) => {
  if (!canExpress(spec, 'apparmor')) return Results.fail(`${PROVIDER} cannot set an AppArmor profile on docker_service; the daemon's default applies where the host runs AppArmor`);
  const opts = securityOptsWithKey(spec, 'apparmor').filter((o) => (o.value ?? '') !== '');
  const unconfined = opts.find((o) => (o.value ?? '').toLowerCase() === 'unconfined');
  if (unconfined) return Results.fail(`security_opts has "${unconfined.raw}": AppArmor confinement is off`);
  if (unlistedItems(spec, 'securityOpts')) return unknownResult(spec, ['securityOpts'], 'security_opts');
  if (opts.length === 0) return Results.fail('no apparmor security option: confined only where the host enables AppArmor (docker-default)');
  return Results.pass();
});
