/**
 * What a Docker engine runs, as specs: the containers (listed, filtered by name and label, inspected 16 at a time,
 * their processes read for no-sshd) and, on a swarm manager, the services; the daemon's no-new-privileges setting.
 * Inspect output is mapped by src/spec/engine-adapter.ts; nothing is evaluated here.
 */
import { AuditError, connectionError, defaultHost, describeBody, dockerOptionsFor, EngineApi, isEngineInfo, isLocal, notAnEngine } from './engine-api';
import { EngineClient, EngineDialer } from './engine-client';
import { HostProcessTable, processesOfContainers, scanHostProcesses } from './host-processes';
import { InputError } from './inputs';
import { AUDIT_PROGRESS_THRESHOLD, progress, ProgressStream } from './progress';
import { InputBudget, readRegularFile, withoutInputText } from './read-input';
import { ContainerSpec } from '../spec/container-spec';
import { daemonNoNewPrivilegesFrom, keepEngineId, processesFromTop, specFromContainerInspect, specFromServiceInspect } from '../spec/engine-adapter';
import { withJoinedContainers } from '../spec/joined-containers';
import { volumeBindsOf, withVolumeBinds } from '../spec/volume-binds';

/** What `readEngineSpecs` reads, and through which client. */
export interface EngineReadOptions {
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
  /** Read each running container's processes (/proc or `docker top`, for rule no-sshd). Default: true; runAudit reads them only when the profile runs no-sshd. */
  readonly processes?: boolean;
  /** The daemon's daemon.json, to learn whether it sets no-new-privileges. Default: /etc/docker/daemon.json when the engine is local. */
  readonly daemonConfigFile?: string;
  /** A ready client, e.g. a dockerode instance (tests); its modem is used. Default: a client made from `host`. */
  readonly docker?: { readonly modem: EngineDialer };
  /** Where to show progress when more than 100 containers are inspected (only a terminal shows it). Default: none. */
  readonly progress?: ProgressStream;
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

export function matchesLabels(labels: { [k: string]: string } | undefined, filters: Array<{ key: string; value?: string }>): boolean {
  return filters.every((f) => labels !== undefined && f.key in labels && (f.value === undefined || labels[f.key] === f.value));
}

export function matchesNames(name: string | undefined, patterns: RegExp[]): boolean {
  return patterns.length === 0 || (name !== undefined && patterns.some((p) => p.test(name)));
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

/** A running container's processes, or that they could not be read. */
interface ProcessesRead {
  readonly processes?: string[];
  readonly unreadable?: boolean;
}

/**
 * The processes of the running containers, for CIS 5.7 (sshd): from this machine's /proc in one pass where the engine
 * provably runs here (./host-processes.ts), else the engine's `docker top` (the host's ps: it works for images
 * without a shell or ps), 16 at a time; a remote engine's were asked alongside the inspects. A container the engine still calls running whose processes neither gives is
 * recorded as unreadable: unknown for no-sshd, never "no sshd".
 */
async function readProcesses(
  api: EngineApi, inspected: any[], hostTable: HostProcessTable | undefined, read: Map<string, ProcessesRead>,
): Promise<Map<string, ProcessesRead>> {
  const running = inspected.filter((i) => i?.State?.Running === true && typeof i.Id === 'string' && !read.has(i.Id));
  const fromProc = hostTable ? processesOfContainers(hostTable, running.map((i) => ({ id: i.Id, pid: i.State.Pid }))) : new Map<string, string[]>();
  for (const [id, processes] of fromProc) read.set(id, { processes });
  await mapLimit(running.filter((i) => !fromProc.has(i.Id)), 16, (i) => readTop(api, i.Id, read));
  return read;
}

/** `docker top` of one container into `read`. */
async function readTop(api: EngineApi, id: string, read: Map<string, ProcessesRead>): Promise<void> {
  try {
    const processes = processesFromTop(await api.top(id));
    read.set(id, processes ? { processes } : { unreadable: true });
  } catch (e: any) {
    // Stopped or removed since the list (409, 404): it runs nothing, as the inspect says or will say.
    if (e?.statusCode !== 404 && e?.statusCode !== 409) read.set(id, { unreadable: true });
  }
}

const ADDRESS_ORDER = new Intl.Collator();

/**
 * Reads a volume mount of a `local` volume whose options bind a host directory (`o=bind`, `device=/etc`) as the bind
 * it is: the container's Mounts show only the volume's own directory under /var/lib/docker/volumes, its options only
 * the volume list does. Asked only when some container mounts a volume.
 */
async function withEngineVolumeBinds(api: EngineApi, host: string, specs: ContainerSpec[]): Promise<void> {
  if (!specs.some((s) => s.mounts?.some((m) => m.type === 'volume'))) return;
  let listed: any;
  try {
    listed = await api.listVolumes();
  } catch (e: any) {
    throw connectionError(host, e);
  }
  const volumes: any[] = Array.isArray(listed?.Volumes) ? listed.Volumes : [];
  const binds = volumeBindsOf(volumes.filter((v) => typeof v?.Name === 'string')
    .map((v) => ({ address: `volume/${v.Name}`, body: { name: v.Name, driver: v.Driver, driver_opts: v.Options } })));
  // A rewritten spec keeps its container's id: audit --against pairs by it.
  for (let i = 0; i < specs.length; i++) specs[i] = keepEngineId(specs[i], withVolumeBinds(specs[i], binds));
}

type NamespaceField = 'networkMode' | 'pidMode' | 'ipcMode';
const NAMESPACE_FIELDS: readonly NamespaceField[] = ['networkMode', 'pidMode', 'ipcMode'];

/** The ids a spec's namespace modes join (`container:<id>`: the engine records the other's full id). */
function joinedIds(spec: ContainerSpec): string[] {
  const ids: string[] = [];
  for (const f of NAMESPACE_FIELDS) {
    const m = /^container:(.+)$/s.exec(spec[f]?.trim() ?? '');
    if (m) ids.push(m[1].trim());
  }
  return ids;
}

/**
 * Reads a namespace joined with `container:<id>` as what it is, the host's when the other container (or the one it
 * joins in turn) uses the host's, as `check` does for Terraform (spec/joined-containers.ts). `byId` holds every
 * container inspected; one joined but not among them (filtered out by name or label, stopped without --all) is
 * inspected for its modes alone; one gone since is unknown.
 */
async function withEngineJoins(api: EngineApi, host: string, specs: ContainerSpec[], byId: Map<string, ContainerSpec>): Promise<void> {
  if (!specs.some((s) => joinedIds(s).length)) return;
  const known = new Map<string, ContainerSpec | undefined>(byId);
  let missing = [...new Set(specs.flatMap(joinedIds))].filter((id) => !known.has(id));
  while (missing.length) {
    const inspected = await mapLimit(missing, 16, async (id) => {
      try {
        return await api.inspectContainer(id);
      } catch (e: any) {
        if (e?.statusCode === 404) return undefined; // removed since: what it used is no longer known
        throw connectionError(host, e);
      }
    });
    const next = new Set<string>();
    missing.forEach((id, i) => {
      const spec = inspected[i] ? specFromContainerInspect(inspected[i]) : undefined;
      known.set(id, spec);
      for (const j of spec ? joinedIds(spec) : []) if (!known.has(j)) next.add(j);
    });
    missing = [...next];
  }
  const joined = withJoinedContainers(specs, (ref) => known.get(ref.trim()));
  // A rewritten spec keeps its container's id: audit --against pairs by it.
  for (let i = 0; i < specs.length; i++) specs[i] = keepEngineId(specs[i], joined[i]);
}

/** Reads the engine's specs (no evaluation). */
export async function readEngineSpecs(options: EngineReadOptions = {}): Promise<{ specs: ContainerSpec[]; engine: EngineSummary }> {
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
    // A local engine: this machine's processes, read while the engine answers the inspects, and used only where they
    // prove to be the engine's. A remote one: `docker top` alongside each inspect, as the list says it runs.
    const local = isLocal(host);
    const readingProcesses = options.processes !== false && wanted.some((c) => c.State === 'running');
    const hostTable = readingProcesses && local ? scanHostProcesses() : Promise.resolve(undefined);
    const read = new Map<string, ProcessesRead>();
    const inspected = await mapLimit(wanted, 16, async (c) => {
      try {
        const [inspect] = await Promise.all([
          api.inspectContainer(c.Id),
          readingProcesses && !local && c.State === 'running' ? readTop(api, c.Id, read) : undefined,
        ]);
        return inspect;
      } catch (e: any) {
        if (e?.statusCode === 404) return undefined; // removed between list and inspect
        throw connectionError(host, e);
      } finally {
        shown.tick();
      }
    }).finally(() => shown.done());
    const processes = readingProcesses ? await readProcesses(api, inspected, await hostTable, read) : read;
    const byId = new Map<string, ContainerSpec>();
    for (const inspect of inspected) {
      if (!inspect) continue;
      const got = inspect?.State?.Running === true ? processes.get(inspect.Id) : undefined;
      const spec = specFromContainerInspect(inspect, { daemonNoNewPrivileges, processes: got?.processes, processesUnreadable: got?.unreadable });
      if (typeof inspect.Id === 'string') byId.set(inspect.Id, spec);
      if (matchesLabels(spec.labels, labelFilters)) specs.push(spec);
    }
    await withEngineJoins(api, host, specs, byId);
    await withEngineVolumeBinds(api, host, specs);
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
  // The order of localeCompare, with one collator: localeCompare makes one per call (0.1 s on 500 containers).
  specs.sort((a, b) => ADDRESS_ORDER.compare(a.address, b.address));
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
