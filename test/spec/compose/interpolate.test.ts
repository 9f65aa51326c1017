import * as fc from 'fast-check';
import { interpolate, InterpolationError, parseEnvFile } from '../../../src/spec/compose/interpolate';

const vars = new Map([['SET', 'v'], ['EMPTY', '']]);

describe('compose interpolation', () => {
  test.each([
    ['$SET', 'v', []],
    ['${SET}', 'v', []],
    ['a-${SET}-b', 'a-v-b', []],
    ['${SET:-d}', 'v', []],
    ['${EMPTY:-d}', 'd', []],
    ['${UNSET:-d}', 'd', []],
    ['${EMPTY-d}', '', []],
    ['${UNSET-d}', 'd', []],
    ['${SET:+alt}', 'alt', []],
    ['${EMPTY:+alt}', '', []],
    ['${EMPTY+alt}', 'alt', []],
    ['${UNSET+alt}', '', []],
    ['${UNSET:-${SET}}', 'v', []],
    ['${UNSET:-${OTHER}}', '', ['OTHER']],
    ['$$SET', '$SET', []],
    ['$${SET}', '${SET}', []],
    ['5$', '5$', []],
    ['${UNSET}', '', ['UNSET']],
    ['$UNSET', '', ['UNSET']],
    ['${UNSET?needed}', '', ['UNSET']],
    ['${EMPTY:?needed}', '', ['EMPTY']],
    ['${EMPTY?needed}', '', []],
  ])('%s -> %j, unknown %j', (text, value, unknown) => {
    const r = interpolate(text, vars);
    expect(r.value).toBe(value);
    expect(r.unknownVariables).toEqual(unknown);
  });

  test.each(['${', '${1A}', '${A:x}', '${SET'])('%s is malformed: a clear error', (text) => {
    expect(() => interpolate(text, vars)).toThrow(InterpolationError);
  });

  test('text without $ comes back as it is, and $$ always reads as one $', () => {
    fc.assert(fc.property(fc.string().filter((s) => !s.includes('$')), (s) => {
      expect(interpolate(s, vars)).toEqual({ value: s, unknownVariables: [] });
      expect(interpolate(s.split('').join('$$'), vars).value).toBe(s.split('').join('$'));
    }));
  });
});

describe('.env files', () => {
  test('assignments, export, comments, quotes and references to earlier variables', () => {
    const text = [
      '# a comment',
      'A=1',
      'export B=two # trailing comment',
      "C='${A} literal'",
      'D="line\\nnext ${A}"',
      'E=${A}-${B}',
      'F',
      '',
    ].join('\n');
    const env = parseEnvFile(text, '.env', new Map([['F', 'from-env']]));
    expect(Object.fromEntries(env)).toEqual({ A: '1', B: 'two', C: '${A} literal', D: 'line\nnext 1', E: '1-two', F: 'from-env' });
  });

  test('a line that is not an assignment names its line', () => {
    expect(() => parseEnvFile('A=1\n=oops\n', 'x/.env', new Map())).toThrow(/^x\/\.env:2:1: expected KEY=VALUE/);
  });
});
