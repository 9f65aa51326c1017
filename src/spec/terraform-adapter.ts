/**
 * Terraform JSON (cdktf synth output, hand-written `*.tf.json`, `@cdktf/hcl2json` output of HCL, plan values)
 * to ContainerSpec. Accepts single blocks as an object or a one-element list, and every repeated block as a list
 * or a single object. A string holding `${...}`, a `dynamic` block, or a value listed as unknown by a plan is unknown.
 *
 * The adapter's entry point: the modules of spec/terraform/ do the reading (common, reader, item-reader, unknown-scan,
 * attributes, container, service, resources, shared-reading).
 */
export { AdapterError, isExpression, METADATA_KEY } from './terraform/common';
export type { AdapterOptions } from './terraform/common';
export { containerSpecFromContainer } from './terraform/container';
export { dockerResources, specFromResource } from './terraform/resources';
export type { TerraformResourceRef } from './terraform/resources';
export { containerSpecFromService } from './terraform/service';
export { SharedReading, specsFromTerraformJson } from './terraform/shared-reading';
export { mayHoldUnknown, READ_ATTRIBUTES } from './terraform/unknown-scan';
export { SUPPRESSION_LABEL_PREFIX } from './labels';

/**
 * Parses Terraform JSON text as Terraform reads it (repeated keys kept and merged), with an error that names the
 * file, line and column (`file:3:7: malformed JSON: ...`). See terraform/json-reader.ts.
 */
export { parseTerraformJson } from './terraform/json-reader';
