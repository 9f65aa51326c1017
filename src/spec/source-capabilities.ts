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
}

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
