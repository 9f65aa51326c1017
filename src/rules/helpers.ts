/**
 * Small pure helpers the built-in rules share: capability names, security options, host paths,
 * and the wording of provider 3.6.2's limits. Internal (not exported from the package's index).
 */
import { normalizeAbsolutePath } from './docker-facts';
import { Results, RuleResult } from './rule';
import { ContainerSpec, ResourceKind, SpecSource } from '../spec/container-spec';
import { isUnknown, SpecField } from '../spec/fields';

// The lists moved to docker-facts.ts (one module of Docker security facts); re-exported for the rules.
export { DANGEROUS_CAPABILITIES, DOCKER_DEFAULT_CAPABILITIES, isAtOrBelow } from './docker-facts';

/** A capability name as Docker reads it: trimmed, upper case, without a `CAP_` prefix (`cap_sys_admin` -> `SYS_ADMIN`). */
export function normalizeCapability(name: string): string {
  const upper = name.trim().toUpperCase();
  return upper.startsWith('CAP_') ? upper.slice(4) : upper;
}

/** The prefix of a provider-limit message: the Terraform provider version our users run. */
export const PROVIDER = 'provider kreuzwerker/docker 3.6.2';

/** True when the spec is a docker_service read from Terraform: what provider 3.6.2 cannot set there, it cannot set. */
export function isTerraformService(spec: ContainerSpec): boolean {
  return spec.kind === ResourceKind.SERVICE && spec.source !== SpecSource.ENGINE;
}

/** True when the spec was read from Terraform (JSON, HCL or plan), not a live engine. */
export function isTerraformSource(spec: ContainerSpec): boolean {
  return spec.source !== SpecSource.ENGINE;
}

/** An unknown result when any of `fields` is unknown, else undefined. */
export function unknownIf(spec: ContainerSpec, fields: SpecField[], what: string): RuleResult | undefined {
  // Most specs know every field: no list to filter.
  if (spec.unknown === undefined || spec.unknown.length === 0) return undefined;
  const unknown = fields.filter((f) => isUnknown(spec, f));
  if (unknown.length === 0) return undefined;
  return Results.unknown(`${what} ${unknown.length > 1 ? 'are' : 'is'} only known after apply`);
}

/** One `--security-opt` entry split Docker's way: `key=value`, or the older `key:value`; a bare key has no value. */
export interface SecurityOpt {
  readonly key: string;
  readonly value?: string;
  readonly raw: string;
}

/** Parses a security option the way the daemon does (split on the first `=`, else on the first `:`). */
export function parseSecurityOpt(raw: string): SecurityOpt {
  const text = raw.trim();
  const eq = text.indexOf('=');
  const colon = text.indexOf(':');
  const at = eq >= 0 ? eq : colon;
  if (at < 0) return { key: text.toLowerCase(), raw };
  return { key: text.slice(0, at).trim().toLowerCase(), value: text.slice(at + 1).trim(), raw };
}

/** The security options of the spec with this key. */
export function securityOptsWithKey(spec: ContainerSpec, key: string): SecurityOpt[] {
  return parsedSecurityOpts(spec).filter((o) => o.key === key);
}

/** Every security option of the spec, parsed; shared by the rules (read only). */
export function parsedSecurityOpts(spec: ContainerSpec): readonly SecurityOpt[] {
  const list = spec.securityOpts;
  if (list === undefined || list.length === 0) return NO_OPTS;
  // Several rules read the options of one spec: parse each list once (specs are not changed after the adapter).
  let parsed = PARSED_OPTS.get(list);
  if (parsed === undefined) {
    parsed = list.map(parseSecurityOpt);
    PARSED_OPTS.set(list, parsed);
  }
  return parsed;
}
const NO_OPTS: readonly SecurityOpt[] = [];
const PARSED_OPTS = new WeakMap<readonly string[], readonly SecurityOpt[]>();

/** Go's strconv.ParseBool, which the daemon uses for `no-new-privileges:<bool>`; undefined when invalid. */
export function parseGoBool(value: string): boolean | undefined {
  if (GO_TRUE.includes(value)) return true;
  if (GO_FALSE.includes(value)) return false;
  return undefined;
}
const GO_TRUE: readonly string[] = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const GO_FALSE: readonly string[] = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

/** A host path normalized the POSIX way; undefined for a relative path or a volume name (see docker-facts.ts). */
export const normalizeHostPath = normalizeAbsolutePath;

/** How a spec is named in messages: `docker_container` or `docker_service`. */
export function kindName(spec: ContainerSpec): string {
  return spec.kind;
}
