import * as fs from 'fs';
import * as path from 'path';

const SRC = path.resolve(__dirname, '..', '..', 'src');
const MAX_LINES = 450;

/**
 * Files over the limit that their owners split in their own work (issue 17): emptied after those changes are merged.
 * Each entry must still be over the limit, so that a file split stops being excused.
 */
const KNOWN_EXCEPTIONS: readonly string[] = [
  'spec/terraform/json-reader.ts',
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(abs);
    return e.name.endsWith('.ts') ? [path.relative(SRC, abs).split(path.sep).join('/')] : [];
  });
}

function lineCount(rel: string): number {
  return fs.readFileSync(path.join(SRC, rel), 'utf8').split('\n').length - 1;
}

test(`no file in src/ is over ${MAX_LINES} lines`, () => {
  const over = sourceFiles(SRC).filter((f) => !KNOWN_EXCEPTIONS.includes(f)).map((f) => [f, lineCount(f)] as const)
    .filter(([, n]) => n > MAX_LINES);
  expect(over).toEqual([]);
});

test('each known exception is still a file over the limit', () => {
  for (const f of KNOWN_EXCEPTIONS) expect([f, lineCount(f) > MAX_LINES]).toEqual([f, true]);
});
