import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Construct } from 'constructs';
import { DockerSecurityChecks } from '../../src/checks/docker-security-checks';
import { Suppressions } from '../../src/checks/suppressions';
import { Profile } from '../../src/profiles/profile';
import { builtinRule } from '../../src/rules/catalog';

/*
 * The setup of issue 16, as docs/cdk-terrain.md describes it: package.json `overrides` alias `cdktf` to
 * `npm:cdktn@0.24.0`, so this library and the provider 12.0.3 classes load cdktn under the name `cdktf` (here: the
 * mock below), while the app imports `App` and `TerraformStack` from `'cdktn'`, another directory and so another
 * module instance (here: an isolated registry that shares `constructs`, as npm's one peer copy does).
 */
jest.mock('cdktf', () => jest.requireActual('cdktn'));

type Cdktn = typeof import('cdktn');
const sharedConstructs = jest.requireActual('constructs');
let appCdktn!: Cdktn;
jest.isolateModules(() => {
  jest.doMock('constructs', () => sharedConstructs);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second instance needs a require in the isolated registry
  appCdktn = require('cdktn');
});

const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

function privilegedApp(): { app: InstanceType<Cdktn['App']>; stack: InstanceType<Cdktn['TerraformStack']>; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-cdktn-alias-'));
  tmpDirs.push(outdir);
  const app = new appCdktn.App({ outdir });
  DockerSecurityChecks.applyTo(app, { printReport: false, profile: new Profile('test', [builtinRule('no-privileged')!]) });
  const stack = new appCdktn.TerraformStack(app, 'terrain');
  new DockerProvider(stack, 'docker');
  new Container(stack, 'web', { name: 'web', image: 'nginx:1.27', privileged: true });
  return { app, stack, outdir };
}

describe('npm alias of cdktf to cdktn, app importing from cdktn', () => {
  test('app.synth() fails for a privileged container, naming it', () => {
    // The setup: the library runs on cdktn, the app's classes are another instance of it, constructs is shared.
    const libraryCdktf = jest.requireActual('cdktn');
    expect(jest.requireMock('cdktf')).toBe(libraryCdktf);
    expect(appCdktn.TerraformStack).not.toBe(libraryCdktf.TerraformStack);
    const { app } = privilegedApp();
    expect(app).toBeInstanceOf(Construct);
    expect(() => app.synth()).toThrow(/Docker security checks failed for stack "terrain".*\n.*\[terrain\/web\] no-privileged \(CIS 5\.5\): privileged = true/);
  });

  test('cdktn Testing.synth(stack) fails too', () => {
    const { stack } = privilegedApp();
    expect(() => appCdktn.Testing.synth(stack)).toThrow(/\[terrain\/web\] no-privileged/);
  });

  test('the container suppressed with a reason synthesizes, and the report keeps the finding', () => {
    const { app, stack, outdir } = privilegedApp();
    Suppressions.add(stack.node.findChild('web'), 'no-privileged', 'device access tested on this host only');
    app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'terrain', 'hardened-docker-report.json'), 'utf8'));
    expect(report.summary).toMatchObject({ resources: 1, error: 0, suppressed: 1 });
    const tf = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'terrain', 'cdk.tf.json'), 'utf8'));
    expect(tf.resource.docker_container.web.privileged).toBe(true);
  });
});
