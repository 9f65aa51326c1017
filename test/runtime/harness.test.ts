/**
 * The harness's provider-3.6.2 mapping, checked without an engine. Each expectation restates what
 * resourceDockerContainerCreate (internal/provider/resource_docker_container_funcs.go, v3.6.2) does.
 */
import { Container } from '@cdktf/provider-docker/lib/container';
import { TerraformStack, Testing } from 'cdktf';
import * as fc from 'fast-check';
import { goDurationNs, planFromSynth, synthContainers } from './harness';

const base = { name: 'hdtest-unit', image: 'local/busybox:test' };

describe('planFromSynth mirrors provider 3.6.2', () => {
  test('an empty container: init sent as false, network_mode bridge, restart no, no port bindings', () => {
    const { create, start, networks } = planFromSynth({ ...base });
    expect(create.HostConfig).toMatchObject({
      Init: false,
      NetworkMode: 'bridge',
      RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
      Privileged: false,
      ReadonlyRootfs: false,
      LogConfig: { Type: '' },
    });
    expect(create.HostConfig!.PortBindings).toBeUndefined();
    expect(create.HostConfig!.Memory).toBeUndefined();
    expect(start).toBe(true);
    expect(networks).toEqual([]);
  });

  test('memory, memory_swap and shm_size are MiB; memory_swap -1 stays -1; 0 is not sent', () => {
    const h = planFromSynth({ ...base, memory: 256, memory_swap: 256, shm_size: 64 }).create.HostConfig!;
    expect(h.Memory).toBe(268435456);
    expect(h.MemorySwap).toBe(268435456);
    expect(h.ShmSize).toBe(67108864);
    expect(planFromSynth({ ...base, memory: 1, memory_swap: -1 }).create.HostConfig!.MemorySwap).toBe(-1);
    expect(planFromSynth({ ...base, memory_swap: 0 }).create.HostConfig!.MemorySwap).toBeUndefined();
  });

  test('ports: ip defaults to 0.0.0.0 and protocol to tcp; no external = HostPort "0" (random)', () => {
    const { create } = planFromSynth({ ...base, ports: [{ internal: 80 }, { internal: 53, external: 5353, ip: '127.0.0.1', protocol: 'udp' }] });
    expect(create.ExposedPorts).toEqual({ '80/tcp': {}, '53/udp': {} });
    expect(create.HostConfig!.PortBindings).toEqual({
      '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '0' }],
      '53/udp': [{ HostIp: '127.0.0.1', HostPort: '5353' }],
    });
  });

  test('single blocks as objects or one-element arrays; capabilities passed as written', () => {
    for (const caps of [{ add: ['net_bind_service'], drop: ['ALL'] }, [{ add: ['net_bind_service'], drop: ['ALL'] }]]) {
      const h = planFromSynth({ ...base, capabilities: caps }).create.HostConfig!;
      expect(h.CapAdd).toEqual(['net_bind_service']);
      expect(h.CapDrop).toEqual(['ALL']);
    }
  });

  test('healthcheck durations are Go strings -> ns; a parse error becomes 0 (the provider drops it)', () => {
    const { create } = planFromSynth({ ...base, healthcheck: { test: ['CMD', 'true'], interval: '1m30s', timeout: '1.5s', start_period: 'soon', retries: 2 } });
    expect(create.Healthcheck).toEqual({ Test: ['CMD', 'true'], Interval: 90e9, Timeout: 1.5e9, StartPeriod: 0, Retries: 2 });
  });

  test('goDurationNs agrees with a sum of parts', () => {
    fc.assert(fc.property(fc.nat(1000), fc.nat(59), fc.nat(999), (m, s, ms) => {
      expect(goDurationNs(`${m}m${s}s${ms}ms`)).toBe(m * 60e9 + s * 1e9 + ms * 1e6);
    }));
    expect(goDurationNs('0')).toBe(0);
    expect(goDurationNs('10')).toBe(0); // Go: "missing unit in duration"
  });

  test('ulimit, labels, tmpfs, log_opts, security_opts, volumes, mounts, devices', () => {
    const { create } = planFromSynth({
      ...base,
      ulimit: [{ name: 'nproc', soft: 256, hard: 256 }],
      labels: [{ label: 'a', value: 'b' }],
      tmpfs: { '/tmp': 'rw,noexec' },
      log_driver: 'json-file',
      log_opts: { 'max-size': '10m' },
      security_opts: ['no-new-privileges:true'],
      volumes: [{ host_path: '/srv', container_path: '/data', read_only: true }, { volume_name: 'v', container_path: '/v' }],
      mounts: [{ type: 'tmpfs', target: '/cache', tmpfs_options: { size_bytes: 1024, mode: 448 } }],
      devices: [{ host_path: '/dev/null', permissions: 'r' }, { host_path: '/dev/zero', container_path: '/dev/z' }],
    });
    const h = create.HostConfig!;
    expect(h.Ulimits).toEqual([{ Name: 'nproc', Soft: 256, Hard: 256 }]);
    expect(create.Labels).toEqual({ a: 'b' });
    expect(h.Tmpfs).toEqual({ '/tmp': 'rw,noexec' });
    expect(h.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-size': '10m' } });
    expect(h.SecurityOpt).toEqual(['no-new-privileges:true']);
    expect(h.Binds).toEqual(['/srv:/data:ro', 'v:/v:rw']);
    expect(h.Mounts).toEqual([{ Type: 'tmpfs', Target: '/cache', Source: '', ReadOnly: false, TmpfsOptions: { SizeBytes: 1024, Mode: 448 } }]);
    // deviceSetToDockerDevices falls through: no container_path => host path AND permissions "rwm"
    expect(h.Devices).toEqual([
      { PathOnHost: '/dev/null', PathInContainer: '/dev/null', CgroupPermissions: 'rwm' },
      { PathOnHost: '/dev/zero', PathInContainer: '/dev/z', CgroupPermissions: 'rwm' },
    ]);
  });

  test('cgroupns_mode: private or host to HostConfig.CgroupnsMode, unset sends nothing, another value is the provider\'s error', () => {
    for (const mode of ['private', 'host']) {
      expect((planFromSynth({ ...base, cgroupns_mode: mode }).create.HostConfig as { CgroupnsMode?: string }).CgroupnsMode).toBe(mode);
    }
    expect(planFromSynth({ ...base }).create.HostConfig).not.toHaveProperty('CgroupnsMode');
    expect(planFromSynth({ ...base, cgroupns_mode: '' }).create.HostConfig).not.toHaveProperty('CgroupnsMode');
    expect(() => planFromSynth({ ...base, cgroupns_mode: 'shared' })).toThrow(/cgroupns_mode: invalid CGROUP mode, must be either 'private', 'host' or empty/);
  });

  test('throws on an attribute it does not map, on cpus, on expressions and on a name without the prefix', () => {
    expect(() => planFromSynth({ ...base, gpus: 'all' })).toThrow(/does not map gpus/);
    expect(() => planFromSynth({ ...base, cpus: '0.5' })).toThrow(/panics/);
    expect(() => planFromSynth({ ...base, memory: '${var.mem}' })).toThrow(/Terraform expression/);
    expect(() => planFromSynth({ ...base, name: 'web' })).toThrow(/must start with "hdtest-"/);
  });

  test('every attribute a raw Container synthesizes here is mapped', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    new Container(stack, 'c', {
      ...base,
      command: ['sleep', '1'],
      entrypoint: ['/bin/sh'],
      env: ['A=1'],
      user: '1:1',
      workingDir: '/',
      readOnly: true,
      cpuShares: 512,
      cpuPeriod: 100000,
      cpuQuota: 50000,
      restart: 'on-failure',
      maxRetryCount: 3,
      init: true,
      networkMode: 'bridge',
      pidMode: 'private',
      ipcMode: 'private',
      privileged: false,
      networksAdvanced: [{ name: 'n1', aliases: ['a'] }],
    });
    const { create, networks } = planFromSynth(synthContainers(stack)['hdtest-unit']);
    expect(create).toMatchObject({ Cmd: ['sleep', '1'], Entrypoint: ['/bin/sh'], Env: ['A=1'], User: '1:1', WorkingDir: '/' });
    expect(create.HostConfig).toMatchObject({
      ReadonlyRootfs: true,
      CpuShares: 512,
      CpuPeriod: 100000,
      CpuQuota: 50000,
      RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
      Init: true,
      PidMode: 'private',
      IpcMode: 'private',
    });
    expect(networks).toEqual([{ name: 'n1', endpoint: { Aliases: ['a'], IPAMConfig: { IPv4Address: '', IPv6Address: '' } } }]);
  });
});
