// Writes docs/rules.md from the acme profile's own rules: `npx ts-node --transpile-only scripts/gen-docs.ts`.
import * as fs from 'fs';
import * as path from 'path';
import { acme } from '../src';

export const RULES_DOC = path.join(__dirname, '..', 'docs', 'rules.md');

export function rulesDoc(): string {
  return acme.rulesMarkdown({
    organisationRulesOnly: true,
    intro: 'ACME\'s own rules: the policy rules (`org-*`) and the custom rules of `@acme/docker-profile`. The `acme` '
      + 'profile runs them on top of every rule of the built-in `hardened` level (see cdktf-hardened-docker\'s '
      + 'docs/rules.md), with `healthcheck` raised to error. Suppress one like a built-in rule: '
      + '`Suppressions.add(construct, \'acme-no-latest-tag\', reason)`.\n\n'
      + '<!-- Generated from src/: do not edit. Run `npx ts-node --transpile-only scripts/gen-docs.ts`. -->',
  });
}

if (require.main === module) fs.writeFileSync(RULES_DOC, rulesDoc());
