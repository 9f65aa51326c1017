/**
 * How compose files merge: a service's list-or-map settings read as maps, so that files merge by key, and an
 * override merged into its base by the compose specification's rules.
 */
import { MapNode, Position, positioned, SeqNode, TreeNode } from './tree';

export function emptyMap(at: Position): MapNode {
  return { kind: 'map', entries: new Map(), keyAt: new Map(), at };
}

/** Settings a list or a map may write (`labels: [a=b]` or `labels: {a: b}`): read as maps, so that files merge by key. */
const LIST_OR_MAP = new Set(['labels', 'sysctls', 'environment', 'annotations', 'extra_hosts', 'driver_opts']);

/** A service with its list-or-map settings as maps. */
export function normalizeService(node: MapNode): MapNode {
  let entries: Map<string, TreeNode> | undefined;
  for (const key of LIST_OR_MAP) {
    const v = node.entries.get(key);
    if (v?.kind !== 'seq') continue;
    entries ??= new Map(node.entries);
    entries.set(key, listToMap(v, key));
  }
  return entries ? { ...node, entries } : node;
}

function listToMap(seq: SeqNode, setting: string): MapNode {
  const map = emptyMap(seq.at);
  // extra_hosts writes HOST:IP (or HOST=IP); the others KEY=VALUE, where a key may hold a colon (com.example:x=1).
  const separator = setting === 'extra_hosts' ? /[=:]/ : /=/;
  for (const item of seq.items) {
    if (item.kind !== 'scalar' || item.value === null) throw positioned(item, 'expected KEY=VALUE');
    const text = String(item.value);
    const eq = text.search(separator);
    const key = eq < 0 ? text : text.slice(0, eq);
    map.entries.set(key, { ...item, value: eq < 0 ? null : text.slice(eq + 1) });
    map.keyAt.set(key, item.at);
  }
  return map;
}

/** Sequences an override replaces rather than extends. */
const REPLACED = new Set(['command', 'entrypoint', 'test', 'profiles', 'dns', 'dns_search', 'env_file']);

/**
 * `over` merged into `base` by the compose specification's rules: mappings by key, scalars replaced, most sequences
 * appended, `volumes` and `devices` by their target (an override of the same target replaces it), `command`,
 * `entrypoint` and `healthcheck.test` replaced.
 */
export function mergeNodes(base: TreeNode, over: TreeNode, at: string[]): TreeNode {
  const key = at[at.length - 1] ?? '';
  if (over.tag === 'override') return over;
  if (base.kind === 'map' && over.kind === 'map') {
    const entries = new Map(base.entries);
    const keyAt = new Map(base.keyAt);
    for (const [k, v] of over.entries) {
      if (v.tag === 'reset') {
        entries.delete(k);
        keyAt.delete(k);
        continue;
      }
      const prev = entries.get(k);
      entries.set(k, prev ? mergeNodes(prev, v, [...at, k]) : v);
      keyAt.set(k, over.keyAt.get(k)!);
    }
    return { kind: 'map', entries, keyAt, at: base.at };
  }
  if (base.kind === 'seq' && over.kind === 'seq' && !REPLACED.has(key)) {
    if (at.length === 1 && (key === 'volumes' || key === 'devices' || key === 'secrets' || key === 'configs')) {
      const targetOf = key === 'volumes' ? volumeTarget : key === 'devices' ? deviceTarget : secretTarget;
      const overridden = new Set<string | undefined>(over.items.map(targetOf).filter((t) => t !== undefined));
      return { ...over, items: [...base.items.filter((i) => !overridden.has(targetOf(i))), ...over.items] };
    }
    const seen = new Set(base.items.map((i) => (i.kind === 'scalar' ? `${i.value}` : undefined)).filter((s) => s !== undefined));
    return { ...over, items: [...base.items, ...over.items.filter((i) => i.kind !== 'scalar' || !seen.has(`${i.value}`))] };
  }
  return over;
}

function volumeTarget(item: TreeNode): string | undefined {
  if (item.kind === 'map') {
    const t = item.entries.get('target');
    return t?.kind === 'scalar' && t.value !== null ? String(t.value) : undefined;
  }
  if (item.kind !== 'scalar' || item.value === null) return undefined;
  const parts = String(item.value).split(':');
  return parts.length === 1 ? parts[0] : parts[1];
}

function deviceTarget(item: TreeNode): string | undefined {
  if (item.kind === 'map') {
    const t = item.entries.get('target') ?? item.entries.get('source');
    return t?.kind === 'scalar' && t.value !== null ? String(t.value) : undefined;
  }
  if (item.kind !== 'scalar' || item.value === null) return undefined;
  const parts = String(item.value).split(':');
  return parts.length === 1 ? parts[0] : parts[1];
}

function secretTarget(item: TreeNode): string | undefined {
  if (item.kind === 'map') {
    const t = item.entries.get('target') ?? item.entries.get('source');
    return t?.kind === 'scalar' && t.value !== null ? String(t.value) : undefined;
  }
  return item.kind === 'scalar' && item.value !== null ? String(item.value) : undefined;
}
