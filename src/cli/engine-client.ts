/**
 * The Engine API client the audit reads a Docker engine with: a handful of GET requests over Node's own http and
 * https. It speaks to a unix socket (or a Windows named pipe), to tcp with or without TLS (the DOCKER_CERT_PATH
 * files), and over ssh the way the docker CLI does (`ssh HOST docker system dial-stdio`, so the remote engine's own
 * CLI does the dialling and the ssh client keeps its usual configuration, agent and known hosts).
 *
 * Why not docker-modem/dockerode: bundled into this package they brought 71 dependencies and 5.6 MB packed, among
 * them ssh2 with a natively built addon (cpu-features, whose build files name the packing machine), gRPC and
 * protobuf, for four GET endpoints. `dial` keeps docker-modem's call shape, so a dockerode client's `modem` can still
 * stand in for this one (tests do).
 */
import { ChildProcessWithoutNullStreams, spawn } from 'child_process';
import * as http from 'http';
import * as https from 'https';
import { Duplex } from 'stream';

/** Where and how to reach the engine (the shape `dockerOptionsFor` in engine-api.ts builds). */
export interface EngineClientOptions {
  /** A unix socket or a Windows named pipe. */
  readonly socketPath?: string;
  /** `http`, `https` or `ssh` when there is no socketPath. */
  readonly protocol?: string;
  readonly host?: string;
  readonly port?: number | string;
  /** The ssh user. */
  readonly username?: string;
  /** TLS files (https). */
  readonly ca?: Buffer | string;
  readonly cert?: Buffer | string;
  readonly key?: Buffer | string;
  /** Milliseconds without an answer before a request fails. */
  readonly timeout?: number;
  /** The ssh client for `ssh` addresses. Default: `ssh` on PATH. */
  readonly sshCommand?: string;
}

/** One request, as docker-modem's `dial` takes it. */
export interface DialRequest {
  /** The path; a trailing `?` appends `options` as the query string (objects as JSON, as the Engine API expects). */
  readonly path: string;
  readonly method: string;
  readonly options?: object;
  /** Status code to `true` (success) or the reason of an error. */
  readonly statusCodes: { [code: number]: boolean | string };
}

/** Anything that dials the Engine API this way: an EngineClient, or a dockerode client's `modem`. */
export interface EngineDialer {
  dial(request: DialRequest, callback: (error: any, data?: any) => void): void;
}

/** An error the engine answered with: its HTTP status and what it said. */
export class EngineHttpError extends Error {
  constructor(message: string, readonly statusCode: number, readonly reason: string | undefined, readonly json: unknown) {
    super(message);
    this.name = 'EngineHttpError';
  }
}

export class EngineClient implements EngineDialer {
  private readonly agent: http.Agent;

  constructor(private readonly options: EngineClientOptions) {
    const common = { keepAlive: true, maxSockets: 16 };
    if (options.protocol === 'https' && !options.socketPath) {
      this.agent = new https.Agent({ ...common, ca: options.ca, cert: options.cert, key: options.key });
    } else if (options.protocol === 'ssh' && !options.socketPath) {
      // Each request is one `docker system dial-stdio` on the remote host, its stdio the socket (not kept alive:
      // a pipe is no TCP socket).
      this.agent = new http.Agent({ keepAlive: false, maxSockets: 16 });
      (this.agent as any).createConnection = () => sshDialStdio(options);
    } else {
      this.agent = new http.Agent(common);
    }
  }

  public dial(request: DialRequest, callback: (error: any, data?: any) => void): void {
    const o = this.options;
    let urlPath = request.path;
    if (urlPath.endsWith('?')) {
      const query = queryString(request.options ?? {});
      urlPath = query ? urlPath + query : urlPath.slice(0, -1);
    }
    const secure = o.protocol === 'https' && !o.socketPath;
    const req = (secure ? https : http).request({
      agent: this.agent,
      method: request.method,
      path: urlPath,
      ...(o.socketPath ? { socketPath: o.socketPath } : { host: o.host, port: o.port }),
      // Over ssh, dial-stdio forwards to the remote engine whatever the Host header says.
      ...(o.protocol === 'ssh' ? { host: 'docker', port: undefined } : {}),
      headers: { Accept: 'application/json' },
    });
    let settled = false;
    // A timer of our own, not req.setTimeout: the ssh transport's socket is a pipe, which has no setTimeout.
    const timer = o.timeout
      ? setTimeout(() => req.destroy(Object.assign(new Error(`no answer within ${o.timeout} ms`), { code: 'ETIMEDOUT', timedOutAfter: o.timeout })), o.timeout)
      : undefined;
    timer?.unref();
    const done = (error: any, data?: any) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      callback(error, data);
    };
    let socket: any;
    req.on('socket', (s) => {
      socket = s;
    });
    req.on('error', (e) => {
      // Over ssh, a write fails (EPIPE) before ssh has exited and said why: wait for its word, briefly.
      const exited: Promise<Error | undefined> | undefined = socket?.sshExited;
      if (exited) {
        const wait = setTimeout(() => done(e), 5000);
        wait.unref();
        void exited.then((why) => {
          clearTimeout(wait);
          done(why ?? e);
        });
      } else {
        done(e);
      }
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => done(e));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: any;
        try {
          json = body.trim() === '' ? undefined : JSON.parse(body);
        } catch {
          json = undefined;
        }
        const status = res.statusCode ?? 0;
        if (request.statusCodes[status] === true) {
          done(null, json ?? body);
          return;
        }
        const reason = typeof request.statusCodes[status] === 'string' ? request.statusCodes[status] as string : undefined;
        const cause = json?.message ?? (body.trim() || res.statusMessage || '');
        // Not JSON: the body as text, so that the caller can say what answered (an HTML page is not an engine).
        done(new EngineHttpError(`(HTTP code ${status}) ${reason ?? 'unexpected'} - ${cause} `, status, reason, json ?? (body === '' ? undefined : body)));
      });
    });
    req.end();
  }
}

/** The Engine API's query string: objects (filters) as JSON, the rest as text; undefined values left out. */
export function queryString(options: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    params.append(key, value !== null && typeof value === 'object' && !Array.isArray(value) ? JSON.stringify(value) : String(value));
  }
  return params.toString();
}

/** A socket made of `ssh [-p PORT] [USER@]HOST -- docker system dial-stdio`. */
function sshDialStdio(o: EngineClientOptions): Duplex {
  const target = o.username ? `${o.username}@${o.host}` : String(o.host);
  const args = ['-o', 'BatchMode=yes', ...(o.port ? ['-p', String(o.port)] : []), '--', target, 'docker', 'system', 'dial-stdio'];
  const child: ChildProcessWithoutNullStreams = spawn(o.sshCommand ?? 'ssh', args, { stdio: 'pipe' });
  const socket = Duplex.from({ readable: child.stdout, writable: child.stdin } as any) as Duplex;
  let exited!: (why: Error | undefined) => void;
  (socket as any).sshExited = new Promise<Error | undefined>((resolve) => {
    exited = resolve;
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString('utf8')).slice(-2000);
  });
  child.on('error', (e: NodeJS.ErrnoException) => {
    const why = e.code === 'ENOENT' ? Object.assign(new Error('ssh is not installed (needed for ssh:// engine addresses)'), { code: 'ENOENT_SSH' }) : e;
    exited(why);
    socket.destroy(why);
  });
  child.on('exit', (code) => {
    if (!code) {
      exited(undefined);
      return;
    }
    const last = stderr.trim().split('\n').pop() ?? '';
    // ssh says why it could not connect on its standard error; carry the usual code so the caller words it as for a socket.
    const refused = /connection refused/i.test(last) ? { code: 'ECONNREFUSED' } : {};
    const why = Object.assign(new Error(`ssh ${target} docker system dial-stdio exited with ${code}: ${last}`), refused);
    exited(why);
    socket.destroy(why);
  });
  // The request listens for errors while it runs; closing the pipe after the answer aborts it, which is no error.
  socket.on('error', () => undefined);
  socket.on('close', () => child.kill());
  return socket;
}
