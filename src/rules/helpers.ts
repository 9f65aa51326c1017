/**
 * Small pure helpers the built-in rules share: capability names, security options, host paths,
 * and the wording of provider 3.6.2's limits. Internal (not exported from the package's index).
 */
import { Results, RuleResult } from './rule';
import { UnknownCause, UnknownValue } from '../spec/container-spec';
import { normalizeAbsolutePath, selinuxLabelBreakingConfinement } from '../spec/docker-facts';
import { isItemAttributeUnknown, isUnknown, mayHaveUnlistedItems, SpecField } from '../spec/fields';
import { canExpress } from '../spec/source-capabilities';
import { SpecSettings } from '../spec/spec-settings';
import { CAUSE_ORDER } from '../spec/unknown-causes';

// The lists moved to docker-facts.ts (one module of Docker security facts); re-exported for the rules.
export { DANGEROUS_CAPABILITIES, DOCKER_DEFAULT_CAPABILITIES, isAtOrBelow } from '../spec/docker-facts';

/** A capability name as Docker reads it: trimmed, upper case, without a `CAP_` prefix (`cap_sys_admin` -> `SYS_ADMIN`). */
export function normalizeCapability(name: string): string {
  const upper = name.trim().toUpperCase();
  return upper.startsWith('CAP_') ? upper.slice(4) : upper;
}

/** The prefix of a provider-limit message: the Terraform provider version our users run. */
export const PROVIDER = 'provider kreuzwerker/docker 3.6.2';

/**
 * What a message calls a spec's security options: `security_opts`, or, where the source has only an SELinux context
 * (a Terraform docker_service), `privileges.se_linux_context`.
 */
export function securityOptsName(spec: SpecSettings): string {
  return canExpress(spec, 'securityOpts') ? 'security_opts' : 'privileges.se_linux_context';
}

/**
 * An unknown result when any of `fields` is unknown, else undefined. For fields read as a whole (a scalar, or a list
 * whose every item matters, as a presence check); a rule that judges a list item by item uses judgeList instead, so
 * that a literal failing item is not hidden by an unknown sibling.
 */
export function unknownIf(spec: SpecSettings, fields: SpecField[], what: string): RuleResult | undefined {
  // Most specs know every field: no list to filter.
  if (spec.unknown === undefined || spec.unknown.length === 0) return undefined;
  const unknown = fields.filter((f) => isUnknown(spec, f));
  if (unknown.length === 0) return undefined;
  return unknownResult(spec, unknown, what, unknown.length > 1);
}

/**
 * The unknown result of a rule reading `fields`: `<what> depends on a variable without a value` when the spec records
 * why those fields are unknown (ContainerSpec.unknownCauses), `<what> depends on ${VAR}, which is not set` when it
 * also names the variables (a compose file), else `<what> is only known after apply`.
 */
export function unknownResult(spec: SpecSettings, fields: readonly SpecField[], what: string, plural = false): RuleResult {
  const causes = spec.unknownCauses;
  if (causes !== undefined && causes.length) {
    const mine = causes.filter((u) => fields.includes(u.field as SpecField));
    const seen = CAUSE_ORDER.filter((c) => mine.some((u) => u.cause === c));
    if (seen.length) {
      const phrases = seen.map((c) => (c === UnknownCause.VARIABLE ? variablesPhrase(mine) : CAUSE_PHRASES[c]));
      return Results.unknown(`${what} ${plural ? 'depend' : 'depends'} on ${phrases.join(' and ')}`);
    }
  }
  return Results.unknown(`${what} ${plural ? 'are' : 'is'} only known after apply`);
}

/** The variables behind unknown values, by name where the source named them (`${LEVEL}, which is not set`). */
function variablesPhrase(causes: readonly UnknownValue[]): string {
  const names = [...new Set(causes.flatMap((u) => (u.cause === UnknownCause.VARIABLE ? u.variables ?? [] : [])))];
  if (names.length === 0) return CAUSE_PHRASES[UnknownCause.VARIABLE];
  const listed = names.map((n) => `\${${n}}`);
  const joined = listed.length === 1 ? listed[0] : `${listed.slice(0, -1).join(', ')} and ${listed[listed.length - 1]}`;
  return `${joined}, which ${names.length === 1 ? 'is' : 'are'} not set`;
}

/** Each cause of an unknown value as a rule's message names it. */
const CAUSE_PHRASES: { readonly [cause: string]: string } = {
  [UnknownCause.VARIABLE]: 'a variable without a value',
  [UnknownCause.REMOTE_MODULE]: 'an output of a module not followed',
  [UnknownCause.DATA_SOURCE]: 'a data source',
  [UnknownCause.AFTER_APPLY]: 'an attribute known only after apply',
  [UnknownCause.FUNCTION]: 'a function not evaluated',
  [UnknownCause.DYNAMIC]: 'a dynamic block or for_each that cannot be expanded',
  [UnknownCause.OTHER]: 'a value this check does not evaluate (an expression, a container outside the compose project, the home directory of whoever runs compose)',
};

/** How a list field stands under a rule, item by item (see judgeList). */
export interface ListJudgement<T> {
  /** The listed items that fail. */
  readonly failing: readonly T[];
  /** True when an item could fail but is not known well enough: an item whose needed attribute is unknown, or an item not listed. */
  readonly undecided: boolean;
}

/**
 * Judges a list field item by item. `verdict` says of one listed item: true when it fails the rule, false when it
 * passes, undefined when it could fail but an attribute the rule needs is unknown (see isItemAttributeUnknown). A
 * literal failing item fails whatever its unknown siblings are; the rule is unknown only when no listed item fails
 * and one could (`undecided`: an undecided item, or items that may not be listed).
 */
export function judgeList<T>(
  spec: SpecSettings, field: SpecField, items: readonly T[] | undefined, verdict: (item: T) => boolean | undefined,
): ListJudgement<T> {
  let failing: T[] | undefined;
  let undecided = false;
  if (items !== undefined) {
    for (let i = 0; i < items.length; i++) {
      const v = verdict(items[i]);
      if (v === true) (failing ??= []).push(items[i]);
      else if (v === undefined) undecided = true;
    }
  }
  if (!undecided && spec.unknown !== undefined && mayHaveUnlistedItems(spec, field)) undecided = true;
  // Most lists pass, fully known: one shared judgement rather than an object per rule and spec.
  if (failing === undefined) return undecided ? UNDECIDED : PASSED;
  return { failing, undecided };
}
const NO_ITEMS: readonly never[] = Object.freeze([]);
const PASSED: ListJudgement<never> = Object.freeze({ failing: NO_ITEMS, undecided: false });
const UNDECIDED: ListJudgement<never> = Object.freeze({ failing: NO_ITEMS, undecided: true });

/** True when attribute `attribute` of a list item is not known before apply (re-exported for the rules). */
export const attributeUnknown = isItemAttributeUnknown;

/** True when the list field may have items not listed (re-exported for the rules). */
export const unlistedItems = mayHaveUnlistedItems;

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
export function securityOptsWithKey(spec: SpecSettings, key: string): SecurityOpt[] {
  return parsedSecurityOpts(spec).filter((o) => o.key === key);
}

/** Every security option of the spec, parsed; shared by the rules (read only). */
export function parsedSecurityOpts(spec: SpecSettings): readonly SecurityOpt[] {
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

/**
 * Why a security option turns SELinux confinement off (`label=disable`, `label:disable`, `disable`, `label=type:spc_t`,
 * `label=type:unconfined_t`, a level holding every category, `label=level:s0:c0.c1023`), or undefined when it does
 * not. The judgement of the label is docker-facts' (selinuxLabelBreakingConfinement), which the constructs share.
 */
export function selinuxConfinementOff(opt: SecurityOpt): string | undefined {
  if (opt.key === 'disable') return selinuxLabelBreakingConfinement('disable');
  if (opt.key !== 'label') return undefined;
  return selinuxLabelBreakingConfinement(opt.value ?? '');
}

/** How a security option is named in a message: as written, or as the docker_service SELinux context gave it. */
export function describeSecurityOpt(spec: SpecSettings, opt: SecurityOpt): string {
  return canExpress(spec, 'securityOpts')
    ? `security_opts has "${opt.raw}"`
    : `privileges.se_linux_context gives "${opt.raw}"`;
}

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
export function kindName(spec: SpecSettings): string {
  return spec.kind;
}
