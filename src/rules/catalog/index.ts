import { IRule } from '../rule';
import { pidsLimit } from './pids-limit';
import { noPrivileged } from './privileged';
import { readOnlyRootfs } from './read-only-rootfs';

/** Every built-in rule, in catalog order (by CIS id, then the rules beyond CIS). */
export const BUILTIN_RULES: readonly IRule[] = [
  noPrivileged,
  readOnlyRootfs,
  pidsLimit,
];

const BY_ID = new Map(BUILTIN_RULES.map((r) => [r.metadata.id, r]));

/** A built-in rule by id, or undefined. */
export function builtinRule(id: string): IRule | undefined {
  return BY_ID.get(id);
}
