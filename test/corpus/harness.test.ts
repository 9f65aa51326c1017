import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { holds, observe, rootOf } from './run-check';
import { corpusMismatches, CorpusSources, findCorpusRoot, sha256 } from './sources';
import type { JsonFinding } from '../../src/report/json-report';

function finding(ruleId: string, status: string, file = 'a/main.tf', address = 'docker_container.x'): JsonFinding {
  return {
    ruleId,
    status,
    file,
    address,
    title: '',
    severity: 'error',
    cis: [],
    resourceName: null,
    constructPath: null,
    stack: null,
    message: '',
    remediation: '',
    suppressed: false,
    reason: null,
  };
}

describe('observe: the report\'s verdict on one rule of one resource', () => {
  const e = { file: 'a/main.tf', address: 'docker_container.x', rule: 'no-privileged' };

  test('a resource the report never names is unseen, not a pass', () => {
    expect(observe([finding('no-privileged', 'fail', 'a/main.tf', 'docker_container.y')], e)).toBe('unseen');
    expect(observe([finding('no-privileged', 'fail', 'b/main.tf', 'docker_container.x')], e)).toBe('unseen');
  });

  test('a fail outranks an unknown of the same rule; no finding for the rule on a seen resource is a pass', () => {
    expect(observe([finding('no-privileged', 'unknown'), finding('no-privileged', 'fail')], e)).toBe('fail');
    expect(observe([finding('no-privileged', 'unknown')], e)).toBe('unknown');
    expect(observe([finding('memory-limit', 'fail')], e)).toBe('pass');
  });

  test('not-unknown holds for a fail or a pass only; unknown holds only for unknown', () => {
    expect(['fail', 'pass', 'unknown', 'unseen'].map((o) => holds('not-unknown', o as any))).toEqual([true, true, false, false]);
    expect(['fail', 'pass', 'unknown', 'unseen'].map((o) => holds('unknown', o as any))).toEqual([false, false, true, false]);
    expect(holds('pass', 'unseen')).toBe(false);
  });
});

describe('rootOf', () => {
  const roots = ['r', 'r/examples/basic', 'r/examples/basic.tf', 'q'];

  test('the longest root containing the file, by whole path segments', () => {
    expect(rootOf({ file: 'r/examples/basic/main.tf' } as any, roots)).toBe('r/examples/basic');
    expect(rootOf({ file: 'r/examples/basic.tf' } as any, roots)).toBe('r/examples/basic.tf');
    expect(rootOf({ file: 'r/main.tf' } as any, roots)).toBe('r');
    expect(rootOf({ file: 'qq/main.tf' } as any, roots)).toBeUndefined();
  });

  test('an expectation\'s own root wins (a module called from another directory)', () => {
    expect(rootOf({ file: 'r/modules/x/main.tf', root: 'r/examples/basic' } as any, roots)).toBe('r/examples/basic');
  });
});

describe('corpus directory', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-corpus-harness-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function sourcesOf(files: CorpusSources['files']): CorpusSources {
    return { about: '', repositories: [], roots: [], files };
  }
  const entry = (p: string, content: string, symlink?: string) => ({
    path: p, repo: 'o/n', source: p, commit: 'c', licence: 'MIT', bytes: content.length, sha256: sha256(Buffer.from(content)), symlink,
  });

  test('reports a missing file, a changed file, and a link that is not one', () => {
    fs.mkdirSync(path.join(dir, 'o__n'));
    fs.writeFileSync(path.join(dir, 'o__n/same.tf'), 'a');
    fs.writeFileSync(path.join(dir, 'o__n/changed.tf'), 'b');
    fs.writeFileSync(path.join(dir, 'o__n/vars.tf'), '../vars.tf');
    fs.symlinkSync('../nowhere.tfvars', path.join(dir, 'o__n/terraform.tfvars'));
    const problems = corpusMismatches(dir, sourcesOf([
      entry('o__n/same.tf', 'a'),
      entry('o__n/changed.tf', 'c'),
      entry('o__n/missing.tf', 'd'),
      entry('o__n/vars.tf', '../vars.tf', '../vars.tf'),
      entry('o__n/terraform.tfvars', '../nowhere.tfvars', '../nowhere.tfvars'),
    ]));
    expect(problems.map((p) => p.split(':')[0])).toEqual(['o__n/changed.tf', 'o__n/missing.tf', 'o__n/vars.tf']);
  });

  test('HARDENED_DOCKER_CORPUS wins; else shared/corpus beside the repository or a parent; else none', () => {
    const repo = path.join(dir, 'work', 'wt', 'repo');
    fs.mkdirSync(repo, { recursive: true });
    expect(findCorpusRoot({}, repo)).toBeUndefined();
    fs.mkdirSync(path.join(dir, 'work', 'shared', 'corpus'), { recursive: true });
    expect(findCorpusRoot({}, repo)).toBe(path.join(dir, 'work', 'shared', 'corpus'));
    fs.mkdirSync(path.join(dir, 'work', 'wt', 'shared', 'corpus'), { recursive: true });
    expect(findCorpusRoot({}, repo)).toBe(path.join(dir, 'work', 'wt', 'shared', 'corpus'));
    expect(findCorpusRoot({ HARDENED_DOCKER_CORPUS: 'elsewhere' }, repo)).toBe(path.resolve('elsewhere'));
  });
});
