import { defineRule } from '../define';
import { unknownIf } from '../helpers';
import { Results, Severity } from '../rule';

export const noSharedMountPropagation = defineRule({
  id: 'no-shared-mount-propagation',
  title: 'No mount uses shared propagation',
  cis: ['5.20'],
  severity: Severity.ERROR,
  rationale: 'With `shared` or `rshared` propagation, mounts the container makes below the bind appear on the host (and the other way round): a container with mount rights can change the host\'s mount table.',
  remediation: 'Remove `bind_options.propagation` or set `private`/`rprivate` (Docker\'s default) on the `mounts` block; `slave`/`rslave` only when host mounts must reach the container.',
}, (spec) => {
  const unknown = unknownIf(spec, ['mounts'], 'mounts');
  if (unknown) return unknown;
  const shared = (spec.mounts ?? []).filter((m) => ['shared', 'rshared'].includes((m.propagation ?? '').trim().toLowerCase()));
  if (shared.length) return Results.fail(`shared mount propagation: ${shared.map((m) => `${m.source ?? '?'} -> ${m.target} (${m.propagation})`).join(', ')}`);
  return Results.pass();
});
