import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';

export const ROOT = path.resolve(__dirname, '..', '..');
export const FIXTURES = path.join(__dirname, 'fixtures');

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRunOptions {
  readonly cwd?: string;
  readonly env?: { [k: string]: string | undefined };
  readonly tty?: boolean;
  readonly stdin?: string;
}

/** Runs the CLI in-process with captured streams. */
export async function cli(argv: string[], opts: CliRunOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => { stdout += s; return true; }, isTTY: opts.tty },
    stderr: { write: (s: string) => { stderr += s; return true; } },
    cwd: opts.cwd ?? ROOT,
    env: opts.env ?? {},
    readStdin: opts.stdin === undefined ? undefined : async () => opts.stdin!,
  });
  return { code, stdout, stderr };
}

/** A fixture path relative to the repository root (how the CLI reports files when cwd is the root). */
export function fixture(rel: string): string {
  return path.relative(ROOT, path.join(FIXTURES, rel)).split(path.sep).join('/');
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix = 'hd-cli-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A docker_container body as HardenedContainer synthesizes it: only info findings and a suppressed pids-limit. */
export function hardenedBody(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    image: 'registry.example/app@sha256:' + 'a'.repeat(64),
    user: '10001:10001',
    read_only: true,
    capabilities: { drop: ['ALL'] },
    security_opts: ['no-new-privileges:true'],
    memory: 256,
    memory_swap: 256,
    cpu_shares: 512,
    cpu_period: 100000,
    cpu_quota: 50000,
    init: true,
    tmpfs: { '/tmp': 'rw,noexec,nosuid,nodev,size=64m' },
    ulimit: [{ name: 'nofile', soft: 1024, hard: 1024 }, { name: 'nproc', soft: 256, hard: 256 }],
    restart: 'on-failure',
    max_retry_count: 3,
    log_driver: 'json-file',
    log_opts: { 'max-size': '10m', 'max-file': '3' },
    healthcheck: { test: ['CMD', '/app/health'], interval: '30s', timeout: '5s', retries: 3 },
    networks_advanced: [{ name: 'app' }],
    labels: [{ label: 'hardened-docker.suppress.pids-limit', value: 'provider 3.6.2 has no pids_limit; nproc ulimit stands in' }],
    ...overrides,
  };
}

/** Writes a Terraform JSON file of docker_container bodies and returns its path. */
export function writeTfJson(dir: string, file: string, containers: Record<string, unknown>): string {
  const p = path.join(dir, file);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, JSON.stringify({ resource: { docker_container: containers } }, null, 2));
  return p;
}
