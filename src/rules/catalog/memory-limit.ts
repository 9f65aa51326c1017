import { defineRule } from '../define';
import { unknownIf } from '../helpers';
import { Results, Severity } from '../rule';

export const memoryLimit = defineRule({
  id: 'memory-limit',
  title: 'Memory is limited',
  cis: ['5.11'],
  severity: Severity.WARNING,
  rationale: 'Without a memory limit one container can take all of the host\'s memory and have the kernel\'s OOM killer pick other workloads, the daemon included.',
  remediation: 'Set `memory` in MiB with `memory_swap` equal to it (docker_container), or `task_spec.resources.limits.memory_bytes` (docker_service). HardenedContainer sets `memoryMb` (default 256).',
  composeRemediation: 'Set `mem_limit: 256m` (or `deploy.resources.limits.memory: 256M`), with `memswap_limit` equal to it.',
}, (spec) => {
  const unknown = unknownIf(spec, ['memoryBytes'], 'memory');
  if (unknown) return unknown;
  if (spec.memoryBytes === undefined) return Results.fail('memory is not set: unlimited');
  if (spec.memoryBytes <= 0) return Results.fail(`memory = ${spec.memoryBytes}: unlimited`);
  return Results.pass();
});
