import * as fs from 'fs';
import * as path from 'path';
import { cli, fixture, FIXTURES, hardenedBody, ROOT, tempDir, writeTfJson } from './helpers';

const TF_JSON = fixture('tf-json/containers.tf.json');
const HCL = fixture('hcl/main.tf');
const PLAN = fixture('plan/plan.json');

async function json(argv: string[], opts = {}) {
  const r = await cli([...argv, '--format', 'json'], opts);
  return { ...r, report: r.stdout ? JSON.parse(r.stdout) : undefined };
}

function find(report: any, address: string, ruleId: string) {
  return report.findings.find((f: any) => f.address === address && f.ruleId === ruleId);
}

describe('input kinds', () => {
  test('hand-written Terraform JSON: findings per resource, labels suppress with their reason', async () => {
    const { code, report, stderr } = await json(['check', TF_JSON]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(report.summary.resources).toBe(3);
    expect(find(report, 'docker_container.web', 'no-privileged')).toEqual(expect.objectContaining({
      severity: 'error', status: 'fail', cis: ['5.5'], resourceName: 'web', file: TF_JSON, suppressed: false, reason: null,
    }));
    expect(find(report, 'docker_container.legacy', 'no-privileged')).toEqual(expect.objectContaining({
      suppressed: true, reason: 'vendor appliance needs raw device access, ticket SEC-42',
    }));
    expect(find(report, 'docker_container.api', 'pids-limit')).toEqual(expect.objectContaining({ suppressed: true }));
    // A hardened setting is no finding.
    expect(find(report, 'docker_container.api', 'read-only-rootfs')).toBeUndefined();
    // The image of web is an expression: unknown, never a pass.
    expect(find(report, 'docker_container.web', 'image-pinned-by-digest')).toEqual(expect.objectContaining({ status: 'unknown' }));
  });

  test('HCL: a variable without a value is unknown; a default and a dynamic block over a literal list are decided', async () => {
    const { code, report, stderr } = await json(['check', HCL]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(report.findings.every((f: any) => f.file === HCL)).toBe(true);
    // read_only = var.read_only, a variable without a value: unknown; under an error rule that is a warning unless --strict.
    expect(find(report, 'docker_container.app', 'read-only-rootfs')).toEqual(expect.objectContaining({ status: 'unknown', severity: 'warning' }));
    // memory = var.memory_mb, default 256: decided.
    expect(find(report, 'docker_container.app', 'memory-limit')).toBeUndefined();
    // ports from a dynamic block over [8080, 8443], without ip: every interface.
    expect(find(report, 'docker_container.app', 'ports-bound-to-interface')).toEqual(expect.objectContaining({ status: 'fail' }));
    // image = docker_image.app.image_id: known only after apply.
    expect(find(report, 'docker_container.app', 'image-pinned-by-digest')).toEqual(expect.objectContaining({ status: 'unknown' }));
    expect(find(report, 'docker_container.app', 'drop-all-capabilities')).toBeUndefined();
    expect(find(report, 'docker_container.debug', 'no-privileged')).toEqual(expect.objectContaining({ severity: 'error', suppressed: false }));
    expect(find(report, 'docker_container.debug', 'read-only-rootfs')).toEqual(expect.objectContaining({
      suppressed: true, reason: 'debug shell writes to its home directory',
    }));
  });

  test('--strict makes an unknown under an error rule an error', async () => {
    const { report } = await json(['check', HCL, '--strict']);
    expect(find(report, 'docker_container.app', 'read-only-rootfs')).toEqual(expect.objectContaining({ status: 'unknown', severity: 'error' }));
  });

  test('--var gives a variable its value; --var and --var-file apply in command-line order', async () => {
    const { dir, cleanup } = tempDir();
    try {
      fs.writeFileSync(path.join(dir, 'ro.tfvars'), 'read_only = false\n');
      const given = await json(['check', HCL, '--var', 'read_only=true']);
      expect(find(given.report, 'docker_container.app', 'read-only-rootfs')).toBeUndefined();
      const fileLast = await json(['check', HCL, '--var', 'read_only=true', '--var-file', path.join(dir, 'ro.tfvars')]);
      expect(find(fileLast.report, 'docker_container.app', 'read-only-rootfs')).toEqual(expect.objectContaining({ status: 'fail' }));
      const varLast = await json(['check', HCL, '--var-file', path.join(dir, 'ro.tfvars'), '--var', 'read_only=true']);
      expect(find(varLast.report, 'docker_container.app', 'read-only-rootfs')).toBeUndefined();
    } finally {
      cleanup();
    }
  });

  test('plan JSON: planned values are concrete, after_unknown is unknown, modules keep their address', async () => {
    const { code, report, stderr } = await json(['check', PLAN]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const addresses = [...new Set(report.findings.map((f: any) => f.address))].sort();
    // The data source and the resource being deleted are not checked.
    expect(addresses).toEqual(['docker_container.cache', 'docker_container.web', 'module.workers.docker_container.worker[0]']);
    expect(report.summary.resources).toBe(3);
    // security_opts is unknown after apply: no-new-privileges cannot be verified.
    expect(find(report, 'docker_container.web', 'no-new-privileges')).toEqual(expect.objectContaining({ status: 'unknown' }));
    // Concrete values pass: read_only, user, drop ALL, memory with swap, a port bound to 127.0.0.1.
    for (const rule of ['read-only-rootfs', 'non-root-user', 'drop-all-capabilities', 'memory-limit', 'ports-bound-to-interface']) {
      expect(find(report, 'docker_container.web', rule)).toBeUndefined();
    }
    // A computed user, unknown in the plan, is not taken for a pass.
    expect(find(report, 'docker_container.cache', 'non-root-user')).toEqual(expect.objectContaining({ status: 'unknown' }));
    expect(find(report, 'docker_container.cache', 'read-only-rootfs')).toEqual(expect.objectContaining({ status: 'fail', severity: 'error' }));
    expect(find(report, 'module.workers.docker_container.worker[0]', 'no-privileged')).toEqual(expect.objectContaining({
      suppressed: true, reason: 'needs /dev/kvm for the build sandbox, SEC-7', resourceName: 'worker-0',
    }));
  });

  test('plan JSON on standard input (-)', async () => {
    const { code, report } = await json(['check', '-'], { stdin: fs.readFileSync(path.join(FIXTURES, 'plan/plan.json'), 'utf8') });
    expect(code).toBe(1);
    expect(report.findings[0].file).toBe('<stdin>');
    expect(report.summary.resources).toBe(3);
  });

  test('a directory is searched recursively for *.tf and *.tf.json, skipping node_modules and .terraform', async () => {
    const { dir, cleanup } = tempDir();
    try {
      writeTfJson(dir, 'a/one.tf.json', { one: hardenedBody('one') });
      fs.mkdirSync(path.join(dir, 'a/b'));
      fs.copyFileSync(path.join(FIXTURES, 'hcl/main.tf'), path.join(dir, 'a/b/main.tf'));
      writeTfJson(dir, 'node_modules/pkg/x.tf.json', { skipped: { name: 'skipped', privileged: true } });
      writeTfJson(dir, '.terraform/modules/m/y.tf.json', { skipped2: { name: 'skipped2', privileged: true } });
      fs.writeFileSync(path.join(dir, 'package.json'), '{"name": "not terraform"}');
      const { code, report, stderr } = await json(['check', '.'], { cwd: dir });
      expect(stderr).toBe('');
      expect(code).toBe(1);
      const files = [...new Set(report.findings.map((f: any) => f.file))].sort();
      expect(files).toEqual(['a/b/main.tf', 'a/one.tf.json']);
      expect(report.summary.resources).toBe(3);
    } finally {
      cleanup();
    }
  });

  test('paths given twice are read once', async () => {
    const { report } = await json(['check', TF_JSON, TF_JSON, path.dirname(TF_JSON)]);
    expect(report.summary.resources).toBe(3);
  });
});

describe('exit codes', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    writeTfJson(dir, 'clean.tf.json', { ok: hardenedBody('ok') });
    writeTfJson(dir, 'warning.tf.json', { nohc: hardenedBody('nohc', { healthcheck: undefined }) });
  });
  afterAll(() => cleanup());

  test('0 when nothing is at or above --fail-on', async () => {
    expect((await cli(['check', 'clean.tf.json'], { cwd: dir })).code).toBe(0);
    expect((await cli(['check', 'clean.tf.json', '--fail-on', 'warning'], { cwd: dir })).code).toBe(0);
    expect((await cli(['check', 'warning.tf.json'], { cwd: dir })).code).toBe(0);
    expect((await cli(['check', TF_JSON, '--fail-on', 'never'])).code).toBe(0);
  });

  test('1 when a finding is at or above --fail-on', async () => {
    expect((await cli(['check', TF_JSON])).code).toBe(1);
    expect((await cli(['check', 'warning.tf.json', '--fail-on', 'warning'], { cwd: dir })).code).toBe(1);
    // The clean file has info findings only.
    expect((await cli(['check', 'clean.tf.json', '--fail-on', 'info'], { cwd: dir })).code).toBe(1);
  });

  test('a suppressed error does not fail', async () => {
    writeTfJson(dir, 'suppressed.tf.json', {
      priv: hardenedBody('priv', {
        privileged: true,
        labels: [
          { label: 'hardened-docker.suppress.no-privileged', value: 'hardware access for the test rig' },
          { label: 'hardened-docker.suppress.pids-limit', value: 'provider 3.6.2 has no pids_limit' },
        ],
      }),
    });
    const r = await json(['check', 'suppressed.tf.json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(find(r.report, 'docker_container.priv', 'no-privileged')).toEqual(expect.objectContaining({ suppressed: true, reason: 'hardware access for the test rig' }));
  });

  test.each([
    [['check', 'missing.tf.json'], /^hardened-docker: missing\.tf\.json: no such file or directory\n$/],
    [['check', FIXTURES + '/tf-json', '--format', 'yaml'], /--format "yaml": expected one of text, json, sarif, junit, html/],
    [['check', FIXTURES + '/tf-json', '--fail-on', 'critical'], /--fail-on "critical": expected one of error, warning, info, never/],
    [['check', FIXTURES + '/tf-json', '--profile', 'paranoid'], /--profile "paranoid": not a built-in profile \(baseline, restricted, hardened\) and no such file/],
    [['check', '--no-such-option'], /unknown option '--no-such-option'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('2 for bad usage: %j', async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('2 for a directory without Terraform files', async () => {
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    const r = await cli(['check', 'empty'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hardened-docker: empty: no Terraform files found/);
  });

  test('2 for malformed JSON: one line with file, line:column and the problem', async () => {
    const r = await cli(['check', fixture('malformed/bad.tf.json')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^hardened-docker: test\/cli\/fixtures\/malformed\/bad\.tf\.json:6:9: malformed JSON: /);
  });

  test('2 for malformed HCL: one line with file, line:column and the problem', async () => {
    const r = await cli(['check', fixture('malformed/bad.tf')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('hardened-docker: test/cli/fixtures/malformed/bad.tf:3:11: malformed HCL: Invalid expression; '
      + 'Expected the start of an expression, but found an invalid expression token.\n');
  });

  test('2 for a well-formed file of the wrong shape, naming the place and the valid form', async () => {
    writeTfJson(dir, 'shape.tf.json', { web: { name: 'web', privileged: 'very' } });
    const r = await cli(['check', 'shape.tf.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hardened-docker: shape\.tf\.json: docker_container\.web: "privileged" must be true or false/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  test('no resources: a note on stderr, exit 0', async () => {
    fs.writeFileSync(path.join(dir, 'other.tf.json'), JSON.stringify({ resource: { docker_network: { n: { name: 'n' } } } }));
    const r = await json(['check', 'other.tf.json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/no docker_container or docker_service resources in other\.tf\.json/);
    expect(r.report).toEqual({ findings: [], summary: expect.objectContaining({ resources: 0, error: 0 }) });
  });
});

describe('options', () => {
  test('--profile NAME picks the rules', async () => {
    const baseline = await json(['check', TF_JSON, '--profile', 'baseline']);
    const hardened = await json(['check', TF_JSON, '--profile', 'hardened']);
    expect(baseline.report.summary.profile).toBe('baseline');
    const ids = (r: any) => new Set(r.report.findings.map((f: any) => f.ruleId));
    expect(ids(baseline).has('no-privileged')).toBe(true);
    expect(ids(baseline).has('read-only-rootfs')).toBe(false);
    expect(ids(hardened).has('read-only-rootfs')).toBe(true);
  });

  test('--profile FILE reads a JSON profile relative to the working directory', async () => {
    const { dir, cleanup } = tempDir();
    try {
      fs.writeFileSync(path.join(dir, 'team.json'), JSON.stringify({ name: 'team', extends: 'baseline', rules: { 'no-privileged': 'warning' } }));
      const r = await json(['check', path.join(ROOT, TF_JSON), '--profile', 'team.json'], { cwd: dir });
      expect(r.stderr).toBe('');
      expect(r.report.summary.profile).toBe('team');
      expect(find(r.report, 'docker_container.web', 'no-privileged').severity).toBe('warning');
      fs.writeFileSync(path.join(dir, 'broken.json'), '{ "name": ');
      const bad = await cli(['check', path.join(ROOT, TF_JSON), '--profile', 'broken.json'], { cwd: dir });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/^hardened-docker: --profile broken\.json: /);
      expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
    } finally {
      cleanup();
    }
  });

  test('--output writes the report to a file and a summary line to stderr', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const r = await cli(['check', path.join(ROOT, TF_JSON), '--format', 'json', '--output', 'reports/out.json'], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^hardened-docker: wrote json report to reports\/out\.json: 3 resources, \d+ errors/);
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'reports/out.json'), 'utf8')).summary.resources).toBe(3);
    } finally {
      cleanup();
    }
  });

  test('--help lists check and audit and exits 0; check --help documents exit codes and the label', async () => {
    const top = await cli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/check \[options\] \[path\.\.\.\]/);
    expect(top.stdout).toMatch(/audit/);
    const sub = await cli(['check', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(/--fail-on <level>/);
    expect(sub.stdout).toMatch(/Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 bad usage/);
    expect(sub.stdout).toMatch(/hardened-docker\.suppress\.<rule-id>/);
  });
});
