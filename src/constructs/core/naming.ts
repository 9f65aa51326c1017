import { createHash } from 'crypto';
import { Fn, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { unresolved } from './prop-check';

/** A readable, unique, stable container name from the construct path. */
export function derivedName(scope: Construct): string {
  const scopes = scope.node.scopes;
  let start = 1;
  for (let i = scopes.length - 1; i >= 0; i--) {
    if (TerraformStack.isStack(scopes[i])) {
      start = i + 1;
      break;
    }
  }
  const readable = scopes.slice(start).map((s) => s.node.id).join('-')
    .replace(/[^a-zA-Z0-9_.-]+/g, '-').replace(/^[^a-zA-Z0-9]+/, '').slice(0, 54).replace(/[-_.]+$/, '');
  const hash = createHash('sha256').update(scope.node.path).digest('hex').slice(0, 8);
  return readable ? `${readable}-${hash}` : `c-${hash}`;
}

/** sha256 of the canonical JSON (sorted keys) of a value; a Terraform expression when a token is inside. */
export function digestOf(value: unknown): string {
  const text = canonicalJson(value);
  if (unresolved(text)) return Fn.sha256(Fn.jsonencode(value));
  let digest = DIGESTS.get(text);
  if (digest === undefined) {
    digest = 'sha256:' + createHash('sha256').update(text).digest('hex');
    if (DIGESTS.size > 1000) DIGESTS.clear();
    DIGESTS.set(text, digest);
  }
  return digest;
}

/** Containers of an app mostly share these settings: hash each distinct text once. */
const DIGESTS = new Map<string, string>();

/** JSON with object keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as object).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
