/**
 * What every part of the Terraform adapter shares: its error, its options, and the reading of expressions and
 * `dynamic` blocks.
 */
import { SpecSource } from '../container-spec';

/** Raised for input that is not Terraform JSON of the expected shape. Names the place and the valid form. */
export class AdapterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdapterError';
  }
}

/** Where cdktf-made suppressions travel in the JSON: under the resource's `//` comment key, which Terraform ignores. */
export const METADATA_KEY = 'hardened_docker';

export interface AdapterOptions {
  readonly source?: SpecSource;
  readonly file?: string;
  /** Marks values unknown by path (plan JSON `after_unknown`), keyed like the resource body. */
  readonly afterUnknown?: any;
  /** The resource's full address, when it is not `<type>.<name>` (module paths, count and for_each keys). */
  readonly address?: string;
  /**
   * The caller has already found that nothing in the body may be unknown (`mayHoldUnknown(body, true)` is false, and
   * there are no plan marks): the reader skips that scan. Only for a body not changed since.
   */
  readonly scannedPlain?: boolean;
}

export type Json = any;

const MIB = 1024 * 1024;

/** An absent repeated block: one shared empty list (read only). */
export const NO_BLOCKS: Json[] = Object.freeze([]) as unknown as Json[];

/** No value is marked unknown by a plan: shared by every read that has no plan marks (read only). */
export const NO_MARKS: Json = Object.freeze({});

/**
 * True for a string that holds a Terraform expression: an interpolation `${...}` or a template directive `%{...}`.
 * `$${` and `%%{` are escaped literals.
 */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && value.indexOf('{') >= 0 && /(^|[^$])\$\{|(^|[^%])%\{/.test(value);
}

/** The literal a known template string stands for: `$${` is `${` and `%%{` is `%{`. */
export function unescapeTemplate(value: string): string {
  return value.indexOf('{') < 0 ? value : value.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

export function hasDynamic(body: Json, key: string): boolean {
  const dyn = body?.dynamic;
  if (!dyn) return false;
  const list = Array.isArray(dyn) ? dyn : [dyn];
  return list.some((d: Json) => d && typeof d === 'object' && key in d);
}

/** The `dynamic` blocks named `key` of a body (hcl2json: `"dynamic": {"mounts": [{"for_each": ..., "content": ...}]}`). */
export function dynamicBlocks(body: Json, key: string): Json[] {
  const dyn = body?.dynamic;
  if (!dyn) return [];
  const out: Json[] = [];
  for (const d of Array.isArray(dyn) ? dyn : [dyn]) {
    if (!d || typeof d !== 'object' || !(key in d)) continue;
    const v = d[key];
    if (Array.isArray(v)) out.push(...v);
    else out.push(v);
  }
  return out;
}

export function mibToBytes(v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  return v <= 0 ? v : v * MIB;
}
