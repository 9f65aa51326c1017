import { canExpress } from '../../spec/source-capabilities';
import { defineRule } from '../define';
import { PROVIDER, unknownResult, unlistedItems } from '../helpers';
import { Results, Severity } from '../rule';

export const ulimitsSet = defineRule({
  id: 'ulimits-set',
  title: 'Ulimits are set for the container',
  cis: ['5.19'],
  severity: Severity.INFO,
  rationale: 'Without ulimits the container inherits the daemon\'s defaults, often very high (nofile 1048576): a leak or an attack exhausts file descriptors or processes. An `nproc` ulimit under a dedicated UID is also the stand-in for the PIDs limit provider 3.6.2 cannot set (CIS 5.29).',
  remediation: 'Add `ulimit` blocks (`ulimit { name = "nofile", soft = 1024, hard = 1024 }`, `ulimit { name = "nproc", ... }`); HardenedContainer sets `maxOpenFiles` and `maxProcesses`. docker_service: ' + PROVIDER + ' cannot set ulimits for services; set `default-ulimits` in the daemon configuration.',
  composeRemediation: 'Set `ulimits:` (`ulimits: { nofile: { soft: 1024, hard: 1024 }, nproc: 512 }`).',
}, (spec) => {
  if (!canExpress(spec, 'ulimits')) return Results.fail(`${PROVIDER} cannot set ulimits on docker_service: the daemon's defaults apply`);
  // One listed ulimit settles it, whatever the unknown ones are.
  if ((spec.ulimits ?? []).length) return Results.pass();
  if (unlistedItems(spec, 'ulimits')) return unknownResult(spec, ['ulimits'], 'ulimit');
  return Results.fail('no ulimit set: the daemon\'s defaults apply');
});
