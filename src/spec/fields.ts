import { ContainerSpec } from './container-spec';

/** Field names a spec can list in `unknown`: each is a property of ContainerSpec. */
export type SpecField = Exclude<keyof ContainerSpec, 'kind' | 'source' | 'address' | 'file' | 'constructPath' | 'unknown'>;

/** True when `field` of `spec` is not known before apply. */
export function isUnknown(spec: ContainerSpec, field: SpecField): boolean {
  return spec.unknown !== undefined && spec.unknown.includes(field);
}
