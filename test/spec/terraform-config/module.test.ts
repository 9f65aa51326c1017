import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { specsFromHcl } from '../../../src/spec/hcl-adapter';
import { ConfigurationLoad, ConfigurationLoader, formatProblem } from '../../../src/spec/terraform/config/load';
import { documentNeedsEvaluation } from '../../../src/spec/terraform/config/module';
import { CliVariable } from '../../../src/spec/terraform/config/variables';
import { specFromResource, specsFromTerraformJson } from '../../../src/spec/terraform-adapter';

/** Writes files into a fresh directory and loads it as a root module. */
async function load(files: { [rel: string]: string }, variables: CliVariable[] = [], root = '.'): Promise<ConfigurationLoad & { dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-eval-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  try {
    const result = await new ConfigurationLoader({ cwd: dir, variables }).load(path.join(dir, root));
    return { ...result, dir };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function byAddress(r: ConfigurationLoad): { [address: string]: any } {
  return Object.fromEntries(r.resources.map((x) => [x.address, x.body]));
}

describe('a directory is one module', () => {
  test('variables, locals and resources merge across .tf and .tf.json files', async () => {
    const r = await load({
      'variables.tf': 'variable "mem" { default = 128 }\n',
      'locals.tf.json': JSON.stringify({ locals: { doubled: '${var.mem * 2}' } }),
      'main.tf': 'resource "docker_container" "a" {\n  name = "a"\n  image = "x"\n  memory = local.doubled\n}\n',
    });
    expect(r.problems).toEqual([]);
    expect(byAddress(r)).toEqual({ 'docker_container.a': { name: 'a', image: 'x', memory: 256 } });
    expect(r.resources[0]).toEqual(expect.objectContaining({ file: 'main.tf', line: 1, column: 1 }));
  });

  test('variable precedence: default < terraform.tfvars < .tfvars.json < *.auto.tfvars (lexical) < CLI in order', async () => {
    const main = 'variable "a" { default = "default" }\nvariable "b" { default = "default" }\nvariable "c" { default = "default" }\n'
      + 'variable "d" { default = "default" }\nvariable "e" { default = "default" }\nvariable "f" {}\n'
      + 'resource "docker_container" "x" {\n  name = "${var.a},${var.b},${var.c},${var.d},${var.e}"\n  image = var.f\n}\n';
    const r = await load({
      'main.tf': main,
      'terraform.tfvars': 'b = "tfvars"\nc = "tfvars"\nd = "tfvars"\ne = "tfvars"\n',
      'terraform.tfvars.json': JSON.stringify({ c: 'tfvars.json', d: 'tfvars.json', e: 'tfvars.json' }),
      'a.auto.tfvars': 'd = "a.auto"\ne = "a.auto"\n',
      'b.auto.tfvars.json': JSON.stringify({ e: 'b.auto' }),
      'cli.tfvars': 'e = "var-file"\n',
    }, [{ kind: 'var', value: 'e=var' }, { kind: 'var-file', value: 'cli.tfvars' }]);
    expect(r.problems).toEqual([]);
    expect(byAddress(r)['docker_container.x'].name).toBe('default,tfvars,tfvars.json,a.auto,var-file');
    // A variable without any value stays unknown, named as written.
    expect(byAddress(r)['docker_container.x'].image).toBe('${var.f}');
  });

  test('a --var value is read as HCL when the variable type asks; a number type converts the string', async () => {
    const r = await load({
      'main.tf': 'variable "ports" { type = list(number) }\nvariable "mem" { type = number }\n'
        + 'resource "docker_container" "x" {\n  name = "x"\n  image = "i"\n  memory = var.mem\n'
        + '  dynamic "ports" {\n    for_each = var.ports\n    content {\n      internal = ports.value\n    }\n  }\n}\n',
    }, [{ kind: 'var', value: 'ports=[80, 443]' }, { kind: 'var', value: 'mem=512' }]);
    expect(r.problems).toEqual([]);
    expect(byAddress(r)['docker_container.x']).toEqual({ name: 'x', image: 'i', memory: 512, ports: [{ internal: 80 }, { internal: 443 }] });
  });

  test('locals refer to each other across files; a cycle is a positioned problem and stays unknown, never a hang', async () => {
    const r = await load({
      'a.tf': 'locals {\n  a = local.b\n  name = "n-${local.c}"\n}\n',
      'b.tf': 'locals {\n  b = local.a\n  c = upper("x")\n}\n'
        + 'resource "docker_container" "x" {\n  name = local.name\n  image = "i"\n  user = local.a\n}\n',
    });
    expect(byAddress(r)['docker_container.x'].name).toBe('n-X');
    expect(byAddress(r)['docker_container.x'].user).toMatch(/^\$\{local\.[ab]\}$/);
    expect(r.problems.map(formatProblem)).toEqual([expect.stringMatching(/^[ab]\.tf:2:3: local\.[ab] refers to itself/)]);
  });
});

describe('count and for_each', () => {
  test('each instance is its own resource with Terraform address; count = 0 and empty for_each make none', async () => {
    const r = await load({
      'main.tf': [
        'resource "docker_container" "web" {\n  count = 2\n  name = "web-${count.index}"\n  image = "i"\n  privileged = count.index == 1\n}',
        'resource "docker_container" "svc" {\n  for_each = { api = 8080, admin = 9090 }\n  name = each.key\n  image = "i"\n'
          + '  ports {\n    internal = each.value\n  }\n}',
        'resource "docker_container" "set" {\n  for_each = toset(["b", "a"])\n  name = each.value\n  image = "i"\n}',
        'resource "docker_container" "none" {\n  count = 0\n  name = "none"\n  image = "i"\n}',
        'resource "docker_container" "empty" {\n  for_each = {}\n  name = "empty"\n  image = "i"\n}',
      ].join('\n'),
    });
    expect(r.problems).toEqual([]);
    expect(r.resources.map((x) => x.address)).toEqual([
      'docker_container.web[0]', 'docker_container.web[1]',
      'docker_container.svc["admin"]', 'docker_container.svc["api"]',
      'docker_container.set["a"]', 'docker_container.set["b"]',
    ]);
    const b = byAddress(r);
    expect(b['docker_container.web[1]']).toEqual({ name: 'web-1', image: 'i', privileged: true });
    expect(b['docker_container.svc["api"]'].ports).toEqual([{ internal: 8080 }]);
    expect(r.resources.find((x) => x.address === 'docker_container.svc["api"]')!.line).toBe(7);
  });

  test('an undecidable count or for_each gives one resource whose count.index and each.* are unknown', async () => {
    const r = await load({
      'main.tf': 'variable "n" {}\nvariable "m" {}\n'
        + 'resource "docker_container" "c" {\n  count = var.n\n  name = "c-${count.index}"\n  image = "i"\n}\n'
        + 'resource "docker_container" "e" {\n  for_each = var.m\n  name = each.key\n  image = each.value.image\n}\n',
    });
    expect(byAddress(r)).toEqual({
      'docker_container.c': { name: 'c-${count.index}', image: 'i' },
      'docker_container.e': { name: '${each.key}', image: '${each.value.image}' },
    });
  });

  test('Terraform refuses a negative count and a for_each over a list of numbers: positioned problems', async () => {
    const r = await load({
      'main.tf': 'resource "docker_container" "a" {\n  count = -1\n  name = "a"\n  image = "i"\n}\n'
        + 'resource "docker_container" "b" {\n  for_each = [1, 2]\n  name = "b"\n  image = "i"\n}\n'
        + 'resource "docker_container" "ok" {\n  name = "ok"\n  image = "i"\n}\n',
    });
    expect(r.resources.map((x) => x.address)).toEqual(['docker_container.ok']);
    expect(r.problems.map(formatProblem)).toEqual([
      'main.tf:1:1: docker_container.a: "count" must be a whole number, 0 or more, got -1',
      expect.stringMatching(/^main\.tf:6:1: docker_container\.b: "for_each" over a set needs strings/),
    ]);
  });

  test('a runaway count is refused with the documented limit, not expanded', async () => {
    const r = await load({ 'main.tf': 'resource "docker_container" "a" {\n  count = 1000000\n  name = "a"\n  image = "i"\n}\n' });
    expect(r.resources).toEqual([]);
    expect(r.problems.map(formatProblem)).toEqual([expect.stringMatching(/^main\.tf:1:1: .*at most 10000 instances/)]);
  });
});

describe('dynamic blocks', () => {
  test('expand over decidable collections, with iterator and nested dynamic; after the static blocks', async () => {
    const r = await load({
      'main.tf': `
locals {
  mounts = [
    { target = "/data", opts = ["a"] },
    { target = "/tmp", opts = [] },
  ]
}
resource "docker_container" "x" {
  name  = "x"
  image = "i"
  ports {
    internal = 1
  }
  dynamic "ports" {
    for_each = { web = 80 }
    iterator = p
    content {
      internal = p.value
      ip       = p.key == "web" ? "127.0.0.1" : null
    }
  }
  dynamic "mounts" {
    for_each = local.mounts
    content {
      target = mounts.value.target
      type   = "volume"
      dynamic "volume_options" {
        for_each = mounts.value.opts
        content {
          driver_name = volume_options.value
        }
      }
    }
  }
}
`,
    });
    expect(r.problems).toEqual([]);
    expect(byAddress(r)['docker_container.x']).toEqual({
      name: 'x',
      image: 'i',
      ports: [{ internal: 1 }, { internal: 80, ip: '127.0.0.1' }],
      mounts: [
        { target: '/data', type: 'volume', volume_options: [{ driver_name: 'a' }] },
        { target: '/tmp', type: 'volume', volume_options: [] },
      ],
    });
  });

  test('an undecidable dynamic block stays dynamic, with its collection residual', async () => {
    const r = await load({
      'main.tf': 'variable "ports" {}\nresource "docker_container" "x" {\n  name = "x"\n  image = "i"\n'
        + '  dynamic "ports" {\n    for_each = var.ports\n    content {\n      internal = ports.value\n    }\n  }\n}\n',
    });
    expect(byAddress(r)['docker_container.x'].dynamic).toEqual({ ports: [{ for_each: '${var.ports}' }] });
  });
});

describe('map keys only Terraform knows', () => {
  /** What the adapter reads of the keyed fields: from the evaluated body, and from the body as written. */
  async function readings(file: string, text: string): Promise<{ evaluated: object[]; asWritten: object[] }> {
    const r = await load({ [file]: text });
    expect(r.problems).toEqual([]);
    const fields = (s: any) => ({ logOpts: s.logOpts, tmpfs: s.tmpfs, unknown: s.unknown });
    const evaluated = r.resources.map((x) => fields(specFromResource({ type: 'docker_container', name: x.address.split('.')[1], body: x.body }, {})));
    const written = file.endsWith('.json') ? specsFromTerraformJson(JSON.parse(text)) : await specsFromHcl(text, file);
    return { evaluated, asWritten: written.map(fields) };
  }

  test.each([
    ['main.tf.json', JSON.stringify({
      variable: { k: {} },
      locals: { opts: { '${var.k}': '1g' } },
      resource: {
        docker_container: {
          keyed: { name: 'keyed', image: 'i', log_opts: { 'max-size': '10m', '${var.k}': '1g', '$${lit}': 'v' }, tmpfs: { '${var.k}': 'rw', '/tmp': 'rw' } },
          local: { name: 'local', image: 'i', log_opts: '${local.opts}' },
        },
      },
    })],
    ['main.tf', 'variable "k" {}\nvariable "user" { default = "10001" }\nlocals {\n  opts = { (var.k) = "1g" }\n}\n'
      + 'resource "docker_container" "keyed" {\n  name = "keyed"\n  image = "i"\n'
      + '  log_opts = { "max-size" = "10m", "${var.k}" = "1g", "$${lit}" = "v" }\n  tmpfs = { (var.k) = "rw", "/tmp" = "rw" }\n}\n'
      + 'resource "docker_container" "local" {\n  name = "local"\n  image = "i"\n  log_opts = local.opts\n}\n'],
  ])('%s: the evaluated body reads as the body as written (the field unknown, the known entries and literal keys kept)', async (file, text) => {
    const { evaluated, asWritten } = await readings(file, text);
    expect(evaluated).toEqual(asWritten);
    expect(evaluated[0]).toEqual({
      logOpts: { 'max-size': '10m', '${lit}': 'v' },
      tmpfs: [{ path: '/tmp', options: 'rw' }],
      unknown: expect.arrayContaining(['logOpts', 'tmpfs']),
    });
    expect(evaluated[1]).toEqual(expect.objectContaining({ logOpts: undefined, unknown: ['logOpts'] }));
  });
});

describe('references to other resources', () => {
  test('a literal attribute is decided; one known only after apply stays unknown as written', async () => {
    const r = await load({
      'main.tf': 'resource "docker_network" "private" {\n  name = "private-net"\n}\n'
        + 'resource "docker_volume" "data" {\n  count = 1\n  name = "data-${count.index}"\n}\n'
        + 'resource "docker_container" "x" {\n  name = "x"\n  image = "i"\n  network_mode = docker_network.private.name\n'
        + '  networks_advanced {\n    name = docker_network.private.id\n  }\n  volumes {\n    volume_name = docker_volume.data[0].name\n'
        + '    container_path = "/data"\n  }\n}\n',
    });
    expect(byAddress(r)['docker_container.x']).toEqual({
      name: 'x',
      image: 'i',
      network_mode: 'private-net',
      networks_advanced: [{ name: '${docker_network.private.id}' }],
      volumes: [{ volume_name: 'data-0', container_path: '/data' }],
    });
  });
});

describe('modules', () => {
  const child = {
    'modules/app/variables.tf': 'variable "name" {}\nvariable "privileged" { default = false }\n',
    'modules/app/main.tf': 'resource "docker_container" "this" {\n  name = var.name\n  image = "i"\n  privileged = var.privileged\n}\n'
      + 'output "name" { value = docker_container.this.name }\n'
      + 'module "inner" {\n  source = "../inner"\n  tag = var.name\n}\n',
    'modules/inner/main.tf': 'variable "tag" {}\nresource "docker_container" "side" {\n  name = "${var.tag}-side"\n  image = "i"\n}\n',
  };

  test('local modules are followed: arguments bound in the caller, addresses nested, count and for_each on calls', async () => {
    const r = await load({
      ...child,
      'main.tf': 'module "one" {\n  source = "./modules/app"\n  name = "one"\n  privileged = true\n}\n'
        + 'module "many" {\n  source = "./modules/app"\n  for_each = toset(["a", "b"])\n  name = "many-${each.key}"\n}\n'
        + 'module "counted" {\n  source = "./modules/app"\n  count = 1\n  name = "c${count.index}"\n}\n'
        + 'resource "docker_container" "uses_output" {\n  name = "${module.one.name}-peer"\n  image = "i"\n}\n',
    });
    expect(r.problems).toEqual([]);
    const b = byAddress(r);
    expect(Object.keys(b).sort()).toEqual([
      'docker_container.uses_output',
      'module.counted[0].docker_container.this',
      'module.counted[0].module.inner.docker_container.side',
      'module.many["a"].docker_container.this',
      'module.many["a"].module.inner.docker_container.side',
      'module.many["b"].docker_container.this',
      'module.many["b"].module.inner.docker_container.side',
      'module.one.docker_container.this',
      'module.one.module.inner.docker_container.side',
    ]);
    expect(b['module.one.docker_container.this']).toEqual({ name: 'one', image: 'i', privileged: true });
    expect(b['module.many["b"].docker_container.this'].privileged).toBe(false);
    expect(b['module.many["b"].module.inner.docker_container.side'].name).toBe('many-b-side');
    expect(b['docker_container.uses_output'].name).toBe('one-peer');
    const inner = r.resources.find((x) => x.address === 'module.one.module.inner.docker_container.side')!;
    expect([inner.file, inner.line]).toEqual(['modules/inner/main.tf', 2]);
    expect(r.calledDirectories.map((d) => path.basename(d)).sort()).toEqual(['app', 'inner']);
  });

  test('a remote module is listed by file, address and source, not fetched; its outputs are unknown', async () => {
    const r = await load({
      'main.tf': 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n  version = "5.0.0"\n}\n'
        + 'module "git" {\n  source = "git::https://example.com/m.git"\n}\n'
        + 'resource "docker_container" "x" {\n  name = "x"\n  image = module.vpc.image\n}\n',
    });
    expect(r.remoteModules).toEqual([
      { file: 'main.tf', line: 1, address: 'module.vpc', source: 'terraform-aws-modules/vpc/aws' },
      { file: 'main.tf', line: 5, address: 'module.git', source: 'git::https://example.com/m.git' },
    ]);
    expect(byAddress(r)['docker_container.x'].image).toBe('${module.vpc.image}');
  });

  test('a module that calls itself is a positioned problem, not a hang', async () => {
    const r = await load({
      'main.tf': 'module "loop" {\n  source = "./m"\n}\n',
      'm/main.tf': 'module "again" {\n  source = "../m"\n}\nresource "docker_container" "x" {\n  name = "x"\n  image = "i"\n}\n',
    });
    expect(r.resources.map((x) => x.address)).toEqual(['module.loop.docker_container.x']);
    expect(r.problems.map(formatProblem)).toEqual([expect.stringMatching(/^m\/main\.tf:1:1: module\.loop\.module\.again: module "\.\.\/m" calls itself/)]);
  });
});

describe('one bad file, one problem', () => {
  test('a file that does not parse is one positioned problem; the other files are still read', async () => {
    const r = await load({
      'bad.tf': 'resource "docker_container" "x" {\n  name = \n}\n',
      'good.tf': 'resource "docker_container" "y" {\n  name = "y"\n  image = "i"\n}\n',
    });
    expect(r.resources.map((x) => x.address)).toEqual(['docker_container.y']);
    expect(r.problems.map(formatProblem)).toEqual([expect.stringMatching(/^bad\.tf:2:10: malformed HCL: Invalid expression/)]);
  });

  test('an expression Terraform refuses is one positioned problem for its resource', async () => {
    const r = await load({
      'main.tf': 'resource "docker_container" "x" {\n  name = "x"\n  image = "i"\n  memory = tonumber("lots")\n}\n'
        + 'resource "docker_container" "y" {\n  name = "y"\n  image = "i"\n}\n',
    });
    expect(r.resources.map((x) => x.address)).toEqual(['docker_container.y']);
    expect(r.problems.map(formatProblem)).toEqual([expect.stringMatching(/^main\.tf:1:1: docker_container\.x: "tonumber\("lots"\)": cannot convert/)]);
  });
});

describe('Terraform JSON read as it is when evaluation cannot change it', () => {
  const doc = (extra: object, container: object) => ({ ...extra, resource: { docker_container: { c: { name: 'c', ...container } } } });

  test.each<[string, object, object, boolean]>([
    ['no expression', {}, { image: 'i' }, false],
    ['references known only after apply, undeclared variables', {}, { image: '${docker_image.app.image_id}', user: 'u-${var.user}' }, false],
    ['a declared variable', { variable: { user: { default: 'x' } } }, { user: '${var.user}' }, true],
    ['a declared local', { locals: { m: 5 } }, { memory: '${local.m}' }, true],
    ['a resource type the document declares', { resource: { docker_network: { n: { name: 'n' } } } }, {}, true],
    ['constant arithmetic', {}, { memory: '${256 * 1000000}' }, true],
    ['a function call', {}, { image: '${lower("X")}' }, true],
    ['a directive', {}, { image: '%{ if true }x%{ endif }' }, true],
    ['count', {}, { count: 2 }, true],
  ])('%s', (_, extra, container, expected) => {
    const d: any = doc(extra, container);
    if ((extra as any).resource) d.resource = { ...(extra as any).resource, docker_container: { c: { name: 'c', network_mode: '${docker_network.n.name}' } } };
    expect(documentNeedsEvaluation(d, JSON.stringify(d, null, 2))).toBe(expected);
  });
});

describe('override files and duplicates', () => {
  test('override.tf merges its attributes into the block it names; it adds no resource', async () => {
    const r = await load({
      'main.tf': 'resource "docker_container" "x" {\n  name = "x"\n  image = "i"\n  privileged = false\n}\n',
      'override.tf': 'resource "docker_container" "x" {\n  privileged = true\n}\n',
    });
    expect(r.problems).toEqual([]);
    expect(byAddress(r)).toEqual({ 'docker_container.x': { name: 'x', image: 'i', privileged: true } });
  });

  test('a resource declared twice is a positioned problem naming the first', async () => {
    const r = await load({
      'a.tf': 'resource "docker_container" "x" {\n  name = "a"\n  image = "i"\n}\n',
      'b.tf': '\nresource "docker_container" "x" {\n  name = "b"\n  image = "i"\n}\n',
    });
    expect(r.resources.map((x) => x.body.name)).toEqual(['a']);
    expect(r.problems.map(formatProblem)).toEqual(['b.tf:2:1: resource docker_container.x is declared twice (first at a.tf:1); Terraform refuses it']);
  });
});

describe('TF_VAR_ environment variables', () => {
  test('after the default, before terraform.tfvars; read as HCL when the type asks', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-eval-'));
    try {
      fs.writeFileSync(path.join(dir, 'main.tf'), 'variable "a" { default = "default" }\nvariable "b" { default = "default" }\n'
        + 'variable "ports" { type = list(number) }\n'
        + 'resource "docker_container" "x" {\n  name = "${var.a},${var.b}"\n  image = "i"\n'
        + '  dynamic "ports" {\n    for_each = var.ports\n    content {\n      internal = ports.value\n    }\n  }\n}\n');
      fs.writeFileSync(path.join(dir, 'terraform.tfvars'), 'b = "tfvars"\n');
      const env = { TF_VAR_a: 'env', TF_VAR_b: 'env', TF_VAR_ports: '[8080]' };
      const r = await new ConfigurationLoader({ cwd: dir, env }).load(dir);
      expect(r.problems).toEqual([]);
      expect(r.resources[0].body).toEqual({ name: 'env,tfvars', image: 'i', ports: [{ internal: 8080 }] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('optional() attributes of object types', () => {
  test('a missing or null attribute takes the default of optional(type, default), in nested lists and maps too', async () => {
    const r = await load({
      'main.tf': 'module "app" {\n  source = "./app"\n  settings = { name = "a" }\n  mounts = [{ target = "/data" }]\n}\n',
      'app/main.tf': `variable "settings" {
  type = object({
    name      = string
    read_only = optional(bool, true)
    user      = optional(string, "10001:10001")
    memory    = optional(number)
  })
}
variable "mounts" {
  type = list(object({ target = string, type = optional(string, "volume") }))
}
resource "docker_container" "x" {
  name      = var.settings.name
  image     = "i"
  read_only = var.settings.read_only
  user      = var.settings.user
  memory    = var.settings.memory
  dynamic "mounts" {
    for_each = var.mounts
    content {
      target = mounts.value.target
      type   = mounts.value.type
    }
  }
}
`,
    });
    expect(r.problems).toEqual([]);
    expect(byAddress(r)['module.app.docker_container.x']).toEqual({
      name: 'a', image: 'i', read_only: true, user: '10001:10001', memory: null, mounts: [{ target: '/data', type: 'volume' }],
    });
  });
});
