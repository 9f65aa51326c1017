import { Token } from 'cdktf';

/** Token.isUnresolved, with fast answers for the common plain values (it runs ~50 times per container). */
export function unresolved(v: unknown): boolean {
  if (v === undefined || v === null || typeof v === 'boolean') return false;
  // Encoded tokens: strings hold "${TfToken[", "#{TfToken[" or "&{TfToken["; numbers are huge negative doubles.
  if (typeof v === 'string') return v.includes('{TfToken[') && Token.isUnresolved(v);
  if (typeof v === 'number') return !(Number.isSafeInteger(v) || (v > -1e15 && v < 1e15)) && Token.isUnresolved(v);
  return Token.isUnresolved(v);
}

/** A number as text, keeping a token a token. */
export function numText(n: number): string {
  return unresolved(n) ? Token.asString(n) : String(n);
}

/** A value as an error message shows it: JSON for data, `NaN`/`Infinity` as such, a token as what it is. */
export function show(v: unknown): string {
  if (unresolved(v)) return 'a token (a value known only at apply)';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Long text cut for a message. */
export function abbreviate(s: string): string {
  return typeof s === 'string' && s.length > 60 ? s.slice(0, 57) + '...' : s;
}

/**
 * Validates props of one construct and words every error the same way:
 * `[<construct path>] <Construct> <prop>: <value> <problem>. Valid: <valid form>.`
 */
export class PropCheck {
  public constructor(private readonly path: string, private readonly constructName: string) {}

  /** Throws the error for `prop`. */
  public fail(prop: string, value: unknown, validForm: string, problem?: string): never {
    const shown = value === undefined ? '(not set)' : show(value);
    throw new Error(`[${this.path}] ${this.constructName} ${prop}: ${shown} ${problem ?? 'is not valid'}. Valid: ${validForm}.`);
  }

  /** An integer from min to max; a token passes unchecked (the synth-time checks report it as unknown). */
  public int(prop: string, v: number | undefined, min: number, max: number, validForm: string): void {
    if (v === undefined || unresolved(v)) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) this.fail(prop, v, validForm);
  }

  /** A finite number from min to max; a token passes unchecked. */
  public number(prop: string, v: number | undefined, min: number, max: number, validForm: string): void {
    if (v === undefined || unresolved(v)) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) this.fail(prop, v, validForm);
  }

  /** A boolean, or the default; a token is returned as is. */
  public bool(prop: string, v: boolean | undefined, dflt: boolean): boolean {
    if (v === undefined) return dflt;
    if (unresolved(v)) return v;
    if (typeof v !== 'boolean') this.fail(prop, v, 'true or false');
    return v;
  }

  /** An absolute path without `..` (and not `/` unless allowed); a token passes unchecked. */
  public absolutePath(prop: string, v: string, allowRoot: boolean): void {
    if (unresolved(v)) return;
    if (typeof v !== 'string' || !v.startsWith('/') || v.split('/').includes('..') || /[\0\n,]/.test(v)
      || (!allowRoot && /^\/+$/.test(v))) {
      this.fail(prop, v, `an absolute path without ".."${allowRoot ? '' : ', not "/"'}, e.g. "/var/cache/app"`);
    }
  }

  /** A list (an array, not a token), or the failure naming the valid form. */
  public list<T>(prop: string, v: T[] | undefined, validForm: string): T[] {
    if (v === undefined) return [];
    if (unresolved(v) || !Array.isArray(v)) this.fail(prop, v, validForm);
    return v;
  }
}
