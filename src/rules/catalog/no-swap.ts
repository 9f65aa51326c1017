import { ResourceKind } from '../../spec/container-spec';
import { defineRule } from '../define';
import { unknownIf } from '../helpers';
import { Results, Severity } from '../rule';

export const noSwap = defineRule({
  id: 'no-swap',
  title: 'Swap is disabled (memory_swap equal to memory)',
  severity: Severity.WARNING,
  rationale: 'With swap a memory limit is soft: a container over its limit pages to disk, slowing the whole host, and secrets in its memory may reach the disk. Unset `memory_swap` gives Docker\'s default of twice the memory (and a perpetual diff in provider 3.6.2); -1 is unlimited.',
  remediation: 'Set `memory_swap` equal to `memory` (both in MiB). HardenedContainer does. docker_service has no swap setting: not applicable.',
  composeRemediation: 'Set `memswap_limit` equal to `mem_limit` (`mem_limit: 256m`, `memswap_limit: 256m`).',
  appliesTo: [ResourceKind.CONTAINER],
}, (spec) => {
  if (spec.kind !== ResourceKind.CONTAINER) return Results.notApplicable('docker_service has no swap setting');
  const unknown = unknownIf(spec, ['memoryBytes', 'memorySwapBytes'], 'memory/memory_swap');
  if (unknown) return unknown;
  const mem = spec.memoryBytes;
  const swap = spec.memorySwapBytes;
  if (mem === undefined || mem <= 0) return Results.fail('memory is not limited, so neither is swap');
  if (swap === undefined) return Results.fail('memory_swap is not set: Docker allows swap up to the memory limit again (twice the memory in all)');
  if (swap < 0) return Results.fail(`memory_swap = ${swap}: unlimited swap`);
  if (swap !== mem) return Results.fail(`memory_swap (${swap} bytes) differs from memory (${mem} bytes): ${swap - mem} bytes of swap`);
  return Results.pass();
});
