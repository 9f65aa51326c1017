/**
 * Every resource of a Terraform JSON document as specs, with bodies of the same settings read once.
 */
import { AdapterOptions, Json, METADATA_KEY } from './common';
import { dockerResources, specFromResource, TerraformResourceRef } from './resources';
import { ContainerSpec } from '../container-spec';
import { recordSharedSettings } from '../shared-settings';

/**
 * Every docker_container and docker_service of a Terraform JSON document as specs. docker_container bodies whose
 * settings are the same apart from their name and construct path are read once (see SharedReading).
 */
export function specsFromTerraformJson(doc: Json, opts: AdapterOptions = {}): ContainerSpec[] {
  const shared = new SharedReading(opts);
  return dockerResources(doc, opts.file).map((ref) => shared.spec(ref));
}

/**
 * Reads docker_container bodies, once per distinct settings. cdktf writes every replica, and every resource a loop
 * makes, with the same attributes apart from the resource name, `name` and the construct path; a Terraform JSON file
 * of thousands of containers has few distinct settings. A body is keyed by its attributes other than `name` and the
 * `//` metadata path (the `//` suppressions stay in the key); a repeat copies the first spec with its own address,
 * name and construct path. The specs equal reading every body alone (a property test compares them). Only bodies
 * with a literal `name` (no expression) are shared; after 256 bodies with fewer than 1 in 8 repeats, keying stops,
 * so a document of all-different containers pays for 256 keys only.
 */
export class SharedReading {
  private readonly firsts = new Map<string, ContainerSpec>();
  private keyed = 0;
  private repeats = 0;

  constructor(private readonly opts: AdapterOptions = {}) {}

  public spec(ref: TerraformResourceRef): ContainerSpec {
    const key = ref.type === 'docker_container' && this.keying() ? settingsKey(ref.body) : undefined;
    if (key === undefined) return specFromResource(ref, this.opts);
    this.keyed++;
    const first = this.firsts.get(key);
    if (first === undefined) {
      const spec = specFromResource(ref, this.opts);
      this.firsts.set(key, spec);
      recordSharedSettings(spec, spec);
      return spec;
    }
    this.repeats++;
    const out: any = { ...first };
    out.address = ref.address ?? `docker_container.${ref.name}`;
    const name = ref.body.name;
    if (name !== undefined) out.name = name;
    const path = ref.body['//']?.metadata?.path;
    if (path !== undefined) out.constructPath = path;
    recordSharedSettings(out, first);
    return out as ContainerSpec;
  }

  private keying(): boolean {
    return this.keyed < 256 || this.repeats * 8 >= this.keyed;
  }
}

/**
 * The settings of a docker_container body as a string: every attribute but `name` and the `//` metadata path, with
 * whether those two are present. Undefined when the body cannot be shared: not an object, a `name` that is not a
 * literal string (an expression is unknown: the spec lists it), or a metadata path that is not a string.
 */
function settingsKey(body: Json): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const name = body.name;
  if (name !== undefined && (typeof name !== 'string' || name.indexOf('{') >= 0 || name.indexOf('%') >= 0)) return undefined;
  const parts: Json[] = [name === undefined ? 0 : 1];
  for (const k in body) {
    if (k === 'name') continue;
    if (k === '//') {
      const comment = body[k];
      const path = comment?.metadata?.path;
      if (path !== undefined && typeof path !== 'string') return undefined;
      parts.push('//', path === undefined ? 0 : 1, comment?.[METADATA_KEY] ?? null);
      continue;
    }
    parts.push(k, body[k]);
  }
  return JSON.stringify(parts);
}
