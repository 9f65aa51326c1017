import { defineRule } from '../define';
import { attributeUnknown, judgeList, unknownResult } from '../helpers';
import { describeItem, sensitiveHostPath } from '../mount-items';
import { Results, Severity } from '../rule';

export const noSensitiveHostMountsReadOnly = defineRule({
  id: 'no-sensitive-host-mounts-read-only',
  title: 'No sensitive host directory is bind-mounted, even read-only',
  cis: ['5.6'],
  severity: Severity.WARNING,
  rationale: 'Read-only still discloses: /etc holds password hashes and keys, /proc and /sys describe every process and device of the host. Stricter than the CIS reference check, which flags read-write mounts only (rule no-sensitive-host-mounts); binding one file such as /etc/localtime read-only is common, hence a warning.',
  remediation: 'Remove the bind (`volumes { host_path }` / `mounts { type = "bind" }`), or bind only the single file needed, or copy it into the image; suppress with a reason when a read-only bind is deliberate (`Suppressions.add(scope, "no-sensitive-host-mounts-read-only", reason)`).',
  composeRemediation: 'Remove the bind from `volumes:`, bind only the single file needed, or copy it into the image; when a read-only bind is deliberate, suppress with the label `hardened-docker.suppress.no-sensitive-host-mounts-read-only` and the reason.',
}, (spec) => {
  const { failing, undecided } = judgeList(spec, 'mounts', spec.mounts, (m) => {
    const hostPath = sensitiveHostPath(m);
    if (hostPath === false) return false;
    if (hostPath === undefined || attributeUnknown(m, 'type') || attributeUnknown(m, 'readOnly')) return undefined;
    return m.readOnly === true;
  });
  if (failing.length) return Results.fail(`sensitive host path mounted read-only: ${failing.map(describeItem).join(', ')}`);
  if (undecided) return unknownResult(spec, ['mounts'], 'a host path of volumes/mounts');
  return Results.pass();
});
