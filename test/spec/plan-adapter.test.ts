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

describe('resources only in resource_changes (a plan without planned_values, or beside them)', () => {
  /** One `resource_changes` entry as `terraform show -json` writes it (format_version 1.x). */
  function change(address: string, actions: string[], after: any, afterUnknown: any = {}, extra: any = {}) {
    const parts = address.split('.');
    const last = parts.slice(-2);
    const module = parts.length > 2 ? parts.slice(0, -2).join('.') : undefined;
    const index = /\[(.+)\]$/.exec(last[1])?.[1];
    return {
      address,
      ...(module ? { module_address: module } : {}),
      mode: 'managed',
      type: last[0],
      name: last[1].replace(/\[.*$/, ''),
      ...(index !== undefined ? { index: /^\d+$/.test(index) ? Number(index) : JSON.parse(index) } : {}),
      provider_name: 'registry.terraform.io/kreuzwerker/docker',
      change: {
        actions,
        before: actions.includes('create') && !actions.includes('delete') ? null : { name: 'old', image: 'old:1' },
        after,
        after_unknown: afterUnknown,
        before_sensitive: false,
        after_sensitive: {},
      },
      ...extra,
    };
  }
  const planOf = (changes: any[], extra: any = {}) => ({ format_version: '1.2', terraform_version: '1.9.8', resource_changes: changes, ...extra });

  test('create, update, no-op and both orders of replace are read from change.after; delete, read and deposed are not', () => {
    const doc = planOf([
      change('docker_container.created', ['create'], { name: 'a', image: 'nginx:1', privileged: true }),
      change('docker_container.updated', ['update'], { name: 'b', image: 'nginx:1', user: 'root' }),
      change('docker_container.same', ['no-op'], { name: 'c', image: 'nginx:1', network_mode: 'host' }),
      change('docker_container.replaced', ['delete', 'create'], { name: 'd', image: 'nginx:2' }),
      change('docker_container.replaced_first', ['create', 'delete'], { name: 'e', image: 'nginx:2' }),
      change('docker_container.deleted', ['delete'], null),
      change('docker_container.deposed', ['delete'], null, {}, { deposed: '00000001' }),
      { ...change('docker_container.looked_up', ['read'], { name: 'f' }), mode: 'data', address: 'data.docker_container.looked_up' },
      change('docker_image.nginx', ['create'], { name: 'nginx:1' }),
      change('module.app.docker_service.api["blue"]', ['create'], { name: 'api', task_spec: [{ container_spec: [{ image: 'x:1', user: '0' }] }] }),
    ]);
    const specs = specsFromPlanJson(doc, { file: 'plan.json' });
    expect(specs.map((s) => s.address)).toEqual([
      'docker_container.created', 'docker_container.updated', 'docker_container.same', 'docker_container.replaced',
      'docker_container.replaced_first', 'module.app.docker_service.api["blue"]',
    ]);
    expect(specs.map((s) => s.source)).toEqual(specs.map(() => SpecSource.TERRAFORM_PLAN));
    expect(specs[0].privileged).toBe(true);
    expect(specs[1].user).toBe('root');
    expect(specs[2].networkMode).toBe('host');
    expect(specs[5].user).toBe('0');
  });

  test('after_unknown marks values of change.after unknown, at any depth', () => {
    const [spec] = specsFromPlanJson(planOf([
      change('docker_container.web', ['create'], { name: 'web', image: null, capabilities: [{ add: ['NET_ADMIN'], drop: null }] },
        { image: true, capabilities: [{ drop: true }] }),
    ]));
    expect(spec.unknown).toEqual(expect.arrayContaining(['image', 'capDrop']));
    expect(spec.capAdd).toEqual(['NET_ADMIN']);
  });

  test('beside planned_values: a resource in both is read once, from planned_values; one only in resource_changes is added', () => {
    const doc = planOf([
      change('docker_container.both', ['create'], { name: 'from-change', image: 'x:1' }),
      change('docker_container.only_change', ['update'], { name: 'o', image: 'x:1', privileged: true }),
    ], {
      planned_values: { root_module: { resources: [{ address: 'docker_container.both', mode: 'managed', type: 'docker_container', name: 'both', values: { name: 'from-values', image: 'x:1' } }] } },
    });
    const specs = specsFromPlanJson(doc);
    expect(specs.map((s) => [s.address, s.name])).toEqual([['docker_container.both', 'from-values'], ['docker_container.only_change', 'o']]);
  });

  test('a change that leaves a resource but has no object in change.after is an error naming the address', () => {
    expect(() => specsFromPlanJson(planOf([change('docker_container.web', ['create'], null)]), { file: 'p.json' }))
      .toThrow(/^p\.json: docker_container\.web: "change\.after" of a create change must be an object of attribute values, got null$/);
    expect(() => specsFromPlanJson(planOf([null]), { file: 'p.json' })).toThrow(/^p\.json: a "resource_changes" entry must be an object, got null$/);
  });
});

describe('errors quote a short excerpt, never the file', () => {
  test.each([
    ['resources', { format_version: '1.2', planned_values: { root_module: { resources: 'x'.repeat(100_000) } } }],
    ['a resource change', { format_version: '1.2', resource_changes: [['y'.repeat(100_000)]] }],
    ['change.after', { format_version: '1.2', resource_changes: [{ address: 'docker_container.a', type: 'docker_container', name: 'a', change: { actions: ['create'], after: ['z'.repeat(100_000)] } }] }],
  ])('%s of 100,000 characters', (_what, doc) => {
    let message = '';
    try {
      specsFromPlanJson(doc, { file: 'p.json' });
    } catch (e: any) {
      message = String(e.message);
    }
    expect(message).toMatch(/^p\.json: .*…$/);
    expect(message.length).toBeLessThan(300);
  });
});

describe('deep nesting (the JSON reader allows 1,000 levels) never overflows the stack', () => {
  test('markUnknown over marks and values nested 1,000 deep', () => {
    let marks: any = true;
    let values: any = 'v';
    for (let i = 0; i < 998; i++) {
      marks = i % 2 ? [marks] : { k: marks };
      values = i % 2 ? [values] : { k: values };
    }
    const [spec] = specsFromPlanJson({
      format_version: '1.2',
      resource_changes: [{
        address: 'docker_container.deep',
        mode: 'managed',
        type: 'docker_container',
        name: 'deep',
        change: { actions: ['create'], after: { name: 'deep', image: 'x:1', upload: [values] }, after_unknown: { upload: [marks], user: true } },
      }],
    });
    expect(spec.address).toBe('docker_container.deep');
    expect(spec.unknown).toEqual(['user']);
  });
});
