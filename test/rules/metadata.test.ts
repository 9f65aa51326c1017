import { readFileSync } from 'fs';
import { join } from 'path';
import { BUILTIN_RULES } from '../../src/rules/catalog';
import { CIS_DOCKER_1_6 } from '../../src/rules/cis';
import { Severity } from '../../src/rules/rule';
import { ResourceKind } from '../../src/spec/container-spec';

/** The CIS ids of the table in cis-docker-benchmark-1.6.md (the project's mapping). */
const CIS_IDS = [
  '4.1', '4.6', '5.2', '5.3', '5.4', '5.5', '5.6', '5.7', '5.8', '5.9', '5.10', '5.11', '5.12', '5.13', '5.14', '5.15',
  '5.16', '5.17', '5.18', '5.19', '5.20', '5.21', '5.22', '5.25', '5.26', '5.27', '5.28', '5.29', '5.30', '5.31', '5.32',
];

/** The controls a docker_container setting can decide (issue 2): each needs at least one rule. */
const DECIDABLE = [
  '4.1', '5.2', '5.3', '5.4', '5.5', '5.6', '5.8', '5.10', '5.11', '5.12', '5.13', '5.14', '5.15', '5.16', '5.17',
  '5.18', '5.19', '5.20', '5.21', '5.22', '5.25', '5.26', '5.27', '5.29', '5.30', '5.31', '5.32',
];

function cisOrder(id: string): number {
  const [major, minor] = id.split('.').map(Number);
  return major * 100 + minor;
}

describe('rule metadata', () => {
  const ids = BUILTIN_RULES.map((r) => r.metadata.id);

  test('ids are unique, stable kebab-case', () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });

  test('the original ids are kept', () => {
    expect(ids).toEqual(expect.arrayContaining(['no-privileged', 'read-only-rootfs', 'pids-limit']));
  });

  test.each(BUILTIN_RULES.map((r) => [r.metadata.id, r] as const))('%s: title, rationale, remediation, severity, CIS ids, appliesTo', (_id, r) => {
    const m = r.metadata;
    expect(m.title.trim().length).toBeGreaterThan(10);
    expect(m.rationale.trim().length).toBeGreaterThan(40);
    expect(m.remediation.trim().length).toBeGreaterThan(20);
    expect(Object.values(Severity)).toContain(m.severity);
    for (const cis of m.cis ?? []) expect(CIS_IDS).toContain(cis);
    for (const kind of m.appliesTo ?? []) expect(Object.values(ResourceKind)).toContain(kind);
    // The fix is given in Terraform terms: an attribute in backticks.
    expect(m.remediation).toMatch(/`[a-z_]+/);
  });

  test('every configuration-decidable CIS control has a rule', () => {
    const covered = new Set(BUILTIN_RULES.flatMap((r) => r.metadata.cis ?? []));
    expect(DECIDABLE.filter((id) => !covered.has(id))).toEqual([]);
  });

  test('catalog order: by CIS id, then the rules beyond CIS', () => {
    const keys = BUILTIN_RULES.map((r) => (r.metadata.cis?.length ? Math.min(...r.metadata.cis.map(cisOrder)) : Infinity));
    expect([...keys].sort((a, b) => a - b)).toEqual(keys);
  });

  test('src/rules/cis.ts lists exactly the ids of cis-docker-benchmark-1.6.md', () => {
    expect(CIS_DOCKER_1_6.map((c) => c.id)).toEqual(CIS_IDS);
  });

  test('the CIS list matches the shared document when it is present', () => {
    // The document lives outside the repository (/work/shared/docs); CI may not have it.
    const doc = join(__dirname, '..', '..', '..', 'shared', 'docs', 'cis-docker-benchmark-1.6.md');
    let text: string;
    try {
      text = readFileSync(doc, 'utf8');
    } catch {
      return;
    }
    const fromDoc = [...text.matchAll(/^\| (\d+\.\d+) \|/gm)].map((m) => m[1]);
    expect(fromDoc).toEqual(CIS_IDS);
  });

  test('provider traps and host-isolation breaks are errors', () => {
    const errors = ['no-privileged', 'no-host-network', 'no-host-pid', 'no-host-ipc', 'no-host-userns', 'no-host-uts',
      'no-host-devices', 'no-docker-socket', 'no-sensitive-host-mounts', 'no-unconfined-seccomp',
      'no-shared-mount-propagation', 'no-dangerous-capabilities', 'no-cpus-attribute', 'service-tmpfs-size'];
    for (const id of errors) expect(BUILTIN_RULES.find((r) => r.metadata.id === id)?.metadata.severity).toBe(Severity.ERROR);
  });
});
