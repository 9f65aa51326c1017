/**
 * Measures check over the real-world compose corpus (README.md, "Measured"): files and services read, exit codes,
 * failures by rule, unknowns by rule and by cause.
 *
 *   HARDENED_DOCKER_COMPOSE_CORPUS=DIR npx ts-node --transpile-only test/compose-corpus/measure.ts
 */
import * as path from 'path';
import { runRoot } from '../corpus/run-check';
import { findCorpusRoot, readSources } from '../corpus/sources';

function count(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function table(title: string, map: Map<string, number>): string {
  const rows = [...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, v]) => `${k} ${v}`);
  return `${title}: ${rows.join(', ')}`;
}

async function main(): Promise<number> {
  const dir = findCorpusRoot(process.env, path.resolve(__dirname, '..', '..'), { envVar: 'HARDENED_DOCKER_COMPOSE_CORPUS', sharedDir: 'compose-corpus' });
  if (!dir) {
    process.stderr.write('no corpus directory: set HARDENED_DOCKER_COMPOSE_CORPUS (see README.md)\n');
    return 2;
  }
  const sources = readSources(path.join(__dirname, 'SOURCES.json'));
  const kics = process.argv.includes('--kics');
  const roots = sources.roots.filter((r) => (r.repo === 'Checkmarx/kics') === kics);
  const exits = new Map<string, number>();
  const failsByRule = new Map<string, number>();
  const unknownsByRule = new Map<string, number>();
  const unknownsByCause = new Map<string, number>();
  let services = 0;
  let withUnknown = 0;
  for (const root of roots) {
    const run = await runRoot(dir, root.path);
    count(exits, `exit ${run.code}`);
    if (!run.report) continue;
    services += run.report.summary.resources;
    const unknownServices = new Set<string>();
    for (const f of run.report.findings) {
      if (f.status === 'fail') count(failsByRule, f.ruleId);
      if (f.status === 'unknown') {
        count(unknownsByRule, f.ruleId);
        unknownServices.add(f.address);
      }
    }
    withUnknown += unknownServices.size;
    for (const [cause, n] of Object.entries(run.report.summary.unknownCauses ?? {})) count(unknownsByCause, cause, n);
  }
  const files = sources.files.filter((f) => (f.repo === 'Checkmarx/kics') === kics && /\.ya?ml$/.test(f.path)).length;
  const repos = new Set(roots.map((r) => r.repo)).size;
  process.stdout.write(`${roots.length} roots (${files} compose files, ${repos} repositories): ${[...exits].map(([k, v]) => `${k}: ${v}`).join(', ')}\n`);
  process.stdout.write(`${services} services read; ${withUnknown} with at least one unknown rule\n`);
  process.stdout.write(`${table('failures by rule', failsByRule)}\n`);
  process.stdout.write(`${table('unknowns by rule', unknownsByRule)}\n`);
  process.stdout.write(`${table('unknowns by cause (the summary\'s count)', unknownsByCause)}\n`);
  return 0;
}

main().then((code) => { process.exitCode = code; }, (e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exitCode = 1;
});
