import { isIP } from 'net';
import { HardeningContext } from './context';
import { unresolved } from './prop-check';
import { FIRST_UNPRIVILEGED_PORT } from '../../spec/docker-facts';
import { Protocol, PublishedPort } from '../types';

const PROTOCOLS: string[] = Object.values(Protocol);

/** A published port, validated: host IP filled in (the profile's unless given). */
export interface PortSettings {
  readonly internal: number;
  readonly external?: number;
  readonly ip: string;
  readonly protocol: string;
}

/**
 * True for an address that binds every interface: `0.0.0.0`, and every IPv6 spelling of the unspecified address
 * (`::`, `0:0::0`, `::0.0.0.0`, and the IPv4-mapped `::ffff:0.0.0.0`, which Go's IsUnspecified, and so Docker, takes
 * for `0.0.0.0`).
 */
export function isAllInterfaces(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return ip === '0.0.0.0';
  if (family !== 6) return false;
  const canonical = new URL(`http://[${ip}]`).hostname;
  return canonical === '[::]' || canonical === '[::ffff:0:0]';
}

/**
 * One published port. `forcedIp` is the interface the target binds whatever is given (Swarm: every interface); the
 * prop `hostIp` is then refused.
 */
export function portSettings(ctx: HardeningContext, prop: string, port: PublishedPort, forcedIp?: string): PortSettings {
  const { check, optOuts } = ctx;
  if (port === null || typeof port !== 'object') check.fail(prop, port, '{ internal, external?, hostIp?, protocol? }');
  if (port.internal === undefined) check.fail(`${prop}.internal`, port.internal, 'a port number from 1 to 65535');
  check.int(`${prop}.internal`, port.internal, 1, 65535, 'a port number from 1 to 65535');
  check.int(`${prop}.external`, port.external, 1, 65535, 'a port number from 1 to 65535, or none for a random host port');
  if (port.external !== undefined) {
    if (unresolved(port.external) || port.external === FIRST_UNPRIVILEGED_PORT) {
      // Port 1024 is not privileged (Linux, the CIS text), but Docker Bench's script (`-lt 1025`), and so the rule
      // no-privileged-host-ports, still flag it: the opt-out may acknowledge that warning.
      optOuts.mayNeed('privilegedPorts');
    } else if (port.external < FIRST_UNPRIVILEGED_PORT) {
      optOuts.demand('privilegedPorts', `${prop}.external`, port.external, `a host port from ${FIRST_UNPRIVILEGED_PORT} to 65535 (or none: a random one)`);
    }
  }
  if (forcedIp !== undefined && port.hostIp !== undefined) {
    check.fail(`${prop}.hostIp`, port.hostIp, 'unset in Swarm mode: Swarm cannot bind a published port to one interface');
  }
  const ip = forcedIp ?? port.hostIp ?? ctx.defaults.hostIp;
  if (unresolved(ip)) {
    optOuts.mayNeed('allInterfaces');
  } else {
    if (typeof ip !== 'string' || isIP(ip) === 0) check.fail(`${prop}.hostIp`, ip, 'an IP address of a host interface, e.g. "127.0.0.1"');
    if (isAllInterfaces(ip)) {
      optOuts.demand('allInterfaces', forcedIp !== undefined ? prop : `${prop}.hostIp`, forcedIp !== undefined ? port.internal : ip,
        forcedIp !== undefined
          ? 'no published ports in Swarm mode (Swarm publishes on every host interface and cannot bind 127.0.0.1)'
          : 'a specific host interface such as "127.0.0.1"');
    }
  }
  const protocol = port.protocol ?? Protocol.TCP;
  if (!unresolved(protocol) && !PROTOCOLS.includes(protocol)) check.fail(`${prop}.protocol`, protocol, `one of ${PROTOCOLS.join(', ')}`);
  const out: { -readonly [K in keyof PortSettings]: PortSettings[K] } = { internal: port.internal, ip, protocol };
  if (port.external !== undefined) out.external = port.external;
  return out;
}
