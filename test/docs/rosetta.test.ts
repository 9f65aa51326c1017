import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkJava, checkPython } from '../../scripts/rosetta-bindings';
import {
  completeSource, dedupeImportNames, diagnosticInMarkdown, documentationFiles, fillMarkedBlocks, markedBlocks, OTHER_LANGUAGES_DOC, ROOT,
  TranslatedExample, typescriptExamples,
} from '../../scripts/rosetta-docs';

/**
 * scripts/rosetta-docs.ts (task `rosetta`, a CI step) compiles the docs' examples with jsii-rosetta, which needs the
 * compiled assembly: too slow for every test run. These tests cover what it decides on its own (which blocks are
 * examples, with which fixture, where translations go, what a hand-written translation is checked for) and that
 * the committed page lists the examples the docs hold now.
 */

describe('the examples of a Markdown file', () => {
  const md = [
    '# t', //                             1
    '```ts', //                           2
    "new HardenedContainer(stack, 'a', { image: 'x' });",
    '```',
    '```sh',
    'npx cdktf synth',
    '```',
    '1. In a list:',
    '',
    '   ```ts fixture=cdk-terrain', //   10
    '   const app = new App();', //      11
    '     app.synth();',
    '   ```',
    '````typescript nofixture',
    '```ts',
    '````',
  ].join('\n');

  test('are the ts and typescript blocks, with the line of their first code line and their parameters', () => {
    const found = typescriptExamples('docs/x.md', md);
    expect(found.map((e) => [e.line, e.parameters])).toEqual([[3, {}], [11, { fixture: 'cdk-terrain' }], [15, { nofixture: '' }]]);
    // A fence indented in a list item: the code loses that indentation only.
    expect(found[1].source).toBe('const app = new App();\n  app.synth();');
    // A longer fence closes only on a fence as long: the inner ``` is code.
    expect(found[2].source).toBe('```ts');
  });
});

describe('the complete source of an example', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rosetta-fixtures-'));
  fs.writeFileSync(path.join(dir, 'default.ts-fixture'), "import { App } from 'cdktf';\ndeclare const app: App;\n/// here\n");
  fs.writeFileSync(path.join(dir, 'other.ts-fixture'), 'declare const x: number;\n/// here\n');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const example = (source: string, parameters: Record<string, string> = {}) => ({ file: 'docs/x.md', line: 7, source, parameters });

  test('puts an example in the default fixture, shown between !show and !hide', () => {
    expect(completeSource(example('app.synth();'), dir)).toBe(
      "import { App } from 'cdktf';\ndeclare const app: App;\n/// !show\napp.synth();\n/// !hide\n");
  });

  test('hoists an example\'s imports above its fixture (as jsii-rosetta does), or leaves it alone with nofixture', () => {
    const own = "import { App } from 'cdktf';\nnew App();";
    expect(completeSource(example(own, { fixture: 'other' }), dir)).toBe(
      "// the example's imports, hoisted\n/// !show\nimport { App } from 'cdktf';\n/// !hide\ndeclare const x: number;\n/// !show\n\nnew App();\n/// !hide\n");
    expect(completeSource(example(own, { nofixture: '' }), dir)).toBe(own);
  });

  test('a compiler error is placed at the line and column of the Markdown file, past the fixture and hoisting', () => {
    // docs.x.md-L7.ts is how rosetta names the example at line 7 of docs/x.md; ESC[..m: its colours.
    const at = (line: number, e = example("import { App } from 'cdktf';\nconst a = 1;\nnew App(a, b);")) =>
      diagnosticInMarkdown(`\x1b[96mdocs.x.md-L7.ts\x1b[0m:${line}:9 - error TS2304: Cannot find name 'b'.\n`, [e], dir);
    // Complete source: 1 comment, 2 !show, 3 the import, 4 !hide, 5-6 the fixture, 7 !show, 8 (rest of the import
    // line), 9 const a, 10 new App(a, b), 11 !hide.
    expect(at(10)).toBe("docs/x.md:9:9: TS2304: Cannot find name 'b'.");
    expect(at(3)).toBe("docs/x.md:7:9: TS2304: Cannot find name 'b'.");
    expect(at(5)).toBe("docs/x.md:7: in the fixture of this example, line 5: TS2304: Cannot find name 'b'.");
    // Without imports: 1-2 the fixture, 3 !show, 4 the example's first line.
    expect(at(4, example('new App(a, b);'))).toBe("docs/x.md:7:9: TS2304: Cannot find name 'b'.");
    expect(diagnosticInMarkdown('docs.other.md-L7.ts:1:1 - error TS1: x', [example('x;')], dir)).toBeUndefined();
  });

  test('names the example and the fixture file when the fixture it asks for does not exist', () => {
    expect(() => completeSource(example('x;', { fixture: 'nope' }), dir)).toThrow(/^docs\/x\.md:7: fixture=nope: no .*nope\.ts-fixture/);
  });

  test('every example of the README and the docs finds the fixture it names', () => {
    for (const file of documentationFiles()) {
      for (const e of typescriptExamples(file, fs.readFileSync(path.join(ROOT, file), 'utf8'))) {
        expect(() => completeSource(e)).not.toThrow();
      }
    }
  });
});

describe('translations in the docs', () => {
  const GENERATED = '<!-- rosetta: python and java of the TypeScript above; generated by `npx projen rosetta`, do not edit -->';
  const BY_HAND = '<!-- rosetta: python and java of the TypeScript above, by hand; checked by `npx projen rosetta` against the generated bindings -->';
  const md = ['```ts', 'a();', '```', GENERATED, '```python', 'old()', '```', '', '```java', 'old();', '```', 'after',
    '```ts', 'b();', '```', BY_HAND, '```python', 'mine()', '```', '```java', 'mine();', '```', ''].join('\n');
  const translations: TranslatedExample[] = [
    { example: { file: 'd.md', line: 2, source: 'a();', parameters: {} }, python: 'a()\n', java: 'a();\n' },
    { example: { file: 'd.md', line: 14, source: 'b();', parameters: {} }, python: 'b()', java: 'b();' },
  ];

  test('the blocks under a generated marker are replaced by the translation of the example above; by hand stays', () => {
    expect(fillMarkedBlocks('d.md', md, translations)).toBe(md.replace('old()', 'a()').replace('old();', 'a();'));
  });

  test('a generated marker with no blocks yet gets them', () => {
    const bare = ['```ts', 'a();', '```', GENERATED, 'after'].join('\n');
    expect(fillMarkedBlocks('d.md', bare, translations)).toBe(
      ['```ts', 'a();', '```', GENERATED, '```python', 'a()', '```', '', '```java', 'a();', '```', 'after'].join('\n'));
  });

  test('markers are read with the example above them, and whether they are by hand', () => {
    expect(markedBlocks('d.md', md).map((m) => [m.line, m.exampleLine, m.byHand, m.blocks.map((b) => b.code), m.missing]))
      .toEqual([[4, 2, false, ['old()', 'old();'], []], [16, 14, true, ['mine()', 'mine();'], []]]);
    expect(() => markedBlocks('d.md', `${GENERATED}\n`)).toThrow(/^d\.md:1: a rosetta marker with no TypeScript example above it/);
  });

  test('rosetta\'s struct import line names each struct once', () => {
    expect(dedupeImportNames('from m import HealthCheck, PublishedPort, HealthCheck\nx = 1\n')).toBe('from m import HealthCheck, PublishedPort\nx = 1\n');
  });
});

describe('hand-written translations against the generated bindings', () => {
  // Shaped like jsii-pacmak's output (python/src/<module>/__init__.py, one Java file per type).
  const moduleSource = [
    'class Results(metaclass=jsii.JSIIMeta, jsii_type="x.Results"):',
    '    @jsii.member(jsii_name="pass")',
    '    @builtins.classmethod',
    '    def pass_(cls, message=None) -> "RuleResult":',
    '        ...',
    '',
    '@jsii.data_type(jsii_type="x.RuleMetadata")',
    'class RuleMetadata:',
    '    def __init__(',
    '        self,',
    '        *,',
    '        id: builtins.str,',
    '        title: builtins.str,',
    '    ) -> None:',
    '        ...',
    '',
    '@jsii.interface(jsii_type="x.IRule")',
    'class IRule(typing_extensions.Protocol):',
    '    def metadata(self) -> "RuleMetadata":',
    '        ...',
    '    def check(self, *, image=None) -> "RuleResult":',
    '        ...',
    '',
    '@jsii.data_type(jsii_type="x.ContainerSpec")',
    'class ContainerSpec:',
    '    def image(self) -> typing.Optional[builtins.str]:',
    '        ...',
    '',
  ].join('\n');
  const python = [
    'import jsii',
    'from cdktf_hardened_docker import ContainerSpec, IRule, Results, RuleMetadata',
    '',
    '@jsii.implements(IRule)',
    'class Mine:',
    '    @property',
    '    def metadata(self) -> RuleMetadata:',
    '        return RuleMetadata(id="a", title="b")',
    '',
    '    def check(self, spec: ContainerSpec):',
    '        return Results.pass_() if spec.image else Results.pass_()',
    '',
  ].join('\n');

  test('Python that uses only names the bindings have passes', () => {
    expect(checkPython(python, { moduleSource })).toEqual([]);
  });

  test.each([
    ['an import the module lacks', python.replace('RuleMetadata\n', 'RuleMetadata, Gone\n'), /imports Gone/],
    ['a static member the class lacks', python.replace('Results.pass_() if', 'Results.pass() if'), /Results\.pass: Results has no member pass/],
    ['a constructor keyword the struct lacks', python.replace('title="b"', 'headline="b"'), /RuleMetadata\(headline=\.\.\.\): no such parameter/],
    ['a method of the interface that does not exist', python.replace('def check(', 'def verify('), /Mine\.verify \(implements IRule\): IRule has no member verify/],
    ['an attribute of an annotated parameter', python.replace('spec.image', 'spec.img'), /spec\.img: ContainerSpec has no member img/],
  ])('Python with %s is reported', (_, code, expected) => {
    expect(checkPython(code, { moduleSource }).join('\n')).toMatch(expected);
  });

  const javaFiles: Record<string, string> = {
    Results: 'public class Results { public static RuleResult pass() {} public static RuleResult fail(final String message) {} }',
    RuleMetadata: 'public interface RuleMetadata { String getId(); static Builder builder() {} final class Builder { public Builder id(String id) {} public Builder title(String t) {} public RuleMetadata build() {} } }',
    IRule: 'public interface IRule { RuleMetadata getMetadata(); RuleResult check(final ContainerSpec spec); }',
    ContainerSpec: 'public interface ContainerSpec { String getImage(); }',
  };
  const bindings = (name: string) => javaFiles[name];
  const java = [
    'import io.github.cdktf_hardened_docker.ContainerSpec;',
    'import io.github.cdktf_hardened_docker.IRule;',
    'import io.github.cdktf_hardened_docker.Results;',
    'import io.github.cdktf_hardened_docker.RuleMetadata;',
    '',
    'public class Mine implements IRule {',
    '    @Override',
    '    public RuleMetadata getMetadata() {',
    '        return RuleMetadata.builder().id("a").title(String.valueOf(1)).build();',
    '    }',
    '    @Override',
    '    public RuleResult check(ContainerSpec spec) {',
    '        return spec.getImage() == null ? Results.fail("none") : Results.pass();',
    '    }',
    '}',
  ].join('\n');

  test('Java that uses only names the bindings have passes', () => {
    expect(checkJava(java, bindings)).toEqual([]);
  });

  test.each([
    ['an import the bindings lack', java.replace('import io.github.cdktf_hardened_docker.IRule;', 'import io.github.cdktf_hardened_docker.IRule;\nimport io.github.cdktf_hardened_docker.Gone;'), /Gone, which the generated bindings do not define/],
    ['a builder step the struct lacks', java.replace('.title(', '.headline('), /RuleMetadata\.builder\(\)\.headline\(\): RuleMetadata has no method headline/],
    ['a static method the class lacks', java.replace('Results.pass()', 'Results.pass_()'), /Results\.pass_\(\): Results has no method pass_/],
    ['an override the interface lacks', java.replace('check(ContainerSpec', 'verify(ContainerSpec'), /Mine\.verify \(implements IRule\): IRule has no method verify/],
    ['a getter of a declared parameter', java.replace('getImage', 'getImg'), /spec\.getImg\(\): ContainerSpec has no method getImg/],
  ])('Java with %s is reported', (_, code, expected) => {
    expect(checkJava(code, bindings).join('\n')).toMatch(expected);
  });
});

test('docs/other-languages.md lists as many examples per file as the README and the docs hold now', () => {
  const page = fs.readFileSync(path.join(ROOT, OTHER_LANGUAGES_DOC), 'utf8');
  const listed = [...page.matchAll(/^### (\S+), example (\d+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
  const present = documentationFiles().flatMap((file) =>
    typescriptExamples(file, fs.readFileSync(path.join(ROOT, file), 'utf8')).map((e, i) => `${e.file} ${i + 1}`));
  if (listed.join('\n') !== present.join('\n')) {
    throw new Error(`${OTHER_LANGUAGES_DOC} is stale (examples added or removed): run \`npx projen rosetta -- --write\` and commit it`);
  }
});
