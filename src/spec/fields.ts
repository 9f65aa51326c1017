import { ContainerSpec } from './container-spec';

/** Field names a spec can list in `unknown`: each is a property of ContainerSpec. */
export type SpecField = Exclude<keyof ContainerSpec, 'kind' | 'source' | 'address' | 'file' | 'constructPath' | 'unknown' | 'listedInFull' | 'unknownCauses' | 'unreadable'>;

/** True when `field` of `spec` is not known before apply. */
export function isUnknown(spec: Pick<ContainerSpec, 'unknown'>, field: SpecField): boolean {
  return spec.unknown !== undefined && spec.unknown.includes(field);
}

/**
 * True when the list field `field` of `spec` may have items that are not listed (unknown, and not listed in full):
 * the known items are there, but whatever the rule asks of the list cannot be settled by them alone.
 */
export function mayHaveUnlistedItems(spec: Pick<ContainerSpec, 'unknown' | 'listedInFull'>, field: SpecField): boolean {
  return isUnknown(spec, field) && !(spec.listedInFull !== undefined && spec.listedInFull.includes(field));
}

/** True when attribute `attribute` of one list item (a mount, a port, ...) is not known before apply. */
export function isItemAttributeUnknown(item: { readonly unknown?: string[] }, attribute: string): boolean {
  return item.unknown !== undefined && item.unknown.includes(attribute);
}
