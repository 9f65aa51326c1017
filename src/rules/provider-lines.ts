/**
 * The provider traps (provider-versions.ts) per line of provider releases, as the table the README and docs/rules.md
 * show: which line has which trap, so a user of cdktn's or `cdktf get` bindings for a later release sees what their
 * version can and cannot express. Generated, never written by hand: scripts/gen-rules-doc.ts writes it into both.
 */
import { PROVIDER_TRAPS, ProviderTrap, trapStatus, TrapStatus } from './provider-versions';

/** A line of provider releases and the constraint that admits exactly its releases. */
export interface ProviderLine {
  /** Column heading. */
  readonly name: string;
  /** A Terraform version constraint admitting the line's releases. */
  readonly constraint: string;
  /** The first and the first-after-last release of the line, for cells that concern part of it. */
  readonly from: string;
  readonly below?: string;
}

/** The lines: this library's bindings (3.6.2), the rest of 3.x, 4.x before the state change of 4.5.0, and since. */
export const PROVIDER_LINES: readonly ProviderLine[] = [
  { name: '3.6.2', constraint: '= 3.6.2', from: '3.6.2', below: '3.6.3' },
  { name: '3.7 – 3.9', constraint: '>= 3.7.0, < 4.0.0', from: '3.7.0', below: '4.0.0' },
  { name: '4.0 – 4.4', constraint: '>= 4.0.0, < 4.5.0', from: '4.0.0', below: '4.5.0' },
  { name: '4.5 and later', constraint: '>= 4.5.0', from: '4.5.0' },
];

/** A cell: the trap in every release of the line ("yes"), in none ("no"), or from / before a release within it. */
export function lineCell(trap: ProviderTrap, line: ProviderLine): string {
  const status = trapStatus(trap, line.constraint);
  if (status === TrapStatus.ALL) return 'yes';
  if (status === TrapStatus.NONE) return 'no';
  const parts: string[] = [];
  if (trap.affected.from && trap.affected.from !== line.from) parts.push(`from ${trap.affected.from}`);
  if (trap.affected.below && trap.affected.below !== line.below) parts.push(`before ${trap.affected.below}`);
  return parts.join(', ');
}

/** The Markdown table: one row per trap, one column per line, and the rules each trap concerns. */
export function providerLinesMarkdown(): string {
  const header = ['What Terraform cannot express, or mishandles', ...PROVIDER_LINES.map((l) => l.name), 'Rules'];
  const rows = PROVIDER_TRAPS.map((t) => [
    t.title,
    ...PROVIDER_LINES.map((l) => lineCell(t, l)),
    t.rules.length ? t.rules.map((r) => `\`${r}\``).join(', ') : 'none yet',
  ]);
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
