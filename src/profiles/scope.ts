import { IConstruct } from 'constructs';
import { Profile, ProfileLevel } from './profile';

const PROFILE = Symbol.for('cdktf-hardened-docker.profile');

/**
 * Profiles applied to a scope: every construct and check below it uses the nearest one.
 */
export class ProfileScope {
  /** Apply a profile to a scope (the app, a stack, a construct subtree). */
  public static apply(scope: IConstruct, profile: Profile): void {
    Object.defineProperty(scope, PROFILE, { value: profile, configurable: true, enumerable: false });
  }

  /** The profile nearest to a construct (itself, then its ancestors); the built-in `hardened` when none. */
  public static nearest(scope: IConstruct): Profile {
    return ProfileScope.find(scope) ?? Profile.named(ProfileLevel.HARDENED);
  }

  /** The profile nearest to a construct, or undefined when none was applied. */
  public static find(scope: IConstruct): Profile | undefined {
    const scopes = scope.node.scopes;
    for (let i = scopes.length - 1; i >= 0; i--) {
      const p = (scopes[i] as any)[PROFILE] as Profile | undefined;
      if (p) return p;
    }
    return undefined;
  }

  private constructor() {}
}
