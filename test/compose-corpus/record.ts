/**
 * Adds files of one repository, at one commit, to this folder's SOURCES.json: path, SHA-256 and size read from a
 * local git copy, the repository's licence as given (check the licence file at that commit first). A compose file
 * that is not an override (`*.override.*`) and not a KICS `metadata.json` becomes a root `check` runs on.
 *
 *   npx ts-node --transpile-only test/compose-corpus/record.ts --repo OWNER/NAME --git-dir DIR --commit SHA \
 *     --licence SPDX --licence-file LICENSE [--mirror OWNER/NAME] PATH...
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CorpusSources, REDISTRIBUTABLE_LICENCES, sha256 } from '../corpus/sources';

const SOURCES = path.join(__dirname, 'SOURCES.json');

function option(args: string[], name: string): string {
  const i = args.indexOf(name);
  if (i < 0 || i + 1 >= args.length) throw new Error(`missing ${name}`);
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
}

function main(argv: string[]): number {
  const args = [...argv];
  const repo = option(args, '--repo');
  const gitDir = option(args, '--git-dir');
  const commit = option(args, '--commit');
  const licence = option(args, '--licence');
  const licenceFile = option(args, '--licence-file');
  const mirror = args.includes('--mirror') ? option(args, '--mirror') : undefined;
  if (!REDISTRIBUTABLE_LICENCES.includes(licence)) throw new Error(`${licence} is not a licence the corpus may redistribute`);
  const sources: CorpusSources = fs.existsSync(SOURCES) ? JSON.parse(fs.readFileSync(SOURCES, 'utf8'))
    : { about: '', repositories: [], roots: [], files: [] };
  const corpusDir = repo.replace('/', '__');
  const repositories = sources.repositories.filter((r) => r.repo !== repo);
  repositories.push({ repo, commit, licence, licenceFile, noticeFiles: [], corpusDir, ...(mirror ? { gitMirror: mirror } : {}) });
  const files = sources.files.filter((f) => f.repo !== repo || !args.includes(f.source));
  const roots = sources.roots.filter((r) => r.repo !== repo || !args.some((a) => r.path === `${corpusDir}/${a}`));
  for (const source of args) {
    const data = execFileSync('git', ['--git-dir', gitDir, 'show', `${commit}:${source}`], { maxBuffer: 64 * 1024 * 1024 });
    const p = `${corpusDir}/${source}`;
    files.push({ path: p, repo, source, commit, licence, bytes: data.length, sha256: sha256(data) });
    if (/\.ya?ml$/.test(source) && !/\.override\./.test(source)) roots.push({ path: p, kind: 'file', repo });
  }
  const order = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  fs.writeFileSync(SOURCES, `${JSON.stringify({ ...sources, repositories, roots: roots.sort(order), files: files.sort(order) }, null, 2)}\n`);
  process.stdout.write(`${repo}: ${args.length} files recorded\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
