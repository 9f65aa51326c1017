import { defineRule } from '../define';
import { unknownIf } from '../helpers';
import { Results, Severity } from '../rule';

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
  remediation: 'Remove `ports` blocks the workload does not need (docker_service: `endpoint_spec.ports`) and reach internal services over a user-defined network instead. Once reviewed, suppress with the reason (label `hardened-docker.suppress.published-ports`, or `Suppressions.add(scope, "published-ports", reason)`).',
}, (spec) => {
  const unknown = unknownIf(spec, ['ports'], 'ports');
  if (unknown) return unknown;
  const ports = spec.ports ?? [];
  if (ports.length === 0) return Results.pass('no port published');
  const list = ports.map((p) => `${p.ip ?? '0.0.0.0'}:${p.external ?? '<random>'} -> ${p.internal}/${p.protocol ?? 'tcp'}`);
  return Results.fail(`publishes ${[...new Set(list)].join(', ')}: confirm each is needed`);
});
