import * as fs from 'fs';
import * as path from 'path';
import { display } from '../../src/spec/display-path';

describe('display: a file as reports name it', () => {
  test('relative to the working directory, with / separators; the base name for the directory itself', () => {
    const cwd = path.resolve('/work', 'project');
    expect(display(path.join(cwd, 'stack', 'main.tf'), cwd)).toBe('stack/main.tf');
    expect(display(path.resolve(cwd, '..', 'other', 'compose.yaml'), cwd)).toBe('../other/compose.yaml');
    expect(display(cwd, cwd)).toBe('project');
  });

  test('defined once: every reader and the CLI use this one (no second copy of its body in src/)', () => {
    const copies: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const abs = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(abs);
        else if (entry.name.endsWith('.ts') && fs.readFileSync(abs, 'utf8').match(/const rel = path\.relative\(.*\|\| path\.basename\(/)) copies.push(path.relative(SRC, abs));
      }
    };
    walk(SRC);
    expect(copies).toEqual([path.join('spec', 'display-path.ts')]);
  });
});

const SRC = path.resolve(__dirname, '..', '..', 'src');
