import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import * as cdktn from 'cdktn';
import { Construct } from 'constructs';
import { DockerSecurityChecks, DockerSecurityChecksProps } from '../../src/checks/docker-security-checks';
import { Profile } from '../../src/profiles/profile';
import { builtinRule } from '../../src/rules/catalog';

/*
 * The library imports cdktf 0.21; these apps build their stacks from other module instances: CDK Terrain (`cdktn`
 * 0.24) and a second copy of cdktf. No `instanceof` and no prototype of the library's cdktf sees those stacks.
 * (The npm alias of cdktf to cdktn, where the provider classes come from cdktn too: cdk-terrain-alias.test.ts.)
 */

const privilegedOnly = (): DockerSecurityChecksProps => ({ printReport: false, profile: new Profile('test', [builtinRule('no-privileged')!]) });

const tmpDirs: string[] = [];
function outdir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-cdktn-'));
  tmpDirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

/** The docker provider, as cdktn bindings declare it. */
class CdktnDockerProvider extends cdktn.TerraformProvider {
  constructor(scope: Construct, id: string) {
    super(scope, id, { terraformResourceType: 'docker', terraformProviderSource: 'kreuzwerker/docker', terraformGeneratorMetadata: { providerName: 'docker' } });
  }
}

/**
 * A docker_container built from cdktn's own classes, as `@cdktn/provider-docker` bindings build it (the provider
 * 12.0.3 classes need the npm alias to work in a cdktn stack).
 */
function cdktnContainer(stack: Construct, id: string, privileged: boolean): cdktn.TerraformResource {
  if (!stack.node.tryFindChild('docker')) new CdktnDockerProvider(stack, 'docker');
  const r = new cdktn.TerraformResource(stack, id, {
    terraformResourceType: 'docker_container',
    terraformGeneratorMetadata: { providerName: 'docker' },
  });
  r.addOverride('name', id);
  r.addOverride('image', 'nginx:1.27');
  if (privileged) r.addOverride('privileged', true);
  return r;
}

function reportOf(dir: string, stack: string): any {
  return JSON.parse(fs.readFileSync(path.join(dir, 'stacks', stack, 'hardened-docker-report.json'), 'utf8'));
}

describe('CDK Terrain (cdktn 0.24) stacks, library on cdktf 0.21', () => {
  test('app.synth() fails for a privileged container in a stack created after applyTo(app)', () => {
    const app = new cdktn.App({ outdir: outdir() });
    DockerSecurityChecks.applyTo(app, privilegedOnly());
    const stack = new cdktn.TerraformStack(app, 'terrain');
    cdktnContainer(stack, 'web', true);
    expect(() => app.synth()).toThrow(/Docker security checks failed for stack "terrain".*\n.*\[terrain\/web\] no-privileged/);
  });

  test('a container without the violation passes, and its report counts it', () => {
    const dir = outdir();
    const app = new cdktn.App({ outdir: dir });
    const stack = new cdktn.TerraformStack(app, 'terrain');
    DockerSecurityChecks.applyTo(app, privilegedOnly());
    cdktnContainer(stack, 'web', false);
    app.synth();
    expect(reportOf(dir, 'terrain').summary).toMatchObject({ resources: 1, error: 0 });
  });

  test('cdktn Testing.synth(stack) runs app-level checks on a stack created after them', () => {
    const app = cdktn.Testing.app({ outdir: outdir() } as any);
    DockerSecurityChecks.applyTo(app, privilegedOnly());
    const stack = new cdktn.TerraformStack(app, 'terrain');
    cdktnContainer(stack, 'web', true);
    expect(() => cdktn.Testing.synth(stack)).toThrow(/no-privileged/);
  });

  test('checks added through cdktn\'s own Aspects reach the stack', () => {
    const app = new cdktn.App({ outdir: outdir() });
    const stack = new cdktn.TerraformStack(app, 'terrain');
    cdktn.Aspects.of(stack).add(new DockerSecurityChecks(privilegedOnly()));
    cdktnContainer(stack, 'web', true);
    expect(() => app.synth()).toThrow(/\[terrain\/web\] no-privileged/);
    expect(DockerSecurityChecks.of(stack as any)).toBeInstanceOf(DockerSecurityChecks);
  });

  test('checks added through cdktn\'s Aspects to a cdktn app reach a stack created later', () => {
    const app = new cdktn.App({ outdir: outdir() });
    cdktn.Aspects.of(app).add(new DockerSecurityChecks(privilegedOnly()));
    const stack = new cdktn.TerraformStack(app, 'terrain');
    cdktnContainer(stack, 'web', true);
    expect(() => app.synth()).toThrow(/\[terrain\/web\] no-privileged/);
  });

  test('hclOutput: a cdktn app writing HCL is checked too', () => {
    const app = new cdktn.App({ outdir: outdir(), hclOutput: true });
    DockerSecurityChecks.applyTo(app, privilegedOnly());
    cdktnContainer(new cdktn.TerraformStack(app, 'terrain'), 'web', true);
    expect(() => app.synth()).toThrow(/no-privileged/);
  });

  test('a stack written without its toTerraform fails synth and says why', () => {
    const app = new cdktn.App({ outdir: outdir() });
    DockerSecurityChecks.applyTo(app, privilegedOnly());
    const stack = new cdktn.TerraformStack(app, 'terrain');
    cdktnContainer(stack, 'web', true);
    // A custom synthesizer that writes the stack some other way.
    (stack as any).synthesizer = { synthesize: () => undefined };
    expect(() => app.synth()).toThrow(/could not check stack "terrain": synth wrote it without calling toTerraform/);
  });

  test('a construct marked as a stack but without toTerraform fails, naming it', () => {
    const app = new cdktn.App({ outdir: outdir() });
    const odd = new Construct(app, 'odd');
    Object.defineProperty(odd, Symbol.for('cdktf/TerraformStack'), { value: true });
    expect(() => DockerSecurityChecks.applyTo(app, privilegedOnly())).toThrow(/cannot check stack "odd".*no toTerraform method/);
  });
});

describe('a second copy of cdktf, with its own constructs', () => {
  /** A fresh copy per test, so that no test relies on a hook another test installed. */
  function cdktfCopy(): typeof import('cdktf') {
    let copy!: typeof import('cdktf');
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second instance needs a require in the isolated registry
      copy = require('cdktf');
    });
    expect(copy.TerraformStack).not.toBe(jest.requireActual('cdktf').TerraformStack);
    return copy;
  }

  test.each([
    ['app.synth()', (app: any) => app.synth()],
    ['Testing.synth(stack)', (_app: any, stack: any, copy: typeof import('cdktf')) => copy.Testing.synth(stack)],
  ])('%s fails for a privileged provider Container in its stack', (_name, synth) => {
    const copy = cdktfCopy();
    const app = new copy.App({ outdir: outdir() });
    expect(app).not.toBeInstanceOf(Construct);
    DockerSecurityChecks.applyTo(app, privilegedOnly());
    const stack = new copy.TerraformStack(app, 'copy');
    new DockerProvider(stack, 'docker');
    new Container(stack, 'web', { name: 'web', image: 'nginx:1.27', privileged: true });
    expect(() => synth(app, stack, copy)).toThrow(/\[copy\/web\] no-privileged/);
  });

  test('a stack class whose toTerraform is frozen fails when the stack is created, naming it', () => {
    const copy = cdktfCopy();
    Object.freeze(copy.TerraformStack.prototype);
    const app = new copy.App({ outdir: outdir() });
    DockerSecurityChecks.applyTo(app, privilegedOnly());
    expect(() => new copy.TerraformStack(app, 'frozen'))
      .toThrow(/DockerSecurityChecks cannot check stack "frozen": the toTerraform method of its TerraformStack class is frozen or read-only/);
  });
});
