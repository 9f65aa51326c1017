/** Compose's port syntax: `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`, and ranges expanded to one item a port. */
import { positioned, TreeNode } from './tree';
import { PortSpec } from '../container-spec';

/** `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`, with `[::1]` IPv6 addresses and ranges. */
export function parsePortShort(text: string): { target: string; published?: string; ip?: string; protocol?: string } | undefined {
  let rest = text.trim();
  let protocol: string | undefined;
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    protocol = rest.slice(slash + 1);
    rest = rest.slice(0, slash);
  }
  let ip: string | undefined;
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  if (v6) {
    ip = v6[1];
    rest = v6[2];
  }
  const parts = rest.split(':');
  if (!ip && parts.length === 3) ip = parts.shift();
  if (parts.length > 2 || parts.some((p, i) => (p === '' ? i !== 0 || parts.length !== 2 : !/^\d+(-\d+)?$/.test(p)))) {
    return undefined;
  }
  const [a, b] = parts;
  if (b === undefined) return { target: a, ip, protocol };
  return { target: b, published: a === '' ? undefined : a, ip, protocol };
}

/** Port items, one per port of a range (`8000-8002:80-82`); a single host range for one container port is one item. */
export function expandPorts(node: TreeNode, where: string, target: string, published: string | undefined, ip: string | undefined,
  protocol: string | undefined, mode: string | undefined): PortSpec[] {
  const range = (t: string): [number, number] => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(t.trim());
    if (!m) throw positioned(node, `${where}: ${JSON.stringify(t)} is not a port or a range of ports`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo > 65535 || hi > 65535 || hi < lo) throw positioned(node, `${where}: ${JSON.stringify(t)} is not a port (1-65535) or a range lo-hi`);
    return [lo, hi];
  };
  const [tLo, tHi] = range(target);
  const pub = published === undefined ? undefined : range(published);
  // As Docker (and compose's loader) refuse it: a host range either matches the container range port for port, or
  // serves one container port (Docker picks a port of the range).
  if (pub !== undefined && tHi !== tLo && pub[1] - pub[0] !== tHi - tLo) {
    throw positioned(node, `${where}: the host range ${published} and the container range ${target} differ in length: `
      + 'give as many host ports as container ports (8000-8001:80-81), or one container port for a host range (8000-8010:80)');
  }
  const host = ip === undefined || ip === '' ? undefined : ip;
  const out: PortSpec[] = [];
  for (let p = tLo; p <= tHi && out.length < 65536; p++) {
    // A host range for one container port: Docker picks one port of the range; its lowest is the one judged.
    const external = pub === undefined ? undefined : tLo === tHi ? pub[0] : pub[0] + (p - tLo);
    out.push({ internal: p, external, ip: host, protocol, ...(mode ? { publishMode: mode } : {}) });
  }
  return out;
}
