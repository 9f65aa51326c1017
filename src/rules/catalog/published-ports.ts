import { PortSpec } from '../../spec/container-spec';
import { isUnknown } from '../../spec/fields';
import { defineRule } from '../define';
import { attributeUnknown, unknownResult, unlistedItems } from '../helpers';
import { Results, Severity } from '../rule';

/** One attribute of a port as a report shows it: `<unknown>` when not known before apply. */
function portText(value: string | number | undefined, p: PortSpec, attribute: string, absent = '0.0.0.0'): string {
  if (attributeUnknown(p, attribute)) return '<unknown>';
  return value === undefined ? absent : String(value);
}

/**
 * CIS 5.9 is a manual control: only a person knows which ports a workload needs. The reference check (Docker Bench
 * for Security 1.6.0, check_5_9) warns about every published port so that someone reviews them; this rule does the
 * same at info level, so that every container the reference check lists carries CIS 5.9 here too.
 */
export const publishedPorts = defineRule({
  id: 'published-ports',
  title: 'Every published port is one the workload needs (review)',
  cis: ['5.9'],
  severity: Severity.INFO,
  rationale: 'Each published port is a way in from the host\'s network. Which ports a workload needs is a manual judgement (CIS 5.9), so this rule lists what is published for review, as Docker Bench for Security does; informational, it never fails a build by itself.',
  remediation: 'Remove `ports` blocks the workload does not need and `publish_all_ports` (docker_service: `endpoint_spec.ports`) and reach internal services over a user-defined network instead. Once reviewed, suppress with the reason (label `hardened-docker.suppress.published-ports`, or `Suppressions.add(scope, "published-ports", reason)`).',
  composeRemediation: 'Remove the `ports:` entries the service does not need (services reach each other over the project network without them). Once reviewed, suppress with the label `hardened-docker.suppress.published-ports: "<reason>"`.',
}, (spec) => {
  const ports = spec.ports ?? [];
  const all = spec.publishAllPorts === true && !isUnknown(spec, 'publishAllPorts');
  if (ports.length === 0 && !all) {
    if (unlistedItems(spec, 'ports') || isUnknown(spec, 'publishAllPorts')) return unknownResult(spec, ['ports', 'publishAllPorts'], 'ports/publish_all_ports', true);
    return Results.pass('no port published');
  }
  const list = ports.map((p) => `${portText(p.ip, p, 'ip')}:${portText(p.external, p, 'external', '<random>')} -> ${portText(p.internal, p, 'internal')}/${portText(p.protocol, p, 'protocol', 'tcp')}`);
  if (all) list.push('every port the image exposes (publish_all_ports = true, on 0.0.0.0)');
  return Results.fail(`publishes ${[...new Set(list)].join(', ')}: confirm each is needed`);
});
