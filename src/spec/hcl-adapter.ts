import { ContainerSpec, SpecSource } from './container-spec';
import { AdapterError, specsFromTerraformJson } from './terraform-adapter';

/**
 * HCL (`*.tf`) to ContainerSpec, through `@cdktf/hcl2json` (Terraform's own HCL parser compiled to WebAssembly).
 *
 * hcl2json writes each resource as a one-element list, every block as a list, expressions as `"${...}"` strings and
 * dynamic blocks under `dynamic`: the Terraform JSON adapter reads all of that, so this module only parses and turns
 * parser errors into one line naming the file, line and column.
 *
 * The parser is required lazily: loading its WebAssembly costs about half a second, which no other input pays.
 */

type Json = any;

let hcl2json: { parse(filename: string, contents: string): Promise<Json> } | undefined;

function parser() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!hcl2json) hcl2json = require('@cdktf/hcl2json');
  return hcl2json!;
}

/**
 * Rewrites an hcl2json error (`parse config: [main.tf:2,7-3,1: Invalid expression; Expected ...]`) as
 * `main.tf:2:7: malformed HCL: Invalid expression; Expected ...`, naming `file` as the caller knows it.
 */
export function hclErrorMessage(raw: string, file: string): string {
  const text = raw.replace(/^parse config:\s*/, '').replace(/^\[(.*)\]$/s, '$1').trim();
  // Diagnostics look like `<name>:<line>,<col>-<line>,<col>: <summary>; <detail>`, several joined by ", ".
  const m = /^(?:.*?):(\d+),(\d+)(?:-\d+(?:,\d+)?)?:\s*(.*)$/s.exec(text);
  if (m) {
    const firstProblem = m[3].split(/, (?=[^\s,]+:\d+,\d+)/)[0].replace(/\s+/g, ' ').trim();
    return `${file}:${m[1]}:${m[2]}: malformed HCL: ${firstProblem}`;
  }
  return `${file}: malformed HCL: ${text.replace(/\s+/g, ' ')}`;
}

/** Parses HCL text to hcl2json's JSON; an AdapterError names the file, line and column of the first problem. */
export async function parseHcl(text: string, file: string): Promise<Json> {
  try {
    return await parser().parse(file, text);
  } catch (e: any) {
    throw new AdapterError(hclErrorMessage(String(e?.message ?? e), file));
  }
}

/** Every docker_container and docker_service of an HCL file as specs. */
export async function specsFromHcl(text: string, file: string): Promise<ContainerSpec[]> {
  const doc = await parseHcl(text, file);
  return specsFromTerraformJson(doc, { file, source: SpecSource.TERRAFORM_HCL });
}
