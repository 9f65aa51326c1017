/**
 * Talking to a Docker engine: its address (`--host`, DOCKER_HOST, the TLS files), the Engine API calls the audit
 * makes, and the one-line errors for an engine that cannot be reached or for something else answering.
 *
 * The engine is read through ./engine-client.ts, a few GET requests on Node's own http (unix socket, tcp, TLS, and
 * ssh through `docker system dial-stdio`); docker-modem and dockerode made the package 5.6 MB with a native addon.
 * A dockerode client's `.modem` can stand in for it (tests).
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { EngineClientOptions, EngineDialer } from './engine-client';

/** A usage or connection problem: exit code 2, one line. */
export class AuditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditError';
  }
}


const DEFAULT_SOCKET = '/var/run/docker.sock';

/** The engine address used when none is given. */
export function defaultHost(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST && env.DOCKER_HOST !== '' ? env.DOCKER_HOST : `unix://${DEFAULT_SOCKET}`;
}

/** The client's options for an engine address; a clear error for a form it cannot use. */
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

/** Whether the engine is on this machine (a unix socket): its /proc and daemon.json are ours to read. */
export function isLocal(host: string): boolean {
  return host.startsWith('unix://') || host.startsWith('/');
}

/** The Engine API calls the audit makes (what dockerode's info/listContainers/inspect/top/listVolumes/listServices send). */
export class EngineApi {
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

  /** The volumes, with their driver options (`docker volume ls` with what `docker volume inspect` shows). */
  public listVolumes(): Promise<any> {
    return this.get('/volumes', {}, { 200: true, 500: 'server error' });
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
export function describeBody(body: unknown): string {
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
export function isEngineInfo(info: unknown): boolean {
  return typeof info === 'object' && info !== null && !Buffer.isBuffer(info) && !Array.isArray(info)
    && typeof (info as any).ServerVersion === 'string';
}

export function notAnEngine(host: string, why: string): AuditError {
  return new AuditError(`${host} is not a Docker engine: ${why}. Set --host or DOCKER_HOST to the engine's socket or address.`);
}

export function connectionError(host: string, e: any): AuditError {
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
