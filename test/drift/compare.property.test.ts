import * as fc from 'fast-check';
import { compareSpecs, DriftDirection } from '../../src/drift/compare';
import { ContainerSpec, ResourceKind, SpecSource } from '../../src/spec/container-spec';

const MiB = 1024 * 1024;
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

/** Specs over the settings drift compares, with values on both sides of every order. */
const spec: fc.Arbitrary<ContainerSpec> = fc.record({
  user: opt(fc.constantFrom('root', '0', '10001', '10001:10001', '2000:2000')),
  readOnly: opt(fc.boolean()),
  privileged: opt(fc.boolean()),
  init: opt(fc.boolean()),
  memoryBytes: opt(fc.constantFrom(64 * MiB, 256 * MiB, 1024 * MiB)),
  memorySwapBytes: opt(fc.constantFrom(-1, 64 * MiB, 512 * MiB, 2048 * MiB)),
  cpuShares: opt(fc.constantFrom(256, 512, 1024, 2048)),
  cpuPeriod: opt(fc.constantFrom(50000, 100000)),
  cpuQuota: opt(fc.constantFrom(25000, 50000, 200000)),
  capAdd: opt(fc.subarray(['NET_ADMIN', 'CAP_SYS_PTRACE', 'chown'])),
  capDrop: opt(fc.subarray(['ALL', 'NET_RAW', 'CAP_MKNOD'])),
  securityOpts: opt(fc.subarray(['no-new-privileges:true', 'no-new-privileges=false', 'seccomp=unconfined', 'label=disable', 'apparmor=docker-default'])),
  tmpfs: opt(fc.subarray([{ path: '/tmp', options: 'rw,noexec,nosuid,size=64m' }, { path: '/run', options: 'rw,size=1m' }])),
  ulimits: opt(fc.subarray([{ name: 'nproc', soft: 256, hard: 512 }, { name: 'nofile', soft: 1024, hard: -1 }])),
  restartPolicy: opt(fc.constantFrom('no', 'on-failure', 'always', 'unless-stopped')),
  maxRetryCount: opt(fc.constantFrom(1, 3, 10)),
  ports: opt(fc.subarray([{ internal: 80, external: 8080, ip: '127.0.0.1', protocol: 'tcp' }, { internal: 22, ip: '0.0.0.0', protocol: 'tcp' }])),
  mounts: opt(fc.subarray([{ type: 'bind', source: '/srv', target: '/srv', readOnly: true }, { type: 'volume', source: 'v', target: '/v', propagation: 'rshared' }])),
  pidMode: opt(fc.constantFrom('host', 'container:x')),
  networkMode: opt(fc.constantFrom('host', 'none', 'bridge')),
}, { requiredKeys: [] }).map((fields) => ({
  kind: ResourceKind.CONTAINER, source: SpecSource.TERRAFORM_JSON, address: 'docker_container.x', name: 'x', ...fields,
} as ContainerSpec));

describe('compareSpecs properties', () => {
  test('a spec against itself: nothing', () => {
    fc.assert(fc.property(spec, (s) => {
      expect(compareSpecs(s, { ...s, source: SpecSource.ENGINE })).toEqual([]);
    }));
  });

  test('swapping the sides swaps weaker and stronger, setting by setting', () => {
    const flip = {
      [DriftDirection.WEAKER]: DriftDirection.STRONGER,
      [DriftDirection.STRONGER]: DriftDirection.WEAKER,
      [DriftDirection.CHANGED]: DriftDirection.CHANGED,
    };
    fc.assert(fc.property(spec, spec, (a, b) => {
      // Settings whose name carries the side (capabilities gained/lost, a security option or a port present on one
      // side) are compared as a set of names: the same set seen from the other side.
      const key = (setting: string) => setting.replace(/^capabilities \([+-]/, 'capabilities (');
      const forward = new Map(compareSpecs(a, b).map((i) => [`${key(i.setting)}|${i.declared}|${i.live}`, i.direction]));
      for (const i of compareSpecs(b, a)) {
        const mirrored = forward.get(`${key(i.setting)}|${i.live}|${i.declared}`);
        if (mirrored !== undefined) expect(mirrored).toBe(flip[i.direction]);
      }
    }));
  });

  test('every declared field unknown: no claim at all', () => {
    const fields = ['user', 'readOnly', 'privileged', 'init', 'memoryBytes', 'memorySwapBytes', 'cpuShares', 'cpuPeriod', 'cpuQuota', 'nanoCpus',
      'capAdd', 'capDrop', 'securityOpts', 'tmpfs', 'ulimits', 'restartPolicy', 'maxRetryCount', 'healthcheck', 'ports', 'publishAllPorts',
      'mounts', 'networkMode', 'pidMode', 'ipcMode', 'usernsMode', 'utsMode', 'cgroupnsMode', 'labels'];
    fc.assert(fc.property(spec, spec, (d, l) => {
      expect(compareSpecs({ ...d, unknown: fields }, l)).toEqual([]);
    }));
  });
});
