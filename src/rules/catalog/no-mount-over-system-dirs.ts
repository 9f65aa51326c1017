import { defineRule } from '../define';
import { normalizeAbsolutePath, SYSTEM_DIRS, systemDirCoveredBy } from '../docker-facts';
import { unknownIf } from '../helpers';
import { Results, Severity } from '../rule';

/** True when a tmpfs option list mounts it read-only (`ro`); a tmpfs is writable otherwise. */
function readOnlyOptions(options: string | undefined): boolean {
  return (options ?? '').split(',').some((o) => o.trim() === 'ro');
}

export const noMountOverSystemDirs = defineRule({
  id: 'no-mount-over-system-dirs',
  title: 'No writable mount or tmpfs replaces a system directory of the container (/etc, /usr, ...)',
  cis: ['5.6'],
  severity: Severity.WARNING,
  rationale: `A read-write volume, bind or tmpfs mounted over the container's own /etc, /usr, /lib (or /boot, /dev, /proc, /sys, ...) replaces the image's system files with writable ones: what a read-only root filesystem protects becomes writable again, and whatever writes there decides what runs. A mount at a directory above one (\`/\`, \`/var/lib\`) hides it too. Checked: ${SYSTEM_DIRS.join(' ')}. The CIS reference check matches these paths on either side of a read-write mount, so it flags this too.`,
  remediation: 'Mount configuration and data below a directory of their own (`container_path = "/etc/app"`, `tmpfs = { "/var/cache/app" = "..." }`, not `/etc`), or make the mount read-only (`read_only = true` on the `volumes`/`mounts` block).',
}, (spec) => {
  const unknown = unknownIf(spec, ['mounts', 'tmpfs'], 'volumes/mounts/tmpfs');
  if (unknown) return unknown;
  const bad: string[] = [];
  const later: string[] = [];
  for (const m of spec.mounts ?? []) {
    if (m.readOnly === true) continue;
    if (m.target.includes('${')) later.push(m.target);
    const target = normalizeAbsolutePath(m.target);
    if (target !== undefined && systemDirCoveredBy(target) !== undefined) bad.push(`${m.source ?? m.type} -> ${m.target}`);
  }
  // tmpfs mounts from `mounts` blocks were read above; these come from the `tmpfs` map.
  for (const t of spec.tmpfs ?? []) {
    if (t.fromMount === true || readOnlyOptions(t.options)) continue;
    if (t.path.includes('${')) later.push(t.path);
    const path = normalizeAbsolutePath(t.path);
    if (path !== undefined && systemDirCoveredBy(path) !== undefined) bad.push(`tmpfs ${t.path}`);
  }
  if (bad.length) return Results.fail(`writable mount over a system directory: ${bad.join(', ')}`);
  if (later.length) return Results.unknown(`a writable mount path is only known after apply: ${later.join(', ')}`);
  return Results.pass();
});
