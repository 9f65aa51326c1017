/**
 * `hardened-docker audit`: the same rules, profiles, report formats and exit codes as `check`, on a live Docker engine.
 *
 * API for src/cli/main.ts (the CLI entry owns the program and the shared report formats):
 *
 *   registerAudit(program, io)   adds the `audit` subcommand to a commander program. Its options:
 *                                --host, --name (repeatable), --label (repeatable), --all, --services/--no-services,
 *                                --daemon-config, --against (repeatable), and the shared --profile, --format,
 *                                --output, --fail-on, --strict. The report is written through `io.emit` (the shared
 *                                formats). Sets the exit code through `io.exit`: 0 nothing at or above --fail-on,
 *                                1 findings, 2 bad usage or no engine (one line on stderr, never a stack trace).
 *   runAudit(options)            connects, lists, inspects and evaluates: Promise<AuditResult> ({evaluation, specs,
 *                                engine}). Throws AuditError (message fit for one line) when the engine cannot be
 *                                reached or an option is bad.
 *   exitCodeFor(evaluation, failOn)   0 or 1, as `check` computes it.
 *
 * Where the rest is: ./engine-api.ts (addresses, the Engine API calls, connection errors), ./engine-specs.ts (what
 * the engine runs, as specs), ./host-processes.ts (processes from a local /proc), src/drift/ (`--against`).
 */
import type { Command } from 'commander';
import { AuditError } from './engine-api';
import { EngineReadOptions, EngineSummary, matchesLabels, matchesNames, namePattern, parseLabelFilter, readEngineSpecs } from './engine-specs';
import { exitCodeFor as sharedExitCodeFor, FailOn } from './output';
import { ProgressStream } from './progress';
import { Evaluation, evaluate } from '../evaluation/evaluate';
import { Profile } from '../profiles/profile';
import { oneLine } from '../report/escape';
import { ContainerSpec } from '../spec/container-spec';
import { engineIdOf } from '../spec/engine-adapter';

export { AuditError, defaultHost, dockerOptionsFor } from './engine-api';
export { namePattern, parseLabelFilter, readEngineSpecs } from './engine-specs';
export type { EngineReadOptions, EngineSummary } from './engine-specs';

/** What `runAudit` reads and how it judges it. */
export interface AuditOptions extends EngineReadOptions {
  /** The profile, or a built-in profile's name. Default: hardened. */
  readonly profile?: Profile | string;
  /** An unknown value under an error rule is an error. */
  readonly strict?: boolean;
  /**
   * Compare the engine with what these paths declare (a cdktf.out directory, `*.tf.json`, an HCL directory, a plan
   * JSON): drift, undeclared and missing resources are reported beside the rules' findings (src/drift/).
   * Default: no comparison.
   */
  readonly against?: string[];
  /** Directory the `against` paths are resolved against. Default: the process's working directory. */
  readonly cwd?: string;
}

export interface AuditResult {
  readonly evaluation: Evaluation;
  /** The profile the evaluation ran: the one given, plus the drift rules under `against`. */
  readonly profile: Profile;
  readonly specs: ContainerSpec[];
  readonly engine: EngineSummary;
}


export type { FailOn };

/** Reads the engine and runs the profile's rules. */
export async function runAudit(options: AuditOptions = {}): Promise<AuditResult> {
  const profile = typeof options.profile === 'string' ? namedProfile(options.profile) : options.profile ?? Profile.named('hardened');
  const { specs, engine } = await readEngineSpecs({ processes: profile.hasRule('no-sshd'), ...options });
  if (options.against) {
    const { evaluation, ran } = await evaluateAgainstConfiguration(specs, engine, profile, options);
    return { evaluation, profile: ran, specs, engine };
  }
  const evaluation = evaluate(specs, profile, { strict: options.strict });
  return { evaluation, profile, specs, engine };
}

/** `--against`: the engine's specs compared with the declared ones (src/drift/), within the audit's filters. */
async function evaluateAgainstConfiguration(
  specs: ContainerSpec[], engine: EngineSummary, profile: Profile, options: AuditOptions,
): Promise<{ evaluation: Evaluation; ran: Profile }> {
  // Loaded here, not at the top: an audit without --against must not pay for the Terraform readers.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadDeclared, evaluateAgainst, profileWithDrift } = require('../drift') as typeof import('../drift');
  let declared: ContainerSpec[];
  try {
    declared = await loadDeclared(options.against ?? [], options.cwd ?? process.cwd());
  } catch (e: any) {
    throw new AuditError(`--against: ${String(e?.message ?? e).split('\n')[0]}`);
  }
  const patterns = (options.names ?? []).map(namePattern);
  const labelFilters = (options.labels ?? []).map(parseLabelFilter);
  const kinds = new Set<string>([...(options.containers !== false ? ['docker_container'] : []), ...(options.services ?? engine.swarmManager ? ['docker_service'] : [])]);
  const evaluation = evaluateAgainst(declared, specs.map((spec) => ({ spec, id: engineIdOf(spec) })), profile, {
    strict: options.strict,
    against: options.against!.join(', '),
    host: engine.host,
    inScope: (d) => kinds.has(d.kind) && (patterns.length === 0 || matchesNames(d.name, patterns)) && matchesLabels(d.labels, labelFilters),
  });
  return { evaluation, ran: profileWithDrift(profile) };
}

function namedProfile(name: string): Profile {
  try {
    return Profile.named(name);
  } catch (e: any) {
    throw new AuditError(e.message);
  }
}

/** 0 when no unsuppressed finding is at or above `failOn`, else 1. */
export function exitCodeFor(evaluation: Evaluation, failOn: FailOn = 'error'): number {
  return sharedExitCodeFor(evaluation, failOn);
}

/** How main.ts lends the audit command its output. */
export interface AuditIo {
  /** Where progress goes (standard error; shown only on a terminal). Default: none. */
  readonly progress?: ProgressStream;
  /** Writes to standard output. */
  readonly stdout: (text: string) => void;
  /** Writes to standard error. */
  readonly stderr: (text: string) => void;
  /** Sets the process's exit code. Default: `process.exitCode = code`. */
  readonly exit?: (code: number) => void;
  /**
   * Writes the report in a shared format (text, json, sarif, junit, html) to `output` or stdout, as `check` does.
   * May throw for an unknown format (exit 2).
   */
  readonly emit: (evaluation: Evaluation, options: { format: string; output?: string; profile: Profile; failOn: FailOn }) => Promise<void> | void;
  /**
   * Resolves `--profile NAME|FILE` (main.ts loads profile files). Default: built-in names only.
   */
  readonly loadProfile?: (nameOrFile: string) => Profile | Promise<Profile>;
  /** Directory `--against` paths are resolved against, and reported relative to. Default: the process's. */
  readonly cwd?: string;
}

/** The parsed command-line options of `audit`. */
export interface AuditCliOptions {
  readonly host?: string;
  readonly name?: string[];
  readonly label?: string[];
  readonly all?: boolean;
  readonly services?: boolean;
  readonly daemonConfig?: string;
  readonly profile?: string;
  readonly format?: string;
  readonly output?: string;
  readonly failOn?: string;
  readonly strict?: boolean;
  readonly against?: string[];
}

const FORMATS = ['text', 'json', 'sarif', 'junit', 'html'];
const FAIL_ON: FailOn[] = ['error', 'warning', 'info', 'never'];

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Adds `audit` to a commander program. */
export function registerAudit(program: Command, io: AuditIo): Command {
  return program
    .command('audit')
    .description('Audit the containers (and Swarm services) of a live Docker engine with the same rules as `check`')
    .option('--host <address>', 'engine address (unix:///var/run/docker.sock, tcp://HOST:PORT, ssh://USER@HOST)', undefined)
    .option('--name <pattern>', 'only resources whose name matches (glob: web-*); repeatable', collect)
    .option('--label <key[=value]>', 'only resources with this label; repeatable, all must match', collect)
    .option('--all', 'include stopped containers')
    .option('--services', 'audit Swarm services too (default when the engine is a swarm manager)')
    .option('--no-services', 'do not audit Swarm services')
    .option('--daemon-config <file>', "the daemon's daemon.json (default /etc/docker/daemon.json for a local engine)")
    .option('--profile <name|file>', 'profile: baseline, restricted, hardened, or a profile file', 'hardened')
    .option('--format <format>', `report format: ${FORMATS.join(', ')}`, 'text')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <level>', `exit 1 on findings at or above: ${FAIL_ON.join(', ')}`, 'error')
    .option('--strict', 'an unknown value under an error rule is an error')
    .option('--against <path>', 'compare with what a cdktf.out directory, *.tf.json, HCL directory or plan JSON declares: drift, undeclared, missing; repeatable', collect)
    .action(async (opts: AuditCliOptions) => {
      const code = await auditCommand(opts, io);
      (io.exit ?? ((c: number) => { process.exitCode = c; }))(code);
    });
}

/** Runs `audit` with parsed options; returns the exit code (errors are one line on stderr, exit 2). */
export async function auditCommand(opts: AuditCliOptions, io: AuditIo): Promise<number> {
  try {
    const format = opts.format ?? 'text';
    const failOn = (opts.failOn ?? 'error') as FailOn;
    if (!FAIL_ON.includes(failOn)) throw new AuditError(`--fail-on "${opts.failOn}": expected one of ${FAIL_ON.join(', ')}`);
    let profile: Profile;
    try {
      profile = io.loadProfile ? await io.loadProfile(opts.profile ?? 'hardened') : Profile.named(opts.profile ?? 'hardened');
    } catch (e: any) {
      throw new AuditError(`--profile: ${e.message}`);
    }
    const result = await runAudit({
      host: opts.host,
      names: opts.name,
      labels: opts.label,
      all: opts.all,
      services: opts.services,
      daemonConfigFile: opts.daemonConfig,
      profile,
      strict: opts.strict,
      progress: io.progress,
      against: opts.against,
      cwd: io.cwd,
    });
    await io.emit(result.evaluation, { format, output: opts.output, profile: result.profile, failOn });
    return exitCodeFor(result.evaluation, failOn);
  } catch (e: any) {
    io.stderr(`hardened-docker audit: ${oneLine(e instanceof AuditError ? e.message : String(e?.message ?? e).split('\n')[0])}\n`);
    return 2;
  }
}
