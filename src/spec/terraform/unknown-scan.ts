/**
 * Whether a resource body may hold anything unknown before apply: when not, the fast reader reads it.
 */
import { isExpression, Json } from './common';

/**
 * The top-level attributes the adapter reads, of docker_container and docker_service: only these can make a spec
 * field unknown. An expression elsewhere (`env`, `command`, `upload`, ...) changes nothing the rules see, so the
 * fast-path scan skips those (a test proxies a body and fails when the adapter reads a key missing here).
 */
export const READ_ATTRIBUTES: readonly string[] = [
  // docker_container
  'capabilities', 'tmpfs', 'mounts', 'volumes', 'ports', 'ulimit', 'devices', 'networks_advanced', 'labels', 'memory',
  'memory_swap', 'name', 'image', 'user', 'read_only', 'privileged', 'security_opts', 'cpu_shares', 'cpu_period',
  'cpu_quota', 'cpus', 'restart', 'max_retry_count', 'healthcheck', 'network_mode', 'pid_mode', 'ipc_mode',
  'userns_mode', 'cgroupns_mode', 'cgroup_parent', 'log_driver', 'log_opts', 'init', 'sysctls', 'runtime', 'group_add',
  'publish_all_ports', 'gpus',
  // docker_service
  'task_spec', 'mode', 'endpoint_spec',
];

/**
 * True when a value may hold something unknown before apply: a string with an expression, or a `dynamic` key at any
 * depth. One scan per resource body; at the top (`top`), only the attributes the adapter reads are scanned, and a
 * top-level `dynamic` always counts (the `//` comment key of the body, cdktf metadata, is never an attribute).
 */
export function mayHoldUnknown(value: Json, top = false): boolean {
  if (top && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    // Looks up the attributes read, rather than walking every key: cdktf's bodies are dictionary objects, slow to walk.
    if (value.dynamic !== undefined) return true;
    for (let i = 0; i < READ_ATTRIBUTES.length; i++) {
      const v = value[READ_ATTRIBUTES[i]];
      if (v !== undefined && mayHoldUnknown(v)) return true;
    }
    return false;
  }
  if (typeof value === 'string') return value.indexOf('{') >= 0 && isExpression(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (mayHoldUnknown(value[i])) return true;
    return false;
  }
  for (const k in value) {
    if (k === 'dynamic') return true;
    // A map key can be an expression too (`tmpfs = { (var.path) = "..." }`).
    if (k.indexOf('{') >= 0 && isExpression(k)) return true;
    if (mayHoldUnknown(value[k])) return true;
  }
  return false;
}
