import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Service } from '@cdktf/provider-docker/lib/service';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { App, Aspects, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { DockerSecurityChecks, DockerSecurityChecksProps } from '../../src/checks/docker-security-checks';
import { Suppressions } from '../../src/checks/suppressions';
import { Profile, ProfileLevel, RuleSetting } from '../../src/profiles/profile';
import { ProfileScope } from '../../src/profiles/scope';
import { builtinRule } from '../../src/rules/catalog';
import { IRule, Results, Severity } from '../../src/rules/rule';
import { isUnknown } from '../../src/spec/fields';
import { specsFromTerraformJson } from '../../src/spec/terraform-adapter';

// Rules by id, so these tests hold while the catalog grows.
function rule(id: string): IRule {
  const r = builtinRule(id);
  if (!r) throw new Error(`test setup: no rule ${id}`);
  return r;
}

/** An organisation rule on memory: an error when unset, unknown when only known after apply. */
const memoryRule: IRule = {
  metadata: {
    id: 'test-memory-limit',
    title: 'Memory is limited',
    cis: ['5.10'],
    severity: Severity.ERROR,
    rationale: 'test rule',
    remediation: 'Set `memory`.',
  },
  check: (spec) => {
    if (isUnknown(spec, 'memoryBytes')) return Results.unknown('memory is only known after apply');
    return spec.memoryBytes ? Results.pass() : Results.fail('memory is not set');
  },
};
Suppressions.registerRuleId(memoryRule.metadata.id);

function profile(ids: string[], settings: RuleSetting[] = [], extra: IRule[] = []): Profile {
  return new Profile('test', [...ids.map(rule), ...extra], settings);
}

const PRIVILEGED_ONLY = () => profile(['no-privileged']);

const tmpDirs: string[] = [];
function newApp(opts: { hclOutput?: boolean } = {}): App {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-checks-'));
  tmpDirs.push(outdir);
  return opts.hclOutput ? new App({ outdir, hclOutput: true, stackTraces: false }) : Testing.app({ outdir });
}
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

function newStack(app: Construct, id: string): TerraformStack {
  const stack = new TerraformStack(app, id);
  new DockerProvider(stack, 'docker');
  return stack;
}

function web(scope: Construct, id = 'web', extra: Partial<ConstructorParameters<typeof Container>[2]> = {}): Container {
  return new Container(scope, id, { name: id, image: 'nginx:1.27', readOnly: true, ...extra });
}

const quiet = (props: DockerSecurityChecksProps = {}): DockerSecurityChecksProps => ({ printReport: false, ...props });

function stackDir(app: App, stack: string): string {
  return path.join(app.outdir, 'stacks', stack);
}
function report(app: App, stack: string): any {
  return JSON.parse(fs.readFileSync(path.join(stackDir(app, stack), 'hardened-docker-report.json'), 'utf8'));
}
function sarif(app: App, stack: string): any {
  return JSON.parse(fs.readFileSync(path.join(stackDir(app, stack), 'hardened-docker-report.sarif'), 'utf8'));
}
function cdkTfJson(app: App, stack: string): any {
  return JSON.parse(fs.readFileSync(path.join(stackDir(app, stack), 'cdk.tf.json'), 'utf8'));
}
function synthError(fn: () => unknown): string {
  try {
    fn();
  } catch (e: any) {
    return String(e.message);
  }
  throw new Error('expected synth to fail');
}

describe('every stack of the app is checked', () => {
  const entryPoints: [string, (app: App, props: DockerSecurityChecksProps) => void][] = [
    ['DockerSecurityChecks.applyTo(app)', (app, props) => DockerSecurityChecks.applyTo(app, props)],
    ['Aspects.of(app).add(new DockerSecurityChecks())', (app, props) => Aspects.of(app).add(new DockerSecurityChecks(props))],
  ];

  test.each(entryPoints)('%s checks two stacks, one created after the call', (_name, add) => {
    const app = newApp();
    const early = newStack(app, 'early');
    add(app, quiet({ profile: profile(['read-only-rootfs'], [{ ruleId: 'read-only-rootfs', severity: Severity.WARNING }]) }));
    const late = newStack(app, 'late');
    web(early, 'a', { readOnly: false });
    web(late, 'b', { readOnly: false });
    app.synth();
    for (const [stack, container] of [['early', 'a'], ['late', 'b']]) {
      const r = report(app, stack);
      expect(r.summary).toMatchObject({ resources: 1, warning: 1, error: 0 });
      expect(r.findings[0]).toMatchObject({ ruleId: 'read-only-rootfs', address: `docker_container.${container}`, stack });
    }
  });

  test.each(entryPoints)('%s fails synth for a violation in a stack created after the call', (_name, add) => {
    const app = newApp();
    newStack(app, 'early');
    add(app, quiet({ profile: PRIVILEGED_ONLY() }));
    const late = newStack(app, 'late');
    web(late).addOverride('privileged', true);
    expect(synthError(() => app.synth())).toMatch(/\[late\/web\] no-privileged/);
  });

  test('Testing.synth(stack) runs stack-level and app-level checks', () => {
    const app1 = newApp();
    const s1 = newStack(app1, 's');
    DockerSecurityChecks.applyTo(s1, quiet({ profile: PRIVILEGED_ONLY() }));
    web(s1).addOverride('privileged', true);
    expect(() => Testing.synth(s1)).toThrow(/no-privileged/);

    const app2 = newApp();
    DockerSecurityChecks.applyTo(app2, quiet({ profile: PRIVILEGED_ONLY() }));
    const s2 = newStack(app2, 's');
    web(s2).addOverride('privileged', true);
    expect(() => Testing.synth(s2)).toThrow(/no-privileged/);
  });

  test('an app whose stacks have no docker resources synthesizes, with empty reports', () => {
    const app = newApp();
    DockerSecurityChecks.applyTo(app, quiet());
    new TerraformStack(app, 'empty');
    app.synth();
    expect(report(app, 'empty')).toEqual({ findings: [], summary: expect.objectContaining({ resources: 0, error: 0, warning: 0 }) });
    expect(sarif(app, 'empty').runs[0].results).toEqual([]);
  });

  test('a stack without checks is not checked', () => {
    const app = newApp();
    const stack = newStack(app, 'unchecked');
    web(stack).addOverride('privileged', true);
    app.synth();
    expect(fs.existsSync(path.join(stackDir(app, 'unchecked'), 'hardened-docker-report.json'))).toBe(false);
  });

  test('checks added below a stack are an error that says where to add them', () => {
    const app = newApp();
    const stack = newStack(app, 's');
    const group = new Construct(stack, 'group');
    web(group);
    Aspects.of(group).add(new DockerSecurityChecks(quiet()));
    expect(synthError(() => app.synth())).toMatch(/\[s\/group\] DockerSecurityChecks was added to "s\/group", which is not a stack or the app.*DockerSecurityChecks\.applyTo\(app\)/s);
  });

  test('the app synthesizes twice with the same outcome (no state left behind)', () => {
    const app = newApp();
    DockerSecurityChecks.applyTo(app, quiet({ profile: profile(['read-only-rootfs'], [{ ruleId: 'read-only-rootfs', severity: Severity.WARNING }]) }));
    web(newStack(app, 's'), 'web', { readOnly: false });
    app.synth();
    app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, 'manifest.json'), 'utf8'));
    expect(manifest.stacks.s.annotations.filter((a: any) => a.message.startsWith('read-only-rootfs'))).toHaveLength(1);
    expect(report(app, 's').summary.warning).toBe(1);
  });
});

describe('what Terraform receives', () => {
  test('a raw Container with addOverride("privileged", true) fails synth naming path, rule, CIS id, value and fix', () => {
    const app = newApp();
    DockerSecurityChecks.applyTo(app, quiet({ profile: PRIVILEGED_ONLY() }));
    const stack = newStack(app, 'prod');
    web(stack, 'api').addOverride('privileged', true);
    const message = synthError(() => app.synth());
    expect(message).toContain('Docker security checks failed for stack "prod"');
    expect(message).toContain('[prod/api] no-privileged (CIS 5.5): privileged = true. Fix: Remove `privileged`');
    // The report is written even when synth fails, for CI to upload.
    expect(report(app, 'prod').findings[0]).toMatchObject({ ruleId: 'no-privileged', severity: 'error', suppressed: false });
  });

  test('an override that fixes a violation makes synth pass: the checks see the JSON after overrides', () => {
    const app = newApp();
    DockerSecurityChecks.applyTo(app, quiet({ profile: profile(['no-privileged', 'read-only-rootfs']) }));
    const stack = newStack(app, 's');
    const c = web(stack, 'web', { privileged: true, readOnly: false });
    c.addOverride('privileged', false);
    c.addOverride('read_only', true);
    expect(() => app.synth()).not.toThrow();
    expect(report(app, 's').findings).toEqual([]);
  });

  test('a token (TerraformVariable) for memory is unknown: a warning, and an error with strict: true', () => {
    for (const strict of [false, true]) {
      const app = newApp();
      DockerSecurityChecks.applyTo(app, quiet({ profile: profile([], [], [memoryRule]), strict }));
      const stack = newStack(app, 's');
      const mem = new TerraformVariable(stack, 'mem', { type: 'number' });
      web(stack, 'web', { memory: mem.numberValue });
      if (strict) {
        expect(synthError(() => app.synth())).toContain('[s/web] test-memory-limit (CIS 5.10): memory is only known after apply: cannot be verified before apply');
        expect(report(app, 's').findings[0]).toMatchObject({ ruleId: 'test-memory-limit', severity: 'error', status: 'unknown' });
      } else {
        app.synth();
        expect(report(app, 's').findings[0]).toMatchObject({ ruleId: 'test-memory-limit', severity: 'warning', status: 'unknown' });
        expect(cdkTfJson(app, 's').resource.docker_container.web.memory).toBe('${var.mem}');
        const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, 'manifest.json'), 'utf8'));
        expect(manifest.stacks.s.annotations).toEqual([expect.objectContaining({ constructPath: 's/web', level: '@cdktf/warn' })]);
      }
    }
  });

  test('a boolean token for privileged is unknown, never a pass', () => {
    const app = newApp();
    DockerSecurityChecks.applyTo(app, quiet({ profile: PRIVILEGED_ONLY(), strict: true }));
    const stack = newStack(app, 's');
    const priv = new TerraformVariable(stack, 'priv', { type: 'bool' });
    web(stack, 'web', { privileged: priv.booleanValue });
    expect(synthError(() => app.synth())).toMatch(/no-privileged .*privileged depends on a variable without a value: cannot be verified before apply/);
  });

  test('docker_service resources are checked', () => {
    const app = newApp();
    DockerSecurityChecks.applyTo(app, quiet({ profile: profile(['read-only-rootfs']) }));
    const stack = newStack(app, 'swarm');
    new Service(stack, 'ok', { name: 'ok', taskSpec: { containerSpec: { image: 'api', readOnly: true } } });
    new Service(stack, 'api', { name: 'api', taskSpec: { containerSpec: { image: 'api' } } });
    expect(synthError(() => app.synth())).toMatch(/\[swarm\/api\] read-only-rootfs \(CIS 5\.13\): read_only is not set/);
    const r = report(app, 'swarm');
    expect(r.summary.resources).toBe(2);
    expect(r.findings.map((f: any) => f.address)).toEqual(['docker_service.api']);
  });

  test('with hclOutput the checks still run', () => {
    const app = newApp({ hclOutput: true });
    DockerSecurityChecks.applyTo(app, quiet({ profile: PRIVILEGED_ONLY() }));
    web(newStack(app, 's')).addOverride('privileged', true);
    expect(() => app.synth()).toThrow(/no-privileged/);
  });
});

describe('nearest checks win', () => {
  test('stack-level checks beat app-level ones, whatever the order they were added in', () => {
    const app = newApp();
    const relaxed = newStack(app, 'relaxed');
    DockerSecurityChecks.applyTo(relaxed, quiet({ profile: profile(['pids-limit']) }));
    DockerSecurityChecks.applyTo(app, quiet({ profile: PRIVILEGED_ONLY() }));
    const strictStack = newStack(app, 'strict');
    web(relaxed).addOverride('privileged', true);
    web(strictStack);
    app.synth(); // relaxed: no-privileged not in its profile; strict: compliant
    expect(report(app, 'relaxed').findings.map((f: any) => f.ruleId)).toEqual(['pids-limit']);
    expect(report(app, 'strict').findings).toEqual([]);

    web(strictStack, 'bad').addOverride('privileged', true);
    expect(synthError(() => app.synth())).toMatch(/\[strict\/bad\] no-privileged/);
  });

  test('DockerSecurityChecks.of(stack) returns the nearest checks', () => {
    const app = newApp();
    const appChecks = DockerSecurityChecks.applyTo(app, quiet());
    const a = newStack(app, 'a');
    const b = newStack(app, 'b');
    const bChecks = DockerSecurityChecks.applyTo(b, quiet());
    expect(DockerSecurityChecks.of(a)).toBe(appChecks);
    expect(DockerSecurityChecks.of(b)).toBe(bChecks);
    expect(DockerSecurityChecks.of(newStack(newApp(), 'c'))).toBeUndefined();
  });

  test('without a profile prop, the nearest ProfileScope of each resource chooses the rules', () => {
    const app = newApp();
    ProfileScope.apply(app, PRIVILEGED_ONLY());
    DockerSecurityChecks.applyTo(app, quiet());
    const stack = newStack(app, 's');
    const legacy = new Construct(stack, 'legacy');
    ProfileScope.apply(legacy, profile(['pids-limit']));
    web(legacy, 'old').addOverride('privileged', true); // its profile does not run no-privileged
    web(stack, 'new');
    app.synth();
    expect(report(app, 's').findings.map((f: any) => [f.ruleId, f.constructPath])).toEqual([['pids-limit', 's/legacy/old']]);
    // The rules about suppressions and unreadable docker_compose resources apply under every profile: every driver lists them.
    expect(sarif(app, 's').runs[0].tool.driver.rules.map((r: any) => r.id).sort())
      .toEqual(['compose-resource-unchecked', 'invalid-suppression', 'no-privileged', 'pids-limit', 'unknown-suppressed-rule']);
  });
});

describe('suppressions', () => {
  const reason = 'runs the CI docker-in-docker builder, isolated host';

  test('a suppressed finding no longer fails synth and stays in the report with its reason', () => {
    const app = newApp();
    DockerSecurityChecks.applyTo(app, quiet({ profile: PRIVILEGED_ONLY() }));
    const stack = newStack(app, 's');
    const c = web(stack, 'dind');
    c.addOverride('privileged', true);
    Suppressions.add(c, 'no-privileged', reason);
    app.synth();
    expect(report(app, 's').findings).toEqual([expect.objectContaining({ ruleId: 'no-privileged', suppressed: true, reason })]);
    expect(report(app, 's').summary).toMatchObject({ error: 0, suppressed: 1 });
    expect(sarif(app, 's').runs[0].results[0].suppressions).toEqual([{ kind: 'external', justification: reason }]);
  });

  test('scoped to a construct and its children, not its siblings', () => {
    const app = newApp();
    DockerSecurityChecks.applyTo(app, quiet({ profile: PRIVILEGED_ONLY() }));
    const stack = newStack(app, 's');
    const builders = new Construct(stack, 'builders');
    Suppressions.add(builders, 'no-privileged', reason);
    web(builders, 'b1').addOverride('privileged', true);
    web(new Construct(builders, 'nested'), 'b2').addOverride('privileged', true);
    web(stack, 'sibling').addOverride('privileged', true);
    const message = synthError(() => app.synth());
    expect(message).toContain('[s/sibling] no-privileged');
    expect(message).not.toContain('s/builders');
    expect(report(app, 's').findings.map((f: any) => [f.constructPath, f.suppressed])).toEqual([
      ['s/builders/b1', true], ['s/builders/nested/b2', true], ['s/sibling', false],
    ]);
  });

  test('a suppression on the stack or the app covers every resource below it', () => {
    const app = newApp();
    DockerSecurityChecks.applyTo(app, quiet({ profile: PRIVILEGED_ONLY() }));
    Suppressions.add(app, 'no-privileged', reason);
    web(newStack(app, 's')).addOverride('privileged', true);
    expect(() => app.synth()).not.toThrow();
  });

  test('per rule id: suppressing one rule leaves the others', () => {
    const app = newApp();
    DockerSecurityChecks.applyTo(app, quiet({ profile: profile(['no-privileged', 'read-only-rootfs']) }));
    const c = web(newStack(app, 's'), 'web', { readOnly: false });
    c.addOverride('privileged', true);
    Suppressions.add(c, 'read-only-rootfs', 'writes its cache to the root filesystem');
    const message = synthError(() => app.synth());
    expect(message).toContain('no-privileged');
    expect(message).not.toContain('read-only-rootfs');
  });

  test('a reason the reason validator refuses is an error at once, naming the construct path', () => {
    const stack = newStack(newApp(), 's');
    const c = web(stack);
    expect(() => Suppressions.add(c, 'no-privileged', 'needed')).toThrow(
      '[s/web] suppression of "no-privileged": the reason "needed" has only 6 visible characters (at least 10 are needed). '
      + 'Write a sentence of at least 10 visible characters that says why it is acceptable here.');
    expect(() => Suppressions.add(c, 'no-privileged', '         x ')).toThrow(/only 1 visible character /);
  });

  test('a rule id that cannot be one is an error at once; one the profile does not know is a warning at synth', () => {
    const c = web(newStack(newApp(), 's'));
    expect(() => Suppressions.add(c, 'No Privileged', reason)).toThrow(
      /^\[s\/web\] cannot suppress "No Privileged": a rule id is literal kebab-case text/);
    const app = newApp();
    DockerSecurityChecks.applyTo(app, quiet({ profile: PRIVILEGED_ONLY() }));
    const typo = web(newStack(app, 't'));
    Suppressions.add(typo, 'no-privilege', reason);
    app.synth();
    expect(report(app, 't').findings).toEqual([expect.objectContaining({
      ruleId: 'unknown-suppressed-rule',
      severity: 'warning',
      suppressed: false,
      constructPath: 't/web',
      message: 'Suppressions.add on "t/web": "no-privilege" is no rule of profile test (did you mean "no-privileged"?), so the suppression of "no-privilege" suppresses nothing',
    })]);
  });

  test('suppressions travel into cdk.tf.json under "//".hardened_docker.suppressions, which the adapter reads', () => {
    const app = newApp();
    DockerSecurityChecks.applyTo(app, quiet({ profile: PRIVILEGED_ONLY() }));
    const stack = newStack(app, 's');
    const c = web(stack, 'dind');
    c.addOverride('privileged', true);
    Suppressions.add(c, 'no-privileged', reason);
    web(stack, 'plain');
    app.synth();
    const doc = cdkTfJson(app, 's');
    const body = doc.resource.docker_container.dind;
    // Terraform ignores "//" keys in JSON configuration (comments); the provider never sees this.
    expect(body['//'].hardened_docker).toEqual({ suppressions: [{ ruleId: 'no-privileged', reason }] });
    expect(body['//'].metadata.path).toBe('s/dind');
    expect(body.hardened_docker).toBeUndefined();
    expect(doc.resource.docker_container.plain['//'].hardened_docker).toBeUndefined();
    const spec = specsFromTerraformJson(doc).find((s) => s.address === 'docker_container.dind');
    expect(spec?.suppressions).toEqual([expect.objectContaining({ ruleId: 'no-privileged', reason })]);
  });
});

describe('reports', () => {
  function twoStackApp(): App {
    const app = newApp();
    DockerSecurityChecks.applyTo(app, quiet({
      profile: profile(['no-privileged', 'read-only-rootfs', 'pids-limit'], [{ ruleId: 'read-only-rootfs', severity: Severity.WARNING }]),
    }));
    const a = newStack(app, 'a');
    const b = newStack(app, 'b');
    web(a, 'web', { readOnly: false });
    const dind = web(b, 'dind');
    dind.addOverride('privileged', true);
    Suppressions.add(dind, 'no-privileged', 'the CI builder needs a privileged daemon');
    app.synth();
    return app;
  }

  test('JSON and SARIF reports are written beside each stack\'s cdk.tf.json', () => {
    const app = twoStackApp();
    for (const s of ['a', 'b']) {
      expect(fs.readdirSync(stackDir(app, s)).sort()).toEqual(expect.arrayContaining(['cdk.tf.json', 'hardened-docker-report.json', 'hardened-docker-report.sarif']));
    }
  });

  test('the JSON report holds every finding with the documented fields', () => {
    const app = twoStackApp();
    const a = report(app, 'a');
    expect(a.summary).toEqual({ profile: 'test', resources: 1, error: 0, warning: 2, info: 0, suppressed: 0 });
    expect(a.findings.find((f: any) => f.ruleId === 'read-only-rootfs')).toEqual({
      ruleId: 'read-only-rootfs',
      title: "The container's root filesystem is mounted read-only",
      severity: 'warning',
      status: 'fail',
      cis: ['5.13'],
      address: 'docker_container.web',
      resourceName: 'web',
      file: null,
      constructPath: 'a/web',
      stack: 'a',
      message: 'read_only = false',
      remediation: expect.stringContaining('read_only = true'),
      suppressed: false,
      reason: null,
    });
    const b = report(app, 'b');
    expect(b.findings.find((f: any) => f.ruleId === 'no-privileged')).toMatchObject({
      severity: 'error', cis: ['5.5'], suppressed: true, reason: 'the CI builder needs a privileged daemon', stack: 'b',
    });
    expect(b.summary).toMatchObject({ error: 0, suppressed: 1 });
  });

  test('the SARIF report validates against the SARIF 2.1.0 schema', () => {
    const app = twoStackApp();
    const { $schema: _draft04, id, ...rest } = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    // The file declares draft-04, which ajv 8 does not ship; it uses no draft-04-only keyword, so it reads as draft-07.
    const schema = { $schema: 'http://json-schema.org/draft-07/schema#', $id: id, ...rest };
    // unicodeRegExp: false: the schema's language pattern is not valid under the u flag.
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate({ version: '2.1.0', runs: [{ tool: {} }] })).toBe(false); // the validator is not vacuous
    for (const s of ['a', 'b']) {
      const log = sarif(app, s);
      const valid = validate(log);
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
      expect(log.version).toBe('2.1.0');
      const run = log.runs[0];
      expect(run.results.length).toBe(report(app, s).findings.length);
      for (const result of run.results) {
        expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
        expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('cdk.tf.json');
      }
    }
  });

  test('warnings and infos appear as annotations in the manifest: one per resource and level, naming rule, CIS ids and value', () => {
    const app = twoStackApp();
    const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, 'manifest.json'), 'utf8'));
    expect(manifest.stacks.a.annotations).toEqual([{
      constructPath: 'a/web',
      level: '@cdktf/warn',
      message: expect.stringMatching(/^2 warnings: read-only-rootfs \(CIS 5\.13\): read_only = false; pids-limit \(CIS 5\.29\): .*cannot set a PIDs limit.*[^.]\. Fixes: hardened-docker-report\.json, docs\/rules\.md$/),
    }]);
    // Suppressed findings are not annotated.
    expect(manifest.stacks.b.annotations.some((x: any) => x.message.includes('no-privileged'))).toBe(false);
  });

  test('an info found on several resources is one annotation on the stack, with the count and an example', () => {
    const app = newApp();
    const info: IRule = { ...memoryRule, metadata: { ...memoryRule.metadata, id: 'test-info-many', severity: Severity.INFO } };
    const stack = newStack(app, 's');
    DockerSecurityChecks.applyTo(stack, quiet({ profile: profile([], [], [info]) }));
    web(stack, 'one');
    web(stack, 'two');
    app.synth();
    expect(app.manifest.forStack(stack).annotations).toEqual([{
      constructPath: 's',
      level: '@cdktf/info',
      message: 'test-info-many (CIS 5.10): 2 resources, e.g. s/one: memory is not set (all in hardened-docker-report.json)',
    }]);
    expect(report(app, 's').summary.info).toBe(2);
  });

  test('a single warning carries the first sentence of its fix', () => {
    const app = newApp();
    DockerSecurityChecks.applyTo(app, quiet({ profile: profile(['read-only-rootfs'], [{ ruleId: 'read-only-rootfs', severity: Severity.WARNING }]) }));
    web(newStack(app, 's'), 'web', { readOnly: false });
    app.synth();
    expect(app.manifest.forStack(app.node.findChild('s') as TerraformStack).annotations).toEqual([{
      constructPath: 's/web',
      level: '@cdktf/warn',
      message: 'read-only-rootfs (CIS 5.13): read_only = false. Fix: Set `read_only = true` (HardenedContainer does by default) and give each path that must be writable a tmpfs (`writablePaths`)',
    }]);
  });

  test('infos are annotated at level @cdktf/info; Testing.synth twice does not repeat annotations', () => {
    const app = newApp();
    const info: IRule = { ...memoryRule, metadata: { ...memoryRule.metadata, id: 'test-info', severity: Severity.INFO } };
    Suppressions.registerRuleId('test-info');
    const stack = newStack(app, 's');
    DockerSecurityChecks.applyTo(stack, quiet({ profile: profile([], [], [info]) }));
    web(stack);
    Testing.synth(stack);
    Testing.synth(stack);
    expect(app.manifest.forStack(stack).annotations).toEqual([{ constructPath: 's/web', level: '@cdktf/info', message: 'test-info (CIS 5.10): memory is not set' }]);
  });

  test('writeReports: false writes none', () => {
    const app = newApp();
    DockerSecurityChecks.applyTo(app, quiet({ writeReports: false, profile: PRIVILEGED_ONLY() }));
    web(newStack(app, 's'));
    app.synth();
    expect(fs.existsSync(path.join(stackDir(app, 's'), 'hardened-docker-report.json'))).toBe(false);
  });

  test('the printed report summarizes the stack and lists what is not info', () => {
    const app = newApp();
    DockerSecurityChecks.applyTo(app, { profile: profile(['read-only-rootfs', 'pids-limit'], [{ ruleId: 'read-only-rootfs', severity: Severity.WARNING }]) });
    web(newStack(app, 's'), 'web', { readOnly: false });
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      app.synth();
      const text = spy.mock.calls.map((c) => String(c[0])).join('');
      expect(text).toContain('hardened-docker: stack s (profile test): 1 containers/services, 0 errors, 2 warnings, 0 info, 0 suppressed');
      // Both rules found on the same resource share one line.
      expect(text).toMatch(/\n {2}warning read-only-rootfs, pids-limit x1: s\/web\n/);
      expect(text).toContain(`reports: ${path.join(stackDir(app, 's'), 'hardened-docker-report.json')}`);
    } finally {
      spy.mockRestore();
    }
  });

  test('the default profile is hardened', () => {
    expect(new DockerSecurityChecks().profile.name).toBe(ProfileLevel.HARDENED);
  });
});
