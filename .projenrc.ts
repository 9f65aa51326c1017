import { cdk, javascript } from 'projen';

const project = new cdk.JsiiProject({
  name: 'cdktf-hardened-docker',
  description:
    'Secure-by-default Docker containers for CDK for Terraform, with CIS Docker Benchmark checks at synth time, on Terraform files and on a live engine.',
  author: 'cdktf-hardened-docker developers',
  authorAddress: 'dev@cdktf-hardened-docker.local',
  repositoryUrl: 'https://example.invalid/cdktf-hardened-docker.git',
  defaultReleaseBranch: 'main',
  jsiiVersion: '~6.0.0',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  keywords: ['cdktf', 'docker', 'security', 'cis', 'terraform', 'hardening'],

  // No hosted CI or release here: CI is `.ci/run`.
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  // constructs >= 10.6.0: the lowest version that both cdktf 0.21 (^10.4.2) and CDK Terrain 0.24 (>= 10.6.0 < 10.8.0)
  // accept, so one install serves either framework (docs/cdk-terrain.md).
  peerDeps: ['cdktf@^0.21.0', 'constructs@^10.6.0', '@cdktf/provider-docker@^12.0.3'],
  devDeps: [
    'cdktf@0.21.0',
    'constructs@^10.6.0',
    // CDK Terrain, the continuation of cdktf: test/checks/cdk-terrain.test.ts synthesizes its stacks.
    'cdktn@0.24.0',
    '@cdktf/provider-docker@12.0.3',
    'cdktf-cli@0.21.0',
    'fast-check@^4',
    'dockerode@^4',
    '@types/dockerode@^4',
    '@types/sarif@^2.1.7',
    '@microsoft/jest-sarif@1.0.0-beta.0',
    'ajv-formats@^3',
    '@types/docker-modem@^3',
    '@xmldom/xmldom@^0.9',
  ],
  // Runtime dependencies are bundled, as jsii requires for non-jsii packages.
  // @cdktf/hcl2json: HCL parsing (WebAssembly, offline); commander: the CLI; ajv: profile files against their JSON
  // Schema. The audit reads the engine with its own small client on Node's http (src/cli/engine-client.ts):
  // dockerode and docker-modem bundled 71 packages, 5.6 MB packed, with ssh2's natively built cpu-features addon
  // (whose build files name the packing machine), gRPC and protobuf, for four GET endpoints. dockerode stays a dev
  // dependency: the runtime tests drive the engine with it. yaml: compose files (YAML 1.2 with anchors and merge
  // keys, and the position of every node for findings).
  deps: ['@cdktf/hcl2json@0.21.0', 'commander@^12', 'ajv@^8', 'yaml@^2'],
  bundledDeps: ['@cdktf/hcl2json', 'commander', 'ajv', 'yaml'],

  bin: { 'hardened-docker': 'lib/cli/main.js' },

  // jsii targets: the Python, Java, .NET and Go packages. CI generates their code (scripts/pacmak-code-only.sh);
  // building them needs pip, Maven, dotnet and go (README, "Other languages").
  publishToPypi: { distName: 'cdktf-hardened-docker', module: 'cdktf_hardened_docker' },
  publishToMaven: {
    mavenGroupId: 'io.github.cdktf-hardened-docker',
    mavenArtifactId: 'cdktf-hardened-docker',
    javaPackage: 'io.github.cdktf_hardened_docker',
  },
  publishToNuget: { packageId: 'CdktfHardenedDocker', dotNetNamespace: 'CdktfHardenedDocker' },
  publishToGo: { moduleName: 'github.com/cdktf-hardened-docker/cdktf-hardened-docker-go', packageName: 'hardeneddocker' },

  jestOptions: {
    // Coverage is a signal, run on demand (`npx jest --coverage`), not on every test run.
    coverageText: false,
    jestConfig: {
      collectCoverage: false,
      testTimeout: 120_000,
      // Runtime tests share one Docker engine; unit tests are fast either way.
      maxWorkers: 2,
      // Builds the local test images when an engine answers, so that `npm test` passes on a fresh clone; says in
      // one line why the real-engine tests skip (or, under CI=true, fail) when it cannot.
      globalSetup: '<rootDir>/test/global-setup.ts',
    },
    passWithNoTests: false,
  },
  tsconfigDev: {
    include: ['../examples/**/*.ts', '../bench/**/*.ts', '../scripts/**/*.ts'],
    compilerOptions: {},
  },
  // '/node_modules' too: projen ignores '/node_modules/', which a symlinked node_modules (a git worktree's) is not.
  // .jsii.tabl.json: the README's translations, written by `npx projen rosetta` for jsii-pacmak.
  gitignore: ['/node_modules', 'cdktf.out/', '/reports/', '*.tsbuildinfo', '/bench/out/', '/.jsii.tabl.json'],
  npmIgnoreOptions: { ignorePatterns: ['/examples/', '/bench/', '/.ci/', 'cdktf.out/', '/scripts/', '/rosetta/'] },
});

// Node 22 is the supported version; 20 (end of life) still passes every test in CI. Set here rather than through
// minNodeVersion, which would also pin @types/node to 20.
project.package.addEngine('node', '>= 20');

// Jest must fail when it finds no test: projen's default test command would pass an empty run.
project.testTask.reset('jest --ci', { receiveArgs: true });
project.testTask.spawn(project.tasks.tryFind('eslint')!);

project.addTask('bench', {
  description: 'Benchmarks: our constructs and checks against raw Container synthesis, as ratios in one run',
  exec: 'node --expose-gc -r ts-node/register/transpile-only bench/run.ts',
  receiveArgs: true,
});

// The docs' examples in other languages: every TypeScript example of README.md and docs/*.md compiled by jsii-rosetta
// in strict mode against the freshly compiled assembly, translated to Python and Java, and compared with
// docs/other-languages.md and the generated blocks in the docs (`npx projen rosetta -- --write` rewrites them).
// Offline: the examples compile against this repository and its node_modules. CI runs it (.ci/run, section 8)
// before jsii-pacmak, which translates the packages' READMEs from the tablet it leaves (.jsii.tabl.json).
project.addTask('rosetta', {
  description: 'Compile the docs\' TypeScript examples with jsii-rosetta (strict) and check their Python and Java translations',
  steps: [
    { spawn: 'compile' },
    { exec: 'ts-node --transpile-only scripts/rosetta-docs.ts', receiveArgs: true },
  ],
});

// The catalog's index (src/rules/catalog/index.ts) is generated from its rule files, so that a new rule is a new file:
// compile, and so build, regenerates it first (test/rules/catalog-index.test.ts fails on a stale one). The first step
// of compile rather than pre-compile: `npx projen compile` runs its own steps only, not pre-compile.
project.compileTask.prependExec('ts-node --transpile-only scripts/gen-catalog-index.ts');

project.addTask('docs:rules', {
  description: 'Regenerate the rule catalog\'s index and docs/rules.md from the rule files',
  exec: 'ts-node --transpile-only scripts/gen-rules-doc.ts',
});

// The layers of src/, lowest first: a module may import from its own layer and the ones below, never from above, so
// that what reads input knows nothing of rules, rules nothing of profiles, and so on (docs/architecture.md). The drift
// comparison and its rules judge specs like the catalog's rules do (profiles list them); the rest of src/drift/ is the
// audit's, beside the CLI.
const LAYERS: { name: string; paths: string[] }[] = [
  { name: 'spec (readers and ContainerSpec)', paths: ['src/spec'] },
  { name: 'rules', paths: ['src/rules', 'src/drift/rules.ts', 'src/drift/compare.ts', 'src/drift/drift-item.ts'] },
  { name: 'profiles', paths: ['src/profiles'] },
  { name: 'evaluation', paths: ['src/evaluation'] },
  { name: 'report', paths: ['src/report'] },
  { name: 'checks, constructs, cli', paths: ['src/checks', 'src/constructs', 'src/cli', 'src/drift'] },
];
// Beside each other at the top: the CLI runs without cdktf (no construct, no synth-time check), constructs use only
// the synth-time Suppressions, and the synth-time checks know no construct.
const SIBLING_BANS: { target: string; from: string; except?: string[]; why: string }[] = [
  { target: 'src/cli', from: 'src/constructs', why: 'the CLI runs without cdktf' },
  { target: 'src/cli', from: 'src/checks', why: 'the CLI runs without cdktf' },
  { target: 'src/drift', from: 'src/constructs', why: 'the audit runs without cdktf' },
  { target: 'src/drift', from: 'src/checks', why: 'the audit runs without cdktf' },
  { target: 'src/checks', from: 'src/constructs', why: 'the synth-time checks read synthesized resources, not constructs' },
  { target: 'src/checks', from: 'src/cli', why: 'the synth-time checks do not run the CLI' },
  { target: 'src/constructs', from: 'src/cli', why: 'constructs do not run the CLI' },
  { target: 'src/constructs', from: 'src/checks', except: ['./suppressions.ts'], why: 'constructs use only the suppressions of src/checks' },
];
const layerZones = LAYERS.flatMap((layer, i) => LAYERS.slice(i + 1).flatMap((above) => above.paths.map((from) => ({
  target: layer.paths.map((p) => `./${p}`),
  from: `./${from}`,
  // src/drift is at the top, but its comparison and rules are in the rules layer: importable from there up.
  ...(from === 'src/drift' && i >= 1 ? { except: ['./rules.ts', './compare.ts', './drift-item.ts'] } : {}),
  message: `layer ${layer.name} imports from ${above.name} above it: move what both need down a layer (docs/architecture.md)`,
}))));
project.eslint?.addRules({
  'import/no-restricted-paths': ['error', {
    zones: [
      ...layerZones,
      ...SIBLING_BANS.map((b) => ({
        target: `./${b.target}`,
        from: `./${b.from}`,
        ...(b.except ? { except: b.except } : {}),
        message: `${b.target} imports from ${b.from}: ${b.why} (docs/architecture.md)`,
      })),
    ],
  }],
});

// No source maps in lib/: every .js file carried an inline map with the whole TypeScript source, which doubled the
// packed size (issue 15's budget: 3 MiB). Errors are one line without the library's stack anyway (synth-output.ts).
project.tsconfig?.file.addOverride('compilerOptions.inlineSourceMap', false);
project.tsconfig?.file.addOverride('compilerOptions.inlineSources', false);

project.synth();
