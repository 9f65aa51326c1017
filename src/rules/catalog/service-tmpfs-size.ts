import { ResourceKind } from '../../spec/container-spec';
import { defineRule } from '../define';
import { isTerraformService, PROVIDER, unknownIf } from '../helpers';
import { Results, Severity } from '../rule';

export const serviceTmpfsSize = defineRule({
  id: 'service-tmpfs-size',
  title: 'No docker_service tmpfs mount sets size_bytes (provider 3.6.x panics on it)',
  severity: Severity.ERROR,
  rationale: `${PROVIDER} panics on apply when a docker_service \`mounts\` block of type tmpfs sets \`tmpfs_options.size_bytes\` (issue #563, fixed in 4.0.0).`,
  remediation: 'Remove `tmpfs_options.size_bytes` from the service\'s tmpfs mounts (keep `mode`); bound the service\'s memory with `task_spec.resources.limits.memory_bytes` instead, which tmpfs pages count against.',
  appliesTo: [ResourceKind.SERVICE],
}, (spec) => {
  if (!isTerraformService(spec)) return Results.notApplicable('only docker_service resources applied by provider 3.6.x');
  const unknown = unknownIf(spec, ['tmpfs'], 'the tmpfs mounts');
  if (unknown) return unknown;
  const sized = (spec.tmpfs ?? []).filter((t) => t.fromMount && (t.options ?? '').split(',').some((o) => o.trim().startsWith('size=')));
  if (sized.length) return Results.fail(`tmpfs_options.size_bytes set on ${sized.map((t) => `${t.path} (${t.options})`).join(', ')}: provider 3.6.x panics on apply`);
  return Results.pass();
});
