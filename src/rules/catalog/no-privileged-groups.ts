import { isUnknown } from '../../spec/fields';
import { defineRule } from '../define';
import { judgeList, unknownResult } from '../helpers';
import { Results, Severity } from '../rule';

/**
 * Groups whose membership is a way to root or to the host: root (GID 0, the only GID that is the same on every
 * distribution), docker (the daemon's socket), disk and kmem (raw disks and kernel memory through device nodes),
 * shadow (password hashes), sudo, wheel and admin (sudo to root where the image ships it). Numeric GIDs other than 0
 * name different groups on different images, so only 0 is judged by number.
 */
export const PRIVILEGED_GROUPS: readonly string[] = ['root', 'docker', 'disk', 'kmem', 'shadow', 'sudo', 'wheel', 'admin'];

/** True when a group name or GID is privileged (`root`, `0`, `00`, `docker`, ...). */
export function isPrivilegedGroup(group: string): boolean {
  const g = group.trim().toLowerCase();
  if (/^\d+$/.test(g)) return Number(g) === 0;
  return PRIVILEGED_GROUPS.includes(g);
}

export const noPrivilegedGroups = defineRule({
  id: 'no-privileged-groups',
  title: 'The container\'s user is not in a privileged group (root/0, docker, disk, sudo, ...)',
  cis: ['4.1'],
  severity: Severity.WARNING,
  rationale: 'A non-root user in group 0 still opens every file the image or a bind mount leaves group-root writable (many images do, for OpenShift), and the daemon socket, /dev disks, kernel memory, /etc/shadow and sudo each have a group that opens them: `group_add = ["docker"]` beside a socket mount is daemon control, `disk` beside a device is the raw disk. CIS 4.1 asks for an unprivileged user; such a group gives back part of what that took away. A warning: what the group opens depends on the image and the mounts, and a group is not a capability.',
  remediation: 'Remove `root`, `0`, `docker`, `disk`, `kmem`, `shadow`, `sudo`, `wheel` and `admin` from `group_add` (docker_service: `task_spec.container_spec.groups`) and give the user a primary group of its own (`user = "10001:10001"`, not `10001:0`). For a file the workload must share, give it a group made for that purpose.',
  composeRemediation: 'Remove `root`, `0`, `docker`, `disk`, `kmem`, `shadow`, `sudo`, `wheel` and `admin` from `group_add:` and give the user a primary group of its own (`user: "10001:10001"`, not `10001:0`).',
}, (spec) => {
  // The primary group of `user` (`1000:0`, `app:root`).
  const user = isUnknown(spec, 'user') ? undefined : spec.user;
  const primary = user !== undefined && user.includes(':') ? user.slice(user.indexOf(':') + 1) : undefined;
  const { failing, undecided } = judgeList(spec, 'groupAdd', spec.groupAdd, isPrivilegedGroup);
  const bad = failing.map((g) => `group_add "${g}"`);
  if (primary !== undefined && isPrivilegedGroup(primary)) bad.unshift(`user = "${user}" (primary group ${primary})`);
  if (bad.length) return Results.fail(`privileged group: ${bad.join(', ')}`);
  if (undecided) return unknownResult(spec, ['groupAdd'], 'group_add');
  if (isUnknown(spec, 'user')) return unknownResult(spec, ['user'], 'user');
  return Results.pass();
});
