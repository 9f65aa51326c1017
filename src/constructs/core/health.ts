import { Fn, Token } from 'cdktf';
import { HardeningContext } from './context';
import { numText, unresolved } from './prop-check';
import { HealthCheck } from '../types';

/** A healthcheck as both targets write it: exec-form test with `CMD` first, Go durations. */
export interface HealthSettings {
  readonly test: string[];
  readonly interval: string;
  readonly timeout: string;
  readonly retries: number;
  readonly startPeriod: string;
}

/** The healthcheck, or undefined (then the noHealthcheck opt-out, if given, is used). */
export function healthSettings(ctx: HardeningContext, hc: HealthCheck | undefined): HealthSettings | undefined {
  const { check, optOuts } = ctx;
  if (hc === undefined) {
    if (optOuts.has('noHealthcheck')) optOuts.mayNeed('noHealthcheck');
    return undefined;
  }
  if (optOuts.has('noHealthcheck')) {
    check.fail('optOuts.noHealthcheck', optOuts.reasonOf('noHealthcheck'), 'remove the opt-out, or the healthcheck', 'contradicts the healthcheck given');
  }
  if (hc === null || typeof hc !== 'object') check.fail('healthcheck', hc, '{ command: string[], intervalSeconds?, timeoutSeconds?, retries?, startPeriodSeconds? }');
  const cmd = hc.command;
  if (!unresolved(cmd)) {
    if (!Array.isArray(cmd) || cmd.length === 0 || cmd.some((c) => typeof c !== 'string')) {
      check.fail('healthcheck.command', cmd, 'a non-empty list of strings (exec form), e.g. ["wget", "-q", "-O-", "http://127.0.0.1:8080/"]');
    }
    if (['CMD', 'CMD-SHELL', 'NONE'].includes(cmd[0])) {
      check.fail('healthcheck.command', cmd, `the command alone, without "${cmd[0]}" (it is added); for a shell: ["sh", "-c", "..."]`);
    }
  }
  check.int('healthcheck.intervalSeconds', hc.intervalSeconds, 1, 86400, 'whole seconds from 1 to 86400');
  check.int('healthcheck.timeoutSeconds', hc.timeoutSeconds, 1, 86400, 'whole seconds from 1 to 86400');
  check.int('healthcheck.retries', hc.retries, 1, 100, 'an integer from 1 to 100');
  check.int('healthcheck.startPeriodSeconds', hc.startPeriodSeconds, 0, 86400, 'whole seconds from 0 to 86400');
  return {
    test: unresolved(cmd) ? Token.asList(Fn.concat([['CMD'], cmd])) : ['CMD', ...cmd],
    interval: `${numText(hc.intervalSeconds ?? 30)}s`,
    timeout: `${numText(hc.timeoutSeconds ?? 5)}s`,
    retries: hc.retries ?? 3,
    startPeriod: `${numText(hc.startPeriodSeconds ?? 0)}s`,
  };
}
