import { ResourceKind } from '../../spec/container-spec';
import { defineRule } from '../define';
import { unknownIf } from '../helpers';
import { Results, Severity } from '../rule';

function positive(n: number | undefined): boolean {
  return n !== undefined && n > 0;
}

export const cpuLimit = defineRule({
  id: 'cpu-limit',
  title: 'CPU is weighted and capped',
  cis: ['5.12'],
  severity: Severity.WARNING,
  rationale: 'Without CPU shares a container competes at full weight, and without a quota it can use every core: one busy or compromised container starves the rest. The CIS reference check reads CpuShares and NanoCpus, so a quota alone (cpu_period/cpu_quota, which the engine keeps in CpuQuota) does not satisfy it; this rule asks for both a weight and a cap, stricter than the reference.',
  remediation: 'docker_container: set `cpu_shares` (e.g. 512) and a cap through `cpu_period` + `cpu_quota` (100000/50000 = half a CPU); never `cpus` (provider 3.6.2 panics on it). HardenedContainer sets `cpuShares` and `cpuLimit`. docker_service: `task_spec.resources.limits.nano_cpus`.',
  composeRemediation: 'Set `cpus: "0.5"` (or `deploy.resources.limits.cpus: "0.5"`).',
}, (spec) => {
  const unknown = unknownIf(spec, ['cpuShares', 'cpuQuota', 'cpuPeriod', 'nanoCpus'], 'the CPU settings');
  if (unknown) return unknown;
  if (spec.kind === ResourceKind.SERVICE) {
    if (positive(spec.nanoCpus)) return Results.pass();
    return Results.fail('task_spec.resources.limits.nano_cpus is not set: no CPU limit');
  }
  const weighted = positive(spec.cpuShares) || positive(spec.nanoCpus);
  const capped = positive(spec.cpuQuota) || positive(spec.nanoCpus);
  if (weighted && capped) return Results.pass();
  if (!weighted && !capped) return Results.fail('neither cpu_shares nor a CPU quota is set');
  if (!weighted) return Results.fail(`cpu_quota = ${spec.cpuQuota} caps the CPU, but cpu_shares is not set (the CIS check reads CpuShares/NanoCpus)`);
  return Results.fail(`cpu_shares = ${spec.cpuShares} weights the CPU, but nothing caps it: set cpu_period and cpu_quota`);
});
