import { defineRule } from '../define';
import { attributeUnknown, judgeList, unknownResult } from '../helpers';
import { describeItem, sensitiveHostPath } from '../mount-items';
import { ProfileLevel, Results, Severity } from '../rule';
import { SENSITIVE_HOST_PATHS } from '../sensitive-paths';

export const noSensitiveHostMounts = defineRule({
  id: 'no-sensitive-host-mounts',
  title: 'No sensitive host directory is bind-mounted read-write',
  cis: ['5.6'],
  severity: Severity.ERROR,
  level: ProfileLevel.BASELINE,
  rationale: `A read-write bind of a host system directory lets the container rewrite the host: /etc (users, sudoers, cron), /boot, /usr and /lib (binaries), /dev, /proc and /sys (the kernel). Checked: ${SENSITIVE_HOST_PATHS.join(' ')} and everything below them except for /, which counts only itself.`,
  remediation: 'Remove the bind (`volumes { host_path }` or `mounts { type = "bind" }`) or mount a named volume instead; if the container must read a host file, bind that one file read-only (`read_only = true`), which rule no-sensitive-host-mounts-read-only still reports as a warning.',
  composeRemediation: 'Remove the bind from `volumes:` or use a named volume; if the service must read one host file, bind that file read-only (`- /etc/app.conf:/etc/app.conf:ro`), which no-sensitive-host-mounts-read-only still reports as a warning.',
}, (spec) => {
  const { failing, undecided } = judgeList(spec, 'mounts', spec.mounts, (m) => {
    // A bind known to be read-only cannot fail the read-write rule, whatever its (unknown) path.
    if (m.readOnly === true && !attributeUnknown(m, 'readOnly') && !attributeUnknown(m, 'type')) return false;
    const hostPath = sensitiveHostPath(m);
    if (hostPath === false) return false;
    if (hostPath === undefined || attributeUnknown(m, 'type') || attributeUnknown(m, 'readOnly')) return undefined;
    return m.readOnly !== true;
  });
  if (failing.length) return Results.fail(`sensitive host path mounted read-write: ${failing.map(describeItem).join(', ')}`);
  if (undecided) return unknownResult(spec, ['mounts'], 'a host path of volumes/mounts');
  return Results.pass();
});
