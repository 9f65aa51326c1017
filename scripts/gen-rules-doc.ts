/**
 * Writes docs/rules.md from the built-in rule catalog: `npx ts-node --transpile-only scripts/gen-rules-doc.ts`
 * (npm task `docs:rules`). test/rules/doc.test.ts fails when the committed file differs from this output.
 */
import { writeFileSync } from 'fs';
import { join } from 'path';
import { BASELINE_RULE_IDS, RESTRICTED_RULE_IDS } from '../src/profiles/levels';
import { BUILTIN_RULES } from '../src/rules/catalog';
import { PROVIDER_3_6_2_NOTES, renderRulesMarkdown, RuleLevel } from '../src/rules/doc';

export const RULES_DOC_PATH = join(__dirname, '..', 'docs', 'rules.md');
export const REGENERATE_COMMAND = 'npx ts-node --transpile-only scripts/gen-rules-doc.ts';

/** The built-in levels, as the profiles of the same names run them. */
export const BUILTIN_LEVELS: readonly RuleLevel[] = [
  { name: 'baseline', ruleIds: BASELINE_RULE_IDS },
  { name: 'restricted', ruleIds: RESTRICTED_RULE_IDS },
  { name: 'hardened', ruleIds: BUILTIN_RULES.map((r) => r.metadata.id) },
];

/** The text of docs/rules.md. */
export function builtinRulesMarkdown(): string {
  return renderRulesMarkdown(BUILTIN_RULES, BUILTIN_LEVELS, {
    title: 'Rules',
    regenerate: REGENERATE_COMMAND,
    intro: [
      `The built-in catalog: ${BUILTIN_RULES.length} rules, mapped to the CIS Docker Benchmark v1.6.0 where a control`,
      'applies. Each rule checks one normalized container spec (from synthesized Terraform JSON, HCL, a plan or a live',
      'engine) and returns pass, fail (naming the value found), unknown (a value only known after apply: never a pass)',
      'or not applicable. A rule may be stricter than the CIS reference check (Docker Bench for Security), never laxer.',
      '',
      'Levels: `baseline` (host isolation and provider traps), `restricted` (baseline plus non-root, no-new-privileges,',
      'drop ALL, no added capabilities) and `hardened` (every rule; the default). An error fails synth; an unknown value',
      'under an error rule is a warning (an error with `strict`). Suppress a rule on a construct with a reason of at',
      'least 10 characters: `Suppressions.add(scope, ruleId, reason)`, or the label `hardened-docker.suppress.<rule-id>`.',
    ].join('\n'),
    notes: PROVIDER_3_6_2_NOTES,
    cisCoverage: true,
  });
}

if (require.main === module) {
  writeFileSync(RULES_DOC_PATH, builtinRulesMarkdown());
  console.log(`wrote ${RULES_DOC_PATH} (${BUILTIN_RULES.length} rules)`);
}
