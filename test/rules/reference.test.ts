/**
 * "Stricter, never laxer": a model of the CIS reference checks (Docker Bench for Security's section 5 and 4.1, as
 * summarized in cis-docker-benchmark-1.6.md), applied to what a container created from the spec would show in
 * `docker inspect`. For random specs, every CIS id the model flags must be failed by some rule citing that id.
 */
import * as fc from 'fast-check';
import { container } from './specs';
import { BUILTIN_RULES } from '../../src/rules/catalog';
import { RuleStatus } from '../../src/rules/rule';
import { ContainerSpec, DeviceSpec, MountSpec, PortSpec, UlimitSpec } from '../../src/spec/container-spec';

const DEFAULT_CAPS = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'NET_RAW', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];
const SENSITIVE = ['/', '/boot', '/dev', '/etc', '/lib', '/proc', '/sys', '/usr'];

/** The CIS ids the reference checks flag for a container made from this (Terraform) spec. */
export function referenceFlags(s: ContainerSpec): Set<string> {
  const flags = new Set<string>();
  const opts = s.securityOpts ?? [];
  // 4.1: Config.User empty, 0 or root (0:0, root:root).
  if (['', '0', 'root', '0:0', 'root:root'].includes(s.user ?? '')) flags.add('4.1');
  // 5.2: no AppArmorProfile, or unconfined (config level: no apparmor option).
  if (!opts.some((o) => /^apparmor[=:](?!unconfined$)./.test(o))) flags.add('5.2');
  // 5.3: no SELinux option.
  if (!opts.some((o) => /^label[=:]/.test(o))) flags.add('5.3');
  // 5.4: CapAdd beyond the default set, names upper-cased, CAP_ stripped.
  if ((s.capAdd ?? []).some((c) => !DEFAULT_CAPS.includes(c.toUpperCase().replace(/^CAP_/, '')))) flags.add('5.4');
  if (s.privileged === true) flags.add('5.5');
  // 5.6: a read-write mount with one of the directories on either side.
  if ((s.mounts ?? []).some((m) => m.readOnly !== true && (SENSITIVE.includes(m.source ?? '') || SENSITIVE.includes(m.target)))) flags.add('5.6');
  // 5.8: a published host port below 1024, the privileged ports of Linux (docker port lists bound host ports).
  if ((s.ports ?? []).some((p) => p.external !== undefined && p.external > 0 && p.external < 1024)) flags.add('5.8');
  if (s.networkMode === 'host') flags.add('5.10');
  if (!s.memoryBytes) flags.add('5.11');
  if (!s.cpuShares && !s.nanoCpus) flags.add('5.12');
  if (s.readOnly !== true) flags.add('5.13');
  // 5.14: a binding on 0.0.0.0, the provider's default ip.
  if ((s.ports ?? []).some((p) => (p.ip ?? '0.0.0.0') === '0.0.0.0')) flags.add('5.14');
  if ((s.maxRetryCount ?? 0) > 5) flags.add('5.15');
  if (s.pidMode === 'host') flags.add('5.16');
  if (s.ipcMode === 'host') flags.add('5.17');
  if ((s.devices ?? []).length > 0) flags.add('5.18');
  if ((s.ulimits ?? []).length === 0) flags.add('5.19');
  if ((s.mounts ?? []).some((m) => (m.propagation ?? '').includes('shared'))) flags.add('5.20');
  if (opts.some((o) => /seccomp:unconfined|seccomp=unconfined/.test(o))) flags.add('5.22');
  if ((s.cgroupParent ?? '') !== '') flags.add('5.25');
  if (!opts.some((o) => o.includes('no-new-privileges'))) flags.add('5.26');
  // 5.27: no health status (no healthcheck, or NONE).
  if (!s.healthcheck || s.healthcheck.test[0] === 'NONE') flags.add('5.27');
  // 5.29: provider 3.6.2 cannot set PidsLimit: always unset.
  flags.add('5.29');
  // 5.30: attached to docker0. Provider 3.6.2 disconnects `bridge` when networks_advanced is set.
  const mode = s.networkMode ?? 'bridge';
  if ((mode === 'bridge' || mode === 'default') && (s.networks ?? []).length === 0) flags.add('5.30');
  if ((s.usernsMode ?? '').toLowerCase().includes('host')) flags.add('5.31');
  if ((s.mounts ?? []).some((m) => `${m.source ?? ''} ${m.target}`.includes('docker.sock'))) flags.add('5.32');
  return flags;
}

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const mount: fc.Arbitrary<MountSpec> = fc.record({
  type: fc.constantFrom('bind', 'volume'),
  source: fc.constantFrom('/', '/etc', '/usr', '/proc', '/srv/data', '/var/run/docker.sock', '/run/docker.sock', 'data'),
  target: fc.constantFrom('/data', '/etc', '/usr', '/host', '/var/run/docker.sock'),
  readOnly: opt(fc.boolean()),
  propagation: opt(fc.constantFrom('private', 'rprivate', 'shared', 'rshared', 'slave')),
}).map((m) => ({ ...m, type: m.source.startsWith('/') ? m.type === 'volume' ? 'bind' : m.type : 'volume' }));

const port: fc.Arbitrary<PortSpec> = fc.record({
  internal: fc.constantFrom(80, 8080),
  external: opt(fc.constantFrom(22, 80, 443, 1023, 1024, 1025, 8080)),
  ip: opt(fc.constantFrom('0.0.0.0', '127.0.0.1', '10.0.0.5')),
});

const spec: fc.Arbitrary<ContainerSpec> = fc.record({
  user: opt(fc.constantFrom('', '0', 'root', '0:0', 'root:root', '1000', '10001:10001', 'app')),
  securityOpts: opt(fc.subarray(['no-new-privileges:true', 'no-new-privileges', 'seccomp=unconfined', 'seccomp:unconfined',
    'apparmor=docker-default', 'apparmor=unconfined', 'label=type:container_t', 'label=disable'])),
  capAdd: opt(fc.subarray(['NET_BIND_SERVICE', 'chown', 'CAP_SETUID', 'SYS_ADMIN', 'net_admin', 'SYS_NICE', 'ALL'])),
  capDrop: opt(fc.constantFrom<string[]>(['ALL'], ['NET_RAW'])),
  privileged: opt(fc.boolean()),
  mounts: opt(fc.array(mount, { maxLength: 3 })),
  ports: opt(fc.array(port, { maxLength: 3 })),
  networkMode: opt(fc.constantFrom('host', 'bridge', 'default', 'none', 'app')),
  networks: opt(fc.constantFrom<string[]>(['app'], ['app', 'db'])),
  memoryBytes: opt(fc.constantFrom(0, 268435456)),
  memorySwapBytes: opt(fc.constantFrom(-1, 268435456)),
  cpuShares: opt(fc.constantFrom(0, 512)),
  cpuPeriod: opt(fc.constant(100000)),
  cpuQuota: opt(fc.constantFrom(50000, -1)),
  readOnly: opt(fc.boolean()),
  restartPolicy: opt(fc.constantFrom('no', 'on-failure', 'always', 'unless-stopped')),
  maxRetryCount: opt(fc.constantFrom(0, 3, 5, 6, 10)),
  pidMode: opt(fc.constantFrom('host', 'private')),
  ipcMode: opt(fc.constantFrom('host', 'private', 'shareable')),
  usernsMode: opt(fc.constant('host')),
  devices: opt(fc.constant<DeviceSpec[]>([{ hostPath: '/dev/fuse' }])),
  ulimits: opt(fc.constant<UlimitSpec[]>([{ name: 'nofile', soft: 1024, hard: 1024 }])),
  cgroupParent: opt(fc.constantFrom('', '/custom')),
  healthcheck: opt(fc.constantFrom<{ test: string[] }>({ test: ['NONE'] }, { test: ['CMD', 'true'] })),
}).map((fields) => container(fields));

test('every CIS id the reference checks flag is failed by a rule citing it', () => {
  fc.assert(fc.property(spec, (s) => {
    for (const cis of referenceFlags(s)) {
      const failing = BUILTIN_RULES.filter((r) => (r.metadata.cis ?? []).includes(cis) && r.check(s).status === RuleStatus.FAIL);
      if (failing.length === 0) throw new Error(`reference flags CIS ${cis} but no rule fails: ${JSON.stringify(s)}`);
    }
  }), { numRuns: 2000 });
});

test('the model flags what the reference flags (spot checks)', () => {
  const flagged = referenceFlags(container({ user: '0:0', networkMode: 'host', mounts: [{ type: 'volume', source: 'v', target: '/etc' }] }));
  for (const id of ['4.1', '5.10', '5.6', '5.29', '5.19']) expect(flagged.has(id)).toBe(true);
  const clean = referenceFlags(container({
    user: '1000',
    securityOpts: ['no-new-privileges', 'apparmor=docker-default', 'label=type:container_t'],
    memoryBytes: 1,
    cpuShares: 2,
    readOnly: true,
    ulimits: [{ name: 'nofile', soft: 1, hard: 1 }],
    healthcheck: { test: ['CMD', 'true'] },
    networks: ['app'],
  }));
  expect([...clean]).toEqual(['5.29']);
});
