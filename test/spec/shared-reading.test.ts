import * as fc from 'fast-check';
import { evaluate } from '../../src/evaluation/evaluate';
import { Profile } from '../../src/profiles/profile';
import { BUILTIN_RULES } from '../../src/rules/catalog';
import { isSettingsRule } from '../../src/rules/define';
import { Results, Severity } from '../../src/rules/rule';
import { ContainerSpec } from '../../src/spec/container-spec';
import { sharedSettingsOf } from '../../src/spec/shared-settings';
import { dockerResources, specFromResource, specsFromTerraformJson } from '../../src/spec/terraform-adapter';
import { CASES } from '../rules/cases';

/** Every body read alone, as before SharedReading. */
function readAlone(doc: any): ContainerSpec[] {
  return dockerResources(doc).map((ref) => specFromResource(ref, {}));
}

const settings = fc.record({
  'image': fc.constantFrom('nginx:1.25', 'app@sha256:' + 'a'.repeat(64), '${var.image}'),
  'user': fc.constantFrom('10001', 'root', '${var.user}'),
  'read_only': fc.boolean(),
  'privileged': fc.boolean(),
  'security_opts': fc.constantFrom(['no-new-privileges:true'], ['seccomp=unconfined'], []),
  'capabilities': fc.constantFrom({ drop: ['ALL'] }, [{ drop: ['ALL'], add: ['NET_ADMIN'] }], undefined),
  'memory': fc.constantFrom(256, '${var.memory}', undefined),
  'labels': fc.constantFrom(undefined, [{ label: 'hardened-docker.suppress.healthcheck', value: 'a batch job, no endpoint' }]),
  'volumes': fc.constantFrom(undefined, [{ host_path: '/var/run/docker.sock', container_path: '/s' }]),
  '//': fc.constantFrom(undefined, { metadata: { path: 'stack/a' } }, { metadata: { path: 'stack/b' }, hardened_docker: { suppressions: [{ ruleId: 'cpu-limit', reason: 'measured by the team' }] } }),
}, { requiredKeys: [] });

describe('SharedReading (docker_container bodies with the same settings are read once)', () => {
  test('the specs equal reading every body alone, for documents with repeated and distinct settings', () => {
    fc.assert(fc.property(fc.array(settings, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
      fc.array(fc.constantFrom('svc', '', 'web-${var.x}', undefined), { minLength: 1, maxLength: 4 }), (bodies, picks, names) => {
        const containers: Record<string, any> = {};
        picks.forEach((p, i) => {
          const name = names[i % names.length];
          const meta = p % 3 === 0 ? { '//': { metadata: { path: `stack/c${i}` } } } : {};
          containers[`c${i}`] = { ...bodies[p % bodies.length], ...(name === undefined ? {} : { name: `${name}${i}` }), ...meta };
        });
        const doc = { resource: { docker_container: containers } };
        expect(specsFromTerraformJson(doc)).toEqual(readAlone(doc));
      }), { numRuns: 300 });
  });

  test('bodies that differ only in name and construct path share one reading; other differences do not', () => {
    const body = { image: 'nginx:1.25', user: '10001', read_only: true };
    const specs = specsFromTerraformJson({
      resource: {
        docker_container: {
          a: { ...body, 'name': 'a', '//': { metadata: { path: 'stack/a' } } },
          b: { ...body, 'name': 'b', '//': { metadata: { path: 'stack/b' } } },
          c: { ...body, name: 'c', user: '0' },
          d: { ...body, name: '${var.d}' },
        },
      },
    });
    expect(sharedSettingsOf(specs[1])).toBe(specs[0]);
    expect(specs[1]).toMatchObject({ address: 'docker_container.b', name: 'b', constructPath: 'stack/b', user: '10001' });
    expect(sharedSettingsOf(specs[2])).toBe(specs[2]);
    // A name only known after apply is never shared: the spec lists it unknown.
    expect(sharedSettingsOf(specs[3])).toBeUndefined();
    expect(specs[3].unknown).toEqual(['name']);
  });

  test('bodies of one image with more distinct settings than are kept to compare with: each read alone, the same specs', () => {
    const containers: Record<string, any> = {};
    for (let i = 0; i < 120; i++) {
      // 40 distinct settings of one image, each three times; the second differs from the first only in key order.
      const k = i % 40;
      const meta = { '//': { metadata: { path: `stack/c${i}` }, ...(k % 3 === 2 ? { hardened_docker: null } : {}) } };
      containers[`c${i}`] = k === 1
        ? { memory: 0, image: 'nginx:1.25', name: `s${i}`, ...meta }
        : { image: 'nginx:1.25', name: `s${i}`, memory: k, ...meta };
    }
    const doc = { resource: { docker_container: containers } };
    const specs = specsFromTerraformJson(doc);
    expect(specs).toEqual(readAlone(doc));
    expect(sharedSettingsOf(specs[40])).toBe(specs[0]);
    expect(sharedSettingsOf(specs[1])).toBe(specs[1]);
    expect(sharedSettingsOf(specs[30])).toBeUndefined();
  });

  test('evaluation reuses the built-in rules\' results for shared specs and gives the same findings as without sharing', () => {
    const containers: Record<string, any> = {};
    for (let i = 0; i < 40; i++) containers[`c${i}`] = { name: `svc-${i}`, image: i % 2 ? 'nginx:latest' : '${var.image}', privileged: i % 4 === 0 };
    const doc = { resource: { docker_container: containers } };
    const profile = Profile.named('hardened');
    expect(evaluate(specsFromTerraformJson(doc), profile).findings).toEqual(evaluate(readAlone(doc), profile).findings);
  });

  test('evaluation of shared specs gives the findings and outcomes of evaluating every body read alone', () => {
    const profile = Profile.named('hardened');
    const withSuppressions = fc.record({
      base: settings,
      // A usable suppression, one with a reason the validator refuses, one of a rule the profile does not know.
      labels: fc.constantFrom(undefined, [{ label: 'hardened-docker.suppress.read-only', value: 'tmp' }],
        [{ label: 'hardened-docker.suppress.no-such-rule', value: 'the vendor image writes to /opt at start' }],
        [{ label: 'hardened-docker.suppress.healthcheck', value: 'a batch job, no endpoint' }]),
    });
    fc.assert(fc.property(fc.array(withSuppressions, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { minLength: 1, maxLength: 20 }),
      fc.constantFrom('s1', undefined), fc.boolean(), (bodies, picks, stack, strict) => {
        const containers: Record<string, any> = {};
        picks.forEach((p, i) => {
          const { base, labels } = bodies[p % bodies.length];
          containers[`c${i}`] = { ...base, ...(labels ? { labels } : {}), 'name': `svc-${i}`, '//': { metadata: { path: `stack/c${i}` } } };
        });
        const doc = { resource: { docker_container: containers } };
        const shared = evaluate(specsFromTerraformJson(doc, { file: 'main.tf.json' }), profile, { stack, strict });
        const alone = evaluate(dockerResources(doc).map((ref) => specFromResource(ref, { file: 'main.tf.json' })), profile, { stack, strict });
        expect(shared.findings).toEqual(alone.findings);
        expect(shared.resources.map((r) => [r.spec.address, r.outcomes])).toEqual(alone.resources.map((r) => [r.spec.address, r.outcomes]));
      }), { numRuns: 200 });
  });

  test('an organisation\'s rule runs for every spec, shared or not (it may read the name)', () => {
    const seen: string[] = [];
    const namesPrefixed = {
      metadata: { id: 'acme-name-prefix', title: 'names start with the team', severity: Severity.WARNING, rationale: 'ownership', remediation: 'prefix it' },
      check(spec: ContainerSpec) {
        seen.push(spec.name ?? '');
        return spec.name?.startsWith('team-') ? Results.pass() : Results.fail(`name "${spec.name}" has no team prefix`);
      },
    };
    expect(isSettingsRule(namesPrefixed)).toBe(false);
    const doc = { resource: { docker_container: { a: { name: 'team-a', image: 'x' }, b: { name: 'b', image: 'x' } } } };
    const profile = new Profile('org', [namesPrefixed]);
    const e = evaluate(specsFromTerraformJson(doc), profile);
    expect(seen).toEqual(['team-a', 'b']);
    expect(e.findings.map((f) => f.address)).toEqual(['docker_container.b']);
  });

  test('every built-in rule is a settings rule and never reads a spec\'s address, name, construct path or file', () => {
    const identity = new Set(['address', 'name', 'constructPath', 'file']);
    for (const rule of BUILTIN_RULES) {
      expect(isSettingsRule(rule)).toBe(true);
      for (const c of CASES.filter((x) => x.rule === rule.metadata.id)) {
        const guarded = new Proxy(c.spec, {
          get(target, key, receiver) {
            if (typeof key === 'string' && identity.has(key)) throw new Error(`${rule.metadata.id} read ${key}`);
            return Reflect.get(target, key, receiver);
          },
        });
        expect(() => rule.check(guarded)).not.toThrow();
      }
    }
  });
});
