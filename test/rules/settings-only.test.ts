/**
 * A built-in rule's check is typed to read only settings (SpecSettings): the compiler refuses one that reads the
 * resource's address, name, construct path or file. Compiled here with the TypeScript compiler API, so the test
 * fails if the type ever lets identity through (test/spec/shared-reading.test.ts proves the same at run time).
 */
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');

/** The diagnostics of a rule module written at src/rules/catalog/<name>.ts with the given check body. */
function compileRule(checkBody: string): string[] {
  const file = path.join(ROOT, 'src', 'rules', 'catalog', 'probe-settings-only.ts');
  const text = [
    "import { defineRule } from '../define';",
    "import { Results, Severity } from '../rule';",
    'export const probe = defineRule({',
    "  id: 'probe', title: 'probe', severity: Severity.INFO, rationale: 'probe', remediation: 'probe',",
    `}, (spec) => { ${checkBody} });`,
  ].join('\n');
  const options: ts.CompilerOptions = {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, skipLibCheck: true, types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile;
  host.readFile = (f) => (path.resolve(f) === file ? text : readFile.call(host, f));
  const fileExists = host.fileExists;
  host.fileExists = (f) => path.resolve(f) === file || fileExists.call(host, f);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('a built-in rule reads only settings', () => {
  test('reading settings compiles', () => {
    expect(compileRule('return spec.privileged === true && spec.kind !== undefined ? Results.fail(String(spec.user)) : Results.pass();')).toEqual([]);
  });

  test.each(['address', 'name', 'constructPath', 'file'])('reading the %s does not', (identity) => {
    const errors = compileRule(`return Results.fail(String(spec.${identity}));`);
    expect(errors).toEqual([expect.stringContaining(`Property '${identity}' does not exist on type 'SpecSettings'`)]);
  });
});
