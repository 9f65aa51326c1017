import { BASELINE_RULE_IDS, RESTRICTED_RULE_IDS } from '../../src/profiles/levels';
import { Profile, ProfileLevel } from '../../src/profiles/profile';
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

describe('a rule\'s level is on its own metadata', () => {
  const RUNS_IN: Record<ProfileLevel, ProfileLevel[]> = {
    [ProfileLevel.BASELINE]: [ProfileLevel.BASELINE, ProfileLevel.RESTRICTED, ProfileLevel.HARDENED],
    [ProfileLevel.RESTRICTED]: [ProfileLevel.RESTRICTED, ProfileLevel.HARDENED],
    [ProfileLevel.HARDENED]: [ProfileLevel.HARDENED],
  };

  test.each(BUILTIN_RULES.map((r) => [r.metadata.id, r] as const))('%s runs in the built-in profiles its level names', (_id, rule) => {
    const level = rule.metadata.level ?? ProfileLevel.HARDENED;
    for (const profile of Object.values(ProfileLevel)) {
      const active = Profile.of(profile).activeRules.some((a) => a.rule === rule);
      expect([profile, active]).toEqual([profile, RUNS_IN[level].includes(profile)]);
    }
  });

  test('the baseline rules say so: host isolation and the provider traps', () => {
    const baseline = BUILTIN_RULES.filter((r) => r.metadata.level === ProfileLevel.BASELINE).map((r) => r.metadata.id);
    expect(baseline).toEqual(expect.arrayContaining(['no-privileged', 'no-host-network', 'no-docker-socket', 'no-cpus-attribute', 'service-tmpfs-size']));
    expect(BUILTIN_RULES.filter((r) => r.metadata.level === ProfileLevel.RESTRICTED).map((r) => r.metadata.id))
      .toEqual(expect.arrayContaining(['drop-all-capabilities', 'no-added-capabilities', 'no-new-privileges', 'non-root-user']));
  });
});
