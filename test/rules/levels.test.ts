import { BASELINE_RULE_IDS, RESTRICTED_RULE_IDS } from '../../src/profiles/levels';
import { BUILTIN_RULES } from '../../src/rules/catalog';

const CATALOG = new Set(BUILTIN_RULES.map((r) => r.metadata.id));

describe('levels name real rules', () => {
  test.each([
    ['baseline', BASELINE_RULE_IDS],
    ['restricted', RESTRICTED_RULE_IDS],
  ] as const)('%s names only ids of the catalog, each once', (_level, ids) => {
    expect(ids.filter((id) => !CATALOG.has(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('baseline covers host isolation and the provider traps', () => {
    expect(BASELINE_RULE_IDS).toEqual(expect.arrayContaining([
      'no-privileged', 'no-host-network', 'no-host-pid', 'no-host-ipc', 'no-host-userns', 'no-host-uts', 'no-host-devices',
      'no-docker-socket', 'no-sensitive-host-mounts', 'no-unconfined-seccomp', 'no-shared-mount-propagation',
      'no-cpus-attribute',
    ]));
  });

  test('restricted is baseline plus non-root, no-new-privileges, drop ALL, no added capabilities', () => {
    expect(RESTRICTED_RULE_IDS).toEqual(expect.arrayContaining([...BASELINE_RULE_IDS,
      'non-root-user', 'no-new-privileges', 'drop-all-capabilities', 'no-added-capabilities']));
  });
});
