/**
 * Named volumes that bind a host path. A `docker_volume` of the `local` driver with `o = "bind"` (or `rbind`) and a
 * `device` in its `driver_opts` mounts that host directory wherever a container mounts the volume, as
 * `docker volume create --opt type=none --opt o=bind --opt device=/srv/data` does: a container's `volumes {
 * volume_name = docker_volume.data.name }` is then a bind of `/srv/data`, which the mount rules must judge as one.
 */
import { ContainerSpec, MountSpec } from './container-spec';
import { isBindOption } from './docker-facts';

/** The Terraform resource type of a named volume. */
export const VOLUME_RESOURCE_TYPE = 'docker_volume';

/** A docker_volume that binds (or may bind) a host path. */
export interface VolumeBind {
  /** Its address (`docker_volume.data`). */
  readonly address: string;
  /** The name containers mount it by; undefined when only known after apply. */
  readonly name?: string;
  /** The host path it binds; undefined when its options are only known after apply (then it may bind any path). */
  readonly device?: string;
}

/** The docker_volume resources among `volumes` (bodies as written or evaluated) that bind or may bind a host path. */
export function volumeBindsOf(volumes: ReadonlyArray<{ readonly address: string; readonly body: any }>): VolumeBind[] {
  const out: VolumeBind[] = [];
  for (const { address, body } of volumes) {
    if (body === null || typeof body !== 'object') continue;
    const driver = body.driver;
    if (typeof driver === 'string' && !isExpression(driver) && driver !== 'local') continue;
    let opts = body.driver_opts;
    if (Array.isArray(opts) && opts.length === 1) opts = opts[0];
    if (opts === undefined || opts === null) continue;
    const name = typeof body.name === 'string' && !isExpression(body.name) ? body.name : undefined;
    const known = typeof opts === 'object' && !Array.isArray(opts);
    const o = known ? opts.o : undefined;
    const device = known ? opts.device : undefined;
    // Not known before apply (the options, `o`, or the device of a bind): it may bind any host path.
    const unknown = !known || (typeof o === 'string' && isExpression(o))
      || (typeof o === 'string' && isBindOption(o) && (typeof device !== 'string' || isExpression(device)));
    if (unknown) out.push({ address, name });
    else if (typeof o === 'string' && isBindOption(o)) out.push({ address, name, device });
  }
  return out;
}

/**
 * The spec with each volume mount that names one of `binds` read as the bind it is (of the volume's device, or of an
 * unknown host path); a volume mount whose name is not known may be any of them, so its host path is unknown too.
 * The spec itself when nothing changes.
 */
export function withVolumeBinds(spec: ContainerSpec, binds: readonly VolumeBind[]): ContainerSpec {
  if (binds.length === 0 || !spec.mounts?.some((m) => m.type === 'volume')) return spec;
  let changed = false;
  const mounts = spec.mounts.map((m): MountSpec => {
    if (m.type !== 'volume') return m;
    const nameUnknown = m.unknown?.includes('source') || (m.source !== undefined && isExpression(m.source));
    const source = m.source;
    const bind = source === undefined ? undefined : binds.find((b) => (b.name !== undefined && b.name === source) || refersTo(source, b.address));
    if (bind === undefined && !nameUnknown) return m;
    changed = true;
    if (bind?.device !== undefined) return { ...m, type: 'bind', source: bind.device };
    return { ...m, type: 'bind', source: undefined, unknown: [...(m.unknown ?? []).filter((a) => a !== 'source'), 'source'] };
  });
  if (!changed) return spec;
  const unknown = spec.unknown?.includes('mounts') ? spec.unknown : [...spec.unknown ?? [], 'mounts'];
  const hasUnknownItem = mounts.some((m) => m.unknown?.includes('source'));
  return {
    ...spec,
    mounts,
    ...(hasUnknownItem ? {
      unknown,
      // Every mount is listed: only attributes of some are unknown.
      listedInFull: spec.unknown?.includes('mounts') ? spec.listedInFull : [...spec.listedInFull ?? [], 'mounts'],
    } : {}),
  };
}

/**
 * The docker_volume resources a plan will create or keep, with their planned values; options only known after apply
 * (`after_unknown`) read as an expression.
 */
export function volumesInPlan(doc: any): Array<{ address: string; body: any }> {
  const out: Array<{ address: string; body: any }> = [];
  for (const c of Array.isArray(doc?.resource_changes) ? doc.resource_changes : []) {
    const actions: unknown = c?.change?.actions;
    const deleted = Array.isArray(actions) && actions.length === 1 && actions[0] === 'delete';
    if (c?.type !== VOLUME_RESOURCE_TYPE || c?.mode === 'data' || deleted || typeof c.address !== 'string') continue;
    const after = c.change?.after ?? {};
    const unknown = c.change?.after_unknown ?? {};
    const body = { ...after };
    for (const k of ['name', 'driver', 'driver_opts']) if (unknown[k] === true) body[k] = '${(known after apply)}';
    out.push({ address: c.address, body });
  }
  return out;
}

/** True when `value` is a reference to the volume's name as written (`${docker_volume.data.name}`). */
function refersTo(value: string, address: string): boolean {
  return value.replace(/\s+/g, '') === `\${${address}.name}`;
}

function isExpression(v: string): boolean {
  return /\$\{|%\{/.test(v);
}
