/**
 * The rules on system paths read every source: Terraform JSON and HCL through `hardened-docker check`, and a live
 * engine's inspect through the engine adapter (the runtime test proves the inspect shape on a real engine).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli } from '../cli/helpers';

function tempFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-syspaths-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

async function findings(file: string): Promise<any[]> {
  const run = await cli(['check', file, '--format', 'json']);
  return JSON.parse(run.stdout).findings;
}

describe('hardened-docker check reads system-path weakenings from Terraform', () => {
  test('JSON: systempaths=unconfined is an error; a tmpfs over /etc is flagged', async () => {
    const file = tempFile('main.tf.json', JSON.stringify({
      resource: { docker_container: { web: { name: 'web', image: 'nginx', security_opts: ['systempaths=unconfined'], tmpfs: { '/etc': 'rw' } } } },
    }));
    const all = await findings(file);
    expect(all.find((f) => f.ruleId === 'no-unconfined-system-paths')).toMatchObject({ severity: 'error', status: 'fail' });
    expect(all.find((f) => f.ruleId === 'no-mount-over-system-dirs')?.message).toMatch(/tmpfs \/etc/);
  });

  test('HCL: the same two', async () => {
    const file = tempFile('main.tf', [
      'resource "docker_container" "web" {',
      '  name          = "web"',
      '  image         = "nginx"',
      '  security_opts = ["systempaths=unconfined"]',
      '  tmpfs = {',
      '    "/proc" = "rw"',
      '  }',
      '}',
    ].join('\n'));
    const all = await findings(file);
    expect(all.find((f) => f.ruleId === 'no-unconfined-system-paths')).toMatchObject({ severity: 'error', status: 'fail' });
    expect(all.find((f) => f.ruleId === 'no-mount-over-system-dirs')?.message).toMatch(/tmpfs \/proc/);
  });
});
