import * as fs from 'fs';
import * as path from 'path';

const SRC = path.resolve(__dirname, '..', '..', 'src');
const MAX_LINES = 450;

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

test(`no file in src/ is over ${MAX_LINES} lines (issue 17: a file is split by what its parts are about)`, () => {
  const over = sourceFiles(SRC).map((f) => [f, lineCount(f)] as const)
    .filter(([, n]) => n > MAX_LINES);
  expect(over).toEqual([]);
});

