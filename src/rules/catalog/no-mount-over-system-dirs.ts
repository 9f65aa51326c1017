import { normalizeAbsolutePath, SYSTEM_DIRS, systemDirCoveredBy } from '../../spec/docker-facts';
import { defineRule } from '../define';
import { attributeUnknown, judgeList, unknownResult } from '../helpers';
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
  composeRemediation: 'Mount below a directory of its own (`- ./config:/etc/app:ro`, not over `/etc`), or make the mount read-only (`:ro`, or `read_only: true` in the long syntax).',
}, (spec) => {
  // Item by item: a literal writable mount over /etc fails whatever its unknown siblings are.
  const mounts = judgeList(spec, 'mounts', spec.mounts, (m) => {
    if (m.readOnly === true) return false;
    if (attributeUnknown(m, 'target') || m.target.includes('${')) return undefined;
    const target = normalizeAbsolutePath(m.target);
    if (target === undefined || systemDirCoveredBy(target) === undefined) return false;
    return attributeUnknown(m, 'readOnly') ? undefined : true;
  });
  // tmpfs mounts from `mounts` blocks were judged above; these come from the `tmpfs` map.
  const tmpfs = judgeList(spec, 'tmpfs', spec.tmpfs, (t) => {
    if (t.fromMount === true) return false;
    if (attributeUnknown(t, 'path') || t.path.includes('${')) return undefined;
    const path = normalizeAbsolutePath(t.path);
    if (path === undefined || systemDirCoveredBy(path) === undefined) return false;
    if (attributeUnknown(t, 'options')) return undefined;
    return !readOnlyOptions(t.options);
  });
  const bad = [
    ...mounts.failing.map((m) => `${m.source ?? m.type} -> ${m.target}`),
    ...tmpfs.failing.map((t) => `tmpfs ${t.path}`),
  ];
  if (bad.length) return Results.fail(`writable mount over a system directory: ${bad.join(', ')}`);
  if (mounts.undecided || tmpfs.undecided) {
    const written = [...(spec.mounts ?? []).map((m) => m.target), ...(spec.tmpfs ?? []).map((t) => t.path)].filter((p) => p.includes('${'));
    if (written.length) return Results.unknown(`a writable mount path is only known after apply: ${written.join(', ')}`);
    return unknownResult(spec, ['mounts', 'tmpfs'], 'a writable mount path of volumes/mounts/tmpfs');
  }
  return Results.pass();
});
