import { evaluate } from '../../src/evaluation/evaluate';
import { Profile } from '../../src/profiles/profile';
import { ruleProviderScope, trapsGuardedBy } from '../../src/rules/provider-versions';
import { ContainerSpec, SpecSource } from '../../src/spec/container-spec';
import { specsFromTerraformJson } from '../../src/spec/terraform-adapter';

function specWithCpus(): ContainerSpec {
  return specsFromTerraformJson({ resource: { docker_container: { web: { name: 'web', image: 'busybox', cpus: '0.5' } } } }, { file: 'main.tf.json' })[0];
}

describe('evaluate under a provider version constraint', () => {
  const profile = Profile.named('hardened');

  test('a guard rule is not applicable where no admitted release has its trap; other rules are unchanged', () => {
    const under37 = evaluate([specWithCpus()], profile, { providerVersion: '3.7.0' });
    const none = evaluate([specWithCpus()], profile, {});
    expect(under37.resources[0].outcomes['no-cpus-attribute']).toBe('not-applicable');
    expect(none.resources[0].outcomes['no-cpus-attribute']).toBe('fail');
    // Only the guard changed.
    const changed = Object.keys(none.resources[0].outcomes)
      .filter((id) => none.resources[0].outcomes[id] !== under37.resources[0].outcomes[id]);
    expect(changed).toEqual(['no-cpus-attribute']);
  });

  test('a live container has no provider: the constraint does not apply and no range is named', () => {
    const engine = { ...specWithCpus(), source: SpecSource.ENGINE } as ContainerSpec;
    const e = evaluate([engine], profile, {});
    expect(e.findings.some((f) => /a provider trap/.test(f.message))).toBe(false);
  });

  test('every guard rule is among the rules its trap concerns, and guards only traps limited to some releases', () => {
    for (const id of ['no-cpus-attribute', 'service-tmpfs-size']) {
      const traps = trapsGuardedBy(id);
      expect(traps.length).toBeGreaterThan(0);
      for (const t of traps) expect(t.rules).toContain(id);
    }
    // Rules that check a setting for every release keep applying whatever the constraint.
    for (const id of ['cpu-limit', 'no-host-pid', 'published-ports', 'ulimits-set']) {
      expect(ruleProviderScope(id, '3.7.0')).toEqual({ applies: true });
      expect(ruleProviderScope(id, '4.5.0')).toEqual({ applies: true });
    }
    expect(ruleProviderScope('service-tmpfs-size', '~> 4.0')).toEqual({ applies: false });
    expect(ruleProviderScope('service-tmpfs-size', '3.6.2')).toEqual({ applies: true });
    expect(ruleProviderScope('service-tmpfs-size')).toEqual({ applies: true, concerns: 'releases before 4.0.0' });
  });
});
