/**
 * Writes the corpus listed in SOURCES.json into a directory, from local git copies of its repositories.
 *
 *   npx ts-node --transpile-only test/corpus/materialize.ts --git-dirs '/work/.mirror/{owner}+{name}/repo' --out DIR
 *
 * `--git-dirs` is a pattern of each repository's git directory ({owner}, {name}: the repository's, or its
 * `gitMirror`'s when it has one); every file is read at the commit SOURCES.json names and must have the SHA-256 it
 * records, or nothing is written for that repository. Each repository's licence file (and NOTICE files) go beside
 * its files, since its licence asks for that. `--sources FILE` names another corpus's list (test/compose-corpus).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readSources, REDISTRIBUTABLE_LICENCES, sha256, SOURCES_FILE } from './sources';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** The materializer's command line; `sourcesFile` is the list used when `--sources` is not given. Returns the exit code. */
export function materialize(args: string[], sourcesFile = SOURCES_FILE): number {
  const pattern = option(args, '--git-dirs');
  const out = option(args, '--out');
  const listFile = option(args, '--sources') ?? sourcesFile;
  if (!pattern || !out) {
    process.stderr.write('usage: materialize.ts --git-dirs PATTERN_WITH_{owner}_AND_{name} --out DIR [--sources SOURCES.json]\n');
    return 2;
  }
  const sources = readSources(listFile);
  fs.mkdirSync(out, { recursive: true });
  fs.copyFileSync(listFile, path.join(out, 'SOURCES.json'));
  let failed = 0;
  for (const repo of sources.repositories) {
    if (!REDISTRIBUTABLE_LICENCES.includes(repo.licence)) {
      process.stderr.write(`${repo.repo}: licence ${repo.licence} is not one the corpus may redistribute; skipped\n`);
      failed++;
      continue;
    }
    const [owner, name] = (repo.gitMirror ?? repo.repo).split('/');
    const gitDir = pattern.replace('{owner}', owner).replace('{name}', name);
    const show = (p: string) => execFileSync('git', ['--git-dir', gitDir, 'show', `${repo.commit}:${p}`], { maxBuffer: 64 * 1024 * 1024 });
    const writes: [string, Buffer, boolean][] = [];
    try {
      for (const f of sources.files.filter((x) => x.repo === repo.repo)) {
        const data = show(f.source);
        if (sha256(data) !== f.sha256) throw new Error(`${f.source}: SHA-256 differs from SOURCES.json`);
        writes.push([f.path, data, f.symlink !== undefined]);
      }
      for (const p of [repo.licenceFile, ...repo.noticeFiles]) writes.push([`${repo.corpusDir}/${p}`, show(p), false]);
    } catch (e: any) {
      process.stderr.write(`${repo.repo}@${repo.commit}: ${String(e?.message ?? e).split('\n')[0]}\n`);
      failed++;
      continue;
    }
    for (const [p, data, link] of writes) {
      const abs = path.join(out, p);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.rmSync(abs, { force: true });
      // git stores a symbolic link as its target's text; the corpus keeps it a link (possibly dangling, as in the repository).
      if (link) fs.symlinkSync(data.toString('utf8'), abs);
      else fs.writeFileSync(abs, data);
    }
    process.stdout.write(`${repo.repo}: ${writes.length} files\n`);
  }
  return failed ? 1 : 0;
}

if (require.main === module) process.exitCode = materialize(process.argv.slice(2));
