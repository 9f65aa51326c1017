import { OrgPolicies, POLICY_RULE_IDS } from './org-policies';
import { ContainerSpec } from '../../spec/container-spec';
import { isUnknown } from '../../spec/fields';
import { attributeUnknown, judgeList } from '../helpers';
import { IRule, Results, RuleMetadata, RuleResult, Severity } from '../rule';

const MIB = 1024 * 1024;

/** The registry part of an image reference, Docker's way: `nginx` and `library/nginx` are on docker.io. */
export function fullImageReference(image: string): string {
  const first = image.split('/')[0];
  const hasRegistry = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return image;
  return image.includes('/') ? `docker.io/${image}` : `docker.io/library/${image}`;
}

function unknownImage(spec: ContainerSpec): RuleResult | undefined {
  if (isUnknown(spec, 'image')) return Results.unknown('the image is only known after apply');
  if (spec.image === undefined || spec.image === '') return Results.unknown('no image is set');
  return undefined;
}

/** Images come only from the organisation's registries (`org-allowed-registries`). */
export class AllowedRegistriesRule implements IRule {
  public readonly metadata: RuleMetadata;
  private readonly prefixes: string[];

  /** @param prefixes allowed image reference prefixes (`registry.acme.example/`) */
  public constructor(prefixes: string[]) {
    this.prefixes = [...prefixes];
    this.metadata = {
      id: POLICY_RULE_IDS.allowedRegistries,
      title: 'Images come from an allowed registry',
      severity: Severity.ERROR,
      rationale: 'Images from registries the organisation does not control bypass its scanning, signing and retention: '
        + 'a typosquatted or hijacked public image runs with the workload\'s access.',
      remediation: `Use an image from an allowed registry (${this.prefixes.join(', ') || 'none is allowed'}): `
        + 'mirror the image there and set `image` to the mirrored reference.',
    };
  }

  public check(spec: ContainerSpec): RuleResult {
    const u = unknownImage(spec);
    if (u) return u;
    const image = spec.image!;
    const full = fullImageReference(image);
    if (this.prefixes.some((p) => image.startsWith(p) || full.startsWith(p))) return Results.pass();
    return Results.fail(`image "${image}" is not from an allowed registry (${this.prefixes.join(', ') || 'none'})`);
  }
}

/** Images are pinned by digest (`org-image-digest`). */
export class ImageDigestRule implements IRule {
  public readonly metadata: RuleMetadata = {
    id: POLICY_RULE_IDS.requireDigest,
    title: 'Images are pinned by digest',
    severity: Severity.ERROR,
    rationale: 'A tag can be moved to other content at any time; only a digest names exactly the image that was '
      + 'reviewed and scanned, so every deployment runs the same bytes.',
    remediation: 'Reference the image by digest: `registry/name:tag@sha256:<digest>` (`docker buildx imagetools inspect` '
      + 'prints it), or use a `docker_image` resource\'s `repo_digest`.',
  };

  public check(spec: ContainerSpec): RuleResult {
    const u = unknownImage(spec);
    if (u) return u;
    if (/@sha256:[0-9a-f]{64}$/.test(spec.image!)) return Results.pass();
    return Results.fail(`image "${spec.image}" is not pinned by digest`);
  }
}

/** Every container carries the organisation's labels (`org-required-labels`). */
export class RequiredLabelsRule implements IRule {
  public readonly metadata: RuleMetadata;
  private readonly labels: string[];

  /** @param labels label keys every container must carry with a non-empty value */
  public constructor(labels: string[]) {
    this.labels = [...labels];
    this.metadata = {
      id: POLICY_RULE_IDS.requiredLabels,
      title: 'Containers carry the required labels',
      severity: Severity.ERROR,
      rationale: 'Ownership and cost labels are how an incident, a vulnerability report or a bill reaches the team '
        + 'that runs the container.',
      remediation: `Set the labels ${this.labels.map((l) => `\`${l}\``).join(', ')} with non-empty values (\`labels\` on `
        + 'HardenedContainer, `labels` blocks on docker_container).',
    };
  }

  public check(spec: ContainerSpec): RuleResult {
    if (isUnknown(spec, 'labels')) return Results.unknown('the labels are only known after apply');
    const have = spec.labels ?? {};
    const missing = this.labels.filter((l) => typeof have[l] !== 'string' || have[l].trim() === '');
    if (missing.length) return Results.fail(`missing required label${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
    return Results.pass();
  }
}

/** Memory per container stays under the organisation's maximum (`org-max-memory`). */
export class MaxMemoryRule implements IRule {
  public readonly metadata: RuleMetadata;
  private readonly maxMb: number;

  /** @param maxMb maximum memory limit in MiB */
  public constructor(maxMb: number) {
    this.maxMb = maxMb;
    this.metadata = {
      id: POLICY_RULE_IDS.maxMemoryMb,
      title: `Memory limit is set and at most ${maxMb} MiB`,
      severity: Severity.ERROR,
      rationale: 'The organisation sizes its hosts for bounded containers: one container without a limit, or with a '
        + 'larger one, can starve its neighbours.',
      remediation: `Set a memory limit of at most ${maxMb} MiB (\`memoryMb\` on HardenedContainer, \`memory\` on docker_container).`,
    };
  }

  public check(spec: ContainerSpec): RuleResult {
    if (isUnknown(spec, 'memoryBytes')) return Results.unknown('the memory limit is only known after apply');
    const bytes = spec.memoryBytes;
    if (bytes === undefined || bytes <= 0) return Results.fail(`no memory limit (maximum ${this.maxMb} MiB)`);
    if (bytes > this.maxMb * MIB) return Results.fail(`memory limit ${Math.round(bytes / MIB * 100) / 100} MiB exceeds the maximum of ${this.maxMb} MiB`);
    return Results.pass();
  }
}

/** CPU per container stays under the organisation's maximum (`org-max-cpu`). */
export class MaxCpuRule implements IRule {
  public readonly metadata: RuleMetadata;
  private readonly maxCpus: number;

  /** @param maxCpus maximum CPU limit in CPUs */
  public constructor(maxCpus: number) {
    this.maxCpus = maxCpus;
    this.metadata = {
      id: POLICY_RULE_IDS.maxCpus,
      title: `CPU limit is set and at most ${maxCpus} CPUs`,
      severity: Severity.ERROR,
      rationale: 'The organisation sizes its hosts for bounded containers: one container without a CPU limit, or '
        + 'with a larger one, can starve its neighbours.',
      remediation: `Set a CPU limit of at most ${maxCpus} CPUs (\`cpuLimit\` on HardenedContainer; \`cpu_quota\`/\`cpu_period\` `
        + 'on docker_container; never the `cpus` attribute, which provider 3.6.2 cannot apply).',
    };
  }

  public check(spec: ContainerSpec): RuleResult {
    if (isUnknown(spec, 'cpuQuota') || isUnknown(spec, 'cpuPeriod') || isUnknown(spec, 'nanoCpus')) {
      return Results.unknown('the CPU limit is only known after apply');
    }
    let cpus: number | undefined;
    if (spec.cpuQuota !== undefined && spec.cpuQuota > 0) cpus = spec.cpuQuota / (spec.cpuPeriod && spec.cpuPeriod > 0 ? spec.cpuPeriod : 100000);
    else if (spec.nanoCpus !== undefined && spec.nanoCpus > 0) cpus = spec.nanoCpus / 1e9;
    if (cpus === undefined) return Results.fail(`no CPU limit (maximum ${this.maxCpus} CPUs)`);
    if (cpus > this.maxCpus + 1e-9) return Results.fail(`CPU limit ${Math.round(cpus * 1000) / 1000} CPUs exceeds the maximum of ${this.maxCpus}`);
    return Results.pass();
  }
}

/** True when `p` is `base` or below it (by path segments). */
export function isUnderPath(p: string, base: string): boolean {
  const norm = (s: string) => s.replace(/\/+$/, '') || '/';
  const a = norm(p);
  const b = norm(base);
  return b === '/' || a === b || a.startsWith(b + '/');
}

/** No bind mount of a forbidden host path (`org-forbidden-host-paths`). */
export class ForbiddenHostPathsRule implements IRule {
  public readonly metadata: RuleMetadata;
  private readonly paths: string[];

  /** @param paths host paths no bind mount may use, or mount anything below */
  public constructor(paths: string[]) {
    this.paths = [...paths];
    this.metadata = {
      id: POLICY_RULE_IDS.forbiddenHostPaths,
      title: 'No bind mount of a forbidden host path',
      severity: Severity.ERROR,
      rationale: 'These host paths hold data or control the organisation keeps out of containers (credentials, host '
        + 'configuration, other tenants\' data).',
      remediation: `Do not bind-mount ${this.paths.join(', ')} or anything below them: use a volume, a secret or a config instead.`,
    };
  }

  public check(spec: ContainerSpec): RuleResult {
    // Item by item: a literal forbidden bind fails whatever the unknown mounts beside it are.
    const { failing, undecided } = judgeList(spec, 'mounts', spec.mounts, (m) => {
      const typeUnknown = attributeUnknown(m, 'type');
      if (m.type !== 'bind' && !typeUnknown) return false;
      if (attributeUnknown(m, 'source')) return undefined;
      if (m.source === undefined || !this.paths.some((p) => isUnderPath(m.source!, p))) return false;
      return typeUnknown ? undefined : true;
    });
    if (failing.length) return Results.fail(`bind mount of forbidden host path ${failing.map((m) => `${m.source} -> ${m.target}`).join(', ')}`);
    if (undecided) return Results.unknown('the host path of a mount is only known after apply');
    return Results.pass();
  }
}

/** Normalizes a capability name: `cap_net_admin` -> `NET_ADMIN`. */
export function normalizeCapability(cap: string): string {
  return cap.trim().toUpperCase().replace(/^CAP_/, '');
}

/** Containers add only allowed capabilities (`org-allowed-capabilities`). */
export class AllowedCapabilitiesRule implements IRule {
  public readonly metadata: RuleMetadata;
  private readonly allowed: Set<string>;

  /** @param capabilities the capabilities a container may add */
  public constructor(capabilities: string[]) {
    this.allowed = new Set(capabilities.map(normalizeCapability));
    const list = [...this.allowed].join(', ') || 'none';
    this.metadata = {
      id: POLICY_RULE_IDS.allowedCapabilities,
      title: 'Containers add only allowed capabilities',
      cis: ['5.3'],
      severity: Severity.ERROR,
      rationale: 'Each capability is a slice of root on the host; the organisation has reviewed which ones its '
        + 'workloads may hold.',
      remediation: `Add only capabilities from the allowed list (${list}); drop the rest (\`addCapabilities\` on `
        + 'HardenedContainer, `capabilities.add` on docker_container).',
    };
  }

  public check(spec: ContainerSpec): RuleResult {
    const { failing, undecided } = judgeList(spec, 'capAdd', spec.capAdd, (c) => !this.allowed.has(normalizeCapability(c)));
    const bad = failing.map(normalizeCapability);
    if (bad.length) return Results.fail(`adds capabilit${bad.length > 1 ? 'ies' : 'y'} ${bad.join(', ')} not in the allowed list (${[...this.allowed].join(', ') || 'none'})`);
    if (undecided) return Results.unknown('the added capabilities are only known after apply');
    return Results.pass();
  }
}

/** The rules a policy set turns into, in a fixed order: one per policy that is set. */
export function policyRules(p: OrgPolicies): IRule[] {
  const out: IRule[] = [];
  if (p.allowedRegistries !== undefined) out.push(new AllowedRegistriesRule(p.allowedRegistries));
  if (p.requireDigest === true) out.push(new ImageDigestRule());
  if (p.requiredLabels !== undefined) out.push(new RequiredLabelsRule(p.requiredLabels));
  if (p.maxMemoryMb !== undefined) out.push(new MaxMemoryRule(p.maxMemoryMb));
  if (p.maxCpus !== undefined) out.push(new MaxCpuRule(p.maxCpus));
  if (p.forbiddenHostPaths !== undefined) out.push(new ForbiddenHostPathsRule(p.forbiddenHostPaths));
  if (p.allowedCapabilities !== undefined) out.push(new AllowedCapabilitiesRule(p.allowedCapabilities));
  return out;
}
