import { dockerResources } from '../../src/spec/terraform/resources';
import { MAX_REFERENCE_DEPTH, withStackReferences } from '../../src/spec/terraform/stack-references';

/** The body synth reads of `docker_container.c`, in a document with these locals and other resources. */
function read(container: object, locals: object = {}, resource: object = {}): any {
  const doc = deepFreeze({ locals, resource: { ...resource, docker_container: { c: container } } });
  return withStackReferences(doc, dockerResources(doc))[0].body;
}

/** Frozen, so that a test fails if the JSON cdktf wrote were changed. */
function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

describe('locals', () => {
  test('a whole-string reference takes the value with its type', () => {
    const body = read(
      { network_mode: '${local.mode}', memory: '${local.mem}', privileged: '${local.priv}', security_opts: '${local.opts}', user: '${local.nobody}' },
      { mode: 'host', mem: 512, priv: true, opts: ['no-new-privileges:true'], nobody: null },
    );
    expect(body).toEqual({ network_mode: 'host', memory: 512, privileged: true, security_opts: ['no-new-privileges:true'], user: null });
  });

  test('inside a longer template: strings, bools and whole numbers are written in; the rest stays unknown', () => {
    const body = read(
      { name: 'web-${local.s}-${local.n}-${local.b}', user: '${local.f}:0', network_mode: 'x-${local.list}', ipc_mode: 'p-${local.s}-${var.x}' },
      { s: 'a', n: 7, b: false, f: 0.5, list: ['a'] },
    );
    expect(body.name).toBe('web-a-7-false');
    expect(body.user).toBe('${local.f}:0');
    expect(body.network_mode).toBe('x-${local.list}');
    // Known parts written in, the unknown one as written: its cause is the variable alone.
    expect(body.ipc_mode).toBe('p-a-${var.x}');
  });

  test('chains resolve; a cycle and a chain longer than the CLI\'s bound stay unknown', () => {
    const chain: { [k: string]: string } = { l0: 'host' };
    for (let i = 1; i <= MAX_REFERENCE_DEPTH + 5; i++) chain[`l${i}`] = `\${local.l${i - 1}}`;
    const body = read({ network_mode: `\${local.l${MAX_REFERENCE_DEPTH - 1}}`, pid_mode: '${local.a}' }, { ...chain, a: '${local.b}', b: 'x-${local.a}' });
    expect(body.network_mode).toBe('host');
    expect(body.pid_mode).toMatch(/\$\{local\.[ab]\}/);
    // Read alone (locals read once are not read again), the longer chain ends unknown.
    expect(read({ network_mode: `\${local.l${MAX_REFERENCE_DEPTH + 5}}` }, chain).network_mode).toMatch(/^\$\{local\.l\d+\}$/);
  });

  test('steps into a known value: an index, a key; one Terraform would refuse stays unknown', () => {
    const body = read(
      { network_mode: '${local.nets[1]}', user: '${local.cfg["user"]}', ipc_mode: '${local.nets[5]}', pid_mode: '${local.cfg.nope}' },
      { nets: ['bridge', 'host'], cfg: { user: '1000' } },
    );
    expect(body).toEqual({ network_mode: 'host', user: '1000', ipc_mode: '${local.nets[5]}', pid_mode: '${local.cfg.nope}' });
  });

  test('escapes stay literal text; a local holding a literal `${` is written back escaped', () => {
    const body = read({ name: 'a$${b}-${local.s}', user: '${local.lit}' }, { s: 'x', lit: 'u$${v}' });
    expect(body.name).toBe('a$${b}-x');
    expect(body.user).toBe('u$${v}');
  });

  test('a map key naming a local is written in', () => {
    expect(read({ tmpfs: { '${local.path}': 'rw' } }, { path: '/run' }).tmpfs).toEqual({ '/run': 'rw' });
  });
});

describe('attributes of the stack\'s resources', () => {
  const resource = {
    docker_network: { back: { name: 'back-${local.env}', driver: 'bridge' }, many: { count: 2, name: 'n' } },
    docker_volume: { data: [{ name: 'data' }] },
  };
  test('an attribute set in the body is read (itself evaluated); one not set, a meta-argument or a counted resource is not', () => {
    const body = read({
      network_mode: '${docker_network.back.name}',
      networks_advanced: [{ name: '${docker_network.back.id}' }, { name: '${docker_network.many.name}' }],
      volumes: [{ volume_name: '${docker_volume.data.name}', container_path: '/d' }],
      user: '${docker_network.many.count}',
      ipc_mode: '${docker_image.app.name}',
    }, { env: 'prod' }, resource);
    expect(body).toEqual({
      network_mode: 'back-prod',
      networks_advanced: [{ name: '${docker_network.back.id}' }, { name: '${docker_network.many.name}' }],
      volumes: [{ volume_name: 'data', container_path: '/d' }],
      user: '${docker_network.many.count}',
      ipc_mode: '${docker_image.app.name}',
    });
  });
});

test('a docker_service: nested blocks are read through', () => {
  const doc = deepFreeze({
    locals: { mode: 'host' },
    resource: {
      docker_network: { n: { name: 'overlay-net', driver: 'overlay' } },
      docker_service: {
        s: {
          name: 'svc',
          task_spec: {
            container_spec: { image: 'nginx', user: '${local.mode}' },
            networks_advanced: [{ name: '${docker_network.n.name}' }],
            dynamic: { log_driver: { for_each: '${local.mode}', content: { name: 'json-file' } } },
          },
        },
      },
    },
  });
  const [ref] = withStackReferences(doc, dockerResources(doc));
  expect(ref.body.task_spec.container_spec.user).toBe('host');
  expect(ref.body.task_spec.networks_advanced).toEqual([{ name: 'overlay-net' }]);
  expect(ref.body.task_spec.dynamic).toBe(doc.resource.docker_service.s.task_spec.dynamic);
});

describe('what stays as written', () => {
  test('variables, data sources, functions, operators, directives, dynamic blocks: the body is the same object', () => {
    const container = {
      network_mode: '${var.mode}',
      user: '${data.docker_network.d.name}',
      name: '${upper(local.s)}',
      memory: '${local.n * 2}',
      ipc_mode: '%{ if local.b }host%{ endif }',
      pid_mode: '${local.s',
      dynamic: { mounts: { for_each: '${local.list}', content: { target: '/x', type: 'tmpfs' } } },
    };
    const doc = deepFreeze({ locals: { s: 'a', n: 1, b: true, list: [1] }, resource: { docker_container: { c: container } } });
    const refs = dockerResources(doc);
    expect(withStackReferences(doc, refs)).toBe(refs);
  });

  test('a document without expressions: the same list, the same bodies', () => {
    const doc = deepFreeze({ locals: { s: 'a' }, resource: { docker_container: { a: { name: 'a', network_mode: 'host' }, b: { name: 'b', env: ['X=${local.s}'] } } } });
    const refs = dockerResources(doc);
    expect(withStackReferences(doc, refs)).toBe(refs);
  });

  test('only the attributes the adapter reads are written in; the others stay as cdktf wrote them', () => {
    const body = read({ 'network_mode': '${local.s}', 'env': ['X=${local.s}'], '//': { metadata: { path: 's/c' } } }, { s: 'host' });
    expect(body).toEqual({ 'network_mode': 'host', 'env': ['X=${local.s}'], '//': { metadata: { path: 's/c' } } });
  });
});
