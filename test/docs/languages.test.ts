import * as fs from 'fs';
import * as path from 'path';

/**
 * The jsii targets (package.json, from .projenrc.ts) name the four packages, and the docs' Python examples import
 * what that package is called; scripts/pacmak-code-only.sh generates the code itself in CI.
 */
const ROOT = path.join(__dirname, '..', '..');
const targets = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).jsii.targets;

function codeBlocks(language: string): { file: string; code: string }[] {
  const out: { file: string; code: string }[] = [];
  const files = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f))];
  for (const file of files) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    for (const m of text.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))) out.push({ file, code: m[1] });
  }
  return out;
}

test('the four jsii targets are configured with names', () => {
  expect(targets.python).toEqual({ distName: expect.stringMatching(/^[a-z][a-z0-9-]+$/), module: expect.stringMatching(/^[a-z][a-z0-9_]+$/) });
  expect(targets.java).toEqual({
    package: expect.stringMatching(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/),
    maven: { groupId: expect.any(String), artifactId: expect.any(String) },
  });
  expect(targets.dotnet).toEqual({ namespace: expect.stringMatching(/^[A-Z]\w*(\.[A-Z]\w*)*$/), packageId: expect.any(String) });
  expect(targets.go).toEqual({ moduleName: expect.stringMatching(/^[a-z0-9.-]+\/[\w.-]+\/[\w.-]+$/), packageName: expect.stringMatching(/^[a-z]+$/) });
});

test('the docs\' Python examples import the configured Python module', () => {
  const imports = codeBlocks('python').flatMap(({ file, code }) =>
    [...code.matchAll(/^(?:from|import) ([\w.]+)/gm)].map((m) => [file, m[1]]).filter(([, name]) => /hardened/.test(name)));
  expect(imports.length).toBeGreaterThan(0);
  for (const [file, name] of imports) expect([file, name]).toEqual([file, targets.python.module]);
});
