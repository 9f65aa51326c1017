import { defineRule } from '../define';
import { unknownIf } from '../helpers';
import { Results, Severity } from '../rule';

export const noHostCgroupns = defineRule({
  id: 'no-host-cgroupns',
  title: 'The host\'s cgroup namespace is not shared',
  severity: Severity.WARNING,
  rationale: 'In the host\'s cgroup namespace a container sees the host\'s whole cgroup tree (/proc/self/cgroup names host paths) instead of being rooted at its own cgroup; with any write access to a cgroup filesystem (SYS_ADMIN, a writable /sys/fs/cgroup) that is the ground of the release_agent escape (CVE-2022-0492). Alone it discloses rather than escapes, hence a warning, and CIS 1.6.0 has no item for it. Docker\'s default is `private` on cgroup v2 hosts and `host` on cgroup v1 hosts, where a live container shows `host` unless it asked for `private`.',
  remediation: 'Remove `cgroupns_mode = "host"`, or set `cgroupns_mode = "private"` (which also holds on cgroup v1 hosts, whose default is host). docker_service: provider 3.6.2 has no cgroup namespace setting.',
  composeRemediation: 'Remove `cgroup: host`, or set `cgroup: private`.',
}, (spec) => {
  const unknown = unknownIf(spec, ['cgroupnsMode'], 'cgroupns_mode');
  if (unknown) return unknown;
  if (spec.cgroupnsMode?.trim().toLowerCase() === 'host') return Results.fail(`cgroupns_mode = "${spec.cgroupnsMode}"`);
  return Results.pass();
});
