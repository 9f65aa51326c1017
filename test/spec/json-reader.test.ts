import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import {
  countKeyTokens, MAX_JSON_DEPTH, parseTerraformJson, provablyPlain, readJsonDocument,
} from '../../src/spec/terraform/json-reader';
import { AdapterError, specsFromTerraformJson } from '../../src/spec/terraform-adapter';

/** The error message of reading `text`, or undefined when it reads. */
function errorOf(text: string, file = 'main.tf.json'): string | undefined {
  try {
    parseTerraformJson(text, file);
    return undefined;
  } catch (e: any) {
    expect(e).toBeInstanceOf(AdapterError);
    return String(e.message);
  }
}

const container = (body: string) => `{"resource": {"docker_container": {"web": ${body}}}}`;

describe('repeated keys of block types are more blocks', () => {
  test('a second "resource" key adds its resources (JSON.parse keeps only the last)', () => {
    const text = '{"resource": {"docker_container": {"evil": {"image": "x", "privileged": true}}},\n'
      + ' "resource": {"docker_container": {"web": {"image": "y"}}}}';
    expect(Object.keys(JSON.parse(text).resource.docker_container)).toEqual(['web']);
    const specs = specsFromTerraformJson(parseTerraformJson(text, 'f'));
    expect(specs.map((s) => [s.address, s.privileged])).toEqual([['docker_container.evil', true], ['docker_container.web', undefined]]);
  });

  test('a second resource type key adds its resources', () => {
    const text = '{"resource": {"docker_container": {"a": {"image": "x", "privileged": true}}, "docker_container": {"b": {"image": "y"}}}}';
    expect(specsFromTerraformJson(parseTerraformJson(text, 'f')).map((s) => s.address)).toEqual(['docker_container.a', 'docker_container.b']);
  });

  test('repeated nested blocks (volumes, mounts, ports) add up in order, objects and lists alike', () => {
    const text = container(`{"image": "x",
      "volumes": {"host_path": "/srv", "container_path": "/srv"},
      "ports": [{"internal": 80, "external": 8080}],
      "volumes": [{"host_path": "/var/run/docker.sock", "container_path": "/var/run/docker.sock"}],
      "mounts": {"type": "bind", "source": "/etc", "target": "/host-etc"},
      "ports": {"internal": 22, "external": 2222},
      "mounts": null}`);
    const [spec] = specsFromTerraformJson(parseTerraformJson(text, 'f'));
    expect(spec.mounts!.map((m) => m.source)).toEqual(['/srv', '/var/run/docker.sock', '/etc']);
    expect(spec.ports!.map((p) => p.internal)).toEqual([80, 22]);
  });

  test('nested blocks of nested blocks: a service\'s container_spec mounts, repeated', () => {
    const text = '{"resource": {"docker_service": {"s": {"name": "s", "task_spec": {"container_spec": {"image": "x",'
      + ' "mounts": {"type": "bind", "source": "/", "target": "/host"},'
      + ' "mounts": {"type": "bind", "source": "/var/run/docker.sock", "target": "/s"}}}}}}}';
    const [spec] = specsFromTerraformJson(parseTerraformJson(text, 'f'));
    expect(spec.mounts!.map((m) => m.source)).toEqual(['/', '/var/run/docker.sock']);
  });

  test('a repeated "dynamic" key keeps every dynamic block', () => {
    const text = container('{"image": "x", "dynamic": {"ports": {"for_each": [1], "content": {"internal": 1}}},'
      + ' "dynamic": {"mounts": {"for_each": [1], "content": {"target": "/t", "type": "bind"}}}}');
    expect(parseTerraformJson(text, 'f').resource.docker_container.web.dynamic).toEqual([
      { ports: { for_each: [1], content: { internal: 1 } } },
      { mounts: { for_each: [1], content: { target: '/t', type: 'bind' } } },
    ]);
  });

  test('resource types this project does not read: repeated object values are blocks, repeated scalars an error', () => {
    const doc = parseTerraformJson('{"resource": {"aws_instance": {"a": {"ebs_block_device": {"size": 1}, "ebs_block_device": {"size": 2}}}}}', 'f');
    expect(doc.resource.aws_instance.a.ebs_block_device).toEqual([{ size: 1 }, { size: 2 }]);
    expect(errorOf('{"resource": {"aws_instance": {"a": {"ami": "x",\n "ami": "y"}}}}')).toMatch(/^main\.tf\.json:2:2: Duplicate argument "ami"/);
  });

  test('"//" comment keys: Terraform ignores them, the last one is kept (as JSON.parse does)', () => {
    const doc = parseTerraformJson(container('{"//": {"a": 1}, "image": "x", "//": {"b": 2}}'), 'f');
    expect(doc.resource.docker_container.web['//']).toEqual({ b: 2 });
  });
});

describe('Terraform\'s errors, with the position of the second occurrence', () => {
  test('a repeated argument is "Duplicate argument" at its line:column', () => {
    const text = container('{\n  "image": "x",\n  "privileged": true,\n  "privileged": false\n}');
    expect(errorOf(text)).toBe('main.tf.json:4:3: Duplicate argument "privileged" in docker_container.web: it was already set at 3:3; '
      + 'Terraform refuses an argument set twice (write it once)');
  });

  test('a repeated argument inside a nested block', () => {
    expect(errorOf(container('{"image": "x", "volumes": {"host_path": "/a", "host_path": "/b"}}'))).toMatch(
      /^main\.tf\.json:1:89: Duplicate argument "host_path" in docker_container\.web\.volumes: it was already set at 1:70/);
  });

  test('the same resource name twice is "Duplicate resource", across keys, blocks and lists', () => {
    const dup = /^main\.tf\.json:\d+:\d+: Duplicate resource "docker_container" configuration: a docker_container resource named "web" was already declared at/;
    expect(errorOf('{"resource": {"docker_container": {"web": {"image": "a"}, "web": {"image": "b"}}}}')).toMatch(dup);
    expect(errorOf('{"resource": {"docker_container": {"web": {}}}, "resource": {"docker_container": {"web": {}}}}')).toMatch(dup);
    expect(errorOf('{"resource": [{"docker_container": {"web": {}}}, {"docker_container": {"web": {}}}]}')).toMatch(dup);
    expect(errorOf('{"resource": {"docker_container": {"web": [{"image": "a"}, {"image": "b"}]}}}')).toMatch(dup);
    // the same name in another type is another resource
    expect(errorOf('{"resource": {"docker_container": {"web": {}}, "docker_service": {"web": {}}}}')).toBeUndefined();
  });

  test('variables, outputs, module calls and locals declared twice', () => {
    expect(errorOf('{"variable": {"x": {}}, "variable": {"x": {}}}')).toMatch(/^main\.tf\.json:1:38: Duplicate variable declaration/);
    expect(errorOf('{"output": {"x": {"value": 1}},\n"output": {"x": {"value": 2}}}')).toMatch(/^main\.tf\.json:2:12: Duplicate output declaration/);
    expect(errorOf('{"module": [{"m": {"source": "./a"}}, {"m": {"source": "./b"}}]}')).toMatch(/Duplicate module call declaration/);
    expect(errorOf('{"locals": {"x": 1}, "locals": {"x": 2}}')).toMatch(/^main\.tf\.json:1:33: Duplicate local value definition/);
    expect(errorOf('{"locals": {"x": 1, "y": 2}, "locals": {"z": 2}}')).toBeUndefined();
  });

  test('a single block (MaxItems 1) given twice: "Too many ... blocks"', () => {
    expect(errorOf(container('{"image": "x", "capabilities": {"drop": ["ALL"]},\n "capabilities": {"add": ["SYS_ADMIN"]}}'))).toMatch(
      /^main\.tf\.json:2:2: Too many "capabilities" blocks in docker_container\.web: no more than 1 is allowed \(the first is at 1:58\)/);
    expect(errorOf(container('{"image": "x", "healthcheck": [{"test": ["a"]}, {"test": ["b"]}]}'))).toMatch(/Too many "healthcheck" blocks/);
    expect(errorOf(container('{"image": "x", "capabilities": null, "capabilities": {"drop": ["ALL"]}}'))).toBeUndefined();
  });

  test('a key repeated in an argument\'s object value is "Duplicate object attribute"', () => {
    expect(errorOf(container('{"image": "x", "log_opts": {"max-size": "1m", "max-size": "1g"}}'))).toMatch(
      /^main\.tf\.json:1:89: Duplicate object attribute "max-size" in docker_container\.web: it was already defined at 1:71/);
  });

  test('plan JSON is written by Terraform without repeated keys: one is an error', () => {
    expect(errorOf('{"format_version": "1.2", "planned_values": {"root_module": {}}, "planned_values": {"root_module": {}}}'))
      .toMatch(/^main\.tf\.json:1:66: Duplicate key "planned_values" in plan JSON \(first at 1:27\)/);
  });
});

describe('malformed input: one line with the position, never a crash', () => {
  test.each([
    ['{"resource": {"docker_container": {"a": {"privileged": tru', 1, 59],
    ['{"resource": {\n  "docker_container": {', 2, 24],
    ['{"a": "unterminated', 1, 20],
    ['[1, 2', 1, 6],
    ['\ufeff{"a": [', 1, 8],
  ])('truncated JSON %j: unexpected end of input at %i:%i', (text, line, column) => {
    expect(errorOf(text)).toMatch(new RegExp(`^main\\.tf\\.json:${line}:${column}: malformed JSON: unexpected end of input`));
  });

  test('a byte order mark is accepted', () => {
    expect(parseTerraformJson('\ufeff{"resource": {}}', 'f')).toEqual({ resource: {} });
  });

  test.each([
    ['arrays', (n: number) => '['.repeat(n) + ']'.repeat(n)],
    ['objects', (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)],
    ['truncated arrays', (n: number) => '['.repeat(n)],
  ])('nesting of %s deeper than the limit: its position, no stack overflow', (what, make) => {
    for (const n of [MAX_JSON_DEPTH + 1, 100_000]) {
      const message = errorOf(make(n));
      expect(message).toMatch(new RegExp(`^main\\.tf\\.json:1:\\d+: JSON nested deeper than ${MAX_JSON_DEPTH} arrays and objects`));
      expect(message!.length).toBeLessThan(200);
    }
    if (what !== 'truncated arrays') expect(errorOf(make(MAX_JSON_DEPTH))).toBeUndefined();
  });

  test('a number out of range (1e400 is Infinity to JSON.parse) is an error at the number', () => {
    expect(JSON.parse('{"memory": 1e400}').memory).toBe(Infinity);
    expect(errorOf(container('{"image": "x",\n "memory": -1e400}'))).toMatch(/^main\.tf\.json:2:12: number "-1e400" is out of range/);
    expect(errorOf(`[${'9'.repeat(400)}]`)).toMatch(/^main\.tf\.json:1:2: number "9{40}…" is out of range/);
  });

  test('errors echo at most a short excerpt of the input', () => {
    const long = 'k'.repeat(100_000);
    for (const text of [`{"${long}": 1, "${long}": 2}`, `{"a": 1} ${long}`, `{"a": "${long}\n"}`, `[1e${'9'.repeat(1000)}]`,
      `{"resource": {"docker_container": {"${long}": {"privileged": true, "privileged": false}}}}`,
      `{"resource": {"docker_container": {"${long}": {}, "${long}": {}}}}`, `{"resource": {"${long}": {"a": {}, "a": {}}}}`]) {
      expect(errorOf(text)!.length).toBeLessThan(300);
    }
  });

  test('a repeated block key holding 200,000 blocks is read (no argument spread of them)', () => {
    const many = Array.from({ length: 200_000 }, () => '{"host_path": "/srv", "container_path": "/srv"}').join(',');
    const doc = parseTerraformJson(container(`{"image": "x", "volumes": [${many}], "volumes": {"host_path": "/", "container_path": "/h"}}`), 'f');
    expect(doc.resource.docker_container.web.volumes).toHaveLength(200_001);
  });

  test('a control character in an error is escaped', () => {
    expect(errorOf('{"a": 1}\u001b[31m')).toBe('main.tf.json:1:9: malformed JSON: unexpected "\\u001b" (expected the end of input after the JSON value)');
  });
});

describe('the fast path (JSON.parse and a key count) reads what the positioned reader reads', () => {
  // Keys and strings that look like the end of a key: escaped quotes, backslashes, colons, unicode escapes.
  const tricky = fc.constantFrom('a', 'b', ':', ' :', '":', '\\":', '\\\\":', '\\', '\\\\', '"', 'a":', '\u0022', 'é', '😀', '//', '__proto__', '');
  /** A key or string written in JSON, with `"` sometimes as \u0022 and other characters sometimes \u-escaped. */
  const written = (s: string, escapes: boolean[]) => {
    let out = '"';
    [...s].forEach((ch, i) => {
      const cp = ch.codePointAt(0)!;
      if (escapes[i % escapes.length] && cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
      else out += JSON.stringify(ch).slice(1, -1);
    });
    return out + '"';
  };
  const ws = fc.constantFrom('', ' ', '\n', '\t', '\r\n', '  ');
  type Tree = { object: [string, Tree][] } | { array: Tree[] } | { scalar: string | number | boolean | null };
  const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.oneof(tricky, fc.integer(), fc.boolean(), fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true }))
        .map((scalar) => ({ scalar })),
      fc.array(fc.tuple(tricky, tie('tree')), { maxLength: 4 }).map((object) => ({ object })),
      fc.array(tie('tree'), { maxLength: 3 }).map((array) => ({ array })),
    ),
  }));
  const write = (t: Tree, spaces: string[], escapes: boolean[], k = { n: 0 }): string => {
    const sp = () => spaces[k.n++ % spaces.length];
    if ('scalar' in t) return typeof t.scalar === 'string' ? written(t.scalar, escapes) : JSON.stringify(t.scalar);
    if ('array' in t) return `[${sp()}${t.array.map((x) => write(x, spaces, escapes, k)).join(`${sp()},${sp()}`)}${sp()}]`;
    return `{${sp()}${t.object.map(([key, v]) => `${written(key, escapes)}${sp()}:${sp()}${write(v, spaces, escapes, k)}`).join(`,${sp()}`)}${sp()}}`;
  };
  const hasRepeatedKey = (t: Tree): boolean => {
    if ('scalar' in t) return false;
    if ('array' in t) return t.array.some(hasRepeatedKey);
    return new Set(t.object.map(([key]) => key)).size < t.object.length || t.object.some(([, v]) => hasRepeatedKey(v));
  };
  const texts = fc.tuple(tree, fc.array(ws, { minLength: 1, maxLength: 5 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }))
    .map(([t, spaces, escapes]) => ({ t, text: write(t, spaces, escapes) }));

  test('soundness: when the key count says "no repeated key", there is none', () => {
    fc.assert(fc.property(texts, ({ t, text }) => {
      const doc = JSON.parse(text);
      if (provablyPlain(text, doc)) expect(hasRepeatedKey(t)).toBe(false);
    }), { numRuns: 3000 });
  });

  test('the key count never counts fewer keys than the text has', () => {
    const count = (t: Tree): number => ('scalar' in t ? 0 : 'array' in t ? t.array.reduce((n, x) => n + count(x), 0)
      : t.object.reduce((n, [, v]) => n + 1 + count(v), 0));
    fc.assert(fc.property(texts, ({ t, text }) => {
      expect(countKeyTokens(text)).toBeGreaterThanOrEqual(count(t));
    }), { numRuns: 3000 });
  });

  test('parseTerraformJson (fast path when it applies) and the positioned reader give the same value or the same error', () => {
    const outcome = (f: () => unknown) => {
      try {
        return { value: f() };
      } catch (e: any) {
        return { error: String(e.message) };
      }
    };
    fc.assert(fc.property(texts, ({ t, text }) => {
      const fast = outcome(() => parseTerraformJson(text, 'f'));
      expect(fast).toEqual(outcome(() => readJsonDocument(text, 'f')));
      if (!hasRepeatedKey(t)) expect(fast).toEqual({ value: JSON.parse(text) });
    }), { numRuns: 2000 });
  });

  test('plan JSON, whose "resources" lists hold every resource, takes the fast path', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', 'cli', 'fixtures', 'plan', 'plan.json'), 'utf8');
    expect(JSON.parse(text).planned_values.root_module.resources.length).toBeGreaterThan(1);
    expect(provablyPlain(text, JSON.parse(text))).toBe(true);
    // the same list under a configuration's single block type goes the positioned way
    const config = '{"resource": {"docker_service": {"s": {"task_spec": {"resources": [{}, {}]}}}}}';
    expect(provablyPlain(config, JSON.parse(config))).toBe(false);
  });

  test('on Terraform-shaped documents (declarations as lists, single blocks as lists) too', () => {
    const cap = fc.record({ add: fc.constant(['SYS_ADMIN']) });
    const single = fc.oneof(cap, fc.array(cap, { maxLength: 3 }), fc.constant(null));
    const body = fc.record({
      image: fc.constant('x'),
      capabilities: single,
      healthcheck: single,
      volumes: fc.array(fc.record({ host_path: fc.constant('/'), container_path: fc.constant('/h') }), { maxLength: 2 }),
      task_spec: fc.record({ container_spec: single, resources: fc.record({ limits: single }) }),
    }, { requiredKeys: [] });
    const names = fc.dictionary(fc.constantFrom('a', 'b'), fc.oneof(body, fc.array(body, { maxLength: 2 })), { maxKeys: 2 });
    const types = fc.dictionary(fc.constantFrom('docker_container', 'docker_service', 'aws_instance'), fc.oneof(names, fc.array(names, { maxLength: 2 })), { maxKeys: 2 });
    const variables = fc.dictionary(fc.constantFrom('x', 'y'), fc.oneof(fc.constant({}), fc.array(fc.constant({ default: 1 }), { maxLength: 2 })), { maxKeys: 2 });
    const locals = fc.dictionary(fc.constantFrom('x', 'y'), fc.integer(), { maxKeys: 2 });
    const doc = fc.record({
      resource: fc.oneof(types, fc.array(types, { maxLength: 2 })),
      variable: fc.oneof(variables, fc.array(variables, { maxLength: 2 })),
      locals: fc.oneof(locals, fc.array(locals, { maxLength: 2 })),
      format_version: fc.constant('1.2'),
      planned_values: fc.record({ root_module: fc.record({ resources: fc.array(fc.record({ values: body }), { maxLength: 3 }) }) }),
    }, { requiredKeys: [] });
    const outcome = (f: () => unknown) => {
      try {
        return { value: f() };
      } catch (e: any) {
        return { error: String(e.message) };
      }
    };
    fc.assert(fc.property(doc, fc.constantFrom(undefined, 1), (d, indent) => {
      const text = JSON.stringify(d, null, indent);
      expect(outcome(() => parseTerraformJson(text, 'f'))).toEqual(outcome(() => readJsonDocument(text, 'f')));
    }), { numRuns: 1000 });
  });

  test('JSON.parse and the positioned reader accept and refuse the same texts', () => {
    const mutated = fc.tuple(texts, fc.nat(), fc.constantFrom('', '"', '\\', ':', ',', '}', ']', '{', '[', 'x', '1', '-', '.', 'e', ' '), fc.boolean())
      .map(([{ text }, at, insert, cut]) => {
        const i = at % (text.length + 1);
        return cut ? text.slice(0, i) : text.slice(0, i) + insert + text.slice(i);
      });
    fc.assert(fc.property(mutated, (text) => {
      let parsed = true;
      try {
        JSON.parse(text);
      } catch {
        parsed = false;
      }
      let message: string | undefined;
      try {
        readJsonDocument(text, 'f');
      } catch (e: any) {
        expect(e).toBeInstanceOf(AdapterError);
        message = String(e.message);
      }
      if (!parsed) expect(message).toMatch(/^f:\d+:\d+: malformed JSON: /);
      else if (message !== undefined) expect(message).not.toMatch(/malformed JSON/);
    }), { numRuns: 3000 });
  });
});

describe('never a crash', () => {
  // Keys Terraform gives a meaning, at any level, repeated at random, with values of any shape.
  const key = fc.constantFrom('resource', 'data', 'variable', 'locals', 'module', 'output', 'terraform', 'docker_container',
    'docker_service', 'web', 'capabilities', 'healthcheck', 'volumes', 'mounts', 'dynamic', 'content', 'task_spec',
    'container_spec', 'privileged', 'lifecycle', 'provisioner', '//', '__proto__', 'toString', 'constructor', 'format_version');
  const { value } = fc.letrec<{ value: string }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom('1', 'true', 'null', '"x"', '"${var.x}"', '1e400', '[]', '{}'),
      fc.array(fc.tuple(key, tie('value')), { maxLength: 5 }).map((props) => `{${props.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(', ')}}`),
      fc.array(tie('value'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
    ),
  }));

  test('any document of Terraform keys and shapes, repeated at random, reads or is one AdapterError; so does reading its resources', () => {
    fc.assert(fc.property(value, (text) => {
      let doc: unknown;
      try {
        doc = parseTerraformJson(text, 'f');
      } catch (e) {
        expect(e).toBeInstanceOf(AdapterError);
        expect(String((e as Error).message)).toMatch(/^f:\d+:\d+: /);
        return;
      }
      try {
        specsFromTerraformJson(doc, { file: 'f' });
      } catch (e) {
        expect(e).toBeInstanceOf(AdapterError);
      }
    }), { numRuns: 3000 });
  });
});

