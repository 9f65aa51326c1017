import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ComposeLoadOptions, loadComposeProject } from '../../../src/spec/compose/load';
import { composeServiceSpec } from '../../../src/spec/compose/service-spec';
import { Position } from '../../../src/spec/compose/tree';
import { ContainerSpec } from '../../../src/spec/container-spec';

/** A temporary project directory holding `files` (name -> text); removed after each test by `cleanupProjects`. */
const made: string[] = [];
export function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-compose-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

export function cleanupProjects(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

export interface LoadedService {
  readonly spec: ContainerSpec;
  readonly positions: ReadonlyMap<string, Position>;
}

/** The services of the project in `dir` read from `names` (default compose.yaml), by service name. */
export function services(dir: string, names: string[] = ['compose.yaml'], opts: Partial<ComposeLoadOptions> = {}): Map<string, LoadedService> {
  const loaded = loadComposeProject(names.map((n) => path.join(dir, n)), { cwd: dir, env: {}, ...opts });
  const out = new Map<string, LoadedService>();
  for (const s of loaded.services) out.set(s.name, composeServiceSpec(s, s.at.file));
  return out;
}

/** The spec of the one service `web` of a compose.yaml holding `yaml`. */
export function web(yaml: string, env: Record<string, string> = {}): ContainerSpec {
  const dir = project({ 'compose.yaml': yaml });
  const s = services(dir, ['compose.yaml'], { env }).get('web');
  if (!s) throw new Error('no service web');
  return s.spec;
}
