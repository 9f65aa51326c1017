import { seccompAllowsEverything } from '../../spec/docker-facts';
import { defineRule } from '../define';
import { securityOptsWithKey, unknownResult, unlistedItems } from '../helpers';
import { ProfileLevel, Results, Severity } from '../rule';

export const noUnconfinedSeccomp = defineRule({
  id: 'no-unconfined-seccomp',
  title: 'The default seccomp profile is not disabled',
  cis: ['5.22'],
  severity: Severity.ERROR,
  level: ProfileLevel.BASELINE,
  rationale: 'Docker\'s default seccomp profile blocks about 50 system calls (kexec_load, open_by_handle_at, keyctl, bpf, userfaultfd, ...) through which containers have escaped. `seccomp=unconfined`, or an inline profile that allows everything and denies nothing, removes that layer.',
  remediation: 'Remove `seccomp=unconfined` (or `seccomp:unconfined`) from `security_opts`; if a workload needs a syscall the default blocks, give a tailored profile inline as JSON (`seccomp=<json>`: provider 3.6.2 passes the text, the daemon parses it; a file path does not work). docker_service cannot change seccomp in provider 3.6.2, so the default applies.',
  composeRemediation: 'Remove `seccomp:unconfined` (or `seccomp=unconfined`) from `security_opt:`; if a workload needs a syscall the default profile blocks, give a tailored profile instead.',
}, (spec) => {
  // A listed option fails whatever the unknown ones are; as the reference check: the text anywhere in an option.
  const raw = (spec.securityOpts ?? []).find((o) => /seccomp[=:]\s*unconfined/i.test(o));
  if (raw !== undefined) return Results.fail(`security_opts has "${raw}"`);
  for (const opt of securityOptsWithKey(spec, 'seccomp')) {
    const value = opt.value ?? '';
    if (value.toLowerCase() === 'unconfined') return Results.fail(`security_opts has "${opt.raw}"`);
    if (value.startsWith('{') && seccompAllowsEverything(value)) return Results.fail('security_opts has an inline seccomp profile that allows every system call');
  }
  if (unlistedItems(spec, 'securityOpts')) return unknownResult(spec, ['securityOpts'], 'security_opts');
  return Results.pass();
});
