import { UnknownCause } from '../../src/spec/container-spec';
import { UNKNOWN_AFTER_APPLY } from '../../src/spec/plan-adapter';
import { containerSpecFromContainer, containerSpecFromService } from '../../src/spec/terraform-adapter';
import { expressionCode, unknownCausesOf } from '../../src/spec/unknown-causes';

describe('unknownCausesOf: why an expression left in the configuration is not known', () => {
  test.each([
    ['${var.memory}', [UnknownCause.VARIABLE]],
    ['${module.app.port}', [UnknownCause.REMOTE_MODULE]],
    ['${data.docker_network.n.name}', [UnknownCause.DATA_SOURCE]],
    ['${docker_network.n.id}', [UnknownCause.AFTER_APPLY]],
    [UNKNOWN_AFTER_APPLY, [UnknownCause.AFTER_APPLY]],
    ['${timestamp()}', [UnknownCause.FUNCTION]],
    ['${provider::docker::parse(var.x)}', [UnknownCause.VARIABLE, UnknownCause.FUNCTION]],
    // An evaluated function is unknown through its arguments, not the function.
    ['${lookup(var.m, "k", "d")}', [UnknownCause.VARIABLE]],
    ['${local.x}', [UnknownCause.OTHER]],
    ['${each.value}', [UnknownCause.OTHER]],
    ['${1 + }', [UnknownCause.OTHER]],
    ['/srv/${var.env}/${data.t.n.path}', [UnknownCause.VARIABLE, UnknownCause.DATA_SOURCE]],
    ['${[for m in var.mounts : m.source]}', [UnknownCause.VARIABLE]],
    ['%{ if var.debug }exec%{ endif }', [UnknownCause.VARIABLE]],
    // Nested templates inside string literals are read.
    ['${format("%s", "${data.x.y.z}")}', [UnknownCause.DATA_SOURCE]],
  ])('%s', (text, causes) => {
    expect(unknownCausesOf(text)).toEqual(causes);
  });

  test('only the expression parts of a template are read: literal text and string literals are not references', () => {
    expect(unknownCausesOf('/data/var.log-${docker_volume.v.name}')).toEqual([UnknownCause.AFTER_APPLY]);
    expect(unknownCausesOf('${format("var.x data.y %s", module.m.o)}')).toEqual([UnknownCause.REMOTE_MODULE]);
    expect(expressionCode('a ${var.x} b')).toBe('var.x');
  });

  test('deeply nested templates do not exhaust the stack', () => {
    const deep = '${"'.repeat(200000) + 'var.x' + '"}'.repeat(200000);
    expect(unknownCausesOf(deep)).toEqual([UnknownCause.VARIABLE]);
    const unclosed = '${format("${'.repeat(100000);
    expect(unknownCausesOf(unclosed)).toEqual([UnknownCause.OTHER]);
  });

  test('an escaped template is no expression', () => {
    expect(unknownCausesOf('$${var.x}')).toEqual([]);
    expect(unknownCausesOf('plain')).toEqual([]);
  });
});

describe('causes recorded on the spec', () => {
  test('per field, each cause once, by field', () => {
    const spec = containerSpecFromContainer('x', {
      memory: '${var.memory}',
      user: '${data.u.n.user}',
      image: '${module.m.image}',
      network_mode: '${docker_network.n.name}',
      security_opts: ['${var.a}', '${var.b}', '${timestamp()}'],
      dynamic: { ports: [{ for_each: ['80'], content: [{ internal: '${ports.value}' }] }], devices: [{ for_each: '${var.d}', content: [{}] }] },
    });
    expect(spec.unknownCauses).toEqual([
      { field: 'devices', cause: UnknownCause.VARIABLE },
      { field: 'image', cause: UnknownCause.REMOTE_MODULE },
      { field: 'memoryBytes', cause: UnknownCause.VARIABLE },
      { field: 'networkMode', cause: UnknownCause.AFTER_APPLY },
      // A dynamic block over a literal collection, not expanded here: dynamic.
      { field: 'ports', cause: UnknownCause.DYNAMIC },
      { field: 'securityOpts', cause: UnknownCause.VARIABLE },
      { field: 'securityOpts', cause: UnknownCause.FUNCTION },
      { field: 'user', cause: UnknownCause.DATA_SOURCE },
    ]);
  });

  test('fields unknown through a block carry the block\'s cause', () => {
    const spec = containerSpecFromService('s', { task_spec: '${var.task}' });
    expect(spec.unknownCauses?.every((c) => c.cause === UnknownCause.VARIABLE)).toBe(true);
    expect(new Set(spec.unknownCauses?.map((c) => c.field))).toEqual(new Set(spec.unknown));
  });

  test('a spec without unknowns has no causes', () => {
    expect(containerSpecFromContainer('x', { image: 'nginx', memory: 256 }).unknownCauses).toBeUndefined();
  });
});
