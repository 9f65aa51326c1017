import * as fs from 'fs';
import * as path from 'path';
import { FIXTURES, ROOT, tempDir } from './helpers';
import { InputError, InputUnit, loadInputs, resourceLines } from '../../src/cli/inputs';

test('each input kind is detected', async () => {
  const units = await loadInputs(['tf-json/containers.tf.json', 'hcl', 'plan/plan.json'], { cwd: FIXTURES });
  expect(units.map((u) => [u.kind, u.file, u.specs.length])).toEqual([
    ['terraform-json', 'tf-json/containers.tf.json', 3],
    // A directory of HCL is one module: the unit is the directory.
    ['hcl', 'hcl', 2],
    ['plan-json', 'plan/plan.json', 3],
  ]);
});

test('a plan under any file name, and a .json that is Terraform JSON, are told apart by content', async () => {
  const { dir, cleanup } = tempDir();
  try {
    fs.copyFileSync(path.join(FIXTURES, 'plan/plan.json'), path.join(dir, 'tfplan.out'));
    fs.writeFileSync(path.join(dir, 'main.json'), JSON.stringify({ resource: [{ docker_container: [{ a: [{ name: 'a' }] }] }] }));
    const units = await loadInputs(['tfplan.out', 'main.json'], { cwd: dir });
    expect(units.map((u) => u.kind)).toEqual(['plan-json', 'terraform-json']);
    expect(units[1].specs[0].name).toBe('a');
  } finally {
    cleanup();
  }
});

test('a cdktf manifest.json named directly means its stacks', async () => {
  const { dir, cleanup } = tempDir();
  try {
    fs.mkdirSync(path.join(dir, 'out/stacks/s1'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'out/stacks/s1/cdk.tf.json'), JSON.stringify({ resource: { docker_container: { c: { name: 'c' } } } }));
    fs.writeFileSync(path.join(dir, 'out/manifest.json'), JSON.stringify({
      version: '0.21.0', stacks: { s1: { name: 's1', synthesizedStackPath: 'stacks/s1/cdk.tf.json', workingDirectory: 'stacks/s1' } },
    }));
    const units = await loadInputs(['out/manifest.json'], { cwd: dir });
    expect(units.map((u) => [u.kind, u.stack, u.file])).toEqual([['cdktf-stack', 's1', 'out/stacks/s1/cdk.tf.json']]);
  } finally {
    cleanup();
  }
});

test('unreadable input is an InputError', async () => {
  await expect(loadInputs(['nope'], { cwd: ROOT })).rejects.toThrow(new InputError('nope: no such file or directory'));
  await expect(loadInputs(['-'], { cwd: ROOT })).rejects.toThrow(InputError);
});

describe('resourceLines', () => {
  const unit = (kind: InputUnit['kind'], text: string, addresses: string[]): InputUnit =>
    ({ kind, file: 'f', text, specs: addresses.map((address) => ({ address } as any)) });

  test('Terraform JSON: the key of each resource, not an earlier value with the same text', () => {
    const text = [
      '{"resource": {',
      '  "docker_container": {',
      '    "a": {"name": "b", "labels": [{"label": "x", "value": "b"}]},',
      '    "b": {',
      '      "name": "a"',
      '    },',
      '    "we\\"ird": {}',
      '  }',
      '}}',
    ].join('\n');
    const lines = resourceLines(unit('terraform-json', text, ['docker_container.a', 'docker_container.b', 'docker_container.we"ird']));
    expect([...lines]).toEqual([['docker_container.a', 3], ['docker_container.b', 4], ['docker_container.we"ird', 7]]);
  });

  test('HCL: the resource block line; plan JSON: the planned_values entry', () => {
    const hcl = 'variable "x" {}\n\n  resource "docker_container" "a" {\n}\nresource   "docker_service" "s" {}\n';
    expect([...resourceLines(unit('hcl', hcl, []))]).toEqual([['docker_container.a', 3], ['docker_service.s', 5]]);
    const plan = fs.readFileSync(path.join(FIXTURES, 'plan/plan.json'), 'utf8');
    const lines = resourceLines(unit('plan-json', plan, ['docker_container.web', 'module.workers.docker_container.worker[0]']));
    expect(lines.get('docker_container.web')).toBe(8);
    expect(lines.get('module.workers.docker_container.worker[0]')).toBe(73);
  });

  test('10,000 resources are all located', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `c${i}`);
    const text = JSON.stringify({ resource: { docker_container: Object.fromEntries(names.map((n) => [n, { name: n }])) } }, null, 2);
    const lines = resourceLines(unit('terraform-json', text, names.map((n) => `docker_container.${n}`)));
    expect(lines.size).toBe(10_000);
    expect(lines.get('docker_container.c9999')).toBe(text.split('\n').findIndex((l) => l.includes('"c9999": {')) + 1);
  });
});
