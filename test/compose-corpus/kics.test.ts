/**
 * KICS's compose fixtures (Checkmarx/kics, assets/queries/dockerCompose/<query>/test/): every positive is flagged by
 * the rule(s) kics.json maps its query to, every negative is clean for them; where this project reads a fixture
 * otherwise, kics.json says so case by case, with the reason, and the test asserts that reading.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Profile } from '../../src/profiles/profile';
import { RootRun, runRoot } from '../corpus/run-check';
import { corpusMismatches, findCorpusRoot, readSources } from '../corpus/sources';

/** How this project reads a fixture, where it differs from KICS's positive/negative. */
type CaseOutcome =
  /** A negative that a mapped rule fails: this project asks for more than the query. */
  | 'stricter'
  /** A positive that no mapped rule fails: KICS's reading is wrong, or asks for more than the CIS control. */
  | 'not-flagged'
  /** A fixture that is not a valid compose file: check refuses it with a positioned error (exit 2). */
  | 'refused'
  /** A negative a mapped rule cannot judge (unknown, never a pass): what it needs only the engine knows. */
  | 'unknown';

interface KicsQuery {
  readonly query: string;
  readonly id: string;
  readonly name: string;
  readonly rules: string[];
  /** Why no rule of this project corresponds to the query; only when `rules` is empty. */
  readonly noEquivalent?: string;
}

interface KicsMap {
  readonly queries: KicsQuery[];
  /** By fixture path under the query directory (`<query>/test/negative1.yaml`). */
  readonly cases: { readonly [fixture: string]: { readonly outcome: CaseOutcome; readonly why: string } };
}

export const KICS_DIR = 'Checkmarx__kics/assets/queries/dockerCompose';
const sources = readSources(path.join(__dirname, 'SOURCES.json'));
const map: KicsMap = JSON.parse(fs.readFileSync(path.join(__dirname, 'kics.json'), 'utf8'));
const ruleIds = new Set(Profile.named('hardened').knownRuleIds);
const fixtures = sources.roots.filter((r) => r.repo === 'Checkmarx/kics').map((r) => r.path.slice(KICS_DIR.length + 1));
const queryOf = (fixture: string) => map.queries.find((q) => q.query === fixture.split('/')[0]);
const isPositive = (fixture: string) => /\/positive\d*\.ya?ml$/.test(fixture);

describe('KICS compose queries mapped to this project\'s rules', () => {
  test('every fixture of the corpus belongs to a mapped query, and every query has fixtures', () => {
    expect(fixtures.length).toBeGreaterThan(90);
    expect(fixtures.filter((f) => !queryOf(f) || !/\/test\/(positive|negative)\d*\.ya?ml$/.test(f))).toEqual([]);
    expect(map.queries.filter((q) => !fixtures.some((f) => f.startsWith(`${q.query}/`))).map((q) => q.query)).toEqual([]);
    expect(map.queries.filter((q) => !sources.files.some((f) => f.path === `${KICS_DIR}/${q.query}/metadata.json`)).map((q) => q.query)).toEqual([]);
  });

  test('every query names rules of the catalog, or says why none corresponds', () => {
    const bad = map.queries.filter((q) => q.rules.some((r) => !ruleIds.has(r))
      || (q.rules.length === 0) !== (q.noEquivalent !== undefined) || (q.noEquivalent !== undefined && q.noEquivalent.trim().length < 30));
    expect(bad.map((q) => q.query)).toEqual([]);
  });

  test('every case names a fixture of a mapped query, an outcome that fits it, and why', () => {
    const bad = Object.entries(map.cases).filter(([f, c]) => !fixtures.includes(f) || !queryOf(f)?.rules.length
      || c.why.trim().length < 30 || (['stricter', 'unknown'].includes(c.outcome) && isPositive(f)) || (c.outcome === 'not-flagged' && !isPositive(f))
      || !['stricter', 'not-flagged', 'refused', 'unknown'].includes(c.outcome));
    expect(bad.map(([f]) => f)).toEqual([]);
  });
});

const corpusRoot = findCorpusRoot(process.env, path.resolve(__dirname, '..', '..'), { envVar: 'HARDENED_DOCKER_COMPOSE_CORPUS', sharedDir: 'compose-corpus' });
if (!corpusRoot) {
  // eslint-disable-next-line no-console
  console.warn('test/compose-corpus: no corpus directory (HARDENED_DOCKER_COMPOSE_CORPUS or shared/compose-corpus): KICS\'s fixtures were not checked; see test/compose-corpus/README.md');
}
(corpusRoot ? describe : describe.skip)('check over KICS\'s compose fixtures', () => {
  const runs = new Map<string, RootRun>();
  beforeAll(async () => {
    for (const f of fixtures) runs.set(f, await runRoot(corpusRoot!, `${KICS_DIR}/${f}`));
  }, 300_000);

  test('the corpus directory holds the KICS files SOURCES.json lists, and each query\'s metadata names the mapped query', () => {
    const kicsOnly = { ...sources, files: sources.files.filter((f) => f.repo === 'Checkmarx/kics') };
    expect(corpusMismatches(corpusRoot!, kicsOnly)).toEqual([]);
    for (const q of map.queries) {
      const meta = JSON.parse(fs.readFileSync(path.join(corpusRoot!, KICS_DIR, q.query, 'metadata.json'), 'utf8'));
      expect([meta.id, meta.queryName]).toEqual([q.id, q.name]);
    }
  });

  test.each(fixtures.map((f) => [f]))('%s', (fixture) => {
    const run = runs.get(fixture)!;
    const query = queryOf(fixture)!;
    const known = map.cases[fixture];
    expect(run.stderr).not.toMatch(/internal error/i);
    if (known?.outcome === 'refused') {
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`${fixture.replace(/[.]/g, '\\.')}:\\d+:\\d+: `));
      return;
    }
    if (![0, 1].includes(run.code) || !run.report) throw new Error(`exit ${run.code}: ${run.stderr.trim()}`);
    const mine = run.report.findings.filter((f) => query.rules.includes(f.ruleId));
    const said = mine.map((f) => `${f.address} ${f.ruleId} ${f.status}: ${f.message}`).join('\n  ');
    const failed = mine.some((f) => f.status === 'fail');
    if (query.rules.length === 0) return; // no equivalent rule: only "no crash" is asserted
    if (isPositive(fixture) && known?.outcome !== 'not-flagged') {
      if (!failed) throw new Error(`KICS positive, but no rule of ${query.rules.join(', ')} fails${said ? `:\n  ${said}` : ''}`);
    } else if (known?.outcome === 'unknown') {
      if (failed || !mine.some((f) => f.status === 'unknown')) {
        throw new Error(`kics.json says a rule of ${query.rules.join(', ')} is unknown here (${known.why}), but:\n  ${said || 'no finding'}`);
      }
    } else if (known?.outcome === 'stricter') {
      if (!failed) throw new Error(`kics.json says this project is stricter here (${known.why}), but no rule of ${query.rules.join(', ')} fails`);
    } else if (mine.length) {
      throw new Error(`${isPositive(fixture) ? 'kics.json says this positive is not flagged' : 'KICS negative'}, but:\n  ${said}`);
    }
  });
});
