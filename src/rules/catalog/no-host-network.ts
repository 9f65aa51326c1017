import { isUnknown } from '../../spec/fields';
import { defineRule } from '../define';
import { unknownResult, unlistedItems } from '../helpers';
import { ProfileLevel, Results, Severity } from '../rule';

export const noHostNetwork = defineRule({
  id: 'no-host-network',
  title: 'The host\'s network namespace is not shared',
  cis: ['5.10'],
  severity: Severity.ERROR,
  level: ProfileLevel.BASELINE,
  rationale: 'With the host network a container sees and binds every host interface, reaches services listening on the host\'s loopback, and (with NET_ADMIN or NET_RAW) sniffs or rewrites host traffic.',
  remediation: 'Remove `network_mode = "host"` (and any `networks_advanced { name = "host" }`; for docker_service, `task_spec.networks_advanced`); attach a user-defined network and publish the ports needed.',
  composeRemediation: 'Remove `network_mode: host`: the service joins the project network by default; publish the ports it needs with `ports: ["127.0.0.1:8080:80"]`.',
}, (spec) => {
  if (!isUnknown(spec, 'networkMode') && spec.networkMode?.trim().toLowerCase() === 'host') return Results.fail('network_mode = "host"');
  if ((spec.networks ?? []).some((n) => n.trim().toLowerCase() === 'host')) return Results.fail('attached to the "host" network');
  if (isUnknown(spec, 'networkMode') || unlistedItems(spec, 'networks')) return unknownResult(spec, ['networkMode', 'networks'], 'network_mode/networks', true);
  return Results.pass();
});
