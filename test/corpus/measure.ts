/**
 * Measures the corpus: runs check on every root, then classifies each resource's unknown rules by what made the
 * value unknown, read from the resource's own HCL (the expressions of the attributes the unknown rule names).
 *
 *   HARDENED_DOCKER_CORPUS=DIR npx ts-node --transpile-only test/corpus/measure.ts [--json FILE]
 *
 * The classes are a reading aid for test/corpus/README.md, not part of the tool: the same cause names as issue 13.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RootRun, runRoot } from './run-check';
import { findCorpusRoot, readSources } from './sources';

type Json = any;

/** Causes a static evaluator can remove (issue 13); the others stay unknown honestly. */
export const EVALUABLE = new Set([
  'variable with a default', 'tfvars', 'local', 'count / for_each', 'module input', 'named volume',
  'same-configuration literal attribute', 'path', 'constant arithmetic', 'pure function', 'dynamic block',
]);

const AFTER_APPLY_ATTRIBUTES = new Set(['id', 'image_id', 'latest', 'repo_digest', 'sha256_digest', 'network_data', 'ip_address']);
const PURE_FUNCTIONS = new Set(['lookup', 'merge', 'concat', 'format', 'join', 'split', 'coalesce', 'try', 'can', 'tostring', 'tonumber',
  'tobool', 'tolist', 'toset', 'tomap', 'keys', 'values', 'length', 'contains', 'element', 'flatten', 'lower', 'upper', 'replace',
  'trimspace', 'jsonencode']);

interface DirInfo {
  readonly defaults: Set<string>;
  readonly tfvars: Set<string>;
  readonly resources: Map<string, Json>;
}

const dirCache = new Map<string, Promise<DirInfo>>();

async function dirInfo(dir: string): Promise<DirInfo> {
  let p = dirCache.get(dir);
  if (!p) {
    p = readDir(dir);
    dirCache.set(dir, p);
  }
  return p;
}

async function readDir(dir: string): Promise<DirInfo> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const hcl2json = require('@cdktf/hcl2json');
  const defaults = new Set<string>();
  const tfvars = new Set<string>();
  const resources = new Map<string, Json>();
  for (const name of fs.readdirSync(dir)) {
    const abs = path.join(dir, name);
    if (!fs.existsSync(abs) || !fs.statSync(abs).isFile()) continue;
    if (name === 'terraform.tfvars' || name.endsWith('.auto.tfvars')) {
      for (const m of fs.readFileSync(abs, 'utf8').matchAll(/^\s*([A-Za-z_][\w-]*)\s*=/gm)) tfvars.add(m[1]);
      continue;
    }
    if (!name.endsWith('.tf')) continue;
    let doc: Json;
    try {
      doc = await hcl2json.parse(name, fs.readFileSync(abs, 'utf8'));
    } catch {
      continue;
    }
    for (const [v, blocks] of Object.entries<Json>(doc.variable ?? {})) if (blocks.some((b: Json) => 'default' in b)) defaults.add(v);
    for (const [type, byName] of Object.entries<Json>(doc.resource ?? {})) {
      for (const [n, blocks] of Object.entries<Json>(byName)) resources.set(`${name}\u0000${type}.${n}`, blocks[0]);
    }
  }
  return { defaults, tfvars, resources };
}

/** Every `${...}` expression under the keys named (at any depth), dynamic blocks included. */
function expressionsUnder(node: Json, keys: Set<string>, inside = false, out: string[] = []): string[] {
  if (typeof node === 'string') {
    if (inside) for (const m of node.matchAll(/\$\{([\s\S]*?)\}/g)) out.push(m[1]);
  } else if (Array.isArray(node)) {
    for (const x of node) expressionsUnder(x, keys, inside, out);
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries<Json>(node)) {
      if (k === 'dynamic') {
        for (const [dk, dv] of Object.entries<Json>(v)) {
          if (inside || keys.has(dk)) {
            out.push('dynamic block');
            expressionsUnder(dv, keys, true, out);
          } else {
            // A dynamic wrapper (a whole task_spec) around the attribute: its expressions count, and so does the block.
            const before = out.length;
            expressionsUnder(dv, keys, false, out);
            if (out.length > before) out.push('dynamic block');
          }
        }
      } else {
        expressionsUnder(v, keys, inside || keys.has(k), out);
      }
    }
  }
  return out;
}

/** The attributes an unknown finding's message names: "volumes/mounts is only known after apply". */
function attributesOf(message: string): Set<string> {
  const head = message.split(/ (?:is|are) only known/)[0].replace(/^the /, '');
  const names = head.split(/[/ ]/).map((s) => s.split('.')[0]).filter(Boolean);
  const set = new Set(names);
  if (head.includes('CPU')) ['cpu_shares', 'cpu_set', 'cpus', 'nano_cpus', 'cpu_period', 'cpu_quota', 'limits', 'nano_cpus'].forEach((n) => set.add(n));
  if (head.includes('tmpfs')) ['mounts', 'tmpfs'].forEach((n) => set.add(n));
  if (set.has('networks')) set.add('networks_advanced');
  if (set.has('mounts')) set.add('volumes');
  if (set.has('memory')) set.add('memory_bytes');
  return set;
}

function causesOf(expression: string, info: DirInfo, isModule: boolean, attributes: Set<string>): string[] {
  if (expression === 'dynamic block') return ['dynamic block'];
  const causes: string[] = [];
  for (const m of expression.matchAll(/\bvar\.([A-Za-z_][\w-]*)/g)) {
    if (info.tfvars.has(m[1])) causes.push('tfvars');
    else if (info.defaults.has(m[1])) causes.push('variable with a default');
    else causes.push(isModule ? 'module input' : 'variable without a value');
  }
  if (/\blocal\./.test(expression)) causes.push('local');
  if (/\b(count\.index|each\.(key|value))\b/.test(expression)) causes.push('count / for_each');
  if (/\bdata\./.test(expression)) causes.push('data source');
  if (/\bmodule\./.test(expression)) causes.push('module output');
  if (/\bpath\.(module|root|cwd)\b/.test(expression)) causes.push('path');
  if (/\bterraform\.workspace\b/.test(expression)) causes.push('workspace');
  for (const m of expression.matchAll(/\b(docker_[a-z_]+|random_[a-z_]+|[a-z]+_[a-z_]+)\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?\.([a-z_]+)/g)) {
    if (['var', 'local', 'data', 'module', 'count', 'each', 'path'].includes(m[1])) continue;
    if (m[1] === 'docker_volume' && m[3] === 'name' && (attributes.has('volumes') || attributes.has('mounts'))) causes.push('named volume');
    else if (AFTER_APPLY_ATTRIBUTES.has(m[3]) || !m[1].startsWith('docker_')) causes.push('attribute known after apply');
    else causes.push('same-configuration literal attribute');
  }
  for (const m of expression.matchAll(/\b([a-z][a-z0-9_]*)\(/g)) causes.push(PURE_FUNCTIONS.has(m[1]) ? 'pure function' : `function ${m[1]}()`);
  if (/^[\d\s*+\-/().]+$/.test(expression)) causes.push('constant arithmetic');
  if (/\b(volumes|mounts|ports|capabilities|devices|ulimit|labels|healthcheck|tmpfs_options|networks_advanced)\.(value|key)\b/.test(expression)) causes.push('dynamic block');
  return causes.length ? causes : ['other expression'];
}

export interface Measurement {
  readonly roots: number;
  readonly files: number;
  readonly repositories: number;
  readonly exitCodes: Record<string, number>;
  readonly exit2: { root: string; stderr: string }[];
  readonly resources: number;
  readonly resourcesWithUnknown: number;
  readonly resourcesWithUnknownBeyondImage: number;
  readonly onlyEvaluable: number;
  readonly onlyEvaluableBeyondImage: number;
  readonly byCause: Record<string, number>;
  /** Resources (beyond image-pinned-by-digest) unknown for one cause alone. */
  readonly onlyBecauseOf: Record<string, number>;
  readonly countOrForEachResources: number;
  /** Resources whose mount rules (no-docker-socket among them) are unknown, and of those, how many only for named volumes or tmpfs. */
  readonly mountRulesUnknown: number;
  readonly mountRulesUnknownOnlyNamedVolumes: number;
}

export async function measure(corpusRoot: string): Promise<Measurement> {
  const sources = readSources();
  const runs: RootRun[] = [];
  for (const r of sources.roots) runs.push(await runRoot(corpusRoot, r.path));
  const exitCodes: Record<string, number> = {};
  for (const run of runs) exitCodes[run.code] = (exitCodes[run.code] ?? 0) + 1;
  const moduleDirs = new Set<string>();
  for (const f of sources.files.filter((x) => x.path.endsWith('.tf'))) {
    const text = fs.readFileSync(path.join(corpusRoot, f.path), 'utf8');
    for (const m of text.matchAll(/^\s*source\s*=\s*"(\.{1,2}\/[^"]*)"/gm)) moduleDirs.add(path.normalize(path.join(path.dirname(f.path), m[1])));
  }

  // A resource is one file + address; a directory run reads files below it too, so the same one may appear twice.
  const unknownRules = new Map<string, { file: string; address: string; findings: { ruleId: string; message: string }[] }>();
  const seen = new Set<string>();
  for (const run of runs) {
    for (const f of run.report?.findings ?? []) {
      const key = `${f.file}\u0000${f.address}`;
      seen.add(key);
      if (f.status !== 'unknown') continue;
      const entry = unknownRules.get(key) ?? { file: f.file!, address: f.address, findings: [] };
      if (!entry.findings.some((x) => x.ruleId === f.ruleId)) entry.findings.push({ ruleId: f.ruleId, message: f.message });
      unknownRules.set(key, entry);
    }
  }

  const byCause: Record<string, number> = {};
  const onlyBecauseOf: Record<string, number> = {};
  let beyondImage = 0;
  let onlyEvaluable = 0;
  let onlyEvaluableBeyondImage = 0;
  let mountRulesUnknown = 0;
  let mountRulesUnknownOnlyNamedVolumes = 0;
  for (const { file, address, findings } of unknownRules.values()) {
    const dir = path.join(corpusRoot, path.dirname(file));
    const info = await dirInfo(dir);
    const body = info.resources.get(`${path.basename(file)}\u0000${address}`);
    const isModule = moduleDirs.has(path.normalize(path.dirname(file)));
    const causesFor = (list: typeof findings) => {
      const causes = new Set<string>();
      if (!body) causes.add('resource not found in its file');
      for (const f of list) {
        const attributes = attributesOf(f.message);
        const expressions = expressionsUnder(body ?? {}, attributes);
        if (body && !expressions.length) {
          // Nothing names the attribute: a dynamic block around a required block (task_spec) hides it, or the rule guessed.
          causes.add(body.dynamic ? 'dynamic block' : 'no expression found');
          if (process.env.MEASURE_DEBUG) process.stderr.write(`no expression: ${file} ${address} ${f.ruleId} ${f.message}\n`);
        }
        for (const e of expressions) for (const c of causesOf(e, info, isModule, attributes)) causes.add(c);
      }
      return causes;
    };
    const all = causesFor(findings);
    const nonImage = findings.filter((f) => f.ruleId !== 'image-pinned-by-digest');
    const beyond = causesFor(nonImage);
    for (const c of beyond) byCause[c] = (byCause[c] ?? 0) + 1;
    if ([...all].every((c) => EVALUABLE.has(c))) onlyEvaluable++;
    const mounts = findings.filter((f) => f.ruleId === 'no-docker-socket');
    if (mounts.length) {
      mountRulesUnknown++;
      if ([...causesFor(mounts)].every((c) => c === 'named volume')) mountRulesUnknownOnlyNamedVolumes++;
    }
    if (nonImage.length) {
      beyondImage++;
      if ([...beyond].every((c) => EVALUABLE.has(c))) onlyEvaluableBeyondImage++;
      if (beyond.size === 1) {
        const [only] = beyond;
        onlyBecauseOf[only] = (onlyBecauseOf[only] ?? 0) + 1;
      }
    }
  }

  let countOrForEach = 0;
  for (const key of seen) {
    const [file, address] = key.split('\u0000');
    const info = await dirInfo(path.join(corpusRoot, path.dirname(file)));
    const body = info.resources.get(`${path.basename(file)}\u0000${address}`);
    if (body && ('count' in body || 'for_each' in body)) countOrForEach++;
  }

  return {
    roots: sources.roots.length,
    files: sources.files.length,
    repositories: sources.repositories.length,
    exitCodes,
    exit2: runs.filter((r) => r.code === 2).map((r) => ({ root: r.root, stderr: r.stderr.trim() })),
    resources: seen.size,
    resourcesWithUnknown: unknownRules.size,
    resourcesWithUnknownBeyondImage: beyondImage,
    onlyEvaluable,
    onlyEvaluableBeyondImage,
    byCause: Object.fromEntries(Object.entries(byCause).sort((a, b) => b[1] - a[1])),
    onlyBecauseOf: Object.fromEntries(Object.entries(onlyBecauseOf).sort((a, b) => b[1] - a[1])),
    countOrForEachResources: countOrForEach,
    mountRulesUnknown,
    mountRulesUnknownOnlyNamedVolumes,
  };
}

if (require.main === module) {
  const root = findCorpusRoot();
  if (!root) {
    process.stderr.write('no corpus directory: set HARDENED_DOCKER_CORPUS (see test/corpus/README.md)\n');
    process.exitCode = 2;
  } else {
    void measure(root).then((m) => {
      const text = JSON.stringify(m, null, 2);
      const i = process.argv.indexOf('--json');
      if (i >= 0) fs.writeFileSync(process.argv[i + 1], `${text}\n`);
      process.stdout.write(`${text}\n`);
    });
  }
}
