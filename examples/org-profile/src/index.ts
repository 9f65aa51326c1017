import * as path from 'path';
import { IConstruct } from 'constructs';
import { DockerSecurityChecks, DockerSecurityChecksProps, Profile, ProfileLevel, ProfileScope, Severity } from './hardened-docker';
import { AcmeNoLatestTagRule } from './rules';

export { AcmeNoLatestTagRule, rules } from './rules';

/** ACME's registry: every image comes from it. */
export const ACME_REGISTRY = 'registry.acme.example/';

/**
 * The `acme` profile: `hardened`, plus what ACME decided. Only what is named here differs from `hardened`.
 * The same profile as data is `acme-profile.json` (for the CLI: `hardened-docker check --profile <it>`);
 * this package's tests prove the two are the same.
 */
export const acme: Profile = Profile.named(ProfileLevel.HARDENED).derive({
  name: 'acme',
  description: 'How ACME runs containers: hardened, from ACME\'s registry, owned, and versioned.',
  defaults: {
    memoryMb: 512, // ACME's services are JVMs: 256 MiB is too small
    logMaxFiles: 5, // 50 MB of logs per container, what the log shipper keeps up with
  },
  rules: [
    { ruleId: 'healthcheck', severity: Severity.ERROR }, // the load balancer needs one
  ],
  policies: {
    allowedRegistries: [ACME_REGISTRY],
    requiredLabels: ['owner'],
    maxMemoryMb: 2048,
    forbiddenHostPaths: ['/etc', '/root', '/home', '/var/lib/docker'],
  },
  addRules: [new AcmeNoLatestTagRule()],
});

/** The profile file: `require.resolve('@acme/docker-profile/acme-profile.json')` once published. */
export const ACME_PROFILE_FILE = path.join(__dirname, 'acme-profile.json');

/**
 * Adopt ACME's way in one call: the acme profile for every construct below `scope` (HardenedContainer defaults)
 * and the checks, with the acme profile, on every stack below it.
 */
export function useAcme(scope: IConstruct, checks: Omit<DockerSecurityChecksProps, 'profile'> = {}): DockerSecurityChecks {
  ProfileScope.apply(scope, acme);
  // No `profile` prop: each resource is checked with its nearest profile, acme unless a subtree applies another.
  return DockerSecurityChecks.applyTo(scope, checks);
}
