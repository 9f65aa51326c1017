import { attributeUnknown, isAtOrBelow, normalizeHostPath } from './helpers';
import { SENSITIVE_HOST_PATHS } from './sensitive-paths';
import { MountSpec } from '../spec/container-spec';

/**
 * Whether one mount binds a sensitive host path (SENSITIVE_HOST_PATHS): false when it cannot (a named volume, a
 * tmpfs, a path elsewhere), undefined when its host path is unknown and it could be a bind, else the normalized
 * host path. The mount's type may still be unknown: the caller decides what that means.
 */
export function sensitiveHostPath(m: MountSpec): string | false | undefined {
  if (m.type !== 'bind' && !attributeUnknown(m, 'type')) return false;
  if (attributeUnknown(m, 'source')) return undefined;
  const hostPath = normalizeHostPath(m.source);
  if (hostPath === undefined) return false;
  for (const dir of SENSITIVE_HOST_PATHS) if (isAtOrBelow(hostPath, dir)) return hostPath;
  return false;
}

/** `/etc -> /host/etc (rw)`; an attribute not known before apply reads `<unknown>`. */
export function describeItem(m: MountSpec): string {
  const mode = attributeUnknown(m, 'readOnly') ? 'ro or rw: unknown' : m.readOnly === true ? 'ro' : 'rw';
  return `${mountEnd(m, 'source', m.source)} -> ${mountEnd(m, 'target', m.target)} (${mode})`;
}

/** A mount's source or target as a message shows it. */
export function mountEnd(m: MountSpec, attribute: 'source' | 'target', value: string | undefined): string {
  return attributeUnknown(m, attribute) ? '<unknown>' : value ?? '?';
}
