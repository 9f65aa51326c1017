import { defineRule } from '../define';
import { attributeUnknown, judgeList, normalizeHostPath, unknownResult } from '../helpers';
import { mountEnd } from '../mount-items';
import { ProfileLevel, Results, Severity } from '../rule';

/** Host directories that hold the daemon's socket: binding one exposes it as surely as binding the socket. */
const SOCKET_DIRS = ['/run', '/var/run', '/run/docker', '/var/run/docker'];

export const noDockerSocket = defineRule({
  id: 'no-docker-socket',
  title: 'The Docker socket is not mounted into the container',
  cis: ['5.32'],
  severity: Severity.ERROR,
  level: ProfileLevel.BASELINE,
  rationale: 'Whoever reaches the Docker socket controls the daemon: it can start a privileged container with the host\'s root filesystem mounted, which is root on the host. Read-only does not help (the API is a socket, not a file). Flagged: `docker.sock` in a mount\'s source or target (as the reference check), and binding /run or /var/run, which hold the socket.',
  remediation: 'Remove the `volumes`/`mounts` entry whose host path is `/var/run/docker.sock` (or `/run`, `/var/run`). A workload that must drive Docker should talk to a filtering proxy that allows only the calls it needs, never the socket itself.',
  composeRemediation: 'Remove the `volumes:` entry whose source is `/var/run/docker.sock` (or `/run`, `/var/run`). A workload that must drive Docker should talk to a filtering proxy that allows only the calls it needs, never the socket itself.',
}, (spec) => {
  const { failing, undecided } = judgeList(spec, 'mounts', spec.mounts, (m) => {
    const sourceUnknown = attributeUnknown(m, 'source');
    // As the reference check: docker.sock anywhere in the mount, source or target, whatever its type.
    // (Source and target read apart: "docker.sock" holds no space, so it cannot span the two.)
    if ((!sourceUnknown && typeof m.source === 'string' && m.source.toLowerCase().includes('docker.sock'))
      || (!attributeUnknown(m, 'target') && typeof m.target === 'string' && m.target.toLowerCase().includes('docker.sock'))) return true;
    const typeUnknown = attributeUnknown(m, 'type');
    // A named volume, a tmpfs or volumes-from is not a host path, whatever its (unknown) name.
    if (m.type !== 'bind' && !typeUnknown) return false;
    if (sourceUnknown) return undefined;
    const path = normalizeHostPath(m.source);
    if (path === undefined || !SOCKET_DIRS.includes(path)) return false;
    return typeUnknown ? undefined : true;
  });
  if (failing.length) return Results.fail(`Docker socket mounted: ${failing.map((m) => `${mountEnd(m, 'source', m.source)} -> ${mountEnd(m, 'target', m.target)}`).join(', ')}`);
  if (undecided) return unknownResult(spec, ['mounts'], 'a host path of volumes/mounts');
  return Results.pass();
});
