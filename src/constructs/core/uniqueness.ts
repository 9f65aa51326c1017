import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { isAllInterfaces } from './ports';
import { PropCheck, unresolved } from './prop-check';

/**
 * What must be unique on one Docker engine across an app: container names, service names, and host ip:port/protocol
 * bindings. Two stacks whose Docker providers name different literal hosts are different engines; otherwise (same
 * host, no host given, or a token) they count as one. Each key maps to the construct path that took it.
 */
interface EngineClaims {
  readonly names: Map<string, string>;
  /** `port/protocol` -> the IPs bound, each with the construct path. */
  readonly ports: Map<string, { ip: string; path: string }[]>;
}

const CLAIMS = new WeakMap<Construct, Map<string, EngineClaims>>();

const ENGINE_KEYS = new WeakMap<TerraformStack, string>();

/**
 * The engine a construct's stack deploys to: its Docker provider's literal host, or "" (the default engine). Read
 * once per stack, when its first construct claims something (a stack of thousands of containers would otherwise
 * list its children for each): declare the provider before the containers, as cdktf apps do.
 */
function engineKey(scope: Construct): string {
  const stack = TerraformStack.of(scope);
  let key = ENGINE_KEYS.get(stack);
  if (key === undefined) {
    const provider = stack.node.children.find((c): c is DockerProvider => c instanceof DockerProvider);
    const host = provider?.host;
    key = host === undefined || unresolved(host) ? '' : host;
    ENGINE_KEYS.set(stack, key);
  }
  return key;
}

function claimsOf(scope: Construct): EngineClaims {
  const root = scope.node.root;
  let byEngine = CLAIMS.get(root);
  if (!byEngine) CLAIMS.set(root, byEngine = new Map());
  const key = engineKey(scope);
  let claims = byEngine.get(key);
  if (!claims) byEngine.set(key, claims = { names: new Map(), ports: new Map() });
  return claims;
}

/** Claims a literal container or service name on the engine; fails naming both construct paths when taken. */
export function claimName(scope: Construct, check: PropCheck, prop: string, kind: 'container' | 'service', name: string): void {
  if (unresolved(name)) return;
  const names = claimsOf(scope).names;
  const key = `${kind}:${name}`;
  const other = names.get(key);
  if (other !== undefined && other !== scope.node.path) {
    check.fail(prop, name, `a ${kind} name no other construct of the app uses on this Docker engine`, `is already the name of ${other} (Docker refuses the second at apply)`);
  }
  names.set(key, scope.node.path);
}

/** True when binding `a` and binding `b` on one port conflict: the same address, or one of them every interface. */
function overlaps(a: string, b: string): boolean {
  if (a === b) return true;
  const v6 = (ip: string) => ip.includes(':');
  if (isAllInterfaces(a)) return a.includes(':') || !v6(b);
  if (isAllInterfaces(b)) return b.includes(':') || !v6(a);
  return false;
}

/** Claims a literal host ip:port/protocol on the engine; fails naming both construct paths when another has it. */
export function claimHostPort(scope: Construct, check: PropCheck, prop: string, ip: string, port: number, protocol: string): void {
  if (unresolved(ip) || unresolved(port) || unresolved(protocol)) return;
  const ports = claimsOf(scope).ports;
  const key = `${port}/${protocol}`;
  const taken = ports.get(key) ?? [];
  const clash = taken.find((t) => t.path !== scope.node.path && overlaps(t.ip, ip));
  if (clash) {
    check.fail(prop, `${ip}:${port}/${protocol}`, 'a host port no other construct of the app publishes on this Docker engine',
      `is already published by ${clash.path} on ${clash.ip}:${port}/${protocol} (Docker refuses the second at apply)`);
  }
  taken.push({ ip, path: scope.node.path });
  ports.set(key, taken);
}
