import { ResourceKind, SpecSource } from '../../spec/container-spec';
import { defineRule } from '../define';
import { Results, Severity } from '../rule';

export const pidsLimit = defineRule({
  id: 'pids-limit',
  title: 'The number of processes is limited (PIDs cgroup)',
  cis: ['5.29'],
  severity: Severity.WARNING,
  rationale: 'Without a PIDs limit a fork bomb in one container exhausts the host\'s process table.',
  remediation: 'Provider kreuzwerker/docker 3.6.2 has no `pids_limit` (nor does docker_service), so CIS 5.29 cannot be met through Terraform. Stand-in: an `nproc` ulimit under a UID dedicated to this container (RLIMIT_NPROC counts every process of that UID on the host); HardenedContainer sets one. Or set `default-pids-limit` in the daemon configuration.',
}, (spec) => {
  if (spec.source === SpecSource.ENGINE) {
    if (spec.pidsLimit !== undefined && spec.pidsLimit > 0) return Results.pass();
    return Results.fail(`PidsLimit is ${spec.pidsLimit ?? 'not set'}`);
  }
  const nproc = spec.ulimits?.find((u) => u.name === 'nproc');
  const standIn = spec.kind === ResourceKind.CONTAINER && nproc
    ? ` An nproc ulimit (${nproc.soft}/${nproc.hard}) stands in, per UID.`
    : '';
  return Results.fail(`provider 3.6.2 cannot set a PIDs limit on ${spec.kind}.${standIn}`);
});
