import { defineRule } from '../define';
import { unknownIf } from '../helpers';
import { Results, Severity } from '../rule';

export const noPrivilegedHostPorts = defineRule({
  id: 'no-privileged-host-ports',
  title: 'No host port below 1025 is published',
  cis: ['5.8'],
  severity: Severity.WARNING,
  rationale: 'Ports below 1025 are where the host\'s own services (SSH, DNS, HTTP) live; publishing a container there competes with them and invites a container to pose as one. A port without `external` gets a random high port and passes.',
  remediation: 'Publish on a port above 1024 (`ports { internal = 8080, external = 8080 }`; docker_service `endpoint_spec.ports.published_port`) and put a load balancer or reverse proxy in front for 80/443.',
}, (spec) => {
  const unknown = unknownIf(spec, ['ports'], 'ports');
  if (unknown) return unknown;
  const low = (spec.ports ?? []).filter((p) => p.external !== undefined && p.external > 0 && p.external < 1025);
  if (low.length) return Results.fail(`privileged host port published: ${low.map((p) => `${p.external} -> ${p.internal}/${p.protocol ?? 'tcp'}`).join(', ')}`);
  return Results.pass();
});
