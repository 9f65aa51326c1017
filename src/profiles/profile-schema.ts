/**
 * The JSON Schema of a profile file (draft-07). `schemas/profile.schema.json` is this object, committed and
 * published (a test keeps the two equal). Rule ids are checked in code after the schema, because an
 * organisation's own rules add ids the schema cannot know.
 */
export const PROFILE_SCHEMA_ID = 'https://example.invalid/cdktf-hardened-docker/schemas/profile.schema.json';

const CAPABILITY = { type: 'string', pattern: '^(CAP_)?[A-Za-z_]+$', description: 'A Linux capability, without CAP_ (NET_BIND_SERVICE).' };

export const DEFAULTS_SCHEMA = {
  type: 'object',
  description: 'The defaults HardenedContainer applies where a prop is not given; unnamed fields keep the base profile\'s.',
  additionalProperties: false,
  properties: {
    memoryMb: { type: 'integer', minimum: 6, description: 'Memory limit in MiB (swap equal: no swap).' },
    cpuLimit: { type: 'number', exclusiveMinimum: 0, description: 'CPU limit in CPUs (0.5 = half a CPU), through cpu_period/cpu_quota.' },
    cpuShares: { type: 'integer', minimum: 2, maximum: 262144, description: 'CPU shares (relative weight).' },
    maxProcesses: { type: 'integer', minimum: 1, description: 'Process limit (the nproc ulimit).' },
    maxOpenFiles: { type: 'integer', minimum: 1, description: 'Open files limit (the nofile ulimit).' },
    tmpfsSizeMb: { type: 'integer', minimum: 1, description: 'Size of /tmp and of each writable path, in MiB.' },
    logMaxSize: { type: 'string', pattern: '^[1-9][0-9]*[kmg]?$', description: 'Max size of one json-file log (10m).' },
    logMaxFiles: { type: 'integer', minimum: 1, description: 'Number of log files kept.' },
    user: { type: 'string', pattern: '^[0-9]+(:[0-9]+)?$', description: 'The user containers run as, numeric UID:GID (10001:10001).' },
    maxRestartRetries: { type: 'integer', minimum: 0, maximum: 5, description: 'Restart retries on failure (at most 5: CIS 5.15).' },
    hostIp: { type: 'string', pattern: '^([0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*)$', description: 'Host interface published ports bind to (127.0.0.1).' },
    allowedCapabilities: { type: 'array', items: CAPABILITY, uniqueItems: true, description: 'Capabilities a container may add without an opt-out.' },
  },
};

export const POLICIES_SCHEMA = {
  type: 'object',
  description: 'Organisation policies: each one set becomes an org-* rule.',
  additionalProperties: false,
  properties: {
    allowedRegistries: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Image reference prefixes allowed (registry.acme.example/). Rule org-allowed-registries.' },
    requireDigest: { type: 'boolean', description: 'Images must be pinned by digest. Rule org-image-digest.' },
    requiredLabels: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]*$', description: 'A label key.' }, uniqueItems: true, description: 'Labels every container must carry. Rule org-required-labels.' },
    maxMemoryMb: { type: 'integer', minimum: 6, description: 'Maximum memory limit per container, MiB. Rule org-max-memory.' },
    maxCpus: { type: 'number', exclusiveMinimum: 0, description: 'Maximum CPU limit per container, CPUs. Rule org-max-cpu.' },
    forbiddenHostPaths: { type: 'array', items: { type: 'string', pattern: '^/', description: 'An absolute host path.' }, description: 'Host paths no bind mount may use (or anything below). Rule org-forbidden-host-paths.' },
    allowedCapabilities: { type: 'array', items: CAPABILITY, uniqueItems: true, description: 'The only capabilities a container may add. Rule org-allowed-capabilities.' },
  },
};

export const RULE_ID_PATTERN = '^[a-z][a-z0-9]*(-[a-z0-9]+)*$';
export const RULE_LEVELS = ['error', 'warning', 'info', 'off'];

export const PROFILE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: PROFILE_SCHEMA_ID,
  title: 'cdktf-hardened-docker profile',
  description: 'A profile: the defaults HardenedContainer applies and the rules the checks and the CLI enforce.',
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    $schema: { type: 'string', description: 'This schema\'s URL or path, for editors.' },
    name: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9][A-Za-z0-9._@/-]*$', description: 'Profile name, shown in reports.' },
    description: { type: 'string', description: 'What the profile is for.' },
    extends: {
      type: 'string',
      minLength: 1,
      description: 'The profile this one changes: baseline, restricted, hardened, or another profile file: a path relative to this one, or a package file (@acme/docker-profile/acme-profile.json).',
      default: 'hardened',
    },
    defaults: DEFAULTS_SCHEMA,
    rules: {
      type: 'object',
      description: 'Rule id -> severity under this profile, or off. Unnamed rules keep the base profile\'s setting.',
      propertyNames: { pattern: RULE_ID_PATTERN },
      additionalProperties: { enum: RULE_LEVELS },
    },
    policies: POLICIES_SCHEMA,
    suppressions: {
      type: 'object',
      description: 'Rule id -> the reason it is suppressed for every resource this profile checks (a sentence of at least 10 visible characters). Findings stay in the reports, marked suppressed.',
      propertyNames: { pattern: RULE_ID_PATTERN },
      additionalProperties: { type: 'string' },
    },
    ruleModules: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description: 'Modules (paths relative to this file, or package names) whose `rules` export is an array of organisation rules (IRule).',
    },
  },
};
