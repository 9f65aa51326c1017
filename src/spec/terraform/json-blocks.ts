/**
 * Which keys of a Terraform JSON document are *block types* (a repeated key is one more block) and which are
 * *arguments* (a repeated key is Terraform's "Duplicate argument" error): Terraform's top-level structure, the
 * meta-argument blocks of a resource, and the nested blocks of docker_container and docker_service of provider
 * kreuzwerker/docker 3.6.2 (a test derives these from the generated bindings, @cdktf/provider-docker 12.0.3).
 */

/** What a JSON object that holds a block's body may contain. */
export interface BodySchema {
  /** The block types of this body; every other key is an argument (or, when `open`, may be a block type). */
  readonly blocks: { readonly [type: string]: BlockSchema };
  /**
   * The schema is not known in full (a resource type or provider this project does not read): a key repeated with
   * block-shaped values (objects, lists of objects) is read as more blocks; one with any other value is a duplicate
   * argument, which it is under either reading.
   */
  readonly open?: boolean;
  /** `dynamic` blocks may generate blocks of this body's types (resource bodies and their nested blocks). */
  readonly dynamic?: boolean;
}

/** One block type. */
export interface BlockSchema {
  /** How many labels the block has in JSON (nested objects keyed by label before the body). @default 0 */
  readonly labels?: number;
  /** At most one block of this type (provider schema `MaxItems: 1`, `lifecycle`, `connection`). @default false */
  readonly single?: boolean;
  /** The body, or a function of the labels (a resource's body depends on its type). */
  readonly body: BodySchema | ((labels: readonly string[]) => BodySchema);
  /**
   * Declarations that must be unique in a module, keyed by the first `declares` labels (a resource's type and name),
   * and the word for Terraform's error: `Duplicate resource "docker_container" configuration`. @default - none
   */
  readonly declares?: { readonly labels: number; readonly what: string };
  /** Every argument of the body is a declaration that must be unique across these blocks (`locals`). @default - none */
  readonly declaresArguments?: string;
}

const none: { readonly [type: string]: BlockSchema } = {};

/** A body whose schema is not known. */
export const OPEN_BODY: BodySchema = { blocks: none, open: true };

const list = (blocks: { [type: string]: BlockSchema } = {}): BlockSchema => ({ body: { blocks, dynamic: true } });
const one = (blocks: { [type: string]: BlockSchema } = {}): BlockSchema => ({ single: true, body: { blocks, dynamic: true } });

const CONDITIONS: { [type: string]: BlockSchema } = {
  precondition: { body: { blocks: none } },
  postcondition: { body: { blocks: none } },
};

/** Blocks every managed resource body may hold, besides its provider's (Terraform's meta-arguments). */
const RESOURCE_META: { [type: string]: BlockSchema } = {
  lifecycle: { single: true, body: { blocks: CONDITIONS } },
  connection: { single: true, body: OPEN_BODY },
  provisioner: { labels: 1, body: { blocks: { connection: { single: true, body: OPEN_BODY } }, open: true } },
};

const MOUNT_OPTIONS = {
  bind_options: one(),
  tmpfs_options: one(),
  volume_options: one({ labels: list() }),
};

/** docker_container of provider 3.6.2: its nested blocks (`MaxItems: 1` ones are single). */
export const DOCKER_CONTAINER_BODY: BodySchema = {
  dynamic: true,
  blocks: {
    ...RESOURCE_META,
    capabilities: one(),
    devices: list(),
    healthcheck: one(),
    host: list(),
    labels: list(),
    mounts: list(MOUNT_OPTIONS),
    networks_advanced: list(),
    ports: list(),
    ulimit: list(),
    upload: list(),
    volumes: list(),
  },
};

/** docker_service of provider 3.6.2. */
export const DOCKER_SERVICE_BODY: BodySchema = {
  dynamic: true,
  blocks: {
    ...RESOURCE_META,
    auth: one(),
    converge_config: one(),
    endpoint_spec: one({ ports: list() }),
    labels: list(),
    mode: one({ replicated: one() }),
    rollback_config: one(),
    task_spec: one({
      container_spec: one({
        configs: list(),
        dns_config: one(),
        healthcheck: one(),
        hosts: list(),
        labels: list(),
        mounts: list(MOUNT_OPTIONS),
        privileges: one({ credential_spec: one(), se_linux_context: one() }),
        secrets: list(),
      }),
      log_driver: one(),
      networks_advanced: list(),
      placement: one({ platforms: list() }),
      resources: one({ limits: one(), reservation: one({ generic_resources: one() }) }),
      restart_policy: one(),
    }),
    update_config: one(),
  },
};

/** A managed resource of a type this project does not read: the meta-argument blocks are known, the rest is open. */
const OTHER_RESOURCE_BODY: BodySchema = { blocks: RESOURCE_META, open: true, dynamic: true };

/** The body of a `resource` block of a type. */
export function resourceBody(labels: readonly string[]): BodySchema {
  if (labels[0] === 'docker_container') return DOCKER_CONTAINER_BODY;
  if (labels[0] === 'docker_service') return DOCKER_SERVICE_BODY;
  return OTHER_RESOURCE_BODY;
}

/**
 * A Terraform configuration file (Terraform's `configFileSchema`). Keys that are none of these are not Terraform's
 * (Terraform refuses them); they are read as an open schema.
 */
export const CONFIGURATION_FILE: BodySchema = {
  open: true,
  blocks: {
    terraform: { body: OPEN_BODY },
    provider: { labels: 1, body: OPEN_BODY },
    variable: { labels: 1, declares: { labels: 1, what: 'variable' }, body: { blocks: { validation: { body: { blocks: none } } } } },
    locals: { body: { blocks: none }, declaresArguments: 'local value' },
    output: { labels: 1, declares: { labels: 1, what: 'output' }, body: { blocks: CONDITIONS } },
    module: { labels: 1, declares: { labels: 1, what: 'module call' }, body: { blocks: none } },
    resource: { labels: 2, declares: { labels: 2, what: 'resource' }, body: resourceBody },
    data: { labels: 2, declares: { labels: 2, what: 'data' }, body: { blocks: { lifecycle: RESOURCE_META.lifecycle }, open: true, dynamic: true } },
    ephemeral: { labels: 2, declares: { labels: 2, what: 'ephemeral' }, body: OPEN_BODY },
    moved: { body: { blocks: none } },
    import: { body: { blocks: none } },
    removed: { body: OPEN_BODY },
    check: { labels: 1, body: OPEN_BODY },
  },
};
