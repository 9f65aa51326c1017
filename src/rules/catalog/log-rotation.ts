import { ResourceKind } from '../../spec/container-spec';
import { isUnknown } from '../../spec/fields';
import { defineRule } from '../define';
import { unknownIf, unknownResult } from '../helpers';
import { Results, Severity } from '../rule';

/** Drivers that keep nothing on the host's disk, or hand logs to a system that rotates them. */
const SHIPPING_DRIVERS = ['none', 'syslog', 'journald', 'gelf', 'fluentd', 'awslogs', 'splunk', 'etwlogs', 'gcplogs', 'logentries'];

export const logRotation = defineRule({
  id: 'log-rotation',
  title: 'Container logs are rotated',
  severity: Severity.WARNING,
  rationale: 'The json-file driver (Docker\'s default) keeps every line forever: a chatty or attacked container fills the host\'s disk, and the daemon with it. `local` rotates by default (20 MB x 5 files); syslog, journald and the remote drivers hand logs off the container\'s file. A logging plugin is its own business: not applicable.',
  remediation: '`log_driver = "json-file"` with `log_opts = { "max-size" = "10m", "max-file" = "3" }` (HardenedContainer: `logMaxSize`, `logMaxFiles`), or `log_driver = "local"`, or a shipping driver (journald, syslog, fluentd, ...).',
  composeRemediation: 'Set `logging: { driver: json-file, options: { max-size: "10m", max-file: "3" } }`, or `driver: local`, or a shipping driver (journald, syslog, fluentd, ...).',
  appliesTo: [ResourceKind.CONTAINER],
}, (spec) => {
  const unknown = unknownIf(spec, ['logDriver'], 'log_driver');
  if (unknown) return unknown;
  const driver = spec.logDriver?.trim().toLowerCase();
  const maxSize = spec.logOpts?.['max-size'];
  if (driver === undefined || driver === '' || driver === 'json-file') {
    const name = driver ? 'log_driver "json-file"' : 'log_driver not set (the daemon\'s default, json-file unless daemon.json says otherwise)';
    // A literal max-size settles it, whatever the other (unknown) log options are.
    if (maxSize !== undefined && maxSize.trim() !== '' && maxSize.trim() !== '-1') return Results.pass();
    if (isUnknown(spec, 'logOpts')) return unknownResult(spec, ['logOpts'], 'log_opts');
    return Results.fail(`${name} without log_opts max-size: the log grows without bound`);
  }
  if (driver === 'local') return Results.pass(maxSize ? `local, max-size ${maxSize}` : 'local driver: rotated by default (20m x 5)');
  if (SHIPPING_DRIVERS.includes(driver)) return Results.pass();
  return Results.notApplicable(`log_driver "${spec.logDriver}" (a plugin): rotation is up to it`);
});
