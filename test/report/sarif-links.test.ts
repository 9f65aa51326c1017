/**
 * SARIF links: no placeholder URL reaches code scanning. The package is not published where a URL could name its
 * documentation, so the log names none; each rule carries its help text.
 */
import { toSarif } from '../../src/report/sarif';
import { BUILTIN_RULES } from '../../src/rules/catalog';

test('the SARIF log names no example.invalid URL and every rule has its help text', () => {
  const log = toSarif({ profile: 'hardened', findings: [] } as any, { rules: [...BUILTIN_RULES], version: '0.0.0' });
  expect(JSON.stringify(log)).not.toContain('example.invalid');
  expect(log.runs[0].tool.driver.informationUri).toBeUndefined();
  for (const rule of log.runs[0].tool.driver.rules!) expect(rule.help!.text.length).toBeGreaterThan(20);
});
