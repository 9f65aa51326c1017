import * as fc from 'fast-check';
import { cli, tempDir, writeTfJson } from './helpers';
import { escapeControls, oneLine } from '../../src/report/escape';

// Characters that must never reach a report raw (besides the report's own newlines).
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const ESC_NAME = 'web\u001b[2J\u001b]0;pwned\u0007';
const NEWLINE_REASON = 'reviewed by security team\nhardened-docker: 0 errors';
const BIDI_NAME = 'admin\u202Enimda';

async function reports(format: string) {
  const { dir, cleanup } = tempDir();
  try {
    writeTfJson(dir, 'evil.tf.json', {
      'web\u001b[31m': {
        name: ESC_NAME,
        image: 'x\u009bevil',
        privileged: true,
        labels: [{ label: 'hardened-docker.suppress.read-only-rootfs', value: NEWLINE_REASON }],
      },
      'bidi': { name: BIDI_NAME, image: 'x' },
    });
    return await cli(['check', 'evil.tf.json', '--format', format], { cwd: dir });
  } finally {
    cleanup();
  }
}

describe('control characters from the input are escaped in reports', () => {
  test('text: no raw ESC, C1 or bidi character; a newline in a value does not start a line', async () => {
    const r = await reports('text');
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain('docker_container.web\\u001b[31m (web\\u001b[2J\\u001b]0;pwned\\u0007)');
    expect(r.stdout).toContain('(admin\\u202enimda)');
    expect(r.stdout).toContain('reason: reviewed by security team\\nhardened-docker: 0 errors');
    // The forged summary is not a line of its own: the only summary line is the real one, last.
    const summaries = r.stdout.split('\n').filter((l) => l.startsWith('hardened-docker:'));
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatch(/errors?, /);
    expect(summaries[0]).not.toMatch(/^hardened-docker: 0 errors$/);
  });

  test('html: control and bidi characters shown as escapes', async () => {
    const r = await reports('html');
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain('web\\u001b[2J\\u001b]0;pwned\\u0007');
    expect(r.stdout).toContain('admin\\u202enimda');
  });

  test('junit: control and bidi characters shown as escapes; the body keeps its own line breaks', async () => {
    const r = await reports('junit');
    const bodies = r.stdout.replace(/\n/g, '');
    expect(bodies).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain('classname="docker_container.web\\u001b[31m (web\\u001b[2J\\u001b]0;pwned\\u0007)"');
    expect(r.stdout).toContain('message="suppressed: reviewed by security team\\nhardened-docker: 0 errors"');
    expect(r.stdout).toMatch(/<failure [^>]*>docker_container\.web\\u001b\[31m \(web\\u001b\[2J\\u001b\]0;pwned\\u0007\): privileged = true\nRule: /);
  });

  test('json keeps the exact values (JSON escapes them)', async () => {
    const r = await reports('json');
    const findings = JSON.parse(r.stdout).findings;
    expect(findings.some((f: any) => f.resourceName === ESC_NAME)).toBe(true);
    expect(findings.some((f: any) => f.reason === NEWLINE_REASON)).toBe(true);
  });
});

describe('escapeControls', () => {
  test('property: the result has no unsafe character, and safe text is unchanged', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      const out = escapeControls(s);
      expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      // Lone surrogates are escaped too: the result encodes to UTF-8 and back unchanged.
      expect(Buffer.from(out, 'utf8').toString('utf8')).toBe(out);
    }), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme-ascii' }).filter((s) => !/[\u0000-\u001f\u007f]/.test(s)), (s) => {
      expect(escapeControls(s)).toBe(s);
    }));
  });

  test('oneLine caps the length and escapes', () => {
    expect(oneLine('a\nb')).toBe('a\\nb');
    const long = oneLine('x'.repeat(10_000), 100);
    expect(long).toHaveLength(100);
    expect(long.endsWith('…')).toBe(true);
    // Never cut between the halves of a surrogate pair.
    const emoji = oneLine('x' + '😀'.repeat(100), 10);
    expect(Buffer.from(emoji, 'utf8').toString('utf8')).toBe(emoji);
  });
});
