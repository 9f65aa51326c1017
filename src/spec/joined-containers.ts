/**
 * What a container takes from another: `network_mode`, `pid_mode` or `ipc_mode = "container:<other>"` joins the
 * other's namespace, which is the host's when the other uses the host's; `volumes { from_container = "<other>" }`
 * mounts what the other mounts. Read over the containers of one configuration (or plan), so that joining a
 * container that uses the host's namespace, or takes a sensitive bind from one, is judged as what it is. A container
 * not among them (another configuration's, one only known after apply) is unknown: only the engine knows what it
 * uses. The compose reader does the same for `service:` and `container:` (compose/service-spec.ts).
 */
import { ContainerSpec, MountSpec, ResourceKind, UnknownCause, UnknownValue } from './container-spec';

type NamespaceField = 'networkMode' | 'pidMode' | 'ipcMode';
const NAMESPACE_FIELDS: readonly NamespaceField[] = ['networkMode', 'pidMode', 'ipcMode'];

/**
 * The specs with what each takes from the others read in; each spec itself when it joins nothing. `resolve` finds the
 * container a reference names, where the source has its own way (a live engine names it by id); by default a
 * reference is a Terraform one or a name among `specs`.
 */
export function withJoinedContainers(specs: readonly ContainerSpec[], resolve: Resolver = resolverOf(specs)): ContainerSpec[] {
  if (!specs.some(joinsAnother)) return [...specs];
  return specs.map((spec) => (joinsAnother(spec) ? joined(spec, resolve) : spec));
}

/**
 * False only when a docker_container body (Terraform JSON, as written or evaluated) certainly joins no other
 * container: no namespace mode that may name one (`container:`, or a value that is not a plain string) and no
 * `volumes` block with `from_container`. Lets a reader that streams resource by resource (the synth-time checks)
 * keep streaming when nothing joins; true whenever the spec read from the body would join another.
 */
export function bodyMayJoinAnother(body: any): boolean {
  if (body === null || typeof body !== 'object') return false;
  for (const key of ['network_mode', 'pid_mode', 'ipc_mode']) {
    const v = body[key];
    if (v !== undefined && v !== null && (typeof v !== 'string' || /container:/i.test(v))) return true;
  }
  const volumes = body.volumes;
  for (const v of Array.isArray(volumes) ? volumes : [volumes]) {
    if (v !== null && typeof v === 'object' && v.from_container !== undefined) return true;
  }
  return false;
}

function joinsAnother(spec: ContainerSpec): boolean {
  return spec.kind === ResourceKind.CONTAINER && (NAMESPACE_FIELDS.some((f) => /^container:/.test(spec[f]?.trim() ?? ''))
    || (spec.mounts?.some((m) => m.type === 'volumes-from') ?? false));
}

/** The container a reference (`container:<ref>`, `from_container`) written on `from` names; undefined when not known. */
export type Resolver = (ref: string, from: ContainerSpec) => ContainerSpec | undefined;

/**
 * Finds a container by what a reference says: `${docker_container.web.id}` or `.name` (as written; inside a module it
 * names that module's container, `module.a.docker_container.web`), its address, or its name (as evaluated).
 */
function resolverOf(specs: readonly ContainerSpec[]): Resolver {
  const containers = specs.filter((s) => s.kind === ResourceKind.CONTAINER);
  return (ref, from) => {
    const text = ref.trim();
    const m = /^\$\{\s*((?:module\.[^}]+\.)?docker_container\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?)\.(?:id|name)\s*\}$/.exec(text);
    if (m) {
      const at = from.address.lastIndexOf('docker_container.');
      const address = (at > 0 ? from.address.slice(0, at) : '') + m[1];
      return containers.find((s) => s.address === address);
    }
    return containers.find((s) => s.name === text || s.address === text);
  };
}

function joined(spec: ContainerSpec, resolve: Resolver): ContainerSpec {
  const out: { -readonly [K in keyof ContainerSpec]: ContainerSpec[K] } = { ...spec };
  const unknown = new Set(spec.unknown ?? []);
  const causes: UnknownValue[] = [...spec.unknownCauses ?? []];
  const markUnknown = (field: string, itemLevel: boolean) => {
    const before = unknown.has(field);
    unknown.add(field);
    if (!causes.some((c) => c.field === field && c.cause === UnknownCause.OTHER)) causes.push({ field, cause: UnknownCause.OTHER });
    // Listed in full only while every unknown of the field is an item's attribute.
    if (!itemLevel) out.listedInFull = out.listedInFull?.filter((f) => f !== field);
    else if (!before) out.listedInFull = [...out.listedInFull ?? [], field];
  };
  for (const field of NAMESPACE_FIELDS) {
    const mode = namespaceOf(spec, field, resolve, new Set());
    if (mode === (spec[field] ?? '')) continue;
    if (mode === undefined) {
      out[field] = undefined;
      markUnknown(field, false);
    } else {
      out[field] = mode;
    }
  }
  if (spec.mounts?.some((m) => m.type === 'volumes-from')) {
    const mounts: MountSpec[] = [];
    for (const m of spec.mounts) {
      if (m.type !== 'volumes-from') {
        mounts.push(m);
        continue;
      }
      const other = m.source === undefined || m.unknown?.includes('source') ? undefined : resolve(m.source, spec);
      if (other === undefined || other === spec) {
        // Another container's mounts, not known here: any of them may be a bind of any host path.
        mounts.push({ type: 'bind', source: undefined, target: m.target, readOnly: m.readOnly, unknown: ['source', 'target'] });
        markUnknown('mounts', true);
        continue;
      }
      for (const taken of other.mounts ?? []) {
        if (taken.type === 'volumes-from') continue;
        mounts.push(m.readOnly ? { ...taken, readOnly: true } : taken);
      }
      if ((other.unknown ?? []).includes('mounts')) markUnknown('mounts', (other.listedInFull ?? []).includes('mounts'));
    }
    out.mounts = mounts;
  }
  if (unknown.size) {
    out.unknown = [...unknown];
    out.unknownCauses = causes;
  }
  return out;
}

/**
 * The namespace mode `field` of `spec` after following `container:` to the container it names: `host` when that one
 * uses the host's, its mode otherwise as written; undefined when it is not known (a container not among the specs,
 * one whose mode is unknown, a cycle).
 */
function namespaceOf(spec: ContainerSpec, field: NamespaceField, resolve: Resolver, seen: Set<ContainerSpec>): string | undefined {
  if ((spec.unknown ?? []).includes(field)) return undefined;
  // Not set: the container's own namespace (the default), not the host's.
  const mode = spec[field] ?? '';
  const m = /^container:(.*)$/s.exec(mode.trim());
  if (!m) return mode;
  const other = resolve(m[1], spec);
  if (other === undefined || seen.has(other) || other === spec) return undefined;
  seen.add(spec);
  const theirs = namespaceOf(other, field, resolve, seen);
  if (theirs === undefined) return undefined;
  return theirs.trim().toLowerCase() === 'host' ? 'host' : mode;
}
