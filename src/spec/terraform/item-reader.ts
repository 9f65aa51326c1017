/**
 * The reader of one item of a repeated block (a mount, a port, ...): its attributes, or which are unknown.
 */
import { AdapterError, Json, NO_MARKS } from './common';
import { Reader } from './reader';
import { SpecField } from '../fields';

/**
 * Reads the attributes of one item of a repeated block (a mount, a port, ...): an attribute that is unknown is named
 * in `unknown` and read as undefined (or a placeholder, for a required one), and the item is kept. One per list,
 * reset for each item.
 */
export class ItemReader {
  public unknown?: string[];
  private item: Json;

  constructor(private readonly r: Reader, private readonly field: SpecField, private readonly blockKey: string, private readonly form: string) {}

  public reset(item: Json): this {
    this.item = item;
    this.unknown = undefined;
    return this;
  }

  /** Names `attribute` unknown on this item. */
  public mark(attribute: string): void {
    if (this.unknown === undefined) this.unknown = [attribute];
    else if (!this.unknown.includes(attribute)) this.unknown.push(attribute);
  }

  public has(attribute: string): boolean {
    return this.unknown !== undefined && this.unknown.includes(attribute);
  }

  private isUnknown(body: Json, key: string, attribute: string): boolean {
    if (!this.r.attributeUnknown(body, key, this.field)) return false;
    this.mark(attribute);
    return true;
  }

  public str(key: string, attribute: string, body: Json = this.item): string | undefined {
    return this.isUnknown(body, key, attribute) ? undefined : this.r.str(body, key, this.field, NO_MARKS);
  }

  public num(key: string, attribute: string, body: Json = this.item): number | undefined {
    return this.isUnknown(body, key, attribute) ? undefined : this.r.num(body, key, this.field, NO_MARKS);
  }

  public bool(key: string, attribute: string, body: Json = this.item): boolean | undefined {
    return this.isUnknown(body, key, attribute) ? undefined : this.r.bool(body, key, this.field, NO_MARKS);
  }

  /** A required string attribute: `''` when unknown (named in `unknown`); an error when absent. */
  public requiredStr(key: string, attribute: string): string {
    const v = this.str(key, attribute);
    if (v !== undefined) return v;
    if (this.has(attribute)) return '';
    throw this.missing(key);
  }

  /** A required number attribute: `0` when unknown (named in `unknown`); an error when absent. */
  public requiredNum(key: string, attribute: string): number {
    const v = this.num(key, attribute);
    if (v !== undefined) return v;
    if (this.has(attribute)) return 0;
    throw this.missing(key);
  }

  /** A single nested block of the item; when it is dynamic or an expression, `attributes` are unknown on the item. */
  public block(key: string, attributes: string[]): Json | undefined {
    if (this.r.blockUnknown(this.item, key, this.field, true)) {
      for (const a of attributes) this.mark(a);
      return undefined;
    }
    return this.r.knownBlock(this.item, key);
  }

  private missing(key: string): AdapterError {
    return new AdapterError(`${this.r.where}: a "${this.blockKey}" block needs "${key}"; valid form: ${this.form}`);
  }
}

/**
 * The items of a repeated block, each read by `read` through one ItemReader reset for it (its `unknown` read last,
 * after the attributes). An empty list when there are none.
 */
export function readItems<T>(
  r: Reader, blocks: Json[], field: SpecField, blockKey: string, form: string, read: (it: ItemReader, block: Json) => T,
): T[] {
  if (blocks.length === 0) return [];
  const it = new ItemReader(r, field, blockKey, form);
  return blocks.map((b) => read(it.reset(b), b));
}
