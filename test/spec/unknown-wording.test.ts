/**
 * An unknown finding says what is true for its source: a Terraform value is known at apply; a compose value when
 * compose interpolates its variables (named), or not from the compose files at all (a container outside the
 * project); a live engine's unknown says why itself.
 */
import * as fs from 'fs';
import * as path from 'path';
import { evaluate } from '../../src/evaluation/evaluate';
import { Profile, ProfileLevel } from '../../src/profiles/profile';
import { ContainerSpec, UnknownCause } from '../../src/spec/container-spec';
import { cli, tempDir } from '../cli/helpers';
import { engineContainer } from '../rules/specs';
import { cleanupProjects, web } from './compose/helpers';

afterEach(() => cleanupProjects());

function messageOf(spec: ContainerSpec, ruleId: string): string | undefined {
  return evaluate([spec], Profile.of(ProfileLevel.HARDENED)).findings.find((f) => f.ruleId === ruleId)?.message;
}

describe('compose', () => {
  test('a variable without a value is named, and compose is what settles it', () => {
    const spec = web('services:\n  web:\n    image: nginx\n    privileged: ${PRIV}\n');
    expect(messageOf(spec, 'no-privileged')).toBe('privileged depends on ${PRIV}, which is not set: cannot be verified until compose interpolates it');
  });

  test('two variables behind one field are both named', () => {
    const spec = web('services:\n  web:\n    image: nginx\n    security_opt: ["label=level:${LEVEL}", "label=type:${TYPE}"]\n');
    expect(messageOf(spec, 'selinux-confinement-not-disabled'))
      .toBe('security_opt depends on ${LEVEL} and ${TYPE}, which are not set: cannot be verified until compose interpolates it');
  });

  test('a service joining another\'s namespace takes over the variables it needs', () => {
    const spec = web('services:\n  web:\n    image: nginx\n    pid: service:other\n  other:\n    image: nginx\n    pid: ${PID_MODE}\n');
    expect(messageOf(spec, 'no-host-pid')).toMatch(/depends on \$\{PID_MODE\}, which is not set: cannot be verified until compose interpolates it$/);
  });

  test('a container outside the project: not before any apply, and not from the compose files', () => {
    const spec = web('services:\n  web:\n    image: nginx\n    network_mode: container:elsewhere\n');
    const message = messageOf(spec, 'no-host-network');
    expect(message).toMatch(/a container outside the compose project, the home directory of whoever runs compose\): cannot be verified from the compose files alone$/);
    expect(message).not.toMatch(/apply/);
  });
});

describe('Terraform and the engine keep their words', () => {
  test('Terraform: a variable without a value, before apply', async () => {
    const { dir, cleanup } = tempDir();
    try {
      fs.writeFileSync(path.join(dir, 'main.tf'), [
        'variable "priv" {', '  type = bool', '}',
        'resource "docker_container" "web" {', '  name       = "web"', '  image      = "nginx"', '  privileged = var.priv', '}', '',
      ].join('\n'));
      const report = JSON.parse((await cli(['check', dir, '--format', 'json'], { cwd: dir })).stdout);
      expect(report.findings.find((f: any) => f.ruleId === 'no-privileged')?.message)
        .toBe('privileged depends on a variable without a value: cannot be verified before apply');
    } finally {
      cleanup();
    }
  });

  test('a docker_compose resource\'s service is read by compose: compose\'s words', async () => {
    const { dir, cleanup } = tempDir();
    try {
      fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n    ipc: ${IPC}\n');
      fs.writeFileSync(path.join(dir, 'main.tf'), 'resource "docker_compose" "app" {\n  config_paths = ["compose.yaml"]\n}\n');
      const report = JSON.parse((await cli(['check', dir, '--format', 'json'], { cwd: dir })).stdout);
      expect(report.findings.find((f: any) => f.ruleId === 'no-host-ipc')?.message)
        .toBe('ipc depends on ${IPC}, which is not set: cannot be verified until compose interpolates it');
    } finally {
      cleanup();
    }
  });

  test('a live engine: no apply to wait for', () => {
    const spec = engineContainer({ unknown: ['privileged'], unknownCauses: [{ field: 'privileged', cause: UnknownCause.OTHER }] });
    const message = messageOf(spec, 'no-privileged');
    expect(message).toBeDefined();
    expect(message).not.toMatch(/cannot be verified/);
  });
});
