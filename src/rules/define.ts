import { IRule, RuleMetadata, RuleResult } from './rule';
import { ContainerSpec, ResourceKind } from '../spec/container-spec';
import { SpecSettings } from '../spec/spec-settings';

/**
 * A built-in rule: metadata plus a pure check of a spec's settings (SpecSettings: no address, name, construct path or
 * file). Internal; organisations implement IRule directly.
 */
export function defineRule(metadata: RuleMetadata, check: (spec: SpecSettings) => RuleResult): IRule {
  const rule: IRule = { metadata, check };
  SETTINGS_RULES.add(rule);
  return rule;
}

/**
 * The rules made by defineRule: pure checks of a spec's settings that never read its identity (address, name,
 * construct path, file); a test runs each on specs that differ only in those. Evaluation reuses their result for
 * specs with the same settings.
 */
const SETTINGS_RULES = new WeakSet<IRule>();
export function isSettingsRule(rule: IRule): boolean {
  return SETTINGS_RULES.has(rule);
}

/** True when `rule` applies to the kind of `spec`. */
export function appliesTo(rule: IRule, spec: ContainerSpec): boolean {
  const kinds: ResourceKind[] | undefined = rule.metadata.appliesTo;
  return kinds === undefined || kinds.length === 0 || kinds.includes(spec.kind);
}
