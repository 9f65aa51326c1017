import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';
import type { JsonFinding, JsonReport } from '../../src/report/json-report';

/** One `hardened-docker check ROOT --format json --output FILE` run, in-process, from the corpus directory. */
export interface RootRun {
  readonly root: string;
  readonly code: number;
  readonly stderr: string;
  /** The JSON report; undefined when check wrote none (exit 2). */
  readonly report?: JsonReport;
}

/** Runs check on one root (a path relative to `cwd`) as a user would: through the CLI's argv, JSON report to a file. */
export async function runRoot(cwd: string, root: string): Promise<RootRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-corpus-'));
  const output = path.join(dir, 'report.json');
  let stderr = '';
  try {
    const code = await main(['check', root, '--format', 'json', '--output', output], {
      stdout: { write: () => true },
      stderr: { write: (s: string) => { stderr += s; return true; } },
      cwd,
      env: {},
    });
    const report = fs.existsSync(output) ? JSON.parse(fs.readFileSync(output, 'utf8')) as JsonReport : undefined;
    return { root, code, stderr, report };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What a reviewer expects of one rule on one resource. */
export interface Expectation {
  /** The file that declares the resource, relative to the corpus directory (as the report names it). */
  readonly file: string;
  /** The resource's Terraform address, with module path and instance key (`module.x.docker_container.y[0]`). */
  readonly address: string;
  readonly rule: string;
  readonly verdict: 'fail' | 'pass' | 'unknown' | 'not-unknown';
  readonly why: string;
  /** The root check runs on; by default the longest root that contains `file`. */
  readonly root?: string;
  /** What the tool lacks for this expectation to hold today. */
  readonly gap?: string;
}

/** What the report says of a rule on a resource: `unseen` when the resource has no finding at all. */
export type Observed = 'fail' | 'pass' | 'unknown' | 'unseen';

/**
 * The report's verdict on one rule of one resource. The JSON report lists failures and unknowns only, so a rule
 * without a finding passed (or did not apply), provided the resource is in the report at all; under the hardened
 * profile every real resource has some finding, and one without is reported as unseen rather than assumed to pass.
 */
export function observe(findings: readonly JsonFinding[], e: Pick<Expectation, 'file' | 'address' | 'rule'>): Observed {
  const mine = findings.filter((f) => f.file === e.file && f.address === e.address);
  if (mine.length === 0) return 'unseen';
  const forRule = mine.filter((f) => f.ruleId === e.rule);
  if (forRule.some((f) => f.status === 'fail')) return 'fail';
  if (forRule.some((f) => f.status === 'unknown')) return 'unknown';
  return 'pass';
}

export function holds(verdict: Expectation['verdict'], observed: Observed): boolean {
  if (verdict === 'not-unknown') return observed === 'fail' || observed === 'pass';
  return observed === verdict;
}

/** The root an expectation runs under: its own, or the longest root containing its file. */
export function rootOf(e: Expectation, roots: readonly string[]): string | undefined {
  if (e.root) return e.root;
  return roots
    .filter((r) => e.file === r || e.file.startsWith(`${r}/`))
    .sort((a, b) => b.length - a.length)[0];
}
