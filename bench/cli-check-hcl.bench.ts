/**
 * `hardened-docker check DIR` on a generated directory of 1,000 HCL files: root modules that call local modules with
 * for_each, containers with count, for_each and dynamic blocks, variables, locals and references between resources.
 * The whole command (`node lib/cli/main.js check DIR --format json > /dev/null`, Node startup included) against a
 * `node -e` that reads every file and parses it with `@cdktf/hcl2json` (the parser's own time, its WebAssembly load
 * included). Runs alternate, 5 of each; medians. Budget (issue 13): at most 3x.
 *
 * Uses the compiled CLI in lib/, as cli-check.bench.ts does.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ensureCompiled, median, timeProcess } from './lib/child';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'bench', 'out', 'hcl-1000');
const CLI = path.join(ROOT, 'lib', 'cli', 'main.js');
const STACKS = 199;
const RUNS = 5;
const BUDGET = 3;

const SERVICE_VARIABLES = `variable "name" {
  type = string
}

variable "image" {
  type    = string
  default = "registry.example/app:1.4"
}

variable "ports" {
  type    = map(number)
  default = { http = 8080 }
}

variable "replicas" {
  type    = number
  default = 1
}

variable "network" {
  type = string
}
`;

const SERVICE_MAIN = `locals {
  labels = {
    "app"  = var.name
    "tier" = "backend"
  }
}

resource "docker_container" "this" {
  count     = var.replicas
  name      = "\${var.name}-\${count.index}"
  image     = var.image
  user      = "10001:10001"
  read_only = true
  memory    = 256
  restart   = "on-failure"

  capabilities {
    drop = ["ALL"]
  }

  networks_advanced {
    name = var.network
  }

  dynamic "ports" {
    for_each = var.ports
    content {
      internal = ports.value
      ip       = "127.0.0.1"
    }
  }

  dynamic "labels" {
    for_each = local.labels
    iterator = label
    content {
      label = label.key
      value = label.value
    }
  }

  module "sidecar" {
    source = "../sidecar"
  }
}
`.replace(/\n {2}module "sidecar" \{\n {4}source = "\.\.\/sidecar"\n {2}\}\n/, '\n');

const SERVICE_OUTPUTS = `output "names" {
  value = docker_container.this[*].name
}

module "sidecar" {
  source = "../sidecar"
  parent = var.name
}
`;

const SIDECAR_VARIABLES = `variable "parent" {
  type = string
}
`;

const SIDECAR_MAIN = `resource "docker_container" "log_shipper" {
  name       = "\${var.parent}-logs"
  image      = "registry.example/shipper:2.1"
  user       = "10002:10002"
  read_only  = true
  memory     = 64
  privileged = false

  mounts {
    type      = "volume"
    source    = "\${var.parent}-logs"
    target    = "/var/log/app"
    read_only = true
  }

  # Log shippers often read the engine's socket: the error every stack's sidecar reports.
  mounts {
    type   = "bind"
    source = "/var/run/docker.sock"
    target = "/var/run/docker.sock"
  }
}
`;

function stackFiles(i: number): Record<string, string> {
  const id = String(i).padStart(3, '0');
  return {
    'variables.tf': `variable "environment" {
  type    = string
  default = "staging"
}

variable "services" {
  type = map(object({ port = number, replicas = number }))
  default = {
    api    = { port = 8080, replicas = 2 }
    worker = { port = 9090, replicas = 1 }
    admin  = { port = 8443, replicas = 1 }
  }
}

variable "debug" {
  type    = bool
  default = false
}
`,
    'locals.tf': `locals {
  stack   = "stack-${id}"
  prefix  = "\${local.stack}-\${var.environment}"
  volumes = ["data", "cache"]
}
`,
    'network.tf': `resource "docker_network" "private" {
  name     = "\${local.prefix}-net"
  internal = true
}

resource "docker_volume" "data" {
  for_each = toset(local.volumes)
  name     = "\${local.prefix}-\${each.key}"
}
`,
    'services.tf': `module "service" {
  source   = "../modules/service"
  for_each = var.services

  name     = "\${local.prefix}-\${each.key}"
  replicas = each.value.replicas
  ports    = { main = each.value.port }
  network  = docker_network.private.name
}
`,
    'main.tf': `resource "docker_container" "db" {
  count     = var.debug ? 0 : 1
  name      = "\${local.prefix}-db"
  image     = "registry.example/db@sha256:${'a'.repeat(64)}"
  user      = "999:999"
  read_only = true
  memory    = 1024

  networks_advanced {
    name = docker_network.private.name
  }

  dynamic "volumes" {
    for_each = docker_volume.data
    content {
      volume_name    = volumes.value.name
      container_path = "/var/lib/\${volumes.key}"
    }
  }

  ports {
    internal = 5432
    external = 5432
  }
}
`,
  };
}

/** Writes the directory: STACKS root modules of 5 files each, and 2 local modules of 5 files in all. */
export function generate(dir: string): number {
  fs.rmSync(dir, { recursive: true, force: true });
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  write('modules/service/variables.tf', SERVICE_VARIABLES);
  write('modules/service/main.tf', SERVICE_MAIN);
  write('modules/service/outputs.tf', SERVICE_OUTPUTS);
  write('modules/sidecar/variables.tf', SIDECAR_VARIABLES);
  write('modules/sidecar/main.tf', SIDECAR_MAIN);
  let files = 5;
  for (let i = 0; i < STACKS; i++) {
    for (const [name, text] of Object.entries(stackFiles(i))) {
      write(`stack-${String(i).padStart(3, '0')}/${name}`, text);
      files++;
    }
  }
  return files;
}

/** A script that reads and parses every `.tf` file under a directory with hcl2json, one after the other. */
function parseAllScript(dir: string): string {
  return `const fs = require('fs'); const path = require('path'); const { parse } = require('@cdktf/hcl2json');
const files = []; const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : 1)) {
  const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else if (e.name.endsWith('.tf')) files.push(p); } };
walk(${JSON.stringify(dir)});
(async () => { for (const f of files) await parse(f, fs.readFileSync(f, 'utf8')); })();`;
}

/** Wall-clock and CPU milliseconds of one process, stdout to /dev/null. */
function time(args: string[]): { ms: number; cpuMs?: number } {
  return timeProcess(args, ROOT);
}

export const name = 'cli-check-hcl';

export async function run(): Promise<string> {
  const compiled = ensureCompiled(CLI);
  const files = generate(OUT);
  const rel = path.relative(ROOT, OUT);
  const probe = spawnSync(process.execPath, [CLI, 'check', rel, '--format', 'json'], { cwd: ROOT, maxBuffer: 2 ** 30 });
  if (probe.status !== 1) throw new Error(`cli-check-hcl: expected exit 1 (findings), got ${probe.status}: ${String(probe.stderr).slice(0, 2000)}`);
  const report = JSON.parse(String(probe.stdout));
  const check: number[] = [];
  const parse: number[] = [];
  const checkCpu: number[] = [];
  const parseCpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c = time([path.relative(ROOT, CLI), 'check', rel, '--format', 'json']);
    const p = time(['-e', parseAllScript(OUT)]);
    check.push(c.ms);
    parse.push(p.ms);
    if (c.cpuMs !== undefined && p.cpuMs !== undefined) {
      checkCpu.push(c.cpuMs);
      parseCpu.push(p.cpuMs);
    }
  }
  const ratio = median(check) / median(parse);
  const cpuRatio = checkCpu.length ? median(checkCpu) / median(parseCpu) : undefined;
  const runs = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  return [
    '## CLI check of HCL modules',
    '',
    `\`node lib/cli/main.js check DIR --format json > /dev/null\` against \`node -e\` reading every \`.tf\` file of DIR and `
      + `parsing it with \`@cdktf/hcl2json\`'s \`parse\` (the parser's own time, its WebAssembly load included): whole processes, `
      + `${RUNS} runs of each, alternating, medians. DIR: ${files} HCL files, generated (bench/cli-check-hcl.bench.ts): `
      + `${STACKS} root modules of 5 files (variables with defaults, locals, a docker_network, docker_volumes with for_each, `
      + 'a container with count and a dynamic block over the volumes, a module call with for_each over a map variable) and '
      + '2 local modules (a service with count, dynamic ports and labels and a nested module call; a sidecar that binds '
      + 'the Docker socket). '
      + `${report.summary.resources.toLocaleString('en-US')} container instances checked. CLI from lib/ (${compiled}); profile hardened.`,
    '',
    '| check | parse | ratio (wall) | ratio (CPU) |',
    '|---:|---:|---:|---:|',
    `| ${median(check).toFixed(0)} ms | ${median(parse).toFixed(0)} ms | **${ratio.toFixed(2)}x** | ${cpuRatio !== undefined ? `${cpuRatio.toFixed(2)}x` : 'n/a'} |`,
    '',
    `Budget (issue 13): at most ${BUDGET}x: **${ratio <= BUDGET ? 'within' : 'over'}** (${ratio.toFixed(2)}x).`,
    '',
    `- check ${runs(check)} ms; parse ${runs(parse)} ms${checkCpu.length ? `; CPU check ${runs(checkCpu)} ms, parse ${runs(parseCpu)} ms` : ''}.`,
    `- Findings: ${report.summary.error} errors, ${report.summary.warning} warnings, ${report.summary.info} info, ${report.summary.suppressed} suppressed.`,
  ].join('\n') + '\n';
}

export default { name, run };
