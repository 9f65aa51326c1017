import { isUnknown } from '../../spec/fields';
import { defineRule } from '../define';
import { attributeUnknown, unknownResult, unlistedItems } from '../helpers';
import { ProfileLevel, Results, Severity } from '../rule';

export const noHostDevices = defineRule({
  id: 'no-host-devices',
  title: 'No host device is exposed to the container',
  cis: ['5.18'],
  severity: Severity.ERROR,
  level: ProfileLevel.BASELINE,
  rationale: 'A host device in the container (a disk, /dev/mem, a GPU, /dev/kvm) is reached below every isolation layer: with `rwm` a container can read raw disks or kernel memory. `gpus` hands the host\'s GPU devices (/dev/nvidia*) and driver libraries to the container through the NVIDIA container toolkit, whose hooks have let containers escape (CVE-2024-0132): the same CIS 5.18 exposure, through another attribute.',
  remediation: 'Remove the `devices` blocks and `gpus`. If a workload needs one (a GPU, /dev/fuse), grant the narrowest permissions (`permissions = "r"`) and suppress this rule on that construct with the reason.',
  composeRemediation: 'Remove `devices:`, `gpus:` and device reservations; if the service needs one (a GPU, /dev/fuse), grant the narrowest permissions (`- /dev/fuse:/dev/fuse:r`) and suppress this rule on the service with the reason.',
}, (spec) => {
  const devices = spec.devices ?? [];
  const exposed = devices.map((d) => attributeUnknown(d, 'hostPath') ? '<unknown host path>'
    : `${d.hostPath}${d.containerPath && d.containerPath !== d.hostPath ? ` -> ${d.containerPath}` : ''} (${d.permissions ?? 'rwm'})`);
  const gpus = isUnknown(spec, 'gpus') ? undefined : spec.gpus?.trim();
  if (gpus) exposed.push(`gpus = "${spec.gpus}" (the host's GPU devices)`);
  if (exposed.length) return Results.fail(`host devices exposed: ${exposed.join(', ')}`);
  if (unlistedItems(spec, 'devices') || isUnknown(spec, 'gpus')) return unknownResult(spec, ['devices', 'gpus'], 'devices/gpus', true);
  return Results.pass();
});
