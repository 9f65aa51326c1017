import { defineRule } from '../define';
import { normalizeHostPath, unknownIf } from '../helpers';
import { Results, Severity } from '../rule';

/** The container's own system directories: the CIS 5.6 list, which the reference check also matches on the target side. */
const SYSTEM_DIRS = ['/', '/boot', '/dev', '/etc', '/lib', '/proc', '/sys', '/usr'];

export const noMountOverSystemDirs = defineRule({
  id: 'no-mount-over-system-dirs',
  title: 'No writable mount replaces a system directory of the container (/etc, /usr, ...)',
  cis: ['5.6'],
  severity: Severity.WARNING,
  rationale: 'A read-write volume or bind mounted over the container\'s own /etc, /usr, /lib (or /boot, /dev, /proc, /sys) replaces the image\'s system files with writable ones: what a read-only root filesystem protects becomes writable again, and whatever writes there decides what runs. The CIS reference check matches these paths on either side of a read-write mount, so it flags this too.',
  remediation: 'Mount configuration and data below a directory of their own (`container_path = "/etc/app"`, not `/etc`), or make the mount read-only (`read_only = true` on the `volumes`/`mounts` block).',
}, (spec) => {
  const unknown = unknownIf(spec, ['mounts'], 'volumes/mounts');
  if (unknown) return unknown;
  const bad = (spec.mounts ?? []).filter((m) => {
    const target = normalizeHostPath(m.target);
    return m.readOnly !== true && target !== undefined && SYSTEM_DIRS.includes(target);
  });
  if (bad.length) return Results.fail(`writable mount over a system directory: ${bad.map((m) => `${m.source ?? m.type} -> ${m.target}`).join(', ')}`);
  return Results.pass();
});
