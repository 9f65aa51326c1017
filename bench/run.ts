/**
 * `npm run bench [names...]`: runs the benchmark modules `bench/*.bench.ts` (all, or those named) one after the
 * other and prints each one's markdown section, after a line describing the machine.
 *
 * A module exports `name` and `run(): Promise<string>` (or a default export with both). It measures ratios in one
 * run (ours against raw `Container`), never absolute times against a threshold. Run it as
 * `node --expose-gc -r ts-node/register/transpile-only bench/run.ts [names...]` (what `npm run bench` does).
 */
import * as fs from 'fs';
import * as path from 'path';
import { machine } from './lib/child';

/** What a benchmark module exports. */
export interface BenchModule {
  /** Short name, used to pick it: `npm run bench checks`. */
  readonly name: string;
  /** Runs the benchmark and returns its markdown section (`## <topic>` and what follows). */
  run(): Promise<string>;
}

function loadModules(): BenchModule[] {
  return fs.readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort()
    .map((f) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const m = require(path.join(__dirname, f));
      const mod: BenchModule = m.default ?? m;
      if (typeof mod.name !== 'string' || typeof mod.run !== 'function') {
        throw new Error(`bench/${f} must export name (a string) and run(): Promise<string>`);
      }
      return mod;
    });
}

async function main(): Promise<void> {
  const modules = loadModules();
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !modules.some((m) => m.name === w));
  if (unknown.length) {
    throw new Error(`No benchmark named ${unknown.join(', ')}. Available: ${modules.map((m) => m.name).join(', ')}.`);
  }
  const chosen = wanted.length ? modules.filter((m) => wanted.includes(m.name)) : modules;
  process.stdout.write(`<!-- machine: ${machine()} -->\n\n`);
  for (const m of chosen) {
    const started = Date.now();
    process.stderr.write(`bench ${m.name}: running\n`);
    const section = await m.run();
    process.stdout.write(section.trimEnd() + '\n\n');
    process.stderr.write(`bench ${m.name}: done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
