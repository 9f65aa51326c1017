import { defineRule } from '../define';
import { unknownIf } from '../helpers';
import { ProfileLevel, Results, Severity } from '../rule';

export const noHostPid = defineRule({
  id: 'no-host-pid',
  title: 'The host\'s PID namespace is not shared',
  cis: ['5.16'],
  severity: Severity.ERROR,
  level: ProfileLevel.BASELINE,
  rationale: 'With the host PID namespace a container sees and signals every process of the host, reads their environment and command lines through /proc, and with SYS_PTRACE attaches to them.',
  remediation: 'Remove `pid_mode = "host"`. docker_service cannot set it in provider 3.6.2 (always private).',
  composeRemediation: 'Remove `pid: host`.',
}, (spec) => {
  const unknown = unknownIf(spec, ['pidMode'], 'pid_mode');
  if (unknown) return unknown;
  if (spec.pidMode?.trim().toLowerCase() === 'host') return Results.fail('pid_mode = "host"');
  return Results.pass();
});
