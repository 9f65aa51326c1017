import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { SpecSource } from '../../src/spec/container-spec';
import { isPlanJson, markUnknown, specsFromPlanJson, UNKNOWN_AFTER_APPLY } from '../../src/spec/plan-adapter';
import { AdapterError } from '../../src/spec/terraform-adapter';

const PLAN = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cli', 'fixtures', 'plan', 'plan.json'), 'utf8'));

function plan(values: any, afterUnknown: any = {}, address = 'docker_container.c') {
  const name = address.split('.').pop()!;
  return {
    format_version: '1.2',
    planned_values: { root_module: { resources: [{ address, mode: 'managed', type: 'docker_container', name, values }] } },
    resource_changes: [{ address, change: { actions: ['create'], after_unknown: afterUnknown } }],
  };
}

describe('isPlanJson', () => {
  test('a plan, a plan without planned_values, and state JSON are plans; Terraform JSON is not', () => {
    expect(isPlanJson(PLAN)).toBe(true);
    expect(isPlanJson({ format_version: '1.0', resource_changes: [] })).toBe(true);
    expect(isPlanJson({ format_version: '1.0', values: { root_module: {} } })).toBe(true);
    expect(isPlanJson({ resource: { docker_container: {} } })).toBe(false);
    expect(isPlanJson({ format_version: '1.0' })).toBe(false);
    expect(isPlanJson([])).toBe(false);
    expect(isPlanJson(null)).toBe(false);
  });
});

describe('specsFromPlanJson', () => {
  test('reads planned values of the root and child modules, with full addresses; skips data sources and deletions', () => {
    const specs = specsFromPlanJson(PLAN, { file: 'plan.json' });
    expect(specs.map((s) => s.address)).toEqual(['docker_container.web', 'docker_container.cache', 'module.workers.docker_container.worker[0]']);
    expect(specs.every((s) => s.source === SpecSource.TERRAFORM_PLAN && s.file === 'plan.json')).toBe(true);
    const web = specs[0];
    expect(web).toEqual(expect.objectContaining({ readOnly: true, user: '10001:10001', capDrop: ['ALL'], memoryBytes: 256 * 1024 * 1024 }));
    expect(web.unknown).toEqual(expect.arrayContaining(['image', 'securityOpts']));
    expect(web.unknown).not.toContain('capDrop');
    expect(specs[1].unknown).toEqual(['user']);
    expect(specs[2].suppressions).toEqual([{ ruleId: 'no-privileged', reason: 'needs /dev/kvm for the build sandbox, SEC-7', origin: 'label "hardened-docker.suppress.no-privileged"' }]);
  });

  test('an unknown inside a nested block makes that field unknown', () => {
    const [spec] = specsFromPlanJson(plan({ name: 'c', capabilities: [{ drop: null, add: ['NET_ADMIN'] }] }, { capabilities: [{ drop: true }] }));
    expect(spec.unknown).toContain('capDrop');
    expect(spec.capAdd).toEqual(['NET_ADMIN']);
    const [whole] = specsFromPlanJson(plan({ name: 'c' }, { healthcheck: true, ports: true }));
    expect(whole.unknown).toEqual(expect.arrayContaining(['healthcheck', 'ports']));
  });

  test('state JSON (no plan) is read with every value known', () => {
    const state = { format_version: '1.0', values: { root_module: PLAN.planned_values.root_module } };
    const specs = specsFromPlanJson(state);
    expect(specs).toHaveLength(3);
    expect(specs[0].unknown).toBeUndefined();
  });

  test('a malformed plan is an AdapterError naming the file and the place', () => {
    expect(() => specsFromPlanJson({ format_version: '1.2', planned_values: { root_module: { resources: {} } } }, { file: 'p.json' }))
      .toThrow(new AdapterError('p.json: "resources" must be a list, got {}'));
    expect(() => specsFromPlanJson({ resource: {} }, { file: 'p.json' })).toThrow(/p\.json: not Terraform plan JSON/);
  });
});

describe('markUnknown', () => {
  test('property: marked top-level keys become unknown, the others keep their value, the input is not changed', () => {
    fc.assert(fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.jsonValue()), fc.func(fc.boolean()), (values, pick) => {
      const before = JSON.stringify(values);
      const marks: Record<string, boolean> = {};
      // defineProperty: fast-check's dictionaries include keys like __proto__, as JSON.parse of a plan can.
      for (const k of Object.keys(values)) Object.defineProperty(marks, k, { value: pick(k), enumerable: true });
      const out = markUnknown(values, marks);
      expect(JSON.stringify(values)).toBe(before);
      const own = (o: any, k: string) => Object.getOwnPropertyDescriptor(o, k)?.value;
      for (const k of Object.keys(values)) expect(own(out, k)).toEqual(own(marks, k) ? UNKNOWN_AFTER_APPLY : own(values, k));
    }));
  });

  test('nested marks in lists and objects, and no marks at all', () => {
    const values = { a: [{ x: 1, y: 2 }, { x: 3 }], b: { c: 'd' } };
    expect(markUnknown(values, { a: [{ y: true }, {}], b: { c: false } })).toEqual({ a: [{ x: 1, y: UNKNOWN_AFTER_APPLY }, { x: 3 }], b: { c: 'd' } });
    expect(markUnknown(values, {})).toBe(values);
    expect(markUnknown(undefined, { z: [true] })).toEqual({ z: [UNKNOWN_AFTER_APPLY] });
  });

  test('a key named __proto__ (JSON.parse makes it plain data) is marked as data, never as a prototype', () => {
    const out = markUnknown(JSON.parse('{"__proto__":[1],"a":2}'), JSON.parse('{"__proto__":true,"a":false}'));
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toBe(UNKNOWN_AFTER_APPLY);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(out.a).toBe(2);
  });
});
