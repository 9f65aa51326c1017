import * as fc from 'fast-check';
import { evaluate } from '../../src/evaluation/evaluate';
import { Profile } from '../../src/profiles/profile';
import { parseTerraformJson } from '../../src/spec/terraform/json-reader';
import { specsFromTerraformJson } from '../../src/spec/terraform-adapter';

/**
 * Issue 13: a configuration written with its blocks split over repeated JSON keys (at the `resource` level, the
 * resource type level and the nested block level) gives the same findings as the same configuration written once.
 */

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const LIST_BLOCKS = ['volumes', 'mounts', 'ports', 'ulimit', 'devices', 'labels'] as const;
const SINGLE_BLOCKS = ['capabilities', 'healthcheck'] as const;

const body = fc.record({
  image: fc.constantFrom('nginx:1.25', 'nginx:latest', `registry.example/app@sha256:${'a'.repeat(64)}`),
  privileged: opt(fc.boolean()),
  user: opt(fc.constantFrom('root', '1000', '0:0', '10001:10001')),
  read_only: opt(fc.boolean()),
  memory: opt(fc.integer({ min: 0, max: 1024 })),
  network_mode: opt(fc.constantFrom('host', 'bridge')),
  pid_mode: opt(fc.constantFrom('host')),
  security_opts: opt(fc.uniqueArray(fc.constantFrom('no-new-privileges:true', 'seccomp=unconfined', 'apparmor=unconfined', 'label=disable'), { maxLength: 3 })),
  volumes: fc.array(fc.record({
    host_path: fc.constantFrom('/var/run/docker.sock', '/etc', '/srv/data', '/', '/proc'),
    container_path: fc.constantFrom('/a', '/b', '/c'),
    read_only: opt(fc.boolean()),
  }, { requiredKeys: ['host_path', 'container_path'] }), { maxLength: 3 }),
  mounts: fc.array(fc.record({
    type: fc.constantFrom('bind', 'volume', 'tmpfs'),
    target: fc.constantFrom('/m', '/n'),
    source: fc.constantFrom('/var/run/docker.sock', '/sys', 'data'),
    read_only: opt(fc.boolean()),
  }, { requiredKeys: ['type', 'target', 'source'] }), { maxLength: 3 }),
  ports: fc.array(fc.record({
    internal: fc.constantFrom(22, 80, 8080),
    external: opt(fc.constantFrom(80, 443, 2222, 8080)),
    ip: opt(fc.constantFrom('0.0.0.0', '127.0.0.1')),
  }, { requiredKeys: ['internal'] }), { maxLength: 3 }),
  ulimit: fc.array(fc.record({ name: fc.constantFrom('nofile', 'nproc'), soft: fc.constantFrom(256, 1024), hard: fc.constantFrom(1024, 4096) }), { maxLength: 2 }),
  devices: fc.array(fc.record({ host_path: fc.constantFrom('/dev/fuse', '/dev/mem', '/dev/kmsg') }), { maxLength: 2 }),
  labels: fc.array(fc.record({ label: fc.constantFrom('owner', 'hardened-docker.suppress.read-only-rootfs'), value: fc.constantFrom('team-a', 'the root filesystem is written by the legacy app') }), { maxLength: 2 }),
  capabilities: opt(fc.record({
    add: fc.uniqueArray(fc.constantFrom('SYS_ADMIN', 'NET_ADMIN', 'NET_BIND_SERVICE', 'CHOWN'), { maxLength: 2 }),
    drop: fc.uniqueArray(fc.constantFrom('ALL', 'NET_RAW'), { maxLength: 2 }),
  })),
  healthcheck: opt(fc.record({ test: fc.constant(['CMD', 'true']), interval: fc.constantFrom('30s', '1m') })),
}, { requiredKeys: ['image', 'volumes', 'mounts', 'ports', 'ulimit', 'devices', 'labels'] });

type Body = typeof body extends fc.Arbitrary<infer T> ? T : never;

/** The body written once: each list block as one list, absent when empty. */
function merged(b: Body): any {
  const out: any = {};
  for (const [k, v] of Object.entries(b)) {
    if (v === undefined) continue;
    if ((LIST_BLOCKS as readonly string[]).includes(k) && (v as unknown[]).length === 0) continue;
    out[k] = v;
  }
  return out;
}

/** Draws choices from a fixed list of numbers, round and round. */
class Choices {
  private i = 0;
  constructor(private readonly n: number[]) {}
  public next(mod: number): number {
    return this.n[this.i++ % this.n.length] % mod;
  }
}

/** Splits a list into consecutive chunks (maybe empty ones). */
function chunks<T>(items: T[], c: Choices): T[][] {
  const out: T[][] = [[]];
  for (const item of items) {
    if (c.next(3) === 0) out.push([]);
    out[out.length - 1].push(item);
  }
  if (c.next(4) === 0) out.push([]);
  return out;
}

const j = (v: unknown) => JSON.stringify(v);

/** One body, its list blocks split over repeated keys interleaved with the other attributes, blocks as objects or lists. */
function splitBody(b: Body, c: Choices): string {
  // One queue per attribute or block type; the parts are drawn from random queues, each queue in its order.
  const queues: string[][] = [];
  for (const [k, v] of Object.entries(b)) {
    if (v === undefined || (LIST_BLOCKS as readonly string[]).includes(k)) continue;
    queues.push([(SINGLE_BLOCKS as readonly string[]).includes(k) && c.next(2) === 0 ? `${j(k)}: [${j(v)}]` : `${j(k)}: ${j(v)}`]);
  }
  for (const key of LIST_BLOCKS) {
    const items = b[key] as unknown[];
    if (!items.length) continue;
    queues.push(chunks(items, c).map((chunk) => `${j(key)}: ${chunk.length === 1 && c.next(2) === 0 ? j(chunk[0]) : j(chunk)}`));
  }
  const parts: string[] = [];
  for (let left = queues.filter((q) => q.length); left.length; left = left.filter((q) => q.length)) {
    parts.push(left[c.next(left.length)].shift()!);
  }
  return `{${parts.join(', ')}}`;
}

/** The whole document, containers split over repeated `resource` keys and repeated `docker_container` keys. */
function splitDocument(bodies: Body[], c: Choices): string {
  const named = bodies.map((b, i) => [`c${i}`, b] as const);
  const resources = chunks(named, c).filter((x) => x.length).map((group) => {
    const types = chunks(group, c).filter((x) => x.length).map((sub) =>
      `"docker_container": {${sub.map(([name, b]) => `${j(name)}: ${splitBody(b, c)}`).join(', ')}}`);
    return `"resource": {${types.join(',\n ')}}`;
  });
  return `{${resources.join(',\n')}}`;
}

function findings(doc: any): string[] {
  const specs = specsFromTerraformJson(doc, { file: 'main.tf.json' });
  return evaluate(specs, Profile.named('hardened')).findings.map((f) => JSON.stringify(f)).sort();
}

test('blocks split over repeated keys at every level give the findings of the configuration written once', () => {
  fc.assert(fc.property(
    fc.array(body, { minLength: 1, maxLength: 3 }),
    fc.array(fc.nat({ max: 1000 }), { minLength: 8, maxLength: 40 }),
    (bodies, numbers) => {
      const once = JSON.stringify({ resource: { docker_container: Object.fromEntries(bodies.map((b, i) => [`c${i}`, merged(b)])) } });
      const split = splitDocument(bodies, new Choices(numbers));
      expect(findings(parseTerraformJson(split, 'main.tf.json'))).toEqual(findings(JSON.parse(once)));
    },
  ), { numRuns: 200 });
});

test('JSON.parse alone loses what the split keys hold (the property above fails without the reader)', () => {
  const split = '{"resource": {"docker_container": {"c0": {"image": "nginx:1.25", '
    + '"volumes": {"host_path": "/var/run/docker.sock", "container_path": "/s"}, "volumes": {"host_path": "/srv", "container_path": "/d"}}}},'
    + ' "resource": {"docker_container": {"c1": {"image": "nginx:1.25", "privileged": true}}}}';
  const once = '{"resource": {"docker_container": {"c0": {"image": "nginx:1.25", "volumes": ['
    + '{"host_path": "/var/run/docker.sock", "container_path": "/s"}, {"host_path": "/srv", "container_path": "/d"}]},'
    + ' "c1": {"image": "nginx:1.25", "privileged": true}}}}';
  expect(findings(JSON.parse(split))).not.toEqual(findings(JSON.parse(once)));
  expect(findings(parseTerraformJson(split, 'main.tf.json'))).toEqual(findings(JSON.parse(once)));
});
