#!/usr/bin/env node
/**
 * `hardened-docker`: the rules of cdktf-hardened-docker outside synth.
 *
 *   hardened-docker check [PATH...]   Terraform JSON, HCL, cdktf.out, plan JSON   (src/cli/check.ts)
 *   hardened-docker audit             a live Docker engine                         (src/cli/audit.ts)
 *   hardened-docker convert [FILE]    compose files into a cdktf stack             (src/cli/convert.ts)
 *
 * `main(argv, io)` runs in-process (tests) and returns the exit code: 0 nothing at or above --fail-on,
 * 1 findings, 2 bad usage or unreadable input. Every error is one line on stderr, never a stack trace.
 */
import { Command, CommanderError } from 'commander';
import { registerCheck } from './check';
import { registerConvert } from './convert';
import { CliIo, asFormat, FailOn, renderReport, toolVersion, UsageError, useColor, writeReport } from './output';
import { Evaluation } from '../evaluation/evaluate';
import { Profile } from '../profiles/profile';
import { oneLine } from '../report/escape';

export type { CliIo } from './output';

/** The process's streams. */
export const PROCESS_IO: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
};

/**
 * Whether this command line needs `audit` registered. `audit` loads the Docker client (about 0.2 s), which `check`
 * must not pay: it is registered for `audit` itself, and for help and version output that list every command.
 */
function needsAudit(argv: string[]): boolean {
  const command = argv.find((a) => !a.startsWith('-'));
  return command === undefined || command === 'audit' || command === 'help';
}

/** Runs the CLI with `argv` (arguments after the program name) and returns the exit code. */
export async function main(argv: string[], io: CliIo = PROCESS_IO): Promise<number> {
  let exitCode = 0;
  const setExitCode = (code: number) => { exitCode = code; };
  const program = new Command('hardened-docker')
    .description('CIS Docker Benchmark checks for docker_container and docker_service: Terraform files, cdktf.out, plans, a live engine')
    .version(toolVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      // Commander's own error output (the message, then the usage when no command is given) is not printed: every
      // usage error becomes one line below, from the error it throws.
      writeErr: () => undefined,
      outputError: () => undefined,
    });

  registerCheck(program, io, setExitCode);
  registerConvert(program, io, setExitCode);

  if (needsAudit(argv)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { registerAudit } = require('./audit') as typeof import('./audit');
    registerAudit(program, {
      stdout: (s) => { io.stdout.write(s); },
      stderr: (s) => { io.stderr.write(s); },
      progress: io.stderr,
      exit: setExitCode,
      loadProfile: (nameOrFile) => loadProfileFor(nameOrFile, io),
      cwd: io.cwd,
      emit: (evaluation, opts) => emit(evaluation, opts, io),
    });
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e: any) {
    if (e instanceof CommanderError) {
      // Help and version end here with code 0.
      if (e.exitCode === 0) return 0;
      io.stderr.write(`hardened-docker: ${oneLine(usageMessage(e, argv))}\n`);
      return 2;
    }
    io.stderr.write(`hardened-docker: ${oneLine(String(e?.message ?? e).split('\n')[0])}\n`);
    return 2;
  }
  return exitCode;
}

/** A commander error as one line: its message without the `error: ` prefix, a suggestion joined on. */
function usageMessage(e: CommanderError, argv: string[]): string {
  // With no command, commander prints the whole usage on stderr (code commander.help): say what is missing instead.
  if (e.code === 'commander.help' || e.code === 'commander.executeSubCommandAsync') {
    return argv.length === 0 ? 'no command: expected check, audit or convert (hardened-docker --help for usage)'
      : `${argv.join(' ')}: expected a command, check, audit or convert (hardened-docker --help for usage)`;
  }
  return e.message.replace(/^error:\s*/, '').split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
}

function loadProfileFor(nameOrFile: string, io: CliIo): Profile {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadProfile } = require('./check') as typeof import('./check');
  return loadProfile(nameOrFile, io.cwd ?? process.cwd());
}

/** The shared report writer lent to `audit`. */
function emit(evaluation: Evaluation, opts: { format: string; output?: string; profile: Profile; failOn: FailOn }, io: CliIo): void {
  const format = asFormat(opts.format);
  if (!format) throw new UsageError(`--format "${opts.format}": expected one of text, json, sarif, junit, html`);
  const text = renderReport(evaluation, {
    format,
    profile: opts.profile,
    failOn: opts.failOn,
    color: format === 'text' && useColor(io, opts.output),
    subject: 'Docker engine',
  });
  writeReport(text, evaluation, opts.output, format, io);
}

/**
 * A reader that closes the pipe early (`| head`) makes every later write to stdout fail with EPIPE: the report is
 * not wanted any more, so writing stops quietly (Node would otherwise throw an unhandled 'error' event with its
 * stack). Any other write error on stdout is one line and exit 2.
 */
function handleStreamErrors(): void {
  process.stdout.on('error', (e: any) => {
    if (e?.code === 'EPIPE' || e?.code === 'ERR_STREAM_DESTROYED') return;
    process.stderr.write(`hardened-docker: cannot write the report to standard output (${oneLine(String(e?.code ?? e?.message ?? e))})\n`);
    process.exitCode = 2;
  });
  process.stderr.on('error', () => undefined);
}

if (require.main === module) {
  handleStreamErrors();
  void main(process.argv.slice(2)).then((code) => {
    // exitCode, not exit(): a large report still being flushed to a pipe must not be cut off.
    if (process.exitCode !== 2) process.exitCode = code;
  });
}
