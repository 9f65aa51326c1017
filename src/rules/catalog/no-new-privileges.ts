import { canExpress } from '../../spec/source-capabilities';
import { defineRule } from '../define';
import { parseGoBool, PROVIDER, securityOptsWithKey, unknownIf } from '../helpers';
import { ProfileLevel, Results, Severity } from '../rule';

export const noNewPrivileges = defineRule({
  id: 'no-new-privileges',
  title: 'Processes cannot gain privileges (no-new-privileges)',
  cis: ['5.26'],
  severity: Severity.WARNING,
  level: ProfileLevel.RESTRICTED,
  rationale: 'no-new-privileges stops setuid/setgid binaries and file capabilities from raising a process\'s privileges: a non-root process stays non-root. A daemon that sets it globally (`"no-new-privileges": true` in daemon.json) covers every container.',
  remediation: 'docker_container: `security_opts = ["no-new-privileges:true"]` (HardenedContainer sets it). docker_service: ' + PROVIDER + ' cannot set it for services; set `"no-new-privileges": true` in every Swarm node\'s daemon.json and suppress this rule with that reason.',
  composeRemediation: 'Add `security_opt: ["no-new-privileges:true"]`.',
}, (spec) => {
  if (spec.daemonNoNewPrivileges === true) return Results.pass('the daemon sets no-new-privileges for every container');
  if (!canExpress(spec, 'noNewPrivileges')) return Results.fail(`${PROVIDER} cannot set no-new-privileges on docker_service; only the daemon's "no-new-privileges": true covers it`);
  // The last no-new-privileges option wins, and an unknown option may be one: the known ones cannot settle it.
  const unknown = unknownIf(spec, ['securityOpts'], 'security_opts');
  if (unknown) return unknown;
  const opts = securityOptsWithKey(spec, 'no-new-privileges');
  if (opts.length === 0) return Results.fail('security_opts has no no-new-privileges');
  // The daemon applies the options in order: the last one wins.
  const last = opts[opts.length - 1];
  const value = last.value === undefined ? true : parseGoBool(last.value);
  if (value === true) return Results.pass();
  return Results.fail(`security_opts has "${last.raw}"${value === undefined ? ' (not a boolean: the daemon rejects it)' : ''}`);
});
