import * as fs from 'fs';
import * as path from 'path';
import { Expectation, holds, observe, rootOf, RootRun, runRoot } from './run-check';
import { corpusMismatches, CorpusRoot, CorpusSources, findCorpusRoot, readSources, REDISTRIBUTABLE_LICENCES } from './sources';
import { Profile } from '../../src/profiles/profile';

const sources: CorpusSources = readSources();
const expectations: Expectation[] = JSON.parse(fs.readFileSync(path.join(__dirname, 'expectations.json'), 'utf8')).expectations;
const rootPaths = sources.roots.map((r) => r.path);
const ruleIds = new Set(Profile.named('hardened').knownRuleIds);
const label = (e: Expectation) => `${e.file} ${e.address} ${e.rule} ${e.verdict}`;

describe('corpus sources and expectations', () => {
  test('every file comes from a listed repository, at its commit, under a licence that allows redistribution', () => {
    const repos = new Map(sources.repositories.map((r) => [r.repo, r]));
    for (const r of sources.repositories) expect(REDISTRIBUTABLE_LICENCES).toContain(r.licence);
    const problems = sources.files.filter((f) => {
      const repo = repos.get(f.repo);
      return !repo || repo.commit !== f.commit || repo.licence !== f.licence || !f.path.startsWith(`${repo.corpusDir}/`)
        || f.path !== `${repo.corpusDir}/${f.source}` || !/^[0-9a-f]{64}$/.test(f.sha256);
    }).map((f) => f.path);
    expect(problems).toEqual([]);
  });

  test('the corpus is the size the issue asks for: at least 100 files from at least 10 repositories, the provider\'s own among them', () => {
    expect(sources.files.length).toBeGreaterThanOrEqual(100);
    expect(new Set(sources.files.map((f) => f.repo)).size).toBeGreaterThanOrEqual(10);
    expect(sources.files.filter((f) => f.repo === 'kreuzwerker/terraform-provider-docker' && f.source.startsWith('testdata/')).length)
      .toBeGreaterThan(0);
  });

  test('every root holds corpus files, and a root Terraform refuses says why', () => {
    const empty = sources.roots.filter((r) => !sources.files.some((f) => f.path === r.path || f.path.startsWith(`${r.path}/`)));
    expect(empty).toEqual([]);
    for (const r of sources.roots) if (r.terraformRefuses !== undefined) expect(r.terraformRefuses.trim().length).toBeGreaterThan(20);
  });

  test('every expectation names a corpus file, a root, a rule of the catalog, a verdict and why', () => {
    const files = new Set(sources.files.map((f) => f.path));
    const bad = expectations.filter((e) => !files.has(e.file) || rootOf(e, rootPaths) === undefined
      || !rootPaths.includes(rootOf(e, rootPaths)!) || !ruleIds.has(e.rule)
      || !['fail', 'pass', 'unknown', 'not-unknown'].includes(e.verdict) || !e.why?.trim()
      || (e.gap !== undefined && !e.gap.trim()));
    expect(bad.map(label)).toEqual([]);
    expect(expectations.length).toBeGreaterThanOrEqual(40);
    expect(new Set(expectations.map((e) => `${e.file} ${e.address}`)).size).toBeGreaterThanOrEqual(30);
    expect(new Set(expectations.map(label)).size).toBe(expectations.length);
  });
});

// The files themselves are kept out of this repository (see README.md): they are read from HARDENED_DOCKER_CORPUS or
// shared/corpus, and the part below runs only where they are.
const corpusRoot = findCorpusRoot();
const describeCorpus = corpusRoot ? describe : describe.skip;
if (!corpusRoot) {
  // eslint-disable-next-line no-console
  console.warn('test/corpus: no corpus directory (HARDENED_DOCKER_CORPUS or shared/corpus): the real-world corpus was not checked; see test/corpus/README.md');
}

describeCorpus('check over the real-world corpus', () => {
  test('the corpus directory holds exactly the files SOURCES.json lists', () => {
    expect(corpusMismatches(corpusRoot!, sources)).toEqual([]);
  });

  describeRuns(corpusRoot!, rootPaths, refusedBy(sources.roots), expectations);
});

describe('check over the hand-written corpus', () => {
  const dir = path.join(__dirname, 'handwritten');
  const doc = JSON.parse(fs.readFileSync(path.join(dir, 'expectations.json'), 'utf8'));
  const roots = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const own: Expectation[] = doc.expectations;

  test('every expectation names a file of a root, a rule of the catalog, a verdict and why', () => {
    const bad = own.filter((e) => !fs.existsSync(path.join(dir, e.file)) || !roots.includes(rootOf(e, roots) ?? '')
      || !ruleIds.has(e.rule) || !['fail', 'pass', 'unknown', 'not-unknown'].includes(e.verdict) || !e.why?.trim()
      || (e.gap !== undefined && !e.gap.trim()));
    expect(bad.map(label)).toEqual([]);
    expect(Object.keys(doc.terraformRefuses).filter((r) => !roots.includes(r))).toEqual([]);
  });

  describeRuns(dir, roots, new Map(Object.entries<string>(doc.terraformRefuses)), own);
});

function refusedBy(roots: readonly CorpusRoot[]): Map<string, string> {
  return new Map(roots.filter((r) => r.terraformRefuses).map((r) => [r.path, r.terraformRefuses!]));
}

/**
 * Runs check on every root from `cwd`, then asserts the contract (no internal error; exit 2 exactly where Terraform
 * refuses the configuration) and each expectation: those without a gap hold, those with one still do not.
 */
function describeRuns(cwd: string, roots: readonly string[], refused: ReadonlyMap<string, string>, list: readonly Expectation[]) {
  const runs = new Map<string, RootRun>();

  beforeAll(async () => {
    const wanted = new Set([...roots, ...list.map((e) => rootOf(e, roots)!)]);
    for (const root of wanted) runs.set(root, await runRoot(cwd, root));
  }, 300_000);

  test('no root crashes check: exit 0 or 1, or 2 exactly where Terraform itself refuses the configuration', () => {
    const wrong: string[] = [];
    for (const run of runs.values()) {
      if (/internal error/i.test(run.stderr)) wrong.push(`${run.root}: ${run.stderr.trim()}`);
      else if (run.code === 2 && !refused.has(run.root)) wrong.push(`${run.root}: exit 2: ${run.stderr.trim()}`);
      else if (run.code !== 2 && refused.has(run.root)) wrong.push(`${run.root}: exit ${run.code}, but Terraform refuses it: ${refused.get(run.root)}`);
      else if (![0, 1, 2].includes(run.code)) wrong.push(`${run.root}: exit ${run.code}`);
      else if (run.code !== 2 && !run.report) wrong.push(`${run.root}: exit ${run.code} without a report`);
    }
    expect(wrong).toEqual([]);
  });

  const current = list.filter((e) => e.gap === undefined);
  const gaps = list.filter((e) => e.gap !== undefined);
  // test.each refuses an empty table: the day every gap is promoted, that list is empty.
  const each = (some: readonly Expectation[]) => test.each(some.map((e) => [label(e), e] as const));
  if (current.length) {
    each(current)('holds: %s', (_name, e) => {
      const run = runs.get(rootOf(e, roots)!)!;
      const observed = observe(run.report?.findings ?? [], e);
      if (!holds(e.verdict, observed)) {
        const said = (run.report?.findings ?? []).filter((f) => f.file === e.file && f.address === e.address && f.ruleId === e.rule);
        throw new Error(`expected ${e.verdict} (${e.why}), the report says ${observed}`
          + `${said.length ? `: ${said.map((f) => f.message).join('; ')}` : ''}${run.report ? '' : ` (exit ${run.code}: ${run.stderr.trim()})`}`);
      }
    });
  }
  if (gaps.length) {
    each(gaps)('still a gap: %s', (_name, e) => {
      const run = runs.get(rootOf(e, roots)!)!;
      const observed = observe(run.report?.findings ?? [], e);
      if (holds(e.verdict, observed)) {
        throw new Error(`this expectation holds now (the report says ${observed}): promote it, remove its "gap" (${e.gap}) from its expectations file`);
      }
    });
  }
}
