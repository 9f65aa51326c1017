/**
 * An SELinux level holding every MCS category turns confinement off as surely as `label=disable`: the rule flags it
 * from every source (Terraform JSON and HCL, docker_service's se_linux_context, compose, a live engine), judged by
 * the one fact in docker-facts.ts that HardenedContainer also refuses by.
 */
import { TerraformVariable, Testing } from 'cdktf';
import * as fc from 'fast-check';
import { container, engineContainer, engineService, service } from './specs';
import { HardenedContainer } from '../../src';
import { builtinRule } from '../../src/rules/catalog';
import { RuleStatus } from '../../src/rules/rule';
import { ContainerSpec, SpecSource } from '../../src/spec/container-spec';
import { breaksSelinuxConfinement, holdsEveryCategory, parseSelinuxRange, SELINUX_CATEGORY_COUNT } from '../../src/spec/docker-facts';
import { specFromContainerInspect, specFromServiceInspect } from '../../src/spec/engine-adapter';
import { specsFromHcl } from '../../src/spec/hcl-adapter';
import { specsFromTerraformJson } from '../../src/spec/terraform-adapter';
import { newStack } from '../constructs/helpers';
import { cleanupProjects, web } from '../spec/compose/helpers';

const RULE = builtinRule('selinux-confinement-not-disabled')!;
const PASS = RuleStatus.PASS;
const FAIL = RuleStatus.FAIL;
const UNKNOWN = RuleStatus.UNKNOWN;

afterEach(() => cleanupProjects());

function compose(fields: Partial<ContainerSpec>): ContainerSpec {
  return container({ source: SpecSource.COMPOSE, address: 'services.web', ...fields });
}

describe('levels, case by case (each source\'s spec shape)', () => {
  const cases: Array<[string, ContainerSpec, RuleStatus, RegExp?]> = [
    ['container: every category, range form', container({ securityOpts: ['label=level:s0:c0.c1023'] }), FAIL, /"label=level:s0:c0\.c1023": the SELinux level s0:c0\.c1023 holds every MCS category/],
    ['container: old colon form', container({ securityOpts: ['label:level:s0:c0.c1023'] }), FAIL, /label:level/],
    ['container: as the high level of a range', container({ securityOpts: ['label=level:s0-s0:c0.c1023'] }), FAIL, /s0-s0:c0\.c1023/],
    ['container: two halves', container({ securityOpts: ['label=level:s0:c0.c511,c512.c1023'] }), FAIL, /every MCS category/],
    ['container: upper case', container({ securityOpts: ['label=level:S0:C0.C1023'] }), FAIL],
    ['container: a sensitivity range', container({ securityOpts: ['label=level:s0-s15:c0.c1023'] }), FAIL],
    ['container: the runtime\'s own type (unconfined in container-selinux)', container({ securityOpts: ['label=type:container_runtime_t'] }), FAIL, /unconfined SELinux type container_runtime_t/],
    ['container: its docker_t alias', container({ securityOpts: ['label:type:docker_t'] }), FAIL, /docker_t/],
    ['service: kubelet_t', service({ securityOpts: ['label=type:kubelet_t'] }), FAIL, /kubelet_t/],
    ['container: a confined type of container-selinux', container({ securityOpts: ['label=type:container_init_t'] }), PASS],
    ['container: two categories', container({ securityOpts: ['label=level:s0:c100,c200'] }), PASS],
    ['container: all but one', container({ securityOpts: ['label=level:s0:c0.c1022'] }), PASS],
    ['container: a gap', container({ securityOpts: ['label=level:s0:c0.c510,c512.c1023'] }), PASS],
    ['container: no category', container({ securityOpts: ['label=level:s0'] }), PASS],
    ['container: malformed (Docker refuses it; the container does not start)', container({ securityOpts: ['label=level:s0:c0.c1023,'] }), PASS],
    ['container: a level left out as unknown', container({ securityOpts: ['label=type:container_t'], unknown: ['securityOpts'] }), UNKNOWN],
    ['container: every category beside an unknown option', container({ securityOpts: ['label=level:s0:c0.c1023'], unknown: ['securityOpts'] }), FAIL, /every MCS category/],
    ['service: se_linux_context level', service({ securityOpts: ['label=level:s0-s0:c0.c1023'] }), FAIL, /se_linux_context gives "label=level:s0-s0:c0\.c1023"/],
    ['service: se_linux_context two categories', service({ securityOpts: ['label=level:s0:c1,c2'] }), PASS],
    ['service: level unknown', service({ unknown: ['securityOpts'] }), UNKNOWN],
    ['compose: every category', compose({ securityOpts: ['label=level:s0-s0:c0.c1023'] }), FAIL, /security_opts has "label=level:s0-s0:c0\.c1023"/],
    ['compose: two categories', compose({ securityOpts: ['label=level:s0:c3,c4'] }), PASS],
    ['compose: unknown', compose({ unknown: ['securityOpts'] }), UNKNOWN],
    ['engine container: every category', engineContainer({ securityOpts: ['label=level:s0:c0.c1023'] }), FAIL],
    ['engine container: two categories', engineContainer({ securityOpts: ['label=level:s0:c3,c4'] }), PASS],
    ['engine service: every category', engineService({ securityOpts: ['label=level:s0:c0.c1023'] }), FAIL, /every MCS category/],
  ];
  test.each(cases.map((c) => [c[0], c] as const))('%s', (_name, [, spec, status, message]) => {
    const result = RULE.check(spec);
    expect(result.status).toBe(status);
    if (message) expect(result.message).toMatch(message);
  });
});

describe('each reader gives the rule the level as written', () => {
  const status = (spec: ContainerSpec | undefined) => (spec ? RULE.check(spec) : undefined);

  test('Terraform JSON: docker_container security_opts, both separators; docker_service se_linux_context', () => {
    const specs = specsFromTerraformJson({
      resource: {
        docker_container: {
          eq: { name: 'eq', image: 'nginx', security_opts: ['label=level:s0:c0.c1023'] },
          colon: { name: 'colon', image: 'nginx', security_opts: ['label:level:s0:c0.c255,c256.c1023'] },
          pair: { name: 'pair', image: 'nginx', security_opts: ['label=level:s0:c7,c8'] },
          late: { name: 'late', image: 'nginx', security_opts: ['label=level:${var.level}'] },
        },
        docker_service: {
          svc: { name: 'svc', task_spec: { container_spec: { image: 'nginx', privileges: { se_linux_context: { level: 's0-s0:c0.c1023' } } } } },
          later: { name: 'later', task_spec: { container_spec: { image: 'nginx', privileges: { se_linux_context: { level: '${var.level}' } } } } },
        },
      },
    });
    const by = (address: string) => status(specs.find((s) => s.address === address));
    expect(by('docker_container.eq')?.status).toBe(FAIL);
    expect(by('docker_container.colon')?.status).toBe(FAIL);
    expect(by('docker_container.pair')?.status).toBe(PASS);
    expect(by('docker_container.late')?.status).toBe(UNKNOWN);
    expect(by('docker_service.svc')).toMatchObject({ status: FAIL, message: expect.stringMatching(/se_linux_context gives "label=level:s0-s0:c0\.c1023"/) });
    expect(by('docker_service.later')?.status).toBe(UNKNOWN);
  });

  test('HCL: docker_container and docker_service', async () => {
    const specs = await specsFromHcl([
      'resource "docker_container" "web" {',
      '  name          = "web"',
      '  image         = "nginx"',
      '  security_opts = ["label=level:s0:c0.c1023"]',
      '}',
      'resource "docker_service" "svc" {',
      '  name = "svc"',
      '  task_spec {',
      '    container_spec {',
      '      image = "nginx"',
      '      privileges {',
      '        se_linux_context {',
      '          level = "s0:c0.c1023"',
      '        }',
      '      }',
      '    }',
      '  }',
      '}',
    ].join('\n'), 'main.tf');
    expect(specs.map((s) => [s.address, RULE.check(s).status])).toEqual([['docker_container.web', FAIL], ['docker_service.svc', FAIL]]);
  });

  test('compose: security_opt, literal and interpolated', () => {
    expect(RULE.check(web('services:\n  web:\n    image: nginx\n    security_opt: ["label=level:s0-s0:c0.c1023"]\n')).status).toBe(FAIL);
    expect(RULE.check(web('services:\n  web:\n    image: nginx\n    security_opt: ["label:level:s0:c0.c1023"]\n')).status).toBe(FAIL);
    expect(RULE.check(web('services:\n  web:\n    image: nginx\n    security_opt: ["label=level:${LEVEL}"]\n', { LEVEL: 's0:c0.c1023' })).status).toBe(FAIL);
    expect(RULE.check(web('services:\n  web:\n    image: nginx\n    security_opt: ["label=level:${LEVEL}"]\n')).status).toBe(UNKNOWN);
    expect(RULE.check(web('services:\n  web:\n    image: nginx\n    security_opt: ["label=level:s0:c1,c2"]\n')).status).toBe(PASS);
  });

  test('a live engine: a container\'s SecurityOpt, a Swarm service\'s SELinuxContext', () => {
    const inspect = (securityOpt: string[]) => specFromContainerInspect({
      Id: 'x', Name: '/web', Config: { Image: 'nginx' }, HostConfig: { SecurityOpt: securityOpt },
    });
    expect(RULE.check(inspect(['label=level:s0:c0.c1023'])).status).toBe(FAIL);
    expect(RULE.check(inspect(['label=level:s0:c1,c2'])).status).toBe(PASS);
    const svc = specFromServiceInspect({
      ID: 's', Spec: { Name: 'svc', TaskTemplate: { ContainerSpec: { Image: 'nginx', Privileges: { SELinuxContext: { Level: 's0-s0:c0.c1023' } } } } },
    });
    expect(RULE.check(svc).status).toBe(FAIL);
  });
});

/**
 * The model: a level is generated from parts whose category set is known by construction (a bitmap), written in one
 * of the forms the kernel reads; the facts module, reading only the text, must agree.
 */
describe('property: the facts module reads a level as the kernel would', () => {
  const N = SELINUX_CATEGORY_COUNT;
  /** A category item: a single category or an upward range; near the edges of 0..1023 more often than not. */
  const edge = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: N - 4, max: N - 1 }), fc.integer({ min: 0, max: N - 1 }));
  const item = fc.oneof(
    edge.map((c) => ({ from: c, to: c })),
    fc.tuple(edge, edge).filter(([a, b]) => a !== b).map(([a, b]) => ({ from: Math.min(a, b), to: Math.max(a, b) })),
    fc.integer({ min: 1, max: N - 2 }).map((cut) => ({ from: 0, to: cut })),
    fc.integer({ min: 1, max: N - 2 }).map((cut) => ({ from: cut, to: N - 1 })),
  );
  const level = fc.record({
    sensitivity: fc.integer({ min: 0, max: 15 }),
    items: fc.array(item, { maxLength: 5 }),
    upper: fc.boolean(),
  });
  const write = (l: { sensitivity: number; items: Array<{ from: number; to: number }> }) =>
    `s${l.sensitivity}${l.items.length ? ':' : ''}${l.items.map((i) => (i.from === i.to ? `c${i.from}` : `c${i.from}.c${i.to}`)).join(',')}`;
  const everyCategory = (items: Array<{ from: number; to: number }>) => {
    const seen = new Array<boolean>(N).fill(false);
    for (const i of items) for (let c = i.from; c <= i.to; c++) seen[c] = true;
    return seen.every(Boolean);
  };

  test('a level or range holds every category exactly when the model says so', () => {
    fc.assert(fc.property(level, fc.option(level, { nil: undefined }), fc.constantFrom('label=', 'label:'), (low, high, sep) => {
      let text = write(low) + (high ? `-${write(high)}` : '');
      if (low.upper) text = text.toUpperCase();
      const expected = everyCategory(low.items) || (high !== undefined && everyCategory(high.items));
      const range = parseSelinuxRange(text);
      expect(range).toBeDefined();
      expect(range!.some(holdsEveryCategory)).toBe(expected);
      expect(breaksSelinuxConfinement(`level:${text}`)).toBe(expected);
      expect(RULE.check(container({ securityOpts: [`${sep}level:${text}`] })).status).toBe(expected ? FAIL : PASS);
    }));
  });

  test('text the kernel refuses is no range (and no weakening: the container does not start)', () => {
    for (const bad of ['', 's0:', 's0:c', 's0:c0.', 's0:c5.c5', 's0:c9.c1', 'x0:c0.c1023', 's0:c0.c1023,', 's0:c01', 's00', 's0::c1', 's0:c0-c1023', 'SystemHigh']) {
      expect(parseSelinuxRange(bad)).toBeUndefined();
      expect(breaksSelinuxConfinement(`level:${bad}`)).toBe(false);
    }
  });
});

describe('HardenedContainer and the rule agree on every label', () => {
  const labels = [
    'level:s0:c0.c1023', 'level:s0-s0:c0.c1023', 'level:s0:c0.c511,c512.c1023', 'level:s0:c0.c1022', 'level:s0:c100,c200',
    'level:s0', 'type:spc_t', 'type:unconfined_t', 'type:container_runtime_t', 'type:kubelet_t', 'type:container_t', 'disable',
  ];
  test.each(labels)('%s', (label) => {
    const rule = RULE.check(container({ securityOpts: [`label=${label}`] })).status;
    let refused = false;
    try {
      new HardenedContainer(newStack(), 'web', { image: 'local/busybox:test', selinuxLabels: [label] });
    } catch (e: any) {
      expect(e.message).toMatch(/unconfinedSelinux/);
      refused = true;
    }
    expect(refused).toBe(rule === FAIL);
    // What the construct writes (with the opt-out where it needs one), the rule judges as it judged the label.
    const stack = newStack();
    const optOuts = refused ? { unconfinedSelinux: { reason: 'a host agent that reads every container volume' } } : undefined;
    new HardenedContainer(stack, 'web', { image: 'local/busybox:test', selinuxLabels: [label], optOuts });
    const [written] = specsFromTerraformJson(JSON.parse(Testing.synth(stack)));
    expect(written.securityOpts).toContain(`label=${label}`);
    expect(RULE.check(written).status).toBe(rule);
  });
});

test('a level that is a token: the construct cannot refuse it, and the rule on what it writes is unknown, not a pass', () => {
  const stack = newStack();
  const level = new TerraformVariable(stack, 'level', { type: 'string' });
  new HardenedContainer(stack, 'web', { image: 'local/busybox:test', selinuxLabels: [`level:${level.stringValue}`] });
  const [written] = specsFromTerraformJson(JSON.parse(Testing.synth(stack)));
  expect(written.unknown).toContain('securityOpts');
  expect(RULE.check(written).status).toBe(UNKNOWN);
});
