/**
 * Which files are compose files, by name and by what a directory holds: no YAML parsing here, so that finding the
 * inputs of a run never loads the parser (a `check` of Terraform alone does not pay for it).
 */
import * as fs from 'fs';
import * as path from 'path';

/** The file names `docker compose` looks for in a directory, in its order of preference. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const OVERRIDE_NAMES = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yaml', 'docker-compose.override.yml'];

/** True when a file name is a compose file by its name (`compose.yaml`, `docker-compose.prod.yml`, ...). */
export function isComposeFileName(file: string): boolean {
  return /^(docker-)?compose(\.[^/\\]+)?\.ya?ml$/i.test(path.basename(file));
}

/** The compose file of a directory and its override file, as `docker compose` picks them; empty when none. */
export function composeFilesIn(dir: string): string[] {
  const main = COMPOSE_FILE_NAMES.map((n) => path.join(dir, n)).find((f) => fs.existsSync(f));
  if (!main) return [];
  const override = OVERRIDE_NAMES.map((n) => path.join(dir, n)).find((f) => fs.existsSync(f));
  return override ? [main, override] : [main];
}

/**
 * The files `docker compose -f <file>` reads when given one file: that file, and its override file when the file is
 * the directory's default compose file (compose reads the override only then).
 */
export function composeFilesFor(file: string): string[] {
  const dir = path.dirname(file);
  if (!COMPOSE_FILE_NAMES.includes(path.basename(file))) return [file];
  const override = OVERRIDE_NAMES.map((n) => path.join(dir, n)).find((f) => fs.existsSync(f));
  return override ? [file, override] : [file];
}

