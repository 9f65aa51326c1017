import { readFileSync } from 'fs';
import { README_PATH, readmeWithProviderLines, REGENERATE_COMMAND, RULES_DOC_PATH } from '../../scripts/gen-rules-doc';
import { lineCell, PROVIDER_LINES, providerLinesMarkdown } from '../../src/rules/provider-lines';
import { PROVIDER_TRAPS, ProviderTrap } from '../../src/rules/provider-versions';

function trap(id: string): ProviderTrap {
  const t = PROVIDER_TRAPS.find((x) => x.id === id);
  if (!t) throw new Error(`test setup: no trap ${id}`);
  return t;
}

const cells = (id: string) => PROVIDER_LINES.map((l) => lineCell(trap(id), l));

describe('the traps per provider line (3.6.2, 3.7-3.9, 4.0-4.4, 4.5+)', () => {
  test.each([
    // The facts of issue 16, read in the provider's CHANGELOG and schemas (v3.6.2 to main of 2026-07-22).
    ['container-cpus-panic', ['yes', 'no', 'no', 'no']], // fixed in 3.7.0
    ['systempaths-unconfined', ['no', 'from 3.8.0', 'yes', 'yes']], // applied client-side from 3.8.0
    ['service-tmpfs-options-panic', ['yes', 'yes', 'no', 'no']], // fixed in 4.0.0
    ['docker-compose-unchecked', ['no', 'no', 'from 4.3.0', 'yes']], // the resource arrived in 4.3.0
    ['state-omits-unconfigured', ['no', 'no', 'no', 'yes']], // 4.5.0
    ['service-no-init', ['yes', 'yes', 'yes', 'no']], // docker_service init: 4.5.0
    ['no-block-io-limits', ['yes', 'yes', 'no', 'no']], // device_read_bps and co: 4.0.0
    ['no-pids-limit', ['yes', 'yes', 'yes', 'yes']],
    ['no-uts-mode', ['yes', 'yes', 'yes', 'yes']],
    ['tmpfs-change-not-applied', ['yes', 'yes', 'yes', 'yes']],
    ['settings-change-not-applied', ['yes', 'yes', 'yes', 'yes']],
    ['ports-ip-default-all-interfaces', ['yes', 'yes', 'yes', 'yes']],
  ])('%s: %j', (id, expected) => {
    expect(cells(id)).toEqual(expected);
  });

  test('a cell names the release within a line where a trap starts or ends', () => {
    const line = { name: 'x', constraint: '>= 4.0.0, < 5.0.0', from: '4.0.0', below: '5.0.0' };
    const t: ProviderTrap = { id: 't', title: 't', summary: 's', affected: { from: '4.2.0', below: '4.6.0' }, rules: [], source: 's' };
    expect(lineCell(t, line)).toBe('from 4.2.0, before 4.6.0');
  });

  test('no trap says a ulimit change is ignored: ulimit is ForceNew, so a change replaces the container', () => {
    const ignoredUlimit = /changed [^.]*`ulimit`[^.(]*never applied|`ulimit` (edits|changes?) (are |is )?not applied|ulimit-change/;
    for (const t of PROVIDER_TRAPS) expect([t.id, ignoredUlimit.test(`${t.id} ${t.title} ${t.summary}`)]).toEqual([t.id, false]);
  });

  test('the table has a row per trap and a column per line', () => {
    const rows = providerLinesMarkdown().split('\n');
    expect(rows).toHaveLength(PROVIDER_TRAPS.length + 2);
    expect(rows[0]).toBe('| What Terraform cannot express, or mishandles | 3.6.2 | 3.7 – 3.9 | 4.0 – 4.4 | 4.5 and later | Rules |');
    for (const t of PROVIDER_TRAPS) expect(rows.some((r) => r.startsWith(`| ${t.title.replace(/\|/g, '\\|')} |`))).toBe(true);
  });

  test('the README and docs/rules.md show the table generated from src/rules/provider-versions.ts', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    if (readmeWithProviderLines(readme) !== readme) {
      throw new Error(`README.md's per-provider-line table is stale: run \`${REGENERATE_COMMAND}\` and commit the result.`);
    }
    expect(readFileSync(RULES_DOC_PATH, 'utf8')).toContain(providerLinesMarkdown());
  });

  test('a README without the markers is refused, naming them', () => {
    expect(() => readmeWithProviderLines('# x\n')).toThrow(/provider-lines/);
  });
});
