import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** Licences under which a file may be redistributed in the corpus (SPDX). */
export const REDISTRIBUTABLE_LICENCES = ['MIT', 'Apache-2.0', 'MPL-2.0', 'BSD-2-Clause', 'BSD-3-Clause', 'ISC', 'Unlicense', 'CC0-1.0'];

/** One repository the corpus takes files from, at one commit. */
export interface CorpusRepository {
  readonly repo: string;
  readonly commit: string;
  readonly licence: string;
  /** The licence text's path in the repository; copied beside the files, as the licence asks. */
  readonly licenceFile: string;
  /** NOTICE files (Apache-2.0 section 4d), copied likewise. */
  readonly noticeFiles: string[];
  /** The directory under the corpus root: `<owner>__<name>`. */
  readonly corpusDir: string;
  /**
   * A repository (`owner/name`) whose history holds `commit`, read instead of `repo` itself when `repo` cannot be
   * fetched here (a fork that shares the upstream history); the files are still `repo`'s, at `repo`'s commit.
   */
  readonly gitMirror?: string;
}

/** What `check` is run on, as a user would: a module directory, or a file that is a configuration of its own. */
export interface CorpusRoot {
  readonly path: string;
  readonly kind: 'directory' | 'file';
  readonly repo: string;
  /** Why Terraform itself refuses this configuration: the one case where check may exit 2. */
  readonly terraformRefuses?: string;
}

export interface CorpusFile {
  /** Path under the corpus root: `<owner>__<name>/<path in the repository>`. */
  readonly path: string;
  readonly repo: string;
  /** Path in the repository. */
  readonly source: string;
  readonly commit: string;
  readonly licence: string;
  readonly bytes: number;
  /** Of the file's content; for a symbolic link, of its target (as git stores a link). */
  readonly sha256: string;
  /** The link's target, when the repository holds the file as a symbolic link (kept one: Terraform follows it). */
  readonly symlink?: string;
}

export interface CorpusSources {
  readonly about: string;
  readonly repositories: CorpusRepository[];
  readonly roots: CorpusRoot[];
  readonly files: CorpusFile[];
}

export const SOURCES_FILE = path.join(__dirname, 'SOURCES.json');

export function readSources(file = SOURCES_FILE): CorpusSources {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

export function sha256(data: Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** Which corpus to look for: its environment variable and its directory under `shared/`. */
export interface CorpusLocation {
  readonly envVar: string;
  readonly sharedDir: string;
}

/** The Terraform corpus of this folder. */
export const TERRAFORM_CORPUS: CorpusLocation = { envVar: 'HARDENED_DOCKER_CORPUS', sharedDir: 'corpus' };

/**
 * Where the corpus files are: the location's environment variable (`HARDENED_DOCKER_CORPUS`), else the first
 * `shared/<sharedDir>` found beside the repository or one of its parents (CI gets a copy of shared/ beside its
 * clone). Undefined when there is none.
 */
export function findCorpusRoot(env: NodeJS.ProcessEnv = process.env, from = path.resolve(__dirname, '..', '..'),
  location: CorpusLocation = TERRAFORM_CORPUS): string | undefined {
  const fromEnv = env[location.envVar];
  if (fromEnv) return path.resolve(fromEnv);
  let dir = from;
  for (let i = 0; i < 4; i++) {
    const candidate = path.join(path.dirname(dir), 'shared', location.sharedDir);
    if (fs.existsSync(candidate) && fs.statSync(candidate).isDirectory()) return candidate;
    dir = path.dirname(dir);
  }
  return undefined;
}

/** The files of the corpus directory that do not match SOURCES.json: missing, or with another SHA-256. */
export function corpusMismatches(root: string, sources: CorpusSources): string[] {
  const problems: string[] = [];
  for (const f of sources.files) {
    const abs = path.join(root, f.path);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(abs);
    } catch {
      problems.push(`${f.path}: missing`);
      continue;
    }
    if ((f.symlink !== undefined) !== stat.isSymbolicLink()) {
      problems.push(`${f.path}: ${f.symlink !== undefined ? 'should be a symbolic link' : 'should not be a symbolic link'}`);
      continue;
    }
    const digest = sha256(f.symlink !== undefined ? Buffer.from(fs.readlinkSync(abs)) : fs.readFileSync(abs));
    if (digest !== f.sha256) problems.push(`${f.path}: SHA-256 ${digest}, SOURCES.json says ${f.sha256}`);
  }
  return problems;
}
