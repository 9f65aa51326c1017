/** The code model's printer: values read back as written, and the layout prettier would choose. */
import * as fc from 'fast-check';
import * as ts from 'typescript';
import { arr, Code, LINE_WIDTH, newOf, obj, printCode, printModule, quote, ref, str } from '../../src/convert/code';
import { literal } from '../../src/convert/service';
import { durationSeconds, splitCommand } from '../../src/convert/values';

/** Evaluates an expression printed by the printer (TypeScript syntax, transpiled). */
function evaluate(text: string): unknown {
  const js = ts.transpileModule(`module.exports = ${text};`, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
  const m = { exports: undefined as unknown };
  new Function('module', js)(m);
  return m.exports;
}

const jsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' },
    fc.string({ unit: 'binary', maxLength: 40 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 12 }), tie('value'), { maxKeys: 5 })),
})).value;

/** The value as the printer means it: -0 is written `0` (TypeScript has no other literal for it), at any depth. */
function negativeZeroAsZero(v: unknown): unknown {
  if (Object.is(v, -0)) return 0;
  if (Array.isArray(v)) return v.map(negativeZeroAsZero);
  if (v !== null && typeof v === 'object') {
    const out: { [k: string]: unknown } = {};
    for (const [k, x] of Object.entries(v)) {
      Object.defineProperty(out, k, { value: negativeZeroAsZero(x), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return v;
}

test('any value printed at any indentation reads back as the same value', () => {
  fc.assert(fc.property(jsonValue, fc.nat({ max: 8 }), (v, depth) => {
    const text = printCode(literal(v), depth, depth * 2, 1);
    expect(evaluate(text)).toEqual(negativeZeroAsZero(v));
  }), { numRuns: 300 });
});

test('a string literal escapes quotes, backslashes, line breaks and bidirectional controls', () => {
  expect(quote('it\'s a\\b\nc\u2028d\u202ee')).toBe('\'it\\\'s a\\\\b\\nc\\u2028d\\u202ee\'');
});

test('a value stays on one line when it fits, and breaks one item per line with trailing commas when it does not', () => {
  const small = obj([{ key: 'internal', value: literal(80) }, { key: 'hostIp', value: str('127.0.0.1') }]);
  expect(printCode(small, 0, 0)).toBe('{ internal: 80, hostIp: \'127.0.0.1\' }');
  const wide = arr(Array.from({ length: 12 }, (_, i) => str(`item-number-${i}`)));
  expect(printCode(wide, 1, 2)).toBe(`[\n${Array.from({ length: 12 }, (_, i) => `    'item-number-${i}',\n`).join('')}  ]`);
  // A key that is not an identifier is quoted; __proto__ is computed, so that it stays a property.
  expect(printCode(obj([{ key: 'max-size', value: str('10m') }, { key: 'ok_1', value: literal(true) }]), 0, 0)).toBe('{ \'max-size\': \'10m\', ok_1: true }');
  const proto = printCode(obj([{ key: '__proto__', value: str('x') }]), 0, 0);
  expect(Object.keys(evaluate(proto) as object)).toEqual(['__proto__']);
});

test('a comment forces its object to break, and a call hugs its last object argument', () => {
  const props = obj([{ key: 'image', value: str('nginx:1.27'), comments: ['TODO: pin it'] }]);
  expect(printCode(newOf('HardenedContainer', [ref('this'), str('Web'), props]), 2, 4, 1)).toBe(
    'new HardenedContainer(this, \'Web\', {\n      // TODO: pin it\n      image: \'nginx:1.27\',\n    })');
});

test('every line of a module stays within the width, comments wrapped, unless one word is longer', () => {
  const long = 'word '.repeat(60).trim();
  const text = printModule({
    header: [long, `- ${long}`],
    imports: new Map([['cdktf', ['TerraformStack']]]),
    constants: [],
    className: 'S',
    classDoc: [long],
    body: [[{ comments: [long], value: newOf('X', [ref('this'), str('Id'), obj([{ key: 'a', value: str('b'), comments: [long] }])]) }]],
  });
  for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(LINE_WIDTH);
  // A list item continues indented under its text.
  expect(text).toMatch(/\n\/\/ - word[^\n]*\n\/\/ {3}word/);
});

test('compose command strings split as compose splits them, without a shell', () => {
  expect(splitCommand('redis-server --save "" --appendonly no')).toEqual(['redis-server', '--save', '', '--appendonly', 'no']);
  expect(splitCommand('sh -c \'echo $HOME | wc\'')).toEqual(['sh', '-c', 'echo $HOME | wc']);
  expect(splitCommand('a\\ b "c \\"d\\""')).toEqual(['a b', 'c "d"']);
  expect(splitCommand('echo "unclosed')).toBeUndefined();
});

test('durations in compose\'s (Go) syntax', () => {
  expect(durationSeconds('1m30s')).toBe(90);
  expect(durationSeconds('500ms')).toBe(0.5);
  expect(durationSeconds('1h')).toBe(3600);
  expect(durationSeconds('10')).toBe(10);
  expect(durationSeconds('ten seconds')).toBeUndefined();
});

test('code for a reference is written as is', () => {
  const c: Code = arr([ref('Capability.NET_ADMIN'), ref('backendNetwork.name')]);
  expect(printCode(c, 0, 0)).toBe('[Capability.NET_ADMIN, backendNetwork.name]');
});
