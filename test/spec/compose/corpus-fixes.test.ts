/**
 * Compose-reader behaviour that KICS's compose fixtures and the real-world compose corpus (test/compose-corpus)
 * showed wrong: each case here failed before its fix.
 */
import { cleanupProjects, project, services, web } from './helpers';
import { builtinRule } from '../../../src/rules/catalog';
import { RuleStatus } from '../../../src/rules/rule';
import { ContainerSpec, UnknownCause } from '../../../src/spec/container-spec';

afterEach(cleanupProjects);

const svc = (body: string, tail = '') => `services:\n  web:\n    image: app\n${body.split('\n').map((l) => `    ${l}`).join('\n')}\n${tail}`;

function status(ruleId: string, spec: ContainerSpec): RuleStatus {
  const rule = builtinRule(ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  return rule.check(spec).status;
}

describe('deploy.restart_policy replaces restart, as docker compose builds the container', () => {
  test('its max_attempts wins over restart\'s count, both ways', () => {
    const both = (restart: string, attempts: number) =>
      web(svc(`restart: ${restart}\ndeploy:\n  restart_policy:\n    condition: on-failure\n    max_attempts: ${attempts}`));
    expect(both('on-failure:5', 10)).toMatchObject({ restartPolicy: 'on-failure', maxRetryCount: 10 });
    expect(status('restart-retries', both('on-failure:5', 10))).toBe(RuleStatus.FAIL);
    expect(both('on-failure:10', 5)).toMatchObject({ restartPolicy: 'on-failure', maxRetryCount: 5 });
    expect(status('restart-retries', both('on-failure:10', 5))).toBe(RuleStatus.PASS);
  });

  test('a restart_policy without max_attempts leaves no count, whatever restart said', () => {
    const spec = web(svc('restart: on-failure:3\ndeploy:\n  restart_policy:\n    condition: on-failure'));
    expect(spec.restartPolicy).toBe('on-failure');
    expect(spec.maxRetryCount).toBeUndefined();
    expect(status('restart-retries', spec)).toBe(RuleStatus.FAIL);
  });
});

describe('port ranges', () => {
  test('a host range and a container range of different lengths are refused at the setting, as Docker refuses them; equal lengths are read', () => {
    expect(() => web(svc('ports:\n  - "90-9091:8080-8081"'))).toThrow(/^compose\.yaml:5:9: services\.web\.ports: the host range 90-9091 and the container range 8080-8081 differ in length/);
    expect(() => web(svc('ports:\n  - target: 80-81\n    published: 8000-8005'))).toThrow(/differ in length/);
    // Equal lengths map port for port; one container port may take a host range.
    expect(web(svc('ports:\n  - "127.0.0.1:9000-9001:8080-8081"')).ports?.map((p) => [p.external, p.internal])).toEqual([[9000, 8080], [9001, 8081]]);
    expect(web(svc('ports:\n  - "127.0.0.1:12400-12500:124"')).ports?.map((p) => [p.external, p.internal])).toEqual([[12400, 124]]);
  });
});

describe('long-syntax mounts: an attribute without a value is unknown on its item alone', () => {
  const bind = (source: string, propagation: string) =>
    svc(`volumes:\n  - type: bind\n    source: ${source}\n    target: /data\n    bind:\n      propagation: ${propagation}`);

  test('a source from a variable leaves a literal propagation judged (rshared fails, private passes) and the host path unknown', () => {
    const shared = web(bind('$ENVVAR/data', 'rshared'));
    expect(shared.mounts).toEqual([{ type: 'bind', source: undefined, target: '/data', readOnly: undefined, propagation: 'rshared', unknown: ['source'] }]);
    expect(shared.listedInFull).toEqual(['mounts']);
    expect(status('no-shared-mount-propagation', shared)).toBe(RuleStatus.FAIL);
    expect(status('no-shared-mount-propagation', web(bind('$ENVVAR/data', 'private')))).toBe(RuleStatus.PASS);
    // The unknown source still leaves the host path unknown, never a pass.
    const spec = web(bind('$ENVVAR/data', 'private'));
    expect(status('no-sensitive-host-mounts', spec)).toBe(RuleStatus.UNKNOWN);
    expect(status('no-docker-socket', spec)).toBe(RuleStatus.UNKNOWN);
    expect(status('no-sensitive-host-mounts', web(bind('/srv/data', 'private')))).toBe(RuleStatus.PASS);
  });

  test('a type from a variable may be a tmpfs: the tmpfs list is unknown as a whole', () => {
    const spec = web(svc('volumes:\n  - type: ${KIND}\n    source: data\n    target: /data'));
    expect(spec.mounts?.[0]).toMatchObject({ type: '', target: '/data', unknown: ['type'] });
    expect(spec.unknown).toEqual(expect.arrayContaining(['mounts', 'tmpfs']));
    expect(spec.listedInFull).toEqual(['mounts']);
  });
});

describe('a named volume that binds a host directory (local driver, o: bind, device)', () => {
  const volumes = (device: string, extra = '') =>
    `volumes:\n  sock:\n${extra}    driver_opts:\n      type: none\n      o: bind\n      device: ${device}\n`;

  test('is a bind of its device, in the short and the long syntax', () => {
    const short = web(svc('volumes:\n  - sock:/var/run/docker.sock', volumes('/var/run/docker.sock')));
    expect(short.mounts).toEqual([{ type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: undefined, propagation: undefined }]);
    expect(status('no-docker-socket', short)).toBe(RuleStatus.FAIL);
    const long = web(svc('volumes:\n  - type: volume\n    source: sock\n    target: /etc/host', volumes('/etc')));
    expect(long.mounts?.[0]).toMatchObject({ type: 'bind', source: '/etc' });
    expect(status('no-sensitive-host-mounts', long)).toBe(RuleStatus.FAIL);
  });

  test('a device from a variable without a value is an unknown host path; another driver stays a volume', () => {
    const unknown = web(svc('volumes:\n  - sock:/data', volumes('${DEVICE}')));
    expect(unknown.mounts?.[0]).toMatchObject({ type: 'bind', source: undefined, unknown: ['source'] });
    expect(status('no-docker-socket', unknown)).toBe(RuleStatus.UNKNOWN);
    expect(web(svc('volumes:\n  - sock:/data', volumes('${DEVICE}')), { DEVICE: '/srv' }).mounts?.[0]).toMatchObject({ type: 'bind', source: '/srv' });
    const plugin = web(svc('volumes:\n  - sock:/data', volumes('/etc', '    driver: local-persist\n')));
    expect(plugin.mounts?.[0]).toMatchObject({ type: 'volume', source: 'sock' });
  });
});

describe('short-syntax mounts: a source alone from a variable without a value', () => {
  test('keeps the item with its target and mode read: a literal rshared fails, the host path stays unknown', () => {
    const spec = web(svc('volumes:\n  - ${CONFIG}/jvb:/config:rshared'));
    expect(spec.mounts).toEqual([{ type: 'bind', source: undefined, target: '/config', readOnly: undefined, propagation: 'rshared', unknown: ['source'] }]);
    expect(spec.listedInFull).toEqual(['mounts']);
    expect(status('no-shared-mount-propagation', spec)).toBe(RuleStatus.FAIL);
    expect(status('no-sensitive-host-mounts', spec)).toBe(RuleStatus.UNKNOWN);
    expect(status('no-docker-socket', spec)).toBe(RuleStatus.UNKNOWN);
  });

  test('a source without a / may be a volume name: the type is unknown too; a target from a variable leaves the whole item unknown', () => {
    expect(web(svc('volumes:\n  - ${DATA}:/data:ro')).mounts?.[0]).toMatchObject({ type: '', target: '/data', readOnly: true, unknown: ['type', 'source'] });
    const target = web(svc('volumes:\n  - /srv:${TARGET}'));
    expect(target.mounts).toEqual([]);
    expect(target.listedInFull).toBeUndefined();
    expect(status('no-shared-mount-propagation', web(svc('volumes:\n  - ${DATA}:/data:ro')))).toBe(RuleStatus.PASS);
  });
});

describe('include', () => {
  test('an included file is interpolated from its own project\'s .env (or the include\'s env_file), under the environment', () => {
    const dir = project({
      'compose.yaml': 'include:\n  - sub/compose.yaml\n  - path: other/compose.yaml\n    env_file: other.env\nservices:\n  web:\n    image: app\n    privileged: ${PRIV}\n',
      'sub/compose.yaml': 'services:\n  agent:\n    image: agent\n    privileged: ${PRIV}\n    volumes:\n      - ${SOCK}:/var/run/docker.sock\n',
      'sub/.env': 'PRIV=true\nSOCK=/var/run/docker.sock\n',
      'other/compose.yaml': 'services:\n  tool:\n    image: tool\n    network_mode: ${MODE}\n',
      'other.env': 'MODE=host\n',
    });
    const all = services(dir);
    expect(all.get('agent')!.spec.privileged).toBe(true);
    expect(status('no-docker-socket', all.get('agent')!.spec)).toBe(RuleStatus.FAIL);
    expect(all.get('tool')!.spec.networkMode).toBe('host');
    // The including project's own variables stay its own: PRIV has no value there.
    expect(all.get('web')!.spec.unknown).toEqual(['privileged']);
    expect(services(dir, ['compose.yaml'], { env: { PRIV: 'false' } }).get('agent')!.spec.privileged).toBe(false);
  });

  test('a file that includes itself, or a cycle of includes, is an error at the include item that closes it', () => {
    const self = project({ 'compose.yaml': 'include:\n  - compose.yaml\nservices:\n  web:\n    image: app\n' });
    expect(() => services(self)).toThrow(/^compose\.yaml:2:5: include: a cycle \(compose\.yaml -> compose\.yaml\)/);
    const pair = project({ 'compose.yaml': 'include:\n  - b.yaml\n', 'b.yaml': 'include:\n  - compose.yaml\n' });
    expect(() => services(pair)).toThrow(/^b\.yaml:2:5: include: a cycle \(compose\.yaml -> b\.yaml -> compose\.yaml\)/);
  });
});

describe('another service\'s mounts and namespaces: volumes_from, network_mode/pid/ipc: service:<name>', () => {
  const project3 = (b: string, a = '    network_mode: host\n    pid: host\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n      - data:/data\n') =>
    services(project({ 'compose.yaml': `services:\n  a:\n    image: agent\n${a}  b:\n    image: app\n${b}` }));

  test('volumes_from takes the named service\'s mounts (read-only with :ro): its Docker socket is this service\'s too', () => {
    const b = project3('    volumes_from:\n      - a:ro\n').get('b')!.spec;
    expect(b.mounts?.map((m) => [m.source, m.target, m.readOnly])).toEqual([['/var/run/docker.sock', '/var/run/docker.sock', true], ['data', '/data', true]]);
    expect(status('no-docker-socket', b)).toBe(RuleStatus.FAIL);
    const chained = services(project({
      'compose.yaml': 'services:\n  a:\n    image: x\n    volumes:\n      - /etc:/host-etc\n  b:\n    image: x\n    volumes_from: [a]\n  c:\n    image: x\n    volumes: [./c:/c]\n    volumes_from: [b]\n',
    })).get('c')!.spec;
    expect(chained.mounts?.map((m) => m.source)).toEqual([expect.stringMatching(/\/c$/), '/etc']);
    expect(status('no-sensitive-host-mounts', chained)).toBe(RuleStatus.FAIL);
  });

  test('volumes_from a container outside the project leaves the mounts unknown, never a pass', () => {
    const b = project3('    volumes_from:\n      - container:legacy\n').get('b')!.spec;
    expect(b.unknown).toEqual(['mounts']);
    expect(b.unknownCauses).toEqual([{ field: 'mounts', cause: UnknownCause.OTHER }]);
    expect(status('no-docker-socket', b)).toBe(RuleStatus.UNKNOWN);
  });

  test('network_mode and pid service:<name> join that service\'s namespaces: the host\'s, when it uses the host\'s; a cycle ends', () => {
    const b = project3('    network_mode: "service:a"\n    pid: "service:a"\n    ipc: "service:a"\n').get('b')!.spec;
    expect([b.networkMode, b.pidMode, b.ipcMode]).toEqual(['host', 'host', 'service:a']);
    expect(status('no-host-network', b)).toBe(RuleStatus.FAIL);
    expect(status('no-host-pid', b)).toBe(RuleStatus.FAIL);
    expect(status('no-host-ipc', b)).toBe(RuleStatus.PASS);
    const own = project3('    network_mode: "service:a"\n', '    networks: [back]\n').get('b')!.spec;
    expect(own.networkMode).toBe('service:a');
    expect(status('no-host-network', own)).toBe(RuleStatus.PASS);
    const unknown = project3('    network_mode: "service:a"\n', '    network_mode: ${MODE}\n').get('b')!.spec;
    expect(status('no-host-network', unknown)).toBe(RuleStatus.UNKNOWN);
    // container:<name> joins a container outside the project: unknown, never a pass.
    const external = project3('    network_mode: "container:vpn"\n    pid: "container:vpn"\n').get('b')!.spec;
    expect(external.unknown).toEqual(['networkMode', 'pidMode']);
    expect(status('no-host-network', external)).toBe(RuleStatus.UNKNOWN);
    expect(status('no-host-pid', external)).toBe(RuleStatus.UNKNOWN);
    // A cycle of service: references (compose refuses it) is not followed forever.
    const cycle = services(project({ 'compose.yaml': 'services:\n  a:\n    image: x\n    network_mode: service:b\n    volumes_from: [b]\n  b:\n    image: x\n    network_mode: service:a\n    volumes_from: [a]\n' }));
    expect(cycle.get('a')!.spec.networkMode).toBe('service:b');
  });
});

describe('merge tags: !reset and !override (compose 2.24+)', () => {
  const base = 'services:\n  web:\n    image: app\n    privileged: true\n    ports: ["80:80"]\n    cap_add: [SYS_ADMIN]\n'
    + '    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n';

  test('an override file\'s !reset removes the setting, !override replaces a list instead of merging with it', () => {
    const dir = project({
      'compose.yaml': base,
      'compose.override.yaml': 'services:\n  web:\n    privileged: !reset null\n    ports: !reset []\n    cap_add: !reset\n    volumes: !override\n      - ./data:/data\n',
    });
    const web2 = services(dir, ['compose.yaml', 'compose.override.yaml']).get('web')!.spec;
    expect([web2.privileged, web2.ports, web2.capAdd]).toEqual([undefined, undefined, undefined]);
    expect(web2.mounts?.map((m) => m.target)).toEqual(['/data']);
    expect(status('no-privileged', web2)).toBe(RuleStatus.PASS);
    expect(status('no-docker-socket', web2)).toBe(RuleStatus.PASS);
  });

  test('an extending service\'s !reset drops what its base set; a !reset in a file alone is no setting', () => {
    const dir = project({ 'compose.yaml': `${base}  worker:\n    extends: web\n    privileged: !reset null\n` });
    const worker = services(dir).get('worker')!.spec;
    expect(worker.privileged).toBeUndefined();
    expect(worker.mounts?.map((m) => m.source)).toEqual(['/var/run/docker.sock']);
    expect(web(svc('privileged: !reset true')).privileged).toBeUndefined();
  });
});
