/**
 * Compiles every TypeScript example of README.md and docs/*.md with jsii-rosetta in strict mode, translates each to
 * Python and Java, and checks (or, with `--write`, rewrites) the generated blocks of docs/other-languages.md and the
 * Python and Java blocks that follow a `<!-- rosetta: ... -->` marker in the docs. Task `npx projen rosetta`
 * (it compiles the assembly first); by hand, after `npx projen compile`:
 *   npx ts-node --transpile-only scripts/rosetta-docs.ts [--write] [FILE.md ...]
 * Exits 1 naming file:line of each example that does not compile or translate, or each stale generated block.
 * Offline: the examples compile against this repository's `lib/` and `node_modules`, linked into a temporary directory.
 *
 * Why a script and not `jsii-rosetta extract --strict`: `extract` reads only the examples in the assembly (the README
 * and doc comments), not docs/*.md. This script feeds rosetta the same kind of snippets (fixtures from `rosetta/`,
 * `/// !show` and `/// !hide`, `fixture=NAME` / `nofixture` after the fence's language) through its public API.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, mkdirSync, writeFileSync } from 'fs';
import { execFileSync } from 'child_process';
import { tmpdir } from 'os';
import { dirname, join, relative } from 'path';
import * as ts from 'typescript';
import { checkJava, checkPython, JAVA_PACKAGE, PYTHON_MODULE } from './rosetta-bindings';

export const ROOT = join(__dirname, '..');
export const FIXTURE_DIR = join(ROOT, 'rosetta');
export const OTHER_LANGUAGES_DOC = 'docs/other-languages.md';
export const COMMAND = 'npx projen rosetta';

/** A fenced TypeScript block of a Markdown file. */
export interface MarkdownExample {
  /** Path relative to the repository root. */
  readonly file: string;
  /** 1-based line of the block's first code line. */
  readonly line: number;
  /** The code, without the fence's indentation. */
  readonly source: string;
  /** Rosetta parameters written after the language: `fixture=NAME`, `nofixture`. */
  readonly parameters: Readonly<Record<string, string>>;
}

const FENCE = /^( {0,3})(`{3,}|~{3,})\s*([^`\s]*)(.*)$/;
const TYPESCRIPT = new Set(['ts', 'typescript']);

/** The fenced blocks whose language is `ts` or `typescript`, with their line and parameters. */
export function typescriptExamples(file: string, markdown: string): MarkdownExample[] {
  const lines = markdown.split('\n');
  const examples: MarkdownExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, language, rest] = open;
    const close = new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`);
    let end = i + 1;
    while (end < lines.length && !close.test(lines[end])) end++;
    if (TYPESCRIPT.has(language.toLowerCase())) {
      const body = lines.slice(i + 1, end).map((l) => stripIndent(l, indent.length));
      examples.push({ file, line: i + 2, source: body.join('\n'), parameters: parseParameters(rest) });
    }
    i = end;
  }
  return examples;
}

/** A fence inside a list item is indented; so is its code (CommonMark removes up to the fence's indentation). */
function stripIndent(line: string, width: number): string {
  let n = 0;
  while (n < width && line[n] === ' ') n++;
  return line.slice(n);
}

function parseParameters(text: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const eq = word.indexOf('=');
    if (eq < 0) parameters[word] = '';
    else parameters[word.slice(0, eq)] = word.slice(eq + 1);
  }
  return parameters;
}

/**
 * The complete source rosetta compiles: the example inside its fixture (`rosetta/NAME.ts-fixture` with
 * `fixture=NAME`, else `rosetta/default.ts-fixture`; none with `nofixture`), the example's imports hoisted above it,
 * everything but the example hidden: what jsii-rosetta does with an assembly's examples, so that the README's
 * examples compile the same way under `jsii-rosetta extract` (which this script also runs).
 */
export function completeSource(example: MarkdownExample, fixtureDir = FIXTURE_DIR): string {
  if ('nofixture' in example.parameters) return example.source;
  const { imports, statements } = sidelineImports(example.source);
  const name = example.parameters.fixture || 'default';
  const path = join(fixtureDir, `${name}.ts-fixture`);
  if (!existsSync(path)) {
    if (example.parameters.fixture) {
      throw new Error(`${example.file}:${example.line}: fixture=${name}: no ${relative(ROOT, path)}; fixtures are rosetta/*.ts-fixture`);
    }
    return example.source;
  }
  const fixture = readFileSync(path, 'utf8');
  const here = /^[ \t]*\/\/\/[ \t]*here[ \t]*$/m;
  if (!here.test(fixture)) throw new Error(`${relative(ROOT, path)}: no "/// here" line, where the example goes`);
  const body = fixture.replace(here, () => ['/// !show', statements, '/// !hide'].join('\n'));
  // Not '/// !show' on the first line: rosetta reads a first line starting with '/// ' as its parameters and drops it.
  return imports ? ['// the example\'s imports, hoisted', '/// !show', imports, '/// !hide', body].join('\n') : body;
}

function sidelineImports(source: string): { imports: string; statements: string } {
  const file = ts.createSourceFile('example.ts', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  let imports = '';
  let statements = '';
  for (const s of file.statements) {
    if (ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s)) imports += s.getFullText(file);
    else statements += s.getFullText(file);
  }
  // Trailing comments after the last statement belong to the example too.
  statements += source.slice(file.statements.length ? file.statements[file.statements.length - 1].getEnd() : 0);
  // Leading newlines stay: rosetta renders the line break between the hoisted imports and the example from them.
  return { imports, statements };
}

/**
 * The line of the Markdown file that a line of an example's complete source (fixture included) comes from, or
 * undefined for a line of the fixture. The example's imports come first in it (hoisted above the fixture), then the
 * rest, as completeSource arranges them.
 */
export function markdownLine(example: MarkdownExample, completeLine: number, fixtureDir = FIXTURE_DIR): number | undefined {
  const complete = completeSource(example, fixtureDir);
  if (complete === example.source) return example.line + completeLine - 1;
  const lines = complete.split('\n');
  const shows = lines.flatMap((l, i) => (l === '/// !show' ? [i] : []));
  const hides = lines.flatMap((l, i) => (l === '/// !hide' ? [i] : []));
  const { imports } = sidelineImports(example.source);
  const importLines = imports ? imports.split('\n').length - 1 : 0;
  const index = completeLine - 1;
  for (let n = 0; n < shows.length; n++) {
    if (index <= shows[n] || index >= hides[n]) continue;
    const k = index - shows[n] - 1;
    const isImports = imports !== '' && n === 0;
    return example.line + (isImports ? k : importLines + k);
  }
  return undefined;
}

const DIAGNOSTIC = /(\S+)-L(\d+)\.ts:(\d+):(\d+) - (?:error|warning) (TS\d+): (.*)/;

/** A rosetta diagnostic as `file.md:line:column: TSxxxx: message`, from its snippet's name and position. */
export function diagnosticInMarkdown(formattedMessage: string, examples: readonly MarkdownExample[], fixtureDir = FIXTURE_DIR): string | undefined {
  // eslint-disable-next-line no-control-regex
  const m = DIAGNOSTIC.exec(formattedMessage.replace(/\x1b\[[0-9;]*m/g, ''));
  if (!m) return undefined;
  const [, name, exampleLine, line, column, code, message] = m;
  const example = examples.find((e) => e.file.replace(/\//g, '.') === name && e.line === Number(exampleLine));
  if (!example) return undefined;
  const at = markdownLine(example, Number(line), fixtureDir);
  return at === undefined
    ? `${example.file}:${example.line}: in the fixture of this example, line ${line}: ${code}: ${message}`
    : `${example.file}:${at}:${column}: ${code}: ${message}`;
}

/** The Markdown files whose examples are checked: README.md and docs/*.md but the page this script writes. */
export function documentationFiles(root = ROOT): string[] {
  const docs = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)
    .filter((f) => f !== OTHER_LANGUAGES_DOC);
  return ['README.md', ...docs];
}

/** One example and its translations. */
export interface TranslatedExample {
  readonly example: MarkdownExample;
  readonly python: string;
  readonly java: string;
}

/**
 * A marker line after a TypeScript example, followed by one fenced block per language it names:
 * - `<!-- rosetta: python and java of the TypeScript above; generated by \`npx projen rosetta\`, do not edit -->`:
 *   the blocks are rosetta's translation (rewritten by `--write`, compared otherwise);
 * - `<!-- rosetta: python and java of the TypeScript above, by hand; checked by \`npx projen rosetta\` against the
 *   generated bindings -->`: for what rosetta cannot translate; checked by scripts/rosetta-bindings.ts.
 */
const MARKER = /^<!-- rosetta: (python|java)(?: and (python|java))? of the TypeScript above(; generated by|, by hand;) .*-->$/;

/** A marker and the blocks under it. */
export interface MarkedBlocks {
  /** 1-based line of the marker. */
  readonly line: number;
  readonly byHand: boolean;
  /** Line of the TypeScript example above (the nearest one). */
  readonly exampleLine: number;
  readonly blocks: ReadonlyArray<{ readonly language: 'python' | 'java'; readonly code: string; readonly line: number }>;
  /** The languages the marker names that have no block under it. */
  readonly missing: ReadonlyArray<'python' | 'java'>;
  /** 0-based index of the first line after the marker's blocks. */
  readonly end: number;
}

/** The markers of a document, with the blocks under each (blank lines between blocks allowed). */
export function markedBlocks(file: string, markdown: string): MarkedBlocks[] {
  const lines = markdown.split('\n');
  const examples = typescriptExamples(file, markdown);
  const found: MarkedBlocks[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i]);
    if (!marker) continue;
    const above = [...examples].reverse().find((e) => e.line < i + 1);
    if (!above) throw new Error(`${file}:${i + 1}: a rosetta marker with no TypeScript example above it`);
    const languages = [marker[1], marker[2]].filter(Boolean) as Array<'python' | 'java'>;
    const blocks: Array<{ language: 'python' | 'java'; code: string; line: number }> = [];
    const missing: Array<'python' | 'java'> = [];
    let j = i + 1;
    for (const language of languages) {
      let k = j;
      while (k < lines.length && lines[k].trim() === '') k++;
      const open = k < lines.length ? /^(`{3,})(\w*)\s*$/.exec(lines[k]) : null;
      if (!open || open[2] !== language) {
        missing.push(language);
        continue;
      }
      let close = k + 1;
      while (close < lines.length && lines[close] !== open[1]) close++;
      blocks.push({ language, code: lines.slice(k + 1, close).join('\n'), line: k + 2 });
      j = close + 1;
    }
    found.push({ line: i + 1, byHand: marker[3] !== '; generated by', exampleLine: above.line, blocks, missing, end: j });
    i = j - 1;
  }
  return found;
}

/** The document with the blocks under each `generated` marker replaced by the translation of the example above. */
export function fillMarkedBlocks(file: string, markdown: string, translations: readonly TranslatedExample[]): string {
  const lines = markdown.split('\n');
  const out: string[] = [];
  let next = 0;
  for (const m of markedBlocks(file, markdown)) {
    if (m.byHand) continue;
    const t = translations.find((x) => x.example.file === file && x.example.line === m.exampleLine);
    if (!t) throw new Error(`${file}:${m.line}: no translation of the example at line ${m.exampleLine}`);
    out.push(...lines.slice(next, m.line));
    const languages = [...m.blocks.map((b) => b.language), ...m.missing];
    languages.forEach((language, n) => {
      if (n > 0) out.push('');
      out.push('```' + language, t[language].replace(/\n+$/, ''), '```');
    });
    next = m.end;
  }
  out.push(...lines.slice(next));
  return out.join('\n');
}

/** An example whose Python and Java are written by hand, under it (rosetta cannot translate it). */
export interface HandTranslated {
  readonly example: MarkdownExample;
}

/** docs/other-languages.md: every example of the README and the docs, in TypeScript, Python and Java. */
export function otherLanguagesDoc(translations: readonly TranslatedExample[], byHand: readonly HandTranslated[] = []): string {
  const parts = [
    '# The examples in Python and Java',
    '',
    '<!-- Generated by `npx projen rosetta` (scripts/rosetta-docs.ts) from README.md and docs/*.md: do not edit. -->',
    '',
    'Every TypeScript example of the README and of these docs, translated by jsii-rosetta to the Python and Java of',
    'the jsii packages (README, "Other languages"). `npx projen rosetta` (a CI step) compiles each example in',
    'rosetta\'s strict mode against the library, translates it and compares this page with the result: an example',
    'that stops compiling, or a page that differs from what rosetta produces, fails the build. `npx projen rosetta',
    '-- --write` rewrites this page and the generated blocks in the docs. The setup an example takes for granted (an',
    '`app`, a `stack`, the library\'s imports) is in `rosetta/*.ts-fixture` and is not shown.',
    '',
    'rosetta translates calls of the library faithfully (`HardenedContainer(stack, "worker", image=...)` in Python,',
    '`HardenedContainer.Builder.create(stack, "worker").image(...).build()` in Java). It cannot translate a class that',
    'implements one of the library\'s interfaces (a custom rule): the docs show those in Python and Java written by',
    'hand, and the same command checks every name they use against the bindings jsii-pacmak generates.',
  ];
  const entries = [
    ...translations.map((t) => ({ example: t.example, t, hand: undefined as HandTranslated | undefined })),
    ...byHand.map((h) => ({ example: h.example, t: undefined as TranslatedExample | undefined, hand: h })),
  ].sort((a, b) => fileOrder(a.example.file) - fileOrder(b.example.file) || a.example.file.localeCompare(b.example.file) || a.example.line - b.example.line);
  // Numbered per file rather than by line, so that an edit of the prose around the examples leaves this page as is.
  let file = '';
  let link = '';
  let n = 0;
  for (const { example, t, hand } of entries) {
    if (example.file !== file) {
      file = example.file;
      link = file === 'README.md' ? '../README.md' : file.replace(/^docs\//, '');
      n = 0;
      parts.push('', `## [${file}](${link})`);
    }
    parts.push('', `### ${file}, example ${++n}`, '', '```ts', example.source.replace(/\n+$/, ''), '```');
    if (hand) {
      parts.push('', `Python and Java: by hand, below this example in [${file}](${link}).`);
    } else if (t) {
      parts.push('', '```python', t.python.replace(/\n+$/, ''), '```', '', '```java', t.java.replace(/\n+$/, ''), '```');
    }
  }
  return parts.join('\n') + '\n';
}

function fileOrder(file: string): number {
  return file === 'README.md' ? 0 : 1;
}

/**
 * rosetta's Python import line for the structs an example uses names a struct once per use
 * (`from cdktf_hardened_docker import HealthCheck, PublishedPort, HealthCheck`): each name once.
 */
export function dedupeImportNames(python: string): string {
  return python.replace(/^(from \S+ import )(.+)$/gm, (_, head: string, names: string) =>
    head + [...new Set(names.split(',').map((n) => n.trim()))].join(', '));
}

/**
 * A directory in which the examples compile as a user's app would: `node_modules/cdktf-hardened-docker` is this
 * repository (its `lib/` and `.jsii`), beside the frameworks its examples import. Links only: nothing is installed.
 */
function compilationDirectory(packages: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'rosetta-docs-'));
  const link = (name: string, target: string) => {
    const at = join(dir, 'node_modules', name);
    mkdirSync(dirname(at), { recursive: true });
    symlinkSync(target, at, 'dir');
  };
  link('cdktf-hardened-docker', ROOT);
  for (const name of packages) link(name, join(ROOT, 'node_modules', name));
  // Packages the docs show an app importing (rosetta/packages/): copied, not linked, so that their own imports
  // resolve from this directory's node_modules.
  const extra = join(FIXTURE_DIR, 'packages');
  if (existsSync(extra)) cpSync(extra, join(dir, 'node_modules'), { recursive: true });
  return dir;
}

/** The packages the fixtures and examples import besides this library (cdktn: docs/cdk-terrain.md). */
const EXAMPLE_PACKAGES = ['cdktf', 'constructs', '@cdktf/provider-docker', 'cdktn'];

async function main(argv: readonly string[]): Promise<number> {
  process.env.JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION ??= '1';
  // Loaded here, not at the top: the pure functions above are tested without rosetta's start-up.
  const rosetta = await import('jsii-rosetta');
  const write = argv.includes('--write');
  const files = argv.filter((a) => !a.startsWith('--'));
  const checked = files.length ? files : documentationFiles();

  const assemblyFile = join(ROOT, '.jsii');
  if (!existsSync(assemblyFile) || !existsSync(join(ROOT, 'lib', 'index.d.ts'))) {
    console.error('rosetta: no .jsii or lib/index.d.ts: compile first (`npx projen compile`), or run `npx projen rosetta`');
    return 2;
  }
  const assembly = JSON.parse(readFileSync(assemblyFile, 'utf8'));

  const examples: MarkdownExample[] = [];
  const markers = new Map<string, MarkedBlocks[]>();
  for (const file of checked) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    examples.push(...typescriptExamples(file, text));
    markers.set(file, markedBlocks(file, text));
  }
  const byKey = new Map<string, MarkdownExample>();
  const snippets = examples.map((example) => {
    const snippet = rosetta.typeScriptSnippetFromCompleteSource(
      completeSource(example),
      { api: { api: 'file', fileName: example.file }, field: { field: 'markdown', line: example.line } },
      true, // strict: every example must compile, and translation problems are errors
      { ...example.parameters },
    );
    byKey.set(rosetta.TranslatedSnippet.fromTypeScript(snippet).key, example);
    return snippet;
  });

  const translator = new rosetta.RosettaTranslator({ includeCompilerDiagnostics: true, assemblies: [assembly] });
  const dir = compilationDirectory(EXAMPLE_PACKAGES.filter((p) => existsSync(join(ROOT, 'node_modules', p))));
  let result;
  let extract: { ok: boolean; output: string } | undefined;
  try {
    result = await translator.translateAll(snippets, { compilationDirectory: dir });
    // The README is also the assembly's: jsii-rosetta's own `extract --strict` compiles its examples the same way
    // and writes .jsii.tabl.json, from which jsii-pacmak translates the README of the Python and Java packages.
    if (!files.length) extract = extractAssembly(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // rosetta names the snippet's file after the Markdown file and line: docs.profiles.md-L162.ts:14:11 is line 14 of
  // that example inside its fixture.
  const errors = result.diagnostics.filter((d) => d.isError);
  for (const d of result.diagnostics) {
    process.stderr.write((d.isError ? 'error: ' : 'warning: ') + d.formattedMessage);
    const where = diagnosticInMarkdown(d.formattedMessage, examples);
    if (where) console.error(`rosetta: ${where}`);
  }
  for (const s of result.translatedSnippets.filter((x) => x.snippet.didCompile === false)) {
    const example = byKey.get(s.key);
    console.error(`rosetta: ${example ? `${example.file}:${example.line}` : s.key}: the example does not compile`);
  }
  if (errors.length) {
    console.error(`rosetta: ${errors.length} error(s) in ${examples.length} examples (strict mode): fix the examples, or their fixtures in rosetta/`);
    return 1;
  }

  if (extract && !extract.ok) {
    process.stderr.write(extract.output);
    console.error('rosetta: `jsii-rosetta extract --strict` failed on the assembly\'s README (above)');
    return 1;
  }

  const isByHand = (e: MarkdownExample) => (markers.get(e.file) ?? []).some((m) => m.byHand && m.exampleLine === e.line);
  const translations: TranslatedExample[] = [];
  for (const s of result.translatedSnippets) {
    const example = byKey.get(s.key);
    if (!example) throw new Error(`rosetta returned a snippet it was not given: ${s.key}`);
    const python = s.get(rosetta.TargetLanguage.PYTHON)?.source;
    const java = s.get(rosetta.TargetLanguage.JAVA)?.source;
    if (python === undefined || java === undefined) throw new Error(`${example.file}:${example.line}: no Python or Java translation`);
    translations.push({ example, python: dedupeImportNames(python), java });
  }
  const byHand: HandTranslated[] = [];
  for (const [file, list] of markers) {
    for (const m of list.filter((x) => x.byHand)) {
      byHand.push({ example: examples.find((e) => e.file === file && e.line === m.exampleLine)! });
    }
  }

  const problems = checkHandWritten(markers);
  for (const p of problems) console.error(`rosetta: ${p}`);

  // The generated text: the page of every example, and the blocks under the generated markers.
  const expected = new Map<string, string>();
  if (!files.length) {
    expected.set(OTHER_LANGUAGES_DOC, otherLanguagesDoc(translations.filter((t) => !isByHand(t.example)), byHand));
  }
  for (const file of checked) expected.set(file, fillMarkedBlocks(file, readFileSync(join(ROOT, file), 'utf8'), translations));
  const stale: string[] = [];
  for (const [file, text] of expected) {
    const path = join(ROOT, file);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (current === text) continue;
    if (write) {
      writeFileSync(path, text);
      console.log(`rosetta: wrote ${file}`);
    } else {
      stale.push(file);
    }
  }
  if (stale.length) {
    console.error(`rosetta: the generated translations differ from what rosetta produces now in ${stale.join(', ')}: run \`${COMMAND} -- --write\` and commit the result`);
  }
  if (stale.length || problems.length) return 1;
  const hand = byHand.length ? `; ${byHand.length} hand-written translation(s) checked against the bindings` : '';
  console.log(`rosetta: ${examples.length} examples in ${checked.length} files compile in strict mode and translate to Python and Java${hand}`);
  return 0;
}

/** `jsii-rosetta extract --strict` on this package's assembly, compiling in `dir` (no npm install: offline). */
function extractAssembly(dir: string): { ok: boolean; output: string } {
  try {
    const output = execFileSync('npx', ['jsii-rosetta', 'extract', '--strict', '--directory', dir, join(ROOT, '.jsii')], {
      cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { ok: true, output };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` || err.message };
  }
}

/**
 * Checks the hand-written Python and Java blocks: Python's syntax (python3's parser, when python3 is installed) and,
 * in both, every name of the library against the bindings jsii-pacmak generates from `.jsii` (Python and Java code only).
 */
function checkHandWritten(markers: ReadonlyMap<string, readonly MarkedBlocks[]>): string[] {
  const blocks = [...markers].flatMap(([file, list]) =>
    list.filter((m) => m.byHand).flatMap((m) => [
      ...m.blocks.map((b) => ({ file, ...b })),
      ...m.missing.map((language) => ({ file, language, code: '', line: m.line, missingBlock: true })),
    ]));
  if (!blocks.length) return [];
  const problems: string[] = [];
  const out = mkdtempSync(join(tmpdir(), 'rosetta-bindings-'));
  try {
    execFileSync('npx', ['jsii-pacmak', '--code-only', '--targets', 'python', 'java', '--outdir', out], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    const python = { moduleSource: readFileSync(join(out, 'python', 'src', PYTHON_MODULE, '__init__.py'), 'utf8') };
    const javaDir = join(out, 'java', 'src', 'main', 'java', ...JAVA_PACKAGE.split('.'));
    const java = (name: string) => (existsSync(join(javaDir, `${name}.java`)) ? readFileSync(join(javaDir, `${name}.java`), 'utf8') : undefined);
    for (const b of blocks) {
      const where = `${b.file}:${b.line}`;
      if ('missingBlock' in b) {
        problems.push(`${where}: the marker names ${b.language}, and no \`\`\`${b.language} block follows it`);
        continue;
      }
      const found = b.language === 'python' ? checkPython(b.code, python) : checkJava(b.code, java);
      for (const p of found) problems.push(`${where}: hand-written ${b.language}: ${p}`);
      if (b.language === 'python') problems.push(...pythonSyntax(b.code).map((p) => `${where}: hand-written python: ${p}`));
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return problems;
}

let pythonMissingSaid = false;

/** Python's own parser on the code; nothing when python3 is not installed (said once on standard error). */
function pythonSyntax(code: string): string[] {
  try {
    execFileSync('python3', ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], { input: code, stdio: ['pipe', 'ignore', 'pipe'] });
    return [];
  } catch (e) {
    const err = e as { code?: string; stderr?: Buffer };
    if (err.code === 'ENOENT') {
      if (!pythonMissingSaid) console.error('rosetta: python3 is not installed: the hand-written Python is checked for names only, not syntax');
      pythonMissingSaid = true;
      return [];
    }
    const lines = (err.stderr?.toString() ?? '').trim().split('\n');
    return [`not valid Python: ${lines.slice(-3).join(' ')}`];
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: Error) => {
      console.error(`rosetta: ${e.message}`);
      process.exit(2);
    },
  );
}
