import { defineRule } from '../define';
import { unknownIf } from '../helpers';
import { ProfileLevel, Results, Severity } from '../rule';

/**
 * True when a `user` value runs the container as root: empty (the image's user, root for most images), `root`,
 * or a numeric UID of 0 (`0`, `00`), whatever the group (`0:0`, `root:root`, `0:1000`).
 */
export function isRootUser(user: string | undefined): boolean {
  if (user === undefined) return true;
  const name = user.trim().split(':')[0].trim();
  if (name === '' || name === 'root') return true;
  return /^\d+$/.test(name) && Number(name) === 0;
}

export const nonRootUser = defineRule({
  id: 'non-root-user',
  title: 'The container runs as a non-root user',
  cis: ['4.1'],
  severity: Severity.ERROR,
  level: ProfileLevel.RESTRICTED,
  rationale: 'Without user namespace remapping, UID 0 in a container is UID 0 on the host: any escape (a kernel bug, a mounted socket, a writable host path) lands as root. An unset user means the image\'s user, which is root for most images.',
  remediation: 'Set `user` to a numeric non-zero UID and GID (`user = "10001:10001"`; on docker_service `task_spec.container_spec.user`). HardenedContainer sets `10001:10001` unless the `user` prop says otherwise; the image must not need root.',
  composeRemediation: 'Run as a numeric non-zero UID and GID: `user: "10001:10001"`; the image must not need root.',
}, (spec) => {
  const unknown = unknownIf(spec, ['user'], 'user');
  if (unknown) return unknown;
  if (spec.user === undefined || spec.user.trim() === '') return Results.fail('user is not set: the image\'s user runs, root for most images');
  if (isRootUser(spec.user)) return Results.fail(`user = "${spec.user}" is root`);
  return Results.pass();
});
