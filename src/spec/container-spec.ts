/**
 * ContainerSpec: the one normalized view of a container's security settings.
 *
 * Every adapter (Terraform JSON, HCL, plan JSON, a live engine) produces it; every rule reads only it.
 * A field is known (set), absent (undefined and not listed in `unknown`), or unknown (listed in `unknown`:
 * a Terraform expression, a dynamic block, a value only known after apply). Unknown is never a pass.
 *
 * A list field listed in `unknown` still holds every item that is known, so that a literal failing item is judged
 * whatever its unknown siblings are: an item with unknown attributes names them in its own `unknown`, and
 * `listedInFull` says which unknown lists have no item missing.
 *
 * Nothing in this folder knows about cdktf.
 */

/** Which kind of resource a spec describes. */
export enum ResourceKind {
  /** A `docker_container` resource, or a live container. */
  CONTAINER = 'docker_container',
  /** A `docker_service` resource (Swarm), or a live Swarm service. */
  SERVICE = 'docker_service',
}

/**
 * Where a spec was read from; some rules word their findings differently for a live engine, and what provider 3.6.2
 * cannot set is a limit of the Terraform sources only (see isProviderLimited in src/rules/helpers.ts).
 */
export enum SpecSource {
  /** Terraform JSON synthesized by cdktf or written by hand (`*.tf.json`). */
  TERRAFORM_JSON = 'terraform-json',
  /** HCL (`*.tf`). */
  TERRAFORM_HCL = 'terraform-hcl',
  /** Terraform plan JSON (`terraform show -json`). */
  TERRAFORM_PLAN = 'terraform-plan',
  /** A running Docker engine (`docker inspect`). */
  ENGINE = 'engine',
  /** A compose file (`compose.yaml`, `docker-compose.yml`): one spec per service. */
  COMPOSE = 'compose',
}

/**
 * Why a value is not known before the configuration is applied: what the user would have to supply or resolve for it
 * to be judged.
 */
export enum UnknownCause {
  /** A variable without a value (`var.memory` with no default, tfvars entry or `--var`). */
  VARIABLE = 'variable',
  /** An output of a module that is not followed (a registry or remote module, `module.m.out`). */
  REMOTE_MODULE = 'remote-module',
  /** A data source (`data.t.n.attr`): read from the provider at plan time. */
  DATA_SOURCE = 'data-source',
  /** An attribute known only after apply: another resource's computed attribute, or `(known after apply)` in a plan. */
  AFTER_APPLY = 'after-apply',
  /** A function that is not evaluated (`timestamp()`, `file(...)`, a provider function). */
  FUNCTION = 'function',
  /** A `dynamic` block or `for_each` that cannot be expanded. */
  DYNAMIC = 'dynamic',
  /** Any other expression (a local, `self`, `each`/`count` outside their resource, an unsupported form). */
  OTHER = 'other',
}

/** One field of a spec that is not known before apply, with one reason why (a field may have several). */
export interface UnknownValue {
  /** The spec field (`mounts`, `memoryBytes`: the names listed in ContainerSpec.unknown). */
  readonly field: string;
  /** Why it is not known. */
  readonly cause: UnknownCause;
  /**
   * The variables without a value it needs, by name, where the source names them: a compose file's `${VAR}`.
   * @default - not named
   */
  readonly variables?: string[];
}

/** A tmpfs mounted into the container. */
export interface TmpfsSpec {
  /**
   * Attributes of this item that are not known before apply (`path`, `options`, `optionsBlock`). Such an attribute holds a placeholder (`''`, `0`
   * or undefined) that means nothing: read this list first.
   * @default - every attribute is known
   */
  readonly unknown?: string[];
  /** Path inside the container. */
  readonly path: string;
  /**
   * Mount options as written (`rw,noexec,nosuid,size=64m`).
   * @default - none given: Docker's defaults
   */
  readonly options?: string;
  /** Whether it came from the `tmpfs` map or from a `mounts` block of type tmpfs. */
  readonly fromMount?: boolean;
  /**
   * Whether its `mounts` block has a `tmpfs_options` block, even an empty one (on docker_service, provider 3.6.x
   * panics on any: the rule `service-tmpfs-size`).
   * @default false
   */
  readonly optionsBlock?: boolean;
}

/** One ulimit. */
export interface UlimitSpec {
  /**
   * Attributes of this item that are not known before apply (`name`, `soft`, `hard`). Such an attribute holds a placeholder (`''`, `0`
   * or undefined) that means nothing: read this list first.
   * @default - every attribute is known
   */
  readonly unknown?: string[];
  /** Ulimit name, e.g. `nproc`, `nofile`. */
  readonly name: string;
  /** Soft limit. */
  readonly soft: number;
  /** Hard limit. */
  readonly hard: number;
}

/** A published port. */
export interface PortSpec {
  /**
   * Attributes of this item that are not known before apply (`internal`, `external`, `ip`, `protocol`, `publishMode`). Such an attribute holds a placeholder (`''`, `0`
   * or undefined) that means nothing: read this list first.
   * @default - every attribute is known
   */
  readonly unknown?: string[];
  /** Port inside the container. */
  readonly internal: number;
  /**
   * Port on the host.
   * @default - a random host port
   */
  readonly external?: number;
  /**
   * Host interface the port is bound on.
   * @default - `0.0.0.0`, every interface (the provider's default)
   */
  readonly ip?: string;
  /**
   * `tcp`, `udp` or `sctp`.
   * @default tcp
   */
  readonly protocol?: string;
  /**
   * Swarm publish mode, `ingress` or `host` (services only).
   * @default - not a service port
   */
  readonly publishMode?: string;
}

/** A bind mount, volume or tmpfs from `volumes` or `mounts`. */
export interface MountSpec {
  /**
   * Attributes of this item that are not known before apply (`type`, `source`, `target`, `readOnly`, `propagation`). Such an attribute holds a placeholder (`''`, `0`
   * or undefined) that means nothing: read this list first.
   * @default - every attribute is known
   */
  readonly unknown?: string[];
  /** `bind`, `volume`, `tmpfs`, `npipe`, or `volumes-from` (a `volumes` block with `from_container`: source is that container). */
  readonly type: string;
  /**
   * Host path (bind) or volume name.
   * @default - none (tmpfs)
   */
  readonly source?: string;
  /** Path inside the container. */
  readonly target: string;
  /**
   * Read-only mount.
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * Bind propagation (`private`, `rprivate`, `shared`, `rshared`, `slave`, `rslave`).
   * @default - Docker's default (rprivate)
   */
  readonly propagation?: string;
}

/** A host device mapped into the container. */
export interface DeviceSpec {
  /**
   * Attributes of this item that are not known before apply (`hostPath`, `containerPath`, `permissions`). Such an attribute holds a placeholder (`''`, `0`
   * or undefined) that means nothing: read this list first.
   * @default - every attribute is known
   */
  readonly unknown?: string[];
  /** Device path on the host. */
  readonly hostPath: string;
  /**
   * Device path in the container.
   * @default - same as hostPath
   */
  readonly containerPath?: string;
  /**
   * cgroup permissions (`rwm`).
   * @default rwm
   */
  readonly permissions?: string;
}

/** A container healthcheck. */
export interface HealthcheckSpec {
  /** The test command, e.g. `["CMD", "wget", "-q", "-O-", "http://127.0.0.1:8080/"]`; `["NONE"]` disables it. */
  readonly test: string[];
  /**
   * Interval as a Go duration (`30s`).
   * @default - Docker's default (30s)
   */
  readonly interval?: string;
  /**
   * Timeout as a Go duration.
   * @default - Docker's default (30s)
   */
  readonly timeout?: string;
  /**
   * Start period as a Go duration.
   * @default - Docker's default (0s)
   */
  readonly startPeriod?: string;
  /**
   * Retries before unhealthy.
   * @default - Docker's default (3)
   */
  readonly retries?: number;
}

/** A suppression recorded on the resource itself (construct metadata or a container label). */
export interface SpecSuppression {
  /** The rule id suppressed. */
  readonly ruleId: string;
  /** Why it is acceptable here. */
  readonly reason: string;
  /**
   * Where the suppression was written, for findings about it (`label "hardened-docker.suppress.no-privileged"`).
   * @default - not recorded
   */
  readonly origin?: string;
  /**
   * The reason is only known after apply (a Terraform expression, a value a plan does not know, an unresolved
   * token): the suppression suppresses nothing, and is reported as unknown.
   * @default false
   */
  readonly reasonUnknown?: boolean;
  /**
   * The label's key is only known after apply (an expression, a token): it may be a suppression label, which can
   * be judged only when known. It suppresses nothing, and is reported as unknown.
   * @default false
   */
  readonly keyUnknown?: boolean;
}

/**
 * Everything security-relevant about one container or service, normalized.
 *
 * Sizes are bytes, CPU periods and quotas microseconds, whatever unit the source used.
 */
export interface ContainerSpec {
  /** Resource kind. */
  readonly kind: ResourceKind;
  /** Where this spec was read from. */
  readonly source: SpecSource;
  /** Address: `docker_container.web` for Terraform, `container/<name>` or `service/<name>` for a live engine. */
  readonly address: string;
  /**
   * The container or service name, when known.
   * @default - unknown or not set
   */
  readonly name?: string;
  /**
   * The file it was read from.
   * @default - none (synth or live engine)
   */
  readonly file?: string;
  /**
   * The cdktf construct path that produced it.
   * @default - none (not made by cdktf)
   */
  readonly constructPath?: string;
  /**
   * Names of the fields of this spec whose value is not known before apply (see the field names below). For a list
   * field (mounts, ports, capAdd, securityOpts, ...), the known items are listed all the same: the field is here
   * because items may be missing (see `listedInFull`) or some items have unknown attributes.
   * @default - every field is known or absent
   */
  readonly unknown?: string[];
  /**
   * List fields in `unknown` whose every item is listed: what is unknown is only some attributes of those items, and
   * each such item names them in its own `unknown`. A list field in `unknown` but not here may have items that are
   * not listed (a `dynamic` block, an item that is an expression): its known items are listed all the same.
   * @default - none: every list field in `unknown` may have items not listed
   */
  readonly listedInFull?: string[];
  /**
   * Why the fields in `unknown` are not known, field by field (a field may have several causes).
   * @default - no cause recorded
   */
  readonly unknownCauses?: UnknownValue[];
  /**
   * Why the containers of this resource cannot be read: a `docker_compose` resource whose compose files cannot be
   * read (a path only known after apply, a file that does not exist). Such a spec has no settings: no rule runs on
   * it, and the evaluation reports it under `compose-resource-unchecked`, which suppressions cover like any rule.
   * @default - the resource is read
   */
  readonly unreadable?: string;

  /** @default - not set */
  readonly image?: string;
  /** The user (`1000:1000`, `app`, `root`). @default - not set: the image's user, root for most images */
  readonly user?: string;
  /** Read-only root filesystem. @default - not set (false) */
  readonly readOnly?: boolean;
  /** Privileged. @default - not set (false) */
  readonly privileged?: boolean;
  /** tmpfs mounts (from the tmpfs map and from tmpfs-typed mounts). @default - none */
  readonly tmpfs?: TmpfsSpec[];
  /** Capabilities added, as written. @default - none */
  readonly capAdd?: string[];
  /** Capabilities dropped, as written. @default - none */
  readonly capDrop?: string[];
  /** Security options, as written (`no-new-privileges:true`, `seccomp=unconfined`). @default - none */
  readonly securityOpts?: string[];
  /**
   * Whether the engine's daemon sets no-new-privileges for every container (live audit only).
   * @default - unknown to the source, taken as false
   */
  readonly daemonNoNewPrivileges?: boolean;
  /** Memory limit in bytes (0 = unlimited). @default - not set: unlimited */
  readonly memoryBytes?: number;
  /** Memory + swap limit in bytes (-1 = unlimited swap). @default - not set: Docker's default, twice the memory */
  readonly memorySwapBytes?: number;
  /** CPU shares (relative weight). @default - not set */
  readonly cpuShares?: number;
  /** CFS period in microseconds. @default - not set */
  readonly cpuPeriod?: number;
  /** CFS quota in microseconds. @default - not set */
  readonly cpuQuota?: number;
  /** NanoCPUs (services and the engine). @default - not set */
  readonly nanoCpus?: number;
  /** The `cpus` attribute as written: provider 3.6.x panics on it. @default - not set */
  readonly cpus?: string;
  /** PIDs limit (only a live engine has it; provider 3.6.2 cannot set one). @default - not set */
  readonly pidsLimit?: number;
  /** Ulimits. @default - none */
  readonly ulimits?: UlimitSpec[];
  /** Restart policy: `no`, `on-failure`, `always`, `unless-stopped` (services: `none`, `on-failure`, `any`). @default - not set */
  readonly restartPolicy?: string;
  /** Maximum restart retries (services: max_attempts). @default - not set */
  readonly maxRetryCount?: number;
  /** Healthcheck. @default - none */
  readonly healthcheck?: HealthcheckSpec;
  /** Published ports. @default - none */
  readonly ports?: PortSpec[];
  /** Every port the image EXPOSEs is published on a random host port of every interface (`publish_all_ports`). @default - not set (false) */
  readonly publishAllPorts?: boolean;
  /** GPUs handed to the container (`gpus`, e.g. `all`): the host's GPU devices are exposed. @default - not set */
  readonly gpus?: string;
  /** Bind mounts, volumes and tmpfs mounts from `volumes` and `mounts`. @default - none */
  readonly mounts?: MountSpec[];
  /** Host devices. @default - none */
  readonly devices?: DeviceSpec[];
  /**
   * Device cgroup rules (`docker run --device-cgroup-rule`, compose `device_cgroup_rules`): `<type> <major>:<minor>
   * <access>`, e.g. `c 189:* rmw`. Each lets the container use the host devices it names through any node it has or
   * creates (CAP_MKNOD is a default capability). Provider kreuzwerker/docker has no such attribute.
   * @default - none
   */
  readonly deviceCgroupRules?: string[];
  /** Network mode (`bridge`, `host`, `none`, `container:<id>`). @default - not set: bridge */
  readonly networkMode?: string;
  /** Networks attached (networks_advanced names / service networks). @default - none */
  readonly networks?: string[];
  /** PID namespace mode. @default - not set: private */
  readonly pidMode?: string;
  /** IPC namespace mode. @default - not set: Docker's default */
  readonly ipcMode?: string;
  /** User namespace mode. @default - not set */
  readonly usernsMode?: string;
  /** UTS namespace mode (live engine only: provider 3.6.2 has no uts_mode). @default - not set */
  readonly utsMode?: string;
  /** cgroup namespace mode. @default - not set */
  readonly cgroupnsMode?: string;
  /** cgroup parent. @default - not set */
  readonly cgroupParent?: string;
  /** Labels. @default - none */
  readonly labels?: { [key: string]: string };
  /** Log driver. @default - not set: the daemon's default */
  readonly logDriver?: string;
  /** Log options. @default - none */
  readonly logOpts?: { [key: string]: string };
  /** Run an init process as PID 1. @default - not set */
  readonly init?: boolean;
  /** Sysctls. @default - none */
  readonly sysctls?: { [key: string]: string };
  /** OCI runtime. @default - not set: runc */
  readonly runtime?: string;
  /** Extra groups. @default - none */
  readonly groupAdd?: string[];
  /** Replicas (services). @default - not set */
  readonly replicas?: number;
  /**
   * Command lines of the processes running in the container (live engine only, `docker top`).
   * @default - not known (Terraform, a stopped container, or a service)
   */
  readonly processes?: string[];
  /** Suppressions recorded on the resource (construct metadata in the JSON, or labels). @default - none */
  readonly suppressions?: SpecSuppression[];
}
