import * as fs from 'fs';
import * as path from 'path';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { App, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import * as fc from 'fast-check';
import {
  Capability, DockerSecurityChecks, Profile, ProfileScope, Protocol, RestartPolicy, SecureService, SecureServiceProps,
  ServiceMode,
} from '../../src';

const DIGEST = 'sha256:' + 'c3'.repeat(32);
const IMAGE = `registry.example/web@${DIGEST}`;
const HEALTH = { command: ['wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/'] };

function newStack(app: App = Testing.app(), id = 'stack'): TerraformStack {
  const stack = new TerraformStack(app, id);
  new DockerProvider(stack, 'docker');
  return stack;
}

interface Synth {
  readonly json: any;
  /** docker_container bodies by container name. */
  readonly containers: { [name: string]: any };
  /** docker_network bodies by network name. */
  readonly networks: { [name: string]: any };
  /** docker_service bodies by service name. */
  readonly services: { [name: string]: any };
  readonly images: any[];
}

function synth(stack: TerraformStack): Synth {
  const json = JSON.parse(Testing.synth(stack));
  const byName = (type: string) => Object.fromEntries(Object.values<any>(json.resource?.[type] ?? {}).map((b) => [b.name, b]));
  return {
    json,
    containers: byName('docker_container'),
    networks: byName('docker_network'),
    services: byName('docker_service'),
    images: Object.values<any>(json.resource?.docker_image ?? {}),
  };
}

function one(props: Partial<SecureServiceProps> = {}, id = 'web'): { svc: SecureService; out: Synth; stack: TerraformStack } {
  const stack = newStack();
  const svc = new SecureService(stack, id, { image: IMAGE, healthcheck: HEALTH, ...props } as SecureServiceProps);
  return { svc, out: synth(stack), stack };
}

const labels = (body: any): { [k: string]: string } => Object.fromEntries((body.labels ?? []).map((l: any) => [l.label, l.value]));

/** Synthesizes an app with the checks (hardened profile) and returns the stack's JSON report. */
function checked(build: (stack: TerraformStack) => void): any {
  const app = Testing.app();
  DockerSecurityChecks.applyTo(app, { printReport: false });
  build(newStack(app));
  app.synth();
  return JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 'stack', 'hardened-docker-report.json'), 'utf8'));
}

describe('SecureService, containers mode', () => {
  test('defaults: one replica <name>-1, pinned image pulled with keep_locally, private internal network', () => {
    const { svc, out } = one();
    expect(Object.keys(out.containers)).toEqual(['web-1']);
    expect(svc.serviceName).toBe('web');
    expect(svc.mode).toBe(ServiceMode.CONTAINERS);
    const c = out.containers['web-1'];
    expect(c.image).toBe(IMAGE);
    expect(out.images).toEqual([expect.objectContaining({ name: IMAGE, keep_locally: true })]);
    expect(out.networks['web-net']).toMatchObject({ driver: 'bridge', internal: true });
    expect(out.networks['web-edge']).toBeUndefined();
    expect(c.networks_advanced).toEqual([{ name: 'web-net', aliases: ['web'] }]);
    expect(c.depends_on).toEqual(expect.arrayContaining([
      expect.stringMatching(/^docker_network\.web_Network_/), expect.stringMatching(/^docker_image\.web_Image_/),
    ]));
    // Every HardenedContainer default applies.
    expect(c).toMatchObject({
      read_only: true,
      user: '10001:10001',
      capabilities: { drop: ['ALL'] },
      security_opts: ['no-new-privileges:true'],
      memory: 256,
      memory_swap: 256,
      cpu_period: 100000,
      cpu_quota: 50000,
      restart: 'on-failure',
      max_retry_count: 3,
    });
    expect(c.ports).toBeUndefined();
    expect(c.cpus).toBeUndefined();
  });

  test('name: explicit, or derived from the construct id', () => {
    expect(Object.keys(one({ name: 'front' }).out.containers)).toEqual(['front-1']);
    expect(Object.keys(one({}, 'My_Api').out.containers)).toEqual(['my-api-1']);
    expect(() => one({ name: 'Bad_Name' })).toThrow(/\[stack\/web\] SecureService name: "Bad_Name" is not valid\. Valid: lower-case letters/);
  });

  test('replicas: stable names <service>-1..n, each with every prop passed through', () => {
    const { svc, out } = one({
      replicas: 3,
      env: { MODE: 'prod' },
      command: ['httpd', '-f', '-p', '8080'],
      entrypoint: ['/bin/sh', '-c'],
      workingDir: '/www',
      user: '20001:20001',
      memoryMb: 128,
      cpuLimit: 0.25,
      cpuShares: 256,
      writablePaths: [{ path: '/var/cache', sizeMb: 16 }],
      maxProcesses: 64,
      maxOpenFiles: 512,
      logMaxSize: '5m',
      logMaxFiles: 2,
      maxRestartRetries: 5,
      addCapabilities: [Capability.NET_BIND_SERVICE],
      labels: { team: 'web' },
    });
    expect(Object.keys(out.containers).sort()).toEqual(['web-1', 'web-2', 'web-3']);
    expect(svc.containers.map((c) => c.containerName)).toEqual(['web-1', 'web-2', 'web-3']);
    for (const c of Object.values<any>(out.containers)) {
      expect(c).toMatchObject({
        env: ['MODE=prod'],
        command: ['httpd', '-f', '-p', '8080'],
        entrypoint: ['/bin/sh', '-c'],
        working_dir: '/www',
        user: '20001:20001',
        memory: 128,
        memory_swap: 128,
        cpu_quota: 25000,
        cpu_shares: 256,
        max_retry_count: 5,
        capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
        log_opts: { 'max-size': '5m', 'max-file': '2' },
      });
      expect(c.tmpfs['/var/cache']).toMatch(/size=16m/);
      expect(c.ulimit).toEqual(expect.arrayContaining([{ name: 'nproc', soft: 64, hard: 64 }, { name: 'nofile', soft: 512, hard: 512 }]));
      expect(c.healthcheck.test).toEqual(['CMD', ...HEALTH.command]);
      expect(labels(c).team).toBe('web');
    }
  });

  test('HardenedContainer opt-outs apply to every replica (and its own validation runs)', () => {
    const { out } = one({ replicas: 2, optOuts: { writableRootFilesystem: { reason: 'legacy app writes to /var/lib' } } });
    for (const c of Object.values<any>(out.containers)) {
      expect(c.read_only).toBe(false);
      expect(labels(c)['hardened-docker.optout.writableRootFilesystem']).toBe('legacy app writes to /var/lib');
    }
    expect(() => one({ user: '0:0' })).toThrow(/runAsRoot/);
    expect(() => one({ restartPolicy: RestartPolicy.ALWAYS })).toThrow(/unlimitedRestarts/);
  });

  test('replicas: errors for 0, fractions, too many and tokens', () => {
    for (const bad of [0, -1, 1.5, 101]) {
      expect(() => one({ replicas: bad })).toThrow(new RegExp(`\\[stack/web\\] SecureService replicas: ${bad} is not valid\\. Valid: an integer from 1 to 100`));
    }
    const stack = newStack();
    const v = new TerraformVariable(stack, 'n', { type: 'number' });
    // Named as a token, not as the number that encodes it (-8.1e+298); Swarm mode takes it (see below).
    expect(() => new SecureService(stack, 'web', { image: IMAGE, replicas: v.numberValue }))
      .toThrow(/replicas: a token \(a value known only at apply\) is not valid\. Valid: a number known at synth in containers mode/);
  });

  test('image: digest in the reference, or name + imageDigest; pullImage false makes no docker_image', () => {
    expect(one({ image: 'registry.example/web', imageDigest: DIGEST }).out.containers['web-1'].image).toBe(IMAGE);
    expect(one({ image: 'registry.example/web:1.2', imageDigest: DIGEST }).out.containers['web-1'].image).toBe(`registry.example/web:1.2@${DIGEST}`);
    const { out, svc } = one({ pullImage: false });
    expect(out.images).toEqual([]);
    expect(svc.image).toBeUndefined();
    expect(out.containers['web-1'].image).toBe(IMAGE);
  });

  test('image: a tag without a digest is an error naming path, value and valid form', () => {
    expect(() => one({ image: 'nginx:1.27' })).toThrow(
      '[stack/web] SecureService image: "nginx:1.27" is not pinned by digest. Valid: name@sha256:<64 hex> (or name + imageDigest)');
    expect(() => one({ image: 'nginx@sha256:abc' })).toThrow(/image: "nginx@sha256:abc" is not an image reference: it has a malformed digest/);
    expect(() => one({ image: 'nginx', imageDigest: 'sha256:XYZ' })).toThrow(/imageDigest: "sha256:XYZ" is not valid/);
    expect(() => one({ imageDigest: DIGEST })).toThrow(/imageDigest: .* already carries a digest/);
    expect(() => one({ serviceOptOuts: { unpinnedImage: { reason: 'internal mirror retags nightly' } } })).toThrow(/unpinnedImage.*the image is pinned/);
    expect(() => one({ image: 'nginx:1.27', serviceOptOuts: { unpinnedImage: { reason: 'short' } } })).toThrow(/has only 5 visible characters \(at least 10 are needed\)/);
  });

  test('image: the unpinnedImage opt-out accepts a tag and records the suppression with its reason', () => {
    const report = checked((stack) => new SecureService(stack, 'web', {
      image: 'nginx:1.27', healthcheck: HEALTH, serviceOptOuts: { unpinnedImage: { reason: 'internal mirror retags nightly' } },
    }));
    const f = report.findings.filter((x: any) => x.ruleId === 'image-pinned-by-digest');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ suppressed: true, reason: 'internal mirror retags nightly' });
  });

  test('ports: one host port per replica (external + i - 1) on 127.0.0.1, through an edge network without masquerading', () => {
    const { svc, out } = one({ replicas: 3, ports: [{ internal: 8080, external: 18080 }] });
    expect(['web-1', 'web-2', 'web-3'].map((n) => out.containers[n].ports)).toEqual([
      [{ internal: 8080, external: 18080, ip: '127.0.0.1', protocol: 'tcp' }],
      [{ internal: 8080, external: 18081, ip: '127.0.0.1', protocol: 'tcp' }],
      [{ internal: 8080, external: 18082, ip: '127.0.0.1', protocol: 'tcp' }],
    ]);
    expect(svc.publishedPorts.map((p) => `${p.replica}:${p.hostIp}:${p.hostPort}`)).toEqual(['1:127.0.0.1:18080', '2:127.0.0.1:18081', '3:127.0.0.1:18082']);
    expect(out.networks['web-net'].internal).toBe(true);
    expect(out.networks['web-edge']).toMatchObject({
      driver: 'bridge',
      internal: false,
      options: { 'com.docker.network.bridge.enable_ip_masquerade': 'false', 'com.docker.network.bridge.host_binding_ipv4': '127.0.0.1' },
    });
    expect(out.containers['web-1'].networks_advanced).toEqual([{ name: 'web-net', aliases: ['web'] }, { name: 'web-edge' }]);
  });

  test('ports: random host ports, another interface, udp; the profile sets the default interface', () => {
    const { out } = one({ replicas: 2, ports: [{ internal: 53, hostIp: '10.0.0.5', protocol: Protocol.UDP }] });
    expect(out.containers['web-2'].ports).toEqual([{ internal: 53, ip: '10.0.0.5', protocol: 'udp' }]);
    const app = Testing.app();
    const stack = newStack(app);
    ProfileScope.apply(stack, new Profile('org', [], [], { hostIp: '192.168.10.2' }));
    new SecureService(stack, 'web', { image: IMAGE, ports: [{ internal: 8080 }] });
    const s = synth(stack);
    expect(s.containers['web-1'].ports[0].ip).toBe('192.168.10.2');
    expect(s.networks['web-edge'].options['com.docker.network.bridge.host_binding_ipv4']).toBe('192.168.10.2');
  });

  test('ports: errors for bad ports, ranges past 65535, clashes within the service and the stack', () => {
    expect(() => one({ ports: [{ internal: 0 }] })).toThrow(/ports\[0\]\.internal: 0 is not valid\. Valid: a port number from 1 to 65535/);
    expect(() => one({ replicas: 3, ports: [{ internal: 80, external: 65534 }] })).toThrow(/ports\[0\]\.external: 65534 is not valid\. Valid: an integer from 1 to 65533: replica i publishes external \+ i - 1, so 3 replicas need 65534\.\.65536/);
    expect(() => one({ replicas: 2, ports: [{ internal: 80, external: 18080 }, { internal: 81, external: 18081 }] })).toThrow(/127\.0\.0\.1:18081\/tcp.*each host port once/);
    expect(() => one({ ports: [{ internal: 80, hostIp: 'localhost' }] })).toThrow(/ports\[0\]\.hostIp: "localhost" is not valid/);
    const stack = newStack();
    new SecureService(stack, 'a', { image: IMAGE, ports: [{ internal: 80, external: 18080 }] });
    expect(() => new SecureService(stack, 'b', { image: IMAGE, replicas: 2, ports: [{ internal: 80, external: 18079 }] }))
      .toThrow(/\[stack\/b\] SecureService ports\[0\]: "127\.0\.0\.1:18080\/tcp".*stack\/a does/);
    // Privileged host ports and every interface still need HardenedContainer's opt-outs.
    expect(() => one({ ports: [{ internal: 80, external: 80 }] })).toThrow(/privilegedPorts/);
    expect(() => one({ ports: [{ internal: 80, hostIp: '0.0.0.0' }] })).toThrow(/allInterfaces/);
  });

  test('allowEgress: the private network is not internal and carries the published ports', () => {
    const { out } = one({ allowEgress: true, ports: [{ internal: 8080, external: 18080 }] });
    expect(out.networks['web-net'].internal).toBe(false);
    expect(out.networks['web-edge']).toBeUndefined();
    expect(out.containers['web-1'].networks_advanced).toEqual([{ name: 'web-net', aliases: ['web'] }]);
  });

  test('networks: extra user networks are appended; networkMode is refused', () => {
    const { out } = one({ networks: [{ name: 'monitoring', aliases: ['web-metrics'] }] });
    expect(out.containers['web-1'].networks_advanced).toEqual([{ name: 'web-net', aliases: ['web'] }, { name: 'monitoring', aliases: ['web-metrics'] }]);
    expect(() => one({ networkMode: 'host' })).toThrow(/networkMode: "host" is not valid\. Valid: leave it unset/);
  });

  test('allowFrom: one internal network per pair, joined by both, created once whichever side asks', () => {
    const stack = newStack();
    const web = new SecureService(stack, 'web', { image: IMAGE, replicas: 2, ports: [{ internal: 8080 }] });
    const api = new SecureService(stack, 'api', { image: IMAGE });
    const db = new SecureService(stack, 'db', { image: IMAGE });
    const n1 = api.allowFrom(web, 8080);
    expect(web.allowFrom(api)).toBe(n1);
    expect(api.allowFrom(web)).toBe(n1);
    db.allowFrom(api, 5432);
    const out = synth(stack);
    expect(Object.keys(out.networks).sort()).toEqual(['api--db', 'api--web', 'api-net', 'db-net', 'web-edge', 'web-net']);
    expect(out.networks['api--web']).toMatchObject({ driver: 'bridge', internal: true });
    expect(out.containers['web-2'].networks_advanced).toEqual([
      { name: 'web-net', aliases: ['web'] }, { name: 'web-edge' }, { name: 'api--web', aliases: ['web'] },
    ]);
    expect(out.containers['api-1'].networks_advanced.map((n: any) => n.name)).toEqual(['api-net', 'api--web', 'api--db']);
    // db shares a network with api only: web cannot reach it.
    expect(out.containers['db-1'].networks_advanced.map((n: any) => n.name)).toEqual(['db-net', 'api--db']);
    expect(out.containers['web-1'].depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^docker_network\.api_Link-web_/)]));
    // A service without published ports is unreachable from the host: no ports, no edge network.
    expect(out.containers['db-1'].ports).toBeUndefined();
  });

  test('allowFrom: errors for itself, another stack, another mode and a bad port', () => {
    const app = Testing.app();
    const s1 = newStack(app, 's1');
    const s2 = newStack(app, 's2');
    const a = new SecureService(s1, 'a', { image: IMAGE });
    const b = new SecureService(s2, 'b', { image: IMAGE });
    const c = new SecureService(s1, 'c', { image: IMAGE, mode: ServiceMode.SWARM });
    const d = new SecureService(s1, 'd', { image: IMAGE });
    expect(() => a.allowFrom(a)).toThrow(/\[s1\/a\] SecureService allowFrom: "s1\/a" is not valid/);
    expect(() => a.allowFrom(b)).toThrow(/same stack/);
    expect(() => a.allowFrom(c)).toThrow(/same mode/);
    expect(() => a.allowFrom(d, 70000)).toThrow(/allowFrom port: 70000 is not valid\. Valid: an integer from 1 to 65535/);
  });

  test('the checks report no errors on a default service', () => {
    const report = checked((stack) => {
      const web = new SecureService(stack, 'web', { image: IMAGE, healthcheck: HEALTH, replicas: 2, ports: [{ internal: 8080, external: 18080 }] });
      new SecureService(stack, 'api', { image: IMAGE, healthcheck: HEALTH }).allowFrom(web);
    });
    expect(report.summary.error).toBe(0);
    expect(report.summary.resources).toBe(3);
    expect(report.findings.filter((f: any) => !f.suppressed && f.severity !== 'info')).toEqual([]);
  });

  test('property: any replica count and base port give unique names and the contiguous host-port range', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1025, max: 65535 }), (n, base) => {
      const stack = newStack();
      const ok = base + n - 1 <= 65535;
      const make = () => new SecureService(stack, 'svc', { image: IMAGE, replicas: n, ports: [{ internal: 8080, external: base }] });
      if (!ok) {
        expect(make).toThrow(/ports\[0\]\.external/);
        return;
      }
      const svc = make();
      expect(svc.containers.map((c) => c.containerName)).toEqual(Array.from({ length: n }, (_, i) => `svc-${i + 1}`));
      expect(svc.publishedPorts.map((p) => p.hostPort)).toEqual(Array.from({ length: n }, (_, i) => base + i));
    }), { numRuns: 25 });
  });
});

describe('SecureService, Swarm mode', () => {
  const swarm = (props: Partial<SecureServiceProps> = {}) => one({ mode: ServiceMode.SWARM, ...props });

  test('the same props produce one hardened, replicated docker_service on an internal attachable overlay', () => {
    const { svc, out } = swarm({
      replicas: 3,
      env: { MODE: 'prod' },
      command: ['httpd', '-f'],
      entrypoint: ['/bin/sh'],
      workingDir: '/www',
      user: '20001:20001',
      memoryMb: 128,
      cpuLimit: 0.25,
      addCapabilities: [Capability.NET_BIND_SERVICE],
      writablePaths: [{ path: '/var/cache' }],
      maxRestartRetries: 4,
      labels: { team: 'web' },
      healthcheck: { ...HEALTH, intervalSeconds: 10, retries: 2 },
    });
    expect(out.containers).toEqual({});
    expect(svc.containers).toEqual([]);
    const s = out.services.web;
    expect(s.mode).toEqual({ replicated: { replicas: 3 } });
    expect(s.task_spec.container_spec).toMatchObject({
      image: IMAGE,
      env: { MODE: 'prod' },
      args: ['httpd', '-f'],
      command: ['/bin/sh'],
      dir: '/www',
      user: '20001:20001',
      read_only: true,
      cap_drop: ['ALL'],
      cap_add: ['NET_BIND_SERVICE'],
      healthcheck: { test: ['CMD', ...HEALTH.command], interval: '10s', timeout: '5s', start_period: '0s', retries: 2 },
    });
    expect(labels(s.task_spec.container_spec).team).toBe('web');
    // tmpfs without tmpfs_options: any tmpfs_options block panics provider 3.6.2 (#563).
    expect(s.task_spec.container_spec.mounts).toEqual([{ type: 'tmpfs', target: '/tmp' }, { type: 'tmpfs', target: '/var/cache' }]);
    expect(JSON.stringify(s)).not.toMatch(/tmpfs_options|size_bytes/);
    expect(s.task_spec.resources).toEqual({ limits: { memory_bytes: 128 * 1024 * 1024, nano_cpus: 250000000 } });
    expect(s.task_spec.restart_policy).toMatchObject({ condition: 'on-failure', max_attempts: 4 });
    expect(s.task_spec.log_driver).toEqual({ name: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } });
    expect(s.task_spec.networks_advanced).toEqual([{ name: 'web-net', aliases: ['web'] }]);
    expect(out.networks['web-net']).toMatchObject({ driver: 'overlay', internal: true, attachable: true });
    expect(s.endpoint_spec).toEqual({ mode: 'vip' });
    expect(s.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^docker_network\.web_Network_/)]));
  });

  test('defaults come from the profile', () => {
    const s = swarm().out.services.web;
    expect(s.task_spec.container_spec.user).toBe('10001:10001');
    expect(s.task_spec.resources.limits).toEqual({ memory_bytes: 256 * 1024 * 1024, nano_cpus: 500000000 });
    expect(s.task_spec.restart_policy.max_attempts).toBe(3);
  });

  test('ports publish on every interface in Swarm: refused without the allInterfaces opt-out', () => {
    expect(() => swarm({ ports: [{ internal: 8080, external: 18080 }] })).toThrow(/ports\[0\]: 8080 needs an opt-out.*Valid: no published ports in Swarm mode.*allInterfaces/);
    expect(() => swarm({ ports: [{ internal: 8080, hostIp: '127.0.0.1' }], optOuts: { allInterfaces: { reason: 'behind the edge firewall' } } })).toThrow(/hostIp/);
    const { out, svc } = swarm({ replicas: 3, ports: [{ internal: 8080, external: 18080 }], optOuts: { allInterfaces: { reason: 'behind the edge firewall' } } });
    expect(out.services.web.endpoint_spec).toEqual({ mode: 'vip', ports: [{ target_port: 8080, published_port: 18080, protocol: 'tcp', publish_mode: 'ingress' }] });
    expect(svc.publishedPorts).toEqual([{ replica: 0, containerPort: 8080, hostPort: 18080, hostIp: '0.0.0.0', protocol: 'tcp' }]);
  });

  test('what provider 3.6.2 cannot set on a docker_service is refused, not dropped', () => {
    const cases: [Partial<SecureServiceProps>, RegExp][] = [
      [{ seccompProfileJson: '{"defaultAction":"SCMP_ACT_ERRNO"}' }, /seccompProfileJson/],
      [{ appArmorProfile: 'docker-default' }, /appArmorProfile/],
      [{ maxProcesses: 64 }, /maxProcesses/],
      [{ maxOpenFiles: 64 }, /maxOpenFiles/],
      [{ init: true }, /init/],
      [{ tmpfsSizeMb: 16 }, /tmpfsSizeMb.*#563/],
      [{ writablePaths: [{ path: '/x', sizeMb: 8 }] }, /writablePaths\[0\]\.sizeMb.*#563/],
      [{ writablePaths: [{ path: '/x', mode: 0o700 }] }, /writablePaths\[0\]\.mode.*#563/],
      [{ optOuts: { allowPrivilegeEscalation: { reason: 'legacy setuid helper binary' } } }, /does not apply to a docker_service/],
      [{ cpuShares: 256 }, /cpuShares: 256 cannot be set on a docker_service\. Valid: leave it unset in Swarm mode/],
      [{ memorySwapMb: 512 }, /memorySwapMb/],
      [{ logMaxSize: '10 MB' }, /logMaxSize/],
    ];
    for (const [props, re] of cases) {
      expect(() => swarm(props)).toThrow(re);
      expect(() => swarm(props)).toThrow(/^\[stack\/web\] SecureService [\w.[\]]+: /);
    }
  });

  test('user, capabilities, restarts: the same rules as HardenedContainer', () => {
    expect(() => swarm({ user: '0' })).toThrow(/user: "0" needs an opt-out.*runAsRoot/);
    expect(() => swarm({ user: 'app' })).toThrow(/numeric UID/);
    expect(swarm({ user: '0:0', optOuts: { runAsRoot: { reason: 'vendor image needs root' } } }).out.services.web.task_spec.container_spec.user).toBe('0:0');
    expect(() => swarm({ addCapabilities: [Capability.SYS_ADMIN] })).toThrow(/addCapabilities: "SYS_ADMIN" needs an opt-out.*dangerousCapabilities/);
    expect(() => swarm({ maxRestartRetries: 0 })).toThrow(/maxRestartRetries: 0 is not valid/);
    expect(() => swarm({ maxRestartRetries: 6 })).toThrow(/maxRestartRetries: 6 is not valid/);
    expect(() => swarm({ optOuts: { runAsRoot: { reason: 'not actually needed here' } } })).toThrow(/optOuts\.runAsRoot.*nothing in the props needs it.*remove it/);
    expect(swarm({ restartPolicy: RestartPolicy.NO }).out.services.web.task_spec.restart_policy).toEqual({ condition: 'none' });
    expect(() => swarm({ restartPolicy: RestartPolicy.ALWAYS })).toThrow(/unlimitedRestarts/);
  });

  test('replicas up to 1000; volumes become mounts', () => {
    expect(swarm({ replicas: 1000 }).out.services.web.mode.replicated.replicas).toBe(1000);
    expect(() => swarm({ replicas: 1001 })).toThrow(/an integer from 1 to 1000/);
    const s = swarm({ volumes: [{ containerPath: '/data', volumeName: 'webdata', readOnly: false }, { containerPath: '/cfg', hostPath: '/srv/cfg' }] }).out.services.web;
    expect(s.task_spec.container_spec.mounts.slice(1)).toEqual([
      { type: 'volume', source: 'webdata', target: '/data', read_only: false },
      { type: 'bind', source: '/srv/cfg', target: '/cfg', read_only: true },
    ]);
    expect(() => swarm({ volumes: [{ containerPath: '/s', hostPath: '/var/run/docker.sock' }] })).toThrow(/dockerSocket/);
  });

  test('allowFrom: an internal attachable overlay shared by the pair', () => {
    const stack = newStack();
    const a = new SecureService(stack, 'api', { image: IMAGE, mode: ServiceMode.SWARM });
    const w = new SecureService(stack, 'web', { image: IMAGE, mode: ServiceMode.SWARM });
    a.allowFrom(w, 8080);
    const out = synth(stack);
    expect(out.networks['api--web']).toMatchObject({ driver: 'overlay', internal: true, attachable: true });
    expect(out.services.web.task_spec.networks_advanced).toEqual([{ name: 'web-net', aliases: ['web'] }, { name: 'api--web', aliases: ['web'] }]);
    expect(out.services.api.task_spec.networks_advanced.map((n: any) => n.name)).toEqual(['api-net', 'api--web']);
  });

  test('the checks report what provider 3.6.2 cannot set on the service, with that reason', () => {
    const report = checked((stack) => new SecureService(stack, 'web', { image: IMAGE, healthcheck: HEALTH, mode: ServiceMode.SWARM }));
    const open = report.findings.filter((f: any) => !f.suppressed);
    const byRule = (id: string) => open.find((f: any) => f.ruleId === id && f.address.startsWith('docker_service.'));
    expect(byRule('no-new-privileges').message).toMatch(/provider kreuzwerker\/docker 3\.6\.2 cannot set no-new-privileges on docker_service/);
    expect(byRule('pids-limit').message).toMatch(/cannot set a PIDs limit on docker_service/);
    expect(byRule('ulimits-set').message).toMatch(/cannot set ulimits on docker_service/);
    expect(byRule('no-host-cgroupns').message).toMatch(/cannot set a cgroup namespace on docker_service/);
    expect(report.summary.error).toBe(0);
    expect(open.map((f: any) => f.ruleId)).not.toContain('service-tmpfs-size');
    expect(open.map((f: any) => f.ruleId)).not.toContain('read-only-rootfs');
    expect(open.map((f: any) => f.ruleId)).not.toContain('drop-all-capabilities');
  });

  test('serviceOptOuts.swarmLimits records those findings as acknowledged, with the reason; only in Swarm mode', () => {
    const reason = 'every node sets no-new-privileges and default-pids-limit in daemon.json';
    const report = checked((stack) => new SecureService(stack, 'web', {
      image: IMAGE, healthcheck: HEALTH, mode: ServiceMode.SWARM, serviceOptOuts: { swarmLimits: { reason } },
    }));
    for (const id of ['no-new-privileges', 'pids-limit', 'ulimits-set', 'no-host-cgroupns']) {
      const f = report.findings.find((x: any) => x.ruleId === id);
      expect(f).toMatchObject({ suppressed: true });
      expect(f.reason).toContain(reason);
      expect(f.reason).toContain('provider kreuzwerker/docker 3.6.2 cannot set this on docker_service');
    }
    expect(() => one({ serviceOptOuts: { swarmLimits: { reason } } })).toThrow(/swarmLimits.*only to ServiceMode\.SWARM/);
  });
});
