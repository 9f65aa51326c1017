import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { cli, tempDir } from './helpers';

async function json(argv: string[], cwd: string) {
  const r = await cli([...argv, '--format', 'json'], { cwd });
  return { ...r, report: r.stdout ? JSON.parse(r.stdout) : undefined };
}

function write(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

const find = (report: any, address: string, ruleId: string) =>
  report.findings.find((f: any) => f.address === address && f.ruleId === ruleId);

describe('check DIR evaluates modules as Terraform does', () => {
  test('instances are reported by address, in the file and at the line of their block', async () => {
    const { dir, cleanup } = tempDir();
    try {
      write(dir, {
        'infra/variables.tf': 'variable "sock" {\n  default = "/var/run/docker.sock"\n}\n',
        'infra/main.tf': 'module "proxy" {\n  source = "../modules/proxy"\n  for_each = toset(["a", "b"])\n  socket = var.sock\n}\n',
        'modules/proxy/main.tf': 'variable "socket" {}\n\nresource "docker_container" "this" {\n  name = "proxy"\n  image = "traefik"\n'
          + '  volumes {\n    host_path = var.socket\n    container_path = "/var/run/docker.sock"\n  }\n}\n',
      });
      const r = await cli(['check', '.'], { cwd: dir });
      expect(r.code).toBe(1);
      // The module's directory is reported through the call from infra/, not again as a root of its own.
      expect(r.stdout).toContain('✖ module.proxy["a"].docker_container.this (proxy)  modules/proxy/main.tf:3');
      expect(r.stdout).toContain('✖ module.proxy["b"].docker_container.this (proxy)  modules/proxy/main.tf:3');
      expect(r.stdout).not.toMatch(/✖ docker_container\.this/);
      const { report } = await json(['check', '.'], dir);
      expect(report.summary.resources).toBe(2);
      expect(find(report, 'module.proxy["a"].docker_container.this', 'no-docker-socket')).toEqual(expect.objectContaining({ status: 'fail' }));
    } finally {
      cleanup();
    }
  });

  test('one bad file: one positioned line on stderr, the other files and modules still reported, exit 2', async () => {
    const { dir, cleanup } = tempDir();
    try {
      write(dir, {
        'a/bad.tf': 'resource "docker_container" "x" {\n  name = \n}\n',
        'a/good.tf': 'resource "docker_container" "ok" {\n  name = "ok"\n  image = "i"\n  privileged = true\n}\n',
        'b/ports.tf': 'resource "docker_container" "empty_ports" {\n  name = "e"\n  image = "i"\n  ports {}\n}\n',
        'c/main.tf.json': JSON.stringify({ resource: { docker_container: { j: { name: 'j', image: 'i', privileged: true } } } }),
      });
      const { code, report, stderr } = await json(['check', '.'], dir);
      expect(code).toBe(2);
      expect(stderr.split('\n').filter(Boolean)).toEqual([
        expect.stringMatching(/^hardened-docker: a\/bad\.tf:2:10: malformed HCL: Invalid expression/),
        'hardened-docker: b/ports.tf:1:1: docker_container.empty_ports: a "ports" block needs "internal"; '
          + 'valid form: {"internal": 8080, "external": 8080, "ip": "127.0.0.1"}',
      ]);
      expect(report.findings.filter((f: any) => f.ruleId === 'no-privileged').map((f: any) => f.address).sort())
        .toEqual(['docker_container.j', 'docker_container.ok']);
    } finally {
      cleanup();
    }
  });

  test('a remote module is one line on stderr, not fetched; the run goes on', async () => {
    const { dir, cleanup } = tempDir();
    try {
      write(dir, {
        'main.tf': 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\nresource "docker_container" "x" {\n  name = "x"\n  image = "i"\n}\n',
      });
      const r = await cli(['check', '.'], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('hardened-docker: main.tf:1: module.vpc: source "terraform-aws-modules/vpc/aws" is not a local directory; not fetched, not checked\n');
    } finally {
      cleanup();
    }
  });

  test('.tf.json goes through the same evaluator: defaults, locals, constant arithmetic', async () => {
    const { dir, cleanup } = tempDir();
    try {
      write(dir, {
        'main.tf.json': JSON.stringify({
          variable: { privileged: { default: true } },
          locals: { mem: '${256 * 1000000}' },
          resource: { docker_container: { c: { name: 'c', image: 'i', privileged: '${var.privileged}', memory: '${local.mem / 1000000}' } } },
        }),
      });
      const { report } = await json(['check', 'main.tf.json'], dir);
      expect(find(report, 'docker_container.c', 'no-privileged')).toEqual(expect.objectContaining({ status: 'fail' }));
      expect(find(report, 'docker_container.c', 'memory-limit')).toBeUndefined();
    } finally {
      cleanup();
    }
  });
});

describe('property: a literal and the same literal through a variable, a local or a module give the same findings', () => {
  const settings = fc.record({
    privileged: fc.boolean(),
    readOnly: fc.boolean(),
    user: fc.constantFrom('root', '0', '10001:10001', 'app'),
    memory: fc.constantFrom(0, 64, 512),
    ip: fc.constantFrom('0.0.0.0', '127.0.0.1'),
    source: fc.constantFrom('/var/run/docker.sock', '/srv/data', '/'),
  });

  const body = (v: (name: string, literal: string) => string, s: any) => [
    '  name = "c"\n  image = "i"',
    `  privileged = ${v('privileged', String(s.privileged))}`,
    `  read_only = ${v('read_only', String(s.readOnly))}`,
    `  user = ${v('user', JSON.stringify(s.user))}`,
    `  memory = ${v('memory', String(s.memory))}`,
    `  ports {\n    internal = 80\n    ip = ${v('ip', JSON.stringify(s.ip))}\n  }`,
    `  volumes {\n    host_path = ${v('host_path', JSON.stringify(s.source))}\n    container_path = "/data"\n  }`,
  ].join('\n');

  const findingsOf = (report: any) => report.findings.map((f: any) => `${f.ruleId}:${f.status}:${f.severity}`).sort();

  test('literal, variable default, --var-file value, local and module argument agree', async () => {
    await fc.assert(fc.asyncProperty(settings, async (s) => {
      const { dir, cleanup } = tempDir();
      try {
        const names = ['privileged', 'read_only', 'user', 'memory', 'ip', 'host_path'];
        const literals: Record<string, string> = {
          privileged: String(s.privileged),
          read_only: String(s.readOnly),
          user: JSON.stringify(s.user),
          memory: String(s.memory),
          ip: JSON.stringify(s.ip),
          host_path: JSON.stringify(s.source),
        };
        write(dir, {
          'literal/main.tf': `resource "docker_container" "c" {\n${body((_, l) => l, s)}\n}\n`,
          'defaults/main.tf': names.map((n) => `variable "${n}" {\n  default = ${literals[n]}\n}\n`).join('')
            + `resource "docker_container" "c" {\n${body((n) => `var.${n}`, s)}\n}\n`,
          'tfvars/main.tf': names.map((n) => `variable "${n}" {}\n`).join('')
            + `resource "docker_container" "c" {\n${body((n) => `var.${n}`, s)}\n}\n`,
          'tfvars/terraform.tfvars': names.map((n) => `${n} = ${literals[n]}\n`).join(''),
          'locals/main.tf': `locals {\n${names.map((n) => `  ${n} = ${literals[n]}\n`).join('')}}\n`
            + `resource "docker_container" "c" {\n${body((n) => `local.${n}`, s)}\n}\n`,
          'module/main.tf': `module "m" {\n  source = "../mod"\n${names.map((n) => `  ${n} = ${literals[n]}\n`).join('')}}\n`,
          'mod/main.tf': names.map((n) => `variable "${n}" {}\n`).join('') + `resource "docker_container" "c" {\n${body((n) => `var.${n}`, s)}\n}\n`,
        });
        const expected = findingsOf((await json(['check', 'literal'], dir)).report);
        for (const variant of ['defaults', 'tfvars', 'locals', 'module']) {
          const { report, code } = await json(['check', variant], dir);
          expect(code).not.toBe(2);
          expect(findingsOf(report)).toEqual(expected);
        }
      } finally {
        cleanup();
      }
    }), { numRuns: 8 });
  });
});
