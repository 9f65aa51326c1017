/**
 * Which releases of the Terraform provider kreuzwerker/docker have which trap, and which rules each trap concerns.
 *
 * Read from the provider's CHANGELOG.md and source (kreuzwerker/terraform-provider-docker, tags v3.0.0 to v4.5.0 and
 * the main branch of 2026-07-22). The rules were written for 3.6.2; users of cdktn's bindings or of `cdktf get`
 * bindings for 4.x synthesize for later releases, where some traps are gone and others appeared. This module is the
 * data and the version arithmetic only: given the provider version constraint of a configuration
 * (`terraform.required_providers.docker.version`), `trapStatus` says whether a trap applies to every release the
 * constraint admits, to none, or to some.
 */

/** A provider version, `MAJOR.MINOR.PATCH`. */
export type ProviderVersion = readonly [number, number, number];

/** A half-open range of provider releases: `from` (inclusive) up to `below` (exclusive); open where absent. */
export interface VersionRange {
  /** The first release with the trap. @default - every release before `below` */
  readonly from?: string;
  /** The first release without it. @default - still present in the newest source read (main of 2026-07-22) */
  readonly below?: string;
}

/** One trap of the provider: a setting it mishandles or cannot express, in the releases of `affected`. */
export interface ProviderTrap {
  /** Stable identifier, kebab-case. */
  readonly id: string;
  /** What cannot be expressed, or goes wrong, in a few words: a row of the per-line table (provider-lines.ts). */
  readonly title: string;
  /** What happens, in one sentence. */
  readonly summary: string;
  /** The releases that have it. */
  readonly affected: VersionRange;
  /** Ids of the rules whose findings depend on it (none: a gap no rule covers yet, see `summary`). */
  readonly rules: readonly string[];
  /**
   * Ids of the rules that exist only to catch this trap (a subset of `rules`): not applicable where no release the
   * provider version constraint admits has the trap, and their findings name the releases concerned. The other rules
   * of `rules` check a setting that matters on every release (`cpu-limit` beside the `cpus` panic) and always apply.
   * @default - none
   */
  readonly guards?: readonly string[];
  /** Where it was read: changelog entries, pull requests, source files. */
  readonly source: string;
}

/** The traps, newest knowledge as of the provider's main branch of 2026-07-22 (tags up to v4.5.0). */
export const PROVIDER_TRAPS: readonly ProviderTrap[] = [
  {
    id: 'container-cpus-panic',
    title: 'docker_container `cpus` panics the provider on apply',
    summary: 'docker_container `cpus` panics the provider on apply: it is read as a float32 while the schema holds a string.',
    affected: { from: '3.6.0', below: '3.7.0' },
    rules: ['no-cpus-attribute', 'cpu-limit'],
    guards: ['no-cpus-attribute'],
    source: 'v3.6.0 resource_docker_container_funcs.go `v.(float32)` (3.1.0-3.5.0 parsed the string); v3.7.0 fix #771 (issue #759)',
  },
  {
    id: 'service-tmpfs-options-panic',
    title: 'a docker_service tmpfs mount\'s `tmpfs_options` block panics the provider on apply',
    summary: 'docker_service `mounts` of type tmpfs with a `tmpfs_options` block panic the provider on apply (`size_bytes` asserted to int64 on an int).',
    affected: { below: '4.0.0' },
    rules: ['service-tmpfs-size'],
    guards: ['service-tmpfs-size'],
    source: 'resource_docker_service_structures.go `SizeBytes = value.(int64)` in v3.0.0 to v3.9.0; v4.0.0 fix #882',
  },
  {
    id: 'systempaths-unconfined',
    title: '`security_opts = ["systempaths=unconfined"]` is applied: /proc unmasked (earlier releases: refused by the daemon)',
    summary: '`security_opts = ["systempaths=unconfined"]` is applied client-side: MaskedPaths and ReadonlyPaths are emptied and /proc is unmasked (earlier releases sent it to the daemon, which refused it).',
    affected: { from: '3.8.0' },
    rules: ['no-unconfined-system-paths'],
    source: 'v3.8.0 fix #796 (parseSystemPaths in resource_docker_container_funcs.go)',
  },
  {
    id: 'no-pids-limit',
    title: 'no `pids_limit` on docker_container or docker_service (CIS 5.29)',
    summary: 'Neither docker_container nor docker_service has `pids_limit`: CIS 5.29 cannot be met through Terraform.',
    affected: {},
    rules: ['pids-limit'],
    source: 'resource_docker_container.go and resource_docker_service.go schemas, v3.0.0 to main of 2026-07-22',
  },
  {
    id: 'no-uts-mode',
    title: 'no `uts_mode` on docker_container',
    summary: 'docker_container has no `uts_mode`: the UTS namespace is always private through Terraform.',
    affected: {},
    rules: ['no-host-uts'],
    source: 'resource_docker_container.go schema, v3.0.0 to main of 2026-07-22',
  },
  {
    id: 'ports-ip-default-all-interfaces',
    title: 'a `ports` block without `ip` binds every interface (0.0.0.0)',
    summary: 'A `ports` block without `ip` binds 0.0.0.0, every interface of the host.',
    affected: {},
    rules: ['ports-bound-to-interface'],
    source: 'resource_docker_container.go `ports.ip` Default "0.0.0.0", v3.0.0 to main of 2026-07-22',
  },
  {
    id: 'tmpfs-change-not-applied',
    title: 'a changed `tmpfs` is planned in place and never applied',
    summary: 'A changed docker_container `tmpfs` plans as an update in place that is never applied: the running container keeps its old tmpfs options.',
    affected: {},
    rules: ['tmpfs-noexec-nosuid'],
    source: 'resourceDockerContainerUpdate updates only restart, max_retry_count, cpu_shares, memory, memory_reservation, cpu_set, memory_swap and device throttles (main of 2026-07-22)',
  },
  {
    id: 'settings-change-not-applied',
    title: 'a changed `healthcheck`, `init`, `cpu_period` or `cpu_quota` is planned in place and never applied',
    summary: 'Changed docker_container `healthcheck`, `init`, `cpu_period` or `cpu_quota` plan as an update in place that is never applied: the running container keeps the old settings until something forces replacement (a `ulimit` change does: it is ForceNew).',
    affected: {},
    rules: ['healthcheck', 'cpu-limit'],
    source: 'resource_docker_container.go schema (none of them ForceNew) and resourceDockerContainerUpdate (none of them updated), v3.6.2 to main of 2026-07-22',
  },
  {
    id: 'service-no-init',
    title: 'docker_service: no `init`',
    summary: 'docker_service has no `init` before 4.5.0: a service task runs without an init process unless the daemon sets `init`.',
    affected: { below: '4.5.0' },
    rules: [],
    source: 'v4.5.0 feat #949 (task_spec.container_spec.init); absent from resource_docker_service.go in v3.0.0 to v4.4.0',
  },
  {
    id: 'service-privileges-limited',
    title: 'docker_service: no no-new-privileges, seccomp or AppArmor',
    summary: 'docker_service `privileges` has only `credential_spec` and `se_linux_context`: no seccomp, AppArmor or no-new-privileges for services.',
    affected: {},
    rules: ['no-new-privileges', 'apparmor-profile', 'no-unconfined-seccomp'],
    source: 'resource_docker_service.go schema, v3.6.2 to main of 2026-07-22 (`se_linux_context` exists in 3.6.2 too)',
  },
  {
    id: 'service-no-ulimits',
    title: 'docker_service: no `ulimit`',
    summary: 'docker_service has no ulimits: a service task inherits the daemon\'s `default-ulimits`.',
    affected: {},
    rules: ['ulimits-set'],
    source: 'resource_docker_service.go schema (task_spec.container_spec), v3.0.0 to main of 2026-07-22',
  },
  {
    id: 'service-no-cgroupns',
    title: 'docker_service: no cgroup namespace mode',
    summary: 'docker_service has no `cgroupns_mode` (nor has a Swarm container spec): a service task takes its node\'s daemon default, the host\'s cgroup namespace on a cgroup v1 node.',
    affected: {},
    rules: ['no-host-cgroupns'],
    source: 'resource_docker_service.go and structures_service.go, v3.0.0 to main of 2026-07-22: no `cgroup` anywhere (docker_container has `cgroupns_mode`)',
  },
  {
    id: 'service-ports-every-interface',
    title: 'docker_service: a published port cannot be bound to one interface',
    summary: 'docker_service `endpoint_spec.ports` has no `ip`: ingress and host publish mode both listen on every interface.',
    affected: {},
    rules: ['ports-bound-to-interface'],
    source: 'resource_docker_service.go schema (endpoint_spec.ports: name, protocol, target_port, published_port, publish_mode), v3.0.0 to main of 2026-07-22',
  },
  {
    id: 'no-block-io-limits',
    title: 'docker_container: no block-IO limits (`device_read_bps`, `device_write_iops`, ...)',
    summary: 'docker_container has no `device_read_bps`, `device_read_iops`, `device_write_bps` or `device_write_iops` before 4.0.0.',
    affected: { below: '4.0.0' },
    rules: [],
    source: 'v4.0.0 feat #857 (new docker_container attributes); absent from resource_docker_container.go in v3.0.0 to v3.9.0',
  },
  {
    id: 'no-oom-kill-disable',
    title: 'docker_container: no `oom_kill_disable`',
    summary: 'docker_container has no `oom_kill_disable`: the kernel\'s OOM killer always applies to its processes.',
    affected: {},
    rules: [],
    source: 'resource_docker_container.go schema, v3.0.0 to main of 2026-07-22',
  },
  {
    id: 'state-omits-unconfigured',
    title: '`ports`, `ulimit`, `pid_mode` in state only when configured: a `pid_mode = "host"` set outside Terraform is invisible',
    summary: 'Read no longer writes `ports`, `ulimit` or `pid_mode` to state unless configured: a `pid_mode = "host"` set outside Terraform is invisible in state and plans.',
    affected: { from: '4.5.0' },
    rules: ['no-host-pid', 'ulimits-set', 'published-ports'],
    source: 'v4.5.0 fix #947 (resource_docker_container_funcs.go)',
  },
  {
    id: 'docker-compose-unchecked',
    title: '`docker_compose` resource: its containers bypass docker_container attributes (its compose files are read and checked instead; one that cannot be read is a `compose-resource-unchecked` warning)',
    summary: 'The docker_compose resource applies compose files: its containers never pass through docker_container attributes. The checks read its config_paths files with the compose reader; one that cannot be read is a compose-resource-unchecked warning.',
    affected: { from: '4.3.0' },
    rules: [],
    source: 'v4.3.0 feat #918',
  },
];

/** Every trap a rule's findings depend on. */
export function trapsOfRule(ruleId: string): ProviderTrap[] {
  return PROVIDER_TRAPS.filter((t) => t.rules.includes(ruleId));
}

/** The traps a rule exists to catch (see `ProviderTrap.guards`). */
export function trapsGuardedBy(ruleId: string): ProviderTrap[] {
  return PROVIDER_TRAPS.filter((t) => t.guards?.includes(ruleId));
}

/** How a rule stands under a provider version constraint. */
export interface RuleProviderScope {
  /** False when the rule guards traps and no admitted release has any of them: the rule is not applicable. */
  readonly applies: boolean;
  /**
   * The releases concerned, in words (`describeRange`, `; ` between traps), when only some admitted releases (or,
   * without a constraint, only some releases) have its traps.
   */
  readonly concerns?: string;
}

const EVERY_RELEASE: RuleProviderScope = Object.freeze({ applies: true });

/**
 * Whether a rule applies under a provider version constraint, and which releases its findings concern. A rule that
 * guards no trap always applies. Throws on a malformed constraint, as `trapStatus` does.
 */
export function ruleProviderScope(ruleId: string, constraint?: string): RuleProviderScope {
  const traps = trapsGuardedBy(ruleId);
  if (!traps.length) return EVERY_RELEASE;
  const statuses = traps.map((t) => trapStatus(t, constraint));
  if (statuses.every((s) => s === TrapStatus.NONE)) return { applies: false };
  if (statuses.some((s) => s === TrapStatus.ALL)) return EVERY_RELEASE;
  const some = traps.filter((_, i) => statuses[i] === TrapStatus.SOME);
  return { applies: true, concerns: some.map((t) => describeRange(t.affected)).join('; ') };
}

/** Whether a trap concerns the releases a version constraint admits. */
export enum TrapStatus {
  /** Every release the constraint admits has the trap. */
  ALL = 'all',
  /** No release the constraint admits has it: a rule about it does not apply. */
  NONE = 'none',
  /** Some do, some do not (also: no constraint): a finding should say which versions it concerns. */
  SOME = 'some',
}

/**
 * Whether `trap` concerns the provider releases `constraint` admits (Terraform's syntax: `"3.6.2"`, `"~> 3.6"`,
 * `">= 3.0, < 4.0"`, `"= 4.5.0"`; `!=` removes single releases and narrows nothing here). No constraint: SOME.
 * Throws, naming the bad part and the valid form, on a constraint that is malformed or admits no release.
 */
export function trapStatus(trap: ProviderTrap, constraint?: string): TrapStatus {
  if (constraint === undefined || constraint.trim() === '') return TrapStatus.SOME;
  const admitted = parseConstraint(constraint);
  const affected: Interval = {
    low: trap.affected.from ? { v: parseVersion(trap.affected.from, trap.id), inclusive: true } : undefined,
    high: trap.affected.below ? { v: parseVersion(trap.affected.below, trap.id), inclusive: false } : undefined,
  };
  if (isEmpty(intersect(admitted, affected))) return TrapStatus.NONE;
  return contains(affected, admitted) ? TrapStatus.ALL : TrapStatus.SOME;
}

/** The releases a trap concerns, in words: "3.6.0 up to (not including) 3.7.0", "4.5.0 and later", "every release". */
export function describeRange(range: VersionRange): string {
  if (range.from && range.below) return `${range.from} up to (not including) ${range.below}`;
  if (range.from) return `${range.from} and later`;
  if (range.below) return `releases before ${range.below}`;
  return 'every release';
}

/** One end of an interval of versions. */
export interface Bound { readonly v: ProviderVersion; readonly inclusive: boolean }
/** Versions between low and high; an absent bound is open. */
export interface Interval { readonly low?: Bound; readonly high?: Bound }

const VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/;
const CONSTRAINT_FORM = 'a comma-separated list of [operator] version, operators =, !=, >, >=, <, <=, ~> (e.g. "~> 3.6", ">= 3.0, < 4.0")';

/** A version; missing minor and patch are 0, as Terraform reads them. */
export function parseVersion(text: string, where = 'provider version'): ProviderVersion {
  const m = VERSION.exec(text.trim());
  if (!m) throw new Error(`${where}: "${text}" is not a provider version; expected MAJOR[.MINOR[.PATCH]], e.g. 3.6.2 (pre-releases are not supported)`);
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

/** The releases a Terraform version constraint admits, as one interval. */
export function parseConstraint(constraint: string): Interval {
  let admitted: Interval = {};
  for (const raw of constraint.split(',')) {
    const part = raw.trim();
    const m = /^(=|!=|>=|<=|>|<|~>)?\s*(.*)$/.exec(part)!;
    const op = m[1] ?? '=';
    if (!m[2]) throw new Error(`provider version constraint "${constraint}": "${part}" has no version; expected ${CONSTRAINT_FORM}`);
    const where = `provider version constraint "${constraint}"`;
    const v = parseVersion(m[2], where);
    let next: Interval;
    switch (op) {
      case '=': next = { low: { v, inclusive: true }, high: { v, inclusive: true } }; break;
      case '!=': next = {}; break;
      case '>': next = { low: { v, inclusive: false } }; break;
      case '>=': next = { low: { v, inclusive: true } }; break;
      case '<': next = { high: { v, inclusive: false } }; break;
      case '<=': next = { high: { v, inclusive: true } }; break;
      default: { // ~>: the rightmost given component may grow; "~> 3" is read as "~> 3.0"
        const given = m[2].trim().replace(/^v/, '').split('.').length;
        const high: ProviderVersion = given >= 3 ? [v[0], v[1] + 1, 0] : [v[0] + 1, 0, 0];
        next = { low: { v, inclusive: true }, high: { v: high, inclusive: false } };
      }
    }
    admitted = intersect(admitted, next);
  }
  if (isEmpty(admitted)) throw new Error(`provider version constraint "${constraint}" admits no version: its parts contradict each other`);
  return admitted;
}

function compare(a: ProviderVersion, b: ProviderVersion): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The tighter of two lower bounds (`sign` 1) or upper bounds (`sign` -1). */
function tighter(a: Bound | undefined, b: Bound | undefined, sign: 1 | -1): Bound | undefined {
  if (!a) return b;
  if (!b) return a;
  const c = compare(a.v, b.v) * sign;
  if (c !== 0) return c > 0 ? a : b;
  return a.inclusive ? b : a;
}

function intersect(a: Interval, b: Interval): Interval {
  return { low: tighter(a.low, b.low, 1), high: tighter(a.high, b.high, -1) };
}

function isEmpty(i: Interval): boolean {
  if (!i.low || !i.high) return false;
  const c = compare(i.low.v, i.high.v);
  return c > 0 || (c === 0 && !(i.low.inclusive && i.high.inclusive));
}

/** Whether `outer` contains all of `inner`. */
function contains(outer: Interval, inner: Interval): boolean {
  return within(outer.low, inner.low, 1) && within(outer.high, inner.high, -1);
}

/** Whether bound `inner` lies on the inner side of (or on) bound `outer`: lower bounds with `sign` 1, upper with -1. */
function within(outer: Bound | undefined, inner: Bound | undefined, sign: 1 | -1): boolean {
  if (!outer) return true;
  if (!inner) return false;
  const c = compare(inner.v, outer.v) * sign;
  return c > 0 || (c === 0 && (outer.inclusive || !inner.inclusive));
}
