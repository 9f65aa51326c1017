import { defineRule } from '../define';
import { attributeUnknown, judgeList, unknownResult } from '../helpers';
import { Results, Severity } from '../rule';

/** Linux (`net.ipv4.ip_unprivileged_port_start`, 1024 by default) and CIS 5.8: ports below 1024 are privileged. */
export const PRIVILEGED_PORTS_BELOW = 1024;

export const noPrivilegedHostPorts = defineRule({
  id: 'no-privileged-host-ports',
  title: 'No host port below 1024 is published',
  cis: ['5.8'],
  severity: Severity.WARNING,
  rationale: 'Ports below 1024 (the privileged ports of Linux and CIS 5.8) are where the host\'s own services (SSH, DNS, HTTP) live; publishing a container there competes with them and invites a container to pose as one. A port without `external` gets a random high port and passes, and so does `publish_all_ports` (random high ports too).',
  remediation: 'Publish on port 1024 or above (`ports { internal = 8080, external = 8080 }`; docker_service `endpoint_spec.ports.published_port`) and put a load balancer or reverse proxy in front for 80/443.',
  composeRemediation: 'Publish on a host port of 1024 or above (`ports: ["127.0.0.1:8080:80"]`) and put a reverse proxy in front for 80/443.',
}, (spec) => {
  const { failing, undecided } = judgeList(spec, 'ports', spec.ports, (p) => {
    if (attributeUnknown(p, 'external')) return undefined;
    return p.external !== undefined && p.external > 0 && p.external < PRIVILEGED_PORTS_BELOW;
  });
  if (failing.length) return Results.fail(`privileged host port published (below ${PRIVILEGED_PORTS_BELOW}): ${failing.map((p) => `${p.external} -> ${p.internal}/${p.protocol ?? 'tcp'}`).join(', ')}`);
  if (undecided) return unknownResult(spec, ['ports'], 'a host port of ports');
  return Results.pass();
});
