import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { labelsOf, newStack, PINNED_IMAGE } from './helpers';
import {
  Capability, DockerSecurityChecks, HardenedContainer, HardenedContainerProps, Protocol, RestartPolicy,
} from '../../src';
import { canonicalJson } from '../../src/constructs/hardened-container';

const ALLOWED_CAPS = [Capability.NET_BIND_SERVICE, Capability.CHOWN, Capability.SETUID, Capability.SETGID,
  Capability.DAC_OVERRIDE, Capability.FOWNER, Capability.KILL];

const segment = fc.stringMatching(/^[a-z][a-z0-9_-]{0,11}$/);
const absPath = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => '/' + s.join('/'));

/** Props that are valid without any opt-out. */
const validProps: fc.Arbitrary<Partial<HardenedContainerProps>> = fc.record({
  memoryMb: fc.integer({ min: 6, max: 65536 }),
  cpuLimit: fc.integer({ min: 1, max: 6400 }).map((n) => n / 100),
  cpuShares: fc.integer({ min: 2, max: 262144 }),
  user: fc.tuple(fc.integer({ min: 1, max: 4294967294 }), fc.option(fc.integer({ min: 0, max: 4294967294 }), { nil: undefined }))
    .map(([u, g]) => (g === undefined ? `${u}` : `${u}:${g}`)),
  tmpfsSizeMb: fc.integer({ min: 1, max: 4096 }),
  writablePaths: fc.uniqueArray(absPath.filter((p) => p !== '/tmp'), { maxLength: 3 })
    .chain((paths) => fc.tuple(...paths.map((path) => fc.record({
      path: fc.constant(path),
      sizeMb: fc.option(fc.integer({ min: 1, max: 1024 }), { nil: undefined }),
      mode: fc.option(fc.integer({ min: 0, max: 0o7777 }), { nil: undefined }),
    }, { requiredKeys: ['path'] })))),
  addCapabilities: fc.uniqueArray(fc.constantFrom(...ALLOWED_CAPS), { maxLength: 4 }),
  ports: fc.uniqueArray(fc.record({
    internal: fc.integer({ min: 1, max: 65535 }),
    external: fc.option(fc.integer({ min: 1024, max: 65535 }), { nil: undefined }),
    hostIp: fc.option(fc.constantFrom('127.0.0.1', '10.0.0.1', '::1', '192.168.1.20'), { nil: undefined }),
    protocol: fc.option(fc.constantFrom(Protocol.TCP, Protocol.UDP, Protocol.SCTP), { nil: undefined }),
  }), { maxLength: 3, selector: (p) => `${p.external ?? Math.random()}` }),
  healthcheck: fc.option(fc.record({
    command: fc.array(fc.string({ minLength: 1, maxLength: 10 }).filter((s) => !['CMD', 'CMD-SHELL', 'NONE'].includes(s)), { minLength: 1, maxLength: 4 }),
    intervalSeconds: fc.option(fc.integer({ min: 1, max: 3600 }), { nil: undefined }),
    timeoutSeconds: fc.option(fc.integer({ min: 1, max: 3600 }), { nil: undefined }),
    retries: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
    startPeriodSeconds: fc.option(fc.integer({ min: 0, max: 3600 }), { nil: undefined }),
  }, { requiredKeys: ['command'] }), { nil: undefined }),
  maxRestartRetries: fc.integer({ min: 0, max: 5 }),
  maxProcesses: fc.integer({ min: 1, max: 4194304 }),
  maxOpenFiles: fc.integer({ min: 1, max: 1048576 }),
  logMaxSize: fc.tuple(fc.integer({ min: 1, max: 999 }), fc.constantFrom('k', 'm', 'g')).map(([n, u]) => `${n}${u}`),
  logMaxFiles: fc.integer({ min: 1, max: 1000 }),
  init: fc.boolean(),
}, { requiredKeys: [] });

function build(props: Partial<HardenedContainerProps>, withChecks: boolean): { body: any; hc: HardenedContainer } {
  const stack = newStack();
  if (withChecks) DockerSecurityChecks.applyTo(stack, { printReport: false, writeReports: false });
  const hc = new HardenedContainer(stack, 'web', { image: PINNED_IMAGE, ...props } as HardenedContainerProps);
  const json = JSON.parse(Testing.synth(stack));
  return { hc, body: Object.values<any>(json.resource.docker_container)[0] };
}

describe('valid props', () => {
  test('synthesize, keep every protection, and pass the hardened checks', () => {
    fc.assert(fc.property(validProps, (props) => {
      const { body } = build(props, true);
      expect(body.read_only).toBe(true);
      expect(body.capabilities.drop).toEqual(['ALL']);
      expect(body.security_opts).toContain('no-new-privileges:true');
      expect(body).not.toHaveProperty('cpus');
      expect(body.memory_swap).toBe(body.memory);
      expect(body.cgroupns_mode).toBe('private');
      expect(body.memory).toBe(props.memoryMb ?? 256);
      expect(body.cpu_period).toBe(100000);
      expect(body.cpu_quota).toBe(Math.round((props.cpuLimit ?? 0.5) * 100000));
      expect(body.user).not.toMatch(/^0(:|$)/);
      for (const opts of Object.values<string>(body.tmpfs)) expect(opts).toMatch(/^rw,noexec,nosuid,nodev,size=\d+m/);
      for (const port of body.ports ?? []) expect(['0.0.0.0', '::', '']).not.toContain(port.ip);
      expect(body.max_retry_count).toBeLessThanOrEqual(5);
      expect(labelsOf(body)['hardened-docker.settings-digest']).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(Object.keys(labelsOf(body)).filter((k) => k.startsWith('hardened-docker.optout.'))).toEqual([]);
    }), { numRuns: 60 });
  });

  test('the digest depends only on the ignored-on-update settings', () => {
    fc.assert(fc.property(validProps, fc.integer({ min: 6, max: 4096 }), fc.integer({ min: 2, max: 4096 }), (props, mem, shares) => {
      const a = build(props, false).hc.settingsDigest;
      const b = build({ ...props, memoryMb: mem, cpuShares: shares, maxRestartRetries: 1 }, false).hc.settingsDigest;
      expect(a).toBe(b);
    }), { numRuns: 25 });
  });
});

function bad(prop: string, props: Partial<HardenedContainerProps>): [string, Partial<HardenedContainerProps>] {
  return [prop, props];
}

/** One bad prop at a time, on top of valid props: [prop named in the error, the bad props]. */
const invalidChange: fc.Arbitrary<[string, Partial<HardenedContainerProps>]> = fc.oneof(
  fc.oneof(fc.integer({ max: 5 }), fc.double({ min: 6.01, max: 1000, noInteger: true, noNaN: true })).map((v) => bad('memoryMb', { memoryMb: v })),
  fc.oneof(fc.double({ min: -1e6, max: 0.0099, noNaN: true }), fc.double({ min: 256.01, max: 1e9, noNaN: true }), fc.constant(Number.NaN)).map((v) => bad('cpuLimit', { cpuLimit: v })),
  fc.oneof(fc.integer({ max: 1 }), fc.integer({ min: 262145 })).map((v) => bad('cpuShares', { cpuShares: v })),
  fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 65536 })).map((v) => bad('ports[0].internal', { ports: [{ internal: v }] })),
  fc.integer({ min: 1, max: 1023 }).map((v) => bad('ports[0].external', { ports: [{ internal: 80, external: v }] })),
  fc.constantFrom('0.0.0.0', '::', '0:0:0:0:0:0:0:0').map((ip) => bad('ports[0].hostIp', { ports: [{ internal: 80, hostIp: ip }] })),
  fc.stringMatching(/^[a-z_][a-z0-9_-]{0,15}$/).map((u) => bad('user', { user: u })),
  fc.constantFrom('0', '0:0', '0:10001', '00').map((u) => bad('user', { user: u })),
  fc.oneof(
    segment,
    absPath.map((p) => p + '/../x'),
    fc.constant('/'),
    fc.constant('/tmp'),
  ).map((p) => bad('writablePaths[0].path', { writablePaths: [{ path: p }] })),
  fc.integer({ max: 0 }).map((v) => bad('writablePaths[0].sizeMb', { writablePaths: [{ path: '/cache', sizeMb: v }] })),
  fc.integer({ max: 0 }).map((v) => bad('maxProcesses', { maxProcesses: v })),
  fc.integer({ max: 0 }).map((v) => bad('maxOpenFiles', { maxOpenFiles: v })),
  fc.oneof(fc.integer({ min: 6 }), fc.integer({ max: -1 })).map((v) => bad('maxRestartRetries', { maxRestartRetries: v })),
  fc.string({ maxLength: 8 }).filter((s) => !/^[1-9]\d*[kmg]$/.test(s)).map((v) => bad('logMaxSize', { logMaxSize: v })),
  fc.string({ maxLength: 20 }).filter((s) => { try { JSON.parse(s); return false; } catch { return true; } })
    .map((v) => bad('seccompProfileJson', { seccompProfileJson: v })),
  fc.string({ maxLength: 9 }).map((r) => bad('optOuts.writableRootFilesystem.reason', { optOuts: { writableRootFilesystem: { reason: r } } })),
  fc.constantFrom(Capability.ALL, Capability.SYS_ADMIN, Capability.NET_ADMIN, Capability.SYS_PTRACE, Capability.SYS_MODULE, Capability.BPF)
    .map((c) => bad('addCapabilities', { addCapabilities: [c] })),
  fc.constantFrom(RestartPolicy.ALWAYS, RestartPolicy.UNLESS_STOPPED).map((p) => bad('restartPolicy', { restartPolicy: p, maxRestartRetries: undefined })),
);

describe('invalid props', () => {
  test('throw at construction, naming the construct path and the prop', () => {
    fc.assert(fc.property(validProps, invalidChange, (props, [prop, change]) => {
      const stack = newStack();
      let message = '';
      try {
        new HardenedContainer(stack, 'web', { image: 'x', ...props, ...change } as HardenedContainerProps);
      } catch (e: any) {
        message = e.message;
      }
      expect(message.startsWith(`[stack/web] HardenedContainer ${prop}:`)).toBe(true);
      expect(message).toMatch(/Valid: /);
    }), { numRuns: 300 });
  });
});

describe('derived names', () => {
  const id = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !s.includes('/') && s.trim() === s && s.length > 0);

  test('always a valid Docker name, unique per construct path', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.tuple(id, id), { minLength: 1, maxLength: 5, selector: ([a, b]) => `${a}\u0000${b}` }), (pairs) => {
      const stack: TerraformStack = newStack();
      const names: string[] = [];
      const parents = new Map<string, Construct>();
      for (const [parent, child] of pairs) {
        if (!parents.has(parent)) parents.set(parent, new Construct(stack, `p-${parent}`));
        names.push(new HardenedContainer(parents.get(parent)!, `c-${child}`, { image: 'x' }).containerName);
      }
      for (const n of names) expect(n).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/);
      expect(new Set(names).size).toBe(names.length);
    }), { numRuns: 100 });
  });
});

describe('canonical JSON', () => {
  test('independent of key order', () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
      const reversed = Object.fromEntries(Object.entries(obj).reverse());
      expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
      expect(JSON.parse(canonicalJson(obj))).toEqual(JSON.parse(JSON.stringify(obj)));
    }));
  });
});
