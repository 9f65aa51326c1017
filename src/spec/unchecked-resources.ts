/**
 * Resources that run containers which no rule can see: `docker_compose` (provider 4.3.0 and later) applies compose
 * files, so its containers never pass through docker_container attributes. Until compose content is read, `check`
 * names each one in a warning rather than staying silent about it.
 */

/** The resource types whose containers are not checked. */
export const UNCHECKED_TYPES: readonly string[] = ['docker_compose'];

/** One resource whose containers are not checked. */
export interface UncheckedResource {
  /** Terraform address (`docker_compose.app`, `module.web.docker_compose.app[0]` in a plan). */
  readonly address: string;
  /** The file it was read from. */
  readonly file: string;
  /** The line of its block, where known. */
  readonly line?: number;
}

/** Why such a resource is not checked, for the warning. */
export function uncheckedReason(r: UncheckedResource): string {
  return `${r.file}${r.line ? `:${r.line}` : ''}: warning: ${r.address}: the containers of a docker_compose resource `
    + '(provider 4.3.0 and later) are not described by docker_container attributes; not checked';
}

/** The unchecked resources of a Terraform JSON document (`resource.docker_compose.<name>`). */
export function uncheckedInTerraformJson(doc: any, file: string): UncheckedResource[] {
  const out: UncheckedResource[] = [];
  // `resource` may be an object or, in hand-written Terraform JSON, a list of objects.
  const blocks = Array.isArray(doc?.resource) ? doc.resource : [doc?.resource];
  for (const block of blocks) {
    if (block === null || typeof block !== 'object') continue;
    for (const type of UNCHECKED_TYPES) {
      const byName = block[type];
      if (byName === null || typeof byName !== 'object' || Array.isArray(byName)) continue;
      for (const name of Object.keys(byName)) out.push({ address: `${type}.${name}`, file });
    }
  }
  return out;
}

/** The unchecked resources of an HCL file's text, with the line of each `resource` block. */
export function uncheckedInHcl(text: string, file: string): UncheckedResource[] {
  const out: UncheckedResource[] = [];
  const re = new RegExp(`^[ \\t]*resource[ \\t]+"(${UNCHECKED_TYPES.join('|')})"[ \\t]+"([^"]+)"`, 'gm');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const line = text.slice(0, m.index).split('\n').length;
    out.push({ address: `${m[1]}.${m[2]}`, file, line });
  }
  return out;
}

/** The unchecked resources a plan (or state) will create or keep: `resource_changes`, else `planned_values`/`values`. */
export function uncheckedInPlan(doc: any, file: string): UncheckedResource[] {
  const types = new Set(UNCHECKED_TYPES);
  const addresses: string[] = [];
  if (Array.isArray(doc?.resource_changes)) {
    for (const c of doc.resource_changes) {
      const actions: unknown = c?.change?.actions;
      const deleted = Array.isArray(actions) && actions.length === 1 && actions[0] === 'delete';
      if (types.has(c?.type) && c?.mode !== 'data' && !deleted && typeof c.address === 'string') addresses.push(c.address);
    }
  } else {
    const walk = (module: any): void => {
      if (module === null || typeof module !== 'object') return;
      for (const r of Array.isArray(module.resources) ? module.resources : []) {
        if (types.has(r?.type) && r?.mode !== 'data' && typeof r.address === 'string') addresses.push(r.address);
      }
      for (const child of Array.isArray(module.child_modules) ? module.child_modules : []) walk(child);
    };
    walk((doc?.planned_values ?? doc?.values)?.root_module);
  }
  return addresses.map((address) => ({ address, file }));
}
