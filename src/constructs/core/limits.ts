import { Fn, Op, Token } from 'cdktf';
import { HardeningContext, refuseInSwarm } from './context';
import { unresolved } from './prop-check';
import { RestartPolicy } from '../types';

const MIN_MEMORY_MB = 6;
const MAX_CPU = 256;
/** CPU period in microseconds: cpu_quota = cpuLimit * CPU_PERIOD. */
export const CPU_PERIOD = 100000;
const RESTART_POLICIES: string[] = Object.values(RestartPolicy);

export interface LimitProps {
  readonly memoryMb?: number;
  readonly memorySwapMb?: number;
  readonly cpuLimit?: number;
  readonly cpuShares?: number;
  readonly maxProcesses?: number;
  readonly maxOpenFiles?: number;
  readonly restartPolicy?: RestartPolicy;
  readonly maxRestartRetries?: number;
  readonly logMaxSize?: string;
  readonly logMaxFiles?: number;
}

/** Memory, CPU, process and file limits, restarts and log rotation, neutral to the target. */
export interface LimitSettings {
  readonly memoryMb: number;
  /** Memory plus swap in MiB (container only): equal to memoryMb unless the swap opt-out. */
  readonly memorySwapMb: number;
  readonly cpuLimit: number;
  /** cpuLimit * CPU_PERIOD (microseconds per period). */
  readonly cpuQuota: number;
  /** Container only. */
  readonly cpuShares: number;
  /** Container only: nproc and nofile ulimits. */
  readonly maxProcesses: number;
  readonly maxOpenFiles: number;
  readonly restartPolicy: string;
  /** Retries of on-failure; undefined for the other policies. */
  readonly maxRestartRetries?: number;
  readonly logMaxSize: string;
  readonly logMaxFiles: number;
}

/** Every limit, validated, with the profile's defaults filled in. */
export function limitSettings(ctx: HardeningContext, p: LimitProps): LimitSettings {
  const { check, optOuts, defaults: d } = ctx;
  for (const prop of ['memorySwapMb', 'cpuShares', 'maxProcesses', 'maxOpenFiles'] as const) refuseInSwarm(ctx, prop, p[prop]);
  const mem = p.memoryMb ?? d.memoryMb;
  check.int('memoryMb', mem, MIN_MEMORY_MB, Number.MAX_SAFE_INTEGER, `an integer number of MiB, at least ${MIN_MEMORY_MB} (Docker's minimum), e.g. 256`);
  let swap = mem;
  if (!optOuts.has('swap')) {
    if (p.memorySwapMb !== undefined) {
      check.fail('memorySwapMb', p.memorySwapMb, 'leave it out (no swap: memory_swap equals memory), or add the swap opt-out with a reason', 'allows swap');
    }
  } else if (p.memorySwapMb === undefined) {
    swap = unresolved(mem) ? Token.asNumber(Fn.sum([mem, mem])) : mem * 2;
  } else {
    swap = p.memorySwapMb;
    check.int('memorySwapMb', swap, MIN_MEMORY_MB, Number.MAX_SAFE_INTEGER, 'an integer number of MiB, at least memoryMb');
    if (!unresolved(swap) && !unresolved(mem) && swap < mem) check.fail('memorySwapMb', swap, `at least memoryMb (${mem})`);
  }

  const cpuLimit = p.cpuLimit ?? d.cpuLimit;
  check.number('cpuLimit', cpuLimit, 0.01, MAX_CPU, `a number of CPUs from 0.01 to ${MAX_CPU}, e.g. 0.5 (half a CPU)`);
  const cpuQuota = unresolved(cpuLimit) ? Fn.floor(Token.asNumber(Op.mul(cpuLimit, CPU_PERIOD))) : Math.round(cpuLimit * CPU_PERIOD);
  const cpuShares = p.cpuShares ?? d.cpuShares;
  check.int('cpuShares', cpuShares, 2, 262144, 'an integer from 2 to 262144 (1024 is one full share)');

  const maxProcesses = p.maxProcesses ?? d.maxProcesses;
  const maxOpenFiles = p.maxOpenFiles ?? d.maxOpenFiles;
  check.int('maxProcesses', maxProcesses, 1, 4194304, 'an integer from 1 to 4194304 (the nproc ulimit)');
  check.int('maxOpenFiles', maxOpenFiles, 1, 1048576, 'an integer from 1 to 1048576 (the nofile ulimit)');

  const logMaxSize = p.logMaxSize ?? d.logMaxSize;
  const logMaxFiles = p.logMaxFiles ?? d.logMaxFiles;
  if (!unresolved(logMaxSize) && (typeof logMaxSize !== 'string' || !/^[1-9]\d*[kmg]$/.test(logMaxSize))) {
    check.fail('logMaxSize', logMaxSize, 'a size like "10m": digits then k, m or g');
  }
  check.int('logMaxFiles', logMaxFiles, 1, 1000, 'an integer from 1 to 1000');

  return {
    memoryMb: mem,
    memorySwapMb: swap,
    cpuLimit,
    cpuQuota,
    cpuShares,
    maxProcesses,
    maxOpenFiles,
    logMaxSize,
    logMaxFiles,
    ...restartSettings(ctx, p),
  };
}

function restartSettings(ctx: HardeningContext, p: LimitProps): { restartPolicy: string; maxRestartRetries?: number } {
  const { check, optOuts } = ctx;
  const policy = p.restartPolicy ?? RestartPolicy.ON_FAILURE;
  const retries = p.maxRestartRetries ?? ctx.defaults.maxRestartRetries;
  if (ctx.target === 'swarm') {
    check.int('maxRestartRetries', retries, 1, 5, 'an integer from 1 to 5 in Swarm mode (CIS 5.15; Swarm reads max_attempts 0 as unlimited)');
  } else {
    check.int('maxRestartRetries', retries, 0, 5, 'an integer from 0 to 5 (CIS 5.15)');
  }
  if (unresolved(policy)) {
    optOuts.mayNeed('unlimitedRestarts');
    return { restartPolicy: policy, maxRestartRetries: retries };
  }
  if (!RESTART_POLICIES.includes(policy)) check.fail('restartPolicy', policy, `one of ${RESTART_POLICIES.join(', ')}`);
  if (policy === RestartPolicy.ALWAYS || policy === RestartPolicy.UNLESS_STOPPED) {
    optOuts.demand('unlimitedRestarts', 'restartPolicy', policy, 'RestartPolicy.ON_FAILURE with at most 5 retries (CIS 5.15)');
  }
  if (p.maxRestartRetries !== undefined && policy !== RestartPolicy.ON_FAILURE) {
    check.fail('maxRestartRetries', p.maxRestartRetries, 'only with RestartPolicy.ON_FAILURE', `has no effect with restart policy ${policy}`);
  }
  return policy === RestartPolicy.ON_FAILURE ? { restartPolicy: policy, maxRestartRetries: retries } : { restartPolicy: policy };
}
