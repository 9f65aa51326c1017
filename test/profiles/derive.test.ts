import * as fc from 'fast-check';
import { ContainerSpec, IRule, Profile, ProfileLevel, ResourceKind, Results, RuleMetadata, RuleResult, Severity, SpecSource, Suppressions } from '../../src';
import { HARDENED_DEFAULTS } from '../../src/profiles/defaults';
import { BUILTIN_RULES } from '../../src/rules/catalog';

class TeamLabelRule implements IRule {
  public readonly metadata: RuleMetadata;
  public constructor(id = 'acme-team-label') {
    this.metadata = {
      id,
      title: 'Team label is set',
      severity: Severity.WARNING,
      rationale: 'Routing alerts needs a team.',
      remediation: 'Set the `team` label.',
    };
  }
  public check(spec: ContainerSpec): RuleResult {
    return spec.labels?.team ? Results.pass() : Results.fail('no team label');
  }
}

const spec = (over: Partial<ContainerSpec> = {}): ContainerSpec => ({
  kind: ResourceKind.CONTAINER, source: SpecSource.TERRAFORM_JSON, address: 'docker_container.web', ...over,
});

function snapshot(p: Profile) {
  return {
    name: p.name,
    defaults: JSON.parse(JSON.stringify(p.defaults)),
    rules: p.activeRules.map((a) => `${a.rule.metadata.id}:${a.severity}`),
    policies: JSON.parse(JSON.stringify(p.policies)),
    custom: p.customRules.map((r) => r.metadata.id),
  };
}

const DEFAULT_ARBS: { [K in keyof typeof HARDENED_DEFAULTS]: fc.Arbitrary<any> } = {
  memoryMb: fc.integer({ min: 6, max: 65536 }),
  cpuLimit: fc.double({ min: 0.01, max: 64, noNaN: true }),
  cpuShares: fc.integer({ min: 2, max: 262144 }),
  maxProcesses: fc.integer({ min: 1, max: 100000 }),
  maxOpenFiles: fc.integer({ min: 1, max: 100000 }),
  tmpfsSizeMb: fc.integer({ min: 1, max: 4096 }),
  logMaxSize: fc.tuple(fc.integer({ min: 1, max: 999 }), fc.constantFrom('', 'k', 'm', 'g')).map(([n, u]) => `${n}${u}`),
  logMaxFiles: fc.integer({ min: 1, max: 20 }),
  user: fc.tuple(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 1, max: 65535 })).map(([u, g]) => `${u}:${g}`),
  maxRestartRetries: fc.integer({ min: 0, max: 5 }),
  hostIp: fc.ipV4(),
  allowedCapabilities: fc.uniqueArray(fc.constantFrom('NET_BIND_SERVICE', 'CHOWN', 'KILL', 'SETUID'), { maxLength: 4 }),
};

const POLICY_ARBS = {
  allowedRegistries: fc.array(fc.constantFrom('registry.acme.example/', 'ghcr.io/acme/'), { minLength: 1, maxLength: 2 }),
  requireDigest: fc.boolean(),
  requiredLabels: fc.uniqueArray(fc.constantFrom('owner', 'cost-centre', 'team'), { maxLength: 3 }),
  maxMemoryMb: fc.integer({ min: 6, max: 65536 }),
  maxCpus: fc.double({ min: 0.1, max: 64, noNaN: true }),
  forbiddenHostPaths: fc.array(fc.constantFrom('/etc', '/root', '/home'), { maxLength: 3 }),
  allowedCapabilities: fc.uniqueArray(fc.constantFrom('NET_BIND_SERVICE', 'CHOWN'), { maxLength: 2 }),
};

const settingArb = fc.tuple(
  fc.constantFrom(...BUILTIN_RULES.map((r) => r.metadata.id)),
  fc.constantFrom<'error' | 'warning' | 'info' | 'off'>('error', 'warning', 'info', 'off'),
);

describe('derive: only what is named changes', () => {
  test('property: random subsets of defaults, rule settings and policies', () => {
    fc.assert(fc.property(
      fc.constantFrom(...Object.values(ProfileLevel)),
      fc.record(DEFAULT_ARBS, { requiredKeys: [] }),
      fc.uniqueArray(settingArb, { selector: ([id]) => id, maxLength: BUILTIN_RULES.length }),
      fc.record(POLICY_ARBS, { requiredKeys: [] }),
      (level, defaults, settings, policies) => {
        const base = Profile.named(level);
        const before = snapshot(base);
        const derived = base.derive({
          name: 'derived',
          defaults,
          policies,
          rules: settings.map(([ruleId, l]) => (l === 'off' ? { ruleId, enabled: false } : { ruleId, severity: l as Severity })),
        });
        // The base is untouched.
        expect(snapshot(base)).toEqual(before);
        expect(derived.name).toBe('derived');
        // Defaults: named fields take the new value, the others keep the base's.
        for (const [k, v] of Object.entries(base.defaults)) {
          expect((derived.defaults as any)[k]).toEqual(k in defaults ? (defaults as any)[k] : v);
        }
        // Catalog rules: named ones follow the setting, the others keep the base's severity (or stay off).
        const named = new Map(settings);
        for (const r of BUILTIN_RULES) {
          const id = r.metadata.id;
          const want = named.has(id)
            ? (named.get(id) === 'off' ? undefined : named.get(id))
            : (id === 'image-pinned-by-digest' && policies.requireDigest ? Severity.ERROR : base.severityOf(id));
          expect(derived.severityOf(id)).toBe(want);
        }
        // Policies: named ones are set, and each set policy runs as its rule.
        expect(derived.policies).toEqual(policies);
        // (requireDigest re-grades the catalog's image-pinned-by-digest rather than adding a rule.)
        const policyRuleCount = Object.keys(policies).filter((k) => k !== 'requireDigest').length;
        expect(derived.activeRules.filter((a) => a.rule.metadata.id.startsWith('org-'))).toHaveLength(policyRuleCount);
        // The JSON form round-trips.
        expect(snapshot(Profile.fromJson(derived.toJson()))).toEqual(snapshot(derived));
      },
    ), { numRuns: 150 });
  });

  test('a derived profile of a derived profile keeps both changes', () => {
    const acme = Profile.named('hardened').derive({ name: 'acme', defaults: { memoryMb: 512 }, policies: { requiredLabels: ['owner'] } });
    const team = acme.derive({ name: 'team', defaults: { cpuLimit: 1 }, policies: { maxMemoryMb: 1024 } });
    expect(team.defaults.memoryMb).toBe(512);
    expect(team.defaults.cpuLimit).toBe(1);
    expect(team.defaults.user).toBe(HARDENED_DEFAULTS.user);
    expect(team.policies).toEqual({ requiredLabels: ['owner'], maxMemoryMb: 1024 });
    expect(team.baseLevel).toBe('hardened');
    expect(acme.derive({ name: 'same' }).activeRules).toEqual(acme.activeRules);
  });

  test('a built-in rule the base level leaves out can be switched on', () => {
    const baseline = Profile.named('baseline');
    const offInBaseline = BUILTIN_RULES.find((r) => !baseline.hasRule(r.metadata.id));
    if (!offInBaseline) return; // the catalog is all-baseline: nothing to switch on
    const p = baseline.derive({ name: 'b+', rules: [{ ruleId: offInBaseline.metadata.id, severity: Severity.WARNING }] });
    expect(p.severityOf(offInBaseline.metadata.id)).toBe(Severity.WARNING);
  });

  test('severity only: the rule stays on; enabled false switches it off; a later severity switches it on again', () => {
    const id = BUILTIN_RULES[0].metadata.id;
    const off = Profile.named('hardened').derive({ name: 'off', rules: [{ ruleId: id, enabled: false }] });
    expect(off.hasRule(id)).toBe(false);
    expect(off.knownRuleIds).toContain(id);
    const on = off.derive({ name: 'on', rules: [{ ruleId: id, severity: Severity.INFO }] });
    expect(on.severityOf(id)).toBe(Severity.INFO);
  });
});

test('requireDigest makes the catalog digest rule an error, on any level; an explicit setting still wins', () => {
  for (const level of Object.values(ProfileLevel)) {
    const p = Profile.named(level).derive({ name: 'pinned', policies: { requireDigest: true } });
    expect(p.severityOf('image-pinned-by-digest')).toBe(Severity.ERROR);
    expect(p.hasRule('org-image-digest')).toBe(false);
    const soft = p.derive({ name: 'soft', rules: [{ ruleId: 'image-pinned-by-digest', severity: Severity.INFO }] });
    expect(soft.severityOf('image-pinned-by-digest')).toBe(Severity.INFO);
    expect(soft.derive({ name: 'unpinned', policies: { requireDigest: false } }).severityOf('image-pinned-by-digest')).toBe(Severity.INFO);
  }
  expect(Profile.named('hardened').derive({ name: 'p', policies: { requireDigest: true } }).toJson())
    .toEqual({ name: 'p', extends: 'hardened', policies: { requireDigest: true } });
});

describe('derive: errors', () => {
  const hardened = Profile.named('hardened');

  test('unknown rule id names the valid ids', () => {
    expect(() => hardened.derive({ name: 'x', rules: [{ ruleId: 'no-such-rule', enabled: false }] }))
      .toThrow(/rules\.no-such-rule: unknown rule id\. Valid ids: .*no-privileged/);
  });

  test('a policy rule setting without its policy says which policy to set', () => {
    expect(() => hardened.derive({ name: 'x', rules: [{ ruleId: 'org-max-memory', severity: Severity.WARNING }] }))
      .toThrow(/runs only when policies\.maxMemoryMb is set/);
  });

  test('bad defaults and policies name the field and the bound', () => {
    expect(() => hardened.derive({ name: 'x', defaults: { maxRestartRetries: 9 } })).toThrow(/defaults\.maxRestartRetries: must be <= 5, got 9/);
    expect(() => hardened.derive({ name: 'x', defaults: { user: 'root' } })).toThrow(/defaults\.user: "root" does not match/);
    expect(() => hardened.derive({ name: 'x', policies: { maxCpus: 0 } })).toThrow(/policies\.maxCpus: must be > 0/);
  });

  test('an empty name is refused', () => {
    expect(() => hardened.derive({ name: '' })).toThrow(/needs a name/);
  });

  test('custom rule id colliding with a built-in rule', () => {
    const id = BUILTIN_RULES[0].metadata.id;
    expect(() => hardened.derive({ name: 'x', addRules: [new TeamLabelRule(id)] }))
      .toThrow(new RegExp(`organisation rule id "${id}" collides with the built-in rule "${id}".*acme-${id}`));
  });

  test('custom rule id in the reserved org- prefix, or duplicated, or malformed', () => {
    expect(() => hardened.derive({ name: 'x', addRules: [new TeamLabelRule('org-team')] })).toThrow(/reserved for policy rules/);
    expect(() => hardened.derive({ name: 'x', addRules: [new TeamLabelRule(), { metadata: new TeamLabelRule().metadata, check: () => Results.pass() }] })).toThrow(/two organisation rules have the id "acme-team-label"/);
    expect(() => hardened.derive({ name: 'x', addRules: [new TeamLabelRule('Acme_Rule')] })).toThrow(/metadata\.id must be kebab-case/);
    const noCheck = { metadata: new TeamLabelRule('acme-x').metadata } as any;
    expect(() => hardened.derive({ name: 'x', addRules: [noCheck] })).toThrow(/check\(spec\) must be a method/);
  });
});

describe('custom rules', () => {
  test('run after the catalog and policy rules, at their own severity or the profile\'s', () => {
    const rule = new TeamLabelRule();
    const p = Profile.named('restricted').derive({ name: 'acme', addRules: [rule], policies: { requiredLabels: ['owner'] } });
    const ids = p.activeRules.map((a) => a.rule.metadata.id);
    expect(ids.slice(-2)).toEqual(['org-required-labels', 'acme-team-label']);
    expect(p.severityOf('acme-team-label')).toBe(Severity.WARNING);
    const stricter = p.derive({ name: 'acme-strict', rules: [{ ruleId: 'acme-team-label', severity: Severity.ERROR }] });
    expect(stricter.severityOf('acme-team-label')).toBe(Severity.ERROR);
    expect(stricter.customRules).toEqual([rule]);
    expect(rule.check(spec({ labels: { team: 'web' } })).status).toBe('pass');
  });

  test('a profile answers which rule ids its suppressions may name; making one registers nothing globally', () => {
    const base = Profile.named('hardened');
    expect(base.canSuppress('acme-asked-of-the-profile')).toBe(false);
    const withRule = base.derive({ name: 'x', addRules: [new TeamLabelRule('acme-asked-of-the-profile')] });
    expect(withRule.canSuppress('acme-asked-of-the-profile')).toBe(true);
    // Another profile, made later, still does not know it: no global list.
    expect(Profile.named('hardened').canSuppress('acme-asked-of-the-profile')).toBe(false);
    // Catalog and policy rules are known to every profile; the rules about suppressions can never be suppressed.
    expect(Profile.named('baseline').canSuppress('read-only-rootfs')).toBe(true);
    expect(base.canSuppress('org-allowed-registries')).toBe(true);
    expect(withRule.canSuppress('invalid-suppression')).toBe(false);
  });

  test('the deprecated Suppressions.registerRuleId still makes an id known to every profile', () => {
    expect(Profile.named('hardened').canSuppress('acme-registered-the-old-way')).toBe(false);
    Suppressions.registerRuleId('acme-registered-the-old-way');
    expect(Profile.named('baseline').canSuppress('acme-registered-the-old-way')).toBe(true);
  });

  test('the constructor accepts custom rules too, and refuses settings for rules it lacks', () => {
    const p = new Profile('mine', [BUILTIN_RULES[0], new TeamLabelRule('acme-ctor')], [{ ruleId: 'acme-ctor', severity: Severity.INFO }]);
    expect(p.activeRules.map((a) => `${a.rule.metadata.id}:${a.severity}`)).toEqual([`${BUILTIN_RULES[0].metadata.id}:${BUILTIN_RULES[0].metadata.severity}`, 'acme-ctor:info']);
    expect(() => new Profile('mine', [], [{ ruleId: 'acme-ctor' }])).toThrow(/does not have/);
  });
});

test('a rule shaped like a jsii proxy (metadata behind a getter, check on the prototype) works, and is not copied', () => {
  class ProxyLike {
    public calls = 0;
    public get metadata(): RuleMetadata {
      return { id: 'acme-proxy', title: 'Proxy', severity: Severity.INFO, rationale: 'From Python.', remediation: 'None.' };
    }
    public check(_spec: ContainerSpec): RuleResult {
      this.calls++;
      return Results.fail('from python');
    }
  }
  const rule = new ProxyLike();
  const p = Profile.named('baseline').derive({ name: 'py', addRules: [rule] });
  const active = p.activeRules.find((a) => a.rule.metadata.id === 'acme-proxy')!;
  expect(active.rule).toBe(rule);
  expect(active.rule.check(spec()).status).toBe('fail');
  expect(rule.calls).toBe(1);
  expect(p.rulesMarkdown({ organisationRulesOnly: true })).toContain('### `acme-proxy`');
});

test('two instances of one rule class with the same metadata are one rule; different classes with one id are refused', () => {
  const p = Profile.named('hardened').derive({ name: 'x', addRules: [new TeamLabelRule('acme-twice'), new TeamLabelRule('acme-twice')] });
  expect(p.customRules).toHaveLength(1);
  expect(p.derive({ name: 'y', addRules: [new TeamLabelRule('acme-twice')] }).customRules).toHaveLength(1);
  class Other extends TeamLabelRule {}
  expect(() => p.derive({ name: 'z', addRules: [new Other('acme-twice')] })).toThrow(/two organisation rules have the id "acme-twice"/);
});

test('profiles are values: defaults, policies and rules cannot be changed in place, and callers\' arrays stay unfrozen', () => {
  const caps = ['CHOWN'];
  const p = Profile.named('hardened').derive({ name: 'v', defaults: { allowedCapabilities: caps }, policies: { requiredLabels: ['owner'] } });
  expect(() => { (p.defaults as any).memoryMb = 1; }).toThrow();
  expect(() => { (p.defaults.allowedCapabilities as string[]).push('KILL'); }).toThrow();
  expect(() => { (p.policies.requiredLabels as string[]).push('x'); }).toThrow();
  expect(() => { p.activeRules.pop(); }).toThrow();
  caps.push('KILL');
  expect(p.defaults.allowedCapabilities).toEqual(['CHOWN']);
});

test('a profile built with the constructor from part of the catalog round-trips through JSON', () => {
  const p = new Profile('two', [BUILTIN_RULES[0], BUILTIN_RULES[1]], [{ ruleId: BUILTIN_RULES[1].metadata.id, severity: Severity.INFO }]);
  const back = Profile.fromJson(p.toJson());
  expect(back.activeRules.map((a) => `${a.rule.metadata.id}:${a.severity}`)).toEqual(p.activeRules.map((a) => `${a.rule.metadata.id}:${a.severity}`));
});
