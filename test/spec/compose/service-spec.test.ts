import * as path from 'path';
import { cleanupProjects, project, services, web } from './helpers';
import { loadComposeProject } from '../../../src/spec/compose/load';
import { composeServiceSpec, parseBytes, parsePortShort } from '../../../src/spec/compose/service-spec';
import { ComposeError } from '../../../src/spec/compose/tree';
import { ResourceKind, SpecSource, UnknownCause } from '../../../src/spec/container-spec';

afterEach(cleanupProjects);

const svc = (body: string) => `services:\n  web:\n    image: app\n${body.split('\n').map((l) => `    ${l}`).join('\n')}\n`;

describe('each setting, short and long syntax', () => {
  test('a service is a container spec of the compose source, addressed services.<name>', () => {
    const spec = web(svc('container_name: front'));
    expect(spec).toMatchObject({ kind: ResourceKind.CONTAINER, source: SpecSource.COMPOSE, address: 'services.web', name: 'front', image: 'app' });
  });

  test('scalars: privileged, user, read_only, init, runtime, namespaces, cgroup', () => {
    const spec = web(svc([
      'privileged: true', 'user: "1000:1000"', 'read_only: "true"', 'init: true', 'runtime: runsc', 'network_mode: host', 'ipc: host',
      'pid: host', 'uts: host', 'userns_mode: host', 'cgroup: host', 'cgroup_parent: /system.slice',
    ].join('\n')));
    expect(spec).toMatchObject({
      privileged: true,
      user: '1000:1000',
      readOnly: true,
      init: true,
      runtime: 'runsc',
      networkMode: 'host',
      ipcMode: 'host',
      pidMode: 'host',
      utsMode: 'host',
      usernsMode: 'host',
      cgroupnsMode: 'host',
      cgroupParent: '/system.slice',
    });
  });

  test('a user given as a number reads as text', () => {
    expect(web(svc('user: 1000')).user).toBe('1000');
  });

  test('lists: cap_add, cap_drop, security_opt, group_add, device_cgroup_rules left to the engine', () => {
    const spec = web(svc('cap_add: [NET_ADMIN]\ncap_drop:\n  - ALL\nsecurity_opt:\n  - no-new-privileges:true\n  - seccomp=unconfined\ngroup_add: [docker]'));
    expect(spec).toMatchObject({ capAdd: ['NET_ADMIN'], capDrop: ['ALL'], securityOpts: ['no-new-privileges:true', 'seccomp=unconfined'], groupAdd: ['docker'] });
  });

  test('tmpfs: a string or a list, with options', () => {
    expect(web(svc('tmpfs: /run')).tmpfs).toEqual([{ path: '/run' }]);
    expect(web(svc('tmpfs:\n  - /tmp:rw,noexec,nosuid,size=64m\n  - /run')).tmpfs).toEqual([
      { path: '/tmp', options: 'rw,noexec,nosuid,size=64m' }, { path: '/run' },
    ]);
  });

  test('volumes, short syntax: bind (relative resolves against the project), named, anonymous, ro and propagation', () => {
    const dir = project({ 'compose.yaml': svc('volumes:\n  - /var/run/docker.sock:/var/run/docker.sock:ro\n  - ./data:/data:rw,rshared\n  - cache:/cache\n  - /scratch') });
    const spec = services(dir).get('web')!.spec;
    expect(spec.mounts).toEqual([
      { type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: true, propagation: undefined },
      { type: 'bind', source: path.join(dir, 'data'), target: '/data', readOnly: undefined, propagation: 'rshared' },
      { type: 'volume', source: 'cache', target: '/cache', readOnly: undefined, propagation: undefined },
      { type: 'volume', target: '/scratch' },
    ]);
  });

  test('volumes, long syntax: bind with propagation and read_only, volume, tmpfs (also a tmpfs of the spec)', () => {
    const spec = web(svc([
      'volumes:',
      '  - type: bind', '    source: /etc', '    target: /host-etc', '    read_only: true', '    bind:', '      propagation: shared',
      '  - type: volume', '    source: db', '    target: /var/lib/db',
      '  - type: tmpfs', '    target: /tmp', '    tmpfs:', '      size: 1000000',
    ].join('\n')));
    expect(spec.mounts).toEqual([
      { type: 'bind', source: '/etc', target: '/host-etc', readOnly: true, propagation: 'shared' },
      { type: 'volume', source: 'db', target: '/var/lib/db', readOnly: undefined, propagation: undefined },
      { type: 'tmpfs', source: undefined, target: '/tmp', readOnly: undefined, propagation: undefined },
    ]);
    expect(spec.tmpfs).toEqual([{ path: '/tmp', options: 'size=1000000', fromMount: true }]);
  });

  test('ports, short syntax: every form; long syntax with host_ip and mode', () => {
    const spec = web(svc([
      'ports:', '  - "3000"', '  - 8080:80', '  - "127.0.0.1:8443:443"', '  - "[::1]:6001:6001/udp"', '  - "127.0.0.1::5000"', '  - "9090-9091:8080-8081"',
      '  - target: 22', '    published: "2222"', '    host_ip: 10.0.0.1', '    protocol: tcp', '    mode: host',
    ].join('\n')));
    expect(spec.ports).toEqual([
      { internal: 3000, external: undefined, ip: undefined, protocol: undefined },
      { internal: 80, external: 8080, ip: undefined, protocol: undefined },
      { internal: 443, external: 8443, ip: '127.0.0.1', protocol: undefined },
      { internal: 6001, external: 6001, ip: '::1', protocol: 'udp' },
      { internal: 5000, external: undefined, ip: '127.0.0.1', protocol: undefined },
      { internal: 8080, external: 9090, ip: undefined, protocol: undefined },
      { internal: 8081, external: 9091, ip: undefined, protocol: undefined },
      { internal: 22, external: 2222, ip: '10.0.0.1', protocol: 'tcp', publishMode: 'host' },
    ]);
  });

  test('a malformed port names its file, line and column and the valid form', () => {
    expect(() => web(svc('ports:\n  - "80:80:80:80"'))).toThrow(/^compose\.yaml:5:9: services\.web\.ports: "80:80:80:80" is not "\[HOST_IP:\]\[HOST_PORT:\]CONTAINER_PORT/);
  });

  test('networks as a list or a map; devices short and long; gpus and GPU reservations', () => {
    expect(web(svc('networks: [front, back]')).networks).toEqual(['front', 'back']);
    expect(web(svc('networks:\n  front:\n    aliases: [a]\n  back:')).networks).toEqual(['front', 'back']);
    expect(web(svc('devices:\n  - /dev/fuse\n  - /dev/sda:/dev/xvda:rwm\n  - source: /dev/kvm\n    target: /dev/kvm\n    permissions: rw')).devices).toEqual([
      { hostPath: '/dev/fuse', containerPath: undefined, permissions: undefined },
      { hostPath: '/dev/sda', containerPath: '/dev/xvda', permissions: 'rwm' },
      { hostPath: '/dev/kvm', containerPath: '/dev/kvm', permissions: 'rw' },
    ]);
    expect(web(svc('gpus: all')).gpus).toBe('all');
    expect(web(svc('deploy:\n  resources:\n    reservations:\n      devices:\n        - capabilities: [gpu]\n          count: 1')).gpus).toBe('1');
  });

  test('resources: top-level keys and deploy.resources.limits; sizes in compose units', () => {
    expect(web(svc('pids_limit: 100\nmem_limit: 512m\nmemswap_limit: 1g\ncpus: "0.5"\ncpu_shares: 512\ncpu_quota: 50000\ncpu_period: 100000'))).toMatchObject({
      pidsLimit: 100, memoryBytes: 512 * 1024 ** 2, memorySwapBytes: 1024 ** 3, nanoCpus: 5e8, cpuShares: 512, cpuQuota: 50000, cpuPeriod: 100000,
    });
    expect(web(svc('deploy:\n  replicas: 2\n  resources:\n    limits:\n      cpus: "1.5"\n      memory: 256M\n      pids: 50'))).toMatchObject({
      nanoCpus: 1.5e9, memoryBytes: 256 * 1024 ** 2, pidsLimit: 50, replicas: 2,
    });
  });

  test('ulimits as a number or soft/hard; sysctls and labels as a map or a list', () => {
    const spec = web(svc('ulimits:\n  nproc: 512\n  nofile:\n    soft: 1024\n    hard: 2048\nsysctls:\n  - net.ipv4.ip_forward=1\nlabels:\n  a: b'));
    expect(spec.ulimits).toEqual([{ name: 'nproc', soft: 512, hard: 512 }, { name: 'nofile', soft: 1024, hard: 2048 }]);
    expect(spec.sysctls).toEqual({ 'net.ipv4.ip_forward': '1' });
    expect(spec.labels).toEqual({ a: 'b' });
  });

  test('healthcheck: list or string test, timings, disable: true', () => {
    expect(web(svc('healthcheck:\n  test: ["CMD", "true"]\n  interval: 30s\n  retries: 3')).healthcheck).toEqual({
      test: ['CMD', 'true'], interval: '30s', timeout: undefined, startPeriod: undefined, retries: 3,
    });
    expect(web(svc('healthcheck:\n  test: curl -f localhost')).healthcheck?.test).toEqual(['CMD-SHELL', 'curl -f localhost']);
    expect(web(svc('healthcheck:\n  disable: true')).healthcheck).toEqual({ test: ['NONE'] });
  });

  test('restart, on-failure:N, and deploy.restart_policy', () => {
    expect(web(svc('restart: on-failure:5'))).toMatchObject({ restartPolicy: 'on-failure', maxRetryCount: 5 });
    expect(web(svc('restart: unless-stopped')).restartPolicy).toBe('unless-stopped');
    expect(web(svc('deploy:\n  restart_policy:\n    condition: any'))).toMatchObject({ restartPolicy: 'always' });
    expect(web(svc('deploy:\n  restart_policy:\n    condition: on-failure\n    max_attempts: 3'))).toMatchObject({ restartPolicy: 'on-failure', maxRetryCount: 3 });
  });

  test('logging, and suppression labels', () => {
    const spec = web(svc('logging:\n  driver: json-file\n  options:\n    max-size: 10m\nlabels:\n  hardened-docker.suppress.published-ports: "reviewed: the proxy needs it"'));
    expect(spec).toMatchObject({ logDriver: 'json-file', logOpts: { 'max-size': '10m' } });
    expect(spec.suppressions).toEqual([{ ruleId: 'published-ports', reason: 'reviewed: the proxy needs it', origin: 'label "hardened-docker.suppress.published-ports"' }]);
  });

  test('a setting of the wrong shape is a positioned error with the valid form', () => {
    expect(() => web(svc('privileged: maybe'))).toThrow(ComposeError);
    expect(() => web(svc('privileged: maybe'))).toThrow(/^compose\.yaml:4:17: services\.web\.privileged: expected true or false, got "maybe"/);
    expect(() => web(svc('mem_limit: lots'))).toThrow(/services\.web\.mem_limit: expected a size/);
  });
});

describe('unknown values: a variable without a value', () => {
  test('a scalar is unknown, with the variable as its cause; with the variable set it is known', () => {
    const spec = web(svc('privileged: ${PRIV}\nmem_limit: ${MEM:-256m}'));
    expect(spec.privileged).toBeUndefined();
    expect(spec.unknown).toEqual(['privileged']);
    expect(spec.unknownCauses).toEqual([{ field: 'privileged', cause: UnknownCause.VARIABLE, variables: ['PRIV'] }]);
    expect(spec.memoryBytes).toBe(256 * 1024 ** 2);
    expect(web(svc('privileged: ${PRIV}'), { PRIV: 'true' })).toMatchObject({ privileged: true });
  });

  test('an unknown list item is left out, and the known ones are kept; a mount whose source alone is unknown is kept', () => {
    const spec = web(svc('volumes:\n  - ${SRC}:/data\n  - /var/run/docker.sock:/var/run/docker.sock\nports:\n  - ${PORT}:80\n  - 8080:8080'));
    expect(spec.mounts?.map((m) => m.source)).toEqual([undefined, '/var/run/docker.sock']);
    expect(spec.mounts?.[0]).toMatchObject({ target: '/data', unknown: ['type', 'source'] });
    expect(spec.ports?.map((p) => p.external)).toEqual([8080]);
    expect(spec.unknown).toEqual(expect.arrayContaining(['mounts', 'ports']));
    const whole = web(svc('volumes:\n  - ${SPEC}\n  - /srv:/srv'));
    expect(whole.mounts?.map((m) => m.source)).toEqual(['/srv']);
    expect(whole.unknown).toEqual(expect.arrayContaining(['mounts', 'tmpfs']));
  });
});

describe('unknown values: a whole list, mapping or service that needs a variable without a value', () => {
  test('a list or a mapping written as one unknown value is that setting unknown, not a malformed service', () => {
    const spec = web(svc('privileged: true\nvolumes: ${VOLS}\nports: ${PORTS}\nhealthcheck: ${HC}\nlabels: ${LABELS}\ndeploy: ${DEPLOY}'));
    expect(spec.privileged).toBe(true);
    expect(spec.unknown).toEqual(expect.arrayContaining(['mounts', 'tmpfs', 'ports', 'healthcheck', 'labels', 'memoryBytes']));
    expect(spec.unknownCauses).toEqual(expect.arrayContaining([
      { field: 'mounts', cause: UnknownCause.VARIABLE, variables: ['VOLS'] },
      { field: 'memoryBytes', cause: UnknownCause.VARIABLE, variables: ['DEPLOY'] },
    ]));
    // A deploy that may hold a restart_policy replaces `restart`: the policy is not known.
    expect(web(svc('restart: always\ndeploy: ${DEPLOY}')).unknown).toEqual(expect.arrayContaining(['restartPolicy', 'maxRetryCount']));
    // Given a value, the same text is a string where a list is due: still an error, as compose says.
    expect(() => web(svc('volumes: ${VOLS}'), { VOLS: '/a:/a' })).toThrow(/services\.web\.volumes: expected a list/);
  });

  test('a service written as one unknown value cannot be read (a positioned error naming why); a service joining it does not know what it joins', () => {
    const dir = project({
      'compose.yaml': 'services:\n  side: ${SIDE}\n  web:\n    image: app\n    volumes_from: [side]\n    network_mode: service:side\n',
    });
    const loaded = loadComposeProject([path.join(dir, 'compose.yaml')], { cwd: dir, env: {} });
    const side = loaded.services.find((x) => x.name === 'side')!;
    expect(() => composeServiceSpec(side, 'compose.yaml')).toThrow(/^compose\.yaml:2:9: services\.side: its settings depend on \$\{SIDE\}, not set/);
    const spec = composeServiceSpec(loaded.services.find((x) => x.name === 'web')!, 'compose.yaml').spec;
    expect(spec.unknown).toEqual(expect.arrayContaining(['mounts', 'networkMode']));
  });
});

describe('parsers', () => {
  test.each([['512', 512], ['1k', 1024], ['1kb', 1024], ['2M', 2 * 1024 ** 2], ['1.5g', 1.5 * 1024 ** 3], ['10b', 10]])('bytes %s = %d', (t, n) => {
    expect(parseBytes(t)).toBe(n);
  });
  test.each(['', 'lots', '1t', '-1m'])('bytes %j is not a size', (t) => expect(parseBytes(t)).toBeUndefined());
  test.each(['80:80:80:80', 'a:80', '80:', '1.2.3.4:80:'])('port %j is not a port', (t) => expect(parsePortShort(t)).toBeUndefined());
});

describe('positions', () => {
  test('a tmpfs written as a volume is located at volumes:, a tmpfs: key wins over it', () => {
    const dir = project({ 'compose.yaml': svc('volumes:\n  - type: tmpfs\n    target: /tmp') });
    expect(services(dir).get('web')!.positions.get('tmpfs')).toEqual({ file: 'compose.yaml', line: 4, column: 5 });
    const both = project({ 'compose.yaml': svc('volumes:\n  - type: tmpfs\n    target: /tmp\ntmpfs: /run') });
    expect(services(both).get('web')!.positions.get('tmpfs')).toEqual({ file: 'compose.yaml', line: 7, column: 5 });
  });
});

describe('list-or-map settings', () => {
  test('a label key may hold a colon: a list item splits at its first =', () => {
    expect(web(svc('labels:\n  - "com.example:tier=front"\n  - traefik.http.routers.a.rule=Host(`a.example`)')).labels).toEqual({
      'com.example:tier': 'front', 'traefik.http.routers.a.rule': 'Host(`a.example`)',
    });
  });
});
