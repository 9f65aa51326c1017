import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { HardenedContainer } from '../../src';
import { evaluateAgainst, LiveResource, loadDeclared, matchResources, profileWithDrift } from '../../src/drift';
import { Profile } from '../../src/profiles/profile';
import { toSarif } from '../../src/report/sarif';
import { ContainerSpec, ResourceKind, SpecSource } from '../../src/spec/container-spec';
import { specsFromTerraformJson } from '../../src/spec/terraform-adapter';
import { newStack } from '../constructs/helpers';

const HARDENED = Profile.named('hardened');
const OPTS = { against: 'cdktf.out', host: 'unix:///var/run/docker.sock' };

/** Two HardenedContainers as synthesized and read back, with their construct paths. */
function declaredSpecs(): ContainerSpec[] {
  const stack = newStack();
  new HardenedContainer(stack, 'web', { image: 'local/busybox:test', name: 'web' });
  new HardenedContainer(stack, 'worker', { image: 'local/busybox:test', name: 'worker' });
  // fullSynth keeps the construct paths (the `//` metadata) that Testing.synth leaves out.
  const out = Testing.fullSynth(stack);
  return specsFromTerraformJson(JSON.parse(fs.readFileSync(path.join(out, 'stacks', 'stack', 'cdk.tf.json'), 'utf8')), { file: 'cdk.tf.json' });
}

/** A declared spec as the engine would report it, unchanged: the same settings under the engine's address. */
function asLive(d: ContainerSpec, over: Partial<ContainerSpec> = {}, id = `${d.name}`.padEnd(64, '0')): LiveResource {
  return {
    spec: { ...d, source: SpecSource.ENGINE, address: `container/${d.name}`, constructPath: undefined, file: undefined, unknown: undefined, ...over },
    id,
  };
}

function byRule(findings: { ruleId: string }[], ruleId: string): any[] {
  return findings.filter((f) => f.ruleId === ruleId);
}

describe('matchResources', () => {
  test('by name and kind; the rest are undeclared or missing', () => {
    const [web, worker] = declaredSpecs();
    const stranger = asLive({ ...web, name: 'stranger' });
    const m = matchResources([web, worker], [asLive(web), stranger]);
    expect(m.pairs.map((p) => [p.declared.address, p.live.spec.name])).toEqual([[web.address, 'web']]);
    expect(m.undeclared.map((l) => l.spec.name)).toEqual(['stranger']);
    expect(m.missing.map((d) => d.name)).toEqual(['worker']);
  });

  test('a service is not matched to a container of the same name', () => {
    const [web] = declaredSpecs();
    const m = matchResources([web], [asLive(web, { kind: ResourceKind.SERVICE, address: 'service/web' })]);
    expect(m.pairs).toEqual([]);
  });

  test('a Swarm task\'s container is judged through its service, never undeclared', () => {
    const [web] = declaredSpecs();
    const task = asLive(web, { name: 'web.1.x', labels: { 'com.docker.swarm.service.name': 'web' } });
    expect(matchResources([], [task]).undeclared).toEqual([]);
  });

  test('a declared service is paired with the live service of its name, and compared', () => {
    const service: ContainerSpec = {
      kind: ResourceKind.SERVICE,
      source: SpecSource.TERRAFORM_JSON,
      address: 'docker_service.api',
      name: 'api',
      readOnly: true,
      capDrop: ['ALL'],
      memoryBytes: 64 * 1024 ** 2,
      nanoCpus: 5e8,
      restartPolicy: 'on-failure',
      maxRetryCount: 3,
    };
    const live: LiveResource = { spec: { ...service, source: SpecSource.ENGINE, address: 'service/api', nanoCpus: 2e9, restartPolicy: 'any', maxRetryCount: undefined }, id: 'svc1' };
    const ev = evaluateAgainst([service], [live], HARDENED, OPTS);
    const [drift] = byRule(ev.findings, 'drift');
    expect(drift.message).toContain('live service api (id svc1) differs from docker_service.api');
    expect(drift.message).toContain('cpu_quota/cpu_period: declared nano_cpus 500000000 (0.5 CPU), live nano_cpus 2000000000 (2 CPU)');
    expect(drift.message).toContain('restart: declared on-failure:3, live any');
  });

  test('a declaration whose name is unknown is matched by its hardened-docker labels when one live resource carries them', () => {
    const [web] = declaredSpecs();
    const unnamed: ContainerSpec = { ...web, name: undefined, unknown: ['name'] };
    const m = matchResources([unnamed], [asLive(web, { name: 'web-by-hand' })]);
    expect(m.pairs).toHaveLength(1);
    expect(m.missing).toEqual([]);
    // Two candidates with the same labels: no guess.
    const two = matchResources([unnamed], [asLive(web, { name: 'a' }), asLive(web, { name: 'b' })]);
    expect(two.pairs).toEqual([]);
    expect(two.missing).toHaveLength(1);
  });
});

describe('evaluateAgainst', () => {
  test('an untouched container gives no drift finding', () => {
    const [web] = declaredSpecs();
    const ev = evaluateAgainst([web], [asLive(web)], HARDENED, OPTS);
    expect(ev.findings.filter((f) => ['drift', 'drift-stronger', 'undeclared', 'missing'].includes(f.ruleId))).toEqual([]);
    expect(ev.resources[0].outcomes.drift).toBe('pass');
  });

  test('a weakened container: one drift error with the declared address and construct path, the live name and id', () => {
    const [web] = declaredSpecs();
    const live = asLive(web, { memoryBytes: 1024 ** 3, memorySwapBytes: 1024 ** 3, restartPolicy: 'always', maxRetryCount: undefined }, 'f00d'.repeat(16));
    const ev = evaluateAgainst([web], [live], HARDENED, OPTS);
    const [drift] = byRule(ev.findings, 'drift');
    expect(drift).toMatchObject({
      severity: 'error',
      status: 'fail',
      address: web.address,
      constructPath: web.constructPath,
      resourceName: 'web',
      file: 'cdk.tf.json',
      suppressed: false,
    });
    expect(web.constructPath).toBe('stack/web/container');
    expect(drift.message).toContain('live container web (id f00df00df00d)');
    expect(drift.message).toContain(`differs from ${web.address} (construct stack/web/container)`);
    expect(drift.message).toContain('memory: declared 256 MiB, live 1 GiB');
    expect(drift.message).toContain('restart: declared on-failure:3, live always');
    expect(byRule(ev.findings, 'drift-stronger')).toEqual([]);
  });

  test('a stronger live setting is info', () => {
    const [web] = declaredSpecs();
    const ev = evaluateAgainst([web], [asLive(web, { memoryBytes: 64 * 1024 ** 2, memorySwapBytes: 64 * 1024 ** 2 })], HARDENED, OPTS);
    expect(byRule(ev.findings, 'drift')).toEqual([]);
    expect(byRule(ev.findings, 'drift-stronger')).toEqual([expect.objectContaining({ severity: 'info', message: expect.stringContaining('memory: declared 256 MiB, live 64 MiB') })]);
  });

  test('a changed digest label says the container was never replaced', () => {
    const [web] = declaredSpecs();
    const ev = evaluateAgainst([web], [asLive(web, { labels: { ...web.labels, 'hardened-docker.settings-digest': '0'.repeat(64) } })], HARDENED, OPTS);
    expect(byRule(ev.findings, 'drift')[0].message).toMatch(/settings-digest: declared sha256:[0-9a-f]{64}, live 0{64}: the container was never replaced/);
  });

  test('undeclared and missing, each a warning; missing only within the audit\'s scope', () => {
    const [web, worker] = declaredSpecs();
    const ev = evaluateAgainst([web, worker], [asLive({ ...web, name: 'stranger' }, {}, 'abc'.padEnd(64, '1'))], HARDENED, OPTS);
    expect(byRule(ev.findings, 'undeclared')).toEqual([expect.objectContaining({
      severity: 'warning', address: 'container/stranger', message: expect.stringContaining('container stranger (id abc111111111) on the engine matches no docker_container or docker_service declared in cdktf.out'),
    })]);
    expect(byRule(ev.findings, 'missing').map((f) => f.address)).toEqual([web.address, worker.address]);
    expect(byRule(ev.findings, 'missing')[0]).toMatchObject({ severity: 'warning', constructPath: 'stack/web/container' });
    // The missing declarations are reported under `missing` alone, not re-checked by every rule.
    expect(ev.findings.filter((f) => f.address === worker.address).map((f) => f.ruleId)).toEqual(['missing']);
    const scoped = evaluateAgainst([web, worker], [], HARDENED, { ...OPTS, inScope: (d) => d.name === 'web' });
    expect(byRule(scoped.findings, 'missing').map((f) => f.resourceName)).toEqual(['web']);
  });

  test('a suppression label on the live container suppresses drift like any rule; the profile regrades nothing else', () => {
    const [web] = declaredSpecs();
    const labels = { ...web.labels, 'hardened-docker.suppress.drift': 'memory raised by ops during incident 4711' };
    const live = asLive(web, { memoryBytes: 1024 ** 3, memorySwapBytes: 1024 ** 3, labels, suppressions: [{ ruleId: 'drift', reason: labels['hardened-docker.suppress.drift'], origin: 'label' }] });
    const ev = evaluateAgainst([web], [live], HARDENED, OPTS);
    expect(byRule(ev.findings, 'drift')).toEqual([expect.objectContaining({ suppressed: true, reason: 'memory raised by ops during incident 4711' })]);
    expect(ev.findings.filter((f) => f.ruleId === 'unknown-suppressed-rule')).toEqual([]);
  });

  test('a profile suppression of undeclared applies', () => {
    const [web] = declaredSpecs();
    const profile = HARDENED.derive({ name: 'ops', suppressions: [{ ruleId: 'undeclared', reason: 'the CI runners start their own containers' }] });
    const ev = evaluateAgainst([], [asLive(web)], profile, OPTS);
    expect(byRule(ev.findings, 'undeclared')[0]).toMatchObject({ suppressed: true });
  });

  test('the drift rules are in the SARIF driver of the profile the audit ran', () => {
    const [web] = declaredSpecs();
    const ev = evaluateAgainst([web], [asLive(web, { privileged: true })], HARDENED, OPTS);
    const sarif = toSarif(ev, { rules: profileWithDrift(HARDENED).activeRules.map((a) => a.rule), version: '0.0.0' });
    const run = sarif.runs[0];
    const drift = run.results!.find((r) => r.ruleId === 'drift')!;
    expect(run.tool.driver.rules![drift.ruleIndex!].id).toBe('drift');
    expect(drift.level).toBe('error');
  });
});

describe('loadDeclared', () => {
  const fixtures = path.join(__dirname, '..', 'cli', 'fixtures');

  test('reads HCL, Terraform JSON and plan JSON as check does', async () => {
    const hcl = await loadDeclared(['hcl'], fixtures);
    expect(hcl.map((s) => s.name)).toEqual(expect.arrayContaining(['app', 'debug']));
    expect((await loadDeclared(['tf-json/containers.tf.json'], fixtures)).length).toBeGreaterThan(0);
    expect((await loadDeclared(['plan/plan.json'], fixtures)).every((s) => s.source === SpecSource.TERRAFORM_PLAN)).toBe(true);
  });

  test('a path that does not exist, or none, is an error naming it', async () => {
    await expect(loadDeclared(['no/such/dir'], fixtures)).rejects.toThrow(/no\/such\/dir/);
    await expect(loadDeclared([], fixtures)).rejects.toThrow(/--against needs a path/);
  });
});

describe('profiles and the drift rules', () => {
  test('a profile file may re-grade or switch off a drift rule; the others are added as they are', () => {
    const [web] = declaredSpecs();
    const ops = Profile.fromJson({ name: 'ops', extends: 'hardened', rules: { drift: 'warning', undeclared: 'off' } });
    const live = asLive(web, { memoryBytes: 1024 ** 3, memorySwapBytes: 1024 ** 3 });
    const stranger = asLive({ ...web, name: 'stranger' });
    const ev = evaluateAgainst([web], [live, stranger], ops, OPTS);
    expect(byRule(ev.findings, 'drift')).toEqual([expect.objectContaining({ severity: 'warning' })]);
    expect(byRule(ev.findings, 'undeclared')).toEqual([]);
    expect(profileWithDrift(ops).severityOf('missing')).toBe('warning');
    expect(profileWithDrift(ops).hasRule('drift-stronger')).toBe(true);
  });
});
