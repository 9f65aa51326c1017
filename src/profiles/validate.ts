import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { DEFAULTS_SCHEMA, POLICIES_SCHEMA, PROFILE_SCHEMA } from './profile-schema';

let ajv: Ajv | undefined;
const compiled = new Map<object, ValidateFunction>();

function validator(schema: object): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    // ajv loads on the first validation, not with the profiles: `hardened-docker audit` and `check` with a built-in
    // profile never validate, and loading ajv is a tenth of their start-up.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const AjvClass = (require('ajv') as typeof import('ajv')).default;
    ajv ??= new AjvClass({ allErrors: true, verbose: true, strict: true, strictTuples: false });
    v = ajv.compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

/** `/rules/read-only-rootfs` -> `rules.read-only-rootfs`; `/policies/allowedRegistries/0` -> `policies.allowedRegistries[0]`. */
function fieldPath(prefix: string, instancePath: string): string {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let out = prefix;
  for (const p of parts) out += /^[0-9]+$/.test(p) ? `[${p}]` : (out ? `.${p}` : p);
  return out;
}

function describe(prefix: string, e: ErrorObject): string | undefined {
  const at = fieldPath(prefix, e.instancePath);
  const where = at || '(top level)';
  switch (e.keyword) {
    case 'enum':
      return `${where}: must be one of ${(e.params as any).allowedValues.join(', ')}`;
    case 'additionalProperties': {
      const allowed = Object.keys((e.parentSchema as any)?.properties ?? {});
      const field = (e.params as any).additionalProperty;
      return `${at ? `${at}.` : ''}${field}: unknown field (allowed fields${at ? ` of ${at}` : ''}: ${allowed.join(', ')})`;
    }
    case 'required':
      return `${at ? `${at}.` : ''}${(e.params as any).missingProperty}: is required`;
    case 'propertyNames':
      return undefined; // reported by the nested pattern error, which names the property
    case 'pattern':
      if ((e as any).propertyName !== undefined) {
        return `${at ? `${at}.` : ''}${(e as any).propertyName}: not a valid rule id (kebab-case, like read-only-rootfs)`;
      }
      return `${where}: ${JSON.stringify(e.data)} does not match ${(e.params as any).pattern}${(e.parentSchema as any)?.description ? ` (${(e.parentSchema as any).description})` : ''}`;
    case 'type':
      return `${where}: must be ${(e.params as any).type}, got ${JSON.stringify(e.data)}`;
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return `${where}: ${e.message}, got ${JSON.stringify(e.data)}`;
    default:
      return `${where}: ${e.message}`;
  }
}

function run(schema: object, prefix: string, value: unknown): string[] {
  const v = validator(schema);
  if (v(value)) return [];
  const out: string[] = [];
  for (const e of v.errors ?? []) {
    const d = describe(prefix, e);
    if (d !== undefined && !out.includes(d)) out.push(d);
  }
  return out;
}

/** Schema errors of a profile document, each naming the field and the allowed values; empty when valid. */
export function profileDocumentErrors(doc: unknown): string[] {
  return run(PROFILE_SCHEMA, '', doc);
}

/** Schema errors of construct defaults (the same constraints as the `defaults` of a profile file). */
export function defaultsErrors(defaults: unknown): string[] {
  const value = stripUndefined(defaults);
  // Nothing to check in {} (every field is optional), and no reason to load ajv for it: a profile made in code
  // without defaults is built while the app is constructed, on every synth.
  return isEmptyObject(value) ? [] : run(DEFAULTS_SCHEMA, 'defaults', value);
}

/** Schema errors of organisation policies (the same constraints as the `policies` of a profile file). */
export function policiesErrors(policies: unknown): string[] {
  const value = stripUndefined(policies);
  return isEmptyObject(value) ? [] : run(POLICIES_SCHEMA, 'policies', value);
}

function isEmptyObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;
}

/** A copy without undefined-valued keys (code passes `{ memoryMb: undefined }`; JSON cannot). */
export function stripUndefined<T>(o: T): T {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return o;
  const out: any = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}
