import { defineRule } from '../define';
import { unknownIf } from '../helpers';
import { ProfileLevel, Results, Severity } from '../rule';

export const noHostUserns = defineRule({
  id: 'no-host-userns',
  title: 'The host\'s user namespace is not shared',
  cis: ['5.31'],
  severity: Severity.ERROR,
  level: ProfileLevel.BASELINE,
  rationale: '`userns_mode = "host"` opts the container out of the daemon\'s user namespace remapping (`userns-remap`): root in the container is root on the host again.',
  remediation: 'Remove `userns_mode = "host"`. docker_service cannot set it in provider 3.6.2.',
  composeRemediation: 'Remove `userns_mode: host`.',
}, (spec) => {
  const unknown = unknownIf(spec, ['usernsMode'], 'userns_mode');
  if (unknown) return unknown;
  // As the reference check: any mode naming the host (`host`, in any case).
  if (spec.usernsMode?.toLowerCase().includes('host')) return Results.fail(`userns_mode = "${spec.usernsMode}"`);
  return Results.pass();
});
