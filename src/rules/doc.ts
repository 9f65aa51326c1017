/**
 * Markdown documentation of a rule catalog, generated from rule metadata. The built-in catalog's docs/rules.md
 * comes from here (scripts/gen-rules-doc.ts), and an organisation documents its own rules with the same call.
 */
import { cisControl, CIS_DOCKER_1_6 } from './cis';
import { providerLinesMarkdown } from './provider-lines';
import { IRule } from './rule';
import { ResourceKind } from '../spec/container-spec';

/** A named level (profile) and the rule ids it runs, for the "Levels" column. */
export interface RuleLevel {
  readonly name: string;
  readonly ruleIds: readonly string[];
}

export interface RulesDocOptions {
  /** Heading of the page. Default: "Rules". */
  readonly title?: string;
  /** Markdown after the heading. */
  readonly intro?: string;
  /** Markdown section after the table (e.g. the provider's limits). */
  readonly notes?: string;
  /** The command that regenerates the page, named in the "do not edit" comment. */
  readonly regenerate?: string;
  /** Append a table of the CIS Docker Benchmark v1.6.0 controls and the rules that cover each. Default: false. */
  readonly cisCoverage?: boolean;
}

/** What provider kreuzwerker/docker 3.6.2 cannot do, which several built-in rules report. */
export const PROVIDER_3_6_2_NOTES = [
  '## Provider 3.6.2 limits',
  '',
  '`@cdktf/provider-docker` 12.x binds the Terraform provider kreuzwerker/docker **3.6.2**; what it cannot express, a',
  'rule cannot make pass through Terraform:',
  '',
  '- **No PIDs limit** on docker_container or docker_service: `pids-limit` (CIS 5.29) always fails on Terraform sources,',
  '  naming the stand-in (an `nproc` ulimit under a UID dedicated to the container) or the daemon\'s `default-pids-limit`.',
  '- **docker_service has no no-new-privileges, seccomp, AppArmor, ulimits or init**: `no-new-privileges`,',
  '  `apparmor-profile` and `ulimits-set` fail on services with that reason (fix it in each node\'s daemon.json and',
  '  suppress with the reason); `no-unconfined-seccomp` passes, since the default profile cannot be switched off',
  '  either. SELinux it can set: `task_spec.container_spec.privileges.se_linux_context` is read as `label=...`',
  '  options, judged by `selinux-options` and `selinux-confinement-not-disabled` as on a container.',
  '- **Swarm cannot bind a published port to one interface**: `ports-bound-to-interface` fails on any service that',
  '  publishes a port.',
  '- **No `uts_mode`**: `no-host-uts` is not applicable to Terraform sources (checked on live containers).',
  '- **Traps that panic the provider on apply** (errors in every level): `cpus` on docker_container (`no-cpus-attribute`;',
  '  issue #759) and any `tmpfs_options` block on a docker_service tmpfs mount (`service-tmpfs-size`; issue #563).',
  '- **Silently ignored changes**: `tmpfs`, `healthcheck`, `init`, `cpu_period` and `cpu_quota` changed on an existing',
  '  container do nothing until something forces replacement (a change to `labels` does).',
  '',
  '### Other provider releases',
  '',
  'The checks read the provider version constraint (`terraform.required_providers.docker.version` in Terraform JSON,',
  'HCL and cdktf output, a plan\'s `provider_config`, or `check --provider-version`, which takes precedence). A rule that',
  'exists for one trap applies only where an admitted release has it, and under no constraint (or one that admits',
  'releases with and without it) its finding ends with the releases concerned (`(a provider trap: ...)`). Per line of',
  'releases (`yes`: every release of the line; `from`/`before`: part of it; generated from',
  '`src/rules/provider-versions.ts`, as is the same table in the README):',
  '',
  providerLinesMarkdown(),
  '',
  'The rules about the traps present in every line apply whatever the constraint; `no-cpus-attribute` and',
  '`service-tmpfs-size` exist only for their panics and are not applicable where no admitted release has them. A',
  '`docker_compose` resource (4.3.0 and later) is read through its compose files (`config_paths`) with the compose',
  'reader, and its services are checked by the same rules (`docker_compose.app/services/web`); one whose files cannot',
  'be read is a `compose-resource-unchecked` warning (docs/compose.md). A trap with no rule yet (a service\'s `init`,',
  'block-IO limits, `oom_kill_disable`) is a gap the checks say nothing about.',
  '',
  '## Values not known before apply',
  '',
  'A value only Terraform knows (an expression, a `dynamic` block, a plan\'s `(known after apply)`) is never a pass. Lists',
  'are judged item by item: a literal failing item (a `docker.sock` bind, `seccomp=unconfined`, `SYS_ADMIN`, a port',
  'without `ip`) fails whatever its unknown siblings are, and a rule is `unknown` only when no known item fails and an',
  'unknown one could. A named volume or a tmpfs is never a host path, whatever its name; `container:<expression>` as a',
  'network, PID or IPC mode is another container\'s namespace, not the host\'s. Reports count the rest by cause',
  '(`summary.unknownCauses`, docs/report-format.md).',
].join('\n');

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n+/g, ' ');
}

function appliesTo(rule: IRule): string {
  const kinds = rule.metadata.appliesTo;
  if (kinds === undefined || kinds.length === 0) return 'docker_container, docker_service';
  return [ResourceKind.CONTAINER, ResourceKind.SERVICE].filter((k) => kinds.includes(k)).join(', ');
}

function cisLabel(id: string): string {
  const c = cisControl(id);
  return c ? `${id} (${c.title})` : id;
}

/** GitHub's heading anchor for a rule id heading "`id`". */
function anchor(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');
}

/**
 * The Markdown page for `rules`: a summary table (id, CIS, severity, levels, title), then a section per rule with
 * its rationale and fix. Deterministic: same input, same text.
 */
export function renderRulesMarkdown(rules: readonly IRule[], levels: readonly RuleLevel[] = [], options: RulesDocOptions = {}): string {
  const out: string[] = [];
  const levelsOf = (id: string) => levels.filter((l) => l.ruleIds.includes(id)).map((l) => l.name);
  out.push(`# ${options.title ?? 'Rules'}`, '');
  if (options.regenerate) out.push(`<!-- Generated from the rule catalog: do not edit. Run \`${options.regenerate}\`. -->`, '');
  if (options.intro) out.push(options.intro.trim(), '');

  const withLevels = levels.length > 0;
  out.push(`| Rule | CIS | Severity | ${withLevels ? 'Levels | ' : ''}Title |`);
  out.push(`|---|---|---|${withLevels ? '---|' : ''}---|`);
  for (const rule of rules) {
    const m = rule.metadata;
    const lv = withLevels ? `${levelsOf(m.id).join(', ') || '—'} | ` : '';
    out.push(`| [\`${m.id}\`](#${anchor(m.id)}) | ${(m.cis ?? []).join(', ') || '—'} | ${m.severity} | ${lv}${cell(m.title)} |`);
  }
  out.push('');
  if (options.notes) out.push(options.notes.trim(), '');

  out.push('## Rule reference', '');
  for (const rule of rules) {
    const m = rule.metadata;
    out.push(`### \`${m.id}\``, '');
    out.push(`**${cell(m.title)}**`, '');
    out.push(`- CIS Docker Benchmark v1.6.0: ${m.cis?.length ? m.cis.map(cisLabel).join('; ') : 'none (beyond CIS)'}`);
    out.push(`- Default severity: ${m.severity}`);
    out.push(`- Applies to: ${appliesTo(rule)}`);
    if (withLevels) out.push(`- Levels: ${levelsOf(m.id).join(', ') || 'none of the built-in levels'}`);
    out.push('', `**Why.** ${m.rationale.trim()}`, '', `**Fix.** ${m.remediation.trim()}`, '');
    if (m.composeRemediation) out.push(`**Fix in compose.** ${m.composeRemediation.trim()}`, '');
  }

  if (options.cisCoverage) {
    out.push('## CIS Docker Benchmark v1.6.0 coverage', '');
    out.push('| CIS | Control | Rules |', '|---|---|---|');
    for (const c of CIS_DOCKER_1_6) {
      const covering = rules.filter((r) => (r.metadata.cis ?? []).includes(c.id)).map((r) => `\`${r.metadata.id}\``);
      out.push(`| ${c.id} | ${cell(c.title)} | ${covering.join(', ') || `— (${c.notDecidable ?? 'no rule'})`} |`);
    }
    out.push('');
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}
