/**
 * Runtime test harness: creates real containers from the synthesized `docker_container` JSON the way
 * Terraform provider kreuzwerker/docker 3.6.2 would (no Terraform binary runs here).
 *
 * The mapping mirrors `resourceDockerContainerCreate` in the provider's
 * internal/provider/resource_docker_container_funcs.go (tag v3.6.2) and its helpers in
 * resource_docker_container_structures.go (portSetToDockerPorts, ulimitsToDockerUlimits,
 * volumeSetToDockerVolumes, deviceSetToDockerDevices) and helpers.go (labelSetToMap). It was read, not copied.
 * An attribute this harness does not map throws, so a construct attribute cannot be silently dropped.
 */
import { PassThrough } from 'stream';
import Docker from 'dockerode';

export { TEST_IMAGE, IN_CI, engineAnswers, describeEngine, docker } from '../engine';
import { docker } from '../engine';

/** Every container the runtime tests create is named with this prefix. */
export const NAME_PREFIX = 'hdtest-';
/** A per-process suffix so parallel runs do not collide. */
export const RUN_ID = `${process.pid.toString(36)}`;

// ---------------------------------------------------------------------------------------------------------------
// Synthesized JSON -> Engine API (provider 3.6.2's resourceDockerContainerCreate)
// ---------------------------------------------------------------------------------------------------------------

type Body = Record<string, any>;

/** What the harness creates: ContainerCreate options plus the provider's post-create steps. */
export interface CreatePlan {
  readonly create: Docker.ContainerCreateOptions;
  /** networks_advanced: disconnect `bridge`, then connect each of these. */
  readonly networks: { name: string; endpoint: Record<string, any> }[];
  /** `start` (provider default true). */
  readonly start: boolean;
  /** `wait` (provider default false): wait until healthy, up to `wait_timeout` seconds (default 60). */
  readonly waitHealthySeconds?: number;
}

/** Attributes that never change what ContainerCreate receives (Terraform meta-arguments, read/delete settings). */
const NO_CREATE_EFFECT = new Set([
  '//', 'depends_on', 'lifecycle', 'provider', 'count', 'for_each',
  'must_run', 'remove_volumes', 'destroy_grace_seconds', 'container_read_refresh_timeout_milliseconds',
  'start', 'wait', 'wait_timeout',
]);

/** Single nested blocks are objects in cdktf 0.21 output, one-element arrays in older output: accept both. */
function one(v: any): Body | undefined {
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v[0] : v;
}
function list(v: any): Body[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}
/** The provider's GetOk: absent, zero, false, "" and empty collections count as "not set". */
function set(v: any): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}
function strMap(v: Body): Record<string, string> {
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
}

/** Go's time.ParseDuration (units ns, us, µs, ms, s, m, h) in nanoseconds. The provider drops parse errors (0). */
export function goDurationNs(s: string): number {
  if (s === '0') return 0;
  const unit: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let i = 0;
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) return 0; // provider: `config.Healthcheck.Interval, _ = time.ParseDuration(...)`
    total += parseFloat(m[1]) * unit[m[2]];
    i = re.lastIndex;
  }
  return s.length ? Math.round(total) : 0;
}

function assertNoExpressions(v: any, where: string): void {
  if (typeof v === 'string' && v.includes('${')) {
    throw new Error(`${where}: "${v}" is a Terraform expression, only known at apply time; the harness needs concrete values`);
  }
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) if (k !== '//') assertNoExpressions(x, `${where}.${k}`);
  }
}

/** Mirrors resourceDockerContainerCreate (v3.6.2): the Config/HostConfig the provider sends for `body`. */
export function planFromSynth(body: Body, where = 'docker_container'): CreatePlan {
  assertNoExpressions(body, where);
  const seen = new Set<string>();
  const get = (k: string): any => {
    seen.add(k);
    return body[k];
  };

  const name = get('name');
  if (typeof name !== 'string' || !name.startsWith(NAME_PREFIX)) {
    throw new Error(`${where}: name "${name}" must start with "${NAME_PREFIX}" so the tests can clean up`);
  }
  if (set(body.cpus)) throw new Error(`${where}: cpus panics provider 3.6.2 on apply (issue #759)`);

  const config: Body = {
    Image: get('image'),
    Hostname: get('hostname') ?? '',
    Domainname: get('domainname') ?? '',
    Tty: get('tty') ?? false,
    OpenStdin: get('stdin_open') ?? false,
    StopSignal: get('stop_signal') ?? '',
  };
  if (set(get('stop_timeout'))) config.StopTimeout = body.stop_timeout;
  if (set(get('env'))) config.Env = [...body.env];
  if (set(get('command'))) {
    config.Cmd = [...body.command];
    if (config.Cmd.some((c: string) => c === '')) throw new Error(`${where}: values for command may not be empty`);
  }
  if (set(get('entrypoint'))) config.Entrypoint = [...body.entrypoint];
  if (set(get('user'))) config.User = body.user;
  if (set(get('working_dir'))) config.WorkingDir = body.working_dir;

  // portSetToDockerPorts: schema defaults ip "0.0.0.0" and protocol "tcp" are always present, so every port gets
  // a binding; an absent `external` reads as 0 (HostPort "0": Docker picks a free port).
  const exposed: Record<string, {}> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of list(get('ports'))) {
    const key = `${p.internal}/${p.protocol ?? 'tcp'}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: p.ip ?? '0.0.0.0', HostPort: String(p.external ?? 0) });
  }
  if (Object.keys(exposed).length) config.ExposedPorts = exposed;

  // labelSetToMap
  if (set(get('labels'))) config.Labels = Object.fromEntries(list(body.labels).map((l) => [l.label, l.value]));

  // healthcheck: Go duration strings -> ns; schema defaults "0s" / 0.
  const hc = one(get('healthcheck'));
  if (hc) {
    config.Healthcheck = {
      Test: hc.test ? [...hc.test] : undefined,
      Interval: goDurationNs(hc.interval ?? '0s'),
      Timeout: goDurationNs(hc.timeout ?? '0s'),
      StartPeriod: goDurationNs(hc.start_period ?? '0s'),
      Retries: hc.retries ?? 0,
    };
    const si = goDurationNs(hc.start_interval ?? '0s');
    if (si) config.Healthcheck.StartInterval = si;
  }

  // volumeSetToDockerVolumes: named volume or host path -> Binds "src:dst:rw|ro"; from_container -> VolumesFrom.
  const volumes: Record<string, {}> = {};
  const binds: string[] = [];
  const volumesFrom: string[] = [];
  for (const v of list(get('volumes'))) {
    const src = v.volume_name || v.host_path || '';
    if (!v.from_container && !v.container_path) throw new Error(`${where}: volume entry without container path or source container`);
    if (v.from_container && v.container_path) throw new Error(`${where}: both a container and a path specified in a volume entry`);
    if (v.from_container) {volumesFrom.push(v.from_container);} else {
      volumes[v.container_path] = {};
      if (src) binds.push(`${src}:${v.container_path}:${v.read_only ? 'ro' : 'rw'}`);
    }
  }
  if (Object.keys(volumes).length) config.Volumes = volumes;

  // mounts (type bind/volume/tmpfs with their options)
  const mounts = list(get('mounts')).map((m) => {
    const out: Body = { Type: m.type, Target: m.target, Source: m.source ?? '', ReadOnly: m.read_only ?? false };
    const bo = one(m.bind_options);
    const vo = one(m.volume_options);
    const to = one(m.tmpfs_options);
    if (m.type === 'bind' && bo) out.BindOptions = { Propagation: bo.propagation ?? '' };
    if (m.type === 'volume' && vo) {
      out.VolumeOptions = {
        NoCopy: vo.no_copy ?? false,
        Labels: vo.labels ? Object.fromEntries(list(vo.labels).map((l) => [l.label, l.value])) : undefined,
      };
      if (vo.driver_name || vo.driver_options) {
        out.VolumeOptions.DriverConfig = { Name: vo.driver_name, Options: vo.driver_options && strMap(vo.driver_options) };
      }
      if (vo.subpath) throw new Error(`${where}: mounts.volume_options.subpath needs Engine API 1.45`);
    }
    if (m.type === 'tmpfs' && to) out.TmpfsOptions = { SizeBytes: to.size_bytes ?? 0, Mode: to.mode ?? 0 };
    return out;
  });

  const hostConfig: Body = {
    Privileged: get('privileged') ?? false,
    PublishAllPorts: get('publish_all_ports') ?? false,
    RestartPolicy: { Name: get('restart') ?? 'no', MaximumRetryCount: get('max_retry_count') ?? 0 },
    Runtime: get('runtime') ?? '',
    Mounts: mounts,
    AutoRemove: get('rm') ?? false,
    ReadonlyRootfs: get('read_only') ?? false,
    LogConfig: { Type: get('log_driver') ?? '' },
    // init is always sent, false when unset
    Init: get('init') ?? false,
    NetworkMode: get('network_mode') ?? 'bridge', // schema default "bridge"
  };
  if (set(get('tmpfs'))) hostConfig.Tmpfs = strMap(body.tmpfs);
  if (Object.keys(bindings).length) hostConfig.PortBindings = bindings;
  if (set(get('host'))) hostConfig.ExtraHosts = list(body.host).map((h) => `${h.host}:${h.ip}`);
  if (binds.length) hostConfig.Binds = binds;
  if (volumesFrom.length) hostConfig.VolumesFrom = volumesFrom;
  // ulimitsToDockerUlimits
  if (set(get('ulimit'))) hostConfig.Ulimits = list(body.ulimit).map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard }));
  // capabilities: names passed exactly as written
  const caps = one(get('capabilities'));
  if (caps) {
    hostConfig.CapAdd = [...(caps.add ?? [])];
    hostConfig.CapDrop = [...(caps.drop ?? [])];
  }
  // deviceSetToDockerDevices, including its fallthrough: no container_path => container_path = host_path AND
  // permissions "rwm", whatever permissions says.
  if (set(get('devices'))) {
    hostConfig.Devices = list(body.devices).map((d) => {
      let cp = d.container_path ?? '';
      let perm = d.permissions ?? '';
      if (!cp) {
        cp = d.host_path;
        perm = 'rwm';
      } else if (!perm) {perm = 'rwm';}
      return { PathOnHost: d.host_path, PathInContainer: cp, CgroupPermissions: perm };
    });
  }
  if (set(get('dns'))) hostConfig.Dns = [...body.dns];
  if (set(get('dns_opts'))) hostConfig.DnsOptions = [...body.dns_opts];
  if (set(get('dns_search'))) hostConfig.DnsSearch = [...body.dns_search];
  if (set(get('security_opts'))) hostConfig.SecurityOpt = [...body.security_opts];
  // memory, memory_swap, shm_size: MiB -> bytes (memory_swap -1 stays -1; 0 is not sent)
  if (set(get('memory'))) hostConfig.Memory = body.memory * 1024 * 1024;
  if (set(get('memory_swap'))) hostConfig.MemorySwap = body.memory_swap > 0 ? body.memory_swap * 1024 * 1024 : body.memory_swap;
  if (set(get('shm_size'))) hostConfig.ShmSize = body.shm_size * 1024 * 1024;
  if (set(get('cpu_period'))) hostConfig.CpuPeriod = body.cpu_period;
  if (set(get('cpu_quota'))) hostConfig.CpuQuota = body.cpu_quota;
  if (set(get('cpu_shares'))) hostConfig.CpuShares = body.cpu_shares;
  if (set(get('cpu_set'))) hostConfig.CpusetCpus = body.cpu_set;
  if (set(get('log_opts'))) hostConfig.LogConfig.Config = strMap(body.log_opts);
  if (set(get('userns_mode'))) hostConfig.UsernsMode = body.userns_mode;
  if (set(get('pid_mode'))) hostConfig.PidMode = body.pid_mode;
  if (set(get('sysctls'))) hostConfig.Sysctls = strMap(body.sysctls);
  if (set(get('ipc_mode'))) hostConfig.IpcMode = body.ipc_mode;
  if (set(get('group_add'))) hostConfig.GroupAdd = [...body.group_add];
  // resource_docker_container_funcs.go:393-403 (v3.6.2): with API 1.41 or later, container.CgroupnsMode(v).Valid()
  // ("private" or "host") goes to HostConfig.CgroupnsMode, anything else is the create error below; below 1.41 the
  // provider drops it with a log warning (this harness needs 1.41: the engines it runs on are 20.10 or later).
  if (set(get('cgroupns_mode'))) {
    if (!['private', 'host'].includes(body.cgroupns_mode)) throw new Error(`${where}: cgroupns_mode: invalid CGROUP mode, must be either 'private', 'host' or empty`);
    hostConfig.CgroupnsMode = body.cgroupns_mode;
  }
  if (set(get('cgroup_parent'))) hostConfig.CgroupParent = body.cgroup_parent;
  if (set(get('storage_opts'))) hostConfig.StorageOpt = strMap(body.storage_opts);

  // networks_advanced: after create the provider disconnects `bridge` and connects each network.
  const networks = list(get('networks_advanced')).map((n) => ({
    name: n.name as string,
    endpoint: {
      Aliases: n.aliases ? [...n.aliases] : undefined,
      IPAMConfig: { IPv4Address: n.ipv4_address ?? '', IPv6Address: n.ipv6_address ?? '' },
    },
  }));

  const unmapped = Object.keys(body).filter((k) => !seen.has(k) && !NO_CREATE_EFFECT.has(k));
  if (unmapped.length) {
    throw new Error(`${where}: the runtime harness does not map ${unmapped.join(', ')}; add it to test/runtime/harness.ts ` +
      '(mirroring resourceDockerContainerCreate in provider 3.6.2) before relying on it');
  }

  return {
    create: { name, ...config, HostConfig: hostConfig, NetworkingConfig: {} } as Docker.ContainerCreateOptions,
    networks,
    start: body.start ?? true,
    waitHealthySeconds: body.wait ? (body.wait_timeout ?? 60) : undefined,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Creating, probing and removing containers
// ---------------------------------------------------------------------------------------------------------------

const created = new Set<string>();

/** Creates (and by default starts) the container the synthesized `body` describes, as the provider would. */
export async function createFromSynth(body: Body, where?: string): Promise<Docker.Container> {
  const plan = planFromSynth(body, where ?? `docker_container ${body.name}`);
  const d = docker();
  await removeContainer(plan.create.name!); // a leftover from a crashed run
  const c = await d.createContainer(plan.create);
  created.add(c.id);
  if (plan.networks.length) {
    await d.getNetwork('bridge').disconnect({ Container: c.id }).catch(() => undefined);
    for (const n of plan.networks) await d.getNetwork(n.name).connect({ Container: c.id, EndpointConfig: n.endpoint });
  }
  if (plan.start) await c.start();
  if (plan.waitHealthySeconds !== undefined) await waitFor(c, (i) => i.State.Health?.Status === 'healthy', plan.waitHealthySeconds * 1000);
  return c;
}

export async function removeContainer(nameOrId: string): Promise<void> {
  try {
    await docker().getContainer(nameOrId).remove({ force: true, v: true });
  } catch (e: any) {
    if (e?.statusCode !== 404) throw e;
  }
}

/** Removes every container this process created. */
export async function cleanup(): Promise<void> {
  await Promise.all([...created].map((id) => removeContainer(id)));
  created.clear();
}

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr together, for error messages. */
  readonly output: string;
}

/** Runs `cmd` in the container (as its configured user unless `user` is given) and collects its output. */
export async function execIn(c: Docker.Container, cmd: string[], opts: { user?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
  const exec = await c.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, User: opts.user ?? '' });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const o = new PassThrough();
  const e = new PassThrough();
  o.on('data', (b: Buffer) => out.push(b));
  e.on('data', (b: Buffer) => err.push(b));
  docker().modem.demuxStream(stream, o, e);
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => {
      stream.destroy();
      reject(new Error(`exec ${cmd.join(' ')} did not finish in ${opts.timeoutMs ?? 30000} ms`));
    }, opts.timeoutMs ?? 30000);
    stream.on('end', () => {
      clearTimeout(t);
      resolve();
    });
    stream.on('error', (x: Error) => {
      clearTimeout(t);
      reject(x);
    });
  });
  let info = await exec.inspect();
  for (let i = 0; info.Running && i < 50; i++) {
    await sleep(100);
    info = await exec.inspect();
  }
  const stdout = Buffer.concat(out).toString();
  const stderr = Buffer.concat(err).toString();
  return { exitCode: info.ExitCode ?? -1, stdout, stderr, output: stdout + stderr };
}

/** `sh -c script` in the container. */
export function sh(c: Docker.Container, script: string, opts: { user?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
  return execIn(c, ['sh', '-c', script], opts);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `inspect` until `pred` holds; throws with the last state after `timeoutMs`. */
export async function waitFor(
  c: Docker.Container, pred: (i: Docker.ContainerInspectInfo) => boolean, timeoutMs: number,
): Promise<Docker.ContainerInspectInfo> {
  const end = Date.now() + timeoutMs;
  let info = await c.inspect();
  while (!pred(info)) {
    if (Date.now() > end) {
      throw new Error(`container ${info.Name} did not reach the expected state in ${timeoutMs} ms: ${JSON.stringify(info.State)}`);
    }
    await sleep(250);
    info = await c.inspect();
  }
  return info;
}

// ---------------------------------------------------------------------------------------------------------------
// Synth
// ---------------------------------------------------------------------------------------------------------------

/** Synthesizes `stack` (Testing.synth) and returns its docker_container resource bodies keyed by `name`. */
export function synthContainers(stack: import('cdktf').TerraformStack): Record<string, Body> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Testing } = require('cdktf') as typeof import('cdktf');
  const doc = JSON.parse(Testing.synth(stack));
  const out: Record<string, Body> = {};
  for (const [logicalId, body] of Object.entries<Body>(doc.resource?.docker_container ?? {})) {
    out[body.name ?? logicalId] = body;
  }
  return out;
}
