import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { convertCompose, ConvertResult, TODO_REASON } from '../../src/convert/stack';

export const ROOT = path.resolve(__dirname, '..', '..');
export const FIXTURES = path.join(__dirname, 'fixtures');

/** A fresh directory under test/convert (so that the generated stack resolves cdktf from the project), and its removal. */
export function outDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(__dirname, '.out-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Converts a fixture's compose.yaml for a module written in `dir`: the constructs come from this repository's src. */
export function convertFixture(fixture: string, dir: string, className = 'ComposeStack'): ConvertResult {
  const libraryModule = path.relative(dir, path.join(ROOT, 'src')).split(path.sep).join('/');
  return convertCompose([path.join(FIXTURES, fixture, 'compose.yaml')], { cwd: ROOT, className, libraryModule, env: {} });
}

/** The reason the test writes for the n-th opt-out of a fixture (what a person would write). */
export function filledReason(fixture: string, n: number): string {
  return `reviewed for the ${fixture} round trip, weakening ${n}`;
}

/** The stack with every TODO filled in: reasons, digests, user ids. */
export function fillTodos(source: string, fixture: string): string {
  let n = 0;
  return source
    .split(`reason: '${TODO_REASON}'`).reduce((acc, part) => `${acc}reason: '${filledReason(fixture, n++)}'${part}`)
    .replace(/'TODO: sha256 digest of [^']*'/g, `'sha256:${'c'.repeat(64)}'`)
    .replace(/'TODO: numeric UID of [^']*'/g, '\'101:101\'');
}

/** Type-checks files with the project's compiler options; returns the diagnostics as lines. */
export function typeCheck(files: string[]): string[] {
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const program = ts.createProgram(files, { ...parsed.options, rootDir: ROOT, noEmit: true, declaration: false, skipLibCheck: true });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}
