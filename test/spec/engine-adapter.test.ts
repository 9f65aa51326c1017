import * as fc from 'fast-check';
import { ResourceKind, SpecSource } from '../../src/spec/container-spec';
import {
  daemonNoNewPrivilegesFrom, goDuration, processesFromTop, specFromContainerInspect, specFromServiceInspect,
} from '../../src/spec/engine-adapter';

/** Trimmed from a real `docker inspect` on engine 20.10 (docker run --read-only --cap-drop ALL ...). */
function hardenedInspect(): any {
  return {
    Id: '25da1ccccbc6',
    Name: '/web',
    State: { Running: true },
    Config: {
      User: '10001',
      Image: 'local/busybox:test',
      Labels: { 'app': 'web', 'hardened-docker.suppress.no-host-uts': 'needs the host name' },
      Healthcheck: { Test: ['CMD-SHELL', 'true'], Interval: 30000000000, Timeout: 1500000000, StartPeriod: 90000000000, Retries: 2 },
    },
    HostConfig: {
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m' } },
      NetworkMode: 'default',
      PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '18080' }], '81/tcp': [{ HostIp: '', HostPort: '' }] },
      RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
      CapAdd: ['CAP_NET_ADMIN'],
      CapDrop: ['ALL'],
      CgroupnsMode: 'host',
      GroupAdd: ['10'],
      IpcMode: 'private',
      PidMode: '',
      Privileged: false,
      ReadonlyRootfs: true,
      SecurityOpt: ['no-new-privileges'],
      Tmpfs: { '/run': 'size=1m', '/tmp': '' },
      UTSMode: 'host',
      UsernsMode: '',
      Sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0' },
      Runtime: 'runc',
      CpuShares: 0,
      Memory: 67108864,
      NanoCpus: 500000000,
      CgroupParent: '',
      CpuPeriod: 0,
      CpuQuota: 0,
      Devices: [{ PathOnHost: '/dev/null', PathInContainer: '/dev/xnull', CgroupPermissions: 'rwm' }],
      MemorySwap: 134217728,
      PidsLimit: 64,
      Ulimits: [{ Name: 'nproc', Hard: 200, Soft: 100 }],
      Init: true,
    },
    Mounts: [
      { Type: 'volume', Name: 'data', Source: '/var/lib/docker/volumes/data/_data', Destination: '/data', Driver: 'local', Mode: 'z', RW: true, Propagation: '' },
      { Type: 'bind', Source: '/etc', Destination: '/hostetc', Mode: 'ro', RW: false, Propagation: 'rprivate' },
      { Type: 'tmpfs', Source: '', Destination: '/cache', Mode: '', RW: true, Propagation: '' },
    ],
    NetworkSettings: {
      Ports: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '18080' }], '81/tcp': [{ HostIp: '0.0.0.0', HostPort: '49153' }, { HostIp: '::', HostPort: '49153' }], '90/tcp': null },
      Networks: { bridge: {} },
    },
  };
}

/** A plain `docker run image` on engine 20.10: nothing set. */
function plainInspect(): any {
  return {
    Name: '/plain',
    State: { Running: false },
    Config: { User: '', Image: 'local/busybox:test', Labels: {}, Healthcheck: null },
    HostConfig: {
      NetworkMode: 'default',
      PortBindings: {},
      RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
      CapAdd: null,
      CapDrop: null,
      IpcMode: 'private',
      PidMode: '',
      Privileged: false,
      ReadonlyRootfs: false,
      SecurityOpt: null,
      UTSMode: '',
      UsernsMode: '',
      CpuShares: 0,
      Memory: 0,
      NanoCpus: 0,
      CgroupParent: '',
      CpuPeriod: 0,
      CpuQuota: 0,
      Devices: [],
      MemorySwap: 0,
      PidsLimit: null,
      Ulimits: null,
      Init: null,
      LogConfig: { Type: 'json-file', Config: {} },
    },
    Mounts: [],
    NetworkSettings: { Ports: {}, Networks: { bridge: {} } },
  };
}

describe('specFromContainerInspect', () => {
  test('maps every security setting of a hardened container', () => {
    const spec = specFromContainerInspect(hardenedInspect(), { daemonNoNewPrivileges: false });
    expect(spec).toMatchObject({
      kind: ResourceKind.CONTAINER,
      source: SpecSource.ENGINE,
      address: 'container/web',
      name: 'web',
      image: 'local/busybox:test',
      user: '10001',
      readOnly: true,
      privileged: false,
      capAdd: ['CAP_NET_ADMIN'],
      capDrop: ['ALL'],
      securityOpts: ['no-new-privileges'],
      daemonNoNewPrivileges: false,
      memoryBytes: 67108864,
      memorySwapBytes: 134217728,
      nanoCpus: 500000000,
      pidsLimit: 64,
      ulimits: [{ name: 'nproc', soft: 100, hard: 200 }],
      restartPolicy: 'on-failure',
      maxRetryCount: 3,
      healthcheck: { test: ['CMD-SHELL', 'true'], interval: '30s', timeout: '1.5s', startPeriod: '1m30s', retries: 2 },
      devices: [{ hostPath: '/dev/null', containerPath: '/dev/xnull', permissions: 'rwm' }],
      networkMode: 'default',
      networks: ['bridge'],
      ipcMode: 'private',
      utsMode: 'host',
      cgroupnsMode: 'host',
      logDriver: 'json-file',
      logOpts: { 'max-size': '10m' },
      init: true,
      sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0' },
      runtime: 'runc',
      groupAdd: ['10'],
      suppressions: [{ ruleId: 'no-host-uts', reason: 'needs the host name' }],
    });
    expect(spec.cpuShares).toBeUndefined();
    expect(spec.pidMode).toBeUndefined();
    expect(spec.mounts).toEqual([
      { type: 'volume', source: 'data', target: '/data', readOnly: false },
      { type: 'bind', source: '/etc', target: '/hostetc', readOnly: true, propagation: 'rprivate' },
      { type: 'tmpfs', target: '/cache', readOnly: false },
    ]);
    expect(spec.tmpfs).toEqual([
      { path: '/cache', fromMount: true },
      { path: '/run', options: 'size=1m' },
      { path: '/tmp' },
    ]);
  });

  test('a running container reports its actual host ports; an empty HostIp is every interface', () => {
    expect(specFromContainerInspect(hardenedInspect()).ports).toEqual([
      { internal: 80, external: 18080, ip: '127.0.0.1', protocol: 'tcp' },
      { internal: 81, external: 49153, ip: '0.0.0.0', protocol: 'tcp' },
      { internal: 81, external: 49153, ip: '::', protocol: 'tcp' },
    ]);
    const stopped = hardenedInspect();
    stopped.State.Running = false;
    expect(specFromContainerInspect(stopped).ports).toEqual([
      { internal: 80, external: 18080, ip: '127.0.0.1', protocol: 'tcp' },
      { internal: 81, ip: '0.0.0.0', protocol: 'tcp' },
    ]);
  });

  test('a plain container: the engine\'s "not set" values stay undefined, PidsLimit null too', () => {
    const spec = specFromContainerInspect(plainInspect());
    expect(spec).toEqual({
      kind: ResourceKind.CONTAINER,
      source: SpecSource.ENGINE,
      address: 'container/plain',
      name: 'plain',
      image: 'local/busybox:test',
      readOnly: false,
      privileged: false,
      restartPolicy: 'no',
      networkMode: 'default',
      networks: ['bridge'],
      ipcMode: 'private',
      logDriver: 'json-file',
    });
  });

  test('PidsLimit 0 and -1 are kept (both unlimited), host namespaces and cgroup parent are read', () => {
    for (const limit of [0, -1]) {
      const i = plainInspect();
      Object.assign(i.HostConfig, { PidsLimit: limit, PidMode: 'host', NetworkMode: 'host', UsernsMode: 'host', IpcMode: 'host', CgroupParent: '/custom', Privileged: true });
      expect(specFromContainerInspect(i)).toMatchObject({
        pidsLimit: limit, pidMode: 'host', networkMode: 'host', usernsMode: 'host', ipcMode: 'host', cgroupParent: '/custom', privileged: true,
      });
    }
  });

  test('systempaths=unconfined, which the docker CLI sends as empty MaskedPaths and ReadonlyPaths, is read back as that option', () => {
    // As engine 20.10 shows `docker run --security-opt systempaths=unconfined`: no SecurityOpt, both lists empty.
    const unconfined = plainInspect();
    Object.assign(unconfined.HostConfig, { MaskedPaths: [], ReadonlyPaths: [] });
    expect(specFromContainerInspect(unconfined).securityOpts).toEqual(['systempaths=unconfined']);
    const oneList = plainInspect();
    Object.assign(oneList.HostConfig, { SecurityOpt: ['no-new-privileges'], MaskedPaths: [], ReadonlyPaths: ['/proc/sys'] });
    expect(specFromContainerInspect(oneList).securityOpts).toEqual(['no-new-privileges', 'systempaths=unconfined']);
    // The default lists, and a privileged container's null lists, add nothing.
    const masked = plainInspect();
    Object.assign(masked.HostConfig, { MaskedPaths: ['/proc/kcore'], ReadonlyPaths: ['/proc/sys'] });
    expect(specFromContainerInspect(masked).securityOpts).toBeUndefined();
    const privileged = plainInspect();
    Object.assign(privileged.HostConfig, { Privileged: true, SecurityOpt: ['label=disable'], MaskedPaths: null, ReadonlyPaths: null });
    expect(specFromContainerInspect(privileged).securityOpts).toEqual(['label=disable']);
  });

  test('publish-all and GPU device requests are read as publish_all_ports and gpus', () => {
    const info = hardenedInspect();
    info.HostConfig.PublishAllPorts = true;
    info.HostConfig.DeviceRequests = [{ Driver: '', Count: -1, DeviceIDs: null, Capabilities: [['gpu']], Options: {} }];
    const spec = specFromContainerInspect(info);
    expect(spec.publishAllPorts).toBe(true);
    expect(spec.gpus).toBe('all');
    info.HostConfig.DeviceRequests = [{ Driver: 'nvidia', Count: 0, DeviceIDs: ['0', '2'], Capabilities: [['gpu', 'utility']] }];
    expect(specFromContainerInspect(info).gpus).toBe('device=0,2');
    info.HostConfig.PublishAllPorts = false;
    info.HostConfig.DeviceRequests = [{ Driver: 'other', Count: 1, Capabilities: [['compute']] }];
    const plain = specFromContainerInspect(info);
    expect(plain.publishAllPorts).toBeUndefined();
    expect(plain.gpus).toBeUndefined();
  });

  test('rejects what is not a container inspect object', () => {
    expect(() => specFromContainerInspect({ Id: 'x' })).toThrow(/not a container inspect object/);
  });
});

describe('specFromServiceInspect', () => {
  const service = {
    ID: 'abc',
    Spec: {
      Name: 'api',
      Labels: { 'hardened-docker.suppress.pids-limit': 'engine default-pids-limit is set' },
      TaskTemplate: {
        ContainerSpec: {
          Image: 'local/busybox:test',
          Labels: { 'hardened-docker.suppress.read-only-rootfs': 'legacy app' },
          User: '10001',
          ReadOnly: true,
          CapabilityAdd: ['CAP_NET_BIND_SERVICE'],
          CapabilityDrop: ['ALL'],
          Mounts: [
            { Type: 'bind', Source: '/var/run/docker.sock', Target: '/var/run/docker.sock', ReadOnly: true },
            { Type: 'bind', Source: '/srv', Target: '/srv', BindOptions: { Propagation: 'rshared' } },
            { Type: 'tmpfs', Target: '/tmp', TmpfsOptions: { SizeBytes: 1048576, Mode: 0o1777 } },
          ],
          Healthcheck: { Test: ['CMD', 'true'], Interval: 10000000000 },
          Sysctls: { 'net.core.somaxconn': '1024' },
          Groups: ['10'],
          Init: false,
        },
        Resources: { Limits: { MemoryBytes: 67108864, NanoCPUs: 500000000, Pids: 100 } },
        RestartPolicy: { Condition: 'on-failure', MaxAttempts: 3 },
        Networks: [{ Target: 'net1' }],
      },
      Mode: { Replicated: { Replicas: 2 } },
      EndpointSpec: { Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' }] },
    },
  };

  test('reads the task template', () => {
    const spec = specFromServiceInspect(service);
    expect(spec).toMatchObject({
      kind: ResourceKind.SERVICE,
      source: SpecSource.ENGINE,
      address: 'service/api',
      name: 'api',
      image: 'local/busybox:test',
      user: '10001',
      readOnly: true,
      capAdd: ['CAP_NET_BIND_SERVICE'],
      capDrop: ['ALL'],
      memoryBytes: 67108864,
      nanoCpus: 500000000,
      pidsLimit: 100,
      restartPolicy: 'on-failure',
      maxRetryCount: 3,
      healthcheck: { test: ['CMD', 'true'], interval: '10s' },
      ports: [{ internal: 80, external: 8080, ip: '0.0.0.0', protocol: 'tcp', publishMode: 'ingress' }],
      networks: ['net1'],
      sysctls: { 'net.core.somaxconn': '1024' },
      groupAdd: ['10'],
      init: false,
      replicas: 2,
    });
    expect(spec.mounts).toEqual([
      { type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: true },
      { type: 'bind', source: '/srv', target: '/srv', readOnly: false, propagation: 'rshared' },
      { type: 'tmpfs', target: '/tmp', readOnly: false },
    ]);
    expect(spec.tmpfs).toEqual([{ path: '/tmp', options: 'size=1048576,mode=1777', fromMount: true }]);
  });

  test('suppression labels on the service and on its containers both count', () => {
    expect(specFromServiceInspect(service).suppressions).toEqual([
      { ruleId: 'pids-limit', reason: 'engine default-pids-limit is set', origin: 'label "hardened-docker.suppress.pids-limit"' },
      { ruleId: 'read-only-rootfs', reason: 'legacy app', origin: 'label "hardened-docker.suppress.read-only-rootfs"' },
    ]);
  });

  test('a bare service: unlimited, no ports, global mode has no replicas', () => {
    const spec = specFromServiceInspect({ Spec: { Name: 'bare', TaskTemplate: { ContainerSpec: { Image: 'x' } }, Mode: { Global: {} } } });
    expect(spec).toEqual({ kind: ResourceKind.SERVICE, source: SpecSource.ENGINE, address: 'service/bare', name: 'bare', image: 'x', readOnly: false });
  });

  test('a task\'s SELinux context becomes label= security options, as on a container', () => {
    const withContext = (ctx: any) => specFromServiceInspect({ Spec: { Name: 's', TaskTemplate: { ContainerSpec: { Image: 'x', Privileges: { SELinuxContext: ctx } } } } });
    expect(withContext({ Type: 'container_t', Level: 's0:c1,c2', User: '', Role: '' }).securityOpts).toEqual(['label=type:container_t', 'label=level:s0:c1,c2']);
    expect(withContext({ Disable: true, Type: 'spc_t' }).securityOpts).toEqual(['label=disable']);
    expect(withContext({}).securityOpts).toBeUndefined();
  });

  test('rejects what is not a service inspect object', () => {
    expect(() => specFromServiceInspect({ ID: 'x' })).toThrow(/not a service inspect object/);
  });
});

describe('goDuration', () => {
  test.each([
    [0, '0s'], [1, '1ns'], [1500, '1.5µs'], [2000000, '2ms'], [1000000000, '1s'], [1500000000, '1.5s'],
    [60000000000, '1m0s'], [90000000000, '1m30s'], [3600000000000, '1h0m0s'], [3725000000000, '1h2m5s'],
  ])('%d ns is %s, as Go prints it', (ns, text) => {
    expect(goDuration(ns)).toBe(text);
  });

  /** Parses a Go duration back to nanoseconds. */
  function parseGo(d: string): number {
    const unit: Record<string, number> = { h: 3.6e12, m: 6e10, s: 1e9, ms: 1e6, µs: 1e3, ns: 1 };
    let total = 0;
    for (const m of d.matchAll(/([\d.]+)(h|ms|m|s|µs|ns)/g)) total += Number(m[1]) * unit[m[2]];
    return Math.round(total);
  }

  test('round-trips every whole-millisecond duration up to a day', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 86_400_000 }), (ms) => {
      expect(parseGo(goDuration(ms * 1e6))).toBe(ms * 1e6);
    }));
  });
});

describe('processesFromTop', () => {
  test('the CMD column of docker top, carried into the spec', () => {
    const top = {
      Titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'],
      Processes: [['root', '1', '0', '0', '18:28', '?', '00:00:00', '/bin/sshd -- sleep 600'], ['root', '7', '1', '0', '18:28', '?', '00:00:00', 'sleep 600']],
    };
    const processes = processesFromTop(top);
    expect(processes).toEqual(['/bin/sshd -- sleep 600', 'sleep 600']);
    expect(specFromContainerInspect(hardenedInspect(), { processes }).processes).toEqual(processes);
    expect(specFromContainerInspect(hardenedInspect()).processes).toBeUndefined();
    expect(processesFromTop({ Titles: [], Processes: [] })).toBeUndefined();
    expect(processesFromTop({ Titles: ['PID', 'COMMAND'], Processes: [['1', 'nginx: master']] })).toEqual(['nginx: master']);
  });
});

describe('daemonNoNewPrivilegesFrom', () => {
  test('daemon.json true/false, SecurityOptions, else unknown', () => {
    expect(daemonNoNewPrivilegesFrom({ SecurityOptions: ['name=seccomp,profile=default'] }, { 'no-new-privileges': true })).toBe(true);
    expect(daemonNoNewPrivilegesFrom({}, { 'no-new-privileges': false })).toBe(false);
    expect(daemonNoNewPrivilegesFrom({ SecurityOptions: ['name=no-new-privileges'] })).toBe(true);
    expect(daemonNoNewPrivilegesFrom({ SecurityOptions: ['name=seccomp,profile=default'] }, { 'log-level': 'info' })).toBeUndefined();
    expect(daemonNoNewPrivilegesFrom(undefined)).toBeUndefined();
  });
});
