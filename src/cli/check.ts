import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { InputError, loadInputs, locatorFor } from './inputs';
import {
  CliIo, emitJsonReport, exitCodeFor, FAIL_ON, FailOn, Format, FORMATS, mergeEvaluations, renderReport, UsageError, useColor, writeReport,
} from './output';
import { assertRegularFile, DEFAULT_INPUT_LIMITS, formatSize, InputBudget, parseCount, parseSize, readStreamWithin, withoutInputText } from './read-input';
import { evaluate } from '../evaluation/evaluate';
import { Profile, ProfileLevel } from '../profiles/profile';
import { oneLine } from '../report/escape';
import { parseConstraint } from '../rules/provider-versions';
import { withJoinedContainers } from '../spec/joined-containers';
import type { RemoteModuleCall } from '../spec/terraform/config/module';
import type { CliVariable } from '../spec/terraform/config/variables';

/** Parsed options of `check`. */
export interface CheckOptions {
  readonly profile?: string;
  readonly format?: string;
  readonly output?: string;
  readonly failOn?: string;
  readonly strict?: boolean;
  /** `--var NAME=VALUE` and `--var-file FILE`, in command-line order. */
  readonly variables?: readonly CliVariable[];
  /** `--max-file-size`: bytes per input file, e.g. `64M`. */
  readonly maxFileSize?: string;
  /** `--max-input-size`: bytes of all inputs together, e.g. `256M`. */
  readonly maxInputSize?: string;
  /** `--max-resources`: docker_container and docker_service resources of all inputs together. */
  readonly maxResources?: string;
  /** `--env-file FILE` (repeatable): variables for compose interpolation, instead of the project's `.env`. */
  readonly envFile?: readonly string[];
  /** `--provider-version`: the Docker provider version constraint to check for, instead of what the inputs declare. */
  readonly providerVersion?: string;
}

/**
 * `--profile NAME|FILE`: a built-in profile's name, or a JSON profile file.
 */
export function loadProfile(nameOrFile: string, cwd: string): Profile {
  if ((Object.values(ProfileLevel) as string[]).includes(nameOrFile)) return Profile.named(nameOrFile);
  const file = path.resolve(cwd, nameOrFile);
  if (!fs.existsSync(file)) {
    throw new UsageError(`--profile "${nameOrFile}": not a built-in profile (${Object.values(ProfileLevel).join(', ')}) and no such file`);
  }
  try {
    // A FIFO or device would block or never end: profile files are regular files, like every input.
    assertRegularFile(file, `--profile ${nameOrFile}`);
  } catch (e: any) {
    throw new UsageError(e.message);
  }
  try {
    return Profile.fromFile(file);
  } catch (e: any) {
    throw new UsageError(`--profile ${nameOrFile}: ${withoutInputText(String(e?.message ?? e)).split('\n').join(' ')}`);
  }
}

function choice<T extends string>(value: string | undefined, valid: readonly T[], option: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (!(valid as readonly string[]).includes(value)) throw new UsageError(`${option} "${value}": expected one of ${valid.join(', ')}`);
  return value as T;
}

/** Runs `check` on paths; returns the exit code. Every problem is one line on stderr (exit 2), never a stack trace. */
export async function runCheck(paths: string[], options: CheckOptions, io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  try {
    const format = choice<Format>(options.format, FORMATS, '--format', 'text');
    const failOn = choice<FailOn>(options.failOn, FAIL_ON, '--fail-on', 'error');
    const profile = loadProfile(options.profile ?? 'hardened', cwd);
    const budget = new InputBudget({
      maxFileBytes: options.maxFileSize === undefined ? DEFAULT_INPUT_LIMITS.maxFileBytes : parseSize(options.maxFileSize, '--max-file-size'),
      maxTotalBytes: options.maxInputSize === undefined ? DEFAULT_INPUT_LIMITS.maxTotalBytes : parseSize(options.maxInputSize, '--max-input-size'),
      maxResources: options.maxResources === undefined ? DEFAULT_INPUT_LIMITS.maxResources : parseCount(options.maxResources, '--max-resources'),
    });
    const providerVersion = validProviderVersion(options.providerVersion);
    const problems: string[] = [];
    const remoteModules: RemoteModuleCall[] = [];
    const units = await loadInputs(paths.length ? paths : ['.'], {
      cwd,
      budget,
      readStdin: io.readStdin ?? readProcessStdin,
      variables: options.variables,
      problems,
      remoteModules,
      env: io.env ?? process.env,
      progress: io.stderr,
      envFiles: options.envFile,
    });
    // One bad file or resource, one line; the rest is still checked and reported, and the exit code is 2.
    for (const p of problems) io.stderr.write(`hardened-docker: ${oneLine(p)}\n`);
    for (const m of remoteModules) {
      io.stderr.write(`hardened-docker: ${oneLine(`${m.file}${m.line ? `:${m.line}` : ''}: ${m.address}: source "${m.source}" is not a local directory; not fetched, not checked`)}\n`);
    }
    const exitCode = (code: number) => (problems.length ? 2 : code);

    // What a container takes from another of its unit (`container:` namespaces, from_container mounts) is judged with
    // it. (Not in the loader: `audit --against` compares the declarations as written with the engine's.)
    const evaluations = units.map((u) => evaluate(withJoinedContainers(u.specs), profile, {
      strict: options.strict, stack: u.stack, providerVersion: providerVersion ?? declaredProviderVersion(u.providerConstraint, u.file, problems, io),
    }));
    const evaluation = evaluations.length === 1 ? evaluations[0] : mergeEvaluations(profile.name, evaluations);
    // Nothing left to report when every input failed: the problems above are the whole answer.
    if (evaluation.resources.length === 0 && problems.length) return 2;
    if (evaluation.resources.length === 0) {
      io.stderr.write(`hardened-docker: ${oneLine(`no docker_container or docker_service resources in ${units.map((u) => u.file).join(', ')}`)}\n`);
    }
    if (format === 'json') {
      emitJsonReport(evaluation, options.output, io);
      return exitCode(exitCodeFor(evaluation, failOn));
    }
    const text = renderReport(evaluation, {
      format,
      profile,
      failOn,
      color: format === 'text' && useColor(io, options.output),
      locate: locatorFor(units, profile.activeRules.map((a) => a.rule)),
      subject: paths.length ? paths.join(' ') : '.',
    });
    writeReport(text, evaluation, options.output, format, io);
    return exitCode(exitCodeFor(evaluation, failOn));
  } catch (e: any) {
    if (e instanceof InputError || e instanceof UsageError) {
      io.stderr.write(`hardened-docker: ${oneLine(e.message)}\n`);
      return 2;
    }
    const env = io.env ?? process.env;
    io.stderr.write(`hardened-docker: internal error: ${oneLine(String(e?.message ?? e).split('\n')[0])}`
      + `${env.HARDENED_DOCKER_DEBUG ? `\n${e?.stack ?? ''}` : ' (set HARDENED_DOCKER_DEBUG=1 for details)'}\n`);
    return 2;
  }
}

/** `--provider-version`, checked before any input is read. */
function validProviderVersion(constraint: string | undefined): string | undefined {
  if (constraint === undefined) return undefined;
  try {
    parseConstraint(constraint);
  } catch (e: any) {
    throw new UsageError(`--provider-version: ${e.message}`);
  }
  return constraint;
}

/**
 * The constraint an input declares, when valid. A malformed one is a problem of that input (exit 2), and its resources
 * are checked as under no constraint: every trap rule applies, naming the releases concerned.
 */
function declaredProviderVersion(constraint: string | undefined, file: string, problems: string[], io: CliIo): string | undefined {
  if (constraint === undefined) return undefined;
  try {
    parseConstraint(constraint);
    return constraint;
  } catch (e: any) {
    const line = `${file}: required_providers docker version: ${e.message}`;
    problems.push(line);
    io.stderr.write(`hardened-docker: ${oneLine(line)}\n`);
    return undefined;
  }
}

function readProcessStdin(budget: InputBudget): Promise<string> {
  return readStreamWithin(process.stdin, '<stdin>', budget);
}

/** Adds `check` to a commander program; the action reports its exit code through `setExitCode`. */
export function registerCheck(program: Command, io: CliIo, setExitCode: (code: number) => void): Command {
  // --var and --var-file interleave: Terraform applies them in command-line order, so one list keeps both.
  const variables: CliVariable[] = [];
  return program
    .command('check')
    .summary('check Terraform files, cdktf.out, a plan or compose files')
    // Paragraphs without line breaks: commander wraps them to the terminal's width.
    .description('Check docker_container and docker_service resources in Terraform files, cdktf.out or a plan, and the '
      + 'services of compose files.\n\n'
      + 'PATH is a cdktf.out directory (every stack), a cdk.tf.json or any *.tf.json, an HCL *.tf file, a directory of '
      + 'them (searched recursively, skipping node_modules and .terraform), Terraform plan JSON (terraform show -json), '
      + 'or - for JSON on standard input. A compose file (compose.yaml, docker-compose.yml, any *.yaml) is read with '
      + 'its compose.override.yaml; YAML files of one directory named together are merged in order, as compose -f does. '
      + 'Default: the current directory.')
    .argument('[path...]', 'files or directories to check')
    .option('-p, --profile <name|file>', `rule profile: ${Object.values(ProfileLevel).join(', ')}, or a JSON profile file`, 'hardened')
    .option('-f, --format <format>', `report format: ${FORMATS.join(', ')}`, 'text')
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('--fail-on <level>', `exit 1 when a finding is at or above: ${FAIL_ON.join(', ')}`, 'error')
    .option('--strict', 'a value only known after apply, under an error rule, is an error (default: a warning)')
    .option('--var <name=value>', 'a value for a root module variable (repeatable; after tfvars files, in order with --var-file)', (v: string) => {
      variables.push({ kind: 'var', value: v });
      return v;
    })
    .option('--var-file <file>', 'a tfvars file of variable values (repeatable; in order with --var)', (v: string) => {
      variables.push({ kind: 'var-file', value: v });
      return v;
    })
    .option('--provider-version <constraint>', 'the kreuzwerker/docker provider version(s) to check for, e.g. "3.6.2" or "~> 4.5" '
      + '(default: terraform.required_providers.docker.version of the input, else every release)')
    .option('--max-file-size <size>', `refuse an input file larger than this (64M, 512K, bytes); default ${formatSize(DEFAULT_INPUT_LIMITS.maxFileBytes)}`)
    .option('--max-input-size <size>', `refuse inputs larger than this together; default ${formatSize(DEFAULT_INPUT_LIMITS.maxTotalBytes)}`)
    .option('--max-resources <n>', `refuse more docker_container and docker_service resources than this; default ${DEFAULT_INPUT_LIMITS.maxResources}`)
    .option('--env-file <file>', 'variables for compose interpolation instead of the project\'s .env (repeatable; later files win)',
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .addHelpText('after', '\nExit codes: 0 nothing at or above --fail-on, 1 findings, 2 bad usage\n'
      + '            or unreadable input.\n'
      + 'Suppress a rule on hand-written Terraform with a label:\n'
      + '  hardened-docker.suppress.<rule-id> = "<reason>"')
    .action(async (paths: string[], opts: CheckOptions) => {
      const given = variables.splice(0);
      setExitCode(await runCheck(paths, { ...opts, variables: given }, io));
    });
}
