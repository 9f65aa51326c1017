import { ResourceKind } from '../../spec/container-spec';
import { canExpress, settingName } from '../../spec/source-capabilities';
import { defineRule } from '../define';
import { PROVIDER, unknownIf } from '../helpers';
import { Results, Severity } from '../rule';

export const pidsLimit = defineRule({
  id: 'pids-limit',
  title: 'The number of processes is limited (PIDs cgroup)',
  cis: ['5.29'],
  severity: Severity.WARNING,
  rationale: 'Without a PIDs limit a fork bomb in one container exhausts the host\'s process table.',
  remediation: 'Provider kreuzwerker/docker 3.6.2 has no `pids_limit` (nor does docker_service), so CIS 5.29 cannot be met through Terraform. Compose: `pids_limit: 256` (or `deploy.resources.limits.pids`). Stand-in: an `nproc` ulimit under a UID dedicated to this container (RLIMIT_NPROC counts every process of that UID on the host); HardenedContainer sets one. Or set `default-pids-limit` in the daemon configuration.',
  composeRemediation: 'Set `pids_limit: 100` (or `deploy.resources.limits.pids: 100`).',
}, (spec) => {
  if (canExpress(spec, 'pidsLimit')) {
    const setting = settingName(spec, 'pidsLimit');
    const unknown = unknownIf(spec, ['pidsLimit'], setting);
    if (unknown) return unknown;
    if (spec.pidsLimit !== undefined && spec.pidsLimit > 0) return Results.pass();
    return Results.fail(`${setting} is ${spec.pidsLimit ?? 'not set'}`);
  }
  if (spec.kind === ResourceKind.SERVICE) {
    return Results.fail(`${PROVIDER} cannot set a PIDs limit on docker_service (no pids_limit, and no ulimits for services to stand in): set default-pids-limit in each node's daemon.json.`);
  }
  const nproc = spec.ulimits?.find((u) => u.name.trim().toLowerCase() === 'nproc');
  const standIn = nproc
    ? ` An nproc ulimit (${nproc.soft}/${nproc.hard}) stands in, per UID.`
    : ' Stand-in: an nproc ulimit under a dedicated UID.';
  return Results.fail(`${PROVIDER} cannot set a PIDs limit on docker_container (no pids_limit).${standIn}`);
});
