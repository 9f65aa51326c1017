import * as fs from 'fs';
import { BodySchema, DOCKER_CONTAINER_BODY, DOCKER_SERVICE_BODY } from '../../src/spec/terraform/json-blocks';

/**
 * The nested blocks of a resource as the generated bindings of @cdktf/provider-docker 12.0.3 (provider 3.6.2) write
 * them: each `xToHclTerraform` lists its attributes with `isBlock`; a block mapped with `listMapperHcl(..., true)` may
 * repeat, one converted directly is a single block (the provider's `MaxItems: 1`).
 */
function blocksFromBindings(resource: string): object {
  const src = fs.readFileSync(require.resolve(`@cdktf/provider-docker/lib/${resource}/index.js`), 'utf8');
  const converters = new Map<string, string>();
  for (const m of src.matchAll(/function (\w+)ToHclTerraform\(struct\) \{([\s\S]*?)\n\}/g)) converters.set(m[1], m[2]);
  const resourceAttributes = /synthesizeHclAttributes\(\) \{([\s\S]*?)\n {4}\}/.exec(src)![1];
  const blocksOf = (text: string): object => {
    const out: { [k: string]: object } = {};
    for (const e of text.matchAll(/(\w+): \{\s*value: ([^\n]*),\s*isBlock: (true|false),/g)) {
      if (e[3] !== 'true') continue;
      const repeated = /listMapperHcl\((\w+)ToHclTerraform, true\)/.exec(e[2]);
      const child = repeated ? repeated[1] : /^(\w+)ToHclTerraform\(/.exec(e[2])![1];
      out[e[1]] = { single: !repeated, body: blocksOf(converters.get(child)!) };
    }
    return out;
  };
  return blocksOf(resourceAttributes);
}

/** The provider's blocks of a schema here, without Terraform's meta-argument blocks. */
function providerBlocks(schema: BodySchema): object {
  const out: { [k: string]: object } = {};
  for (const [type, block] of Object.entries(schema.blocks)) {
    if (['lifecycle', 'connection', 'provisioner'].includes(type)) continue;
    out[type] = { single: !!block.single, body: providerBlocks(block.body as BodySchema) };
  }
  return out;
}

test.each([
  ['container', DOCKER_CONTAINER_BODY],
  ['service', DOCKER_SERVICE_BODY],
])('the nested blocks of docker_%s are the provider\'s, single where it allows one', (resource, schema) => {
  const expected = blocksFromBindings(resource);
  expect(Object.keys(expected).length).toBeGreaterThan(5);
  expect(providerBlocks(schema)).toEqual(expected);
});
