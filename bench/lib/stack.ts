/**
 * Stacks for benchmark modules: build one stack, synthesize it, and either time it (in a child) or read back what
 * it synthesized (to check that both sides of a comparison write the same resources).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { peakRssMiB } from './child';

/** What one child measures: construction plus synth, their CPU time, construction alone, and the peak RSS. */
export interface BuildSynthSample {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly constructMs: number;
  readonly peakRssMiB: number;
}

/** Builds the stack `bench` (a Docker provider, then `build`) in `outdir` and synthesizes it, timing both. */
export function timeBuildAndSynth(outdir: string, build: (stack: TerraformStack) => void): BuildSynthSample {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'bench');
  new DockerProvider(stack, 'docker');
  build(stack);
  const t1 = process.hrtime.bigint();
  app.synth();
  const t2 = process.hrtime.bigint();
  const cpu = process.cpuUsage(c0);
  return {
    wallMs: Number(t2 - t0) / 1e6,
    cpuMs: (cpu.user + cpu.system) / 1000,
    constructMs: Number(t1 - t0) / 1e6,
    peakRssMiB: peakRssMiB(),
  };
}

/** The `resource` block of a small stack (a Docker provider, then `build`), synthesized in a temporary directory. */
export function synthesizedResources(build: (stack: TerraformStack) => void): any {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-bench-eq-'));
  try {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'eq');
    new DockerProvider(stack, 'docker');
    build(stack);
    app.synth();
    return JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'eq', 'cdk.tf.json'), 'utf8')).resource;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
