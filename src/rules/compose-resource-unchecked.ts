import { IRule, Results, RuleResult, Severity } from './rule';

/** The id under which an unreadable docker_compose resource is reported. */
export const COMPOSE_RESOURCE_UNCHECKED_ID = 'compose-resource-unchecked';

/**
 * A docker_compose resource (provider 4.3.0 and later) whose compose files cannot be read: its containers are not
 * checked. Not in the catalog and run by no profile: the evaluator reports it for each spec marked `unreadable`,
 * whatever the profile, and suppressions cover it like any rule (its id is always a valid suppression).
 */
class ComposeResourceUncheckedRule implements IRule {
  public readonly metadata = {
    id: COMPOSE_RESOURCE_UNCHECKED_ID,
    title: 'The containers of a docker_compose resource are checked',
    severity: Severity.WARNING,
    rationale: 'A docker_compose resource starts the services of its compose files; their settings never pass through '
      + 'docker_container attributes. When those files cannot be read (a path only known after apply, a file that does '
      + 'not exist or does not parse), no rule sees its containers: a privileged service would go unnoticed, so this is '
      + 'said rather than passed over.',
    remediation: 'Give `config_paths` (and `env_files`, `project_directory`, `profiles`) values known before apply: '
      + 'literal paths, `"${path.module}/compose.yaml"`, or variables with values; keep the compose files beside the '
      + 'configuration; or check the compose files themselves (`hardened-docker check compose.yaml`). Where that cannot '
      + 'be, suppress this rule on the resource with the reason.',
  };

  public check(): RuleResult {
    // Never run on a spec: the evaluator reports it from the specs marked unreadable.
    return Results.notApplicable();
  }
}

/** The rule under which an unreadable docker_compose resource is reported. */
export const COMPOSE_RESOURCE_UNCHECKED_RULE: IRule = new ComposeResourceUncheckedRule();
