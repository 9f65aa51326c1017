import { defineRule } from '../define';
import { normalizeCapability, unknownResult, unlistedItems } from '../helpers';
import { ProfileLevel, Results, Severity } from '../rule';

export const dropAllCapabilities = defineRule({
  id: 'drop-all-capabilities',
  title: 'All capabilities are dropped (cap_drop ALL), then only the needed ones added',
  severity: Severity.WARNING,
  level: ProfileLevel.RESTRICTED,
  rationale: 'Docker\'s default set still grants 14 capabilities (CHOWN, DAC_OVERRIDE, FOWNER, SETUID, NET_RAW, MKNOD, ...) that most services never use and that turn a foothold into more. Dropping ALL and adding back the few needed is the Kubernetes restricted standard.',
  remediation: 'docker_container: `capabilities { drop = ["ALL"], add = [...] }`; docker_service: `task_spec.container_spec.cap_drop = ["ALL"]`. HardenedContainer drops ALL and adds only `addCapabilities`.',
  composeRemediation: 'Set `cap_drop: [ALL]` and add back only what the service needs under `cap_add:`.',
}, (spec) => {
  const drop = spec.capDrop ?? [];
  // ALL dropped is settled by the known items, whatever the unknown ones are.
  if (drop.some((c) => normalizeCapability(c) === 'ALL')) return Results.pass();
  if (unlistedItems(spec, 'capDrop')) return unknownResult(spec, ['capDrop'], 'capabilities.drop');
  return Results.fail(drop.length ? `capabilities.drop = [${drop.join(', ')}] does not drop ALL` : 'no capability is dropped');
});
