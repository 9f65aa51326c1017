import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { DockerSecurityChecks } from '../../src';

test('app-level checks reach a stack added after them', () => {
  const app = Testing.app();
  DockerSecurityChecks.applyTo(app, { printReport: false });
  const stack = new TerraformStack(app, 'late');
  new DockerProvider(stack, 'docker');
  const c = new Container(stack, 'web', { name: 'web', image: 'nginx', readOnly: true });
  c.addOverride('privileged', true);
  expect(() => app.synth()).toThrow(/no-privileged/);
});
