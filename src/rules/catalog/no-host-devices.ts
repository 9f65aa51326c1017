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
  rationale: 'A host device in the container (a disk, /dev/mem, a GPU, /dev/kvm) is reached below every isolation layer: with `rwm` a container can read raw disks or kernel memory. `gpus` hands the host\'s GPU devices (/dev/nvidia*) and driver libraries to the container through the NVIDIA container toolkit, whose hooks have let containers escape (CVE-2024-0132): the same CIS 5.18 exposure, through another attribute. A device cgroup rule that grants read or write (compose `device_cgroup_rules: ["b *:* rwm"]`, the engine\'s DeviceCgroupRules) does the same without naming a device: any device node the container can create or is given becomes usable.',
  remediation: 'Remove the `devices` blocks and `gpus`. If a workload needs one (a GPU, /dev/fuse), grant the narrowest permissions (`permissions = "r"`) and suppress this rule on that construct with the reason.',
  composeRemediation: 'Remove `devices:`, `gpus:` and device reservations; if the service needs one (a GPU, /dev/fuse), grant the narrowest permissions (`- /dev/fuse:/dev/fuse:r`) and suppress this rule on the service with the reason. Remove `device_cgroup_rules:` entries that grant `r` or `w`.',
}, (spec) => {
  const devices = spec.devices ?? [];
  const exposed = devices.map((d) => attributeUnknown(d, 'hostPath') ? '<unknown host path>'
    : `${d.hostPath}${d.containerPath && d.containerPath !== d.hostPath ? ` -> ${d.containerPath}` : ''} (${d.permissions ?? 'rwm'})`);
  const gpus = isUnknown(spec, 'gpus') ? undefined : spec.gpus?.trim();
  if (gpus) exposed.push(`gpus = "${spec.gpus}" (the host's GPU devices)`);
  for (const rule of spec.deviceCgroupRules ?? []) {
    const granted = devicesGranted(rule);
    if (granted !== undefined) exposed.push(`device_cgroup_rules has "${rule}" (${granted})`);
  }
  if (exposed.length) return Results.fail(`host devices exposed: ${exposed.join(', ')}`);
  if (unlistedItems(spec, 'devices') || isUnknown(spec, 'gpus') || unlistedItems(spec, 'deviceCgroupRules')) {
    return unknownResult(spec, ['devices', 'gpus', 'deviceCgroupRules'], 'devices/gpus/device_cgroup_rules', true);
  }
  return Results.pass();
});

/**
 * What a device cgroup rule (`<type> <major>:<minor> <access>`, as the daemon parses it) lets the container use, or
 * undefined when it grants no use: access `m` alone (a node, neither read nor write), or a rule the daemon refuses.
 * With CAP_MKNOD, a default capability, the container can create the node of any device a rule allows.
 */
function devicesGranted(rule: string): string | undefined {
  const m = /^([acb]) (\d+|\*):(\d+|\*) ([rwm]{1,3})$/.exec(rule.trim());
  if (!m || !/[rw]/.test(m[4])) return undefined;
  const kind = m[1] === 'b' ? 'block device' : 'character device';
  const which = m[1] === 'a' ? 'every device' : m[2] === '*' && m[3] === '*' ? `every ${kind}` : `the ${kind}s ${m[2]}:${m[3]}`;
  const use = m[4].includes('r') && m[4].includes('w') ? 'read and written' : m[4].includes('r') ? 'read' : 'written';
  return `${which} of the host, ${use} through a node the container has or creates`;
}
