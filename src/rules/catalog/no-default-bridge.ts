import { ResourceKind } from '../../spec/container-spec';
import { assignment, capabilitiesOf, settingName, UnattachedNetwork } from '../../spec/source-capabilities';
import { defineRule } from '../define';
import { unknownIf } from '../helpers';
import { Results, Severity } from '../rule';

const DEFAULT_BRIDGE = ['bridge', 'default'];

export const noDefaultBridge = defineRule({
  id: 'no-default-bridge',
  title: 'The container is not on Docker\'s default bridge (docker0)',
  cis: ['5.30'],
  severity: Severity.INFO,
  rationale: 'On the default bridge every container can reach every other one (inter-container communication is on by default) and none is isolated by network. A user-defined network separates applications and gives DNS by name. Informational: CIS 5.30 is a manual check.',
  remediation: 'Attach a user-defined network with `networks_advanced { name = docker_network.app.name }` and leave `network_mode` unset (provider 3.6.2 then disconnects the container from `bridge`), or use `network_mode = "none"`. HardenedContainer takes `networks`. Compose: remove `network_mode: bridge` (a service joins the project\'s own network by default).',
  composeRemediation: 'Remove `network_mode: bridge`: the service joins the project network by default (or list user-defined `networks:`); or set `network_mode: none`.',
  appliesTo: [ResourceKind.CONTAINER],
}, (spec) => {
  if (spec.kind === ResourceKind.SERVICE) return Results.notApplicable('Swarm services attach to overlay networks, not docker0');
  const networks = (spec.networks ?? []).map((n) => n.trim().toLowerCase());
  // A listed "bridge" fails whatever the unknown networks are.
  if (networks.includes('bridge')) return Results.fail('attached to the default "bridge" network');
  const unknown = unknownIf(spec, ['networkMode', 'networks'], 'network_mode/networks_advanced');
  if (unknown) return unknown;
  const mode = spec.networkMode?.trim().toLowerCase();
  const setting = settingName(spec, 'networkMode');
  const unattached = capabilitiesOf(spec).unattachedNetwork;
  if (unattached === UnattachedNetwork.PROJECT_NETWORK) {
    // Compose attaches a service without network_mode or networks to the project's own "default" network, a
    // user-defined bridge; only network_mode: bridge puts it on docker0.
    if (mode !== undefined && DEFAULT_BRIDGE.includes(mode)) return Results.fail(assignment(spec, setting, spec.networkMode!));
    return Results.pass();
  }
  if (unattached === UnattachedNetwork.AS_ATTACHED) {
    // A live container: what counts is where it is attached, since NetworkMode stays "default" after a disconnect.
    if (networks.length > 0) return Results.pass();
    if (mode === undefined || DEFAULT_BRIDGE.includes(mode)) return Results.fail(assignment(spec, setting, spec.networkMode ?? 'default'));
    return Results.pass();
  }
  if (mode !== undefined && DEFAULT_BRIDGE.includes(mode)) return Results.fail(assignment(spec, setting, spec.networkMode!));
  if (mode === undefined && networks.length === 0) return Results.fail('neither network_mode nor networks_advanced is set: the container joins the default bridge');
  return Results.pass(mode !== undefined ? assignment(spec, setting, spec.networkMode!) : `networks_advanced: ${networks.join(', ')}`);
});
