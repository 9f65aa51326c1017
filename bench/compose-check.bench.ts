/**
 * `check` of one compose file of N services (default 1000) against the YAML parser's own time on the same file.
 * `npm run bench compose-check` (or `npx ts-node --transpile-only bench/compose-check.bench.ts`); results go to
 * docs/benchmarks.md.
 *
 * In one process, warmed up, median of RUNS (default 15), alternating: (a) `yaml.parseDocument` with positions (a
 * LineCounter), what any positioned reading must pay; (b) the whole check in process: loading the project (parse,
 * interpolation, anchors, merging), each service's spec, every rule of the hardened profile, and the text report
 * with each finding located at its setting. The budget: (b) within 3x of (a).
 * Env: BENCH_COMPOSE_SERVICES (default 1000), BENCH_COMPOSE_RUNS (default 15).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LineCounter, parseDocument } from 'yaml';
import { loadInputs, locatorFor } from '../src/cli/inputs';
import { renderReport } from '../src/cli/output';
import { Profile } from '../src/profiles/profile';
import { evaluate } from '../src/evaluation/evaluate';

const N = Number(process.env.BENCH_COMPOSE_SERVICES ?? 1000);
const RUNS = Number(process.env.BENCH_COMPOSE_RUNS ?? 15);

/** N services in the shapes real files have: anchors and merge keys, short and long syntax, some variables. */
export function composeText(n: number): string {
  const lines = [
    'x-hardened: &hardened',
    '  read_only: true',
    '  cap_drop: [ALL]',
    '  security_opt: ["no-new-privileges:true"]',
    '  logging:',
    '    driver: json-file',
    '    options: { max-size: 10m, max-file: "3" }',
    'services:',
  ];
  for (let i = 0; i < n; i++) {
    lines.push(`  svc${i}:`);
    if (i % 2 === 0) lines.push('    <<: *hardened');
    lines.push(`    image: registry.example/app${i % 17}:\${TAG:-1.${i % 9}}`);
    lines.push(`    user: "${10000 + i}:${10000 + i}"`);
    lines.push('    ports:', `      - "127.0.0.1:${20000 + i}:8080"`, '      - target: 9090', `        published: "${30000 + i}"`);
    lines.push('    volumes:', `      - ./data/${i}:/data:ro`, '      - type: tmpfs', '        target: /tmp');
    lines.push('    mem_limit: 256m', '    pids_limit: 128', '    cpus: "0.5"');
    lines.push('    healthcheck:', '      test: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1:8080/"]', '      interval: 30s');
    if (i % 5 === 0) lines.push('    privileged: true');
    if (i % 7 === 0) lines.push('    environment:', '      - A=1', '      - B=${B_VALUE}');
  }
  return lines.join('\n') + '\n';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The benchmark's name for `npm run bench compose-check`. */
export const name = 'compose-check';

/** Runs the benchmark; returns its markdown section. */
export async function run(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-compose-bench-'));
  try {
    const file = path.join(dir, 'compose.yaml');
    const text = composeText(N);
    fs.writeFileSync(file, text);
    const profile = Profile.named('hardened');
    const parse = (): void => {
      parseDocument(fs.readFileSync(file, 'utf8'), { lineCounter: new LineCounter() });
    };
    let findings = 0;
    const check = async (): Promise<void> => {
      const units = await loadInputs([file], { cwd: dir, env: {} });
      const evaluation = evaluate(units[0].specs, profile, {});
      findings = evaluation.findings.length;
      renderReport(evaluation, { format: 'text', profile, failOn: 'error', locate: locatorFor(units, profile.activeRules.map((a) => a.rule)) });
    };
    for (let i = 0; i < 3; i++) {
      parse();
      await check();
    }
    const parseMs: number[] = [];
    const checkMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let t = process.hrtime.bigint();
      parse();
      parseMs.push(Number(process.hrtime.bigint() - t) / 1e6);
      t = process.hrtime.bigint();
      await check();
      checkMs.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const p = median(parseMs);
    const c = median(checkMs);
    return [
      '## CLI check of compose files',
      '',
      `One compose file of ${N} services (${(text.length / 1024).toFixed(0)} KiB, ${findings} findings; bench/compose-check.bench.ts), in one`,
      `process, warmed up, ${RUNS} alternating runs, medians.`,
      '',
      '| yaml.parseDocument (with positions) | check (load, specs, rules, located text report) | ratio |',
      '|---:|---:|---:|',
      `| ${p.toFixed(0)} ms | ${c.toFixed(0)} ms | **${(c / p).toFixed(2)}x** |`,
      '',
      `Budget (issue 19): at most 3x: **${c / p <= 3 ? 'within' : 'over'}**.`,
    ].join('\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void run().then((section) => process.stdout.write(section + '\n'));
