import { HardeningContext, refuseInSwarm } from './context';
import { abbreviate, unresolved } from './prop-check';
import { breaksSelinuxConfinement, DANGEROUS_CAPABILITIES, DOCKER_DEFAULT_CAPABILITIES, seccompAllowsEverything } from '../../spec/docker-facts';
import { Capability, isCapability } from '../capability';

/** The user: as given (or the profile's), whether it is known to be non-root, and its UID. */
export interface UserSettings {
  readonly value: string;
  readonly nonRoot: boolean;
  readonly uid: string;
}

/** A numeric `UID[:GID]`; UID 0 needs the runAsRoot opt-out. */
export function userSettings(ctx: HardeningContext, given: string | undefined): UserSettings {
  const u = given ?? ctx.defaults.user;
  if (unresolved(u)) {
    ctx.optOuts.mayNeed('runAsRoot');
    return { value: u, nonRoot: false, uid: u };
  }
  const m = typeof u === 'string' ? /^(\d+)(?::(\d+))?$/.exec(u) : null;
  if (!m) {
    const root = typeof u === 'string' && /^root(:|$)/.test(u);
    ctx.check.fail('user', u, root
      ? 'a numeric UID[:GID] such as "10001:10001"; to run as root, "0:0" with the runAsRoot opt-out'
      : 'a numeric UID[:GID] such as "10001:10001" (a user name resolves through the image\'s /etc/passwd, which cannot be checked before run and may be root): look the UID up with `docker run --rm <image> id <name>`');
  }
  const uid = Number(m[1]);
  const gid = m[2] === undefined ? undefined : Number(m[2]);
  if (uid > 4294967294 || (gid !== undefined && gid > 4294967294)) ctx.check.fail('user', u, 'UID and GID from 0 to 4294967294');
  if (uid === 0) {
    ctx.optOuts.demand('runAsRoot', 'user', u, 'a non-root UID such as "10001:10001"');
    return { value: u, nonRoot: false, uid: m[1] };
  }
  return { value: u, nonRoot: true, uid: m[1] };
}

/** Capabilities added back after dropping ALL: none, a list (deduplicated), or a token. */
export function addedCapabilities(ctx: HardeningContext, given: Capability[] | undefined): string[] | undefined {
  const caps = given ?? [];
  if (unresolved(caps)) {
    ctx.optOuts.mayNeed('dangerousCapabilities');
    return caps as string[];
  }
  if (!Array.isArray(caps)) ctx.check.fail('addCapabilities', caps, 'a list of Capability values');
  if (caps.length === 0) return undefined;
  const allowed = new Set(ctx.defaults.allowedCapabilities.map((c) => c.toUpperCase().replace(/^CAP_/, '')));
  const add: string[] = [];
  for (const c of caps) {
    if (unresolved(c)) {
      ctx.optOuts.mayNeed('dangerousCapabilities');
    } else {
      if (!isCapability(c)) {
        ctx.check.fail('addCapabilities', c, `a Capability: ${Object.values(Capability).join(', ')}`, 'is not a Linux capability name');
      }
      const dangerous = DANGEROUS_CAPABILITIES.includes(c);
      if (dangerous || !allowed.has(c)) {
        const rules = [
          ...(dangerous ? ['no-dangerous-capabilities'] : []),
          ...(!DOCKER_DEFAULT_CAPABILITIES.includes(c) ? ['no-added-capabilities'] : []),
        ];
        ctx.optOuts.demand('dangerousCapabilities', 'addCapabilities', c,
          `capabilities the profile allows (${[...allowed].join(', ')}); ${c} ${dangerous ? 'is dangerous' : 'is outside the profile\'s allowedCapabilities'}`, rules);
      }
    }
    if (!add.includes(c)) add.push(c);
  }
  return add.length ? add : undefined;
}

/** Security options, neutral to the target. */
export interface SecuritySettings {
  readonly noNewPrivileges: boolean;
  /** `unconfined`, or a seccomp profile as compact JSON (or a token). */
  readonly seccomp?: string;
  readonly appArmorProfile?: string;
  /** SELinux label options (`type:container_t`, `level:s0:c1,c2`, `disable`), in the order given. */
  readonly selinuxLabels: readonly string[];
  /** `systempaths=unconfined`: /proc and /sys neither masked nor read-only. */
  readonly unconfinedSystemPaths: boolean;
}

/** An SELinux label option as Docker takes it after `label=`: `user:`, `role:`, `type:` or `level:` and a value. */
const SELINUX_LABEL = /^(user|role|type|level):[A-Za-z0-9_.:,-]+$/;
const SELINUX_FORM = '"user:<user>", "role:<role>", "type:<type>" or "level:<level>", e.g. "type:container_t" or "level:s0:c100,c200"';

export interface SecurityProps {
  readonly seccompProfileJson?: string;
  readonly appArmorProfile?: string;
  readonly selinuxLabels?: string[];
}

/** no-new-privileges, seccomp, AppArmor, SELinux labels and system paths, from the props and the switch opt-outs. */
export function securitySettings(ctx: HardeningContext, p: SecurityProps): SecuritySettings {
  const { check, optOuts } = ctx;
  refuseInSwarm(ctx, 'seccompProfileJson', p.seccompProfileJson);
  refuseInSwarm(ctx, 'appArmorProfile', p.appArmorProfile);
  let seccomp: string | undefined;
  if (p.seccompProfileJson !== undefined) {
    if (optOuts.has('unconfinedSeccomp')) {
      check.fail('seccompProfileJson', '<json>', 'either a seccomp profile or the unconfinedSeccomp opt-out, not both', 'conflicts with the unconfinedSeccomp opt-out');
    }
    seccomp = unresolved(p.seccompProfileJson) ? p.seccompProfileJson : seccompJson(ctx, p.seccompProfileJson);
  } else if (optOuts.has('unconfinedSeccomp')) {
    seccomp = 'unconfined';
  }
  const aa = p.appArmorProfile;
  if (aa !== undefined) {
    if (unresolved(aa)) {
      optOuts.mayNeed('unconfinedAppArmor');
    } else {
      if (typeof aa !== 'string' || !/^[A-Za-z0-9_./-]+$/.test(aa)) check.fail('appArmorProfile', aa, 'the name of an AppArmor profile loaded on the host, e.g. "docker-default"');
      if (aa === 'unconfined') optOuts.demand('unconfinedAppArmor', 'appArmorProfile', aa, 'a confining AppArmor profile such as "docker-default"');
    }
  }
  return {
    noNewPrivileges: !optOuts.has('allowPrivilegeEscalation'),
    seccomp,
    appArmorProfile: aa,
    selinuxLabels: selinuxLabels(ctx, p.selinuxLabels),
    unconfinedSystemPaths: optOuts.has('unconfinedSystemPaths'),
  };
}

function seccompJson(ctx: HardeningContext, text: string): string {
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch (e: any) {
    ctx.check.fail('seccompProfileJson', abbreviate(text), 'a seccomp profile as JSON text ({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [...]}), e.g. fs.readFileSync(file, "utf8")', `is not JSON (${e.message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || typeof parsed.defaultAction !== 'string') {
    ctx.check.fail('seccompProfileJson', abbreviate(text), 'a JSON object with a "defaultAction" (a Docker seccomp profile)');
  }
  if (seccompAllowsEverything(text)) {
    ctx.check.fail('seccompProfileJson', abbreviate(text), 'a profile that denies something; for no seccomp filter at all, the unconfinedSeccomp opt-out with a reason',
      'allows every system call (no filter, like seccomp=unconfined)');
  }
  return JSON.stringify(parsed);
}

function selinuxLabels(ctx: HardeningContext, labels: string[] | undefined): string[] {
  if (labels === undefined) return [];
  if (unresolved(labels) || !Array.isArray(labels)) {
    ctx.check.fail('selinuxLabels', labels, 'a list of SELinux labels, e.g. ["type:container_t", "level:s0:c100,c200"] (an item may be a token)');
  }
  const keys = new Set<string>();
  labels.forEach((label, i) => {
    const prop = `selinuxLabels[${i}]`;
    if (unresolved(label)) {
      // A Swarm service takes each label apart (se_linux_context): it must be known.
      if (ctx.target === 'swarm') ctx.check.fail(prop, label, 'a literal label in Swarm mode (it becomes se_linux_context user, role, type or level)');
      ctx.optOuts.mayNeed('unconfinedSelinux');
      return;
    }
    if (typeof label !== 'string' || !(SELINUX_LABEL.test(label) || label === 'disable')) ctx.check.fail(prop, label, SELINUX_FORM);
    const key = label === 'disable' ? 'disable' : label.slice(0, label.indexOf(':'));
    if (keys.has(key)) ctx.check.fail(prop, label, `one label per key (${key} is given twice)`);
    keys.add(key);
    if (breaksSelinuxConfinement(label)) {
      ctx.optOuts.demand('unconfinedSelinux', prop, label, `${SELINUX_FORM}; "${label}" turns SELinux confinement off (leave selinuxLabels unset for the daemon's default labels)`);
    }
  });
  return labels;
}
