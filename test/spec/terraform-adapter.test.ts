import { parse as parseHcl } from '@cdktf/hcl2json';
import * as fc from 'fast-check';
import { builtinRule } from '../../src/rules/catalog';
import { RuleStatus } from '../../src/rules/rule';
import { ContainerSpec, ResourceKind, SpecSource } from '../../src/spec/container-spec';
import { isUnknown } from '../../src/spec/fields';
import {
  AdapterError, containerSpecFromContainer, containerSpecFromService, dockerResources, isExpression,
  parseTerraformJson, specsFromTerraformJson, SUPPRESSION_LABEL_PREFIX,
} from '../../src/spec/terraform-adapter';

const MIB = 1024 * 1024;

function container(body: any, name = 'web'): ContainerSpec {
  return containerSpecFromContainer(name, body);
}
function service(body: any, name = 'api'): ContainerSpec {
  return containerSpecFromService(name, body);
}

describe('docker_container: block shapes', () => {
  test.each([
    ['an object', { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }],
    ['a one-element list', [{ drop: ['ALL'], add: ['NET_BIND_SERVICE'] }]],
  ])('single block capabilities as %s', (_shape, caps) => {
    const spec = container({ image: 'nginx', capabilities: caps });
    expect(spec.capDrop).toEqual(['ALL']);
    expect(spec.capAdd).toEqual(['NET_BIND_SERVICE']);
    expect(spec.unknown).toBeUndefined();
  });

  test.each([
    ['an object', { test: ['CMD', 'true'], interval: '10s', retries: 3 }],
    ['a one-element list', [{ test: ['CMD', 'true'], interval: '10s', retries: 3 }]],
  ])('single block healthcheck as %s', (_shape, hc) => {
    expect(container({ healthcheck: hc }).healthcheck).toEqual({ test: ['CMD', 'true'], interval: '10s', retries: 3 });
  });

  test('an empty list for a single block is absent', () => {
    const spec = container({ capabilities: [] });
    expect(spec.capAdd).toBeUndefined();
    expect(spec.unknown).toBeUndefined();
  });

  test.each([
    ['a list', [{ internal: 80, external: 8080, ip: '127.0.0.1' }]],
    ['a single object', { internal: 80, external: 8080, ip: '127.0.0.1' }],
  ])('repeated block ports as %s', (_shape, ports) => {
    expect(container({ ports }).ports).toEqual([{ internal: 80, external: 8080, ip: '127.0.0.1' }]);
  });

  test('repeated blocks: ulimit, devices, volumes, mounts, labels, networks_advanced', () => {
    const spec = container({
      ulimit: [{ name: 'nofile', soft: 1024, hard: 2048 }, { name: 'nproc', soft: 64, hard: 64 }],
      devices: { host_path: '/dev/fuse', permissions: 'rwm' },
      volumes: [
        { host_path: '/var/run/docker.sock', container_path: '/var/run/docker.sock', read_only: true },
        { volume_name: 'data', container_path: '/data' },
        { from_container: 'other', container_path: '/x' },
      ],
      mounts: [
        { type: 'bind', source: '/etc', target: '/host-etc', read_only: true, bind_options: { propagation: 'rshared' } },
        { type: 'tmpfs', target: '/run', tmpfs_options: [{ size_bytes: 65536, mode: 448 }] },
      ],
      labels: [{ label: 'team', value: 'web' }],
      networks_advanced: [{ name: 'front' }, { name: 'back' }],
    });
    expect(spec.ulimits).toEqual([{ name: 'nofile', soft: 1024, hard: 2048 }, { name: 'nproc', soft: 64, hard: 64 }]);
    expect(spec.devices).toEqual([{ hostPath: '/dev/fuse', permissions: 'rwm' }]);
    expect(spec.mounts).toEqual([
      { type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: true },
      { type: 'volume', source: 'data', target: '/data' },
      { type: 'volumes-from', source: 'other', target: '/x' },
      { type: 'bind', source: '/etc', target: '/host-etc', readOnly: true, propagation: 'rshared' },
      { type: 'tmpfs', target: '/run' },
    ]);
    expect(spec.tmpfs).toEqual([{ path: '/run', options: 'size=65536,mode=700', fromMount: true, optionsBlock: true }]);
    expect(spec.labels).toEqual({ team: 'web' });
    expect(spec.networks).toEqual(['front', 'back']);
  });

  test('maps: tmpfs, sysctls, log_opts (and a map wrapped in a one-element list)', () => {
    const spec = container({
      tmpfs: { '/tmp': 'rw,noexec,nosuid,size=64m', '/cache': '' },
      sysctls: [{ 'net.ipv4.ip_unprivileged_port_start': 0 }],
      log_driver: 'json-file',
      log_opts: { 'max-size': '10m', 'max-file': 3 },
    });
    expect(spec.tmpfs).toEqual([{ path: '/tmp', options: 'rw,noexec,nosuid,size=64m' }, { path: '/cache' }]);
    expect(spec.sysctls).toEqual({ 'net.ipv4.ip_unprivileged_port_start': '0' });
    expect(spec.logOpts).toEqual({ 'max-size': '10m', 'max-file': '3' });
    expect(spec.logDriver).toBe('json-file');
  });
});

describe('docker_container: values', () => {
  test('numbers and booleans written as strings', () => {
    const spec = container({
      read_only: 'true',
      privileged: 'false',
      init: true,
      memory: '512',
      cpu_shares: '256',
      cpu_period: 100000,
      cpu_quota: '50000',
      user: 1000,
      max_retry_count: '3',
      ports: [{ internal: '8080', external: '80' }],
    });
    expect(spec).toMatchObject({
      readOnly: true,
      privileged: false,
      init: true,
      memoryBytes: 512 * MIB,
      cpuShares: 256,
      cpuPeriod: 100000,
      cpuQuota: 50000,
      user: '1000',
      maxRetryCount: 3,
      ports: [{ internal: 8080, external: 80 }],
    });
  });

  test('memory is MiB in Terraform and bytes in the spec; memory_swap -1 stays -1 (unlimited)', () => {
    expect(container({ memory: 256, memory_swap: 512 })).toMatchObject({ memoryBytes: 256 * MIB, memorySwapBytes: 512 * MIB });
    expect(container({ memory: 256, memory_swap: -1 })).toMatchObject({ memoryBytes: 256 * MIB, memorySwapBytes: -1 });
    expect(container({ memory: 0 }).memoryBytes).toBe(0);
  });

  test('everything else maps to its field', () => {
    const spec = container({
      'name': 'web',
      'image': 'nginx@sha256:abc',
      'security_opts': ['no-new-privileges:true'],
      'cpus': '0.5',
      'restart': 'on-failure',
      'network_mode': 'host',
      'pid_mode': 'host',
      'ipc_mode': 'private',
      'userns_mode': 'host',
      'cgroupns_mode': 'private',
      'cgroup_parent': '/x',
      'runtime': 'runsc',
      'group_add': ['audio'],
      '//': { metadata: { path: 's/web' } },
    });
    expect(spec).toEqual({
      kind: ResourceKind.CONTAINER,
      source: SpecSource.TERRAFORM_JSON,
      address: 'docker_container.web',
      constructPath: 's/web',
      name: 'web',
      image: 'nginx@sha256:abc',
      securityOpts: ['no-new-privileges:true'],
      cpus: '0.5',
      restartPolicy: 'on-failure',
      networkMode: 'host',
      pidMode: 'host',
      ipcMode: 'private',
      usernsMode: 'host',
      cgroupnsMode: 'private',
      cgroupParent: '/x',
      runtime: 'runsc',
      groupAdd: ['audio'],
    });
  });

  test('absent attributes are undefined, and a spec written as JSON has only the set ones', () => {
    const spec = container({ image: 'nginx' });
    expect(spec.user).toBeUndefined();
    expect(spec.unknown).toBeUndefined();
    expect(Object.keys(JSON.parse(JSON.stringify(spec))).sort()).toEqual(['address', 'image', 'kind', 'source']);
  });
});

describe('unknown values', () => {
  test('a ${...} expression is unknown, never its text', () => {
    const spec = container({ image: '${var.image}', memory: '${var.mem}', privileged: '${var.p}', user: 'u-${var.x}' });
    expect(spec.unknown).toEqual(['image', 'memoryBytes', 'privileged', 'user']);
    expect(spec.image).toBeUndefined();
    expect(spec.memoryBytes).toBeUndefined();
    expect(spec.privileged).toBeUndefined();
    expect(spec.user).toBeUndefined();
  });

  test('a %{...} template directive is unknown', () => {
    const spec = container({ user: '%{ if var.root }root%{ else }app%{ endif }' });
    expect(isUnknown(spec, 'user')).toBe(true);
    expect(spec.user).toBeUndefined();
  });

  test('$${ and %%{ are escaped literals: known, and unescaped as Terraform does', () => {
    const spec = container({ user: '$${HOME}', labels: [{ label: 'x', value: 'a $${b} %%{c}' }], security_opts: ['$${x}'] });
    expect(spec.unknown).toBeUndefined();
    expect(spec.user).toBe('${HOME}');
    expect(spec.labels).toEqual({ x: 'a ${b} %{c}' });
    expect(spec.securityOpts).toEqual(['${x}']);
    expect(isExpression('$${x}')).toBe(false);
    expect(isExpression('a$${x}')).toBe(false);
    expect(isExpression('$${x} ${y}')).toBe(true);
    expect(isExpression('$$${x}')).toBe(false); // "$" then the escape "$${"
  });

  test('an expression inside a list or map makes the field unknown and keeps its known items', () => {
    const spec = container({ security_opts: ['no-new-privileges:true', '${var.opt}'], tmpfs: { '/tmp': '${var.o}' }, log_opts: { 'max-size': '${var.s}' } });
    expect(spec.unknown).toEqual(['logOpts', 'securityOpts', 'tmpfs']);
    expect(spec.securityOpts).toEqual(['no-new-privileges:true']);
    expect(spec.logOpts).toBeUndefined();
    // The tmpfs is there; only its options are unknown: every tmpfs is listed.
    expect(spec.tmpfs).toEqual([{ path: '/tmp', unknown: ['options'] }]);
    expect(spec.listedInFull).toEqual(['tmpfs']);
  });

  test('a map key that is an expression makes the field unknown, not a literal key', () => {
    const spec = container({ tmpfs: { '${var.p}': 'rw,exec', '/run': 'rw,noexec,nosuid' }, log_opts: { '${var.k}': '10m' } });
    expect(spec.tmpfs).toEqual([{ path: '/run', options: 'rw,noexec,nosuid' }]);
    expect(spec.unknown).toEqual(['logOpts', 'tmpfs']);
    expect(spec.listedInFull).toBeUndefined();
    expect(spec.logOpts).toBeUndefined();
  });

  test('a whole block given as an expression is unknown', () => {
    const spec = container({ capabilities: '${var.caps}', ports: '${var.ports}', healthcheck: '${var.hc}' });
    expect(spec.unknown).toEqual(['capAdd', 'capDrop', 'healthcheck', 'ports']);
    expect(spec.ports).toBeUndefined();
  });

  test('dynamic blocks (cdktf shape: an object per block) are unknown', () => {
    const spec = container({
      image: 'nginx',
      dynamic: {
        ports: { for_each: '${toset(["80"])}', iterator: 'each', content: { internal: '${each.value}' } },
        capabilities: { for_each: '${var.c}', content: { drop: ['ALL'] } },
      },
    });
    expect(spec.unknown).toEqual(['capAdd', 'capDrop', 'ports']);
    expect(spec.ports).toBeUndefined();
    expect(spec.capDrop).toBeUndefined();
  });

  test('dynamic blocks (hcl2json shape: lists) are unknown, static blocks beside them are kept', () => {
    const spec = container({
      ports: [{ internal: 443, external: 443 }],
      dynamic: { ports: [{ for_each: [80], content: [{ internal: '${ports.value}' }] }], mounts: [{ for_each: '${var.m}', content: [{}] }] },
    });
    // A dynamic mounts block may be a tmpfs: tmpfs is unknown too.
    expect(spec.unknown).toEqual(['mounts', 'ports', 'tmpfs']);
    expect(spec.ports).toEqual([{ internal: 443, external: 443 }]);
  });

  test('an unknown attribute of a block item keeps the item and names the attribute: nothing invented in its place', () => {
    const spec = container({
      ports: [{ internal: '${var.p}' }, { internal: 80 }],
      ulimit: [{ name: 'nproc', soft: '${var.n}', hard: 10 }],
      devices: [{ host_path: '${var.d}' }],
      mounts: [{ type: '${var.t}', target: '/x' }],
      volumes: [{ host_path: '${var.h}', container_path: '/y' }],
    });
    expect(spec.ports).toEqual([{ internal: 0, unknown: ['internal'] }, { internal: 80 }]);
    expect(spec.ulimits).toEqual([{ name: 'nproc', soft: 0, hard: 10, unknown: ['soft'] }]);
    expect(spec.devices).toEqual([{ hostPath: '', unknown: ['hostPath'] }]);
    expect(spec.mounts).toEqual([
      { type: 'bind', target: '/y', unknown: ['source'] },
      { type: '', target: '/x', unknown: ['type'] },
    ]);
    expect(spec.unknown).toEqual(['devices', 'mounts', 'ports', 'tmpfs', 'ulimits']);
    // A mount of unknown type may be a tmpfs not listed; every other list has all its items.
    expect(spec.listedInFull).toEqual(['devices', 'mounts', 'ports', 'ulimits']);
  });

  test('plan JSON after_unknown marks values unknown', () => {
    const spec = containerSpecFromContainer('web', { image: 'nginx', user: null }, { afterUnknown: { user: true }, source: SpecSource.TERRAFORM_PLAN });
    expect(spec.unknown).toEqual(['user']);
    expect(spec.source).toBe(SpecSource.TERRAFORM_PLAN);
  });
});

describe('docker_service', () => {
  const body = {
    name: 'api',
    labels: [{ label: `${SUPPRESSION_LABEL_PREFIX}read-only-rootfs`, value: 'writes its cache to /app' }],
    task_spec: {
      container_spec: {
        image: 'registry.local/api@sha256:0123',
        user: '1000:1000',
        read_only: true,
        cap_add: ['NET_BIND_SERVICE'],
        cap_drop: ['ALL'],
        sysctl: { 'net.core.somaxconn': '1024' },
        groups: ['app'],
        mounts: [
          { type: 'tmpfs', target: '/tmp', tmpfs_options: { size_bytes: 1048576, mode: 511 } },
          { type: 'bind', source: '/srv', target: '/srv', read_only: true },
        ],
        healthcheck: { test: ['CMD', 'true'], interval: '5s', timeout: '2s', start_period: '1s', retries: 2 },
        labels: [{ label: 'team', value: 'api' }],
      },
      resources: { limits: { memory_bytes: 268435456, nano_cpus: 500000000 } },
      restart_policy: { condition: 'on-failure', max_attempts: 3 },
      networks_advanced: [{ name: 'back' }],
    },
    mode: { replicated: { replicas: 2 } },
    endpoint_spec: { ports: [{ target_port: 8080, published_port: 80, publish_mode: 'ingress', protocol: 'tcp' }] },
  };

  test('task_spec maps to the spec', () => {
    const spec = service(body);
    expect(spec).toEqual({
      kind: ResourceKind.SERVICE,
      source: SpecSource.TERRAFORM_JSON,
      address: 'docker_service.api',
      name: 'api',
      image: 'registry.local/api@sha256:0123',
      user: '1000:1000',
      readOnly: true,
      capAdd: ['NET_BIND_SERVICE'],
      capDrop: ['ALL'],
      sysctls: { 'net.core.somaxconn': '1024' },
      groupAdd: ['app'],
      tmpfs: [{ path: '/tmp', options: 'size=1048576,mode=777', fromMount: true, optionsBlock: true }],
      mounts: [{ type: 'tmpfs', target: '/tmp' }, { type: 'bind', source: '/srv', target: '/srv', readOnly: true }],
      healthcheck: { test: ['CMD', 'true'], interval: '5s', timeout: '2s', startPeriod: '1s', retries: 2 },
      labels: { team: 'api' },
      memoryBytes: 268435456, // already bytes: not multiplied
      nanoCpus: 500000000,
      restartPolicy: 'on-failure',
      maxRetryCount: 3,
      networks: ['back'],
      replicas: 2,
      ports: [{ internal: 8080, external: 80, ip: '0.0.0.0', protocol: 'tcp', publishMode: 'ingress' }],
      suppressions: [{ ruleId: 'read-only-rootfs', reason: 'writes its cache to /app', origin: 'label "hardened-docker.suppress.read-only-rootfs"' }],
    });
  });

  test('the same service in hcl2json shape (every block a one-element list) gives the same spec', () => {
    const listed = JSON.parse(JSON.stringify(body), (k, v) => (
      v && typeof v === 'object' && !Array.isArray(v) && ['container_spec', 'resources', 'limits', 'restart_policy', 'healthcheck', 'tmpfs_options', 'mode', 'replicated', 'endpoint_spec', 'task_spec'].includes(k) ? [v] : v));
    expect(listed.task_spec[0].container_spec).toHaveLength(1);
    expect(service(listed)).toEqual(service(body));
  });

  test('a task_spec or container_spec that is dynamic or an expression makes every task field unknown', () => {
    for (const b of [
      { name: 'x', task_spec: '${var.t}' },
      { name: 'x', task_spec: { container_spec: '${var.cs}' } },
      { name: 'x', dynamic: { task_spec: { for_each: '${var.t}', content: {} } } },
    ]) {
      const spec = service(b);
      for (const f of ['image', 'user', 'readOnly', 'capDrop', 'memoryBytes', 'healthcheck'] as const) {
        expect(isUnknown(spec, f)).toBe(true);
      }
      expect(spec.user).toBeUndefined();
    }
  });

  test('a tmpfs mount says whether it has a tmpfs_options block (provider 3.6.x panics on any, on a service)', () => {
    const mounts = [
      { type: 'tmpfs', target: '/a', tmpfs_options: { mode: 1023 } },
      { type: 'tmpfs', target: '/b', tmpfs_options: {} },
      { type: 'tmpfs', target: '/c', tmpfs_options: [] },
      { type: 'tmpfs', target: '/d' },
    ];
    const spec = service({ task_spec: { container_spec: { image: 'a', mounts } } });
    expect(spec.tmpfs).toEqual([
      { path: '/a', options: 'mode=1777', fromMount: true, optionsBlock: true },
      { path: '/b', options: undefined, fromMount: true, optionsBlock: true },
      { path: '/c', options: undefined, fromMount: true, optionsBlock: false },
      { path: '/d', options: undefined, fromMount: true, optionsBlock: false },
    ]);
    const result = builtinRule('service-tmpfs-size')!.check(spec);
    expect(result.status).toBe(RuleStatus.FAIL);
    expect(result.message).toBe('tmpfs_options on /a (mode=1777), /b (an empty block): provider 3.6.x panics on apply');
  });

  test('limits as an expression: memory and CPU unknown', () => {
    const spec = service({ task_spec: { container_spec: { image: 'a' }, resources: { limits: '${var.l}' } } });
    expect(spec.unknown).toEqual(['memoryBytes', 'nanoCpus']);
  });
});

describe('documents', () => {
  test('cdktf synth shape: resources by type and name, in file order, with construct paths', () => {
    const doc = {
      resource: {
        docker_image: { img: { name: 'nginx' } },
        docker_container: { a: { 'image': 'x', '//': { metadata: { path: 's/a' } } }, b: { image: 'y' } },
        docker_service: { s: { name: 's', task_spec: { container_spec: { image: 'z' } } } },
      },
    };
    const specs = specsFromTerraformJson(doc, { file: 'cdk.tf.json' });
    expect(specs.map((s) => [s.address, s.image, s.file])).toEqual([
      ['docker_container.a', 'x', 'cdk.tf.json'], ['docker_container.b', 'y', 'cdk.tf.json'], ['docker_service.s', 'z', 'cdk.tf.json'],
    ]);
    expect(specs[0].constructPath).toBe('s/a');
  });

  test('a document without resources has no specs', () => {
    expect(specsFromTerraformJson({})).toEqual([]);
    expect(specsFromTerraformJson({ resource: { docker_image: { i: { name: 'x' } } } })).toEqual([]);
  });

  test('`resource` as a list of blocks', () => {
    expect(dockerResources({ resource: [{ docker_container: { a: {} } }, { docker_container: { b: {} } }] }).map((r) => r.name)).toEqual(['a', 'b']);
  });

  test('hcl2json output of a .tf file: one-element lists, expressions, dynamic blocks, escapes', async () => {
    const tf = `
variable "mem" {}
resource "docker_container" "web" {
  name        = "web"
  image       = "nginx@sha256:abc"
  memory      = var.mem
  memory_swap = -1
  read_only   = true
  user        = "1000"
  tmpfs       = { "/tmp" = "rw,noexec,nosuid" }
  capabilities {
    drop = ["ALL"]
  }
  dynamic "ports" {
    for_each = [80]
    content {
      internal = ports.value
    }
  }
  labels {
    label = "a"
    value = "$\${literal}"
  }
  healthcheck {
    test = ["CMD", "true"]
  }
}
resource "docker_service" "api" {
  name = "api"
  task_spec {
    container_spec {
      image     = "api"
      read_only = true
      cap_drop  = ["ALL"]
    }
    resources {
      limits {
        memory_bytes = 1048576
      }
    }
  }
}`;
    const doc = await parseHcl('main.tf', tf);
    const [web, api] = specsFromTerraformJson(doc, { file: 'main.tf', source: SpecSource.TERRAFORM_HCL });
    expect(web).toMatchObject({
      address: 'docker_container.web',
      file: 'main.tf',
      source: SpecSource.TERRAFORM_HCL,
      name: 'web',
      image: 'nginx@sha256:abc',
      memorySwapBytes: -1,
      readOnly: true,
      user: '1000',
      tmpfs: [{ path: '/tmp', options: 'rw,noexec,nosuid' }],
      capDrop: ['ALL'],
      labels: { a: '${literal}' },
      healthcheck: { test: ['CMD', 'true'] },
    });
    expect(web.unknown).toEqual(['memoryBytes', 'ports']);
    expect(web.memoryBytes).toBeUndefined();
    expect(api).toMatchObject({ address: 'docker_service.api', image: 'api', readOnly: true, capDrop: ['ALL'], memoryBytes: 1048576 });
    expect(api.unknown).toBeUndefined();
  });
});

describe('malformed input', () => {
  const bad: [string, any, RegExp][] = [
    ['a resource that is not an object', { resource: { docker_container: { web: 'nginx' } } }, /x\.tf\.json: docker_container\.web: a resource must be an object of attributes, got "nginx"/],
    ['a single block given twice', { resource: { docker_container: { web: { capabilities: [{}, {}] } } } }, /docker_container\.web: "capabilities" is a single block, got 2 of them: write one block, as an object \{\.\.\.\} or a one-element list/],
    ['a block that is a string', { resource: { docker_container: { web: { healthcheck: 'yes' } } } }, /"healthcheck" must be a block: an object/],
    ['a repeated block of strings', { resource: { docker_container: { web: { ports: ['80'] } } } }, /"ports" must be a list of blocks \[\{\.\.\.\}, \.\.\.\]/],
    ['a boolean that is not one', { resource: { docker_container: { web: { privileged: 'yes' } } } }, /"privileged" must be true or false .*got "yes"/],
    ['a number that is not one', { resource: { docker_container: { web: { memory: '512m' } } } }, /"memory" must be a number .*got "512m"/],
    ['a string that is an object', { resource: { docker_container: { web: { user: { id: 1 } } } } }, /"user" must be a string/],
    ['a list of strings holding an object', { resource: { docker_container: { web: { security_opts: [{}] } } } }, /"security_opts" must be a list of strings/],
    ['a map that is a list', { resource: { docker_container: { web: { tmpfs: ['/tmp', '/run'] } } } }, /"tmpfs" must be a map of strings/],
    ['a port without internal', { resource: { docker_container: { web: { ports: [{ external: 80 }] } } } }, /docker_container\.web: a "ports" block needs "internal"; valid form: \{"internal": 8080/],
    ['a ulimit without hard', { resource: { docker_container: { web: { ulimit: [{ name: 'nproc', soft: 1 }] } } } }, /a "ulimit" block needs "hard"/],
    ['a document that is a list', [], /x\.tf\.json: expected a Terraform JSON object \(\{"resource": \{\.\.\.\}\}\), got a list/],
    ['resource types that are not a map', { resource: { docker_container: ['web'] } }, /"resource\.docker_container" must map resource names to bodies/],
    ['a service task_spec given twice', { resource: { docker_service: { api: { task_spec: [{}, {}] } } } }, /docker_service\.api: "task_spec" is a single block/],
  ];
  test.each(bad)('%s: AdapterError naming the file, the address and the valid form', (_what, doc, message) => {
    let err: any;
    try {
      specsFromTerraformJson(doc, { file: 'x.tf.json' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AdapterError);
    expect(err.message).toMatch(message);
    expect(err.message).toContain('x.tf.json');
  });

  test.each([
    ['{"a": }', 1, 7],
    ['{\n  "resource": {\n    "x": 1,\n  }\n}', 4, 3],
    ['{"a": 1', 1, 8],
    ['', 1, 1],
    ['{\n"a" 1}', 2, 5],
    ['[1,2,]', 1, 6],
    ['{"a": "b\n"}', 1, 9],
    ['{"a": 1} x', 1, 10],
  ])('parseTerraformJson(%j) names line:column', (text, line, col) => {
    expect(() => parseTerraformJson(text, 'main.tf.json')).toThrow(new RegExp(`^main\\.tf\\.json:${line}:${col}: malformed JSON`));
    expect(() => parseTerraformJson(text, 'main.tf.json')).toThrow(AdapterError);
  });

  test('parseTerraformJson parses valid JSON (and a byte order mark)', () => {
    expect(parseTerraformJson('\ufeff{"resource": {}}', 'f')).toEqual({ resource: {} });
  });
});

describe('properties', () => {
  const word = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,11}$/);
  const capName = fc.constantFrom('ALL', 'NET_BIND_SERVICE', 'CHOWN', 'cap_sys_admin', 'SETUID');
  const mib = fc.integer({ min: 1, max: 65536 });
  const port = fc.integer({ min: 1, max: 65535 });
  const containerBody = fc.record({
    name: word,
    image: word,
    user: fc.constantFrom('root', '1000', '1000:1000', 'app'),
    read_only: fc.boolean(),
    privileged: fc.boolean(),
    init: fc.boolean(),
    memory: mib,
    memory_swap: fc.oneof(fc.constant(-1), mib),
    cpu_shares: fc.integer({ min: 2, max: 1024 }),
    restart: fc.constantFrom('no', 'on-failure', 'always', 'unless-stopped'),
    network_mode: fc.constantFrom('bridge', 'host', 'none'),
    security_opts: fc.uniqueArray(fc.constantFrom('no-new-privileges:true', 'seccomp=unconfined', 'apparmor=docker-default'), { maxLength: 3 }),
    capabilities: fc.record({ add: fc.uniqueArray(capName, { maxLength: 3 }), drop: fc.uniqueArray(capName, { maxLength: 3 }) }),
    ports: fc.array(fc.record({ internal: port, external: port, ip: fc.constantFrom('127.0.0.1', '0.0.0.0') }), { maxLength: 3 }),
    tmpfs: fc.dictionary(fc.stringMatching(/^\/[a-z]{1,8}$/), fc.constantFrom('rw,noexec,nosuid', 'size=64m'), { maxKeys: 3 }),
    healthcheck: fc.record({ test: fc.constant(['CMD', 'true']), interval: fc.constantFrom('10s', '30s'), retries: fc.integer({ min: 1, max: 9 }) }),
  }, { requiredKeys: [] });

  // What the spec should say for each attribute: [spec field, expected from the attribute value].
  function expected(body: any): Partial<ContainerSpec> {
    const e: any = {};
    if ('name' in body) e.name = body.name;
    if ('image' in body) e.image = body.image;
    if ('user' in body) e.user = body.user;
    if ('read_only' in body) e.readOnly = body.read_only;
    if ('privileged' in body) e.privileged = body.privileged;
    if ('init' in body) e.init = body.init;
    if ('memory' in body) e.memoryBytes = body.memory * MIB;
    if ('memory_swap' in body) e.memorySwapBytes = body.memory_swap === -1 ? -1 : body.memory_swap * MIB;
    if ('cpu_shares' in body) e.cpuShares = body.cpu_shares;
    if ('restart' in body) e.restartPolicy = body.restart;
    if ('network_mode' in body) e.networkMode = body.network_mode;
    if ('security_opts' in body) e.securityOpts = body.security_opts;
    if ('capabilities' in body) {
      if ('add' in body.capabilities) e.capAdd = body.capabilities.add;
      if ('drop' in body.capabilities) e.capDrop = body.capabilities.drop;
    }
    if (body.ports?.length) e.ports = body.ports;
    if (body.tmpfs && Object.keys(body.tmpfs).length) e.tmpfs = Object.entries(body.tmpfs).map(([path, options]) => ({ path, options }));
    if ('healthcheck' in body) e.healthcheck = body.healthcheck;
    return e;
  }

  test('any container body built from valid attribute values round-trips to the spec', () => {
    fc.assert(fc.property(containerBody, (body) => {
      const spec = container(body);
      const { kind, source, address, ...fields } = spec;
      expect(kind).toBe(ResourceKind.CONTAINER);
      expect(address).toBe('docker_container.web');
      expect(fields).toEqual(expected(body));
    }), { numRuns: 200 });
  });

  test('the same body in hcl2json shape (single blocks as one-element lists) gives the same spec', () => {
    fc.assert(fc.property(containerBody, (body) => {
      const listed: any = { ...body };
      if (body.capabilities) listed.capabilities = [body.capabilities];
      if (body.healthcheck) listed.healthcheck = [body.healthcheck];
      expect(container(listed)).toEqual(container(body));
    }), { numRuns: 100 });
  });

  const scalarFields: [string, keyof ContainerSpec][] = [
    ['name', 'name'], ['image', 'image'], ['user', 'user'], ['read_only', 'readOnly'], ['privileged', 'privileged'], ['init', 'init'],
    ['memory', 'memoryBytes'], ['memory_swap', 'memorySwapBytes'], ['cpu_shares', 'cpuShares'], ['restart', 'restartPolicy'],
    ['network_mode', 'networkMode'], ['security_opts', 'securityOpts'], ['tmpfs', 'tmpfs'], ['healthcheck', 'healthcheck'],
  ];

  test('unknown never yields a known value: an expression in place of any attribute leaves that field unset and listed unknown', () => {
    const expr = fc.stringMatching(/^[a-z.]{1,10}$/).map((s) => `\${var.${s}}`);
    fc.assert(fc.property(containerBody, fc.subarray(scalarFields, { minLength: 1 }), expr, (body, replaced, e) => {
      const b: any = { ...body };
      for (const [attr] of replaced) b[attr] = e;
      const spec = container(b);
      for (const [, field] of replaced) {
        expect(spec[field]).toBeUndefined();
        expect(spec.unknown).toContain(field);
      }
      // No expression text leaks into any value.
      expect(JSON.stringify({ ...spec, unknown: undefined })).not.toContain('${');
    }), { numRuns: 200 });
  });

  test('unknown fields are exactly the fields whose attribute held an expression', () => {
    fc.assert(fc.property(containerBody, fc.subarray(scalarFields), (body, replaced) => {
      const b: any = { ...body };
      for (const [attr] of replaced) b[attr] = '${local.x}';
      const spec = container(b);
      expect(spec.unknown ?? []).toEqual(replaced.map(([, f]) => f).sort());
    }), { numRuns: 200 });
  });
});
