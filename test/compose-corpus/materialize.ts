/**
 * Writes the compose corpus listed in this folder's SOURCES.json into a directory, from local git copies of its
 * repositories (the Terraform corpus's materializer, on this list):
 *
 *   npx ts-node --transpile-only test/compose-corpus/materialize.ts --git-dirs '/work/.mirror/{owner}+{name}/repo' --out DIR
 */
import * as path from 'path';
import { materialize } from '../corpus/materialize';

process.exitCode = materialize(process.argv.slice(2), path.join(__dirname, 'SOURCES.json'));
