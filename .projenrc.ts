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

  peerDeps: ['cdktf@^0.21.0', 'constructs@^10.4.2', '@cdktf/provider-docker@^12.0.3'],
  devDeps: [
    'cdktf@0.21.0',
    'constructs@^10.4.2',
    '@cdktf/provider-docker@12.0.3',
    'cdktf-cli@0.21.0',
    'fast-check@^4',
    '@types/dockerode@^4',
    '@types/sarif@^2.1.7',
    '@microsoft/jest-sarif@1.0.0-beta.0',
    'ajv-formats@^3',
    '@types/docker-modem@^3',
    '@xmldom/xmldom@^0.9',
  ],
  // Runtime dependencies are bundled, as jsii requires for non-jsii packages.
  // @cdktf/hcl2json: HCL parsing (WebAssembly, offline); docker-modem: the Engine API client the audit reads the
  // engine with (dockerode's own transport, without dockerode's gRPC start-up cost); dockerode: its types and
  // an optional client for `runAudit`; commander: the CLI; ajv: profile files against their JSON Schema; yaml:
  // compose files (YAML 1.2 with anchors and merge keys, and the position of every node for findings).
  deps: ['@cdktf/hcl2json@0.21.0', 'dockerode@^4', 'docker-modem@^5', 'commander@^12', 'ajv@^8', 'yaml@^2'],
  bundledDeps: ['@cdktf/hcl2json', 'dockerode', 'docker-modem', 'commander', 'ajv', 'yaml'],

  bin: { 'hardened-docker': 'lib/cli/main.js' },

  jestOptions: {
    // Coverage is a signal, run on demand (`npx jest --coverage`), not on every test run.
    coverageText: false,
    jestConfig: {
      collectCoverage: false,
      testTimeout: 120_000,
      // Runtime tests share one Docker engine; unit tests are fast either way.
      maxWorkers: 2,
    },
    passWithNoTests: false,
  },
  tsconfigDev: {
    include: ['../examples/**/*.ts', '../bench/**/*.ts', '../scripts/**/*.ts'],
    compilerOptions: {},
  },
  gitignore: ['cdktf.out/', '/reports/', '*.tsbuildinfo', '/bench/out/'],
  npmIgnoreOptions: { ignorePatterns: ['/examples/', '/bench/', '/.ci/', 'cdktf.out/', '/scripts/'] },
});

// Jest must fail when it finds no test: projen's default test command would pass an empty run.
project.testTask.reset('jest --ci', { receiveArgs: true });
project.testTask.spawn(project.tasks.tryFind('eslint')!);

project.addTask('bench', {
  description: 'Benchmarks: our constructs and checks against raw Container synthesis, as ratios in one run',
  exec: 'node --expose-gc -r ts-node/register/transpile-only bench/run.ts',
  receiveArgs: true,
});

project.addTask('docs:rules', {
  description: 'Regenerate docs/rules.md from the rule catalog',
  exec: 'ts-node --transpile-only scripts/gen-rules-doc.ts',
});

project.synth();
