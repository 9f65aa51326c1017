import * as fs from 'fs';
import * as path from 'path';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { DockerSecurityChecks, HardenedContainer, Profile, ProfileScope, Severity } from '../../src';

/**
 * One app, three levels of profile: app (memory 300), stack "team" (memory 400), subtree "team/batch" (memory 500);
 * stack "other" has none of its own. Each container and each check uses the nearest.
 */
function world(opts: { checks?: boolean } = {}) {
  const app = Testing.app();
  const appProfile = Profile.named('hardened').derive({ name: 'org', defaults: { memoryMb: 300 }, policies: { requiredLabels: ['owner'] } });
  const teamProfile = appProfile.derive({ name: 'team', defaults: { memoryMb: 400 }, rules: [{ ruleId: 'org-required-labels', severity: Severity.WARNING }] });
  const batchProfile = teamProfile.derive({ name: 'batch', defaults: { memoryMb: 500 }, rules: [{ ruleId: 'org-required-labels', enabled: false }] });
  ProfileScope.apply(app, appProfile);
  if (opts.checks) DockerSecurityChecks.applyTo(app, { printReport: false });
  const team = new TerraformStack(app, 'team');
  new DockerProvider(team, 'docker');
  ProfileScope.apply(team, teamProfile);
  const batch = new Construct(team, 'batch');
  ProfileScope.apply(batch, batchProfile);
  const other = new TerraformStack(app, 'other');
  new DockerProvider(other, 'docker');
  return { app, team, batch, other, appProfile, teamProfile, batchProfile };
}

const hc = { command: ['/bin/health'] };
const memoryOf = (stack: TerraformStack, c: HardenedContainer) =>
  JSON.parse(Testing.synth(stack)).resource.docker_container[stack.getLogicalId(c.container)].memory;

describe('ProfileScope: nearest wins', () => {
  test('find/nearest resolve app, stack and subtree profiles', () => {
    const w = world();
    expect(ProfileScope.find(w.other)).toBe(w.appProfile);
    expect(ProfileScope.find(w.team)).toBe(w.teamProfile);
    expect(ProfileScope.find(new Construct(w.batch, 'deep'))).toBe(w.batchProfile);
    expect(ProfileScope.nearest(new App()).name).toBe('hardened');
    expect(ProfileScope.find(new App())).toBeUndefined();
  });

  test('HardenedContainer takes its defaults from the nearest profile', () => {
    const w = world();
    const inOther = new HardenedContainer(w.other, 'web', { image: 'nginx:1.27', healthcheck: hc });
    const inTeam = new HardenedContainer(w.team, 'web', { image: 'nginx:1.27', healthcheck: hc });
    const inBatch = new HardenedContainer(w.batch, 'job', { image: 'nginx:1.27', healthcheck: hc });
    expect(memoryOf(w.other, inOther)).toBe(300);
    expect(memoryOf(w.team, inTeam)).toBe(400);
    expect(memoryOf(w.team, inBatch)).toBe(500);
  });

  test('a prop still beats the profile default', () => {
    const w = world();
    const c = new HardenedContainer(w.batch, 'big', { image: 'nginx:1.27', healthcheck: hc, memoryMb: 1024 });
    expect(memoryOf(w.team, c)).toBe(1024);
  });
});

describe('checks use the nearest profile per resource, in one pass over each stack', () => {
  function unlabelled(scope: Construct, id: string) {
    return new HardenedContainer(scope, id, { image: 'nginx:1.27', healthcheck: hc });
  }

  test('app profile: the policy is an error; stack profile: a warning; subtree profile: off', () => {
    const w = world({ checks: true });
    unlabelled(w.other, 'web');
    expect(() => Testing.synth(w.other)).toThrow(/\[other\/web[^\]]*\] org-required-labels: missing required label owner/);

    const v = world({ checks: true });
    unlabelled(v.team, 'web');
    unlabelled(v.batch, 'job');
    v.app.synth(); // "other" is empty; "team" has only a warning
    const report = JSON.parse(fs.readFileSync(path.join(v.app.outdir, 'stacks', 'team', 'hardened-docker-report.json'), 'utf8'));
    const labels = report.findings.filter((f: any) => f.ruleId === 'org-required-labels');
    expect(labels.map((f: any) => [f.constructPath.split('/').slice(0, 2).join('/'), f.severity])).toEqual([['team/web', 'warning']]);
    // The SARIF driver lists the rules of every profile that ran in the stack.
    const sarif = JSON.parse(fs.readFileSync(path.join(v.app.outdir, 'stacks', 'team', 'hardened-docker-report.sarif'), 'utf8'));
    expect(sarif.runs[0].tool.driver.rules.map((r: any) => r.id)).toContain('org-required-labels');
  });

  test('an explicit profile on the checks applies to every resource', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 's');
    new DockerProvider(stack, 'docker');
    ProfileScope.apply(stack, Profile.named('baseline'));
    DockerSecurityChecks.applyTo(app, { profile: Profile.named('hardened'), printReport: false, writeReports: false });
    new Container(stack, 'c', { name: 'c', image: 'nginx:1.27' });
    expect(() => app.synth()).toThrow(/profile hardened/);
  });

  test('without an explicit profile, a baseline stack passes what hardened would fail', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 's');
    new DockerProvider(stack, 'docker');
    ProfileScope.apply(stack, Profile.named('baseline'));
    DockerSecurityChecks.applyTo(app, { printReport: false, writeReports: false });
    new Container(stack, 'c', { name: 'c', image: 'nginx:1.27' });
    expect(() => app.synth()).not.toThrow();
  });
});
