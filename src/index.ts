export * from './spec/container-spec';
export * from './rules/rule';
export * from './evaluation/finding';
export { Profile, ProfileLevel } from './profiles/profile';
export { ProfileScope } from './profiles/scope';
export type { ContainerDefaults } from './profiles/defaults';
export type { RuleSetting, ActiveRule } from './profiles/profile';
export { DockerSecurityChecks } from './checks/docker-security-checks';
export type { DockerSecurityChecksProps } from './checks/docker-security-checks';
export { Suppressions } from './checks/suppressions';
export type { Suppression } from './checks/suppressions';
export { HardenedContainer } from './constructs/hardened-container';
export type { HardenedContainerProps } from './constructs/hardened-container';
export { Capability } from './constructs/capability';
export * from './constructs/types';
export type { DeriveProfileProps, ProfileDocOptions, ProfileLoadOptions, ProfileSuppression } from './profiles/profile';
export type { OrgPolicies } from './rules/policies/org-policies';
export {
  AllowedRegistriesRule, ImageDigestRule, RequiredLabelsRule, MaxMemoryRule, MaxCpuRule, ForbiddenHostPathsRule,
  AllowedCapabilitiesRule,
} from './rules/policies/policy-rules';
export { SecureService, ServiceMode } from './constructs/secure-service';
export type { SecureServiceProps, SecureServiceOptOuts, ServiceHostPort } from './constructs/secure-service';
