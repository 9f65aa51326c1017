import { IRule, RuleMetadata, RuleResult } from './rule';
import { ContainerSpec, ResourceKind } from '../spec/container-spec';

/** A built-in rule: metadata plus a pure check. Internal; organisations implement IRule directly. */
export function defineRule(metadata: RuleMetadata, check: (spec: ContainerSpec) => RuleResult): IRule {
  return { metadata, check };
}

/** True when `rule` applies to the kind of `spec`. */
export function appliesTo(rule: IRule, spec: ContainerSpec): boolean {
  const kinds: ResourceKind[] | undefined = rule.metadata.appliesTo;
  return kinds === undefined || kinds.length === 0 || kinds.includes(spec.kind);
}
