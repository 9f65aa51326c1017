import { defineRule } from '../define';
import { unknownIf } from '../helpers';
import { Results, Severity } from '../rule';

export const noHostDevices = defineRule({
  id: 'no-host-devices',
  title: 'No host device is exposed to the container',
  cis: ['5.18'],
  severity: Severity.ERROR,
  rationale: 'A host device in the container (a disk, /dev/mem, a GPU, /dev/kvm) is reached below every isolation layer: with `rwm` a container can read raw disks or kernel memory.',
  remediation: 'Remove the `devices` blocks. If a workload needs one (a GPU, /dev/fuse), grant the narrowest permissions (`permissions = "r"`) and suppress this rule on that construct with the reason.',
}, (spec) => {
  const unknown = unknownIf(spec, ['devices'], 'devices');
  if (unknown) return unknown;
  const devices = spec.devices ?? [];
  if (devices.length) {
    return Results.fail(`host devices exposed: ${devices.map((d) => `${d.hostPath}${d.containerPath && d.containerPath !== d.hostPath ? ` -> ${d.containerPath}` : ''} (${d.permissions ?? 'rwm'})`).join(', ')}`);
  }
  return Results.pass();
});
