import { ContainerSpec } from '../spec/container-spec';
import { bodyMayJoinAnother, withJoinedContainers } from '../spec/joined-containers';
import { dockerResources, specFromResource, TerraformResourceRef } from '../spec/terraform/resources';
import { mayHoldUnknown } from '../spec/terraform/unknown-scan';
import { VOLUME_RESOURCE_TYPE, VolumeBind, volumeBindsOf, withVolumeBinds } from '../spec/volume-binds';

/**
 * The docker_container and docker_service specs of a stack's JSON as `hardened-docker check` reads the same JSON:
 * what the stack's own locals and resources decide written in (spec/terraform/stack-references.ts), a named volume
 * that binds a host path (`docker_volume` with `o = "bind"`) read as that bind, and a container that joins another's
 * namespace or takes its volumes (`container:<other>`, `from_container`) read with what it takes. Specs are made one
 * at a time, as the checks stream them; only when some container may join another are they all read (at the first
 * `at`), since the one joined may come later.
 */
export class StackSpecs {
  /** The stack's docker resources, their bodies as synth reads them. */
  public readonly refs: readonly TerraformResourceRef[];
  private readonly found: readonly TerraformResourceRef[];
  /** plain[i]: nothing in found[i]'s body may be unknown. Each body is scanned once, here. */
  private readonly plain: readonly boolean[];
  private readonly binds: VolumeBind[];
  private readonly joins: boolean;
  private all?: ContainerSpec[];

  constructor(json: any) {
    this.found = dockerResources(json);
    this.plain = this.found.map((r) => !mayHoldUnknown(r.body, true));
    this.refs = this.plain.includes(false) ? stackReferences().withStackReferences(json, [...this.found], this.plain) : this.found;
    this.binds = hasResourceType(json, VOLUME_RESOURCE_TYPE) ? volumeBindsOf(volumesOf(json)) : [];
    this.joins = this.refs.some((r) => r.type === 'docker_container' && bodyMayJoinAnother(r.body));
  }

  /** The spec of refs[i] (the adapter's errors are thrown from here). */
  public at(i: number): ContainerSpec {
    if (!this.joins) return this.one(i);
    this.all ??= withJoinedContainers(this.refs.map((_, k) => this.one(k)));
    return this.all[i];
  }

  private one(i: number): ContainerSpec {
    const ref = this.refs[i];
    const spec = specFromResource(ref, this.plain[i] && ref.body === this.found[i].body ? SCANNED_PLAIN : undefined);
    return this.binds.length ? withVolumeBinds(spec, this.binds) : spec;
  }
}

const SCANNED_PLAIN = { scannedPlain: true } as const;

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

function stackReferences(): typeof import('../spec/terraform/stack-references') {
  // Loaded only for a stack whose bodies hold an expression.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../spec/terraform/stack-references');
}
