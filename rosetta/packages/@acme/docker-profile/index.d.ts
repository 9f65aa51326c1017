// The public API of examples/org-profile (src/index.ts), as an app that installed it sees it: docs/profiles.md's
// last example imports it. Copied into the examples' compilation directory by scripts/rosetta-docs.ts.
import { DockerSecurityChecks, DockerSecurityChecksProps, Profile } from 'cdktf-hardened-docker';
import { IConstruct } from 'constructs';

export declare const acme: Profile;
export declare function useAcme(scope: IConstruct, checks?: Omit<DockerSecurityChecksProps, 'profile'>): DockerSecurityChecks;
