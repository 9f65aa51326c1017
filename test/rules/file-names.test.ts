import * as fs from 'fs';
import * as path from 'path';
import { BUILTIN_RULES } from '../../src/rules/catalog';
import { IRule } from '../../src/rules/rule';

const CATALOG_DIR = path.resolve(__dirname, '..', '..', 'src', 'rules', 'catalog');

/** The rule modules of the catalog directory, by file name without `.ts`. */
function ruleModules(): Map<string, IRule[]> {
  const out = new Map<string, IRule[]>();
  for (const file of fs.readdirSync(CATALOG_DIR).filter((f) => f.endsWith('.ts') && f !== 'index.ts').sort()) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = Object.values(require(path.join(CATALOG_DIR, file))) as any[];
    out.set(file.slice(0, -3), exported.filter((v) => v?.metadata?.id !== undefined && typeof v.check === 'function'));
  }
  return out;
}

describe('each rule file is named after its rule', () => {
  const modules = ruleModules();

  test.each([...modules.keys()])('%s.ts holds one rule, with that id', (name) => {
    expect(modules.get(name)!.map((r) => r.metadata.id)).toEqual([name]);
  });

  test('every rule of the catalog is in its file, and every file in the catalog', () => {
    const inFiles = [...modules.values()].flat();
    expect(BUILTIN_RULES.filter((r) => !inFiles.includes(r)).map((r) => r.metadata.id)).toEqual([]);
    expect(inFiles.filter((r) => !BUILTIN_RULES.includes(r)).map((r) => r.metadata.id)).toEqual([]);
  });
});
