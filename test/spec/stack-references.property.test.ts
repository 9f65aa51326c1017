import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { loadInputs } from '../../src/cli/inputs';
import { ContainerSpec } from '../../src/spec/container-spec';
import { dockerResources, specFromResource } from '../../src/spec/terraform/resources';
import { StackReferences, withStackReferences } from '../../src/spec/terraform/stack-references';

/**
 * Synth and `hardened-docker check` read one stack's JSON alike: the specs synth reads (withStackReferences, then the
 * adapter, as DockerSecurityChecks does) equal, field by field and unknowns included, those `check` reads from the
 * same JSON through its input path (the configuration evaluator). The documents hold what synth decides (locals:
 * literals, chains, cycles, lists, numbers, bools, templates around references; literal and unset attributes of other
 * resources; escapes) and what stays unknown on both sides (variables without a value, data sources, functions,
 * directives over unknowns).
 */

const STR = ['s0', 's1', 's2', 's3'];
const NUM = ['n0', 'n1'];
const NETS = ['net0', 'net1'];
const CONTAINERS = ['c0', 'c1', 'c2'];

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const referenceTo = (names: string[], prefix: string) => fc.constantFrom(...names).map((n) => `${prefix}${n}`);
const localStr = referenceTo(STR, 'local.');
const localNum = referenceTo(NUM, 'local.');
const netAttr = fc.oneof(
  fc.tuple(fc.constantFrom(...NETS), fc.constantFrom('name', 'id', 'driver')).map(([n, a]) => `docker_network.${n}.${a}`),
  // Another container's name or user (itself a template, or unset), or a container the document may not have.
  fc.tuple(fc.constantFrom(...CONTAINERS), fc.constantFrom('name', 'user')).map(([c, a]) => `docker_container.${c}.${a}`),
);

/** What stays unknown on both sides. */
const unknownExpr = fc.constantFrom('var.free', 'data.docker_network.d.name', 'timestamp()', 'docker_container.c0.id');

/**
 * What `check` decides and synth leaves unknown: variable defaults, functions and operators, directives over known
 * values, a counted resource's instance, a fraction inside a template.
 */
const BEYOND_SYNTH_STRINGS = fc.constantFrom('${upper(local.s0)}', '${var.dflt}', '%{ if local.b0 }host%{ endif }',
  '${docker_network.many[0].name}', 'x-${local.f}', '${local.s0 == "host" ? "host" : "bridge"}');

/** Stack documents; `beyondSynth` adds what only `check` decides. */
function stackDocuments(beyondSynth: boolean) {
  /** A string value: a literal (escapes included), a reference, or a template around references. */
  const stringValue: fc.Arbitrary<string> = fc.oneof(
    fc.constantFrom('host', 'bridge', 'none', 'web', 'container:db', 'a$${b}c', 'x%%{y}'),
    localStr.map((r) => `\${${r}}`),
    netAttr.map((r) => `\${${r}}`),
    unknownExpr.map((e) => `\${${e}}`),
    fc.tuple(fc.constantFrom('p-', 'container:', ''), fc.oneof(localStr, localNum, netAttr, unknownExpr, fc.constant('local.b0')),
      fc.constantFrom('', '-x', '$${lit}'), opt(fc.oneof(localStr, unknownExpr)))
      .map(([pre, a, mid, b]) => `${pre}\${${a}}${mid}${b ? `\${${b}}` : ''}`),
    fc.constant('%{ if var.flag }host%{ endif }'),
    ...(beyondSynth ? [BEYOND_SYNTH_STRINGS] : []),
  );

  const numberValue: fc.Arbitrary<number | string> = fc.oneof(
    fc.integer({ min: 0, max: 4096 }),
    localNum.map((r) => `\${${r}}`),
    fc.constant('${var.free}'),
    ...(beyondSynth ? [fc.constantFrom('${local.n0 * 2}', '${var.dnum}')] : []),
  );

  const boolValue: fc.Arbitrary<boolean | string> = fc.oneof(fc.boolean(), fc.constant('${local.b0}'), fc.constant('${var.flag}'));

  const listValue: fc.Arbitrary<unknown> = fc.oneof(
    fc.array(fc.oneof(fc.constantFrom('NET_ADMIN', 'SYS_ADMIN', 'CHOWN'), localStr.map((r) => `\${${r}}`), fc.constant('${var.free}')), { maxLength: 3 }),
    fc.constant('${local.caps}'),
    fc.constant('${var.free}'),
    ...(beyondSynth ? [fc.constant('${concat(local.caps, ["CHOWN"])}')] : []),
  );

  const container = fc.record({
    name: fc.oneof(fc.constant('app'), stringValue),
    image: fc.oneof(fc.constant(`nginx@sha256:${'a'.repeat(64)}`), stringValue),
    network_mode: opt(stringValue),
    user: opt(stringValue),
    ipc_mode: opt(stringValue),
    memory: opt(numberValue),
    cpu_shares: opt(numberValue),
    privileged: opt(boolValue),
    read_only: opt(boolValue),
    capabilities: opt(fc.record({ add: listValue, drop: opt(listValue) }, { requiredKeys: ['add'] })),
    security_opts: opt(listValue),
    volumes: opt(fc.array(fc.record({
      volume_name: fc.oneof(fc.constant('${docker_volume.data.name}'), fc.constant('${docker_volume.data.id}'), stringValue),
      container_path: fc.constantFrom('/data', '/var/lib'),
    }), { maxLength: 2 })),
    // Map keys with references are left out: check writes an unknown key back escaped, as a literal (reported).
    tmpfs: opt(fc.dictionary(fc.constantFrom('/tmp', '/run'), fc.oneof(fc.constantFrom('rw', 'noexec'), stringValue), { maxKeys: 2 })),
    networks_advanced: opt(fc.array(fc.record({ name: stringValue }), { maxLength: 2 })),
    // A suppression label whose reason (or key) names a local.
    labels: opt(fc.array(fc.record({
      label: fc.oneof(fc.constantFrom('hardened-docker.suppress.no-host-network', 'team'), localStr.map((r) => `\${${r}}`)),
      value: fc.oneof(fc.constant('the host network is needed here'), stringValue),
    }), { maxLength: 2 })),
  }, { requiredKeys: ['name', 'image'] });

  return fc.record({
    locals: fc.record({
      s0: stringValue,
      s1: stringValue,
      s2: stringValue,
      s3: stringValue,
      n0: numberValue,
      n1: numberValue,
      b0: boolValue,
      caps: listValue,
    }),
    nets: fc.tuple(
      fc.record({ name: stringValue, driver: opt(fc.constantFrom('bridge', 'overlay')) }, { requiredKeys: ['name'] }),
      fc.record({ name: stringValue }),
    ),
    volumeName: stringValue,
    containers: fc.array(container, { minLength: 1, maxLength: CONTAINERS.length }),
  }).map((g) => ({
    terraform: { required_providers: { docker: { source: 'kreuzwerker/docker', version: '3.6.2' } } },
    variable: { free: { type: 'string' }, flag: { type: 'bool' }, dflt: { type: 'string', default: 'host' }, dnum: { type: 'number', default: 64 } },
    data: { docker_network: { d: { name: 'existing' } } },
    locals: { ...g.locals, f: 0.5 },
    resource: {
      docker_network: { ...Object.fromEntries(g.nets.map((n, i) => [NETS[i], n])), many: { count: 2, name: 'many' } },
      docker_volume: { data: { name: g.volumeName } },
      docker_container: Object.fromEntries(g.containers.map((c, i) => [CONTAINERS[i], c])),
    },
  }));
}

/** A spec without where it was read from: the rest is what the rules see. */
function settings(spec: ContainerSpec, withoutCauses = false, withoutResiduals = false): object {
  const { file: _file, unknownCauses, ...rest } = spec as any;
  if (!withoutCauses && unknownCauses !== undefined) rest.unknownCauses = unknownCauses;
  // Under a cycle the residual text of an unknown label key or reason (the `origin` naming the key, the reason
  // itself) depends on where each side entered the cycle, as its cause does: compared without it.
  if (withoutResiduals) {
    // `container:<expression>` is known to join a container (kept as written): under a cycle, its expression's text too.
    for (const field of ['networkMode', 'pidMode', 'ipcMode']) {
      if (typeof rest[field] === 'string' && /^container:.*[$%]\{/s.test(rest[field])) rest[field] = 'container:<a residual>';
    }
  }
  if (withoutResiduals && Array.isArray(rest.suppressions)) {
    rest.suppressions = rest.suppressions.map((s: any) => {
      if (!s.keyUnknown && !s.reasonUnknown) return s;
      const { origin: _origin, ...kept } = s;
      if (kept.reasonUnknown) delete kept.reason;
      return kept;
    });
  }
  return JSON.parse(JSON.stringify(rest));
}

/** The settings of `spec` that `other` knows too: neither lists them unknown, neither holds a `container:` residual. */
function knownToBoth(spec: any, other: any): object {
  if (other === undefined) return spec;
  const residual = (x: any, f: string) => x[f] === 'container:<a residual>';
  const unknown = new Set<string>([...spec.unknown ?? [], ...other.unknown ?? []]);
  const out: any = {};
  for (const [field, value] of Object.entries(spec)) {
    if (['unknown', 'listedInFull', 'unknownCauses'].includes(field) || unknown.has(field) || residual(spec, field) || residual(other, field)) continue;
    out[field] = value;
  }
  return out;
}

/** True when synth's reading of the document meets a cycle (of locals, or through a resource's own attribute). */
function synthMeetsCycle(doc: any): boolean {
  const references = new StackReferences(doc);
  for (const ref of dockerResources(doc)) references.body(ref.body);
  return references.cycles > 0;
}

/** What synth reads: the adapter over the bodies withStackReferences gives; a body it refuses is its error. */
function synthSpecs(doc: any, withoutCauses: boolean, withoutResiduals = false): Map<string, object | { error: string }> {
  const out = new Map<string, object | { error: string }>();
  for (const ref of withStackReferences(doc, dockerResources(doc))) {
    try {
      out.set(`${ref.type}.${ref.name}`, settings(specFromResource(ref), withoutCauses, withoutResiduals));
    } catch (e: any) {
      out.set(`${ref.type}.${ref.name}`, { error: e.message });
    }
  }
  return out;
}

describe('synth reads a stack\'s references as check does', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-stackrefs-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the specs synth reads equal those check reads from the same JSON, field by field', async () => {
    let resolvedSome = 0;
    await fc.assert(fc.asyncProperty(stackDocuments(false), async (doc) => {
      const file = path.join(dir, 'cdk.tf.json');
      const text = JSON.stringify(doc, null, 2);
      fs.writeFileSync(file, text);
      const problems: string[] = [];
      const units = await loadInputs(['cdk.tf.json'], { cwd: dir, env: {}, problems });
      // A cycle (of locals, or through a resource's own attribute: Terraform refuses both) is unknown on both sides, its
      // residual (hence its cause) depending on where each side entered it: the causes are compared only without one.
      const cycle = problems.some((p) => p.includes('cycle')) || synthMeetsCycle(doc);
      const checked = new Map(units.flatMap((u) => u.specs).map((s) => [s.address, settings(s, cycle, cycle)]));
      const synth = synthSpecs(JSON.parse(text), cycle, cycle);
      for (const [address, spec] of synth) {
        if ('error' in spec) {
          // A body the adapter refuses at synth is one check refuses too (reported as a problem of the file).
          expect(checked.has(address)).toBe(false);
          expect(problems.join('\n')).toContain(address);
        } else if (cycle) {
          // Terraform refuses a configuration with a cycle. Where each side entered it decides which settings it
          // leaves unknown (`container:<residual>` on one side, unknown on the other): what both know must agree.
          expect({ address, spec: knownToBoth(spec, checked.get(address)) }).toEqual({ address, spec: knownToBoth(checked.get(address), spec) });
        } else {
          expect({ address, spec }).toEqual({ address, spec: checked.get(address) });
        }
      }
      expect([...checked.keys()].filter((a) => !synth.has(a))).toEqual([]);
      if (withStackReferences(doc, dockerResources(doc)).some((r, i) => r.body !== dockerResources(doc)[i].body)) resolvedSome++;
    }), { numRuns: 300 });
    // The documents exercised the resolution, not only what stays unknown.
    expect(resolvedSome).toBeGreaterThan(50);
  }, 120_000);

  test('where check decides more (defaults, functions, directives), synth knows nothing check does not, and agrees on what it knows', async () => {
    await fc.assert(fc.asyncProperty(stackDocuments(true), async (doc) => {
      const file = path.join(dir, 'cdk.tf.json');
      const text = JSON.stringify(doc, null, 2);
      fs.writeFileSync(file, text);
      const units = await loadInputs(['cdk.tf.json'], { cwd: dir, env: {}, problems: [] });
      const checked = new Map(units.flatMap((u) => u.specs).map((s) => [s.address, settings(s, true) as any]));
      for (const [address, spec] of synthSpecs(JSON.parse(text), true) as Map<string, any>) {
        // A body check refuses (a list in a template, an attribute of a counted resource): nothing to compare.
        const other = checked.get(address);
        if ('error' in spec || other === undefined) continue;
        const unknownAtSynth = new Set<string>(spec.unknown ?? []);
        expect({ address, unknownOnlyUnderCheck: (other.unknown ?? []).filter((f: string) => !unknownAtSynth.has(f)) })
          .toEqual({ address, unknownOnlyUnderCheck: [] });
        for (const [field, value] of Object.entries(spec)) {
          if (['unknown', 'listedInFull', 'suppressions'].includes(field) || unknownAtSynth.has(field)) continue;
          // A value known in part keeps its expression as text (`container:${var.x}`: a container's namespace).
          if (/[$%]\{/.test(JSON.stringify(value))) continue;
          expect({ address, field, value: other[field] }).toEqual({ address, field, value });
        }
      }
    }), { numRuns: 200 });
  }, 120_000);
});
