/**
 * `hardened-docker convert`: a compose project as a cdktf TypeScript stack of HardenedContainers and SecureServices
 * (src/convert/). The stack goes to standard output or `-o FILE`; what could not be carried over is listed at the
 * top of the stack and on standard error, one line each.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { CliIo, UsageError } from './output';
import { oneLine } from '../report/escape';
import { composeFilesFor, composeFilesIn } from '../spec/compose/files';

/** Parsed options of `convert`. */
export interface ConvertCliOptions {
  /** `-f FILE` (repeatable): more compose files, merged after the first in order. */
  readonly file?: readonly string[];
  readonly output?: string;
  readonly envFile?: readonly string[];
  readonly className?: string;
}

/** Registers `convert` on the program. */
export function registerConvert(program: Command, io: CliIo, setExitCode: (code: number) => void): Command {
  return program
    .command('convert')
    .summary('write a cdktf TypeScript stack of HardenedContainers from compose files')
    .description('Convert a compose project into a cdktf TypeScript stack: each service a HardenedContainer (a SecureService '
      + 'when it has deploy.replicas or scale above 1), each setting a typed prop, networks and named volumes docker_network '
      + 'and docker_volume resources. Every weakening the compose file had becomes a typed opt-out whose reason is '
      + '\'TODO: ...\': synth refuses it until a person writes the real reason. Settings with no prop are listed at the top '
      + 'of the stack and on standard error.\n\n'
      + 'FILE is a compose file (read with its compose.override.yaml when it is the default name) or a directory holding '
      + 'one; -f adds more files, merged in order as docker compose -f does. Default: the current directory.')
    .argument('[file]', 'the compose file, or a directory with one')
    .option('-f, --file <file>', 'another compose file, merged after the first (repeatable)', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('-o, --output <file>', 'write the stack to this .ts file instead of standard output')
    .option('--class-name <name>', 'the stack class\'s name (default: from the output file name, else ComposeStack)')
    .option('--env-file <file>', 'variables for compose interpolation instead of the project\'s .env (repeatable; later files win)',
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .addHelpText('after', '\nExit codes: 0 the stack was written (notes on standard error are settings to review),\n'
      + '            2 bad usage or a compose file that cannot be read.\n')
    .action((file: string | undefined, opts: ConvertCliOptions) => {
      setExitCode(runConvert(file, opts, io));
    });
}

/** Runs `convert`; returns the exit code. Every problem is one line on stderr (exit 2), never a stack trace. */
export function runConvert(file: string | undefined, opts: ConvertCliOptions, io: CliIo): number {
  const cwd = io.cwd ?? process.cwd();
  try {
    const files = inputFiles(file, opts.file ?? [], cwd);
    const className = opts.className ?? classNameFor(opts.output);
    if (!/^[A-Z][A-Za-z0-9_]*$/.test(className)) {
      throw new UsageError(`--class-name "${className}": expected a class name such as AppStack (a capital letter, then letters, digits, _)`);
    }
    // Lazy: the converter loads the compose reader and its YAML parser, which `check` of Terraform never needs.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { convertCompose, noteLine } = require('../convert/stack') as typeof import('../convert/stack');
    const shown = [file, ...(opts.file ?? []).map((f) => `-f ${f}`)].filter((s) => s !== undefined).join(' ');
    const output = opts.output === undefined ? undefined : path.resolve(cwd, opts.output);
    const result = convertCompose(files, {
      cwd,
      outputFile: output,
      env: io.env ?? process.env,
      envFiles: opts.envFile,
      className,
      commandLine: `hardened-docker convert${shown ? ` ${shown}` : ''}`,
    });
    if (output !== undefined) {
      fs.mkdirSync(path.dirname(output), { recursive: true });
      fs.writeFileSync(output, result.source);
    } else {
      io.stdout.write(result.source);
    }
    if (result.notes.length) {
      io.stderr.write(`hardened-docker convert: ${result.notes.length} setting${result.notes.length === 1 ? '' : 's'} not carried over, or only in part (also listed at the top of the stack):\n`);
      for (const n of result.notes) io.stderr.write(`  ${oneLine(noteLine(n))}\n`);
    }
    const todos = result.todos;
    if (todos) io.stderr.write(`hardened-docker convert: ${todos} TODO value${todos === 1 ? '' : 's'} to fill in (reasons, digests, user ids): synth refuses the stack until then\n`);
    return 0;
  } catch (e: any) {
    if (e instanceof UsageError || e?.name === 'ComposeError') {
      io.stderr.write(`hardened-docker: convert: ${oneLine(e.message)}\n`);
      return 2;
    }
    if (e?.code === 'ENOENT' || e?.code === 'EACCES' || e?.code === 'EISDIR' || e?.code === 'ENOTDIR') {
      io.stderr.write(`hardened-docker: convert: ${oneLine(String(e.message))}\n`);
      return 2;
    }
    throw e;
  }
}

/** The compose files to read, absolute, in order. */
function inputFiles(file: string | undefined, more: readonly string[], cwd: string): string[] {
  const first = file ?? (more.length ? undefined : '.');
  const files: string[] = [];
  if (first !== undefined) {
    const abs = path.resolve(cwd, first);
    if (!fs.existsSync(abs)) throw new UsageError(`${first}: no such file or directory`);
    if (fs.statSync(abs).isDirectory()) {
      const found = composeFilesIn(abs);
      if (!found.length) throw new UsageError(`${first}: no compose file in this directory (looked for compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml)`);
      files.push(...found);
    } else {
      files.push(...(more.length ? [abs] : composeFilesFor(abs)));
    }
  }
  for (const f of more) {
    const abs = path.resolve(cwd, f);
    if (!fs.existsSync(abs) || !fs.statSync(abs).isFile()) throw new UsageError(`-f ${f}: no such file`);
    files.push(abs);
  }
  return files;
}

/** `stacks/web-app.ts` -> `WebAppStack`; ComposeStack without a file. */
function classNameFor(output: string | undefined): string {
  if (output === undefined) return 'ComposeStack';
  const base = path.basename(output).replace(/\.[cm]?tsx?$/, '');
  const words = base.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1));
  const name = words.join('');
  if (name === '' || !/^[A-Za-z]/.test(name)) return 'ComposeStack';
  return name.endsWith('Stack') ? name : `${name}Stack`;
}
