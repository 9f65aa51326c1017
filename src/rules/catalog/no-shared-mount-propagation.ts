import { defineRule } from '../define';
import { attributeUnknown, judgeList, unknownResult } from '../helpers';
import { ProfileLevel, Results, Severity } from '../rule';

export const noSharedMountPropagation = defineRule({
  id: 'no-shared-mount-propagation',
  title: 'No mount uses shared propagation',
  cis: ['5.20'],
  severity: Severity.ERROR,
  level: ProfileLevel.BASELINE,
  rationale: 'With `shared` or `rshared` propagation, mounts the container makes below the bind appear on the host (and the other way round): a container with mount rights can change the host\'s mount table.',
  remediation: 'Remove `bind_options.propagation` or set `private`/`rprivate` (Docker\'s default) on the `mounts` block; `slave`/`rslave` only when host mounts must reach the container.',
  composeRemediation: 'Remove `shared`/`rshared` propagation from `volumes:` (`:shared` in the short syntax, `bind: { propagation: shared }` in the long one): Docker\'s default `rprivate` applies.',
}, (spec) => {
  const { failing, undecided } = judgeList(spec, 'mounts', spec.mounts, (m) => {
    if (attributeUnknown(m, 'propagation')) return undefined;
    return ['shared', 'rshared'].includes((m.propagation ?? '').trim().toLowerCase());
  });
  if (failing.length) return Results.fail(`shared mount propagation: ${failing.map((m) => `${m.source ?? '?'} -> ${m.target} (${m.propagation})`).join(', ')}`);
  if (undecided) return unknownResult(spec, ['mounts'], 'the propagation of volumes/mounts');
  return Results.pass();
});
