import { MountSpec } from '../spec/container-spec';
import { isAtOrBelow, normalizeAbsolutePath as normalizeHostPath, SENSITIVE_HOST_PATHS } from '../spec/docker-facts';

// The list lives in docker-facts.ts (one module of Docker security facts); re-exported for the rules.
export { SENSITIVE_HOST_PATHS };

/** A bind mount of a sensitive host path, with the path it falls under. */
export interface SensitiveMount {
  readonly mount: MountSpec;
  readonly hostPath: string;
  readonly under: string;
}

/** The bind mounts of `mounts` whose host path is sensitive. */
export function sensitiveBindMounts(mounts: readonly MountSpec[] | undefined): readonly SensitiveMount[] {
  if (mounts === undefined || mounts.length === 0) return NONE;
  // Two rules read the same spec's mounts: found once per list (specs are not changed after the adapter).
  const cached = SENSITIVE.get(mounts);
  if (cached !== undefined) return cached;
  const out: SensitiveMount[] = [];
  for (const mount of mounts) {
    if (mount.type !== 'bind') continue;
    const hostPath = normalizeHostPath(mount.source);
    if (hostPath === undefined) continue;
    const under = SENSITIVE_HOST_PATHS.find((dir) => isAtOrBelow(hostPath, dir));
    if (under !== undefined) out.push({ mount, hostPath, under });
  }
  SENSITIVE.set(mounts, out);
  return out;
}
const NONE: readonly SensitiveMount[] = Object.freeze([]);
const SENSITIVE = new WeakMap<readonly MountSpec[], SensitiveMount[]>();

/** `/etc -> /host/etc (rw)` */
export function describeMount(m: SensitiveMount): string {
  return `${m.mount.source} -> ${m.mount.target} (${m.mount.readOnly === true ? 'ro' : 'rw'})`;
}
