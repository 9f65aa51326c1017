/**
 * The version constraint of the Docker provider (kreuzwerker/docker) a configuration declares: Terraform JSON and the
 * JSON form of HCL (`terraform.required_providers.docker.version`), and a plan's `configuration.provider_config`.
 * The provider-trap rules apply to the releases it admits (src/rules/provider-versions.ts).
 */

type Json = any;

const SOURCE = /(^|\/)kreuzwerker\/docker$/i;

function asList(v: Json): Json[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

/** Whether a required_providers entry is the Docker provider: by its source, or by the local name `docker` without one. */
function isDockerProvider(localName: string, entry: Json): boolean {
  const source = entry !== null && typeof entry === 'object' ? entry.source : undefined;
  return typeof source === 'string' ? SOURCE.test(source.trim()) : localName === 'docker';
}

/**
 * The Docker provider's version constraints a Terraform JSON document (or an HCL file's JSON form) declares, in
 * document order; Terraform requires every one of them, so together they read as one constraint joined by commas.
 */
export function providerConstraintsOf(doc: Json): string[] {
  const out: string[] = [];
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return out;
  for (const terraform of asList(doc.terraform)) {
    if (terraform === null || typeof terraform !== 'object') continue;
    for (const required of asList(terraform.required_providers)) {
      if (required === null || typeof required !== 'object') continue;
      for (const [name, entry] of Object.entries<Json>(required)) {
        if (!isDockerProvider(name, entry)) continue;
        // A bare string is the legacy form `docker = "~> 3.6"`.
        const version = typeof entry === 'string' ? entry : entry?.version;
        if (typeof version === 'string' && version.trim() !== '') out.push(version.trim());
      }
    }
  }
  return out;
}

/** The Docker provider's version constraints a plan records (`configuration.provider_config.<key>.version_constraint`). */
export function providerConstraintsOfPlan(doc: Json): string[] {
  const out: string[] = [];
  const configs = doc?.configuration?.provider_config;
  if (configs === null || typeof configs !== 'object') return out;
  for (const config of Object.values<Json>(configs)) {
    const fullName = typeof config?.full_name === 'string' ? config.full_name : '';
    const isDocker = fullName ? SOURCE.test(fullName) : config?.name === 'docker';
    const version = config?.version_constraint;
    if (isDocker && typeof version === 'string' && version.trim() !== '') out.push(version.trim());
  }
  return out;
}

/** Several constraints as the one Terraform applies (all of them), or undefined for none. */
export function joinConstraints(constraints: readonly string[]): string | undefined {
  const distinct = [...new Set(constraints)];
  return distinct.length ? distinct.join(', ') : undefined;
}
