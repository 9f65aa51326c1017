import { defineRule } from '../define';
import { unknownIf } from '../helpers';
import { ProfileLevel, Results, Severity } from '../rule';

export const noHostIpc = defineRule({
  id: 'no-host-ipc',
  title: 'The host\'s IPC namespace is not shared',
  cis: ['5.17'],
  severity: Severity.ERROR,
  level: ProfileLevel.BASELINE,
  rationale: 'With the host IPC namespace a container shares the host\'s System V shared memory, semaphores and message queues: it can read or corrupt the shared memory of host processes.',
  remediation: 'Remove `ipc_mode = "host"` (use `private` or `shareable`). docker_service cannot set it in provider 3.6.2.',
  composeRemediation: 'Remove `ipc: host` (or set `ipc: private` or `shareable`).',
}, (spec) => {
  const unknown = unknownIf(spec, ['ipcMode'], 'ipc_mode');
  if (unknown) return unknown;
  if (spec.ipcMode?.trim().toLowerCase() === 'host') return Results.fail('ipc_mode = "host"');
  return Results.pass();
});
