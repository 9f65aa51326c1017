import { ContainerSpec, IRule, Results, RuleMetadata, RuleResult, Severity } from './hardened-docker';

/**
 * ACME rule: images name an explicit version, never `latest` or no tag at all.
 *
 * An organisation rule is a class implementing IRule: `metadata` (what reports, SARIF and the rule docs show)
 * and a pure `check(spec)` of one ContainerSpec. Unknown (a value only known after apply) is never a pass.
 */
export class AcmeNoLatestTagRule implements IRule {
  public readonly metadata: RuleMetadata = {
    id: 'acme-no-latest-tag',
    title: 'Images name an explicit version (no `latest`, no missing tag)',
    severity: Severity.ERROR,
    rationale: 'ACME\'s rollback runbook redeploys the previous version by tag: `latest` (or no tag, which means '
      + '`latest`) names whatever was pushed last, so a rollback or a host rebuild silently runs different code.',
    remediation: 'Set `image` to a versioned tag (`registry.acme.example/web:1.4.2`), optionally pinned by digest '
      + '(`registry.acme.example/web:1.4.2@sha256:...`).',
  };

  public check(spec: ContainerSpec): RuleResult {
    if (spec.unknown?.includes('image')) return Results.unknown('the image is only known after apply');
    const image = spec.image?.trim();
    if (!image) return Results.unknown('no image is set');
    const [ref, digest] = image.split('@');
    const lastPart = ref.split('/').pop() ?? ref;
    const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : undefined;
    if (tag === 'latest') return Results.fail(`image "${image}" uses the tag latest`);
    if (tag === undefined && digest === undefined) return Results.fail(`image "${image}" has no tag (that means latest)`);
    return Results.pass();
  }
}

/**
 * ACME's rules, as profile files load them: `"ruleModules": ["./rules"]` in acme-profile.json resolves to this
 * module, whose `rules` export is the list.
 */
export const rules: IRule[] = [new AcmeNoLatestTagRule()];
