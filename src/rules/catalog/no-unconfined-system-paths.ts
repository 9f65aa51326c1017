import { UNCONFINED_SYSTEM_PATHS_OPTION } from '../../spec/docker-facts';
import { capabilitiesOf } from '../../spec/source-capabilities';
import { defineRule } from '../define';
import { parsedSecurityOpts, unknownResult, unlistedItems } from '../helpers';
import { ProfileLevel, Results, Severity } from '../rule';

export const noUnconfinedSystemPaths = defineRule({
  id: 'no-unconfined-system-paths',
  title: '/proc and /sys stay masked and read-only (no systempaths=unconfined)',
  severity: Severity.ERROR,
  level: ProfileLevel.BASELINE,
  rationale: 'Docker masks /proc/kcore, /proc/keys, /proc/timer_list, /sys/firmware and more, and mounts /proc/sys, /proc/sysrq-trigger, /proc/irq and /proc/bus read-only. `systempaths=unconfined` removes both lists: the container reads kernel memory layout and keys, and with the right capability writes kernel parameters for the whole host. The engine shows it as empty MaskedPaths and ReadonlyPaths (the docker CLI and provider 3.8+ translate the option; provider 3.6.2 passes it raw).',
  remediation: 'Remove `systempaths=unconfined` from `security_opts`. If one kernel file must be readable, bind that file read-only instead. HardenedContainer writes the option only with the `unconfinedSystemPaths` opt-out and its reason.',
  composeRemediation: 'Remove `systempaths=unconfined` from `security_opt:`; if one kernel file must be readable, bind that file read-only instead.',
}, (spec) => {
  // A listed option fails whatever the unknown ones are.
  const opt = parsedSecurityOpts(spec).find((o) => o.key === 'systempaths' && (o.value ?? '').toLowerCase() === 'unconfined');
  if (opt === undefined) {
    return unlistedItems(spec, 'securityOpts') ? unknownResult(spec, ['securityOpts'], 'security_opts') : Results.pass();
  }
  if (capabilitiesOf(spec).live) {
    return Results.fail(`${UNCONFINED_SYSTEM_PATHS_OPTION}: the engine reports empty MaskedPaths or ReadonlyPaths, so /proc and /sys are neither masked nor read-only`);
  }
  return Results.fail(`security_opts has "${opt.raw}": /proc and /sys are neither masked nor read-only`);
});
