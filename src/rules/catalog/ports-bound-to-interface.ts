import { ResourceKind } from '../../spec/container-spec';
import { defineRule } from '../define';
import { unknownIf } from '../helpers';
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
  rationale: 'A published port without `ip` listens on every interface of the host (the provider\'s default is 0.0.0.0), including public ones, and Docker\'s iptables rules bypass the host firewall. Swarm services cannot bind an interface at all: ingress and host publish mode both listen everywhere.',
  remediation: 'docker_container: set `ip` on every `ports` block (`ip = "127.0.0.1"` behind a local reverse proxy, or the private interface\'s address); HardenedContainer binds `hostIp` (default 127.0.0.1). docker_service: do not publish; attach the service to an overlay network and publish through a proxy, or suppress with the reason.',
}, (spec) => {
  const unknown = unknownIf(spec, ['ports'], 'ports');
  if (unknown) return unknown;
  const ports = spec.ports ?? [];
  if (ports.length === 0) return Results.pass('no port published');
  if (spec.kind === ResourceKind.SERVICE) {
    return Results.fail(`docker_service publishes ${ports.map((p) => p.external ?? p.internal).join(', ')} on every host interface: Swarm cannot bind a published port to one interface`);
  }
  const wild = ports.filter((p) => isWildcardIp(p.ip));
  if (wild.length) {
    return Results.fail(`bound to every interface: ${wild.map((p) => `${p.ip ?? '0.0.0.0 (ip not set)'}:${p.external ?? '<random>'} -> ${p.internal}`).join(', ')}`);
  }
  return Results.pass();
});
