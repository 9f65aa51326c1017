import { readFileSync } from 'fs';
import { builtinRulesMarkdown, REGENERATE_COMMAND, RULES_DOC_PATH } from '../../scripts/gen-rules-doc';
import { BUILTIN_RULES } from '../../src/rules/catalog';
import { renderRulesMarkdown } from '../../src/rules/doc';
import { IRule, Results, Severity } from '../../src/rules/rule';
import { ContainerSpec, ResourceKind } from '../../src/spec/container-spec';

test('docs/rules.md is generated from the catalog and up to date', () => {
  const committed = readFileSync(RULES_DOC_PATH, 'utf8');
  const fresh = builtinRulesMarkdown();
  if (committed !== fresh) {
    throw new Error(`docs/rules.md is stale: run \`${REGENERATE_COMMAND}\` and commit the result.`);
  }
});

describe('the generated page', () => {
  const text = builtinRulesMarkdown();

  test('has a table row and a section for every rule, with its CIS ids, severity and levels', () => {
    for (const r of BUILTIN_RULES) {
      const m = r.metadata;
      const row = text.split('\n').find((l) => l.startsWith(`| [\`${m.id}\`]`));
      expect(row).toBeDefined();
      expect(row).toContain(`| ${m.severity} |`);
      for (const cis of m.cis ?? []) expect(row).toContain(cis);
      expect(text).toContain(`### \`${m.id}\``);
      expect(text).toContain(m.rationale.trim());
      expect(text).toContain(m.remediation.trim());
    }
    expect(text.split('\n').find((l) => l.startsWith('| [`no-privileged`]'))).toContain('baseline, restricted, hardened');
    expect(text.split('\n').find((l) => l.startsWith('| [`read-only-rootfs`]'))).toContain('| hardened |');
  });

  test('notes the provider 3.6.2 limits and the CIS coverage', () => {
    expect(text).toContain('## Provider 3.6.2 limits');
    expect(text).toMatch(/No PIDs limit/);
    expect(text).toContain('## CIS Docker Benchmark v1.6.0 coverage');
    expect(text).toMatch(/\| 4\.6 \| .* \| — \(image level; at container level see 5\.27\) \|/);
  });
});

test('an organisation renders its own rules with the same renderer', () => {
  class OwnerLabel implements IRule {
    public readonly metadata = {
      id: 'org-owner-label',
      title: 'Every container has an owner | team label',
      severity: Severity.WARNING,
      rationale: 'Someone must answer for each container.',
      remediation: 'Add `labels { label = "owner", value = "team-a" }`.',
      appliesTo: [ResourceKind.CONTAINER],
    };
    public check(spec: ContainerSpec) {
      return spec.labels?.owner ? Results.pass() : Results.fail('no owner label');
    }
  }
  const text = renderRulesMarkdown([new OwnerLabel()], [{ name: 'acme', ruleIds: ['org-owner-label'] }], { title: 'ACME rules' });
  expect(text).toMatch(/^# ACME rules\n/);
  // Pipes in cells are escaped so the table keeps its columns.
  expect(text).toContain('| [`org-owner-label`](#org-owner-label) | — | warning | acme | Every container has an owner \\| team label |');
  expect(text).toContain('- CIS Docker Benchmark v1.6.0: none (beyond CIS)');
  expect(text).toContain('- Applies to: docker_container');
  expect(text).not.toContain('Provider 3.6.2 limits');
  // Without levels the column is left out.
  expect(renderRulesMarkdown([new OwnerLabel()])).toContain('| Rule | CIS | Severity | Title |');
});
