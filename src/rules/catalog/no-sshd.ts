import { isUnknown } from '../../spec/fields';
import { capabilitiesOf } from '../../spec/source-capabilities';
import { defineRule } from '../define';
import { unknownIf } from '../helpers';
import { Results, Severity } from '../rule';

/** An sshd process: the command's first word is `sshd` or a path ending in `/sshd` (`sshd: /usr/sbin/sshd -D`). */
const SSHD = /^(\S*\/)?sshd(:|\s|$)/;

/**
 * CIS 5.7. Which processes run is known only on a live engine: the audit reads them with `docker top` (the host's
 * ps, so it works for images without a shell). The reference check runs `ps -el` inside the container: in a container
 * that shares the host's PID namespace that lists the host's processes, the host's sshd among them where it runs one,
 * so such a container fails here on any source.
 */
export const noSshd = defineRule({
  id: 'no-sshd',
  title: 'No sshd runs in the container',
  cis: ['5.7'],
  severity: Severity.WARNING,
  rationale: 'An SSH daemon in a container is a second way in with its own keys, users and patches to keep, and it bypasses `docker exec` and its audit trail. A container in the host\'s PID namespace has the host\'s sshd in its process table (the CIS audit, `ps` in the container, lists it) and can signal it.',
  remediation: 'Do not run sshd in containers: use `docker exec` (or a debug container) for access, and remove `pid_mode = "host"`. Checked on a live engine by `hardened-docker audit`, which reads the running processes.',
  composeRemediation: 'Do not run sshd in containers: use `docker compose exec` for access, and remove `pid: host`.',
}, (spec) => {
  const unknown = unknownIf(spec, ['pidMode'], 'pid_mode');
  if (unknown) return unknown;
  if (spec.pidMode?.trim().toLowerCase() === 'host') {
    return Results.fail('pid_mode = "host": the host\'s processes, its sshd among them where it runs one, are in the container\'s process table');
  }
  if (isUnknown(spec, 'processes')) {
    return Results.unknown('the container runs but its processes could not be read (`docker top` failed): whether an sshd runs in it is not known');
  }
  if (spec.processes === undefined) {
    return Results.notApplicable(capabilitiesOf(spec).live
      ? 'not running: no processes to read'
      : 'a process inside the running container: `hardened-docker audit` checks it on the live engine');
  }
  const sshd = spec.processes.filter((p) => SSHD.test(p.trim()));
  if (sshd.length) return Results.fail(`sshd runs in the container: ${sshd.join('; ')}`);
  return Results.pass();
});
