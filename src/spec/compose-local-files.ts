/**
 * Files a Terraform configuration writes itself (hashicorp/local's `local_file`, `local_sensitive_file`), which a
 * docker_compose resource may read as its compose files, and the reading of Terraform text that finds where an
 * attribute (or a heredoc) is. See compose-resource.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Position } from './compose/tree';
import { UnknownCause } from './container-spec';
import type { PartialDocument } from './terraform/config/values';
import { CAUSE_DESCRIPTIONS, unknownCausesOf } from './unknown-causes';

/** The types of the resources that write a file (hashicorp/local). */
export const LOCAL_FILE_TYPES: readonly string[] = ['local_file', 'local_sensitive_file'];

/** What a local_file resource writes: its content, a file it copies, or why that is not known. */
export interface LocalFileContent {
  /** Its address (`local_file.compose`). */
  readonly address: string;
  /** The Terraform file it is declared in, and the position of its `content` attribute (or its block). */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** The content, when it is a literal (a string, a heredoc, `jsonencode` or `yamlencode` of a literal). */
  readonly content?: string;
  /**
   * Where a heredoc content's first line is in the Terraform file, and the indentation `<<-` strips from each line:
   * positions in the content map to positions in the file.
   * @default - not a heredoc: positions are the attribute's
   */
  readonly heredoc?: { readonly firstLine: number; readonly indent: number };
  /**
   * With a content Terraform encodes from a value with unknown parts (`yamlencode({... image = var.image ...})`): each
   * placeholder variable standing in the content for an unknown part, with that part's residual (`${var.image}`).
   * @default - the content is wholly known
   */
  readonly afterApply?: ReadonlyMap<string, string>;
  /** The file `content = file("...")` reads (absolute). */
  readonly copies?: string;
  /** Why the content is not known before apply. */
  readonly unknown?: string;
}

/** A local_file-like resource instance, its body evaluated (residual `${...}` where not decided). */
export interface LocalFileRef {
  readonly type: string;
  readonly address: string;
  readonly body: any;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** Attributes only known after apply, for a plan's resource (`after_unknown`). @default - none */
  readonly unknownAttributes?: readonly string[];
  /**
   * A content the evaluator encoded from a value with unknown parts: the document with those parts as placeholders.
   * @default - none
   */
  readonly partialContent?: PartialDocument;
}

/**
 * The files local_file resources write, by absolute path (`filename` resolved against `baseDir`, where Terraform
 * runs). A resource whose filename is not known is left out: no compose path can be matched to it.
 */
export function localFilesOf(refs: readonly LocalFileRef[], baseDir: string, cwd: string): Map<string, LocalFileContent> {
  const out = new Map<string, LocalFileContent>();
  for (const r of refs) {
    if (!LOCAL_FILE_TYPES.includes(r.type)) continue;
    const filename = r.body?.filename;
    if (typeof filename !== 'string' || isExpression(filename) || r.unknownAttributes?.includes('filename')) continue;
    const at = attributeAt({ file: r.file, line: r.line }, 'content', cwd) ?? { line: r.line, column: r.column };
    const base = { address: r.address, file: r.file, line: at.line, column: at.column };
    const content = r.body?.content;
    let entry: LocalFileContent;
    if (r.unknownAttributes?.includes('content')) {
      entry = { ...base, unknown: 'its content is only known after apply' };
    } else if (typeof content === 'string' && !isExpression(content)) {
      const heredoc = r.file && at.line ? heredocAt(path.resolve(cwd, r.file), at.line) : undefined;
      entry = { ...base, content, ...(heredoc ? { heredoc } : {}) };
    } else if (typeof content === 'string' && r.partialContent) {
      // `yamlencode({...})` with unknown parts: the known settings are read, each unknown part stays unknown.
      entry = { ...base, content: r.partialContent.document, afterApply: r.partialContent.unknowns };
    } else if (typeof content === 'string') {
      // `file("...")` of a literal path: Terraform reads it at plan time, relative to where it runs (path.module: the
      // directory of the file declaring the resource).
      const m = /^\$\{\s*file\(\s*"((?:\$\{path\.(?:module|root|cwd)\})?[^"$]*)"\s*\)\s*\}$/.exec(content);
      const moduleDir = r.file ? path.dirname(path.resolve(cwd, r.file)) : baseDir;
      entry = m
        ? { ...base, copies: path.resolve(baseDir, m[1].replace('${path.module}', moduleDir).replace(/\$\{path\.(root|cwd)\}/, baseDir)) }
        : { ...base, unknown: `its content (${short(content)}) ${whyContentUnknown(content)}` };
    } else if (r.body?.source !== undefined) {
      const source = r.body.source;
      entry = typeof source === 'string' && !isExpression(source)
        ? { ...base, copies: path.resolve(baseDir, source) }
        : { ...base, unknown: `its source is only known after apply (${short(String(source))})` };
    } else {
      entry = { ...base, unknown: 'it sets neither a literal content nor a source' };
    }
    out.set(path.resolve(baseDir, filename), entry);
  }
  return out;
}

/** The local_file resources a plan will create or keep, with their planned values (`resource_changes` only). */
export function localFilesInPlan(doc: any): LocalFileRef[] {
  const out: LocalFileRef[] = [];
  for (const c of Array.isArray(doc?.resource_changes) ? doc.resource_changes : []) {
    const actions: unknown = c?.change?.actions;
    const deleted = Array.isArray(actions) && actions.length === 1 && actions[0] === 'delete';
    if (!LOCAL_FILE_TYPES.includes(c?.type) || c?.mode === 'data' || deleted || typeof c.address !== 'string') continue;
    const unknown = c.change?.after_unknown;
    const unknownAttributes = unknown && typeof unknown === 'object' ? Object.keys(unknown).filter((k) => unknown[k] !== false) : [];
    out.push({ type: c.type, address: c.address, body: c.change?.after ?? {}, unknownAttributes });
  }
  return out;
}

/**
 * Why content left as an expression is not known: what it depends on (a variable without a value inside
 * `yamlencode({...})`, an attribute known only after apply), or a function this checker does not evaluate.
 */
function whyContentUnknown(content: string): string {
  const causes = unknownCausesOf(content);
  if (causes.length === 0 || causes.includes(UnknownCause.FUNCTION) || causes.includes(UnknownCause.OTHER)) {
    return 'is not known before apply, or is a function this checker does not evaluate';
  }
  return `is not known before apply: it depends on ${causes.map((c) => `${/^[aeiou]/.test(CAUSE_DESCRIPTIONS[c]) ? 'an' : 'a'} ${CAUSE_DESCRIPTIONS[c]}`).join(' and ')}`;
}

/** `${...}` or `%{...}` left in a value: an expression the evaluation did not decide. */
export function isExpression(v: string): boolean {
  return /\$\{|%\{/.test(v);
}

export function short(s: string): string {
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

export function isFile(abs: string): boolean {
  try {
    return fs.statSync(abs).isFile();
  } catch {
    return false;
  }
}

/**
 * The position of an attribute of the resource's block: the first line naming it (`config_paths =` in HCL,
 * `"config_paths":` in JSON) after the block's line, when the file can be read; else undefined.
 */
export function attributeAt(ref: { readonly file?: string; readonly line?: number }, attribute: string | undefined,
  cwd: string): Position | undefined {
  if (!attribute || !ref.file || !ref.line) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(cwd, ref.file), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const pattern = new RegExp(`^(\\s*)(?:${attribute}\\s*=|"${attribute}"\\s*:)`);
  for (let i = ref.line; i < lines.length && i < ref.line + 200; i++) {
    // The next block: the attribute is not this resource's.
    if (/^\s*resource\s+"/.test(lines[i])) break;
    const m = pattern.exec(lines[i]);
    if (m) return { file: ref.file, line: i + 1, column: m[1].length + 1 };
  }
  return undefined;
}

/**
 * The heredoc an attribute line opens (`content = <<-EOT`): the line its text starts on, and the indentation `<<-`
 * removes (the smallest of its non-blank lines; none for `<<`). Undefined when the line opens no heredoc.
 */
export function heredocAt(abs: string, attributeLine: number): { firstLine: number; indent: number } | undefined {
  let lines: string[];
  try {
    lines = fs.readFileSync(abs, 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const m = /<<(-?)([A-Za-z_][A-Za-z0-9_-]*)\s*$/.exec(lines[attributeLine - 1] ?? '');
  if (!m) return undefined;
  let indent = Infinity;
  for (let i = attributeLine; i < lines.length && lines[i].trim() !== m[2]; i++) {
    if (lines[i].trim() !== '') indent = Math.min(indent, lines[i].length - lines[i].trimStart().length);
  }
  return { firstLine: attributeLine + 1, indent: m[1] === '-' && Number.isFinite(indent) ? indent : 0 };
}

/** The local_file resources of a Terraform JSON document, bodies as written. */
export function localFilesInJson(doc: any, file?: string): LocalFileRef[] {
  return resourceBodiesInJson(doc, LOCAL_FILE_TYPES).map(({ type, name, body }) => ({ type, address: `${type}.${name}`, body, file }));
}

/**
 * The resources of some types in a Terraform JSON document, bodies as written, leniently: `resource` as an object or
 * a list of objects, hcl2json's one-element lists; what has another shape is passed over (dockerResources, which
 * the rules depend on, refuses it instead).
 */
export function resourceBodiesInJson(doc: any, types: readonly string[]): Array<{ type: string; name: string; body: any }> {
  const out: Array<{ type: string; name: string; body: any }> = [];
  const blocks = Array.isArray(doc?.resource) ? doc.resource : [doc?.resource];
  for (const block of blocks) {
    if (block === null || typeof block !== 'object') continue;
    for (const type of types) {
      for (const map of Array.isArray(block[type]) ? block[type] : [block[type]]) {
        if (map === null || typeof map !== 'object' || Array.isArray(map)) continue;
        for (const name of Object.keys(map)) {
          for (const body of Array.isArray(map[name]) ? map[name] : [map[name]]) out.push({ type, name, body });
        }
      }
    }
  }
  return out;
}
