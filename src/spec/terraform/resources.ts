/**
 * The docker_container and docker_service resources of a Terraform JSON document, and one resource to a spec.
 */
import { AdapterError, AdapterOptions, Json } from './common';
import { containerSpecFromContainer } from './container';
import { containerSpecFromService } from './service';
import { ContainerSpec } from '../container-spec';

/** One resource found in a Terraform JSON document. */
export interface TerraformResourceRef {
  readonly type: 'docker_container' | 'docker_service';
  readonly name: string;
  readonly body: Json;
  /** The full address (`module.web["a"].docker_container.app[0]`), when it is not `<type>.<name>`. */
  readonly address?: string;
}

/**
 * The docker_container and docker_service resources of one Terraform JSON document, in file order.
 * Accepts cdktf's `{resource: {type: {name: body}}}`, hcl2json's one-element lists, and `resource` as a list.
 */
export function dockerResources(doc: Json, file?: string): TerraformResourceRef[] {
  const where = file ?? 'Terraform JSON';
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new AdapterError(`${where}: expected a Terraform JSON object ({"resource": {...}}), got ${Array.isArray(doc) ? 'a list' : JSON.stringify(doc)}`);
  }
  const out: TerraformResourceRef[] = [];
  const resourceBlocks = doc.resource === undefined ? [] : Array.isArray(doc.resource) ? doc.resource : [doc.resource];
  for (const block of resourceBlocks) {
    if (block === null || typeof block !== 'object' || Array.isArray(block)) {
      throw new AdapterError(`${where}: "resource" must be an object of resource types, got ${JSON.stringify(block)}`);
    }
    for (const type of ['docker_container', 'docker_service'] as const) {
      const byName = block[type];
      if (byName === undefined) continue;
      const maps = Array.isArray(byName) ? byName : [byName];
      for (const m of maps) {
        if (m === null || typeof m !== 'object' || Array.isArray(m)) {
          throw new AdapterError(`${where}: "resource.${type}" must map resource names to bodies, got ${JSON.stringify(m)}`);
        }
        for (const [name, body] of Object.entries(m)) {
          // hcl2json writes each resource as a one-element list.
          const bodies = Array.isArray(body) ? body : [body];
          for (const b of bodies) out.push({ type, name, body: b });
        }
      }
    }
  }
  return out;
}

/** One resource to a spec. */
export function specFromResource(ref: TerraformResourceRef, opts: AdapterOptions = {}): ContainerSpec {
  if (ref.address !== undefined) opts = { ...opts, address: ref.address };
  return ref.type === 'docker_container'
    ? containerSpecFromContainer(ref.name, ref.body, opts)
    : containerSpecFromService(ref.name, ref.body, opts);
}
