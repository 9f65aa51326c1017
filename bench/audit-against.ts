/**
 * `hardened-docker audit --against` on 500 declared and running containers (issue 18: within 2 s). Run by hand (not
 * part of jest or `npm run bench`: it starts 500 containers); results go to docs/benchmarks.md:
 *
 *   npx ts-node --transpile-only bench/audit-against.ts
 *
 * What it does: synthesizes one stack of 500 HardenedContainers (each under a UID of its own: the nproc ulimit counts a
 * UID's processes host-wide), writes its cdktf.out, creates and starts each container from the synthesized JSON as
 * provider 3.6.2 would (test/runtime/harness.ts), then times `hardened-docker audit --against <cdktf.out> --name
 * 'hdtest-bench-against-*' --no-services --format json` as users run it (compiled JavaScript, a fresh Node process, start-up
 * included), with the default `hardened` profile and again with `--profile restricted` (which does not run `no-sshd`,
 * so reads no processes). Checks that every container is paired and none drifts. Removes everything afterwards.
 *
 * Checks too that `no-sshd` settled every container (no unknown: each one's processes were read).
 *
 * Options (env): BENCH_COUNT (default 500), BENCH_RUNS (default 7), BENCH_KEEP=1 (leave the containers),
 * BENCH_BASELINE=<git ref> (also time that commit's CLI with `hardened`, interleaved with the others: on a machine
 * whose load swings, only runs taken side by side compare),
 * BENCH_REUSE=1 (time the containers a BENCH_KEEP run left, when all BENCH_COUNT of them run, instead of recreating
 * them). Every container the bench started is removed at the end, on failure, and on Ctrl-C, unless BENCH_KEEP=1.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'fs';
import { cpus, loadavg, tmpdir } from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { HardenedContainer } from '../src/constructs/hardened-container';
import { ensureImage } from '../test/cli/audit-engine';
import { newStack } from '../test/constructs/helpers';
import { docker, planFromSynth, synthContainers, TEST_IMAGE } from '../test/runtime/harness';

// The harness insists on its prefix (so the tests can clean up after a crash).
const PREFIX = 'hdtest-bench-against-';
const COUNT = Number(process.env.BENCH_COUNT ?? 500);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const ROOT = path.resolve(__dirname, '..');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function mapLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

async function removeAll(): Promise<void> {
  const d = docker();
  const list = await d.listContainers({ all: true, filters: { name: [PREFIX] } });
  await mapLimit(list, 8, async (c) => { await d.getContainer(c.Id).remove({ force: true }).catch(() => undefined); });
}

/** Compiles src/ once to a temp dir: the audit is timed as users run it (lib/cli/main.js), not through ts-node. */
function compileCli(root = ROOT): string {
  const out = mkdtempSync(path.join(tmpdir(), 'hdagainst-lib-'));
  spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.json'),
    '--outDir', out, '--noEmitOnError', 'false', '--inlineSourceMap', 'false', '--inlineSources', 'false', '--declaration', 'false'], { encoding: 'utf8' });
  if (!existsSync(path.join(out, 'cli', 'main.js'))) throw new Error('compiling src/ failed: no cli/main.js');
  return out;
}

/** The sources of another commit (src/ and tsconfig.json), in a temp dir that resolves this tree's node_modules. */
function checkout(ref: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hdagainst-src-'));
  const archive = spawnSync('git', ['archive', '--format=tar', ref, 'src', 'tsconfig.json'], { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 });
  if (archive.status !== 0) throw new Error(`git archive ${ref}: ${archive.stderr}`);
  spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

function runAudit(lib: string, outdir: string, profile: string): { ms: number; report: any } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [path.join(lib, 'cli', 'main.js'), 'audit', '--against', outdir, '--name', `${PREFIX}*`,
    '--no-services', '--profile', profile, '--format', 'json', '--fail-on', 'never'], {
    encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`hardened-docker audit exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return { ms, report: JSON.parse(r.stdout) };
}

/** Whether a kept run's containers are all there and running. */
async function reusable(): Promise<boolean> {
  if (process.env.BENCH_REUSE !== '1') return false;
  const running = await docker().listContainers({ filters: { name: [PREFIX], status: ['running'] } });
  return running.length === COUNT;
}

async function main(): Promise<void> {
  const d = docker();
  await ensureImage(d);
  const reuse = await reusable();
  if (!reuse) await removeAll();
  // Ctrl-C or a kill: remove what was started before leaving.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`${signal}: removing the ${PREFIX}* containers`);
      void (process.env.BENCH_KEEP === '1' ? Promise.resolve() : removeAll()).finally(() => process.exit(130));
    });
  }
  let t = Date.now();
  const stack = newStack();
  for (let i = 0; i < COUNT; i++) {
    const uid = 20000 + i;
    new HardenedContainer(stack, `c${i}`, { name: `${PREFIX}${String(i).padStart(3, '0')}`, image: TEST_IMAGE, command: ['sleep', '3600'], user: `${uid}:${uid}` });
  }
  const bodies = Object.values(synthContainers(stack));
  const outdir = Testing.fullSynth(stack);
  console.log(`synthesized ${bodies.length} HardenedContainers in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  const lib = compileCli();
  const baselineRef = process.env.BENCH_BASELINE;
  const baselineSrc = baselineRef ? checkout(baselineRef) : undefined;
  const baselineLib = baselineSrc ? compileCli(baselineSrc) : undefined;
  try {
    if (reuse) {
      console.log(`reusing the ${COUNT} running ${PREFIX}* containers of a BENCH_KEEP run`);
    } else {
      t = Date.now();
      await mapLimit(bodies, 8, async (body) => {
        const plan = planFromSynth(body);
        const c = await d.createContainer(plan.create);
        await c.start();
      });
      console.log(`created and started ${bodies.length} containers in ${((Date.now() - t) / 1000).toFixed(1)} s; settling 15 s`);
      await new Promise((r) => setTimeout(r, 15_000));
    }
    const times: Record<string, number[]> = { hardened: [], restricted: [] };
    if (baselineLib) times[`hardened at ${baselineRef}`] = [];
    let last: Record<string, any> = {};
    const loads: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      for (const profile of Object.keys(times)) {
        const { ms, report } = runAudit(profile.startsWith('hardened at') ? baselineLib! : lib, outdir, profile.split(' ')[0]);
        times[profile].push(ms);
        last[profile] = report;
        loads.push(loadavg()[0]);
      }
    }
    console.log(`load average (1 min) during the runs: ${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)}`);
    for (const profile of Object.keys(times)) {
      const report = last[profile];
      const byRule = (id: string) => report.findings.filter((f: any) => f.ruleId === id).length;
      const sshdUnknown = report.findings.filter((f: any) => f.ruleId === 'no-sshd' && f.status === 'unknown').length;
      if (sshdUnknown) throw new Error(`${profile}: no-sshd is unknown for ${sshdUnknown} container(s): their processes were not read`);
      console.log(`${profile}: runs ${times[profile].map((ms) => (ms / 1000).toFixed(2)).join(', ')} s; median ${(median(times[profile]) / 1000).toFixed(2)} s; `
        + `${report.summary.resources} resources; drift ${byRule('drift')}, drift-stronger ${byRule('drift-stronger')}, undeclared ${byRule('undeclared')}, missing ${byRule('missing')}`);
    }
    console.log(`node ${process.version}, ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    rmSync(lib, { recursive: true, force: true });
    for (const dir of [baselineLib, baselineSrc]) if (dir) rmSync(dir, { recursive: true, force: true });
    rmSync(outdir, { recursive: true, force: true });
    if (process.env.BENCH_KEEP !== '1') await removeAll();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
