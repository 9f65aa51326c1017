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
 * of thousands of containers has few distinct settings. Two bodies share a reading when every attribute other than
 * `name` and the `//` comment is equal, in the same order, and in the `//` comment the suppressions are equal and the
 * construct path is present in both or neither (see settingsShape); a repeat copies the first spec with its own
 * address, name and construct path. The specs equal reading every body alone (a property test compares them). Only
 * bodies with a literal `name` (no expression) are shared. A body is compared with the first bodies read with its
 * image (at most SHARED_PER_IMAGE of them); after 256 bodies with fewer than 1 in 8 repeats, sharing stops, so a
 * document of all-different containers pays for 256 comparisons only.
 */
export class SharedReading {
  /** The first bodies of each distinct settings, by image: the image tells most settings apart at once. */
  private readonly firsts = new Map<unknown, FirstReading[]>();
  private keyed = 0;
  private repeats = 0;

  constructor(private readonly opts: AdapterOptions = {}) {}

  public spec(ref: TerraformResourceRef): ContainerSpec {
    const body = ref.body;
    if (ref.type !== 'docker_container' || !this.keying() || !shareable(body)) return specFromResource(ref, this.opts);
    this.keyed++;
    let firsts = this.firsts.get(body.image);
    let first: FirstReading | undefined;
    for (let i = 0; first === undefined && firsts !== undefined && i < firsts.length; i++) {
      if (matches(firsts[i].settings, body)) first = firsts[i];
    }
    if (first === undefined) {
      const spec = specFromResource(ref, this.opts);
      if (firsts === undefined) this.firsts.set(body.image, firsts = []);
      if (firsts.length < SHARED_PER_IMAGE) {
        firsts.push({ settings: settingsShape(body), spec });
        recordSharedSettings(spec, spec);
      }
      return spec;
    }
    this.repeats++;
    const out: any = { ...first.spec };
    out.address = ref.address ?? `docker_container.${ref.name}`;
    const name = body.name;
    if (name !== undefined) out.name = name;
    const path = body['//']?.metadata?.path;
    if (path !== undefined) out.constructPath = path;
    recordSharedSettings(out, first.spec);
    return out as ContainerSpec;
  }

  private keying(): boolean {
    return this.keyed < 256 || this.repeats * 8 >= this.keyed;
  }
}

/** The settings of a body SharedReading read first (see settingsShape), and its spec. */
interface FirstReading {
  readonly settings: Shape;
  readonly spec: ContainerSpec;
}

/** How many distinct settings of one image SharedReading keeps to compare with: more would make each lookup a long scan. */
const SHARED_PER_IMAGE = 16;

/**
 * Whether a docker_container body can share a reading: an object, whose `name` is absent or a literal string (an
 * expression is unknown: the spec lists it), and whose construct path (`//`.metadata.path) is absent or a string.
 */
function shareable(body: Json): boolean {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const name = body.name;
  if (name !== undefined && (typeof name !== 'string' || name.indexOf('{') >= 0 || name.indexOf('%') >= 0)) return false;
  const path = body['//']?.metadata?.path;
  return path === undefined || typeof path === 'string';
}

/**
 * A parsed JSON value made ready to compare many others with (see matches): an object's keys in order with their
 * values, a list's items, any other value itself; and, in a body's settings, `name` (any value) and the `//` comment
 * (whether it has a construct path, and its suppressions).
 */
type Shape =
  | { readonly kind: 'value'; readonly value: Json }
  | { readonly kind: 'list'; readonly items: Shape[] }
  | { readonly kind: 'object'; readonly keys: string[]; readonly values: Shape[] }
  | { readonly kind: 'any' }
  | { readonly kind: 'comment'; readonly hasPath: boolean; readonly suppressions: Shape };

function shapeOf(value: Json): Shape {
  if (value === null || typeof value !== 'object') return { kind: 'value', value };
  if (Array.isArray(value)) return { kind: 'list', items: value.map(shapeOf) };
  const keys = Object.keys(value);
  return { kind: 'object', keys, values: keys.map((k) => shapeOf(value[k])) };
}

/**
 * The settings of a shareable body: every attribute, in order, equal as JSON, except `name` (any value, but present
 * or absent alike) and the `//` comment, of which only the suppressions and whether there is a construct path count.
 */
function settingsShape(body: Json): Shape {
  const keys = Object.keys(body);
  return {
    kind: 'object',
    keys,
    values: keys.map((k): Shape => {
      if (k === 'name') return { kind: 'any' };
      if (k !== '//') return shapeOf(body[k]);
      const comment = body[k];
      return { kind: 'comment', hasPath: comment?.metadata?.path !== undefined, suppressions: shapeOf(comment?.[METADATA_KEY]) };
    }),
  };
}

/** Whether a parsed JSON value has a shape: objects with the same keys in the same order, lists item by item. */
function matches(shape: Shape, value: Json): boolean {
  switch (shape.kind) {
    case 'value':
      return shape.value === value;
    case 'any':
      return true;
    case 'comment':
      return (value?.metadata?.path !== undefined) === shape.hasPath && matches(shape.suppressions, value?.[METADATA_KEY]);
    case 'list': {
      const items = shape.items;
      if (!Array.isArray(value) || value.length !== items.length) return false;
      for (let i = 0; i < items.length; i++) if (!matches(items[i], value[i])) return false;
      return true;
    }
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
      const { keys, values } = shape;
      // for...in, not Object.keys: no list made per object compared. It walks the same keys in the same order.
      let i = 0;
      for (const k in value) {
        if (i === keys.length || k !== keys[i] || !matches(values[i], value[k])) return false;
        i++;
      }
      return i === keys.length;
    }
  }
}
