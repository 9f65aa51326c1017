import { InputUnit, resourceLines } from '../../src/cli/inputs';
import { ContainerSpec } from '../../src/spec/container-spec';

function unit(kind: InputUnit['kind'], text: string, addresses: string[]): InputUnit {
  return { kind, file: 'f', text, specs: addresses.map((address) => ({ address } as ContainerSpec)) };
}

describe('locating resources in a file whose keys are written with \\u escapes', () => {
  // "\u0063" is "c": the key is "c0" to a JSON reader, but not as text. Before, every such resource missed its search,
  // got the type's line, and cost a scan of the whole file (twice) each.
  const N = 3000;
  const lines: string[] = ['{', '"resource": {', '"\\u0064ocker_container": {'];
  for (let i = 0; i < N; i++) lines.push(`"\\u0063${i}": {"name": "c${i}", "image": "x"}${i < N - 1 ? ',' : ''}`);
  lines.push('}', '}', '}');
  const text = lines.join('\n');

  test('Terraform JSON: each resource at its own line', () => {
    const found = resourceLines(unit('terraform-json', text, Array.from({ length: N }, (_, i) => `docker_container.c${i}`)));
    for (let i = 0; i < N; i += 499) expect(found.get(`docker_container.c${i}`)).toBe(4 + i);
  });

  test('plan JSON: escaped addresses are found', () => {
    const plan = ['{"resource_changes": [', ...Array.from({ length: N }, (_, i) => `{"address": "docker_\\u0063ontainer.c${i}"}${i < N - 1 ? ',' : ''}`), ']}'].join('\n');
    const found = resourceLines(unit('plan-json', plan, Array.from({ length: N }, (_, i) => `docker_container.c${i}`)));
    for (let i = 0; i < N; i += 499) expect(found.get(`docker_container.c${i}`)).toBe(2 + i);
  });
});
