/**
 * `audit --against`: match the live containers and services to the declared resources, compare each pair
 * (compare.ts), and evaluate everything through the same evaluator, profile and suppressions as any audit, with the
 * drift rules (rules.ts) added to the profile.
 *
 * Pure: the caller reads the engine and the configuration.
 */
import { compareSpecs } from './compare';
import { DRIFT_RULES, recordDrift } from './rules';
import { evaluate, EvaluateOptions, Evaluation, ResourceOutcome } from '../evaluation/evaluate';
import { Profile } from '../profiles/profile';
import { ContainerSpec, ResourceKind } from '../spec/container-spec';

/** A live resource and its engine id. */
export interface LiveResource {
  readonly spec: ContainerSpec;
  /** The container or service id. @default - not known */
  readonly id?: string;
}

/** Declared and live resources paired. */
export interface Matching {
  readonly pairs: ReadonlyArray<{ readonly declared: ContainerSpec; readonly live: LiveResource }>;
  /** Live resources no declaration matches. */
  readonly undeclared: LiveResource[];
  /** Declarations no live resource matches. */
  readonly missing: ContainerSpec[];
}

const PROJECT_LABEL_PREFIX = 'hardened-docker.';
/** The label Swarm puts on every task container. */
const SWARM_TASK_LABEL = 'com.docker.swarm.service.name';
/** Labels that say what a resource is for, not what it is: not used to match. */
const NOT_IDENTIFYING = /^hardened-docker\.(suppress|optout)\./;

function nameKnown(s: ContainerSpec): boolean {
  return s.name !== undefined && s.name !== '' && !(s.unknown ?? []).includes('name');
}

/** The project's labels a declaration carries, when they are known: what identifies it beside its name. */
function projectLabels(s: ContainerSpec): Array<[string, string]> {
  if ((s.unknown ?? []).includes('labels')) return [];
  return Object.entries(s.labels ?? {}).filter(([k]) => k.startsWith(PROJECT_LABEL_PREFIX) && !NOT_IDENTIFYING.test(k));
}

/**
 * Pairs each live resource with a declaration of the same kind: by name first; a declaration whose name is unknown
 * (an expression) is then matched by its project labels (`hardened-docker.*`, known and all equal) when exactly one
 * live resource left carries them.
 */
export function matchResources(declared: ContainerSpec[], live: LiveResource[]): Matching {
  const pairs: Array<{ declared: ContainerSpec; live: LiveResource }> = [];
  const liveLeft = new Set(live);
  const byName = new Map<string, LiveResource>();
  for (const l of live) if (l.spec.name !== undefined) byName.set(`${l.spec.kind}/${l.spec.name}`, l);
  const declaredLeft: ContainerSpec[] = [];
  for (const d of declared) {
    const l = nameKnown(d) ? byName.get(`${d.kind}/${d.name}`) : undefined;
    if (l !== undefined && liveLeft.has(l)) {
      pairs.push({ declared: d, live: l });
      liveLeft.delete(l);
    } else {
      declaredLeft.push(d);
    }
  }
  const missing: ContainerSpec[] = [];
  for (const d of declaredLeft) {
    const labels = nameKnown(d) ? [] : projectLabels(d);
    const candidates = labels.length === 0 ? [] : [...liveLeft].filter((l) => l.spec.kind === d.kind
      && labels.every(([k, v]) => l.spec.labels?.[k] === v));
    if (candidates.length === 1) {
      pairs.push({ declared: d, live: candidates[0] });
      liveLeft.delete(candidates[0]);
    } else {
      missing.push(d);
    }
  }
  // A Swarm task's container is judged through its service (declared or not), not on its own.
  return { pairs, undeclared: live.filter((l) => liveLeft.has(l) && l.spec.labels?.[SWARM_TASK_LABEL] === undefined), missing };
}

const WITH_DRIFT = new WeakMap<Profile, Profile>();

/** The profile plus the drift rules (what `evaluateAgainst` runs, and what reports list as the rules run); made once per profile. */
export function profileWithDrift(profile: Profile): Profile {
  let p = WITH_DRIFT.get(profile);
  if (p === undefined) {
    // A drift rule the profile already names (re-graded or switched off in its `rules`) keeps that setting.
    const known = new Set(profile.knownRuleIds);
    p = profile.derive({ name: profile.name, addRules: DRIFT_RULES.filter((r) => !known.has(r.metadata.id)) });
    WITH_DRIFT.set(profile, p);
  }
  return p;
}

/** What `evaluateAgainst` needs beyond the specs. */
export interface AgainstOptions extends EvaluateOptions {
  /** The configuration's paths as the user gave them, for messages. */
  readonly against: string;
  /** The engine address, for messages. */
  readonly host: string;
  /**
   * Whether a declaration is within what was audited (the --name/--label filters, containers or services): only
   * those can be missing. Default: every declaration.
   */
  readonly inScope?: (declared: ContainerSpec) => boolean;
}

/**
 * Evaluates the live resources with the profile plus the drift rules. A live resource matched to a declaration is
 * evaluated under the declaration's address, construct path and file (its name stays the live one), so that every
 * finding on it points at what to fix; declarations not on the engine are reported under the `missing` rule alone.
 */
export function evaluateAgainst(declared: ContainerSpec[], live: LiveResource[], profile: Profile, opts: AgainstOptions): Evaluation {
  const withDrift = profileWithDrift(profile);
  const matching = matchResources(declared, live);
  const pairedLive = new Map(matching.pairs.map((p) => [p.live, p.declared]));
  const specs: ContainerSpec[] = [];
  for (const l of live) {
    const d = pairedLive.get(l);
    if (d === undefined) {
      recordDrift(l.spec, { kind: 'undeclared', live: l.spec, liveId: l.id, against: opts.against });
      specs.push(l.spec);
      continue;
    }
    const spec: ContainerSpec = { ...l.spec, address: d.address, constructPath: d.constructPath, file: d.file };
    recordDrift(spec, { kind: 'pair', declared: d, live: l.spec, liveId: l.id, items: compareSpecs(d, l.spec) });
    specs.push(spec);
  }
  const evaluation = evaluate(specs, withDrift, opts);
  const findings = [...evaluation.findings];
  const resources: ResourceOutcome[] = [...evaluation.resources];
  const missing = matching.missing.filter((d) => opts.inScope?.(d) ?? true);
  if (missing.length) {
    const missingProfile = withDrift.derive({
      name: profile.name,
      rules: withDrift.activeRules.filter((a) => a.rule.metadata.id !== 'missing').map((a) => ({ ruleId: a.rule.metadata.id, enabled: false })),
    });
    for (const d of missing) recordDrift(d, { kind: 'missing', declared: d, host: opts.host });
    const ofMissing = evaluate(missing, missingProfile, opts);
    findings.push(...ofMissing.findings);
    resources.push(...ofMissing.resources);
  }
  return { profile: evaluation.profile, findings, resources };
}

/** The kinds of resource an audit reads. */
export function auditedKinds(containers: boolean, services: boolean): ResourceKind[] {
  return [...(containers ? [ResourceKind.CONTAINER] : []), ...(services ? [ResourceKind.SERVICE] : [])];
}
