import { PropCheck, unresolved } from './prop-check';
import { builtinRule } from '../../rules/catalog';
import { REASON_FORM, reasonProblem } from '../../rules/reason';
import { HardeningOptOuts, OptOut } from '../types';

/** The name of an opt-out of HardeningOptOuts. */
export type OptOutName = keyof HardeningOptOuts;

/** Each opt-out: the rule ids it weakens, and whether it is a switch (does the weakening) or a permission. */
export const OPT_OUT_RULES: { readonly [K in OptOutName]-?: { readonly rules: readonly string[]; readonly kind: 'switch' | 'permission' } } = {
  writableRootFilesystem: { rules: ['read-only-rootfs'], kind: 'switch' },
  runAsRoot: { rules: ['non-root-user'], kind: 'permission' },
  privilegedPorts: { rules: ['no-privileged-host-ports'], kind: 'permission' },
  allInterfaces: { rules: ['ports-bound-to-interface'], kind: 'permission' },
  dangerousCapabilities: { rules: ['no-dangerous-capabilities', 'no-added-capabilities'], kind: 'permission' },
  unconfinedSeccomp: { rules: ['no-unconfined-seccomp'], kind: 'switch' },
  unconfinedAppArmor: { rules: ['apparmor-profile'], kind: 'permission' },
  unconfinedSelinux: { rules: ['selinux-options', 'selinux-confinement-not-disabled'], kind: 'permission' },
  unconfinedSystemPaths: { rules: ['no-unconfined-system-paths'], kind: 'switch' },
  allowPrivilegeEscalation: { rules: ['no-new-privileges'], kind: 'switch' },
  noHealthcheck: { rules: ['healthcheck'], kind: 'permission' },
  hostNetwork: { rules: ['no-host-network'], kind: 'permission' },
  hostCgroupNamespace: { rules: ['no-host-cgroupns'], kind: 'switch' },
  swap: { rules: ['no-swap'], kind: 'switch' },
  unlimitedRestarts: { rules: ['restart-retries'], kind: 'permission' },
  sensitiveHostMounts: { rules: ['no-sensitive-host-mounts', 'no-sensitive-host-mounts-read-only'], kind: 'permission' },
  dockerSocket: { rules: ['no-docker-socket'], kind: 'permission' },
  executableTmpfs: { rules: ['tmpfs-noexec-nosuid'], kind: 'permission' },
  mountOverSystemDirs: { rules: ['no-mount-over-system-dirs'], kind: 'permission' },
};

/** An opt-out in force (or a suppression the construct makes itself: no name), with the rules it suppresses. */
export interface AppliedOptOut {
  readonly name?: OptOutName;
  readonly reason: string;
  readonly rules: readonly string[];
}

/** `non-root-user (CIS 4.1)` */
function describeRule(id: string): string {
  const cis = builtinRule(id)?.metadata.cis ?? [];
  return cis.length ? `${id} (CIS ${cis.join(', ')})` : id;
}

/**
 * The opt-outs of one construct: validates each (name, reason), answers which are given, records which the props
 * need (or may need, for a token), refuses a needed one that is missing and a permission nothing needs, and lists
 * the ones in force with the rules each suppresses.
 */
export class OptOutLedger {
  /**
   * A reason, validated by the one reason validator: the trimmed text. A token is refused: its text is known only at
   * apply, so it cannot be checked, yet it would be written on the resource and suppress findings.
   */
  public static validReason(check: PropCheck, prop: string, reason: unknown): string {
    if (unresolved(reason)) {
      check.fail(prop, reason, `${REASON_FORM}, written literally`, 'is a token: a reason known only at apply cannot be checked and does not count as one');
    }
    const problem = reasonProblem(reason);
    if (problem !== undefined) check.fail(prop, reason, REASON_FORM, problem);
    return (reason as string).trim();
  }

  /** The opt-outs in force, once `settle` has run. */
  public readonly applied: AppliedOptOut[] = [];
  private readonly optOuts: HardeningOptOuts;
  /** Permission opt-outs something needs (or may need: a token), with the rules the weakening trips. */
  private readonly needed = new Map<OptOutName, Set<string>>();

  /**
   * @param inapplicable opt-outs that mean nothing for this target (what they weaken cannot be set there)
   * @param inapplicableWhy why one of them does not apply, by its name
   */
  public constructor(private readonly check: PropCheck, optOuts: HardeningOptOuts | undefined,
    inapplicable: readonly OptOutName[] = [], inapplicableWhy: (name: OptOutName) => string = () => '') {
    const o = (optOuts ?? {}) as any;
    if (o === null || typeof o !== 'object' || Array.isArray(o) || unresolved(o)) check.fail('optOuts', o, 'an object of opt-outs, each { reason }');
    this.optOuts = o;
    for (const key of Object.keys(o)) {
      if (o[key] === undefined) continue;
      if (!(key in OPT_OUT_RULES)) check.fail(`optOuts.${key}`, key, `one of ${Object.keys(OPT_OUT_RULES).join(', ')}`, 'is not an opt-out');
      const name = key as OptOutName;
      if (inapplicable.includes(name)) check.fail(`optOuts.${key}`, key, `remove it: ${inapplicableWhy(name)}`, 'does not apply here');
      if (o[key] === null || typeof o[key] !== 'object') check.fail(`optOuts.${key}`, o[key], '{ reason: \'<why this is acceptable here>\' }');
      const reason = OptOutLedger.validReason(check, `optOuts.${key}.reason`, o[key].reason);
      if (OPT_OUT_RULES[name].kind === 'switch') this.applied.push({ name, reason, rules: OPT_OUT_RULES[name].rules });
    }
  }

  /** True when the opt-out is given. */
  public has(name: OptOutName): boolean {
    return this.optOuts[name] !== undefined;
  }

  /** The reason of a given opt-out. */
  public reasonOf(name: OptOutName): string | undefined {
    return (this.optOuts[name] as OptOut | undefined)?.reason;
  }

  /** A value that needs a permission opt-out: refused without it; recorded as needed with the rules it trips. */
  public demand(name: OptOutName, prop: string, value: unknown, why: string, rules: readonly string[] = OPT_OUT_RULES[name].rules): void {
    this.need(name, rules);
    if (!this.has(name)) {
      this.check.fail(prop, value, `${why}; if this really is needed, add \`optOuts: { ${name}: { reason: '<why, 10+ characters>' } }\``,
        rules.length ? `needs an opt-out (it fails ${rules.length > 1 ? 'rules' : 'rule'} ${rules.map(describeRule).join(', ')})` : 'needs an opt-out');
    }
  }

  /** A token might need a permission opt-out: the opt-out is accepted as used (suppressing every rule it covers). */
  public mayNeed(name: OptOutName): void {
    this.need(name, OPT_OUT_RULES[name].rules);
  }

  /** The opt-outs something needs or may need, sorted. */
  public demanded(): OptOutName[] {
    return [...this.needed.keys()].sort();
  }

  /** Refuses a permission opt-out nothing needs, and records each permission in force with the rules it covers. */
  public settle(): void {
    for (const [key, value] of Object.entries(this.optOuts)) {
      if (value === undefined) continue;
      const name = key as OptOutName;
      if (OPT_OUT_RULES[name].kind !== 'permission') continue;
      const rules = this.needed.get(name);
      if (rules === undefined) {
        this.check.fail(`optOuts.${name}`, (value as OptOut).reason,
          'remove it (an unneeded opt-out would record a suppression that hides a later change)',
          'is given but nothing in the props needs it');
      }
      this.applied.push({ name, reason: (value as OptOut).reason.trim(), rules: OPT_OUT_RULES[name].rules.filter((r) => rules.has(r)) });
    }
  }

  private need(name: OptOutName, rules: readonly string[]): void {
    const set = this.needed.get(name) ?? new Set<string>();
    for (const r of rules) set.add(r);
    this.needed.set(name, set);
  }
}
