import { isUnknown } from '../../spec/fields';
import { defineRule } from '../define';
import { unknownResult } from '../helpers';
import { Results, Severity } from '../rule';

export const readOnlyRootfs = defineRule({
  id: 'read-only-rootfs',
  title: "The container's root filesystem is mounted read-only",
  cis: ['5.13'],
  severity: Severity.ERROR,
  rationale: 'A writable root lets an intruder drop tools, alter binaries and persist; a read-only root with tmpfs for the few writable paths leaves nothing to tamper with.',
  remediation: 'Set `read_only = true` (HardenedContainer does by default) and give each path that must be writable a tmpfs (`writablePaths`).',
  composeRemediation: 'Set `read_only: true`, with a `tmpfs:` entry for each path that must be writable (`tmpfs: ["/tmp:rw,noexec,nosuid,nodev,size=64m"]`).',
}, (spec) => {
  if (isUnknown(spec, 'readOnly')) return unknownResult(spec, ['readOnly'], 'read_only');
  if (spec.readOnly !== true) return Results.fail(spec.readOnly === false ? 'read_only = false' : 'read_only is not set (the root filesystem is writable)');
  return Results.pass();
});
