/**
 * Proof on a real engine: SecureService's synthesized JSON, applied the way provider kreuzwerker/docker 3.6.2 would
 * (containers through test/runtime/harness.ts; networks and the Swarm service mapped here, by hand, from the
 * provider's resource_docker_network_funcs.go and resource_docker_service_structures.go at v3.6.2).
 *
 * Containers mode: a busybox httpd `web` (2 replicas, published ports) and a `client`, with web.allowFrom(client);
 * a `stranger` service shares no network with web. Swarm mode: a one-node swarm (initialised here and left after
 * when it was not active), the service converges and its tasks carry the hardening.
 *
 * Everything created is named `hdtest-hdsvc-*` (the harness requires the `hdtest-` prefix) and removed afterwards.
 */
import { spawnSync } from 'child_process';
import * as http from 'http';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import Docker from 'dockerode';
import {
  cleanup, createFromSynth, describeEngine, docker, goDurationNs, NAME_PREFIX, RUN_ID, sh, sleep, TEST_IMAGE, waitFor,
} from './harness';
import { SecureService, SecureServiceProps, ServiceMode } from '../../src';

const P = `${NAME_PREFIX}hdsvc-`;
const name = (what: string) => `${P}${what}-${RUN_ID}`;
const HTTP_PORT = 8080;
const HEALTH = { command: ['wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${HTTP_PORT}/`], intervalSeconds: 1, timeoutSeconds: 3, retries: 3 };
const HTTPD = ['httpd', '-f', '-p', String(HTTP_PORT), '-h', '/www'];
const LOCAL_IMAGE: Partial<SecureServiceProps> = {
  image: TEST_IMAGE,
  pullImage: false,
  serviceOptOuts: { unpinnedImage: { reason: 'locally imported test image: no registry, so no repo digest' } },
};

type Body = Record<string, any>;

function synthDoc(build: (stack: TerraformStack) => void): Body {
  const stack = new TerraformStack(Testing.app(), 'hdsvc-runtime');
  build(stack);
  return JSON.parse(Testing.synth(stack));
}

const labelMap = (l: any): Record<string, string> | undefined =>
  l ? Object.fromEntries((Array.isArray(l) ? l : [l]).map((x: any) => [x.label, x.value])) : undefined;

/** docker_network body -> NetworkCreate, as resourceDockerNetworkCreate (v3.6.2) sends it (fields we emit). */
function networkCreateFromSynth(body: Body): Docker.NetworkCreateOptions {
  const known = new Set(['//', 'depends_on', 'name', 'driver', 'internal', 'attachable', 'options', 'labels']);
  const unmapped = Object.keys(body).filter((k) => !known.has(k));
  if (unmapped.length) throw new Error(`docker_network ${body.name}: the test does not map ${unmapped.join(', ')}`);
  return {
    Name: body.name,
    Driver: body.driver || undefined,
    Internal: body.internal || undefined,
    Attachable: body.attachable || undefined,
    Options: body.options,
    Labels: labelMap(body.labels),
    CheckDuplicate: true,
  } as Docker.NetworkCreateOptions;
}

/** docker_service body -> ServiceCreate, as createServiceSpec (v3.6.2) builds it, for the fields SecureService emits. */
function serviceSpecFromSynth(body: Body): any {
  const cs = body.task_spec.container_spec;
  const task = body.task_spec;
  const knownCs = new Set(['image', 'command', 'args', 'env', 'dir', 'user', 'read_only', 'cap_drop', 'cap_add', 'mounts', 'healthcheck', 'labels', 'stop_grace_period']);
  const unmapped = Object.keys(cs).filter((k) => !knownCs.has(k));
  if (unmapped.length) throw new Error(`docker_service ${body.name}: the test does not map container_spec.${unmapped.join(', ')}`);
  const hc = cs.healthcheck;
  return {
    Name: body.name,
    Labels: labelMap(body.labels),
    TaskTemplate: {
      ContainerSpec: {
        Image: cs.image,
        Command: cs.command,
        Args: cs.args,
        Env: cs.env ? Object.entries(cs.env).map(([k, v]) => `${k}=${v}`) : undefined,
        Dir: cs.dir,
        User: cs.user,
        ReadOnly: cs.read_only,
        CapabilityDrop: cs.cap_drop,
        CapabilityAdd: cs.cap_add,
        Labels: labelMap(cs.labels),
        StopGracePeriod: cs.stop_grace_period ? goDurationNs(cs.stop_grace_period) : undefined,
        Mounts: (cs.mounts ?? []).map((m: any) => {
          if (m.tmpfs_options) throw new Error('tmpfs_options would panic provider 3.6.2 (#563)');
          return { Type: m.type, Target: m.target, Source: m.source, ReadOnly: m.read_only };
        }),
        Healthcheck: hc ? {
          Test: hc.test,
          Interval: goDurationNs(hc.interval),
          Timeout: goDurationNs(hc.timeout),
          StartPeriod: goDurationNs(hc.start_period),
          Retries: hc.retries,
        } : undefined,
      },
      Resources: { Limits: { MemoryBytes: task.resources.limits.memory_bytes, NanoCPUs: task.resources.limits.nano_cpus } },
      RestartPolicy: {
        Condition: task.restart_policy.condition,
        MaxAttempts: task.restart_policy.max_attempts,
        Delay: task.restart_policy.delay ? goDurationNs(task.restart_policy.delay) : undefined,
        Window: task.restart_policy.window ? goDurationNs(task.restart_policy.window) : undefined,
      },
      LogDriver: task.log_driver ? { Name: task.log_driver.name, Options: task.log_driver.options } : undefined,
      Networks: (task.networks_advanced ?? []).map((n: any) => ({ Target: n.name, Aliases: n.aliases })),
    },
    Mode: { Replicated: { Replicas: body.mode.replicated.replicas } },
    EndpointSpec: { Mode: body.endpoint_spec?.mode },
  };
}

function getLoopback(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', timeout: 5000 }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

function ensureImage(): void {
  const inspect = spawnSync('docker', ['image', 'inspect', TEST_IMAGE], { encoding: 'utf8' });
  if (inspect.status === 0) return;
  const script = path.join(__dirname, '..', '..', 'scripts', 'build-test-images.sh');
  const r = spawnSync('bash', [script], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`${TEST_IMAGE} is missing and scripts/build-test-images.sh failed: ${r.stderr}`);
}

const networksMade: string[] = [];
async function createNetworks(doc: Body): Promise<void> {
  for (const body of Object.values<Body>(doc.resource.docker_network ?? {})) {
    await docker().getNetwork(body.name).remove().catch(() => undefined);
    await docker().createNetwork(networkCreateFromSynth(body));
    networksMade.push(body.name);
  }
}

async function removeNetworks(): Promise<void> {
  for (const n of networksMade.splice(0).reverse()) {
    for (let i = 0; i < 20; i++) {
      try {
        await docker().getNetwork(n).remove();
        break;
      } catch (e: any) {
        if (e?.statusCode === 404) break;
        await sleep(500);
      }
    }
  }
}

describeEngine('SecureService on a real engine', () => {
  beforeAll(() => ensureImage(), 300_000);

  describe('containers mode: networks, allowFrom, published ports', () => {
    const web = name('web');
    const client = name('client');
    const stranger = name('stranger');
    let doc: Body;
    const c: Record<string, Docker.Container> = {};

    beforeAll(async () => {
      doc = synthDoc((stack) => {
        const w = new SecureService(stack, 'web', { ...LOCAL_IMAGE, name: web, replicas: 2, command: HTTPD, healthcheck: HEALTH, ports: [{ internal: HTTP_PORT }] } as SecureServiceProps);
        const cl = new SecureService(stack, 'client', { ...LOCAL_IMAGE, name: client, command: ['sleep', '3600'] } as SecureServiceProps);
        new SecureService(stack, 'stranger', { ...LOCAL_IMAGE, name: stranger, command: ['sleep', '3600'] } as SecureServiceProps);
        w.allowFrom(cl, HTTP_PORT);
      });
      await createNetworks(doc);
      for (const body of Object.values<Body>(doc.resource.docker_container)) c[body.name] = await createFromSynth(body);
      for (const i of [1, 2]) await waitFor(c[`${web}-${i}`], (x) => x.State.Health?.Status === 'healthy', 30_000);
    }, 120_000);

    afterAll(async () => {
      await cleanup();
      await removeNetworks();
    }, 120_000);

    test('the networks are what was synthesized: internal private and pair networks, an edge without masquerading', async () => {
      const inspect = async (n: string) => docker().getNetwork(n).inspect();
      expect((await inspect(`${web}-net`)).Internal).toBe(true);
      expect((await inspect(`${client}-net`)).Internal).toBe(true);
      const pair = [web, client].sort().join('--');
      expect((await inspect(pair)).Internal).toBe(true);
      const edge = await inspect(`${web}-edge`);
      expect(edge.Internal).toBe(false);
      expect(edge.Options).toMatchObject({ 'com.docker.network.bridge.enable_ip_masquerade': 'false' });
      // No MASQUERADE rule for the edge subnet (only Docker's per-port hairpin rules, which are /32): no NAT out.
      const subnet = String(edge.IPAM?.Config?.[0]?.Subnet);
      const nat = spawnSync('iptables', ['-t', 'nat', '-S', 'POSTROUTING'], { encoding: 'utf8' });
      if (nat.status === 0) expect(nat.stdout).not.toContain(`-s ${subnet} `);
    });

    // The image's busybox is static glibc: its wget cannot resolve names (glibc NSS needs shared libraries) and
    // crashes on exit after fetching from another host, so names are resolved with busybox nslookup (its own
    // resolver, asking Docker's embedded DNS) and the request is sent with nc.
    const GET = 'printf \'GET / HTTP/1.0\\r\\n\\r\\n\' | nc -w 3';
    const fetchByName = (from: Docker.Container, host: string) => sh(from,
      `ip=$(nslookup ${host} 2>/dev/null | awk '/^Address/ && $NF !~ /:53$/ {a=$NF} END {print a}'); `
      + `[ -n "$ip" ] || { echo "no address for ${host}"; exit 2; }; ${GET} "$ip" ${HTTP_PORT} | head -1`);

    test('the client reaches web by its service name over their shared network', async () => {
      expect((await fetchByName(c[`${client}-1`], web)).stdout).toMatch(/^HTTP\/1\.[01] 200/);
      // The alias names both replicas; each answers on the pair network.
      const ns = await sh(c[`${client}-1`], `nslookup ${web} 2>/dev/null | awk '/^Address/ && $NF !~ /:53$/ {print $NF}' | sort -u`);
      const ips = ns.stdout.trim().split('\n').filter(Boolean);
      expect(ips).toHaveLength(2);
      for (const ip of ips) expect((await sh(c[`${client}-1`], `${GET} ${ip} ${HTTP_PORT} | head -1`)).stdout).toMatch(/^HTTP\/1\.[01] 200/);
    });

    test('a container on no shared network cannot reach any of web\'s addresses', async () => {
      const info = await c[`${web}-1`].inspect();
      const addrs = Object.values<any>(info.NetworkSettings.Networks).map((n) => n.IPAddress).filter(Boolean);
      expect(addrs.length).toBe(3); // private, edge, pair
      for (const ip of addrs) {
        const r = await sh(c[`${stranger}-1`], `${GET} ${ip} ${HTTP_PORT}; echo rc=$?`, { timeoutMs: 15_000 });
        expect(r.stdout).not.toMatch(/HTTP\/1/);
        expect(r.stdout).not.toMatch(/rc=0/);
      }
      // The same request from the client, over the pair network, is answered.
      const pairIp = info.NetworkSettings.Networks[[web, client].sort().join('--')].IPAddress;
      expect((await sh(c[`${client}-1`], `${GET} ${pairIp} ${HTTP_PORT} | head -1`)).stdout).toMatch(/^HTTP\/1\.[01] 200/);
    });

    test('each replica publishes its port on 127.0.0.1 only; the client publishes none', async () => {
      for (const i of [1, 2]) {
        const info = await c[`${web}-${i}`].inspect();
        const bindings = info.NetworkSettings.Ports[`${HTTP_PORT}/tcp`] as { HostIp: string; HostPort: string }[];
        expect(bindings.map((b) => b.HostIp)).toEqual(['127.0.0.1']);
        const port = Number(bindings[0].HostPort);
        const res = await getLoopback(port);
        expect(res.status).toBe(200);
        const ss = spawnSync('ss', ['-ltnH'], { encoding: 'utf8' });
        expect(ss.status).toBe(0);
        const listening = ss.stdout.split('\n').map((l) => l.trim().split(/\s+/)[3]).filter((a) => a && a.endsWith(`:${port}`));
        expect(listening).toEqual([`127.0.0.1:${port}`]);
        const dp = spawnSync('docker', ['port', `${web}-${i}`], { encoding: 'utf8' });
        expect(dp.stdout.trim()).toBe(`${HTTP_PORT}/tcp -> 127.0.0.1:${port}`);
      }
      const clientInfo = await c[`${client}-1`].inspect();
      expect(Object.values(clientInfo.NetworkSettings.Ports ?? {}).filter((b) => b && (b as any[]).length)).toEqual([]);
    });

    test('each replica runs hardened: read-only, no capabilities, no-new-privileges, non-root', async () => {
      const r = await sh(c[`${web}-2`], 'id -u; grep -E "^(CapEff|NoNewPrivs)" /proc/self/status; touch /x 2>&1; echo rc=$?');
      expect(r.stdout).toMatch(/^10001$/m);
      expect(r.stdout).toMatch(/CapEff:\s+0+$/m);
      expect(r.stdout).toMatch(/NoNewPrivs:\s+1$/m);
      expect(r.stdout).toMatch(/Read-only file system/);
    });
  });

  describe('Swarm mode: the service converges and its tasks carry the hardening', () => {
    const svcName = name('sw');
    let initialised = false;
    let service: Docker.Service | undefined;
    let body: Body;

    beforeAll(async () => {
      const state = (await docker().info()).Swarm?.LocalNodeState;
      if (state !== 'active') {
        const r = spawnSync('docker', ['swarm', 'init', '--advertise-addr', '127.0.0.1'], { encoding: 'utf8' });
        // Another test may have initialised it meanwhile: then use it and leave it to that test.
        if (r.status !== 0 && (await docker().info()).Swarm?.LocalNodeState !== 'active') throw new Error(`docker swarm init failed: ${r.stderr}`);
        initialised = r.status === 0;
      }
      const doc = synthDoc((stack) => {
        new SecureService(stack, 'sw', {
          ...LOCAL_IMAGE,
          name: svcName,
          mode: ServiceMode.SWARM,
          replicas: 2,
          command: HTTPD,
          healthcheck: HEALTH,
          memoryMb: 64,
          cpuLimit: 0.25,
          user: '10001:10001',
          writablePaths: [{ path: '/var/cache' }],
        } as SecureServiceProps);
      });
      body = Object.values<Body>(doc.resource.docker_service)[0];
      await createNetworks(doc);
      service = await docker().createService(serviceSpecFromSynth(body));
    }, 120_000);

    afterAll(async () => {
      if (service) await service.remove().catch(() => undefined);
      // Task containers go away asynchronously; the overlay can be removed once they have.
      for (let i = 0; i < 40; i++) {
        const left = await docker().listContainers({ all: true, filters: { label: [`com.docker.swarm.service.name=${svcName}`] } });
        if (left.length === 0) break;
        await sleep(500);
      }
      await removeNetworks();
      if (initialised) spawnSync('docker', ['swarm', 'leave', '--force'], { encoding: 'utf8' });
    }, 120_000);

    test('replicas converge and docker inspect of each task shows read-only, drop ALL, user, memory and CPU limits', async () => {
      const want = body.mode.replicated.replicas;
      const end = Date.now() + 90_000;
      let running: any[] = [];
      while (Date.now() < end) {
        const tasks = await docker().listTasks({ filters: { 'service': [svcName], 'desired-state': ['running'] } });
        running = tasks.filter((t: any) => t.Status?.State === 'running' && t.Status?.ContainerStatus?.ContainerID);
        if (running.length === want) break;
        await sleep(1000);
      }
      expect(running).toHaveLength(2);
      for (const t of running) {
        const ctr = docker().getContainer(t.Status.ContainerStatus.ContainerID);
        const info = await ctr.inspect();
        expect(info.HostConfig.ReadonlyRootfs).toBe(true);
        expect(info.HostConfig.CapDrop).toEqual(['ALL']);
        expect(info.Config.User).toBe('10001:10001');
        expect(info.HostConfig.Memory).toBe(64 * 1024 * 1024);
        expect(info.HostConfig.NanoCpus).toBe(250_000_000);
        expect((info.HostConfig.Mounts ?? []).map((m: any) => `${m.Type}:${m.Target}`)).toEqual(['tmpfs:/tmp', 'tmpfs:/var/cache']);
        const r = await sh(ctr, 'grep -E "^(CapEff|NoNewPrivs)" /proc/self/status; touch /tmp/ok && echo tmp-writable; touch /x 2>&1; grep " /tmp " /proc/mounts');
        expect(r.stdout).toMatch(/CapEff:\s+0+$/m);
        expect(r.stdout).toMatch(/tmp-writable/);
        expect(r.stdout).toMatch(/Read-only file system/);
        expect(r.stdout).toMatch(/tmpfs \/tmp tmpfs .*nosuid.*nodev.*noexec|tmpfs \/tmp tmpfs .*noexec/);
        // The limit the checks report: provider 3.6.2 cannot set no-new-privileges on a service.
        expect(r.stdout).toMatch(/NoNewPrivs:\s+0$/m);
      }
    }, 120_000);
  });
});
