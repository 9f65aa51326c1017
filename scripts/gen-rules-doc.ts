/**
 * Writes the catalog's index (scripts/gen-catalog-index.ts), then docs/rules.md from the built-in rule catalog, and the
 * README's per-provider-line table (between its `<!-- provider-lines` markers) from src/rules/provider-versions.ts:
 * `npx ts-node --transpile-only scripts/gen-rules-doc.ts` (npm task `docs:rules`). test/rules/catalog-index.test.ts,
 * test/rules/doc.test.ts and test/rules/provider-lines.test.ts fail when the committed files differ from this output.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join, relative } from 'path';
import { CATALOG_DIR, INDEX_FILE, writeCatalogIndex } from './gen-catalog-index';
import type { IRule } from '../src/rules/rule';
import { PROVIDER_3_6_2_NOTES, renderRulesMarkdown, RuleLevel } from '../src/rules/doc';
import { providerLinesMarkdown } from '../src/rules/provider-lines';

export const RULES_DOC_PATH = join(__dirname, '..', 'docs', 'rules.md');
export const REGENERATE_COMMAND = 'npx ts-node --transpile-only scripts/gen-rules-doc.ts';
export const README_PATH = join(__dirname, '..', 'README.md');

const LINES_START = /^<!-- provider-lines: .*-->\n/m;
const LINES_END = /^<!-- \/provider-lines -->$/m;

/** The README with the table between its provider-lines markers regenerated. Throws when a marker is missing. */
export function readmeWithProviderLines(readme: string): string {
  const start = LINES_START.exec(readme);
  const end = LINES_END.exec(readme);
  if (!start || !end || end.index < start.index) {
    throw new Error('README.md: no "<!-- provider-lines: ... -->" ... "<!-- /provider-lines -->" markers around the per-line table');
  }
  const from = start.index + start[0].length;
  return readme.slice(0, from) + providerLinesMarkdown() + '\n' + readme.slice(end.index);
}

/**
 * The built-in rules, and the levels as the profiles of the same names run them. Loaded on first use, not imported:
 * run as a command, this file rewrites the catalog's index before anything reads it.
 */
function builtinCatalog(): { rules: readonly IRule[]; levels: readonly RuleLevel[] } {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { BUILTIN_RULES } = require('../src/rules/catalog') as typeof import('../src/rules/catalog');
  const { BASELINE_RULE_IDS, RESTRICTED_RULE_IDS } = require('../src/profiles/levels') as typeof import('../src/profiles/levels');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return {
    rules: BUILTIN_RULES,
    levels: [
      { name: 'baseline', ruleIds: BASELINE_RULE_IDS },
      { name: 'restricted', ruleIds: RESTRICTED_RULE_IDS },
      { name: 'hardened', ruleIds: BUILTIN_RULES.map((r) => r.metadata.id) },
    ],
  };
}

/** The text of docs/rules.md. */
export function builtinRulesMarkdown(): string {
  const { rules, levels } = builtinCatalog();
  return renderRulesMarkdown(rules, levels, {
    title: 'Rules',
    regenerate: REGENERATE_COMMAND,
    intro: [
      `The built-in catalog: ${rules.length} rules, mapped to the CIS Docker Benchmark v1.6.0 where a control`,
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
  if (writeCatalogIndex()) console.log(`wrote ${relative(process.cwd(), join(CATALOG_DIR, INDEX_FILE))}`);
  writeFileSync(RULES_DOC_PATH, builtinRulesMarkdown());
  console.log(`wrote ${RULES_DOC_PATH} (${builtinCatalog().rules.length} rules)`);
  const readme = readFileSync(README_PATH, 'utf8');
  const updated = readmeWithProviderLines(readme);
  if (updated !== readme) {
    writeFileSync(README_PATH, updated);
    console.log(`wrote the per-provider-line table of ${README_PATH}`);
  }
}
