/**
 * What each source of specs can express. A rule asks this table, not which source a spec came from, so that a new
 * source (a compose file, a live engine, a later provider line) is one row here, not a condition in ten rules.
 *
 * Terraform is applied through provider kreuzwerker/docker. The gaps listed for it hold on every provider line read
 * (3.0 to 4.5, rules/provider-versions.ts: traps `no-pids-limit`, `no-uts-mode`, `service-privileges-limited`); what
 * changes between lines (the `cpus` panic of 3.6.x, the service tmpfs_options panic before 4.0) is a provider trap,
 * judged at evaluation under the configuration's version constraint.
 */
import { ContainerSpec, ResourceKind, SpecSource } from './container-spec';

/** A setting that some source cannot express for some kind of resource. */
export type LimitedSetting =
  /** A PIDs limit (`pids_limit`, `PidsLimit`). */
  | 'pidsLimit'
  /** The UTS namespace mode (`uts`, `UTSMode`). */
  | 'utsMode'
  /** An AppArmor profile. */
  | 'apparmor'
  /** The no-new-privileges security option. */
  | 'noNewPrivileges'
  /** Ulimits. */
  | 'ulimits'
  /** Free-form security options (`security_opts`); a Terraform docker_service has only its SELinux context. */
  | 'securityOpts'
  /** The cgroup namespace mode (`cgroupns_mode`, `cgroup`, `CgroupnsMode`); a Swarm service has none. */
  | 'cgroupnsMode';

/** How a source attaches a container that names no network and no network mode. */
export enum UnattachedNetwork {
  /** To Docker's default bridge, docker0 (Terraform). */
  DEFAULT_BRIDGE = 'default-bridge',
  /** To the project's own user-defined network (compose). */
  PROJECT_NETWORK = 'project-network',
  /** As the engine reports it: the spec lists where the container is attached (a live engine). */
  AS_ATTACHED = 'as-attached',
}

/** What one source can express. */
export interface SourceCapabilities {
  /** How messages name the source where it matters (`a compose file: no provider involved`). */
  readonly described: string;
  /** Applied through Terraform provider kreuzwerker/docker: its traps concern the source. */
  readonly appliedByProvider: boolean;
  /** Describes what runs (read from a live engine): effects such as the running processes are known. */
  readonly live: boolean;
  /** The settings of LimitedSetting the source can express, by resource kind. */
  readonly expresses: { readonly [K in ResourceKind]: readonly LimitedSetting[] };
  /** See UnattachedNetwork. */
  readonly unattachedNetwork: UnattachedNetwork;
  /** How the source writes a setting's value: `name: value` (YAML) or `name = "value"`. */
  readonly assignment: Assignment;
  /** What the source calls the settings whose names differ between sources; absent where it cannot express one. */
  readonly settingNames: { readonly [K in NamedSetting]?: string };
  /**
   * The source's words for the Terraform attributes rule messages name (`ipc_mode` is compose's `ipc`), applied to
   * every message by {@link inSourceTerms}; absent where messages keep Terraform's names.
   */
  readonly attributeNames?: AttributeNames;
}

/** A Terraform attribute as a message names it, to the source's key; `assign` words `name = value` where that differs. */
export interface AttributeNames {
  readonly [terraformName: string]: { readonly key: string; readonly assign?: (value: string) => string };
}

/** Compose's keys for the Terraform attributes (and pairs of them) that rule messages name. */
const COMPOSE_ATTRIBUTE_NAMES: AttributeNames = {
  'ipc_mode': { key: 'ipc' },
  'pid_mode': { key: 'pid' },
  'uts_mode': { key: 'uts' },
  'cgroupns_mode': { key: 'cgroup' },
  'security_opts': { key: 'security_opt' },
  'capabilities.add': { key: 'cap_add' },
  'capabilities.drop': { key: 'cap_drop' },
  'memory': { key: 'mem_limit' },
  'memory_swap': { key: 'memswap_limit' },
  'memory/memory_swap': { key: 'mem_limit/memswap_limit' },
  'memory is not limited': { key: 'mem_limit is not set' },
  'log_driver': { key: 'logging.driver' },
  'log_opts': { key: 'logging.options' },
  'networks_advanced': { key: 'networks' },
  'network_mode/networks_advanced': { key: 'network_mode/networks' },
  'ports/publish_all_ports': { key: 'ports' },
  'ip not set': { key: 'host_ip not set' },
  'ulimit depends': { key: 'ulimits depends' },
  'volumes/mounts': { key: 'volumes' },
  'volumes/mounts/tmpfs': { key: 'volumes/tmpfs' },
  // Compose's `restart` holds the retry count: `restart: on-failure:3`.
  'restart/max_retry_count': { key: 'restart' },
  'max_retry_count': { key: 'a retry count (restart: on-failure:N)', assign: (n) => `restart: on-failure:${n}` },
};

/** How a source writes a setting's value in a message. */
export enum Assignment {
  /** `network_mode: bridge` (compose). */
  YAML = 'yaml',
  /** `network_mode = "bridge"` (Terraform, and the engine's fields). */
  EQUALS = 'equals',
}

/** The settings named differently by different sources. */
export type NamedSetting = 'pidsLimit' | 'utsMode' | 'networkMode';

const EVERY_LIMITED_SETTING: readonly LimitedSetting[] = ['pidsLimit', 'utsMode', 'apparmor', 'noNewPrivileges', 'ulimits', 'securityOpts', 'cgroupnsMode'];

const TERRAFORM: SourceCapabilities = {
  described: 'a Terraform configuration',
  appliedByProvider: true,
  live: false,
  expresses: {
    // No pids_limit and no uts_mode on any provider line.
    [ResourceKind.CONTAINER]: ['apparmor', 'noNewPrivileges', 'ulimits', 'securityOpts', 'cgroupnsMode'],
    // A service's `privileges` has only credential_spec and se_linux_context, the task spec no ulimits, and neither
    // the provider nor Swarm a cgroup namespace setting.
    [ResourceKind.SERVICE]: [],
  },
  unattachedNetwork: UnattachedNetwork.DEFAULT_BRIDGE,
  assignment: Assignment.EQUALS,
  settingNames: { networkMode: 'network_mode' },
};

/** Every source, by SpecSource: a new source does not compile until it has its row. */
export const SOURCE_CAPABILITIES: { readonly [S in SpecSource]: SourceCapabilities } = {
  [SpecSource.TERRAFORM_JSON]: TERRAFORM,
  [SpecSource.TERRAFORM_HCL]: TERRAFORM,
  [SpecSource.TERRAFORM_PLAN]: TERRAFORM,
  [SpecSource.COMPOSE]: {
    described: 'a compose file',
    appliedByProvider: false,
    live: false,
    expresses: { [ResourceKind.CONTAINER]: EVERY_LIMITED_SETTING, [ResourceKind.SERVICE]: EVERY_LIMITED_SETTING },
    unattachedNetwork: UnattachedNetwork.PROJECT_NETWORK,
    assignment: Assignment.YAML,
    settingNames: { pidsLimit: 'pids_limit', utsMode: 'uts', networkMode: 'network_mode' },
    attributeNames: COMPOSE_ATTRIBUTE_NAMES,
  },
  [SpecSource.ENGINE]: {
    described: 'a live container',
    appliedByProvider: false,
    live: true,
    expresses: {
      [ResourceKind.CONTAINER]: EVERY_LIMITED_SETTING,
      // A Swarm service's container spec has no cgroup namespace mode; its task containers show what each node gave.
      [ResourceKind.SERVICE]: EVERY_LIMITED_SETTING.filter((s) => s !== 'cgroupnsMode'),
    },
    unattachedNetwork: UnattachedNetwork.AS_ATTACHED,
    assignment: Assignment.EQUALS,
    settingNames: { pidsLimit: 'PidsLimit', utsMode: 'UTSMode', networkMode: 'NetworkMode' },
  },
};

/** What the source of `spec` can express. */
export function capabilitiesOf(spec: Pick<ContainerSpec, 'source'>): SourceCapabilities {
  return SOURCE_CAPABILITIES[spec.source];
}

/** True when the source of `spec` can express `setting` for the spec's kind of resource. */
export function canExpress(spec: Pick<ContainerSpec, 'source' | 'kind'>, setting: LimitedSetting): boolean {
  return SOURCE_CAPABILITIES[spec.source].expresses[spec.kind].includes(setting);
}

/** The name the source of `spec` gives `setting` (`pids_limit`, `PidsLimit`); `fallback` where it has none. */
export function settingName(spec: Pick<ContainerSpec, 'source'>, setting: NamedSetting, fallback: string = setting): string {
  return SOURCE_CAPABILITIES[spec.source].settingNames[setting] ?? fallback;
}

/** `name: value` or `name = "value"`, as the source of `spec` writes a setting. */
export function assignment(spec: Pick<ContainerSpec, 'source'>, name: string, value: string): string {
  return SOURCE_CAPABILITIES[spec.source].assignment === Assignment.YAML ? `${name}: ${value}` : `${name} = "${value}"`;
}

/** A double-quoted value (kept as written), or a `name = value` assignment, or a run of other text. */
const QUOTED_OR_ASSIGNMENT = /"(?:[^"\\]|\\.)*"|(?<![\w.])([a-z][a-z0-9_.]*) = ("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|\[[^\]]*\])/g;

/** A quoted value YAML reads as the same string without its quotes (not `no`, `on`, a number, ...). */
const PLAIN_YAML = /^(?![-?:,[\]{}#&*!|>'"%@`])(?!(?:y|yes|n|no|true|false|on|off|null|~|[-+.]?\d[\w.:+-]*)$)[^\s:#]+$/i;

const NAME_PATTERNS = new WeakMap<AttributeNames, RegExp>();

/**
 * A rule's message in the words of the spec's source: for a compose service, `ipc_mode = "host"` is `ipc: host` and
 * `security_opts has "..."` is `security_opt has "..."`. Quoted values (the user's own) are never rewritten. The same
 * message for a source that keeps Terraform's names.
 */
export function inSourceTerms(spec: Pick<ContainerSpec, 'source'>, message: string): string {
  const caps = SOURCE_CAPABILITIES[spec.source];
  const names = caps.attributeNames;
  if (names === undefined) return message;
  let pattern = NAME_PATTERNS.get(names);
  if (pattern === undefined) {
    // Longest first, so that `volumes/mounts/tmpfs` is one name rather than `volumes/mounts` and a stray `/tmpfs`;
    // never after a `/`, so that a path (`/sys/fs/cgroup/memory`) keeps its words.
    const alternatives = Object.keys(names).sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
    pattern = new RegExp(`(?<![\\w./])(?:${alternatives.join('|')})(?![\\w/])`, 'g');
    NAME_PATTERNS.set(names, pattern);
  }
  const rename = (text: string) => text.replace(pattern!, (n) => names[n].key);
  let out = '';
  let last = 0;
  for (const m of message.matchAll(QUOTED_OR_ASSIGNMENT)) {
    out += rename(message.slice(last, m.index));
    last = m.index! + m[0].length;
    if (m[1] === undefined) {
      out += m[0];
      continue;
    }
    const value = m[2].startsWith('"') && caps.assignment === Assignment.YAML && PLAIN_YAML.test(JSON.parse(m[2])) ? JSON.parse(m[2]) : m[2];
    const entry = names[m[1]];
    if (entry?.assign) out += entry.assign(value);
    else out += caps.assignment === Assignment.YAML ? `${entry?.key ?? m[1]}: ${value}` : `${entry?.key ?? m[1]} = ${value}`;
  }
  return out + rename(message.slice(last));
}
