import * as fs from 'fs';
import * as path from 'path';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import { DockerSecurityChecks, HardenedContainer, HardenedContainerProps } from '../../src';

/** A digest-pinned image reference (what the image-pinning rule wants). */
export const PINNED_IMAGE = 'local/busybox@sha256:' + 'ab'.repeat(32);

export interface Synthesized {
  readonly hc: HardenedContainer;
  readonly stack: TerraformStack;
  /** The docker_container body as synthesized. */
  readonly body: any;
  readonly json: any;
}

/** A stack with the Docker provider. */
export function newStack(app: App = Testing.app()): TerraformStack {
  const stack = new TerraformStack(app, 'stack');
  new DockerProvider(stack, 'docker');
  return stack;
}

/** Synthesizes one HardenedContainer (id `web`) and returns its docker_container body. */
export function synthContainer(props: Partial<HardenedContainerProps> = {}, setup?: (stack: TerraformStack) => void): Synthesized {
  const stack = newStack();
  setup?.(stack);
  const hc = new HardenedContainer(stack, 'web', { image: 'local/busybox:test', ...props } as HardenedContainerProps);
  const json = JSON.parse(Testing.synth(stack));
  const bodies = Object.values<any>(json.resource.docker_container);
  return { hc, stack, body: bodies[0], json };
}

/** The labels block list as a map. */
export function labelsOf(body: any): { [k: string]: string } {
  const out: { [k: string]: string } = {};
  for (const l of body.labels ?? []) out[l.label] = l.value;
  return out;
}

export interface CheckedSynth {
  readonly report: any;
  readonly app: App;
}

/** Synthesizes an app with DockerSecurityChecks (hardened profile) and returns the stack's JSON report. */
export function checkedSynth(build: (stack: TerraformStack) => void): CheckedSynth {
  const app = Testing.app();
  DockerSecurityChecks.applyTo(app, { printReport: false });
  const stack = newStack(app);
  build(stack);
  app.synth();
  const file = path.join(app.outdir, 'stacks', 'stack', 'hardened-docker-report.json');
  return { app, report: JSON.parse(fs.readFileSync(file, 'utf8')) };
}

/** Unsuppressed findings of a severity. */
export function openFindings(report: any, severity: string): any[] {
  return report.findings.filter((f: any) => !f.suppressed && f.severity === severity);
}
