import { createHash } from 'crypto';
import { Container } from '@cdktf/provider-docker/lib/container';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { checkedSynth, labelsOf, newStack, openFindings, PINNED_IMAGE, synthContainer } from './helpers';
import {
  Capability, HardenedContainer, HardenedContainerProps, HardeningOptOuts, Profile, ProfileScope, Protocol,
  RestartPolicy, Suppressions,
} from '../../src';
import { canonicalJson, OPT_OUT_RULES } from '../../src/constructs/hardened-container';
import { builtinRule } from '../../src/rules/catalog';

const REASON = 'reviewed by the platform team: needed by this workload';
const HEALTH = { command: ['wget', '-q', '-O-', 'http://127.0.0.1:8080/'] };

describe('defaults', () => {
  const { body, hc } = synthContainer({ healthcheck: HEALTH, ports: [{ internal: 8080, external: 8080 }] });

  test('read-only root with a noexec /tmp tmpfs', () => {
    expect(body.read_only).toBe(true);
    expect(body.tmpfs).toEqual({ '/tmp': 'rw,noexec,nosuid,nodev,size=64m' });
  });

  test('drops every capability and adds none', () => {
    expect(body.capabilities).toEqual({ drop: ['ALL'] });
  });

  test('no-new-privileges and nothing else in security_opts', () => {
    expect(body.security_opts).toEqual(['no-new-privileges:true']);
  });

  test('a private cgroup namespace, written out: Docker\'s own default on a cgroup v1 host is the host\'s', () => {
    expect(body.cgroupns_mode).toBe('private');
  });

  test('memory limited, swap equal (no swap), in MiB', () => {
    expect(body.memory).toBe(256);
    expect(body.memory_swap).toBe(256);
  });

  test('CPU through cpu_period/cpu_quota and cpu_shares, never cpus', () => {
    expect(body.cpu_period).toBe(100000);
    expect(body.cpu_quota).toBe(50000);
    expect(body.cpu_shares).toBe(512);
    expect(body).not.toHaveProperty('cpus');
  });

  test('numeric non-root user; nproc and nofile ulimits', () => {
    expect(body.user).toBe('10001:10001');
    expect(body.ulimit).toEqual([
      { name: 'nofile', soft: 1024, hard: 1024 },
      { name: 'nproc', soft: 256, hard: 256 },
    ]);
  });

  test('ports bound to 127.0.0.1', () => {
    expect(body.ports).toEqual([{ internal: 8080, external: 8080, ip: '127.0.0.1', protocol: 'tcp' }]);
  });

  test('restart on-failure with 3 retries; init; rotated json-file logs', () => {
    expect(body.restart).toBe('on-failure');
    expect(body.max_retry_count).toBe(3);
    expect(body.init).toBe(true);
    expect(body.log_driver).toBe('json-file');
    expect(body.log_opts).toEqual({ 'max-size': '10m', 'max-file': '3' });
  });

  test('healthcheck in exec form with Go durations', () => {
    expect(body.healthcheck).toEqual({
      test: ['CMD', 'wget', '-q', '-O-', 'http://127.0.0.1:8080/'],
      interval: '30s',
      timeout: '5s',
      retries: 3,
      start_period: '0s',
    });
  });

  test('a digest label over the settings provider 3.6.2 ignores on update', () => {
    const expected = canonicalJson({
      cpu_period: 100000,
      cpu_quota: 50000,
      init: true,
      healthcheck: { test: ['CMD', ...HEALTH.command], interval: '30s', timeout: '5s', retries: 3, start_period: '0s' },
      tmpfs: { '/tmp': 'rw,noexec,nosuid,nodev,size=64m' },
    });
    const digest = 'sha256:' + createHash('sha256').update(expected).digest('hex');
    expect(labelsOf(body)['hardened-docker.settings-digest']).toBe(digest);
    expect(hc.settingsDigest).toBe(digest);
  });

  test('pids-limit suppressed with the nproc stand-in named, as a label and a scoped suppression', () => {
    const reason = labelsOf(body)['hardened-docker.suppress.pids-limit'];
    expect(reason).toMatch(/no pids_limit/);
    expect(reason).toMatch(/nproc ulimit 256 for UID 10001/);
    expect(Suppressions.on(hc).map((s) => s.ruleId)).toEqual(['pids-limit']);
  });

  test('only the expected attributes are set', () => {
    expect(Object.keys(body).filter((k) => k !== '//').sort()).toEqual([
      'capabilities', 'cgroupns_mode', 'cpu_period', 'cpu_quota', 'cpu_shares', 'healthcheck', 'image', 'init', 'labels', 'log_driver',
      'log_opts', 'max_retry_count', 'memory', 'memory_swap', 'name', 'ports', 'read_only', 'restart', 'security_opts',
      'tmpfs', 'ulimit', 'user',
    ]);
  });

  test('no healthcheck given: none synthesized, no opt-out recorded', () => {
    const { body: b, hc: h } = synthContainer();
    expect(b).not.toHaveProperty('healthcheck');
    expect(h.optOutsApplied).toEqual([]);
  });

  test('.container is the docker_container L1', () => {
    expect(hc.container).toBeInstanceOf(Container);
  });
});

describe('names', () => {
  test('derived from the construct path: readable, hashed, stable', () => {
    const a = synthContainer();
    const b = synthContainer();
    expect(a.hc.containerName).toMatch(/^web-[0-9a-f]{8}$/);
    expect(a.hc.containerName).toBe(b.hc.containerName);
    expect(a.body.name).toBe(a.hc.containerName);
  });

  test('unique for the same id under different parents and stacks', () => {
    const app = Testing.app();
    const s1 = newStack(app);
    const s2 = new TerraformStack(app, 'other');
    const names = [
      new HardenedContainer(new Construct(s1, 'a'), 'web', { image: 'x' }).containerName,
      new HardenedContainer(new Construct(s1, 'b'), 'web', { image: 'x' }).containerName,
      new HardenedContainer(new Construct(s2, 'a'), 'web', { image: 'x' }).containerName,
    ];
    expect(new Set(names).size).toBe(3);
    expect(names[0]).toMatch(/^a-web-[0-9a-f]{8}$/);
  });

  test('sanitized to Docker\'s name form', () => {
    const stack = newStack();
    const hc = new HardenedContainer(new Construct(stack, 'My Service!'), 'api/v1', { image: 'x' });
    expect(hc.containerName).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/);
  });

  test('a given name wins', () => {
    expect(synthContainer({ name: 'api' }).body.name).toBe('api');
  });
});

describe('props', () => {
  test('writable paths get their own noexec tmpfs; sizes and modes', () => {
    const { body } = synthContainer({
      tmpfsSizeMb: 32,
      writablePaths: [{ path: '/var/cache/app' }, { path: '/run/app/', sizeMb: 8, mode: 0o700 }],
    });
    expect(body.tmpfs).toEqual({
      '/tmp': 'rw,noexec,nosuid,nodev,size=32m',
      '/var/cache/app': 'rw,noexec,nosuid,nodev,size=32m',
      '/run/app': 'rw,noexec,nosuid,nodev,size=8m,mode=700',
    });
  });

  test('resources, user, ulimits, restart, logs', () => {
    const { body } = synthContainer({
      memoryMb: 1024,
      cpuLimit: 1.5,
      cpuShares: 1024,
      user: '20000',
      maxProcesses: 64,
      maxOpenFiles: 4096,
      maxRestartRetries: 5,
      logMaxSize: '50m',
      logMaxFiles: 5,
    });
    expect([body.memory, body.memory_swap, body.cpu_quota, body.cpu_shares, body.user]).toEqual([1024, 1024, 150000, 1024, '20000']);
    expect(body.ulimit).toEqual([{ name: 'nofile', soft: 4096, hard: 4096 }, { name: 'nproc', soft: 64, hard: 64 }]);
    expect(body.max_retry_count).toBe(5);
    expect(body.log_opts).toEqual({ 'max-size': '50m', 'max-file': '5' });
  });

  test('allowed capabilities are added back after drop ALL, deduplicated', () => {
    const { body, hc } = synthContainer({ addCapabilities: [Capability.NET_BIND_SERVICE, Capability.CHOWN, Capability.CHOWN] });
    expect(body.capabilities).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE', 'CHOWN'] });
    expect(hc.optOutsApplied).toEqual([]);
  });

  test('seccomp profile inline (compact JSON) and AppArmor profile', () => {
    const profile = JSON.stringify({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }] }, null, 2);
    const { body } = synthContainer({ seccompProfileJson: profile, appArmorProfile: 'docker-default' });
    expect(body.security_opts).toEqual([
      'no-new-privileges:true',
      'seccomp={"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}',
      'apparmor=docker-default',
    ]);
  });

  test('SELinux labels become label= security options, after no-new-privileges; the selinux-options rule passes', () => {
    const { body } = synthContainer({ selinuxLabels: ['type:container_t', 'level:s0:c100,c200'] });
    expect(body.security_opts).toEqual(['no-new-privileges:true', 'label=type:container_t', 'label=level:s0:c100,c200']);
    const { report } = checkedSynth((stack) => {
      new HardenedContainer(stack, 'web', { image: PINNED_IMAGE, selinuxLabels: ['type:container_t'] });
      new HardenedContainer(stack, 'plain', { image: PINNED_IMAGE });
    });
    const selinux = report.findings.filter((f: any) => f.ruleId === 'selinux-options');
    expect(selinux.map((f: any) => f.constructPath)).toEqual(['stack/plain/container']);
  });

  test('an SELinux label that is a token stays an expression, and the rule reports it unknown', () => {
    const { report } = checkedSynth((stack) => {
      const level = new TerraformVariable(stack, 'level', { type: 'string' });
      new HardenedContainer(stack, 'web', { image: PINNED_IMAGE, selinuxLabels: [level.stringValue] });
    });
    const selinux = report.findings.filter((f: any) => f.ruleId === 'selinux-options');
    expect(selinux).toHaveLength(1);
    expect(selinux[0].status).toBe('unknown');
  });

  test('ports: host IP, random host port, protocol', () => {
    const { body } = synthContainer({
      ports: [{ internal: 53, external: 5353, hostIp: '10.0.0.5', protocol: Protocol.UDP }, { internal: 8080 }],
    });
    expect(body.ports).toEqual([
      { internal: 53, external: 5353, ip: '10.0.0.5', protocol: 'udp' },
      { internal: 8080, ip: '127.0.0.1', protocol: 'tcp' },
    ]);
  });

  test('networks, network mode, volumes read-only by default, env, labels, command', () => {
    const { body } = synthContainer({
      networks: [{ name: 'backend', aliases: ['api'] }],
      volumes: [{ containerPath: '/data', volumeName: 'data', readOnly: false }, { containerPath: '/config', hostPath: '/srv/app/config' }],
      env: { MODE: 'prod', EMPTY: '' },
      labels: { team: 'payments' },
      command: ['httpd', '-f'],
      entrypoint: ['/bin/sh', '-c'],
      workingDir: '/srv',
    });
    expect(body.networks_advanced).toEqual([{ name: 'backend', aliases: ['api'] }]);
    expect(body.volumes).toEqual([
      { container_path: '/data', volume_name: 'data', read_only: false },
      { container_path: '/config', host_path: '/srv/app/config', read_only: true },
    ]);
    expect(body.env).toEqual(['MODE=prod', 'EMPTY=']);
    expect(labelsOf(body).team).toBe('payments');
    expect([body.command, body.entrypoint, body.working_dir]).toEqual([['httpd', '-f'], ['/bin/sh', '-c'], '/srv']);
    expect(synthContainer({ networkMode: 'none' }).body.network_mode).toBe('none');
  });

  test('init false and restart no', () => {
    const { body } = synthContainer({ init: false, restartPolicy: RestartPolicy.NO });
    expect(body.init).toBe(false);
    expect(body.restart).toBe('no');
    expect(body).not.toHaveProperty('max_retry_count');
  });
});

describe('profile defaults', () => {
  const org = () => new Profile('org', [], [], {
    memoryMb: 512,
    cpuLimit: 2,
    cpuShares: 256,
    user: '30000:30000',
    maxProcesses: 100,
    tmpfsSizeMb: 16,
    logMaxSize: '5m',
    logMaxFiles: 2,
    maxRestartRetries: 1,
    hostIp: '10.1.2.3',
    allowedCapabilities: ['NET_RAW'],
  });

  test('the nearest profile supplies the defaults', () => {
    const { body } = synthContainer({ ports: [{ internal: 80, external: 8080 }], addCapabilities: [Capability.NET_RAW] },
      (stack) => ProfileScope.apply(stack, org()));
    expect([body.memory, body.cpu_quota, body.cpu_shares, body.user, body.max_retry_count]).toEqual([512, 200000, 256, '30000:30000', 1]);
    expect(body.tmpfs['/tmp']).toBe('rw,noexec,nosuid,nodev,size=16m');
    expect(body.log_opts).toEqual({ 'max-size': '5m', 'max-file': '2' });
    expect(body.ports[0].ip).toBe('10.1.2.3');
    expect(body.capabilities.add).toEqual(['NET_RAW']);
    expect(body.ulimit[1]).toEqual({ name: 'nproc', soft: 100, hard: 100 });
  });

  test('a prop given wins over the profile', () => {
    const { body } = synthContainer({ memoryMb: 64, user: '40000:40000' }, (stack) => ProfileScope.apply(stack, org()));
    expect([body.memory, body.user]).toEqual([64, '40000:40000']);
  });

  test('a capability the profile does not allow needs the opt-out', () => {
    expect(() => synthContainer({ addCapabilities: [Capability.CHOWN] }, (stack) => ProfileScope.apply(stack, org())))
      .toThrow(/CHOWN.*dangerousCapabilities/s);
  });
});

describe('digest label', () => {
  const digest = (props: Partial<HardenedContainerProps>) => labelsOf(synthContainer(props).body)['hardened-docker.settings-digest'];
  const base = digest({});

  test.each<[string, Partial<HardenedContainerProps>]>([
    ['tmpfs size', { tmpfsSizeMb: 65 }],
    ['a writable path', { writablePaths: [{ path: '/cache' }] }],
    ['healthcheck', { healthcheck: HEALTH }],
    ['init', { init: false }],
    ['cpu quota', { cpuLimit: 0.25 }],
  ])('changes with %s (ignored on update by provider 3.6.2)', (_what, props) => {
    expect(digest(props)).not.toBe(base);
  });

  test('unchanged by settings updated in place or forcing replacement anyway', () => {
    expect(digest({ memoryMb: 512, cpuShares: 100, maxRestartRetries: 1, user: '1000:1000' })).toBe(base);
  });
});

/** Props that need each opt-out, and what the opt-out changes in the JSON. */
const OPT_OUT_CASES: { [K in keyof Required<HardeningOptOuts>]: { props: Partial<HardenedContainerProps>; effect: (body: any) => void } } = {
  writableRootFilesystem: { props: {}, effect: (b) => expect(b.read_only).toBe(false) },
  runAsRoot: { props: { user: '0:0' }, effect: (b) => expect(b.user).toBe('0:0') },
  privilegedPorts: { props: { ports: [{ internal: 8080, external: 443 }] }, effect: (b) => expect(b.ports[0].external).toBe(443) },
  allInterfaces: { props: { ports: [{ internal: 8080, external: 8080, hostIp: '0.0.0.0' }] }, effect: (b) => expect(b.ports[0].ip).toBe('0.0.0.0') },
  dangerousCapabilities: { props: { addCapabilities: [Capability.SYS_ADMIN] }, effect: (b) => expect(b.capabilities.add).toEqual(['SYS_ADMIN']) },
  unconfinedSeccomp: { props: {}, effect: (b) => expect(b.security_opts).toContain('seccomp=unconfined') },
  unconfinedAppArmor: { props: { appArmorProfile: 'unconfined' }, effect: (b) => expect(b.security_opts).toContain('apparmor=unconfined') },
  unconfinedSelinux: { props: { selinuxLabels: ['disable'] }, effect: (b) => expect(b.security_opts).toContain('label=disable') },
  unconfinedSystemPaths: { props: {}, effect: (b) => expect(b.security_opts).toContain('systempaths=unconfined') },
  allowPrivilegeEscalation: { props: {}, effect: (b) => expect(b.security_opts ?? []).not.toContain('no-new-privileges:true') },
  noHealthcheck: { props: {}, effect: (b) => expect(b).not.toHaveProperty('healthcheck') },
  hostNetwork: { props: { networkMode: 'host' }, effect: (b) => expect(b.network_mode).toBe('host') },
  hostCgroupNamespace: { props: {}, effect: (b) => expect(b.cgroupns_mode).toBe('host') },
  swap: { props: {}, effect: (b) => expect(b.memory_swap).toBe(512) },
  unlimitedRestarts: { props: { restartPolicy: RestartPolicy.ALWAYS }, effect: (b) => expect([b.restart, b.max_retry_count]).toEqual(['always', undefined]) },
  sensitiveHostMounts: { props: { volumes: [{ containerPath: '/host/etc', hostPath: '/etc', readOnly: false }] }, effect: (b) => expect(b.volumes[0].host_path).toBe('/etc') },
  dockerSocket: { props: { volumes: [{ containerPath: '/var/run/docker.sock', hostPath: '/var/run/docker.sock' }] }, effect: (b) => expect(b.volumes[0].read_only).toBe(true) },
  executableTmpfs: { props: { writablePaths: [{ path: '/app/plugins', executable: true }] }, effect: (b) => expect(b.tmpfs['/app/plugins']).toMatch(/^rw,exec,nosuid/) },
  mountOverSystemDirs: { props: { volumes: [{ containerPath: '/etc', volumeName: 'etc', readOnly: false }] }, effect: (b) => expect(b.volumes[0]).toEqual({ container_path: '/etc', volume_name: 'etc', read_only: false }) },
};

describe.each(Object.entries(OPT_OUT_CASES))('opt-out %s', (name, { props, effect }) => {
  const kind = OPT_OUT_RULES[name as keyof HardeningOptOuts].kind;
  const optOuts = { [name]: { reason: REASON } };

  test('changes the JSON as documented', () => {
    effect(synthContainer({ ...props, optOuts }).body);
  });

  test('is recorded as labels (opt-out and rule suppressions) and as scoped suppressions', () => {
    const { body, hc } = synthContainer({ ...props, optOuts });
    const labels = labelsOf(body);
    expect(labels[`hardened-docker.optout.${name}`]).toBe(REASON);
    const suppressedByLabel = Object.keys(labels).filter((k) => k.startsWith('hardened-docker.suppress.') && labels[k] === REASON)
      .map((k) => k.slice('hardened-docker.suppress.'.length));
    expect(suppressedByLabel.length).toBeGreaterThan(0);
    for (const r of suppressedByLabel) expect(OPT_OUT_RULES[name as keyof HardeningOptOuts].rules).toContain(r);
    const scoped = Suppressions.on(hc).filter((s) => s.reason === REASON).map((s) => s.ruleId);
    expect(scoped.sort()).toEqual(suppressedByLabel.filter((r) => builtinRule(r) !== undefined).sort());
    expect(hc.optOutsApplied).toEqual([name]);
  });

  if (kind === 'permission' && name !== 'noHealthcheck') {
    test('without it the prop is refused, naming the path, the value and the opt-out', () => {
      expect(() => synthContainer(props)).toThrow(new RegExp(`\\[stack/web\\] HardenedContainer .*needs an opt-out.*${name}`, 's'));
    });
  }

  if (kind === 'permission') {
    test('given when nothing needs it, it is refused', () => {
      const unneeded = name === 'noHealthcheck' ? { healthcheck: HEALTH } : {};
      expect(() => synthContainer({ ...unneeded, optOuts })).toThrow(new RegExp(`optOuts.${name}`));
    });
  }

  test('under the checks, the rules it weakens are reported suppressed with the reason, never as open findings', () => {
    const { report } = checkedSynth((stack) => {
      new HardenedContainer(stack, 'web', { image: PINNED_IMAGE, healthcheck: name === 'noHealthcheck' ? undefined : HEALTH, ...props, optOuts });
    });
    const rules = OPT_OUT_RULES[name as keyof HardeningOptOuts].rules.filter((r) => builtinRule(r) !== undefined);
    const open = report.findings.filter((f: any) => rules.includes(f.ruleId) && !f.suppressed && f.severity !== 'info');
    expect(open).toEqual([]);
    const suppressed = report.findings.filter((f: any) => rules.includes(f.ruleId) && f.suppressed);
    for (const f of suppressed) expect(f.reason).toContain(REASON);
    if (rules.length) expect(suppressed.length).toBeGreaterThan(0);
  });
});

describe('opt-out validation', () => {
  test('a reason under 10 characters is refused', () => {
    expect(() => synthContainer({ optOuts: { writableRootFilesystem: { reason: 'legacy' } } }))
      .toThrow(/\[stack\/web\] HardenedContainer optOuts.writableRootFilesystem.reason: "legacy" has only 6 visible characters \(at least 10 are needed\)/);
  });

  test('an unknown opt-out is refused with the valid names', () => {
    expect(() => synthContainer({ optOuts: { privileged: { reason: REASON } } as any })).toThrow(/is not an opt-out.*writableRootFilesystem/);
  });

  test('noHealthcheck contradicts a healthcheck', () => {
    expect(() => synthContainer({ healthcheck: HEALTH, optOuts: { noHealthcheck: { reason: REASON } } })).toThrow(/contradicts/);
  });

  test('root keeps no pids-limit suppression (RLIMIT_NPROC does not bind root)', () => {
    const { body, hc } = synthContainer({ user: '0', optOuts: { runAsRoot: { reason: REASON } } });
    expect(labelsOf(body)).not.toHaveProperty('hardened-docker.suppress.pids-limit');
    expect(Suppressions.on(hc).map((s) => s.ruleId)).not.toContain('pids-limit');
  });

  test('SYS_RESOURCE (which bypasses RLIMIT_NPROC) keeps no pids-limit suppression', () => {
    const { body } = synthContainer({ addCapabilities: [Capability.SYS_RESOURCE], optOuts: { dangerousCapabilities: { reason: REASON } } });
    expect(labelsOf(body)).not.toHaveProperty('hardened-docker.suppress.pids-limit');
  });

  test('a capability in Docker\'s default set outside the profile suppresses no rule it does not trip', () => {
    const { body } = synthContainer({ addCapabilities: [Capability.NET_RAW], optOuts: { dangerousCapabilities: { reason: REASON } } });
    const labels = labelsOf(body);
    expect(labels).not.toHaveProperty('hardened-docker.suppress.no-dangerous-capabilities');
    expect(labels).not.toHaveProperty('hardened-docker.suppress.no-added-capabilities');
    expect(labels['hardened-docker.optout.dangerousCapabilities']).toBe(REASON);
  });

  test('a read-only sensitive mount suppresses only the read-only rule', () => {
    const { body } = synthContainer({
      volumes: [{ containerPath: '/etc/localtime', hostPath: '/etc/localtime' }],
      optOuts: { sensitiveHostMounts: { reason: REASON } },
    });
    expect(Object.keys(labelsOf(body)).filter((k) => k.startsWith('hardened-docker.suppress.') && k.includes('sensitive'))).toEqual(['hardened-docker.suppress.no-sensitive-host-mounts-read-only']);
  });
});

describe('validation errors name the path, the value and the valid form', () => {
  test.each<[string, Partial<HardenedContainerProps>, RegExp]>([
    ['memory below 6 MiB', { memoryMb: 4 }, /memoryMb: 4 is not valid\. Valid: an integer number of MiB, at least 6/],
    ['fractional memory', { memoryMb: 100.5 }, /memoryMb: 100\.5/],
    ['cpu 0', { cpuLimit: 0 }, /cpuLimit: 0 .*0\.01 to 256/],
    ['cpu absurd', { cpuLimit: 10000 }, /cpuLimit: 10000/],
    ['cpu shares', { cpuShares: 1 }, /cpuShares: 1 /],
    ['port 0', { ports: [{ internal: 0 }] }, /ports\[0\]\.internal: 0 .*1 to 65535/],
    ['port 70000', { ports: [{ internal: 80, external: 70000 }] }, /ports\[0\]\.external: 70000/],
    ['bad host IP', { ports: [{ internal: 80, hostIp: 'localhost' }] }, /ports\[0\]\.hostIp: "localhost" .*IP address/],
    ['duplicate binding', { ports: [{ internal: 80, external: 8080 }, { internal: 81, external: 8080 }] }, /published twice/],
    ['user name', { user: 'app' }, /user: "app" .*numeric UID\[:GID\]/],
    ['user root by name', { user: 'root' }, /user: "root" .*"0:0" with the runAsRoot opt-out/],
    ['root without opt-out', { user: '0:0' }, /user: "0:0" needs an opt-out.*runAsRoot/],
    ['relative writable path', { writablePaths: [{ path: 'cache' }] }, /writablePaths\[0\]\.path: "cache" .*absolute path/],
    ['dotdot writable path', { writablePaths: [{ path: '/a/../etc' }] }, /writablePaths\[0\]\.path/],
    ['root writable path', { writablePaths: [{ path: '/' }] }, /not "\/"/],
    ['duplicate /tmp', { writablePaths: [{ path: '/tmp' }] }, /given twice/],
    ['writable size 0', { writablePaths: [{ path: '/c', sizeMb: 0 }] }, /writablePaths\[0\]\.sizeMb: 0/],
    ['mode out of range', { writablePaths: [{ path: '/c', mode: 0o17777 }] }, /writablePaths\[0\]\.mode/],
    ['tmpfs size', { tmpfsSizeMb: -1 }, /tmpfsSizeMb: -1/],
    ['nproc 0', { maxProcesses: 0 }, /maxProcesses: 0/],
    ['nofile', { maxOpenFiles: 1.5 }, /maxOpenFiles: 1\.5/],
    ['retries 6', { maxRestartRetries: 6 }, /maxRestartRetries: 6 .*0 to 5 \(CIS 5\.15\)/],
    ['retries without on-failure', { restartPolicy: RestartPolicy.NO, maxRestartRetries: 2 }, /only with RestartPolicy.ON_FAILURE/],
    ['log size', { logMaxSize: '10MB' }, /logMaxSize: "10MB" .*digits then k, m or g/],
    ['log files', { logMaxFiles: 0 }, /logMaxFiles: 0/],
    ['seccomp not JSON', { seccompProfileJson: '{not json' }, /seccompProfileJson: "\{not json" is not JSON/],
    ['seccomp without defaultAction', { seccompProfileJson: '[]' }, /seccompProfileJson: "\[\]" .*defaultAction/],
    ['seccomp and unconfined', { seccompProfileJson: '{"defaultAction":"SCMP_ACT_ERRNO"}', optOuts: { unconfinedSeccomp: { reason: REASON } } }, /not both/],
    ['capability name', { addCapabilities: ['CAP_SYS_ADMIN' as Capability] }, /addCapabilities: "CAP_SYS_ADMIN" is not a Linux capability name/],
    ['dangerous capability', { addCapabilities: [Capability.NET_ADMIN] }, /addCapabilities: "NET_ADMIN" needs an opt-out.*is dangerous.*dangerousCapabilities/],
    ['name', { name: '-bad' }, /name: "-bad"/],
    ['healthcheck with CMD', { healthcheck: { command: ['CMD', 'true'] } }, /without "CMD"/],
    ['empty healthcheck', { healthcheck: { command: [] } }, /healthcheck\.command: \[\]/],
    ['healthcheck interval', { healthcheck: { command: ['true'], intervalSeconds: 0 } }, /intervalSeconds: 0/],
    ['volume both sources', { volumes: [{ containerPath: '/d', volumeName: 'v', hostPath: '/srv' }] }, /exactly one of volumeName and hostPath/],
    ['volume relative host path', { volumes: [{ containerPath: '/d', hostPath: 'srv' }] }, /volumes\[0\]\.hostPath: "srv"/],
    ['docker socket', { volumes: [{ containerPath: '/s', hostPath: '/run/docker.sock' }] }, /dockerSocket/],
    ['sensitive read-only', { volumes: [{ containerPath: '/h', hostPath: '/proc' }] }, /sensitiveHostMounts/],
    ['swap without opt-out', { memorySwapMb: 512 }, /memorySwapMb: 512 allows swap/],
    ['ports with network none', { networkMode: 'none', ports: [{ internal: 80 }] }, /cannot publish ports/],
    ['reserved label', { labels: { 'hardened-docker.suppress.no-privileged': 'because I say so' } }, /reserved/],
    ['env name', { env: { 'A=B': 'x' } }, /env: "A=B"/],
    ['working dir', { workingDir: 'srv' }, /workingDir: "srv"/],
    ['image empty', { image: '' }, /image: ""/],
    ['restart policy', { restartPolicy: 'sometimes' as RestartPolicy }, /restartPolicy: "sometimes" .*one of no, on-failure/],
    ['SELinux label disable', { selinuxLabels: ['disable'] }, /selinuxLabels\[0\]: "disable" needs an opt-out.*"type:container_t".*turns SELinux confinement off.*unconfinedSelinux/],
    ['SELinux label without a key', { selinuxLabels: ['type:container_t', 'container_t'] }, /selinuxLabels\[1\]: "container_t" is not valid\. Valid: "user:<user>", "role:<role>", "type:<type>" or "level:<level>"/],
    ['SELinux labels not a list', { selinuxLabels: 'type:container_t' as any }, /selinuxLabels: "type:container_t" is not valid\. Valid: a list of SELinux labels/],
    ['host cgroup namespace without a reason', { optOuts: { hostCgroupNamespace: true as any } },
      /optOuts\.hostCgroupNamespace: true is not valid\. Valid: \{ reason: '<why this is acceptable here>' \}/],
    ['host cgroup namespace with a placeholder reason', { optOuts: { hostCgroupNamespace: { reason: 'TODO: ...' } } },
      /optOuts\.hostCgroupNamespace\.reason: "TODO: \.\.\." is a placeholder.*Valid: /],
  ])('%s', (_what, props, message) => {
    let error: Error | undefined;
    try {
      synthContainer(props);
    } catch (e: any) {
      error = e;
    }
    expect(error?.message).toMatch(/^\[stack\/web\] HardenedContainer /);
    expect(error?.message).toMatch(message);
  });
});

describe('tokens are accepted unvalidated and stay expressions', () => {
  test('numbers, strings and the digest', () => {
    const { body } = synthContainer({}, () => undefined);
    expect(body.memory).toBe(256);
    const stack = newStack();
    const mem = new TerraformVariable(stack, 'mem', { type: 'number' });
    const cpu = new TerraformVariable(stack, 'cpu', { type: 'number' });
    const user = new TerraformVariable(stack, 'user', { type: 'string' });
    const size = new TerraformVariable(stack, 'size', { type: 'number' });
    const hc = new HardenedContainer(stack, 'web', {
      image: 'x', memoryMb: mem.numberValue, cpuLimit: cpu.numberValue, user: user.stringValue, tmpfsSizeMb: size.numberValue,
    });
    const json = JSON.parse(Testing.synth(stack));
    const b = Object.values<any>(json.resource.docker_container)[0];
    expect(b.memory).toBe('${var.mem}');
    expect(b.memory_swap).toBe('${var.mem}');
    expect(b.cpu_quota).toBe('${floor((var.cpu * 100000))}');
    expect(b.user).toBe('${var.user}');
    expect(b.tmpfs['/tmp']).toBe('rw,noexec,nosuid,nodev,size=${var.size}m');
    const labels = labelsOf(b);
    expect(labels['hardened-docker.settings-digest']).toMatch(/^\$\{sha256\(jsonencode\(/);
    // A token user may be root: no pids-limit stand-in is claimed, and a runAsRoot opt-out is accepted.
    expect(labels).not.toHaveProperty('hardened-docker.suppress.pids-limit');
    expect(hc.containerName).toMatch(/^web-/);
  });
});

describe('under DockerSecurityChecks (hardened profile)', () => {
  test('a default HardenedContainer with a healthcheck: no error, no warning; pids-limit suppressed with the stand-in', () => {
    const { report } = checkedSynth((stack) => {
      new HardenedContainer(stack, 'web', { image: PINNED_IMAGE, healthcheck: HEALTH, ports: [{ internal: 8080, external: 8080 }] });
    });
    expect(openFindings(report, 'error')).toEqual([]);
    expect(openFindings(report, 'warning')).toEqual([]);
    const pids = report.findings.filter((f: any) => f.ruleId === 'pids-limit');
    expect(pids).toHaveLength(1);
    expect(pids[0].suppressed).toBe(true);
    expect(pids[0].reason).toMatch(/nproc ulimit 256 for UID 10001/);
  });

  test('without a healthcheck: exactly one warning, the healthcheck rule, saying how to add one', () => {
    const { report } = checkedSynth((stack) => {
      new HardenedContainer(stack, 'web', { image: PINNED_IMAGE });
    });
    expect(openFindings(report, 'error')).toEqual([]);
    const warnings = openFindings(report, 'warning');
    expect(warnings.map((f: any) => f.ruleId)).toEqual(['healthcheck']);
    expect(warnings[0].remediation).toMatch(/healthcheck/);
  });

  test('addOverride("privileged", true) on .container fails synth', () => {
    expect(() => checkedSynth((stack) => {
      const hc = new HardenedContainer(stack, 'web', { image: PINNED_IMAGE, healthcheck: HEALTH });
      hc.container.addOverride('privileged', true);
    })).toThrow(/stack\/web.*no-privileged/s);
  });

  test('an override that undoes a default (read_only false) fails synth too', () => {
    expect(() => checkedSynth((stack) => {
      const hc = new HardenedContainer(stack, 'web', { image: PINNED_IMAGE, healthcheck: HEALTH });
      hc.container.addOverride('read_only', false);
    })).toThrow(/read-only-rootfs/);
  });
});
