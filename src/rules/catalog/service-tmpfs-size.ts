import { ResourceKind } from '../../spec/container-spec';
import { capabilitiesOf } from '../../spec/source-capabilities';
import { defineRule } from '../define';
import { attributeUnknown, judgeList, PROVIDER, unknownResult } from '../helpers';
import { ProfileLevel, Results, Severity } from '../rule';

export const serviceTmpfsSize = defineRule({
  id: 'service-tmpfs-size',
  title: 'No docker_service tmpfs mount has a tmpfs_options block (provider 3.6.x panics on it)',
  severity: Severity.ERROR,
  level: ProfileLevel.BASELINE,
  rationale: `${PROVIDER} panics on apply when a docker_service \`mounts\` block of type tmpfs has a \`tmpfs_options\` block: it reads \`size_bytes\` with a type assertion to int64 on an int, and the Terraform SDK fills every attribute of the block, so \`size_bytes = 0\` is there even when only \`mode\` is written, or nothing (issue #563, fixed in 4.0.0).`,
  remediation: 'Remove the `tmpfs_options` block from the service\'s tmpfs mounts, `mode` included: the mounts get Docker\'s defaults (`noexec,nosuid,nodev`, no size limit). Bound the service\'s memory with `task_spec.resources.limits.memory_bytes` instead, which tmpfs pages count against. SecureService writes its tmpfs mounts this way.',
  appliesTo: [ResourceKind.SERVICE],
}, (spec) => {
  if (spec.kind !== ResourceKind.SERVICE || !capabilitiesOf(spec).appliedByProvider) return Results.notApplicable('only docker_service resources applied by provider 3.6.x');
  const { failing, undecided } = judgeList(spec, 'tmpfs', spec.tmpfs, (t) => {
    if (!t.fromMount) return false;
    // A dynamic tmpfs_options block may be there: the provider panics on any.
    if (attributeUnknown(t, 'optionsBlock')) return undefined;
    return t.optionsBlock === true || (t.options ?? '') !== '' || attributeUnknown(t, 'options');
  });
  if (failing.length) {
    return Results.fail(`tmpfs_options on ${failing.map((t) => `${attributeUnknown(t, 'path') ? '<unknown path>' : t.path} (${attributeUnknown(t, 'options') ? 'options not known before apply' : t.options ?? 'an empty block'})`).join(', ')}: provider 3.6.x panics on apply`);
  }
  if (undecided) return unknownResult(spec, ['tmpfs'], 'the tmpfs mounts (a dynamic or unknown mounts block may be a tmpfs with tmpfs_options)', true);
  return Results.pass();
});
