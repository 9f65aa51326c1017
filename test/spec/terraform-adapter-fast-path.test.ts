import * as fc from 'fast-check';
import * as unknownScan from '../../src/spec/terraform/unknown-scan';
import {
  containerSpecFromContainer, containerSpecFromService, mayHoldUnknown, READ_ATTRIBUTES,
} from '../../src/spec/terraform-adapter';

/**
 * The spec, or the error message, of one body read by the fast path (when it applies) or the general one. The general
 * reader is forced by making the fast-path scan say that the body may hold something unknown.
 */
function read(kind: 'container' | 'service', body: any, general: boolean): unknown {
  const scan = general ? jest.spyOn(unknownScan, 'mayHoldUnknown').mockReturnValue(true) : undefined;
  try {
    const spec = kind === 'container' ? containerSpecFromContainer('r', body) : containerSpecFromService('r', body);
    // The reader asked the scan (else the comparison would be the fast path with itself).
    if (scan) expect(scan).toHaveBeenCalled();
    return spec;
  } catch (e: any) {
    return { error: String(e.message) };
  } finally {
    scan?.mockRestore();
  }
}

// Strings without any expression, including the ones that look close: escaped `$${`/`%%{`, bare braces, `$`, `%`.
const str = fc.oneof(
  fc.constantFrom('', 'a', 'ALL', 'nginx:1.25', '/tmp', '/var/run/docker.sock', 'true', 'false', '42', '1000:1000',
    'no-new-privileges:true', 'rw,noexec', '$${var.x}', '%%{ if x }', 'a{b}', '{}', '$', '%', 'x$${y}z'),
  fc.stringMatching(/^[a-z/._{}$%:-]{0,12}$/).filter((s) => !/(^|[^$])\$\{|(^|[^%])%\{/.test(s)),
);
const scalar = fc.oneof(str, fc.integer({ min: -2, max: 70000 }), fc.boolean(), fc.constant(null));
const leafMap = fc.dictionary(str, scalar, { maxKeys: 3 });
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), leafMap, fc.array(leafMap, { maxLength: 2 }));
const block = (keys: string[]) => fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: keys.length });
const blockOrList = (keys: string[]) => fc.oneof(block(keys), fc.array(block(keys), { maxLength: 2 }));

const containerKeys = ['name', 'image', 'user', 'read_only', 'privileged', 'memory', 'memory_swap', 'cpu_shares', 'cpu_period',
  'cpu_quota', 'cpus', 'restart', 'max_retry_count', 'network_mode', 'pid_mode', 'ipc_mode', 'userns_mode', 'cgroupns_mode',
  'cgroup_parent', 'log_driver', 'init', 'runtime', 'security_opts', 'group_add', 'tmpfs', 'log_opts', 'sysctls'];
const containerBody = fc.record({
  'scalars': fc.dictionary(fc.constantFrom(...containerKeys), value, { maxKeys: 10 }),
  'capabilities': blockOrList(['add', 'drop']),
  'mounts': blockOrList(['type', 'target', 'source', 'read_only', 'bind_options', 'tmpfs_options']),
  'volumes': blockOrList(['host_path', 'volume_name', 'from_container', 'container_path', 'read_only']),
  'ports': blockOrList(['internal', 'external', 'ip', 'protocol']),
  'ulimit': blockOrList(['name', 'soft', 'hard']),
  'devices': blockOrList(['host_path', 'container_path', 'permissions']),
  'networks_advanced': blockOrList(['name']),
  'labels': blockOrList(['label', 'value']),
  'healthcheck': blockOrList(['test', 'interval', 'timeout', 'start_period', 'retries']),
  '//': fc.constant({ metadata: { path: 'stack/r' }, hardened_docker: { suppressions: [{ ruleId: 'x', reason: 'y' }] } }),
}, { requiredKeys: [] }).map(({ scalars, ...blocks }) => ({ ...scalars, ...blocks }));

const serviceBody = fc.record({
  name: str,
  task_spec: fc.record({
    container_spec: blockOrList(['image', 'user', 'read_only', 'cap_add', 'cap_drop', 'sysctl', 'groups', 'mounts', 'labels', 'healthcheck']),
    resources: fc.record({ limits: blockOrList(['memory_bytes', 'nano_cpus']) }, { requiredKeys: [] }),
    restart_policy: blockOrList(['condition', 'max_attempts']),
    networks_advanced: blockOrList(['name']),
  }, { requiredKeys: [] }),
  mode: fc.record({ replicated: blockOrList(['replicas']) }, { requiredKeys: [] }),
  endpoint_spec: fc.record({ ports: blockOrList(['target_port', 'published_port', 'protocol', 'publish_mode']) }, { requiredKeys: [] }),
  labels: blockOrList(['label', 'value']),
}, { requiredKeys: [] });

// Well-formed bodies (every attribute of the right type), so that most reads give a spec rather than an error.
const int = fc.integer({ min: -1, max: 70000 });
const strs = fc.array(str, { maxLength: 3 });
const dict = fc.dictionary(str, str, { maxKeys: 3 });
const opt = { requiredKeys: [] as never[] };
const validContainer = fc.record({
  'name': str,
  'image': str,
  'user': str,
  'read_only': fc.boolean(),
  'privileged': fc.boolean(),
  'memory': int,
  'memory_swap': int,
  'cpu_shares': int,
  'cpu_period': int,
  'cpu_quota': int,
  'cpus': str,
  'restart': str,
  'max_retry_count': int,
  'network_mode': str,
  'pid_mode': str,
  'ipc_mode': str,
  'userns_mode': str,
  'cgroupns_mode': str,
  'cgroup_parent': str,
  'log_driver': str,
  'init': fc.boolean(),
  'runtime': str,
  'security_opts': strs,
  'group_add': strs,
  'tmpfs': dict,
  'log_opts': dict,
  'sysctls': dict,
  'capabilities': fc.record({ add: strs, drop: strs }, opt),
  'mounts': fc.array(fc.record({
    type: fc.constantFrom('bind', 'volume', 'tmpfs'),
    target: str,
    source: str,
    read_only: fc.boolean(),
    bind_options: fc.record({ propagation: str }, opt),
    tmpfs_options: fc.record({ size_bytes: int, mode: int }, opt),
  }, { requiredKeys: ['type', 'target'] }), { maxLength: 3 }),
  'volumes': fc.array(fc.record({ host_path: str, volume_name: str, from_container: str, container_path: str, read_only: fc.boolean() }, opt), { maxLength: 3 }),
  'ports': fc.array(fc.record({ internal: int, external: int, ip: str, protocol: str }, { requiredKeys: ['internal'] }), { maxLength: 3 }),
  'ulimit': fc.array(fc.record({ name: str, soft: int, hard: int }), { maxLength: 2 }),
  'devices': fc.array(fc.record({ host_path: str, container_path: str, permissions: str }, { requiredKeys: ['host_path'] }), { maxLength: 2 }),
  'networks_advanced': fc.array(fc.record({ name: str }, opt), { maxLength: 2 }),
  'labels': fc.array(fc.record({ label: str, value: str }), { maxLength: 3 }),
  'healthcheck': fc.record({ test: strs, interval: str, timeout: str, start_period: str, retries: int }, { requiredKeys: ['test'] }),
  '//': fc.constant({ metadata: { path: 'stack/r' } }),
}, opt);
const validService = fc.record({
  name: str,
  labels: fc.array(fc.record({ label: str, value: str }), { maxLength: 2 }),
  task_spec: fc.record({
    container_spec: fc.record({
      image: str,
      user: str,
      read_only: fc.boolean(),
      cap_add: strs,
      cap_drop: strs,
      sysctl: dict,
      groups: strs,
      labels: fc.array(fc.record({ label: str, value: str }), { maxLength: 2 }),
      mounts: fc.array(fc.record({ type: fc.constantFrom('bind', 'volume', 'tmpfs'), target: str, source: str }), { maxLength: 2 }),
      healthcheck: fc.record({ test: strs, retries: int }, { requiredKeys: ['test'] }),
    }, opt),
    resources: fc.record({ limits: fc.record({ memory_bytes: int, nano_cpus: int }, opt) }, opt),
    restart_policy: fc.record({ condition: str, max_attempts: int }, opt),
    networks_advanced: fc.array(fc.record({ name: str }), { maxLength: 2 }),
  }, opt),
  mode: fc.record({ replicated: fc.record({ replicas: int }, opt) }, opt),
  endpoint_spec: fc.record({
    ports: fc.array(fc.record({ target_port: int, published_port: int, protocol: str, publish_mode: str }), { maxLength: 2 }),
  }, opt),
}, opt);

describe('adapter fast path (bodies without expressions, no plan marks)', () => {
  test('well-formed container and service bodies without expressions: the fast path gives the same spec as the general one', () => {
    let specs = 0;
    fc.assert(fc.property(validContainer, (body) => {
      expect(mayHoldUnknown(body, true)).toBe(false);
      const fast: any = read('container', body, false);
      expect(fast).toEqual(read('container', body, true));
      if (!fast.error) specs++;
    }), { numRuns: 300 });
    fc.assert(fc.property(validService, (body) => {
      expect(mayHoldUnknown(body, true)).toBe(false);
      const fast: any = read('service', body, false);
      expect(fast).toEqual(read('service', body, true));
      if (!fast.error) specs++;
    }), { numRuns: 300 });
    // The comparison is of specs, not of errors, for most bodies.
    expect(specs).toBeGreaterThan(300);
  });

  test('random container bodies without expressions: the fast path gives the same spec (or the same error) as the general one', () => {
    fc.assert(fc.property(containerBody, (body) => {
      expect(mayHoldUnknown(body, true)).toBe(false);
      expect(read('container', body, false)).toEqual(read('container', body, true));
    }), { numRuns: 400 });
  });

  test('random service bodies without expressions: the fast path gives the same spec (or the same error) as the general one', () => {
    fc.assert(fc.property(serviceBody, (body) => {
      expect(mayHoldUnknown(body, true)).toBe(false);
      expect(read('service', body, false)).toEqual(read('service', body, true));
    }), { numRuns: 300 });
  });

  test('an expression or a dynamic key anywhere in a body sends it to the general path', () => {
    expect(mayHoldUnknown({ image: '${var.image}' }, true)).toBe(true);
    expect(mayHoldUnknown({ ports: [{ internal: 80, ip: 'x%{ if a }' }] }, true)).toBe(true);
    expect(mayHoldUnknown({ task_spec: { container_spec: [{ dynamic: {} }] } }, true)).toBe(true);
    expect(mayHoldUnknown({ image: 'a$${b}', env: ['%%{c}'] }, true)).toBe(false);
    // The `//` comment of the body is not read as attributes; elsewhere `//` is an ordinary key.
    expect(mayHoldUnknown({ '//': { metadata: { path: '${x}' } } }, true)).toBe(false);
    expect(mayHoldUnknown({ labels: { '//': '${x}' } }, true)).toBe(true);
  });

  test('an expression still makes the field unknown (the fast path is not taken)', () => {
    const spec = containerSpecFromContainer('r', { image: '${var.image}', user: 'app', ports: { internal: 80 } });
    expect(spec.image).toBeUndefined();
    expect(spec.user).toBe('app');
    expect(spec.unknown).toEqual(['image']);
  });

  test('an expression in an attribute the adapter does not read (env, command) keeps the fast path and changes nothing', () => {
    const body = { image: 'nginx@sha256:' + 'a'.repeat(64), user: '10001', env: ['DB=${var.db}'], command: ['%{ if x }a%{ endif }'] };
    expect(mayHoldUnknown(body, true)).toBe(false);
    expect(read('container', body, false)).toEqual(read('container', body, true));
    expect((read('container', body, false) as any).unknown).toBeUndefined();
  });

  test('the adapter reads no top-level attribute missing from READ_ATTRIBUTES (which the fast-path scan relies on)', () => {
    const seen = new Set<string>();
    const proxy = (body: any) => new Proxy(body, {
      get(target, key, receiver) {
        if (typeof key === 'string') seen.add(key);
        return Reflect.get(target, key, receiver);
      },
    });
    const full = {
      'name': 'n',
      'image': 'i',
      'user': 'u',
      'read_only': true,
      'privileged': false,
      'memory': 1,
      'memory_swap': 1,
      'cpu_shares': 1,
      'cpu_period': 1,
      'cpu_quota': 1,
      'cpus': '1',
      'restart': 'no',
      'max_retry_count': 1,
      'network_mode': 'bridge',
      'pid_mode': 'p',
      'ipc_mode': 'i',
      'userns_mode': 'u',
      'cgroupns_mode': 'c',
      'cgroup_parent': 'c',
      'log_driver': 'l',
      'log_opts': { a: 'b' },
      'init': true,
      'runtime': 'r',
      'security_opts': ['a'],
      'group_add': ['1'],
      'tmpfs': { '/t': '' },
      'sysctls': { a: 'b' },
      'capabilities': { add: ['A'], drop: ['B'] },
      'mounts': [{ type: 'tmpfs', target: '/x', tmpfs_options: { size_bytes: 1 } }],
      'volumes': [{ host_path: '/h', container_path: '/c' }],
      'ports': [{ internal: 1 }],
      'ulimit': [{ name: 'n', soft: 1, hard: 1 }],
      'devices': [{ host_path: '/dev/x' }],
      'networks_advanced': [{ name: 'n' }],
      'labels': [{ label: 'a', value: 'b' }],
      'healthcheck': { test: ['CMD', 'x'] },
      'env': ['A=1'],
      '//': { metadata: { path: 'p' } },
    };
    containerSpecFromContainer('r', proxy(full));
    containerSpecFromService('s', proxy({
      name: 'n',
      labels: [{ label: 'a', value: 'b' }],
      mode: { replicated: { replicas: 1 } },
      endpoint_spec: { ports: [{ target_port: 1 }] },
      task_spec: { container_spec: { image: 'i' }, resources: { limits: { memory_bytes: 1 } }, restart_policy: { condition: 'any' } },
    }));
    const missing = [...seen].filter((k) => !READ_ATTRIBUTES.includes(k) && k !== '//' && k !== 'dynamic');
    expect(missing).toEqual([]);
    expect(seen.has('image')).toBe(true);
  });
});

describe('mayHoldUnknown: the JSON-text shortcut agrees with walking every key and string', () => {
  /** The scan's meaning, walked in full: an expression in any string or key, or a `dynamic` key, under a read attribute. */
  function walked(node: any): boolean {
    if (typeof node === 'string') return /(^|[^$])\$\{|(^|[^%])%\{/.test(node);
    if (node === null || typeof node !== 'object') return false;
    if (Array.isArray(node)) return node.some(walked);
    return Object.keys(node).some((k) => k === 'dynamic' || walked(k) || walked(node[k]));
  }
  const leaf = fc.oneof(str, fc.constantFrom('${var.x}', 'a${b}', '%{ if x }y%{ endif }', '$${x}${y}', '"dynamic"', 'dynamic'),
    fc.integer(), fc.boolean(), fc.constant(null));
  const key = fc.oneof(fc.constantFrom('a', 'name', 'dynamic', '${var.k}', '$${k}', '"dynamic"', 'x%{y}'), fc.stringMatching(/^[a-z${}%"]{1,6}$/));
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('tree'), { maxLength: 3 }), fc.dictionary(key, tie('tree'), { maxKeys: 3 })),
  }));
  const attribute = fc.constantFrom(...READ_ATTRIBUTES, 'env', 'command');

  test('random bodies: true exactly when a read attribute holds an expression or a dynamic key (or the body a dynamic block)', () => {
    fc.assert(fc.property(fc.dictionary(attribute, tree, { maxKeys: 5 }), fc.boolean(), (attrs, dynamic) => {
      const body: any = dynamic ? { ...attrs, dynamic: {} } : attrs;
      const expected = dynamic || READ_ATTRIBUTES.some((a) => body[a] !== undefined && walked(body[a]));
      expect(mayHoldUnknown(body, true)).toBe(expected);
    }), { numRuns: 2000 });
  });

  test('an expression or a dynamic key deep in a block is found', () => {
    expect(mayHoldUnknown({ healthcheck: [{ test: ['CMD', 'curl ${var.url}'] }] }, true)).toBe(true);
    expect(mayHoldUnknown({ mounts: [{ dynamic: { tmpfs_options: {} } }] }, true)).toBe(true);
    expect(mayHoldUnknown({ labels: [{ label: 'a', value: '$${not.an.expression}' }] }, true)).toBe(false);
    expect(mayHoldUnknown({ env: ['A=${var.a}'] }, true)).toBe(false);
  });
});

describe('a body the caller has already scanned', () => {
  test('is read without a second scan, to the same spec', () => {
    const body = { name: 'web', image: 'nginx:1.27', read_only: true, capabilities: { drop: ['ALL'] }, ports: [{ internal: 80, external: 8080, ip: '127.0.0.1' }] };
    const scan = jest.spyOn(unknownScan, 'mayHoldUnknown');
    try {
      const scanned = containerSpecFromContainer('web', body, { scannedPlain: true });
      expect(scan).not.toHaveBeenCalled();
      const again = containerSpecFromContainer('web', body);
      expect(scan).toHaveBeenCalledTimes(1);
      expect(scanned).toEqual(again);
    } finally {
      scan.mockRestore();
    }
  });
});
