/**
 * Real-world compose files (README.md): no crash on any of them, and the hand-written expectations hold.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Profile } from '../../src/profiles/profile';
import { Expectation, holds, observe, rootOf, RootRun, runRoot } from '../corpus/run-check';
import { corpusMismatches, findCorpusRoot, readSources, REDISTRIBUTABLE_LICENCES } from '../corpus/sources';

const KICS = 'Checkmarx/kics';
const all = readSources(path.join(__dirname, 'SOURCES.json'));
const sources = { ...all, repositories: all.repositories.filter((r) => r.repo !== KICS), files: all.files.filter((f) => f.repo !== KICS) };
const roots = all.roots.filter((r) => r.repo !== KICS).map((r) => r.path);
const expectations: Expectation[] = JSON.parse(fs.readFileSync(path.join(__dirname, 'expectations.json'), 'utf8')).expectations;
const ruleIds = new Set(Profile.named('hardened').knownRuleIds);
const label = (e: Expectation) => `${e.file} ${e.address} ${e.rule} ${e.verdict}`;

describe('real-world compose corpus: sources and expectations', () => {
  test('every file comes from a listed repository, at its commit, under a licence that allows redistribution', () => {
    const repos = new Map(all.repositories.map((r) => [r.repo, r]));
    for (const r of all.repositories) expect(REDISTRIBUTABLE_LICENCES).toContain(r.licence);
    const bad = all.files.filter((f) => {
      const repo = repos.get(f.repo);
      return !repo || repo.commit !== f.commit || repo.licence !== f.licence || f.path !== `${repo.corpusDir}/${f.source}`
        || !/^[0-9a-f]{64}$/.test(f.sha256);
    });
    expect(bad.map((f) => f.path)).toEqual([]);
  });

  test('the size issue 19 asks for: at least 50 compose files from at least 20 repositories', () => {
    const composeFiles = sources.files.filter((f) => /\.ya?ml$/.test(f.path));
    expect(composeFiles.length).toBeGreaterThanOrEqual(50);
    expect(new Set(composeFiles.map((f) => f.repo)).size).toBeGreaterThanOrEqual(20);
    expect(roots.filter((r) => !sources.files.some((f) => f.path === r))).toEqual([]);
  });

  test('every expectation names a root, a service, a rule of the catalog, a verdict and why; at least 20 services', () => {
    const bad = expectations.filter((e) => !roots.includes(e.file) || !/^services\.[^.]+$/.test(e.address) || !ruleIds.has(e.rule)
      || !['fail', 'pass', 'unknown', 'not-unknown'].includes(e.verdict) || !e.why?.trim() || (e.gap !== undefined && !e.gap.trim()));
    expect(bad.map(label)).toEqual([]);
    expect(new Set(expectations.map((e) => `${e.file} ${e.address}`)).size).toBeGreaterThanOrEqual(20);
    expect(new Set(expectations.map(label)).size).toBe(expectations.length);
  });
});

const corpusRoot = findCorpusRoot(process.env, path.resolve(__dirname, '..', '..'), { envVar: 'HARDENED_DOCKER_COMPOSE_CORPUS', sharedDir: 'compose-corpus' });
if (!corpusRoot) {
  // eslint-disable-next-line no-console
  console.warn('test/compose-corpus: no corpus directory (HARDENED_DOCKER_COMPOSE_CORPUS or shared/compose-corpus): the real-world compose files were not checked; see test/compose-corpus/README.md');
}
(corpusRoot ? describe : describe.skip)('check over the real-world compose files', () => {
  const runs = new Map<string, RootRun>();
  beforeAll(async () => {
    for (const root of roots) runs.set(root, await runRoot(corpusRoot!, root));
  }, 300_000);

  test('the corpus directory holds the files SOURCES.json lists', () => {
    expect(corpusMismatches(corpusRoot!, sources)).toEqual([]);
  });

  test('no file crashes check: exit 0 or 1 with a report, no internal error, no file refused', () => {
    const wrong = [...runs.values()].filter((r) => ![0, 1].includes(r.code) || !r.report || /internal error/i.test(r.stderr))
      .map((r) => `${r.root}: exit ${r.code}: ${r.stderr.trim()}`);
    expect(wrong).toEqual([]);
  });

  const current = expectations.filter((e) => e.gap === undefined);
  const gaps = expectations.filter((e) => e.gap !== undefined);
  const each = (some: readonly Expectation[]) => test.each(some.map((e) => [label(e), e] as const));
  if (current.length) {
    each(current)('holds: %s', (_name, e) => {
      const run = runs.get(rootOf(e, roots)!)!;
      const findings = run.report?.findings ?? [];
      const observed = observe(findings, e);
      if (!holds(e.verdict, observed)) {
        const said = findings.filter((f) => f.address === e.address && f.ruleId === e.rule).map((f) => f.message);
        throw new Error(`expected ${e.verdict} (${e.why}), the report says ${observed}${said.length ? `: ${said.join('; ')}` : ''}`);
      }
    });
  }
  if (gaps.length) {
    each(gaps)('still a gap: %s', (_name, e) => {
      const observed = observe(runs.get(rootOf(e, roots)!)!.report?.findings ?? [], e);
      if (holds(e.verdict, observed)) throw new Error(`this expectation holds now (${observed}): remove its "gap" (${e.gap})`);
    });
  }
});
