import { ContainerSpec } from '../spec/container-spec';
import { bodyMayJoinAnother, withJoinedContainers } from '../spec/joined-containers';
import { TerraformResourceRef } from '../spec/terraform/resources';
import { VOLUME_RESOURCE_TYPE, VolumeBind, volumeBindsOf, withVolumeBinds } from '../spec/volume-binds';

/**
 * The specs of a stack's docker resources as `hardened-docker check` reads them from the same JSON: a named volume
 * that binds a host path (`docker_volume` with `o = "bind"`) read as that bind, and a container that joins another's
 * namespace or takes its volumes (`container:<other>`, `from_container`) read with what it takes. Specs are made one
 * at a time, as the checks stream them; only when some container may join another are they all read first, since
 * the one joined may come later.
 */
export class StackSpecs {
  private readonly binds: VolumeBind[];
  private readonly all?: ContainerSpec[];

  /** @param read the spec of refs[i], as the adapter reads it */
  constructor(json: any, refs: readonly TerraformResourceRef[], private readonly read: (i: number) => ContainerSpec) {
    this.binds = hasResourceType(json, VOLUME_RESOURCE_TYPE) ? volumeBindsOf(volumesOf(json)) : [];
    if (refs.some((r) => r.type === 'docker_container' && bodyMayJoinAnother(r.body))) {
      this.all = withJoinedContainers(refs.map((_, i) => this.one(i)));
    }
  }

  /** The spec of refs[i]. */
  public at(i: number): ContainerSpec {
    return this.all !== undefined ? this.all[i] : this.one(i);
  }

  private one(i: number): ContainerSpec {
    const spec = this.read(i);
    return this.binds.length ? withVolumeBinds(spec, this.binds) : spec;
  }
}

/** True when the document has resources of `type` (`resource` an object, or a list of them as Terraform JSON allows). */
export function hasResourceType(json: any, type: string): boolean {
  const resource = json?.resource;
  const blocks: unknown[] = Array.isArray(resource) ? resource : [resource];
  return blocks.some((b) => b !== null && typeof b === 'object' && (b as any)[type] !== undefined);
}

function volumesOf(json: any): Array<{ address: string; body: any }> {
  // The lenient walk of the compose-resource reader, loaded only for a stack with named volumes.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { resourceBodiesInJson } = require('../spec/compose-local-files') as typeof import('../spec/compose-local-files');
  return resourceBodiesInJson(json, [VOLUME_RESOURCE_TYPE]).map(({ name, body }) => ({ address: `${VOLUME_RESOURCE_TYPE}.${name}`, body }));
}
