import { canExpress, capabilitiesOf } from '../../spec/source-capabilities';
import { defineRule } from '../define';
import { PROVIDER, unknownIf } from '../helpers';
import { Results, Severity } from '../rule';

export const noHostCgroupns = defineRule({
  id: 'no-host-cgroupns',
  title: 'The host\'s cgroup namespace is not shared',
  severity: Severity.WARNING,
  rationale: 'In the host\'s cgroup namespace a container sees the host\'s whole cgroup tree (/proc/self/cgroup names host paths) instead of being rooted at its own cgroup; with any write access to a cgroup filesystem (SYS_ADMIN, a writable /sys/fs/cgroup) that is the ground of the release_agent escape (CVE-2022-0492). Alone it discloses rather than escapes, hence a warning, and CIS 1.6.0 has no item for it. Docker\'s default is `private` on cgroup v2 hosts and `host` on cgroup v1 hosts, where a live container shows `host` unless it asked for `private`.',
  remediation: 'Remove `cgroupns_mode = "host"`, or set `cgroupns_mode = "private"` (which also holds on cgroup v1 hosts, whose default is host). docker_service: ' + PROVIDER + ' has no cgroup namespace setting for services (nor has Swarm), so each task takes its node\'s daemon default; set `"default-cgroupns-mode": "private"` in every Swarm node\'s daemon.json and suppress this rule with that reason (SecureService: `serviceOptOuts.swarmLimits`).',
  composeRemediation: 'Remove `cgroup: host`, or set `cgroup: private`.',
}, (spec) => {
  if (!canExpress(spec, 'cgroupnsMode')) {
    // A live service: each of its task containers is audited with the mode its node gave it.
    if (capabilitiesOf(spec).live) return Results.pass('a Swarm service has no cgroup namespace setting; its task containers are audited with the namespace each node gave them');
    return Results.fail(`${PROVIDER} cannot set a cgroup namespace on docker_service (nor can Swarm): each task takes its node's daemon default, the host's on a cgroup v1 node; set "default-cgroupns-mode": "private" in every node's daemon.json`);
  }
  const unknown = unknownIf(spec, ['cgroupnsMode'], 'cgroupns_mode');
  if (unknown) return unknown;
  if (spec.cgroupnsMode?.trim().toLowerCase() === 'host') return Results.fail(`cgroupns_mode = "${spec.cgroupnsMode}"`);
  return Results.pass();
});
