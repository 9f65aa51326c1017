/**
 * Synth and a later `hardened-docker check cdktf.out` agree on every suppression: an app suppresses through every way
 * in (Suppressions.add on a resource and on the stack, a label, the "//" key written with an override next to a
 * construct suppression, a profile file), with a token reason and a rule id that exists nowhere among them; the
 * findings synth reports and the findings check reports of the synthesized output are the same (rule, resource,
 * severity, status, suppressed or not, reason).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { App, TerraformStack, TerraformVariable } from 'cdktf';
import { DockerSecurityChecks } from '../../src/checks/docker-security-checks';
import { Suppressions } from '../../src/checks/suppressions';
import { Profile } from '../../src/profiles/profile';
import { ProfileScope } from '../../src/profiles/scope';
import { cli, tempDir } from '../cli/helpers';

const key = (f: any) => [f.stack, f.address, f.ruleId, f.severity, f.status, f.suppressed, f.reason ?? null].join(' | ');

test('check cdktf.out reports exactly the suppressions synth used, from every way in', async () => {
  const { dir, cleanup } = tempDir('hd-agree-');
  try {
    const profileFile = path.join(dir, 'agree.json');
    fs.writeFileSync(profileFile, JSON.stringify({
      name: 'agree',
      extends: 'baseline',
      suppressions: { 'no-host-network': 'the edge proxy binds the host ports directly (NET-12)' },
    }));
    const outdir = path.join(dir, 'cdktf.out');
    const app = new App({ outdir });
    ProfileScope.apply(app, Profile.fromFile(profileFile));
    DockerSecurityChecks.applyTo(app, { printReport: false });
    const stack = new TerraformStack(app, 'shop');
    new DockerProvider(stack, 'docker');
    const why = new TerraformVariable(stack, 'why', { type: 'string' }).stringValue;
    const box = (id: string, extra: Partial<ConstructorParameters<typeof Container>[2]> = {}) =>
      new Container(stack, id, { name: id, image: 'nginx:1.27', ...extra });

    Suppressions.add(box('added', { privileged: true }), 'no-privileged', 'the CI builder needs a privileged daemon (CI-88)');
    box('labelled', { privileged: true, labels: [{ label: 'hardened-docker.suppress.no-privileged', value: 'vendor appliance, ticket SEC-42' }] });
    // The "//" key written with an override, and a construct suppression on the same resource: both must reach the output.
    const both = box('both', { privileged: true, networkMode: 'host', pidMode: 'host' });
    both.addOverride('//.hardened_docker.suppressions', [{ ruleId: 'no-privileged', reason: 'written in the // key by hand (OPS-7)' }]);
    Suppressions.add(both, 'no-host-pid', 'the profiler reads every process of the host');
    // Unknown and unknown-rule suppressions: warnings, the same in both.
    Suppressions.add(box('token'), 'no-host-ipc', why);
    box('typo', { labels: [{ label: 'hardened-docker.suppress.no-such-rule', value: 'a reason long enough to pass' }] });
    box('token-label', { labels: [{ label: 'hardened-docker.suppress.no-host-uts', value: why }] });
    Suppressions.add(box('written-expression'), 'no-host-uts', 'see ${var.ticket} for why this is fine');
    Suppressions.add(stack, 'no-docker-socket', 'nothing here mounts the socket; kept for the next service');
    app.synth();

    const synth = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'shop', 'hardened-docker-report.json'), 'utf8'));
    const r = await cli(['check', outdir, '--profile', profileFile, '--format', 'json', '--fail-on', 'error'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const checked = JSON.parse(r.stdout);
    expect(checked.findings.map(key).sort()).toEqual(synth.findings.map(key).sort());
    expect(checked.summary).toEqual(synth.summary);

    // What the comparison covers: each way in suppressed, and the refused ones reported, in both.
    const suppressed = synth.findings.filter((f: any) => f.suppressed).map((f: any) => `${f.address} ${f.ruleId}`).sort();
    expect(suppressed).toEqual([
      'docker_container.added no-privileged',
      'docker_container.both no-host-network',
      'docker_container.both no-host-pid',
      'docker_container.both no-privileged',
      'docker_container.labelled no-privileged',
    ]);
    const refused = synth.findings.filter((f: any) => f.ruleId.includes('suppress')).map((f: any) => `${f.address} ${f.ruleId} ${f.status}`).sort();
    expect(refused).toEqual([
      'docker_container.token invalid-suppression unknown',
      'docker_container.token-label invalid-suppression unknown',
      'docker_container.typo unknown-suppressed-rule fail',
      'docker_container.written-expression invalid-suppression unknown',
    ]);
  } finally {
    cleanup();
  }
});
