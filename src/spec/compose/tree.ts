/**
 * A compose file as a plain tree whose every node remembers where it was written (file, line, column), so that a
 * finding can point at its setting after files, `extends` and merge keys have been merged. Built from the `yaml`
 * package's document: aliases resolve to their anchored node (positioned at the anchor), merge keys (`<<`) are
 * applied as YAML 1.1 defines them (keys written in the map win over merged ones, earlier merged maps over later).
 */
import { Alias, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Node, parseDocument, Document } from 'yaml';

/** Where a node was written: the file as reports show it, and a 1-based line and column. */
export interface Position {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A scalar: a string, number, boolean or null as YAML read it. */
export interface ScalarNode {
  readonly kind: 'scalar';
  readonly value: string | number | boolean | null;
  readonly at: Position;
  /**
   * Variables the scalar's interpolation needed that have no value: the scalar's value is not known.
   * @default - none: the value is known
   */
  readonly unknownVariables?: readonly string[];
  /**
   * With unknownVariables: the value with UNKNOWN_MARK (interpolate.ts) where each such variable's text would be.
   * @default - none
   */
  readonly marked?: string;
  /**
   * `!reset` (the setting is removed: a later file or an extending service drops what an earlier one set) or
   * `!override` (the value replaces the earlier one instead of merging with it).
   * @default - none: merged by the specification's rules
   */
  readonly tag?: ComposeTag;
}

/** A mapping, in written order. */
export interface MapNode {
  readonly kind: 'map';
  readonly entries: Map<string, TreeNode>;
  /** Where each key was written (the setting's position). */
  readonly keyAt: Map<string, Position>;
  readonly at: Position;
  /** See ScalarNode.tag. @default - none */
  readonly tag?: ComposeTag;
}

/** A sequence. */
export interface SeqNode {
  readonly kind: 'seq';
  readonly items: TreeNode[];
  readonly at: Position;
  /** See ScalarNode.tag. @default - none */
  readonly tag?: ComposeTag;
}

/** Compose's merge tags (`!reset`, `!override`). */
export type ComposeTag = 'reset' | 'override';

export type TreeNode = ScalarNode | MapNode | SeqNode;

/** A compose file that cannot be read: the message starts with `file:line:column:`. */
export class ComposeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ComposeError';
  }
}

/** A ComposeError at a node's position. */
export function positioned(node: { readonly at: Position }, message: string): ComposeError {
  return new ComposeError(`${node.at.file}:${node.at.line}:${node.at.column}: ${message}`);
}

/** Parses YAML text into a tree; throws ComposeError (positioned) for malformed YAML or a top level that is not a map. */
export function parseComposeYaml(text: string, file: string): MapNode {
  const lineCounter = new LineCounter();
  // Merge keys are applied here, not by the parser, so that merged entries keep their positions.
  const doc = parseDocument(text, { lineCounter, merge: false, uniqueKeys: true, prettyErrors: false });
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { file, line: p.line, column: p.col };
  };
  if (doc.errors.length) {
    const e = doc.errors[0];
    const p = pos(e.pos[0]);
    throw new ComposeError(`${file}:${p.line}:${p.column}: malformed YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  if (doc.contents === null) return { kind: 'map', entries: new Map(), keyAt: new Map(), at: pos(0) };
  const root = new TreeBuilder(doc, pos, file).build(doc.contents as Node, 0);
  if (root.kind !== 'map') {
    throw new ComposeError(`${file}:${root.at.line}:${root.at.column}: a compose file is a mapping (services:, networks:, volumes:, ...), got a ${root.kind === 'seq' ? 'sequence' : 'scalar'}`);
  }
  return root;
}

/** Nesting deeper than this is refused: no compose file needs it, and an alias loop cannot recurse without end. */
const MAX_DEPTH = 64;
/** Nodes a file may expand to through its aliases: a few aliases of aliases must not grow without bound. */
const MAX_EXPANDED_NODES = 2_000_000;

class TreeBuilder {
  /** The anchors seen so far in document order: an alias names the latest anchor before it. */
  private readonly anchors = new Map<string, Node>();
  /** The tree of each anchored node, built once: its aliases share it (trees are never changed in place). */
  private readonly built = new Map<Node, TreeNode>();
  private expanding = 0;
  private expanded = 0;

  constructor(_doc: Document, private readonly pos: (offset: number) => Position, private readonly file: string) {}

  public build(node: Node | Alias, depth: number): TreeNode {
    const at = this.pos(node.range?.[0] ?? 0);
    if (depth > MAX_DEPTH) throw new ComposeError(`${this.file}:${at.line}:${at.column}: nested more than ${MAX_DEPTH} levels deep`);
    if (++this.expanded > MAX_EXPANDED_NODES) {
      throw new ComposeError(`${this.file}:${at.line}:${at.column}: the aliases expand to more than ${MAX_EXPANDED_NODES} nodes`);
    }
    if (isAlias(node)) {
      // Alias.resolve searches the whole document each time: the anchors are kept as the build meets them instead.
      const target = this.anchors.get(node.source);
      if (!target) throw new ComposeError(`${this.file}:${at.line}:${at.column}: alias *${node.source} names no anchor before it`);
      const done = this.built.get(target);
      if (done) return done;
      this.expanding++;
      try {
        return this.build(target, depth + 1);
      } finally {
        this.expanding--;
      }
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor !== undefined && this.expanding === 0) this.anchors.set(anchor, node);
    const tag = (node as { tag?: string }).tag;
    let tree = this.buildNode(node, at, depth);
    // Compose's merge tags: `!reset` removes the setting (whatever value is written), `!override` replaces without merging.
    if (tag === '!reset') tree = { kind: 'scalar', value: null, at, tag: 'reset' };
    else if (tag === '!override') tree = { ...tree, tag: 'override' };
    if (anchor !== undefined) this.built.set(node, tree);
    return tree;
  }

  private buildNode(node: Node, at: Position, depth: number): TreeNode {
    if (isScalar(node)) {
      const v = node.value;
      const value = v === null || v === undefined ? null
        : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
      return { kind: 'scalar', value, at };
    }
    if (isSeq(node)) {
      return { kind: 'seq', items: node.items.map((i) => this.build(i as Node, depth + 1)), at };
    }
    if (isMap(node)) {
      const entries = new Map<string, TreeNode>();
      const keyAt = new Map<string, Position>();
      const merged: MapNode[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        const keyPos = this.pos(keyNode?.range?.[0] ?? node.range?.[0] ?? 0);
        const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
        if (key === undefined) {
          throw new ComposeError(`${this.file}:${keyPos.line}:${keyPos.column}: a mapping key must be a scalar`);
        }
        const valueNode = pair.value as Node | null;
        if (key === '<<' && isScalar(keyNode) && keyNode.type === 'PLAIN') {
          // A merge key: a map, or a sequence of maps, whose entries this map takes where it has none of its own.
          const value = valueNode ? this.build(valueNode, depth + 1) : undefined;
          const sources = value?.kind === 'seq' ? value.items : value ? [value] : [];
          for (const s of sources) {
            if (s.kind !== 'map') throw new ComposeError(`${this.file}:${s.at.line}:${s.at.column}: a merge key (<<) takes a mapping or a list of mappings`);
            merged.push(s);
          }
          continue;
        }
        entries.set(key, valueNode ? this.build(valueNode, depth + 1) : { kind: 'scalar', value: null, at: keyPos });
        keyAt.set(key, keyPos);
      }
      for (const m of merged) {
        for (const [k, v] of m.entries) {
          if (entries.has(k)) continue;
          entries.set(k, v);
          keyAt.set(k, m.keyAt.get(k) ?? v.at);
        }
      }
      return { kind: 'map', entries, keyAt, at };
    }
    return { kind: 'scalar', value: null, at };
  }
}
