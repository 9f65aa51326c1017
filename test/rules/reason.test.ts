import * as fc from 'fast-check';
import { isValidReason, MIN_REASON_CHARS, reasonProblem } from '../../src/rules/reason';

describe('reasonProblem', () => {
  test.each([
    ['', /empty/],
    ['   \t\n  ', /empty/],
    ['\u200b'.repeat(12), /empty/],
    ['\u200d\u2060\ufeff'.repeat(6), /empty/],
    ['\u0007\u001b'.repeat(8), /empty/],
    ['..........', /one character repeated/],
    ['aaaaaaaaaaaa', /one character repeated/],
    ['a a a a a a a a a a', /one character repeated/],
    ['😀😀😀😀😀', /only 5 visible/],
    ['  short  ', /only 5 visible/],
    ['x\u200by\u200bz\u200b', /only 3 visible/],
    ['!?!?!?!?!?!?', /punctuation and symbols only/],
    ['😀😁😂🤣😃😄😅😆😉😊', /punctuation and symbols only/],
  ])('refuses %j', (reason, problem) => {
    expect(reasonProblem(reason)).toMatch(problem);
    expect(isValidReason(reason)).toBe(false);
  });

  test.each([
    'needs NET_RAW for ping',
    'ababababab',
    'Legacy image writes to /var/cache; tracked in OPS-1234',
    'нужен доступ к сети',
    '需要访问主机网络以进行监控',
  ])('accepts %j', (reason) => {
    expect(reasonProblem(reason)).toBeUndefined();
  });

  test.each(['\u202e', '\u202a', '\u2066', '\u2069'])('refuses a bidirectional control (%j) in an otherwise good reason', (control) => {
    expect(reasonProblem(`needs raw device access ${control}24-CES ticket`)).toMatch(/bidirectional control character \(U\+20[26][0-9A-F]\)/);
  });

  test.each(['\u001b[2J', '\u0000', '\u0007', '\u009b'])('refuses a control character (%j) in an otherwise good reason', (control) => {
    expect(reasonProblem(`needs raw device access ${control} ticket SEC-42`)).toMatch(/holds a control character \(U\+00[0-9A-F]{2}\)/);
  });

  test.each([
    'TODO: ...',
    'TODO: explain why root is needed here',
    'todo - the vendor image needs it',
    'FIXME: write the real reason',
    'TBD.',
    'XXX this is temporary',
    '[TODO] fill in before merge',
    '<your reason here>',
    'TODO fill this in later',
    'changeme changeme',
    'Placeholder until the review',
    'fill in: why the port is public',
  ])('refuses a placeholder (%j): convert writes one, and a person must replace it', (reason) => {
    expect(reasonProblem(reason)).toMatch(/is a placeholder \(it starts with "/);
  });

  test.each([
    'Todo app stores its lists under /data on the host',
    'The xxxhdpi asset builder writes into /cache',
    'Placeholders are rendered by the vendor image, which runs as root',
    'A reviewed exception: the todoist sync agent needs NET_BIND_SERVICE',
  ])('accepts a reason that only begins like a marker (%j)', (reason) => {
    expect(reasonProblem(reason)).toBeUndefined();
  });

  test('accepts tabs and line breaks in a reason', () => {
    expect(reasonProblem('needs raw device access:\n\tticket SEC-42\r\n')).toBeUndefined();
  });

  test('accepts right-to-left text, which needs no bidirectional control', () => {
    expect(reasonProblem('נדרשת גישה לרשת המארח לצורך ניטור')).toBeUndefined();
    expect(reasonProblem('يحتاج إلى الوصول إلى شبكة المضيف')).toBeUndefined();
  });

  test('refuses what is not text', () => {
    expect(reasonProblem(undefined)).toMatch(/not text/);
    expect(reasonProblem(null)).toMatch(/not text \(got null\)/);
    expect(reasonProblem(42)).toMatch(/not text/);
  });

  test('padding a short reason with invisible characters never makes it valid', () => {
    const invisible = fc.constantFrom(' ', '\t', '\n', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u0000', '\u001b');
    fc.assert(fc.property(
      fc.string({ minLength: 0, maxLength: MIN_REASON_CHARS - 1, unit: 'grapheme-ascii' }).map((s) => s.replace(/\s/g, '')),
      fc.array(invisible, { maxLength: 40 }),
      (short, padding) => {
        const mixed = [...short].map((c, i) => c + (padding[i] ?? '')).join('') + padding.join('');
        return !isValidReason(mixed);
      },
    ));
  });
});
