import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdktn from 'cdktn';
import { Construct } from 'constructs';
import { DockerSecurityChecks } from '../../src/checks/docker-security-checks';
import { Profile } from '../../src/profiles/profile';
import { builtinRule } from '../../src/rules/catalog';

/*
 * Its own file, so that no DockerSecurityChecks exists in this module registry before the test builds its stack:
 * checks added last, through cdktn's own Aspects, still reach a cdktn stack created before them.
 */

class CdktnDockerProvider extends cdktn.TerraformProvider {
  constructor(scope: Construct, id: string) {
    super(scope, id, { terraformResourceType: 'docker', terraformProviderSource: 'kreuzwerker/docker', terraformGeneratorMetadata: { providerName: 'docker' } });
  }
}

test('checks added last through cdktn\'s Aspects.of(app) reach a stack created before them', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-cdktn-late-'));
  try {
    const app = new cdktn.App({ outdir });
    const stack = new cdktn.TerraformStack(app, 'terrain');
    new CdktnDockerProvider(stack, 'docker');
    const web = new cdktn.TerraformResource(stack, 'web', { terraformResourceType: 'docker_container', terraformGeneratorMetadata: { providerName: 'docker' } });
    web.addOverride('name', 'web');
    web.addOverride('image', 'nginx:1.27');
    web.addOverride('privileged', true);
    cdktn.Aspects.of(app).add(new DockerSecurityChecks({ printReport: false, profile: new Profile('test', [builtinRule('no-privileged')!]) }));
    expect(() => app.synth()).toThrow(/\[terrain\/web\] no-privileged/);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});
