/** Single compose settings and the props convert writes for them. */
import * as fs from 'fs';
import * as path from 'path';
import { outDir, ROOT } from './helpers';
import { convertCompose, ConvertResult } from '../../src/convert/stack';

let out: { dir: string; cleanup: () => void };
beforeAll(() => {
  out = outDir();
});
afterAll(() => out.cleanup());

let n = 0;
/** Converts a compose document (JSON is YAML) written to its own project directory, `<out>/project<n>/compose.yaml`. */
function convert(doc: object, env: { [k: string]: string } = {}, files: { [rel: string]: string } = {}): ConvertResult & { dir: string } {
  const dir = path.join(out.dir, `project${n++}`);
  fs.mkdirSync(dir);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  fs.writeFileSync(path.join(dir, 'compose.yaml'), JSON.stringify(doc));
  return { ...convertCompose([path.join(dir, 'compose.yaml')], { cwd: ROOT, env }), dir };
}

test('a bind of the compose directory itself is COMPOSE_DIR, declared; a host path outside it stays absolute', () => {
  const r = convert({ services: { web: { image: 'nginx:1.27', volumes: ['.:/code', './conf:/etc/app:ro', '/srv/data:/data'] } } });
  expect(r.source).toContain(`const COMPOSE_DIR = '${r.dir}';`);
  expect(r.source).toContain('{ containerPath: \'/code\', hostPath: COMPOSE_DIR, readOnly: false }');
  expect(r.source).toContain('{ containerPath: \'/etc/app\', hostPath: join(COMPOSE_DIR, \'conf\'), readOnly: true }');
  expect(r.source).toContain('{ containerPath: \'/data\', hostPath: \'/srv/data\', readOnly: false }');
});

test('an environment variable without a value is read from the environment at synth, as compose reads it', () => {
  const r = convert({ services: { web: { image: 'nginx:1.27', environment: ['API_TOKEN', 'MODE=live', 'my-var'] } } });
  expect(r.source).toContain('env: { API_TOKEN: process.env.API_TOKEN ?? \'\', MODE: \'live\', \'my-var\': process.env[\'my-var\'] ?? \'\' }');
});

test('a user name becomes a placeholder the construct refuses; root becomes UID 0 with the runAsRoot opt-out', () => {
  const r = convert({ services: { a: { image: 'nginx:1.27', user: 'www-data:www-data' }, b: { image: 'nginx:1.27', user: 'root' } } });
  expect(r.source).toContain('user: \'TODO: numeric UID of www-data:www-data\'');
  expect(r.source).toMatch(/user: '0',[\s\S]*runAsRoot: \{ reason: 'TODO: \.\.\.' \}/);
});

test('healthcheck and restart in the construct\'s units and bounds, each rounding noted', () => {
  const r = convert({
    services: {
      web: {
        image: 'nginx:1.27',
        read_only: true,
        healthcheck: { test: 'curl -f http://localhost/ || exit 1', interval: '1m30s', timeout: '2500ms', retries: 5 },
        restart: 'on-failure:9',
        mem_limit: '1000k',
      },
    },
  });
  expect(r.source).toContain('command: [\'sh\', \'-c\', \'curl -f http://localhost/ || exit 1\'],');
  expect(r.source).toContain('intervalSeconds: 90,');
  expect(r.source).toContain('timeoutSeconds: 3,');
  expect(r.source).toContain('restartPolicy: RestartPolicy.ON_FAILURE,');
  expect(r.source).toContain('maxRestartRetries: 5,');
  expect(r.source).toContain('memoryMb: 6,');
  expect(r.notes.map((x) => `${x.setting}: ${x.message}`).sort()).toEqual([
    'services.web.healthcheck: timeout: 2500ms is 3 whole seconds here',
    'services.web.mem_limit: 1024000 bytes is 6 MiB here (whole MiB, at least 6)',
    'services.web.restart: at most 5 restarts (CIS 5.15) instead of 9',
  ]);
});

test('external networks and volumes are used by the name written (no project prefix); an anonymous volume becomes a named one, noted', () => {
  const r = convert({
    name: 'shop',
    services: { web: { image: 'nginx:1.27', networks: ['edge'], volumes: ['shared:/shared', '/var/cache/app'] } },
    networks: { edge: { external: true, name: 'corp-edge' } },
    volumes: { shared: { external: true } },
  });
  expect(r.source).toContain('networks: [{ name: \'corp-edge\', aliases: [\'web\'] }],');
  expect(r.source).toContain('{ containerPath: \'/shared\', volumeName: \'shared\', readOnly: false }');
  expect(r.source).toContain('const webVarCacheAppVolume = new Volume(this, \'WebVarCacheAppVolume\', { name: \'shop_web-var-cache-app\' });');
  expect(r.source).not.toContain('new Network(');
  expect(r.notes.map((x) => x.message)).toContain('/var/cache/app: the anonymous volume became the named volume shop_web-var-cache-app');
});

test('network_mode service: is noted, and a service with replicas keeps no network_mode', () => {
  const r = convert({
    services: {
      db: { image: 'postgres:16.4' },
      sidecar: { image: 'busybox:1.36', network_mode: 'service:db' },
      api: { image: `registry.example.com/api@sha256:${'e'.repeat(64)}`, network_mode: 'bridge', deploy: { replicas: 2 } },
    },
  });
  const notes = r.notes.map((x) => `${x.setting}: ${x.message}`);
  expect(notes).toContain('services.sidecar.network_mode: service:db: no prop for it (give the container\'s name as container:<name>): left out');
  expect(notes).toContain('services.api.network_mode: bridge: a service with replicas joins its own networks: left out');
  expect(r.services).toEqual([
    { name: 'db', construct: 'HardenedContainer' },
    { name: 'sidecar', construct: 'HardenedContainer' },
    { name: 'api', construct: 'SecureService' },
  ]);
});

test('cpus: 0 (no limit in compose) leaves the profile\'s limit, noted; a Swarm publishing mode is noted', () => {
  const r = convert({ services: { web: { image: 'nginx:1.27', cpus: 0, ports: [{ target: 80, published: 8080, host_ip: '127.0.0.1', mode: 'host' }] } } });
  expect(r.source).not.toContain('cpuLimit');
  expect(r.source).toContain('ports: [{ internal: 80, external: 8080, hostIp: \'127.0.0.1\' }],');
  expect(r.notes.map((x) => `${x.setting}: ${x.message}`)).toEqual([
    'services.web.cpus: cpus 0 (no limit): the profile\'s CPU limit applies',
    'services.web.ports: 80: mode host (Swarm publishing) has no prop: left out',
  ]);
});

test('a seccomp profile file is read at synth into seccompProfileJson; one that allows every call is the unconfinedSeccomp opt-out', () => {
  const r = convert({
    services: {
      strict: { image: 'nginx:1.27', read_only: true, security_opt: ['seccomp:./security/strict.json'] },
      open: { image: 'nginx:1.27', read_only: true, security_opt: ['seccomp=./security/open.json'] },
      missing: { image: 'nginx:1.27', read_only: true, security_opt: ['seccomp:./security/none.json'] },
    },
  }, {}, {
    'security/strict.json': JSON.stringify({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }] }),
    'security/open.json': JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW' }),
  });
  expect(r.source).toContain('import { readFileSync } from \'fs\';');
  expect(r.source).toContain('seccompProfileJson: readFileSync(join(COMPOSE_DIR, \'security/strict.json\'), \'utf8\'),');
  expect(r.source).toMatch(/seccomp profile \.\/security\/open\.json allows every system call[\s/]*\(\S+:1:\d+\)\n\s+unconfinedSeccomp: \{ reason: 'TODO: \.\.\.' \},/);
  expect(r.notes.map((x) => `${x.setting}: ${x.message}`)).toEqual(['services.missing.security_opt: seccomp profile ./security/none.json: no such file: left out']);
});

test('a setting that needs a variable without a value is noted once, under its compose key, naming the variable', () => {
  const r = convert({ services: { web: { image: 'nginx:1.27', read_only: '${RO}', mem_limit: '${MEM}', restart: 'on-failure:${TRIES}' } } });
  expect(r.notes.map((x) => `${x.setting}: ${x.message}`)).toEqual([
    'services.web.read_only: needs RO, which has no value: left out; give it a value (environment, .env, --env-file) and convert again',
    'services.web.mem_limit: needs MEM, which has no value: left out; give it a value (environment, .env, --env-file) and convert again',
    'services.web.restart: needs TRIES, which has no value: left out; give it a value (environment, .env, --env-file) and convert again',
  ]);
  expect(r.source).not.toContain('memoryMb');
  expect(r.source).not.toContain('restartPolicy');
});

test('cgroup: host is the hostCgroupNamespace opt-out with a TODO reason; private is the default (nothing written); another value is noted', () => {
  const r = convert({
    services: {
      shared: { image: 'nginx:1.27', read_only: true, cgroup: 'host' },
      own: { image: 'nginx:1.27', read_only: true, cgroup: 'private' },
      odd: { image: 'nginx:1.27', read_only: true, cgroup: 'shared' },
      later: { image: 'nginx:1.27', read_only: true, cgroup: '${CGROUP}' },
    },
  });
  const constructs = r.source.split('new HardenedContainer(').slice(1);
  expect(constructs).toHaveLength(4);
  expect(constructs[0]).toMatch(/\/\/ TODO: why is this acceptable here\? cgroup: host \(\S+compose\.yaml:1:\d+\)\n\s+hostCgroupNamespace: \{ reason: 'TODO: \.\.\.' \},/);
  for (const c of constructs.slice(1)) {
    expect(c).not.toContain('hostCgroupNamespace');
    expect(c).not.toContain('optOuts');
  }
  expect(r.notes.map((x) => `${x.setting}: ${x.message}`)).toEqual([
    'services.odd.cgroup: shared: not a cgroup namespace mode (host or private): left out, the container keeps a private one',
    'services.later.cgroup: needs CGROUP, which has no value: left out; give it a value (environment, .env, --env-file) and convert again',
  ]);
});
