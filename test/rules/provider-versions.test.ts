import * as fc from 'fast-check';
import { builtinRule } from '../../src/rules/catalog';
import {
  describeRange, parseConstraint, parseVersion, PROVIDER_TRAPS, ProviderTrap, ProviderVersion, trapsOfRule, trapStatus, TrapStatus,
} from '../../src/rules/provider-versions';

function trap(id: string): ProviderTrap {
  const t = PROVIDER_TRAPS.find((x) => x.id === id);
  if (!t) throw new Error(`test setup: no trap ${id}`);
  return t;
}

/** Rules that engineer core adds on another branch (issue 16: systempaths=unconfined). */
const RULES_ADDED_ELSEWHERE = new Set(['no-unconfined-system-paths']);

describe('the trap table', () => {
  test('ids are unique and every rule id names a rule of the catalog', () => {
    expect(new Set(PROVIDER_TRAPS.map((t) => t.id)).size).toBe(PROVIDER_TRAPS.length);
    for (const t of PROVIDER_TRAPS) {
      for (const r of t.rules) expect([t.id, r, !!builtinRule(r) || RULES_ADDED_ELSEWHERE.has(r)]).toEqual([t.id, r, true]);
    }
  });

  test('every range is well formed: versions parse, from before below', () => {
    for (const t of PROVIDER_TRAPS) {
      const { from, below } = t.affected;
      const [f, b] = [from && parseVersion(from), below && parseVersion(below)];
      if (f && b) expect([t.id, (f[0] - b[0] || f[1] - b[1] || f[2] - b[2]) < 0]).toEqual([t.id, true]);
    }
  });

  test('a rule finds its traps', () => {
    expect(trapsOfRule('no-cpus-attribute').map((t) => t.id)).toEqual(['container-cpus-panic']);
    expect(trapsOfRule('service-tmpfs-size').map((t) => t.id)).toEqual(['service-tmpfs-options-panic']);
    expect(trapsOfRule('pids-limit').map((t) => t.id)).toEqual(['no-pids-limit']);
    expect(trapsOfRule('read-only-rootfs')).toEqual([]);
  });

  test('ranges in words', () => {
    expect(describeRange(trap('container-cpus-panic').affected)).toBe('3.6.0 up to (not including) 3.7.0');
    expect(describeRange(trap('service-tmpfs-options-panic').affected)).toBe('releases before 4.0.0');
    expect(describeRange(trap('systempaths-unconfined').affected)).toBe('3.8.0 and later');
    expect(describeRange(trap('no-pids-limit').affected)).toBe('every release');
  });
});

describe('trapStatus: which releases a constraint admits', () => {
  test.each([
    // cpus panics in 3.6.0, 3.6.1 and 3.6.2 only
    ['container-cpus-panic', '3.6.2', TrapStatus.ALL],
    ['container-cpus-panic', '= 3.6.2', TrapStatus.ALL],
    ['container-cpus-panic', '~> 3.6.0', TrapStatus.ALL],
    ['container-cpus-panic', '~> 3.6', TrapStatus.SOME],
    ['container-cpus-panic', '>= 3.7.0', TrapStatus.NONE],
    ['container-cpus-panic', '< 3.6', TrapStatus.NONE],
    ['container-cpus-panic', '~> 4.0', TrapStatus.NONE],
    ['container-cpus-panic', '> 3.6.2', TrapStatus.SOME], // a 3.6.3 would be admitted
    ['container-cpus-panic', '>= 3.6.2, <= 3.7.0', TrapStatus.SOME],
    // the service tmpfs_options panic: every 3.x
    ['service-tmpfs-options-panic', '~> 3.0', TrapStatus.ALL],
    ['service-tmpfs-options-panic', '~> 3', TrapStatus.ALL],
    ['service-tmpfs-options-panic', '>= 3.9, < 4.1', TrapStatus.SOME],
    ['service-tmpfs-options-panic', '~> 4.0', TrapStatus.NONE],
    ['service-tmpfs-options-panic', '4.0.0', TrapStatus.NONE],
    // systempaths=unconfined only works from 3.8.0
    ['systempaths-unconfined', '3.6.2', TrapStatus.NONE],
    ['systempaths-unconfined', '>= 3.8.0', TrapStatus.ALL],
    ['systempaths-unconfined', '~> 3.7', TrapStatus.SOME],
    ['systempaths-unconfined', '> 3.7.0', TrapStatus.SOME],
    // still open: every constraint
    ['no-pids-limit', '3.6.2', TrapStatus.ALL],
    ['no-pids-limit', '>= 4.5.0', TrapStatus.ALL],
    ['ports-ip-default-all-interfaces', '~> 3.6', TrapStatus.ALL],
    // 4.5.0's state change
    ['state-omits-unconfigured', '~> 4.0', TrapStatus.SOME],
    ['state-omits-unconfigured', '~> 4.5.0', TrapStatus.ALL],
    ['state-omits-unconfigured', 'v3.6.2', TrapStatus.NONE],
  ])('%s under "%s": %s', (id, constraint, expected) => {
    expect(trapStatus(trap(id), constraint)).toBe(expected);
  });

  test('no constraint: some (a finding says which versions)', () => {
    for (const t of PROVIDER_TRAPS) {
      expect(trapStatus(t, undefined)).toBe(TrapStatus.SOME);
      expect(trapStatus(t, '  ')).toBe(TrapStatus.SOME);
    }
  });

  test('!= removes single releases and narrows nothing else', () => {
    expect(trapStatus(trap('container-cpus-panic'), '~> 3.6.0, != 3.6.1')).toBe(TrapStatus.ALL);
    expect(trapStatus(trap('container-cpus-panic'), '!= 3.6.2')).toBe(TrapStatus.SOME);
  });

  test.each([
    ['~> banana', /provider version constraint "~> banana": "banana" is not a provider version; expected MAJOR\[\.MINOR\[\.PATCH\]\], e\.g\. 3\.6\.2/],
    ['3.6.2-beta1', /"3\.6\.2-beta1" is not a provider version.*pre-releases are not supported/],
    ['>= 3.0,', /"" has no version; expected a comma-separated list of \[operator\] version/],
    ['>=', /">=" has no version/],
    ['>= 4.0, < 3.0', /provider version constraint ">= 4\.0, < 3\.0" admits no version: its parts contradict each other/],
    ['> 3.6.2, < 3.6.2', /admits no version/],
  ])('a bad constraint "%s" is an error that says why', (constraint, message) => {
    expect(() => trapStatus(trap('no-pids-limit'), constraint)).toThrow(message);
  });

  test('"= 3.6" means 3.6.0, as Terraform pads it', () => {
    expect(parseConstraint('= 3.6')).toEqual({ low: { v: [3, 6, 0], inclusive: true }, high: { v: [3, 6, 0], inclusive: true } });
  });
});

describe('trapStatus agrees with the releases one by one (property)', () => {
  const version = fc.tuple(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 3 }));
  const text = (v: readonly number[]) => v.join('.');
  const cmp = (a: readonly number[], b: readonly number[]) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
  const inRange = (t: ProviderTrap, v: ProviderVersion) =>
    (!t.affected.from || cmp(v, parseVersion(t.affected.from)) >= 0) && (!t.affected.below || cmp(v, parseVersion(t.affected.below)) < 0);

  test('an exact version: ALL exactly when it is in the range, else NONE', () => {
    fc.assert(fc.property(fc.constantFrom(...PROVIDER_TRAPS), version, (t, v) => {
      expect(trapStatus(t, `= ${text(v)}`)).toBe(inRange(t, v) ? TrapStatus.ALL : TrapStatus.NONE);
    }));
  });

  test('a range ">= a, < b": ALL and NONE hold for every version inside it', () => {
    fc.assert(fc.property(fc.constantFrom(...PROVIDER_TRAPS), version, version, version, (t, a, b, x) => {
      fc.pre(cmp(a, b) < 0 && cmp(a, x) <= 0 && cmp(x, b) < 0);
      const status = trapStatus(t, `>= ${text(a)}, < ${text(b)}`);
      if (status === TrapStatus.ALL) expect(inRange(t, x)).toBe(true);
      if (status === TrapStatus.NONE) expect(inRange(t, x)).toBe(false);
    }));
  });
});
