import { parse as parseHcl } from '@cdktf/hcl2json';
import * as fc from 'fast-check';
import { builtinRule } from '../../src/rules/catalog';
import { RuleStatus } from '../../src/rules/rule';
import { ContainerSpec, UnknownCause } from '../../src/spec/container-spec';
import { specsFromPlanJson } from '../../src/spec/plan-adapter';
import {
  AdapterError, containerSpecFromContainer, containerSpecFromService, specsFromTerraformJson,
} from '../../src/spec/terraform-adapter';

async function fromHcl(text: string): Promise<ContainerSpec[]> {
  return specsFromTerraformJson(await parseHcl('main.tf', text), { file: 'main.tf' });
}

function status(ruleId: string, spec: ContainerSpec): RuleStatus {
  const rule = builtinRule(ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  return rule.check(spec).status;
}

describe('a literal failing item fails whatever its unknown siblings are (HCL)', () => {
  test('a docker.sock bind beside a mount whose source is a variable (the reverse-proxy module)', async () => {
    const [spec] = await fromHcl(`
resource "docker_container" "proxy" {
  image = "traefik"
  mounts {
    type   = "bind"
    source = var.config_dir
    target = "/etc/traefik"
  }
  mounts {
    type      = "bind"
    source    = "/var/run/docker.sock"
    target    = "/var/run/docker.sock"
    read_only = true
  }
}`);
    expect(spec.mounts).toHaveLength(2);
    expect(spec.mounts![0]).toMatchObject({ type: 'bind', target: '/etc/traefik', unknown: ['source'] });
    expect(status('no-docker-socket', spec)).toBe(RuleStatus.FAIL);
  });

  test('seccomp=unconfined beside a variable in security_opts', async () => {
    const [spec] = await fromHcl(`
resource "docker_container" "x" {
  image         = "nginx"
  security_opts = ["seccomp=unconfined", var.extra]
}`);
    expect(spec.securityOpts).toEqual(['seccomp=unconfined']);
    expect(spec.unknown).toEqual(['securityOpts']);
    expect(status('no-unconfined-seccomp', spec)).toBe(RuleStatus.FAIL);
    expect(status('no-new-privileges', spec)).toBe(RuleStatus.UNKNOWN);
  });

  test('a dynamic "mounts" block beside a literal /etc bind', async () => {
    const [spec] = await fromHcl(`
resource "docker_container" "x" {
  image = "nginx"
  dynamic "mounts" {
    for_each = var.extra_mounts
    content {
      type   = "bind"
      source = mounts.value
      target = mounts.key
    }
  }
  mounts {
    type   = "bind"
    source = "/etc"
    target = "/host/etc"
  }
}`);
    expect(status('no-sensitive-host-mounts', spec)).toBe(RuleStatus.FAIL);
    expect(status('no-shared-mount-propagation', spec)).toBe(RuleStatus.UNKNOWN);
    // The unknown says why: the dynamic block's for_each is a variable.
    expect(builtinRule('no-shared-mount-propagation')!.check(spec).message).toBe('the propagation of volumes/mounts depends on a variable without a value');
    expect(spec.unknownCauses).toEqual(expect.arrayContaining([{ field: 'mounts', cause: UnknownCause.VARIABLE }]));
  });

  test('a port whose external is an expression, without ip, listens on 0.0.0.0', async () => {
    const [spec] = await fromHcl(`
resource "docker_container" "x" {
  image = "nginx"
  ports {
    internal = 80
    external = var.port
  }
}`);
    expect(spec.ports).toEqual([{ internal: 80, unknown: ['external'] }]);
    expect(status('ports-bound-to-interface', spec)).toBe(RuleStatus.FAIL);
    expect(status('no-privileged-host-ports', spec)).toBe(RuleStatus.UNKNOWN);
    expect(builtinRule('no-privileged-host-ports')!.check(spec).message).toBe('a host port of ports depends on a variable without a value');
    // A spec without recorded causes (made by hand, or by an older adapter) keeps the neutral wording.
    expect(builtinRule('no-privileged-host-ports')!.check({ ...spec, unknownCauses: undefined }).message).toBe('a host port of ports is only known after apply');
  });

  test('a capability beside an unknown one', () => {
    const spec = containerSpecFromContainer('x', { capabilities: { add: ['SYS_ADMIN', '${var.cap}'], drop: ['ALL'] } });
    expect(spec.capAdd).toEqual(['SYS_ADMIN']);
    expect(spec.unknown).toEqual(['capAdd']);
    expect(status('no-dangerous-capabilities', spec)).toBe(RuleStatus.FAIL);
    expect(status('drop-all-capabilities', spec)).toBe(RuleStatus.PASS);
  });

  test('a device, a network and a group beside unknown ones', () => {
    const spec = containerSpecFromContainer('x', {
      devices: [{ host_path: '/dev/mem' }, { host_path: '${var.dev}' }],
      networks_advanced: [{ name: 'host' }, { name: '${var.net}' }],
      group_add: ['docker', '${var.g}'],
    });
    expect(status('no-host-devices', spec)).toBe(RuleStatus.FAIL);
    expect(status('no-host-network', spec)).toBe(RuleStatus.FAIL);
    expect(status('no-privileged-groups', spec)).toBe(RuleStatus.FAIL);
  });

  test('a tmpfs and a ulimit beside unknown ones', () => {
    const spec = containerSpecFromContainer('x', {
      tmpfs: { '/tmp': 'rw,exec', '/run': '${var.opts}' },
      ulimit: [{ name: 'nofile', soft: '${var.n}', hard: '${var.n}' }],
    });
    expect(status('tmpfs-noexec-nosuid', spec)).toBe(RuleStatus.FAIL);
    expect(status('ulimits-set', spec)).toBe(RuleStatus.PASS);
  });

  test('log_opts: a literal max-size beside an option from a variable is rotation enough', () => {
    const spec = containerSpecFromContainer('x', { log_driver: 'json-file', log_opts: { 'max-size': '10m', 'max-file': '${var.files}' } });
    expect(spec.logOpts).toEqual({ 'max-size': '10m' });
    expect(status('log-rotation', spec)).toBe(RuleStatus.PASS);
    expect(status('log-rotation', containerSpecFromContainer('x', { log_opts: { 'max-file': '3', 'max-size': '${var.size}' } }))).toBe(RuleStatus.UNKNOWN);
  });

  test('a plan: a mount source known only after apply beside the socket', () => {
    const plan = {
      format_version: '1.2',
      planned_values: {
        root_module: {
          resources: [{
            address: 'docker_container.x',
            mode: 'managed',
            type: 'docker_container',
            name: 'x',
            values: { image: 'nginx', mounts: [{ type: 'volume', source: null, target: '/data' }, { type: 'bind', source: '/var/run/docker.sock', target: '/s' }] },
          }],
        },
      },
      resource_changes: [{ address: 'docker_container.x', change: { after_unknown: { mounts: [{ source: true }, {}] } } }],
    };
    const [spec] = specsFromPlanJson(plan);
    expect(spec.mounts![0]).toMatchObject({ type: 'volume', unknown: ['source'] });
    expect(status('no-docker-socket', spec)).toBe(RuleStatus.FAIL);
    expect(spec.unknownCauses).toEqual([{ field: 'mounts', cause: UnknownCause.AFTER_APPLY }]);
  });
});

describe('decidable values are not unknown', () => {
  test('a named volume whose name is an expression is not a host path', async () => {
    const [spec] = await fromHcl(`
resource "docker_container" "x" {
  image = "nginx"
  volumes {
    volume_name    = docker_volume.data.name
    container_path = "/data"
  }
  mounts {
    type   = "volume"
    source = var.volume
    target = "/cache"
  }
  mounts {
    type   = "tmpfs"
    target = "/tmp"
  }
}`);
    for (const id of ['no-sensitive-host-mounts', 'no-sensitive-host-mounts-read-only', 'no-docker-socket', 'no-shared-mount-propagation']) {
      expect([id, status(id, spec)]).toEqual([id, RuleStatus.PASS]);
    }
    expect(spec.mounts!.map((m) => m.type)).toEqual(['volume', 'volume', 'tmpfs']);
  });

  test('a host_path that is an expression stays unknown under the host-path rules', () => {
    const spec = containerSpecFromContainer('x', { volumes: [{ host_path: '${var.dir}', container_path: '/d' }] });
    expect(spec.mounts).toEqual([{ type: 'bind', target: '/d', unknown: ['source'] }]);
    expect(status('no-sensitive-host-mounts', spec)).toBe(RuleStatus.UNKNOWN);
    expect(status('no-docker-socket', spec)).toBe(RuleStatus.UNKNOWN);
  });

  test.each(['network_mode', 'pid_mode', 'ipc_mode'])('%s = "container:${...}" joins another container, not the host', (key) => {
    const spec = containerSpecFromContainer('x', { [key]: 'container:${docker_container.db.id}' });
    expect(spec.unknown).toBeUndefined();
    const rule = { network_mode: 'no-host-network', pid_mode: 'no-host-pid', ipc_mode: 'no-host-ipc' }[key]!;
    expect(status(rule, spec)).toBe(RuleStatus.PASS);
  });

  test('a mode that is an expression as a whole is unknown', () => {
    const spec = containerSpecFromContainer('x', { network_mode: '${var.mode}', pid_mode: '${var.prefix}container:x' });
    expect(spec.unknown).toEqual(['networkMode', 'pidMode']);
    expect(status('no-host-network', spec)).toBe(RuleStatus.UNKNOWN);
  });

  test('a tmpfs path that is an expression makes tmpfs unknown (not a literal path "${...}")', async () => {
    const [spec] = await fromHcl(`
resource "docker_container" "x" {
  image = "nginx"
  tmpfs = { (var.path) = "rw,exec" }
}`);
    expect(spec.tmpfs).toBeUndefined();
    expect(spec.unknown).toEqual(['tmpfs']);
    expect(status('tmpfs-noexec-nosuid', spec)).toBe(RuleStatus.UNKNOWN);
  });

  test('a label key that is an expression makes the labels unknown', () => {
    const spec = containerSpecFromContainer('x', { labels: [{ label: '${var.k}', value: 'v' }] });
    expect(spec.unknown).toEqual(['labels']);
  });

  test.each([
    ['a number out of range', JSON.parse('{"memory": 1e400}')],
    ['a string out of range', { memory: '1e400' }],
    ['a negative infinity', { cpu_shares: -Infinity }],
  ])('%s is an error, never a silent pass', (_name, body) => {
    expect(() => containerSpecFromContainer('x', body)).toThrow(AdapterError);
    expect(() => containerSpecFromContainer('x', body)).toThrow(/must be a finite number/);
  });
});

describe('blocks that cannot be expanded are unknown under every rule that reads them', () => {
  test('service-tmpfs-size: a dynamic "mounts" block on a docker_service is unknown, not a pass', async () => {
    const [spec] = await fromHcl(`
resource "docker_service" "s" {
  name = "s"
  task_spec {
    container_spec {
      image = "nginx"
      dynamic "mounts" {
        for_each = var.mounts
        content {
          type   = "tmpfs"
          target = mounts.value
          tmpfs_options {
            mode = 511
          }
        }
      }
    }
  }
}`);
    expect(status('service-tmpfs-size', spec)).toBe(RuleStatus.UNKNOWN);
    expect(status('tmpfs-noexec-nosuid', spec)).toBe(RuleStatus.UNKNOWN);
    expect(status('no-docker-socket', spec)).toBe(RuleStatus.UNKNOWN);
  });

  test('a dynamic tmpfs_options block of a literal tmpfs mount is unknown under service-tmpfs-size', () => {
    const spec = containerSpecFromService('s', {
      task_spec: { container_spec: { image: 'x', mounts: [{ type: 'tmpfs', target: '/tmp', dynamic: { tmpfs_options: [{ for_each: '${var.o}', content: [{ mode: 511 }] }] } }] } },
    });
    expect(spec.tmpfs).toEqual([{ path: '/tmp', fromMount: true, unknown: ['optionsBlock', 'options'] }]);
    expect(status('service-tmpfs-size', spec)).toBe(RuleStatus.UNKNOWN);
  });

  test('a mount whose type is an expression may be a tmpfs', () => {
    const spec = containerSpecFromService('s', { task_spec: { container_spec: { image: 'x', mounts: [{ type: '${var.t}', target: '/tmp' }] } } });
    expect(spec.unknown).toEqual(['mounts', 'tmpfs']);
    expect(status('service-tmpfs-size', spec)).toBe(RuleStatus.UNKNOWN);
  });

  test.each([
    ['capabilities', 'no-dangerous-capabilities'],
    ['ports', 'ports-bound-to-interface'],
    ['devices', 'no-host-devices'],
    ['ulimit', 'ulimits-set'],
    ['networks_advanced', 'no-host-network'],
    ['volumes', 'no-docker-socket'],
    ['mounts', 'no-sensitive-host-mounts'],
    ['healthcheck', 'healthcheck'],
  ])('a dynamic "%s" block alone is unknown under %s', (block, ruleId) => {
    const spec = containerSpecFromContainer('x', { image: 'nginx', dynamic: { [block]: [{ for_each: '${var.items}', content: [{}] }] } });
    expect(status(ruleId, spec)).toBe(RuleStatus.UNKNOWN);
  });

  test('a dynamic privileges block of a service is unknown under the SELinux rules', () => {
    const spec = containerSpecFromService('s', { task_spec: { container_spec: { image: 'x', dynamic: { privileges: [{ for_each: '${var.p}', content: [{}] }] } } } });
    expect(status('selinux-confinement-not-disabled', spec)).toBe(RuleStatus.UNKNOWN);
    expect(status('selinux-options', spec)).toBe(RuleStatus.UNKNOWN);
  });
});

describe('docker_service SELinux context (task_spec.container_spec.privileges.se_linux_context)', () => {
  test('read as label security options, as the provider\'s own acceptance test sets it', async () => {
    const [spec] = await fromHcl(`
resource "docker_service" "s" {
  name = "s"
  task_spec {
    container_spec {
      image = "nginx"
      privileges {
        se_linux_context {
          disable = true
          user    = "user-label"
          role    = "role-label"
          type    = "type-label"
          level   = "level-label"
        }
      }
    }
  }
}`);
    expect(spec.securityOpts).toEqual(['label=disable', 'label=user:user-label', 'label=role:role-label', 'label=type:type-label', 'label=level:level-label']);
    expect(status('selinux-confinement-not-disabled', spec)).toBe(RuleStatus.FAIL);
  });

  test('a confining context passes; spc_t fails', () => {
    const ok = containerSpecFromService('s', { task_spec: { container_spec: { image: 'x', privileges: { se_linux_context: { type: 'container_t', level: 's0:c1,c2' } } } } });
    expect(status('selinux-options', ok)).toBe(RuleStatus.PASS);
    expect(status('selinux-confinement-not-disabled', ok)).toBe(RuleStatus.PASS);
    const spc = containerSpecFromService('s', { task_spec: { container_spec: { image: 'x', privileges: [{ se_linux_context: [{ type: 'spc_t' }] }] } } });
    expect(status('selinux-confinement-not-disabled', spc)).toBe(RuleStatus.FAIL);
  });

  test('an unknown part of the context is unknown', () => {
    const spec = containerSpecFromService('s', { task_spec: { container_spec: { image: 'x', privileges: { se_linux_context: { type: '${var.t}' } } } } });
    expect(spec.unknown).toEqual(['securityOpts']);
    expect(status('selinux-confinement-not-disabled', spec)).toBe(RuleStatus.UNKNOWN);
  });
});

describe('attributes read for the new checks', () => {
  test('publish_all_ports, gpus, cgroupns_mode and group_add', () => {
    const spec = containerSpecFromContainer('x', { publish_all_ports: true, gpus: 'all', cgroupns_mode: 'host', group_add: ['0'] });
    expect(spec).toMatchObject({ publishAllPorts: true, gpus: 'all', cgroupnsMode: 'host', groupAdd: ['0'] });
    expect(status('ports-bound-to-interface', spec)).toBe(RuleStatus.FAIL);
    expect(status('no-host-devices', spec)).toBe(RuleStatus.FAIL);
    expect(status('no-host-cgroupns', spec)).toBe(RuleStatus.FAIL);
    expect(status('no-privileged-groups', spec)).toBe(RuleStatus.FAIL);
  });

  test('docker_service groups are group_add', () => {
    const spec = containerSpecFromService('s', { task_spec: { container_spec: { image: 'x', groups: ['docker', 'foogroup'] } } });
    expect(status('no-privileged-groups', spec)).toBe(RuleStatus.FAIL);
  });
});

describe('property: an item made unknown never hides a literal failing sibling', () => {
  const EXPR = fc.constantFrom('${var.x}', '${data.d.n.v}', '${module.m.o}', '${docker_volume.v.name}', '${timestamp()}');
  /** A harmless mount, with any of its attributes replaced by an expression. */
  const otherMount = fc.record({
    type: fc.oneof(fc.constantFrom('bind', 'volume', 'tmpfs'), EXPR),
    source: fc.oneof(fc.constantFrom('/srv/data', 'cache'), EXPR),
    target: fc.oneof(fc.constantFrom('/data', '/cache'), EXPR),
    read_only: fc.oneof(fc.boolean(), EXPR),
  }, { requiredKeys: ['type', 'target'] });
  const failing: [string, any][] = [
    ['no-docker-socket', { type: 'bind', source: '/var/run/docker.sock', target: '/s' }],
    ['no-sensitive-host-mounts', { type: 'bind', source: '/etc', target: '/e', read_only: false }],
    ['no-shared-mount-propagation', { type: 'bind', source: '/mnt', target: '/mnt', bind_options: { propagation: 'rshared' } }],
  ];

  test.each(failing)('%s', (ruleId, bad) => {
    fc.assert(fc.property(fc.array(otherMount, { maxLength: 4 }), fc.nat(), fc.boolean(), (others, at, dynamic) => {
      const mounts = [...others];
      mounts.splice(at % (others.length + 1), 0, bad);
      const body: any = { image: 'nginx', mounts };
      if (dynamic) body.dynamic = { mounts: [{ for_each: '${var.m}', content: [{ type: 'bind', source: '${mounts.value}', target: '/x' }] }] };
      expect(status(ruleId, containerSpecFromContainer('x', body))).toBe(RuleStatus.FAIL);
      expect(status(ruleId, containerSpecFromService('s', { task_spec: { container_spec: { image: 'x', mounts } } }))).toBe(RuleStatus.FAIL);
    }));
  });

  test('security options, capabilities and ports', () => {
    fc.assert(fc.property(fc.array(EXPR, { minLength: 1, maxLength: 3 }), fc.nat(), (unknowns, at) => {
      const opts: string[] = [...unknowns];
      opts.splice(at % (unknowns.length + 1), 0, 'seccomp=unconfined');
      const caps: string[] = [...unknowns];
      caps.splice(at % (unknowns.length + 1), 0, 'SYS_ADMIN');
      const ports: any[] = unknowns.map((e) => ({ internal: e, external: e, ip: e }));
      ports.splice(at % (unknowns.length + 1), 0, { internal: 22, external: 22 });
      const spec = containerSpecFromContainer('x', { security_opts: opts, capabilities: { add: caps }, ports });
      expect(status('no-unconfined-seccomp', spec)).toBe(RuleStatus.FAIL);
      expect(status('no-dangerous-capabilities', spec)).toBe(RuleStatus.FAIL);
      expect(status('no-privileged-host-ports', spec)).toBe(RuleStatus.FAIL);
      expect(status('ports-bound-to-interface', spec)).toBe(RuleStatus.FAIL);
    }));
  });
});

describe('property: any attribute values give a spec or an AdapterError, never another exception', () => {
  const leaf = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('${var.x}', 'container:${a.b.c}', '${', '%{ if x }'), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
  const value = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('type', 'source', 'target', 'name', 'for_each', 'content', '${var.k}', 'internal', 'host_path', 'drop', 'add', 'tmpfs_options', 'bind_options', 'se_linux_context', 'privileges', 'container_spec', 'mounts'), tie('v'), { maxKeys: 4 })),
  })).v;
  const keys = ['mounts', 'volumes', 'ports', 'tmpfs', 'devices', 'ulimit', 'capabilities', 'security_opts', 'networks_advanced', 'group_add', 'network_mode', 'log_opts', 'dynamic', 'publish_all_ports', 'gpus', 'memory', 'task_spec'];
  test.each([['docker_container', containerSpecFromContainer], ['docker_service', containerSpecFromService]] as const)('%s', (_type, read) => {
    fc.assert(fc.property(fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 4 }), (body) => {
      try {
        read('x', body);
      } catch (e) {
        if (!(e instanceof AdapterError)) throw e;
      }
    }), { numRuns: 500 });
  });
});
