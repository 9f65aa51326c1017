import { ResourceKind } from '../../spec/container-spec';
import { defineRule } from '../define';
import { unknownIf } from '../helpers';
import { Results, Severity } from '../rule';

/** The most restarts CIS 5.15 allows. */
export const MAX_RESTART_RETRIES = 5;

export const restartRetries = defineRule({
  id: 'restart-retries',
  title: 'Restarts are bounded: on-failure, at most 5 retries',
  cis: ['5.15'],
  severity: Severity.WARNING,
  rationale: 'A container that crash-loops forever hides the fault and keeps consuming the host (and repeats whatever its failure does, such as a denial of service through resource use). CIS 5.15: `on-failure` with at most 5 retries; the reference check flags a count above 5. Stricter here, as the CIS audit text says for `always`: `always` and `unless-stopped` restart without bound, and so does `on-failure` without a count (0 means no limit). `no` passes. For docker_service, Swarm\'s default (no restart_policy) is condition `any` with unlimited attempts: `max_attempts` must be 1 to 5, or condition `none`.',
  remediation: 'docker_container: `restart = "on-failure"` with `max_retry_count` from 1 to 5 (HardenedContainer: `maxRestartRetries`, default 3), or `restart = "no"`. docker_service: `task_spec.restart_policy { condition = "on-failure", max_attempts = 3 }`.',
  composeRemediation: 'Set `restart: on-failure:3` (1 to 5 retries) or `restart: "no"`; under `deploy:`, `restart_policy: { condition: on-failure, max_attempts: 3 }`.',
}, (spec) => {
  const unknown = unknownIf(spec, ['restartPolicy', 'maxRetryCount'], 'restart/max_retry_count');
  if (unknown) return unknown;
  const policy = (spec.restartPolicy ?? '').trim().toLowerCase();
  const count = spec.maxRetryCount ?? 0;
  if (spec.kind === ResourceKind.SERVICE) {
    if (count > MAX_RESTART_RETRIES) return Results.fail(`restart_policy.max_attempts = ${count} (at most ${MAX_RESTART_RETRIES})`);
    if (policy === 'none') return Results.pass('restart_policy.condition = "none"');
    const condition = policy === '' ? 'any (Swarm\'s default)' : `"${spec.restartPolicy}"`;
    if (count <= 0) return Results.fail(`restart_policy condition ${condition} with no max_attempts: restarts without bound`);
    return Results.pass();
  }
  if (count > MAX_RESTART_RETRIES) return Results.fail(`max_retry_count = ${count} (at most ${MAX_RESTART_RETRIES})`);
  if (policy === '' || policy === 'no') return Results.pass('no automatic restart');
  if (policy === 'always' || policy === 'unless-stopped') return Results.fail(`restart = "${spec.restartPolicy}" restarts without bound`);
  if (policy.startsWith('on-failure')) {
    if (count <= 0) return Results.fail('restart = "on-failure" without max_retry_count: retries without bound');
    return Results.pass();
  }
  return Results.fail(`restart = "${spec.restartPolicy}" is not a restart policy Docker knows (no, on-failure, always, unless-stopped)`);
});
