/**
 * `hardened-docker audit`: the same rules, profiles, report formats and exit codes as `check`, on a live Docker engine.
 *
 * API for src/cli/main.ts (the CLI entry owns the program and the shared report formats):
 *
 *   registerAudit(program, io)   adds the `audit` subcommand to a commander program. Its options:
 *                                --host, --name (repeatable), --label (repeatable), --all, --services/--no-services,
 *                                --daemon-config, and the shared --profile, --format, --output, --fail-on, --strict.
 *                                The report is written through `io.emit` when main.ts provides it (the shared
 *                                formats), else through this file's own text/json/sarif writer. Sets the exit code
 *                                through `io.exit`: 0 nothing at or above --fail-on, 1 findings, 2 bad usage or no
 *                                engine (one line on stderr, never a stack trace).
 *   runAudit(options)            connects, lists, inspects and evaluates: Promise<AuditResult> ({evaluation, specs,
 *                                engine}). Throws AuditError (message fit for one line) when the engine cannot be
 *                                reached or an option is bad.
 *   exitCodeFor(evaluation, failOn)   0 or 1, as `check` computes it.
 *
 * The engine is read through ./engine-client.ts, a few GET requests on Node's own http (unix socket, tcp, TLS, and
 * ssh through `docker system dial-stdio`); docker-modem and dockerode made the package 5.6 MB with a native addon.
 * A dockerode client can still be passed in (`docker`): its `.modem` is used. Inspect output is mapped by
 * src/spec/engine-adapter.ts.
 */
import { readFileSync } from 'fs';
import { writeFile } from 'fs/promises';
import * as path from 'path';
import type { Command } from 'commander';
import { EngineClient, EngineClientOptions, EngineDialer } from './engine-client';
import { InputError } from './inputs';
import { exitCodeFor as sharedExitCodeFor, FailOn } from './output';
import { AUDIT_PROGRESS_THRESHOLD, progress, ProgressStream } from './progress';
import { InputBudget, readRegularFile, withoutInputText } from './read-input';
import { Profile } from '../profiles/profile';
import { escapeControls as esc, oneLine } from '../report/escape';
import { Evaluation, evaluate, summarize } from '../report/evaluate';
import { Finding } from '../report/finding';
import { jsonReportText } from '../report/json-report';
import { toSarif } from '../report/sarif';
import { Severity } from '../rules/rule';
import { ContainerSpec } from '../spec/container-spec';
import { daemonNoNewPrivilegesFrom, engineIdOf, processesFromTop, specFromContainerInspect, specFromServiceInspect } from '../spec/engine-adapter';

/** A usage or connection problem: exit code 2, one line. */
export class AuditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditError';
  }
}

/** What `runAudit` reads and how it judges it. */
export interface AuditOptions {
  /** Engine address: `unix:///var/run/docker.sock`, a socket path, `tcp://host:2375`, `ssh://user@host`. Default: DOCKER_HOST, else the local socket. */
  readonly host?: string;
  /** Name patterns (`*` and `?` globs; without them an exact name). A resource matching any is audited. Default: all. */
  readonly names?: string[];
  /** Label filters `KEY` or `KEY=VALUE`; a resource must match every one. Default: none. */
  readonly labels?: string[];
  /** Include stopped containers. Default: running only. */
  readonly all?: boolean;
  /** Audit Swarm services too. Default: when the engine is a swarm manager. */
  readonly services?: boolean;
  /** Also audit containers (default true; `false` audits services only). */
  readonly containers?: boolean;
  /** Read each running container's processes (`docker top`, for rule no-sshd). Default: true; runAudit reads them only when the profile runs no-sshd. */
  readonly processes?: boolean;
  /** The profile, or a built-in profile's name. Default: hardened. */
  readonly profile?: Profile | string;
  /** An unknown value under an error rule is an error. */
  readonly strict?: boolean;
  /** The daemon's daemon.json, to learn whether it sets no-new-privileges. Default: /etc/docker/daemon.json when the engine is local. */
  readonly daemonConfigFile?: string;
  /** A ready client, e.g. a dockerode instance (tests); its modem is used. Default: a client made from `host`. */
  readonly docker?: { readonly modem: EngineDialer };
  /** Where to show progress when more than 100 containers are inspected (only a terminal shows it). Default: none. */
  readonly progress?: ProgressStream;
  /**
   * Compare the engine with what these paths declare (a cdktf.out directory, `*.tf.json`, an HCL directory, a plan
   * JSON): drift, undeclared and missing resources are reported beside the rules' findings (src/drift/).
   * Default: no comparison.
   */
  readonly against?: string[];
  /** Directory the `against` paths are resolved against. Default: the process's working directory. */
  readonly cwd?: string;
}

/** What the engine said about itself. */
export interface EngineSummary {
  readonly host: string;
  readonly serverVersion?: string;
  readonly swarmManager: boolean;
  readonly daemonNoNewPrivileges?: boolean;
  readonly containers: number;
  readonly services: number;
}

export interface AuditResult {
  readonly evaluation: Evaluation;
  /** The profile the evaluation ran: the one given, plus the drift rules under `against`. */
  readonly profile: Profile;
  readonly specs: ContainerSpec[];
  readonly engine: EngineSummary;
}

export type { FailOn };

const DEFAULT_SOCKET = '/var/run/docker.sock';

/** The engine address used when none is given. */
export function defaultHost(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST && env.DOCKER_HOST !== '' ? env.DOCKER_HOST : `unix://${DEFAULT_SOCKET}`;
}

/** dockerode options for an engine address; a clear error for a form it cannot use. */
export function dockerOptionsFor(host: string, env: NodeJS.ProcessEnv = process.env): EngineClientOptions {
  const timeout = env.DOCKER_CLIENT_TIMEOUT ? Number(env.DOCKER_CLIENT_TIMEOUT) : 60_000;
  if (!Number.isSafeInteger(timeout) || timeout <= 0) {
    throw new AuditError(`DOCKER_CLIENT_TIMEOUT=${JSON.stringify(env.DOCKER_CLIENT_TIMEOUT)}: expected a number of milliseconds greater than 0`);
  }
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) || DEFAULT_SOCKET, timeout };
  if (host.startsWith('npipe://')) return { socketPath: host.slice('npipe://'.length) || '//./pipe/docker_engine', timeout };
  if (host.startsWith('/')) return { socketPath: host, timeout };
  let url: URL;
  try {
    url = new URL(host.includes('//') ? host : `tcp://${host}`);
  } catch {
    throw new AuditError(`--host "${host}" is not an engine address; use unix:///var/run/docker.sock, /path/to/docker.sock, tcp://HOST:PORT or ssh://USER@HOST`);
  }
  if (url.protocol === 'ssh:') {
    return { protocol: 'ssh', host: url.hostname, port: url.port || 22, username: url.username || undefined, sshOptions: { agent: env.SSH_AUTH_SOCK }, timeout } as any;
  }
  if (!['tcp:', 'http:', 'https:'].includes(url.protocol)) {
    throw new AuditError(`--host "${host}": unsupported scheme ${url.protocol}; use unix://, tcp://, http(s):// or ssh://`);
  }
  const tls = url.protocol === 'https:' || env.DOCKER_TLS_VERIFY === '1' || url.port === '2376';
  const opts: any = { protocol: tls ? 'https' : 'http', host: url.hostname, port: url.port || (tls ? 2376 : 2375), timeout };
  if (tls && env.DOCKER_CERT_PATH) {
    try {
      opts.ca = readFileSync(path.join(env.DOCKER_CERT_PATH, 'ca.pem'));
      opts.cert = readFileSync(path.join(env.DOCKER_CERT_PATH, 'cert.pem'));
      opts.key = readFileSync(path.join(env.DOCKER_CERT_PATH, 'key.pem'));
    } catch (e: any) {
      throw new AuditError(`DOCKER_CERT_PATH=${env.DOCKER_CERT_PATH}: cannot read the TLS files (ca.pem, cert.pem, key.pem): ${e.message}`);
    }
  }
  return opts;
}

/** `web-*` to a RegExp matching whole names; a pattern without `*`/`?` matches exactly. */
export function namePattern(glob: string): RegExp {
  const re = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`);
}

/** Parses `KEY` or `KEY=VALUE`; a clear error for an empty key. */
export function parseLabelFilter(filter: string): { key: string; value?: string } {
  const i = filter.indexOf('=');
  const key = i < 0 ? filter : filter.slice(0, i);
  if (key.trim() === '') throw new AuditError(`--label "${filter}": expected KEY or KEY=VALUE`);
  return i < 0 ? { key } : { key, value: filter.slice(i + 1) };
}

function matchesLabels(labels: { [k: string]: string } | undefined, filters: Array<{ key: string; value?: string }>): boolean {
  return filters.every((f) => labels !== undefined && f.key in labels && (f.value === undefined || labels[f.key] === f.value));
}

function matchesNames(name: string | undefined, patterns: RegExp[]): boolean {
  return patterns.length === 0 || (name !== undefined && patterns.some((p) => p.test(name)));
}

function isLocal(host: string): boolean {
  return host.startsWith('unix://') || host.startsWith('/');
}

function readDaemonJson(file: string, explicit: boolean): any {
  try {
    // A regular file of at most 1 MiB: a FIFO or device given as --daemon-config would block or never end.
    const text = readRegularFile(file, `--daemon-config ${file}`, new InputBudget({ maxFileBytes: 1024 * 1024, maxTotalBytes: 1024 * 1024, maxResources: 0 }));
    return JSON.parse(text);
  } catch (e: any) {
    if (!explicit) return undefined;
    if (e instanceof InputError) throw new AuditError(e.message.replace(/; raise the limit with .*$/, ''));
    throw new AuditError(`--daemon-config ${file}: ${e.code === 'ENOENT' ? 'no such file' : withoutInputText(String(e.message))}`);
  }
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping order. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return out;
}

/** The four Engine API calls the audit makes (what dockerode's info/listContainers/inspect/listServices send). */
class EngineApi {
  constructor(private readonly modem: EngineDialer) {}

  public info(): Promise<any> {
    return this.get('/info', {}, { 200: true, 500: 'server error' });
  }

  public listContainers(all: boolean, filters?: object): Promise<any[]> {
    return this.get('/containers/json?', { all, ...(filters ? { filters } : {}) }, { 200: true, 400: 'bad parameter', 500: 'server error' });
  }

  public inspectContainer(id: string): Promise<any> {
    return this.get(`/containers/${encodeURIComponent(id)}/json`, {}, { 200: true, 404: 'no such container', 500: 'server error' });
  }

  /** `docker top`: the engine runs ps on the host for the container's processes (no exec into the container). */
  public top(id: string): Promise<any> {
    return this.get(`/containers/${encodeURIComponent(id)}/top?`, {}, { 200: true, 404: 'no such container', 409: 'container not running', 500: 'server error' });
  }

  public listServices(filters?: object): Promise<any[]> {
    return this.get('/services?', filters ? { filters } : {}, { 200: true, 406: 'node is not part of a swarm', 500: 'server error' });
  }

  private get(urlPath: string, options: object, statusCodes: { [code: number]: boolean | string }): Promise<any> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      this.modem.dial({ path: urlPath, method: 'GET', options, statusCodes }, (err, data) => {
        // The modem ends a request that stays silent past its timeout with a bare "socket hang up": say which.
        const limit: number | undefined = (this.modem as any).timeout;
        const timedOut = limit !== undefined && Date.now() - started >= limit;
        if (err) reject(Object.assign(err, { requestPath: urlPath.replace(/\?$/, ''), timedOutAfter: err.timedOutAfter ?? (timedOut ? limit : undefined) }));
        else resolve(data);
      });
    });
  }
}

/** What a response body is, in a few words (never the body itself: whatever answered, its page is not ours to echo). */
function describeBody(body: unknown): string {
  if (Buffer.isBuffer(body) || typeof body === 'string') {
    const text = String(body).trimStart().slice(0, 512).toLowerCase();
    if (text.startsWith('<!doctype html') || text.startsWith('<html') || /<(head|body|title)[\s>]/.test(text)) return 'an HTML page (text/html)';
    if (text.startsWith('<')) return 'an XML or HTML document';
    return `${Buffer.byteLength(body as any)} bytes that are not JSON`;
  }
  if (Array.isArray(body)) return 'a JSON array';
  if (body === null || body === undefined) return 'an empty body';
  if (typeof body === 'object') return 'JSON without the engine\'s ServerVersion';
  return 'a bare JSON value';
}

/** The Engine API answers GET /info with an object holding ServerVersion (Docker and Podman alike). */
function isEngineInfo(info: unknown): boolean {
  return typeof info === 'object' && info !== null && !Buffer.isBuffer(info) && !Array.isArray(info)
    && typeof (info as any).ServerVersion === 'string';
}

function notAnEngine(host: string, why: string): AuditError {
  return new AuditError(`${host} is not a Docker engine: ${why}. Set --host or DOCKER_HOST to the engine's socket or address.`);
}

function connectionError(host: string, e: any): AuditError {
  const request = `GET ${e?.requestPath ?? '/info'}`;
  if (typeof e?.statusCode === 'number') {
    const engineMessage = typeof e?.json?.message === 'string' ? e.json.message : undefined;
    // The Engine API's errors are JSON with a message; anything else answering is something else.
    if (engineMessage !== undefined) return new AuditError(`the Docker engine at ${host} answered HTTP ${e.statusCode}: ${engineMessage}`);
    return notAnEngine(host, `${request} answered HTTP ${e.statusCode} with ${describeBody(e.json)}`);
  }
  const code = String(e?.code ?? '');
  if (code.startsWith('HPE_') || /^Parse Error/.test(String(e?.message))) {
    return notAnEngine(host, `it does not speak HTTP (${request} got a reply that is not an HTTP response: ${code || 'parse error'})`);
  }
  if (typeof e?.timedOutAfter === 'number') {
    return new AuditError(`the endpoint at ${host} did not answer ${request} within ${e.timedOutAfter} ms (DOCKER_CLIENT_TIMEOUT). Set --host or DOCKER_HOST.`);
  }
  if (code === 'EPIPE' || code === 'ECONNRESET' || /socket hang up/.test(String(e?.message))) {
    return notAnEngine(host, `it closed the connection without an HTTP answer to ${request} (${code || 'socket hang up'})`);
  }
  const why = code === 'ENOENT' ? 'no socket there'
    : code === 'EACCES' ? 'permission denied (is your user in the docker group?)'
      : code === 'ECONNREFUSED' ? 'connection refused'
        : code === 'ENOTSOCK' ? 'not a socket'
          : String(e?.message ?? e).split('\n')[0];
  return new AuditError(`cannot reach the Docker engine at ${host}: ${why}. Set --host or DOCKER_HOST.`);
}

/** Reads the engine's specs (no evaluation). */
export async function readEngineSpecs(options: AuditOptions = {}): Promise<{ specs: ContainerSpec[]; engine: EngineSummary }> {
  const host = options.host ?? defaultHost();
  const api = new EngineApi(options.docker ? options.docker.modem : new EngineClient(dockerOptionsFor(host)));
  const patterns = (options.names ?? []).map(namePattern);
  const labelFilters = (options.labels ?? []).map(parseLabelFilter);

  // Label filters go to the engine (it filters by KEY and KEY=VALUE just as we do); names are globs, matched here.
  const filters = labelFilters.length ? { label: labelFilters.map((f) => (f.value === undefined ? f.key : `${f.key}=${f.value}`)) } : undefined;
  const wantContainers = options.containers !== false;
  let info: any;
  let list: any[] = [];
  try {
    // The engine's info and the container list in one round trip.
    [info, list] = await Promise.all([api.info(), wantContainers ? api.listContainers(options.all === true, filters) : Promise.resolve([])]);
  } catch (e: any) {
    throw connectionError(host, e);
  }
  if (!isEngineInfo(info)) throw notAnEngine(host, `GET /info answered ${describeBody(info)}, not the Engine API's JSON`);
  if (!Array.isArray(list)) throw notAnEngine(host, `GET /containers/json answered ${describeBody(list)}, not a list of containers`);
  const swarmManager = info?.Swarm?.ControlAvailable === true;
  const daemonConfig = options.daemonConfigFile ?? (isLocal(host) ? '/etc/docker/daemon.json' : undefined);
  const daemonJson = daemonConfig ? readDaemonJson(daemonConfig, options.daemonConfigFile !== undefined) : undefined;
  const daemonNoNewPrivileges = daemonNoNewPrivilegesFrom(info, daemonJson);

  const specs: ContainerSpec[] = [];
  let containerCount = 0;
  if (wantContainers) {
    const wanted = list.filter((c) => matchesNames(String(c.Names?.[0] ?? '').replace(/^\//, ''), patterns));
    const shown = progress(options.progress, 'hardened-docker audit: inspecting containers', wanted.length, AUDIT_PROGRESS_THRESHOLD);
    const inspected = await mapLimit(wanted, 16, async (c) => {
      try {
        // The processes, for CIS 5.7 (sshd): read from the host's ps, so it works for images without a shell or ps.
        // Asked for alongside the inspect, for every container the list says is running.
        const [inspect, top] = await Promise.all([
          api.inspectContainer(c.Id),
          options.processes !== false && c.State === 'running' ? api.top(c.Id).catch(() => undefined) : undefined,
        ]);
        return { inspect, processes: top && inspect?.State?.Running === true ? processesFromTop(top) : undefined };
      } catch (e: any) {
        if (e?.statusCode === 404) return undefined; // removed between list and inspect
        throw connectionError(host, e);
      } finally {
        shown.tick();
      }
    }).finally(() => shown.done());
    for (const i of inspected) {
      if (!i) continue;
      const spec = specFromContainerInspect(i.inspect, { daemonNoNewPrivileges, processes: i.processes });
      if (matchesLabels(spec.labels, labelFilters)) specs.push(spec);
    }
    containerCount = specs.length;
  }

  const wantServices = options.services ?? swarmManager;
  if (wantServices) {
    if (!swarmManager) {
      throw new AuditError('--services: this engine is not a swarm manager (docker info: Swarm.ControlAvailable is false); services can only be listed on a manager');
    }
    let services: any[];
    try {
      services = await api.listServices(filters);
    } catch (e: any) {
      throw connectionError(host, e);
    }
    if (!Array.isArray(services)) throw notAnEngine(host, `GET /services answered ${describeBody(services)}, not a list of services`);
    for (const s of services) {
      const spec = specFromServiceInspect(s);
      if (matchesNames(spec.name, patterns) && matchesLabels(spec.labels, labelFilters)) specs.push(spec);
    }
  }
  specs.sort((a, b) => a.address.localeCompare(b.address));
  return {
    specs,
    engine: {
      host,
      serverVersion: info?.ServerVersion,
      swarmManager,
      daemonNoNewPrivileges,
      containers: containerCount,
      services: specs.length - containerCount,
    },
  };
}

/** Reads the engine and runs the profile's rules. */
export async function runAudit(options: AuditOptions = {}): Promise<AuditResult> {
  const profile = typeof options.profile === 'string' ? namedProfile(options.profile) : options.profile ?? Profile.named('hardened');
  const { specs, engine } = await readEngineSpecs({ processes: profile.hasRule('no-sshd'), ...options });
  if (options.against) {
    const { evaluation, ran } = await evaluateAgainstConfiguration(specs, engine, profile, options);
    return { evaluation, profile: ran, specs, engine };
  }
  const evaluation = evaluate(specs, profile, { strict: options.strict });
  return { evaluation, profile, specs, engine };
}

/** `--against`: the engine's specs compared with the declared ones (src/drift/), within the audit's filters. */
async function evaluateAgainstConfiguration(
  specs: ContainerSpec[], engine: EngineSummary, profile: Profile, options: AuditOptions,
): Promise<{ evaluation: Evaluation; ran: Profile }> {
  // Loaded here, not at the top: an audit without --against must not pay for the Terraform readers.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadDeclared, evaluateAgainst, profileWithDrift } = require('../drift') as typeof import('../drift');
  let declared: ContainerSpec[];
  try {
    declared = await loadDeclared(options.against ?? [], options.cwd ?? process.cwd());
  } catch (e: any) {
    throw new AuditError(`--against: ${String(e?.message ?? e).split('\n')[0]}`);
  }
  const patterns = (options.names ?? []).map(namePattern);
  const labelFilters = (options.labels ?? []).map(parseLabelFilter);
  const kinds = new Set<string>([...(options.containers !== false ? ['docker_container'] : []), ...(options.services ?? engine.swarmManager ? ['docker_service'] : [])]);
  const evaluation = evaluateAgainst(declared, specs.map((spec) => ({ spec, id: engineIdOf(spec) })), profile, {
    strict: options.strict,
    against: options.against!.join(', '),
    host: engine.host,
    inScope: (d) => kinds.has(d.kind) && (patterns.length === 0 || matchesNames(d.name, patterns)) && matchesLabels(d.labels, labelFilters),
  });
  return { evaluation, ran: profileWithDrift(profile) };
}

function namedProfile(name: string): Profile {
  try {
    return Profile.named(name);
  } catch (e: any) {
    throw new AuditError(e.message);
  }
}

/** 0 when no unsuppressed finding is at or above `failOn`, else 1. */
export function exitCodeFor(evaluation: Evaluation, failOn: FailOn = 'error'): number {
  return sharedExitCodeFor(evaluation, failOn);
}

/** How main.ts lends the audit command its output. */
export interface AuditIo {
  /** Where progress goes (standard error; shown only on a terminal). Default: none. */
  readonly progress?: ProgressStream;
  /** Writes to standard output. */
  readonly stdout: (text: string) => void;
  /** Writes to standard error. */
  readonly stderr: (text: string) => void;
  /** Sets the process's exit code. Default: `process.exitCode = code`. */
  readonly exit?: (code: number) => void;
  /**
   * Writes the report in a shared format (text, json, sarif, junit, html) to `output` or stdout. Provided by main.ts;
   * without it this file writes text, json and sarif itself. May throw for an unknown format (exit 2).
   */
  readonly emit?: (evaluation: Evaluation, options: { format: string; output?: string; profile: Profile; failOn: FailOn }) => Promise<void> | void;
  /**
   * Resolves `--profile NAME|FILE` (main.ts loads profile files). Default: built-in names only.
   */
  readonly loadProfile?: (nameOrFile: string) => Profile | Promise<Profile>;
  /** Directory `--against` paths are resolved against, and reported relative to. Default: the process's. */
  readonly cwd?: string;
}

/** The parsed command-line options of `audit`. */
export interface AuditCliOptions {
  readonly host?: string;
  readonly name?: string[];
  readonly label?: string[];
  readonly all?: boolean;
  readonly services?: boolean;
  readonly daemonConfig?: string;
  readonly profile?: string;
  readonly format?: string;
  readonly output?: string;
  readonly failOn?: string;
  readonly strict?: boolean;
  readonly against?: string[];
}

const FORMATS = ['text', 'json', 'sarif', 'junit', 'html'];
const FAIL_ON: FailOn[] = ['error', 'warning', 'info', 'never'];

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Adds `audit` to a commander program. */
export function registerAudit(program: Command, io: AuditIo): Command {
  return program
    .command('audit')
    .description('Audit the containers (and Swarm services) of a live Docker engine with the same rules as `check`')
    .option('--host <address>', 'engine address (unix:///var/run/docker.sock, tcp://HOST:PORT, ssh://USER@HOST)', undefined)
    .option('--name <pattern>', 'only resources whose name matches (glob: web-*); repeatable', collect)
    .option('--label <key[=value]>', 'only resources with this label; repeatable, all must match', collect)
    .option('--all', 'include stopped containers')
    .option('--services', 'audit Swarm services too (default when the engine is a swarm manager)')
    .option('--no-services', 'do not audit Swarm services')
    .option('--daemon-config <file>', "the daemon's daemon.json (default /etc/docker/daemon.json for a local engine)")
    .option('--profile <name|file>', 'profile: baseline, restricted, hardened, or a profile file', 'hardened')
    .option('--format <format>', `report format: ${FORMATS.join(', ')}`, 'text')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <level>', `exit 1 on findings at or above: ${FAIL_ON.join(', ')}`, 'error')
    .option('--strict', 'an unknown value under an error rule is an error')
    .option('--against <path>', 'compare with what a cdktf.out directory, *.tf.json, HCL directory or plan JSON declares: drift, undeclared, missing; repeatable', collect)
    .action(async (opts: AuditCliOptions) => {
      const code = await auditCommand(opts, io);
      (io.exit ?? ((c: number) => { process.exitCode = c; }))(code);
    });
}

/** Runs `audit` with parsed options; returns the exit code (errors are one line on stderr, exit 2). */
export async function auditCommand(opts: AuditCliOptions, io: AuditIo): Promise<number> {
  try {
    const format = opts.format ?? 'text';
    const failOn = (opts.failOn ?? 'error') as FailOn;
    if (!FAIL_ON.includes(failOn)) throw new AuditError(`--fail-on "${opts.failOn}": expected one of ${FAIL_ON.join(', ')}`);
    if (!io.emit && !['text', 'json', 'sarif'].includes(format)) {
      throw new AuditError(`--format "${format}": expected one of ${io.emit ? FORMATS.join(', ') : 'text, json, sarif'}`);
    }
    let profile: Profile;
    try {
      profile = io.loadProfile ? await io.loadProfile(opts.profile ?? 'hardened') : Profile.named(opts.profile ?? 'hardened');
    } catch (e: any) {
      throw new AuditError(`--profile: ${e.message}`);
    }
    const result = await runAudit({
      host: opts.host,
      names: opts.name,
      labels: opts.label,
      all: opts.all,
      services: opts.services,
      daemonConfigFile: opts.daemonConfig,
      profile,
      strict: opts.strict,
      progress: io.progress,
      against: opts.against,
      cwd: io.cwd,
    });
    if (io.emit) {
      await io.emit(result.evaluation, { format, output: opts.output, profile: result.profile, failOn });
    } else {
      const text = render(result, format, result.profile);
      if (opts.output) await writeFile(opts.output, text);
      else io.stdout(text);
    }
    return exitCodeFor(result.evaluation, failOn);
  } catch (e: any) {
    io.stderr(`hardened-docker audit: ${oneLine(e instanceof AuditError ? e.message : String(e?.message ?? e).split('\n')[0])}\n`);
    return 2;
  }
}

/** This file's own writer (used when main.ts lends no `emit`). */
export function render(result: AuditResult, format: string, profile: Profile): string {
  if (format === 'json') return jsonReportText(result.evaluation);
  if (format === 'sarif') {
    return JSON.stringify(toSarif(result.evaluation, { rules: profile.activeRules.map((a) => a.rule), version: '0.0.0' }), null, 2) + '\n';
  }
  return renderText(result);
}

const MARK: Record<Severity, string> = { [Severity.ERROR]: 'ERROR', [Severity.WARNING]: 'WARN ', [Severity.INFO]: 'INFO ' };

function renderText(result: AuditResult): string {
  const { evaluation, engine } = result;
  const lines: string[] = [];
  // Names, labels and even the version string come from the engine: escaped like every report value.
  lines.push(`Docker engine ${esc(engine.serverVersion ?? '?')} at ${esc(engine.host)}: ${engine.containers} container(s), ${engine.services} service(s), profile ${esc(evaluation.profile)}`);
  const byAddress = new Map<string, Finding[]>();
  for (const f of evaluation.findings) byAddress.set(f.address, [...(byAddress.get(f.address) ?? []), f]);
  for (const [address, findings] of byAddress) {
    lines.push('', esc(address));
    for (const f of findings) {
      const cis = f.cis.length ? ` [CIS ${f.cis.join(', ')}]` : '';
      const mark = f.suppressed ? 'SUPPR' : MARK[f.severity];
      lines.push(`  ${mark} ${esc(f.ruleId)}${cis}: ${esc(f.message)}${f.suppressed ? ` (suppressed: ${esc(f.reason ?? '')})` : ''}`);
    }
  }
  const s = summarize(evaluation.findings);
  lines.push('', `${s.error} error(s), ${s.warning} warning(s), ${s.info} info, ${s.suppressed} suppressed on ${evaluation.resources.length} resource(s)`);
  return lines.join('\n') + '\n';
}
