import { defineRule } from '../define';
import { unknownIf } from '../helpers';
import { Results, Severity } from '../rule';

export const noCgroupParent = defineRule({
  id: 'no-cgroup-parent',
  title: 'The container stays in Docker\'s cgroup (no cgroup_parent)',
  cis: ['5.25'],
  severity: Severity.WARNING,
  rationale: 'A `cgroup_parent` places the container under another cgroup, where Docker\'s limits and accounting may not hold: a misplaced parent can escape the limits meant for containers or starve host services.',
  remediation: 'Remove `cgroup_parent` unless the host\'s cgroup layout was designed for it; then suppress this rule with that reason.',
  composeRemediation: 'Remove `cgroup_parent:` unless the host\'s cgroup layout was designed for it; then suppress this rule with that reason (label `hardened-docker.suppress.no-cgroup-parent`).',
}, (spec) => {
  const unknown = unknownIf(spec, ['cgroupParent'], 'cgroup_parent');
  if (unknown) return unknown;
  if (spec.cgroupParent !== undefined && spec.cgroupParent.trim() !== '') return Results.fail(`cgroup_parent = "${spec.cgroupParent}"`);
  return Results.pass();
});
