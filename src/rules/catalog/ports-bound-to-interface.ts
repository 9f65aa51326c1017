import { ResourceKind } from '../../spec/container-spec';
import { isUnknown } from '../../spec/fields';
import { defineRule } from '../define';
import { attributeUnknown, judgeList, unknownResult, unlistedItems } from '../helpers';
import { Results, Severity } from '../rule';

/** True for a host IP that means every interface: absent (the provider's default), `0.0.0.0`, `::`. */
export function isWildcardIp(ip: string | undefined): boolean {
  if (ip === undefined) return true;
  const bare = ip.trim().replace(/^\[(.*)\]$/, '$1');
  if (bare === '' || bare === '0.0.0.0') return true;
  return /^[0:]+$/.test(bare) && bare.includes(':');
}

export const portsBoundToInterface = defineRule({
  id: 'ports-bound-to-interface',
  title: 'Published ports are bound to a specific host interface',
  cis: ['5.14'],
  severity: Severity.WARNING,
  rationale: 'A published port without `ip` listens on every interface of the host (the provider\'s default is 0.0.0.0), including public ones, and Docker\'s iptables rules bypass the host firewall. `publish_all_ports = true` (`docker run -P`) publishes every port the image EXPOSEs the same way, ports nobody reviewed. Swarm services cannot bind an interface at all: ingress and host publish mode both listen everywhere.',
  remediation: 'docker_container: set `ip` on every `ports` block (`ip = "127.0.0.1"` behind a local reverse proxy, or the private interface\'s address); HardenedContainer binds `hostIp` (default 127.0.0.1). Remove `publish_all_ports` and publish the needed ports one by one. docker_service: do not publish; attach the service to an overlay network and publish through a proxy, or suppress with the reason.',
  composeRemediation: 'Bind each published port to one interface: `ports: ["127.0.0.1:8080:80"]` (long syntax: `host_ip: 127.0.0.1`), or the private interface\'s address.',
}, (spec) => {
  const ports = spec.ports ?? [];
  const all = spec.publishAllPorts === true && !isUnknown(spec, 'publishAllPorts');
  if (spec.kind === ResourceKind.SERVICE) {
    if (ports.length) {
      return Results.fail(`docker_service publishes ${ports.map((p) => attributeUnknown(p, 'external') ? '<unknown>' : p.external ?? p.internal).join(', ')} on every host interface: Swarm cannot bind a published port to one interface`);
    }
    if (unlistedItems(spec, 'ports')) return unknownResult(spec, ['ports'], 'ports');
    return Results.pass('no port published');
  }
  const { failing, undecided } = judgeList(spec, 'ports', ports, (p) => attributeUnknown(p, 'ip') ? undefined : isWildcardIp(p.ip));
  // Without `ip` a port listens on every interface, whatever its (unknown) host port.
  const wild = failing.map((p) => `${p.ip ?? '0.0.0.0 (ip not set)'}:${attributeUnknown(p, 'external') ? '<unknown>' : p.external ?? '<random>'} -> ${attributeUnknown(p, 'internal') ? '<unknown>' : p.internal}`);
  if (all) wild.push('publish_all_ports = true: every port the image exposes, on 0.0.0.0');
  if (wild.length) return Results.fail(`bound to every interface: ${wild.join(', ')}`);
  if (undecided || isUnknown(spec, 'publishAllPorts')) return unknownResult(spec, ['ports', 'publishAllPorts'], 'the host interface of ports');
  if (ports.length === 0) return Results.pass('no port published');
  return Results.pass();
});
