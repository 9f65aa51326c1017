/**
 * The layers of src/ (docs/architecture.md) are enforced by ESLint's import/no-restricted-paths zones in
 * .eslintrc.json (written by .projenrc.ts). Each case lints an existing module with one more import, the way a
 * change would add it, under exactly that rule as configured.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '..', '..');
const RULE = 'import/no-restricted-paths';

async function restrictedImports(file: string, extraImport: string): Promise<string[]> {
  // projen writes a `//` comment line first.
  const config = JSON.parse(fs.readFileSync(path.join(ROOT, '.eslintrc.json'), 'utf8').replace(/^\/\/.*\n/, ''));
  expect(config.rules[RULE]).toBeDefined();
  const LegacyESLint = await loadESLint({ useFlatConfig: false });
  const eslint = new LegacyESLint({
    cwd: ROOT,
    useEslintrc: false,
    overrideConfig: {
      root: true,
      parser: config.parser,
      // The rule needs no type information: no TypeScript program, so the test stays fast.
      parserOptions: { ecmaVersion: 2018, sourceType: 'module' },
      plugins: ['import'],
      settings: config.settings,
      rules: { [RULE]: config.rules[RULE] },
    },
  } as any);
  const abs = path.join(ROOT, file);
  const text = `${extraImport}\n${fs.readFileSync(abs, 'utf8')}`;
  const [result] = await eslint.lintText(text, { filePath: abs });
  return result.messages.filter((m) => m.ruleId === RULE || m.fatal).map((m) => m.message);
}

describe('an import against the layers fails the lint', () => {
  test.each([
    ['a reader imports a rule', 'src/spec/fields.ts', "import { Severity } from '../rules/rule';", 'layer spec'],
    ['a reader imports evaluation', 'src/spec/container-spec.ts', "import { evaluate } from '../evaluation/evaluate';", 'layer spec'],
    ['a rule imports a profile', 'src/rules/helpers.ts', "import { Profile } from '../profiles/profile';", 'layer rules'],
    ['a rule imports the audit', 'src/rules/reason.ts', "import { loadDeclared } from '../drift/declared';", 'layer rules'],
    ['a profile imports evaluation', 'src/profiles/levels.ts', "import { evaluate } from '../evaluation/evaluate';", 'layer profiles'],
    ['evaluation imports a report', 'src/evaluation/evaluate.ts', "import { groupOf } from '../report/text';", 'layer evaluation'],
    ['a report imports the CLI', 'src/report/escape.ts', "import { main } from '../cli/main';", 'layer report'],
    ['the CLI imports a construct', 'src/cli/progress.ts', "import { HardenedContainer } from '../constructs/hardened-container';", 'the CLI runs without cdktf'],
    ['a construct imports the synth-time checks', 'src/constructs/capability.ts', "import { DockerSecurityChecks } from '../checks/docker-security-checks';", 'constructs use only the suppressions'],
  ])('%s', async (_what, file, extraImport, named) => {
    const messages = await restrictedImports(file, extraImport);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(named);
  });
});

describe('an import down the layers passes', () => {
  test.each([
    ['a rule imports the spec', 'src/rules/reason.ts', "import { ContainerSpec } from '../spec/container-spec';"],
    ['a profile imports the drift rules', 'src/profiles/levels.ts', "import { DRIFT_RULES } from '../drift/rules';"],
    ['a report imports evaluation', 'src/report/escape.ts', "import { evaluate } from '../evaluation/evaluate';"],
    ['a construct imports the suppressions', 'src/constructs/capability.ts', "import { Suppressions } from '../checks/suppressions';"],
  ])('%s', async (_what, file, extraImport) => {
    expect(await restrictedImports(file, extraImport)).toEqual([]);
  });
});
