import { SETTINGS_DIGEST_LABEL as CONSTRUCT_DIGEST_LABEL } from '../../src/constructs/hardened-container';
import { compareSpecs, DIGEST_SETTING, DriftDirection, DriftItem, SETTINGS_DIGEST_LABEL } from '../../src/drift/compare';
import { ContainerSpec, ResourceKind, SpecSource } from '../../src/spec/container-spec';

const MiB = 1024 * 1024;

/** What a HardenedContainer declares, as the Terraform adapter reads it. */
function declared(over: Partial<ContainerSpec> = {}): ContainerSpec {
  return {
    kind: ResourceKind.CONTAINER,
    source: SpecSource.TERRAFORM_JSON,
    address: 'docker_container.web',
    name: 'web',
    user: '10001:10001',
    readOnly: true,
    privileged: false,
    init: true,
    tmpfs: [{ path: '/tmp', options: 'rw,noexec,nosuid,nodev,size=64m' }],
    capDrop: ['ALL'],
    securityOpts: ['no-new-privileges:true'],
    memoryBytes: 256 * MiB,
    memorySwapBytes: 256 * MiB,
    cpuShares: 512,
    cpuPeriod: 100000,
    cpuQuota: 50000,
    ulimits: [{ name: 'nproc', soft: 256, hard: 256 }, { name: 'nofile', soft: 1024, hard: 1024 }],
    restartPolicy: 'on-failure',
    maxRetryCount: 3,
    healthcheck: { test: ['CMD', 'true'], interval: '30s', timeout: '5s', retries: 3 },
    ports: [{ internal: 8080, external: 18080, ip: '127.0.0.1', protocol: 'tcp' }],
    mounts: [{ type: 'volume', source: 'data', target: '/data', readOnly: true }],
    labels: { [SETTINGS_DIGEST_LABEL]: 'a'.repeat(64), app: 'web' },
    ...over,
  };
}

/** The same container as the engine reports it (units and spellings of `docker inspect`). */
function live(over: Partial<ContainerSpec> = {}): ContainerSpec {
  return {
    ...declared(),
    source: SpecSource.ENGINE,
    address: 'container/web',
    capDrop: ['ALL'],
    securityOpts: ['no-new-privileges'],
    healthcheck: { test: ['CMD', 'true'], interval: '30s', timeout: '5s', retries: 3 },
    ports: [{ internal: 8080, external: 18080, ip: '127.0.0.1', protocol: 'tcp' }],
    ...over,
  };
}

function only(items: DriftItem[]): DriftItem {
  expect(items).toHaveLength(1);
  return items[0];
}

describe('compareSpecs', () => {
  test('the same container as declared, in the engine\'s spellings: nothing', () => {
    expect(compareSpecs(declared(), live())).toEqual([]);
  });

  test('the digest label is the constructs\' label', () => {
    expect(SETTINGS_DIGEST_LABEL).toBe(CONSTRUCT_DIGEST_LABEL);
  });

  // Per setting: the live change that weakens it (and one that strengthens it), the field that, unknown, silences it.
  const cases: Array<{
    name: string;
    setting: string;
    strongerSetting?: string;
    weaker: Partial<ContainerSpec>;
    stronger?: Partial<ContainerSpec>;
    unknownField: string;
    base?: Partial<ContainerSpec>;
    declaredText?: string;
    liveText?: string;
  }> = [
    { name: 'memory', setting: 'memory', weaker: { memoryBytes: 512 * MiB, memorySwapBytes: 512 * MiB }, stronger: { memoryBytes: 128 * MiB, memorySwapBytes: 128 * MiB }, unknownField: 'memoryBytes', declaredText: '256 MiB', liveText: '512 MiB' },
    { name: 'memory unlimited live', setting: 'memory', weaker: { memoryBytes: undefined, memorySwapBytes: undefined }, unknownField: 'memoryBytes', declaredText: '256 MiB', liveText: 'unset' },
    { name: 'swap', setting: 'memory_swap', weaker: { memorySwapBytes: -1 }, unknownField: 'memorySwapBytes', declaredText: '256 MiB', liveText: 'unlimited (-1)' },
    { name: 'cpu shares', setting: 'cpu_shares', weaker: { cpuShares: 2048 }, stronger: { cpuShares: 256 }, unknownField: 'cpuShares' },
    { name: 'cpu quota', setting: 'cpu_quota/cpu_period', weaker: { cpuQuota: 100000 }, stronger: { cpuQuota: 25000 }, unknownField: 'cpuQuota', declaredText: '50000/100000 µs (0.5 CPU)', liveText: '100000/100000 µs (1 CPU)' },
    { name: 'cpu quota removed', setting: 'cpu_quota/cpu_period', weaker: { cpuQuota: undefined }, unknownField: 'cpuPeriod', liveText: 'unlimited' },
    { name: 'nano cpus', setting: 'cpu_quota/cpu_period', weaker: { cpuQuota: undefined, cpuPeriod: undefined, nanoCpus: 2e9 }, stronger: { cpuQuota: undefined, cpuPeriod: undefined, nanoCpus: 2.5e8 }, unknownField: 'nanoCpus' },
    { name: 'read-only root', setting: 'read_only', weaker: { readOnly: false }, unknownField: 'readOnly', declaredText: 'true', liveText: 'false' },
    { name: 'privileged', setting: 'privileged', weaker: { privileged: true }, unknownField: 'privileged' },
    { name: 'init', setting: 'init', weaker: { init: false }, unknownField: 'init' },
    { name: 'user', setting: 'user', weaker: { user: 'root' }, unknownField: 'user', declaredText: '10001:10001', liveText: 'root' },
    { name: 'user unset live', setting: 'user', weaker: { user: undefined }, unknownField: 'user' },
    { name: 'capabilities', setting: 'capabilities (+NET_ADMIN)', weaker: { capAdd: ['CAP_NET_ADMIN'] }, unknownField: 'capAdd', declaredText: 'none', liveText: 'NET_ADMIN' },
    { name: 'capabilities not dropped', setting: 'capabilities (+AUDIT_WRITE,CHOWN,DAC_OVERRIDE,FOWNER,FSETID,KILL,MKNOD,NET_BIND_SERVICE,NET_RAW,SETFCAP,SETGID,SETPCAP,SETUID,SYS_CHROOT)', weaker: { capDrop: undefined }, unknownField: 'capDrop' },
    { name: 'no-new-privileges', setting: 'security_opts no-new-privileges=true', weaker: { securityOpts: undefined }, unknownField: 'securityOpts', declaredText: 'set', liveText: 'absent' },
    { name: 'seccomp unconfined', setting: 'security_opts seccomp=unconfined', weaker: { securityOpts: ['no-new-privileges', 'seccomp=unconfined'] }, stronger: { securityOpts: ['no-new-privileges', 'apparmor=docker-default'] }, strongerSetting: 'security_opts apparmor=docker-default', unknownField: 'securityOpts' },
    { name: 'tmpfs removed', setting: 'tmpfs /tmp', weaker: { tmpfs: undefined }, unknownField: 'tmpfs' },
    { name: 'tmpfs noexec', setting: 'tmpfs /tmp', weaker: { tmpfs: [{ path: '/tmp', options: 'rw,nosuid,nodev,size=64m' }] }, stronger: { tmpfs: [{ path: '/tmp', options: 'rw,noexec,nosuid,nodev,size=16m' }] }, unknownField: 'tmpfs', liveText: 'rw,nosuid,nodev,size=64m' },
    { name: 'tmpfs size', setting: 'tmpfs /tmp', weaker: { tmpfs: [{ path: '/tmp', options: 'rw,noexec,nosuid,nodev' }] }, unknownField: 'tmpfs' },
    { name: 'ulimit', setting: 'ulimit nproc', weaker: { ulimits: [{ name: 'nproc', soft: 256, hard: 4096 }, { name: 'nofile', soft: 1024, hard: 1024 }] }, stronger: { ulimits: [{ name: 'nproc', soft: 128, hard: 128 }, { name: 'nofile', soft: 1024, hard: 1024 }] }, unknownField: 'ulimits', declaredText: '256:256', liveText: '256:4096' },
    { name: 'ulimit removed', setting: 'ulimit nofile', weaker: { ulimits: [{ name: 'nproc', soft: 256, hard: 256 }] }, unknownField: 'ulimits' },
    { name: 'restart always', setting: 'restart', weaker: { restartPolicy: 'always', maxRetryCount: undefined }, stronger: { restartPolicy: 'no', maxRetryCount: undefined }, unknownField: 'restartPolicy', declaredText: 'on-failure:3', liveText: 'always' },
    { name: 'restart retries', setting: 'restart', weaker: { maxRetryCount: 10 }, stronger: { maxRetryCount: 1 }, unknownField: 'maxRetryCount' },
    { name: 'healthcheck removed', setting: 'healthcheck', weaker: { healthcheck: { test: ['NONE'] } }, unknownField: 'healthcheck' },
    { name: 'port on every interface', setting: 'ports 8080/tcp ip', weaker: { ports: [{ internal: 8080, external: 18080, ip: '0.0.0.0', protocol: 'tcp' }, { internal: 8080, external: 18080, ip: '::', protocol: 'tcp' }] }, unknownField: 'ports', declaredText: '127.0.0.1', liveText: '0.0.0.0 (every interface)' },
    { name: 'port added', setting: 'ports 22/tcp', weaker: { ports: [{ internal: 8080, external: 18080, ip: '127.0.0.1', protocol: 'tcp' }, { internal: 22, external: 2222, ip: '0.0.0.0', protocol: 'tcp' }] }, unknownField: 'ports' },
    { name: 'publish all', setting: 'publish_all_ports', weaker: { publishAllPorts: true }, unknownField: 'publishAllPorts' },
    { name: 'mount writable', setting: 'mounts /data read_only', weaker: { mounts: [{ type: 'volume', source: 'data', target: '/data', readOnly: false }] }, unknownField: 'mounts' },
    { name: 'mount added', setting: 'mounts /var/run/docker.sock', weaker: { mounts: [{ type: 'volume', source: 'data', target: '/data', readOnly: true }, { type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock' }] }, unknownField: 'mounts' },
    { name: 'mount shared propagation', setting: 'mounts /data propagation', weaker: { mounts: [{ type: 'volume', source: 'data', target: '/data', readOnly: true, propagation: 'rshared' }] }, unknownField: 'mounts' },
    { name: 'host pid', setting: 'pid_mode', weaker: { pidMode: 'host' }, unknownField: 'pidMode' },
    { name: 'host network', setting: 'network_mode', weaker: { networkMode: 'host' }, stronger: { networkMode: 'none' }, unknownField: 'networkMode' },
    { name: 'host ipc', setting: 'ipc_mode', weaker: { ipcMode: 'host' }, unknownField: 'ipcMode' },
    { name: 'host userns', setting: 'userns_mode', weaker: { usernsMode: 'host' }, unknownField: 'usernsMode' },
    { name: 'host uts', setting: 'uts_mode', weaker: { utsMode: 'host' }, unknownField: 'utsMode' },
    { name: 'host cgroupns', setting: 'cgroupns_mode', base: { cgroupnsMode: 'private' }, weaker: { cgroupnsMode: 'host' }, unknownField: 'cgroupnsMode' },
  ];

  describe.each(cases.filter((c) => c.stronger))('$name', (c) => {
    test('stronger live: a stronger item', () => {
      const item = compareSpecs(declared(), live(c.stronger)).find((i) => i.setting === (c.strongerSetting ?? c.setting));
      expect(item?.direction).toBe(DriftDirection.STRONGER);
    });
  });

  describe.each(cases)('$name', (c) => {
    test('weaker live: a weaker item naming both values', () => {
      const item = compareSpecs(declared(c.base), live({ ...c.base, ...c.weaker })).find((i) => i.setting === c.setting);
      expect(item).toBeDefined();
      expect(item!.direction).toBe(DriftDirection.WEAKER);
      if (c.declaredText) expect(item!.declared).toBe(c.declaredText);
      if (c.liveText) expect(item!.live).toBe(c.liveText);
    });

    test('unknown declared: no claim about it', () => {
      const d = declared({ ...c.base, unknown: [c.unknownField] });
      expect(compareSpecs(d, live({ ...c.base, ...c.weaker })).filter((i) => i.setting === c.setting)).toEqual([]);
    });
  });

  test('swap: live swap equal to memory where Docker\'s default (twice) was declared is stronger', () => {
    const item = only(compareSpecs(declared({ memorySwapBytes: undefined }), live()));
    expect(item).toMatchObject({ setting: 'memory_swap', direction: DriftDirection.STRONGER, live: '256 MiB' });
  });

  test('a declared port not published live is stronger', () => {
    expect(only(compareSpecs(declared(), live({ ports: undefined })))).toMatchObject({ setting: 'ports 8080/tcp', direction: DriftDirection.STRONGER });
  });

  test('a port published on every interface where declared so, seen as 0.0.0.0 and ::, is no drift', () => {
    const ports = [{ internal: 8080, external: 18080, ip: '0.0.0.0', protocol: 'tcp' }];
    expect(compareSpecs(declared({ ports }), live({ ports: [...ports, { ...ports[0], ip: '::' }] }))).toEqual([]);
  });

  test('a random host port declared: any live host port is no drift', () => {
    const d = declared({ ports: [{ internal: 8080, ip: '127.0.0.1', protocol: 'tcp' }] });
    expect(compareSpecs(d, live({ ports: [{ internal: 8080, external: 32768, ip: '127.0.0.1', protocol: 'tcp' }] }))).toEqual([]);
  });

  test('an unset cgroupns mode is the daemon\'s default (host on cgroup v1): no claim; declared private and live host is weaker', () => {
    expect(compareSpecs(declared(), live({ cgroupnsMode: 'host' }))).toEqual([]);
    expect(only(compareSpecs(declared({ cgroupnsMode: 'private' }), live({ cgroupnsMode: 'host' })))).toMatchObject({ direction: DriftDirection.WEAKER });
  });

  test('a loosening option declared and gone live is stronger; no-new-privileges=false is Docker\'s default on either side', () => {
    expect(only(compareSpecs(declared({ securityOpts: ['no-new-privileges:true', 'seccomp=unconfined'] }), live())))
      .toMatchObject({ setting: 'security_opts seccomp=unconfined', direction: DriftDirection.STRONGER });
    expect(compareSpecs(declared({ securityOpts: undefined }), live({ securityOpts: ['no-new-privileges=false'] }))).toEqual([]);
  });

  test('a different non-root user is changed, not weaker or stronger', () => {
    expect(only(compareSpecs(declared(), live({ user: '2000:2000' })))).toMatchObject({ setting: 'user', direction: DriftDirection.CHANGED });
  });

  test('declared root and a non-root user live is stronger', () => {
    expect(only(compareSpecs(declared({ user: undefined }), live({ user: '10001' })))).toMatchObject({ direction: DriftDirection.STRONGER });
  });

  test('another healthcheck command is changed; a healthcheck only live is stronger', () => {
    expect(only(compareSpecs(declared(), live({ healthcheck: { test: ['CMD', 'false'], interval: '30s', timeout: '5s', retries: 3 } }))))
      .toMatchObject({ setting: 'healthcheck', direction: DriftDirection.CHANGED });
    expect(only(compareSpecs(declared({ healthcheck: undefined }), live()))).toMatchObject({ direction: DriftDirection.STRONGER });
  });

  test('healthcheck durations written differently but equal are no drift', () => {
    const d = declared({ healthcheck: { test: ['CMD', 'true'], interval: '0h0m30s', timeout: '5000ms', retries: 3 } });
    expect(compareSpecs(d, live())).toEqual([]);
  });

  test('an anonymous volume from the image\'s VOLUME is not a mount added by hand', () => {
    const mounts = [{ type: 'volume', source: 'data', target: '/data', readOnly: true }, { type: 'volume', source: 'f'.repeat(64), target: '/cache' }];
    expect(compareSpecs(declared(), live({ mounts }))).toEqual([]);
  });

  test('a digest label that differs says so; an unknown declared label makes no claim', () => {
    const item = only(compareSpecs(declared(), live({ labels: { [SETTINGS_DIGEST_LABEL]: 'b'.repeat(64), app: 'web' } })));
    expect(item).toMatchObject({ setting: DIGEST_SETTING, declared: 'a'.repeat(64), live: 'b'.repeat(64), direction: DriftDirection.CHANGED });
    expect(only(compareSpecs(declared(), live({ labels: { app: 'web' } })))).toMatchObject({ live: 'unset' });
    expect(compareSpecs(declared({ unknown: ['labels'] }), live({ labels: { app: 'web' } }))).toEqual([]);
  });

  test('a declaration without the digest label (not a HardenedContainer) makes no digest claim', () => {
    expect(compareSpecs(declared({ labels: { app: 'web' } }), live())).toEqual([]);
  });

  test('several weakened settings are each reported', () => {
    const items = compareSpecs(declared(), live({ memoryBytes: 512 * MiB, memorySwapBytes: 512 * MiB, cpuQuota: 100000, restartPolicy: 'always', maxRetryCount: undefined }));
    expect(items.map((i) => i.setting)).toEqual(['memory', 'memory_swap', 'cpu_quota/cpu_period', 'restart']);
    expect(items.every((i) => i.direction === DriftDirection.WEAKER)).toBe(true);
  });
});
