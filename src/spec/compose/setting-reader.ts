/**
 * The typed settings of one compose service: each read at its keys, with the position it was written at, and
 * marked unknown (cause: variable) when its interpolation needs a variable without a value. The base of the
 * service's readers (mount-reader.ts, service-spec.ts).
 */
import type { ComposeService } from './load';
import { MapNode, Position, positioned, ScalarNode, TreeNode } from './tree';
import { ContainerSpec, ResourceKind, SpecSource, UnknownCause, UnknownValue } from '../container-spec';
import type { SpecField } from '../fields';

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class ServiceSettingReader {
  protected readonly spec: Mutable<ContainerSpec>;
  protected readonly unknown = new Set<SpecField>();
  /** Unknown fields that may miss items (or are scalars): the others are unknown only through attributes of their items. */
  protected readonly unknownWhole = new Set<SpecField>();
  protected readonly causes: UnknownValue[] = [];
  protected readonly positions = new Map<SpecField, Position>();
  private readonly root: MapNode;

  /**
   * @param joining the services whose reading led here (`volumes_from`, `network_mode: service:`), in order: a
   *   service met again is a cycle, which compose refuses, and is not followed
   */
  constructor(protected readonly service: ComposeService, protected readonly joining: readonly string[] = []) {
    this.root = service.node;
    this.spec = { kind: ResourceKind.CONTAINER, source: SpecSource.COMPOSE, address: `services.${service.name}` };
  }

  /** The node at a path of keys, and the position of its last key; records it as the field's position. */
  protected at(field: SpecField, keys: readonly string[]): TreeNode | undefined {
    let node: TreeNode | undefined = this.root;
    let keyAt: Position | undefined;
    for (const k of keys) {
      if (node?.kind === 'scalar' && node.unknownVariables?.length) {
        // A whole mapping only known after apply (`deploy: ${...}` in a document Terraform writes): what it holds is
        // unknown, not absent.
        this.markUnknown(field, false, UnknownCause.VARIABLE, node.unknownVariables);
        return undefined;
      }
      if (node?.kind !== 'map') return undefined;
      keyAt = node.keyAt.get(k);
      node = node.entries.get(k);
    }
    if (node === undefined || (node.kind === 'scalar' && node.value === null)) return undefined;
    if (!this.positions.has(field) && keyAt) this.positions.set(field, keyAt);
    return node;
  }

  /** True when a setting is written (not null), without recording a position. */
  protected written(keys: readonly string[]): boolean {
    let node: TreeNode | undefined = this.root;
    for (const k of keys) node = node?.kind === 'map' ? node.entries.get(k) : undefined;
    return node !== undefined && !(node.kind === 'scalar' && node.value === null);
  }

  /**
   * Records a field as unknown: as a whole, or (`itemLevel`) only through attributes of items it lists; with the
   * variables without a value it needs, where known, so that a finding can name them.
   */
  protected markUnknown(field: SpecField, itemLevel = false, cause = UnknownCause.VARIABLE, variables: readonly string[] = []): void {
    this.unknown.add(field);
    if (!itemLevel) this.unknownWhole.add(field);
    const known = this.causes.findIndex((c) => c.field === field && c.cause === cause);
    if (known < 0) {
      this.causes.push({ field, cause, ...(variables.length ? { variables: [...variables] } : {}) });
    } else if (variables.length) {
      const names = this.causes[known].variables ?? [];
      this.causes[known] = { ...this.causes[known], variables: [...names, ...variables.filter((v) => !names.includes(v))] };
    }
  }

  /** The variables without a value behind a field's unknown, for a reader that takes over another's (`service:`). */
  protected variablesOf(field: SpecField): readonly string[] {
    return this.causes.filter((c) => c.field === field).flatMap((c) => c.variables ?? []);
  }

  /**
   * True (and the field marked unknown) when a setting written as a list or a mapping is a scalar that needs variables
   * without a value: in a document Terraform writes, a list or mapping only known after apply (`volumes = var.v`).
   */
  protected unknownAsWhole(field: SpecField, node: TreeNode): boolean {
    if (node.kind !== 'scalar' || !node.unknownVariables?.length) return false;
    this.markUnknown(field, false, UnknownCause.VARIABLE, node.unknownVariables);
    return true;
  }

  /** A scalar's text, or undefined (and the field marked unknown) when it needs a variable without a value. */
  protected text(field: SpecField, node: ScalarNode): string | undefined {
    if (node.unknownVariables?.length) {
      this.markUnknown(field, false, UnknownCause.VARIABLE, node.unknownVariables);
      return undefined;
    }
    return node.value === null ? undefined : String(node.value);
  }

  private scalar(field: SpecField, keys: readonly string[], expected: string): ScalarNode | undefined {
    const node = this.at(field, keys);
    if (node === undefined) return undefined;
    if (node.kind !== 'scalar') throw positioned(node, `${this.where(keys)}: expected ${expected}, got a ${node.kind === 'map' ? 'mapping' : 'sequence'}`);
    return node;
  }

  protected where(keys: readonly string[]): string {
    return `services.${this.service.name}.${keys.join('.')}`;
  }

  protected str(field: SpecField, keys: readonly string[]): string | undefined {
    const node = this.scalar(field, keys, 'a string');
    return node ? this.text(field, node) : undefined;
  }

  protected bool(field: SpecField, keys: readonly string[]): boolean | undefined {
    const node = this.scalar(field, keys, 'true or false');
    if (!node) return undefined;
    if (typeof node.value === 'boolean') return node.value;
    const t = this.text(field, node);
    if (t === undefined) return undefined;
    const lower = t.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    throw positioned(node, `${this.where(keys)}: expected true or false, got ${JSON.stringify(t)}`);
  }

  protected num(field: SpecField, keys: readonly string[]): number | undefined {
    const node = this.scalar(field, keys, 'a number');
    if (!node) return undefined;
    if (typeof node.value === 'number') return node.value;
    const t = this.text(field, node);
    if (t === undefined) return undefined;
    const n = Number(t.trim());
    if (t.trim() === '' || !Number.isFinite(n)) throw positioned(node, `${this.where(keys)}: expected a number, got ${JSON.stringify(t)}`);
    return n;
  }

  protected bytes(field: SpecField, keys: readonly string[]): number | undefined {
    const node = this.scalar(field, keys, 'a size (512m, 1g, or bytes)');
    if (!node) return undefined;
    if (typeof node.value === 'number') return node.value;
    const t = this.text(field, node);
    if (t === undefined) return undefined;
    const bytes = parseBytes(t);
    if (bytes === undefined) throw positioned(node, `${this.where(keys)}: expected a size (512m, 1g, or bytes), got ${JSON.stringify(t)}`);
    return bytes;
  }

  /** A list of strings (a single string is a list of one). */
  protected strings(field: SpecField, keys: readonly string[]): string[] | undefined {
    const node = this.at(field, keys);
    if (node === undefined) return undefined;
    const items = node.kind === 'seq' ? node.items : [node];
    const out: string[] = [];
    for (const item of items) {
      if (item.kind !== 'scalar') throw positioned(item, `${this.where(keys)}: expected a list of strings`);
      const t = this.text(field, item);
      if (t !== undefined) out.push(t);
    }
    return out;
  }

  protected stringMap(field: SpecField, keys: readonly string[]): { [k: string]: string } | undefined {
    const node = this.at(field, keys);
    if (node === undefined) return undefined;
    if (this.unknownAsWhole(field, node)) return undefined;
    if (node.kind !== 'map') throw positioned(node, `${this.where(keys)}: expected a mapping (or a list of KEY=VALUE)`);
    const out: { [k: string]: string } = {};
    for (const [k, v] of node.entries) {
      if (v.kind !== 'scalar') throw positioned(v, `${this.where([...keys, k])}: expected a string`);
      const t = this.text(field, v);
      if (t !== undefined) out[k] = t;
    }
    return out;
  }
}

/** Compose's sizes: bytes, or a number with b, k, m, g (kb, mb, gb), powers of 1024. */
export function parseBytes(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([bkmg]?)b?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = { '': 1, 'b': 1, 'k': 1024, 'm': 1024 ** 2, 'g': 1024 ** 3 }[m[2].toLowerCase()]!;
  return Math.round(Number(m[1]) * unit);
}
