/**
 * One hardening core: every prop goes through HardenedContainer and through SecureService's Swarm mode, and each
 * demands the same opt-outs (the Swarm-only differences are listed, each with its reason).
 */
import { Testing } from 'cdktf';
import { checkedSynth, newStack, PINNED_IMAGE } from './helpers';
import {
  Capability, HardenedContainer, HardenedContainerProps, HardeningOptOuts, RestartPolicy, SecureService, ServiceMode,
} from '../../src';
import { OPT_OUT_RULES } from '../../src/constructs/core/opt-out-ledger';
import { SWARM_INAPPLICABLE_OPT_OUTS } from '../../src/constructs/core/settings';

const REASON = 'reviewed by the platform team for this workload';

/** Adds each opt-out the construct's error asks for until it builds; returns them sorted (or the refusal). */
function demanded(build: (optOuts: HardeningOptOuts) => void): { optOuts: string[]; refused?: string } {
  const optOuts: { [name: string]: { reason: string } } = {};
  for (let i = 0; i < 10; i++) {
    try {
      build(optOuts);
      return { optOuts: Object.keys(optOuts).sort() };
    } catch (e: any) {
      const m = /add `optOuts: \{ (\w+):/.exec(e.message);
      if (!m) return { optOuts: Object.keys(optOuts).sort(), refused: e.message };
      optOuts[m[1]] = { reason: REASON };
    }
  }
  throw new Error('no end to the opt-outs asked for');
}

function viaContainer(props: Partial<HardenedContainerProps>) {
  return demanded((optOuts) => new HardenedContainer(newStack(), 'web', { image: PINNED_IMAGE, ...props, optOuts }));
}

function viaSwarm(props: Partial<HardenedContainerProps>) {
  return demanded((optOuts) => new SecureService(newStack(), 'web', { image: PINNED_IMAGE, ...props, optOuts, mode: ServiceMode.SWARM }));
}

/** Props and the opt-outs both constructs must demand for them. */
const CASES: [string, Partial<HardenedContainerProps>, string[]][] = [
  ['defaults', {}, []],
  ['root', { user: '0:0' }, ['runAsRoot']],
  ['a dangerous capability', { addCapabilities: [Capability.SYS_PTRACE] }, ['dangerousCapabilities']],
  ['a capability outside the allow-list', { addCapabilities: [Capability.SYS_NICE] }, ['dangerousCapabilities']],
  ['an allowed capability', { addCapabilities: [Capability.NET_BIND_SERVICE] }, []],
  ['unlimited restarts', { restartPolicy: RestartPolicy.ALWAYS, maxRestartRetries: undefined }, ['unlimitedRestarts']],
  ['a writable bind of /var/lib/docker', { volumes: [{ containerPath: '/d', hostPath: '/var/lib/docker', readOnly: false }] }, ['sensitiveHostMounts']],
  ['a read-only bind of /etc', { volumes: [{ containerPath: '/h', hostPath: '/etc' }] }, ['sensitiveHostMounts']],
  ['a bind of /usr/lib', { volumes: [{ containerPath: '/h', hostPath: '//usr/./lib/' }] }, ['sensitiveHostMounts']],
  ['the Docker socket', { volumes: [{ containerPath: '/s', hostPath: '/var/run/docker.sock' }] }, ['dockerSocket']],
  ['the directory holding the Docker socket', { volumes: [{ containerPath: '/r', hostPath: '/run' }] }, ['dockerSocket']],
  ['a writable volume over /etc', { volumes: [{ containerPath: '/etc/', volumeName: 'conf', readOnly: false }] }, ['mountOverSystemDirs']],
  ['a read-only volume over /etc', { volumes: [{ containerPath: '/etc', volumeName: 'conf' }] }, []],
  ['a writable path at /etc', { writablePaths: [{ path: '/etc' }] }, ['mountOverSystemDirs']],
  ['a writable path at //usr/', { writablePaths: [{ path: '//usr/' }] }, ['mountOverSystemDirs']],
  ['a writable path above /var/lib/docker', { writablePaths: [{ path: '/var/lib' }] }, ['mountOverSystemDirs']],
  ['a writable path of its own', { writablePaths: [{ path: '/var/cache/app' }] }, []],
  ['SELinux spc_t', { selinuxLabels: ['type:spc_t'] }, ['unconfinedSelinux']],
  ['SELinux disable', { selinuxLabels: ['disable'] }, ['unconfinedSelinux']],
  ['SELinux container_t', { selinuxLabels: ['type:container_t', 'level:s0:c1,c2'] }, []],
  ['a healthcheck', { healthcheck: { command: ['true'] } }, []],
];

describe('HardenedContainer and Swarm mode demand the same opt-outs for the same props', () => {
  test.each(CASES)('%s', (_what, props, expected) => {
    const container = viaContainer(props);
    const swarm = viaSwarm(props);
    expect(container).toEqual({ optOuts: expected });
    expect(swarm).toEqual({ optOuts: expected });
  });

  test('ports: Swarm publishes on every interface, so it demands allInterfaces on top of the same port opt-outs', () => {
    const ports = { ports: [{ internal: 8080, external: 80 }] };
    expect(viaContainer(ports)).toEqual({ optOuts: ['privilegedPorts'] });
    expect(viaSwarm(ports)).toEqual({ optOuts: ['allInterfaces', 'privilegedPorts'] });
    expect(viaContainer({ ports: [{ internal: 8080, external: 1024 }] })).toEqual({ optOuts: [] });
    expect(viaSwarm({ ports: [{ internal: 8080, external: 1024 }] })).toEqual({ optOuts: ['allInterfaces'] });
  });

  test('an opt-out nothing needs is refused by both, in the same words', () => {
    const unneeded = { optOuts: { sensitiveHostMounts: { reason: REASON } } };
    const message = (build: () => void) => {
      try {
        build();
      } catch (e: any) {
        return e.message.replace(/^\[[^\]]+\] \w+ /, '');
      }
      return '';
    };
    const container = message(() => new HardenedContainer(newStack(), 'web', { image: PINNED_IMAGE, ...unneeded }));
    const swarm = message(() => new SecureService(newStack(), 'web', { image: PINNED_IMAGE, ...unneeded, mode: ServiceMode.SWARM }));
    expect(container).toMatch(/^optOuts\.sensitiveHostMounts: .* is given but nothing in the props needs it/);
    expect(swarm).toBe(container);
  });

  test('what a docker_service cannot do is refused in Swarm mode, never dropped', () => {
    for (const props of [{ seccompProfileJson: '{"defaultAction":"SCMP_ACT_ERRNO"}' }, { init: false }, { cpuShares: 100 }] as Partial<HardenedContainerProps>[]) {
      expect(viaContainer(props)).toEqual({ optOuts: [] });
      expect(viaSwarm(props).refused).toMatch(/cannot be set on a docker_service/);
    }
    expect(viaSwarm({}).refused).toBeUndefined();
  });
});

describe('coverage of the opt-outs', () => {
  test('every permission opt-out is demanded by some case above, or does not apply to a docker_service', () => {
    const demandedSomewhere = new Set([...CASES.flatMap(([, , expected]) => expected), 'privilegedPorts', 'allInterfaces']);
    const permissions = Object.entries(OPT_OUT_RULES).filter(([, o]) => o.kind === 'permission').map(([name]) => name);
    const uncovered = permissions.filter((name) => !demandedSomewhere.has(name) && !SWARM_INAPPLICABLE_OPT_OUTS.includes(name as any) && name !== 'noHealthcheck');
    expect(uncovered).toEqual([]);
  });

  test('the switches Swarm can honour are honoured by both: writableRootFilesystem', () => {
    const optOuts = { writableRootFilesystem: { reason: REASON } };
    const stack = newStack();
    const hc = new HardenedContainer(stack, 'c', { image: PINNED_IMAGE, optOuts });
    const svc = new SecureService(stack, 's', { image: PINNED_IMAGE, optOuts, mode: ServiceMode.SWARM });
    const json = JSON.parse(Testing.synth(stack));
    expect(Object.values<any>(json.resource.docker_container)[0].read_only).toBe(false);
    expect(Object.values<any>(json.resource.docker_service)[0].task_spec.container_spec.read_only).toBe(false);
    expect(hc.optOutsApplied).toEqual(['writableRootFilesystem']);
    expect(svc.service).toBeDefined();
  });
});

describe('the cgroup namespace: private on a docker_container, not settable on a docker_service', () => {
  const optOuts = { hostCgroupNamespace: { reason: REASON } };

  test('HardenedContainer and each replica of a containers-mode SecureService write private, or host with the opt-out', () => {
    const stack = newStack();
    new HardenedContainer(stack, 'c', { image: PINNED_IMAGE, name: 'alone' });
    new HardenedContainer(stack, 'shared', { image: PINNED_IMAGE, name: 'shared', optOuts });
    new SecureService(stack, 's', { image: PINNED_IMAGE, replicas: 2 });
    new SecureService(stack, 'shared-svc', { image: PINNED_IMAGE, optOuts });
    const containers = Object.values<any>(JSON.parse(Testing.synth(stack)).resource.docker_container);
    const byName = Object.fromEntries(containers.map((b) => [b.name, b.cgroupns_mode]));
    expect(byName).toEqual({ 'alone': 'private', 'shared': 'host', 's-1': 'private', 's-2': 'private', 'shared-svc-1': 'host' });
  });

  test('Swarm mode refuses the opt-out as not applying (provider 3.6.2\'s docker_service has no cgroupns setting), never drops it', () => {
    const build = () => new SecureService(newStack(), 'web', { image: PINNED_IMAGE, mode: ServiceMode.SWARM, optOuts });
    expect(build).toThrow(/^\[stack\/web\] SecureService optOuts\.hostCgroupNamespace: "hostCgroupNamespace" does not apply here\. Valid: remove it: it does not apply to a docker_service/);
    // What is true: no setting anywhere, the daemon default, and that swarmLimits acknowledges the finding it leaves.
    expect(build).toThrow(/no cgroup namespace setting for services \(nor has Swarm\).*"default-cgroupns-mode".*no-host-cgroupns reports that on every Swarm service, and serviceOptOuts\.swarmLimits acknowledges it\.$/);
    const stack = newStack();
    new SecureService(stack, 'web', { image: PINNED_IMAGE, mode: ServiceMode.SWARM });
    const spec = Object.values<any>(JSON.parse(Testing.synth(stack)).resource.docker_service)[0].task_spec.container_spec;
    expect(JSON.stringify(spec)).not.toMatch(/cgroup/i);
  });
});

describe('Swarm mode maps SELinux labels to se_linux_context', () => {
  test('type and level, or disable with the opt-out', () => {
    const stack = newStack();
    new SecureService(stack, 'web', { image: PINNED_IMAGE, mode: ServiceMode.SWARM, selinuxLabels: ['type:container_t', 'level:s0:c100,c200'] });
    new SecureService(stack, 'off', {
      image: PINNED_IMAGE, mode: ServiceMode.SWARM, selinuxLabels: ['disable'], optOuts: { unconfinedSelinux: { reason: REASON } },
    });
    const services = Object.values<any>(JSON.parse(Testing.synth(stack)).resource.docker_service);
    const byName = Object.fromEntries(services.map((s) => [s.name, s.task_spec.container_spec]));
    expect(byName.web.privileges).toEqual({ se_linux_context: { type: 'container_t', level: 's0:c100,c200' } });
    expect(byName.off.privileges).toEqual({ se_linux_context: { disable: true } });
  });
});

describe('a Swarm service weakening passes synth only with the opt-out the construct demanded', () => {
  test('a writable bind of /var/lib/docker: refused without sensitiveHostMounts; with it, the finding is suppressed', () => {
    const volumes = [{ containerPath: '/d', hostPath: '/var/lib/docker', readOnly: false }];
    expect(viaSwarm({ volumes })).toEqual({ optOuts: ['sensitiveHostMounts'] });
    const { report } = checkedSynth((stack) => new SecureService(stack, 'web', {
      image: PINNED_IMAGE,
      mode: ServiceMode.SWARM,
      healthcheck: { command: ['true'] },
      volumes,
      optOuts: { sensitiveHostMounts: { reason: REASON } },
    }));
    const f = report.findings.filter((x: any) => x.ruleId === 'no-sensitive-host-mounts');
    expect(f.length).toBe(1);
    expect(f[0]).toMatchObject({ suppressed: true, reason: REASON });
    expect(report.findings.filter((x: any) => !x.suppressed && x.severity === 'error')).toEqual([]);
  });
});
