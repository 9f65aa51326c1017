import * as path from 'path';
import { FIXTURES } from './helpers';
import { formatOf, INPUT_FORMATS, InputFormat, NamedInput, readNamedInput } from '../../src/cli/input-formats';
import { InputContext, InputKind, InputUnit } from '../../src/cli/input-unit';
import { InputBudget } from '../../src/cli/read-input';
import { ConfigurationLoader } from '../../src/spec/terraform/config/load';

const KINDS: InputKind[] = ['cdktf-stack', 'terraform-json', 'hcl', 'plan-json', 'compose'];

/** A context that reads Terraform only (no compose, no modules): enough to ask formats whether they match. */
function context(): InputContext {
  return {
    cwd: FIXTURES,
    budget: new InputBudget(),
    loader: new ConfigurationLoader({ cwd: FIXTURES }),
    compose: () => undefined,
    composeResources: () => ({ specs: [] }),
    unitFromLoad: () => { throw new Error('not in this test'); },
  };
}

function named(rel: string, ctx: InputContext): NamedInput {
  return new NamedInput(path.join(FIXTURES, rel), rel, ctx);
}

test('every kind of input unit has the format that locates its resources', () => {
  for (const kind of KINDS) expect(typeof formatOf(kind).lines).toBe('function');
  expect(new Set(INPUT_FORMATS.map((f) => f.kind))).toEqual(new Set(KINDS));
});

test.each([
  ['tf-json/containers.tf.json', 'terraform-json'],
  ['plan/plan.json', 'plan-json'],
  ['hcl/main.tf', 'hcl'],
  ['compose.yaml', 'compose'],
])('%s is claimed first by the %s format', (rel, kind) => {
  const ctx = context();
  const first = INPUT_FORMATS.find((f) => f.matches(named(rel, ctx)));
  expect(first?.kind).toBe(kind);
});

test('a file is read by the first format of the registry that matches it', async () => {
  const ctx = context();
  const read: string[] = [];
  const fake: InputFormat = {
    kind: 'terraform-json',
    matches: (input) => input.file.endsWith('.tf.json'),
    read: async (input) => {
      read.push(input.file);
      return [{ kind: 'terraform-json', file: input.file, text: '', specs: [] } as InputUnit];
    },
    lines: () => new Map(),
  };
  const units = await readNamedInput(named('tf-json/containers.tf.json', ctx), ctx, [fake, ...INPUT_FORMATS]);
  expect(read).toEqual(['tf-json/containers.tf.json']);
  expect(units[0].specs).toEqual([]);
  // A file it does not match goes on to the registry's formats: the plan's three resources.
  const real = await readNamedInput(named('plan/plan.json', ctx), ctx, [fake, ...INPUT_FORMATS]);
  expect(real.map((u) => [u.kind, u.specs.length])).toEqual([['plan-json', 3]]);
});
