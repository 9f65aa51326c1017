/**
 * One run of the module evaluator and the instances it evaluates: modules (each a Scope) and resources.
 */
import * as path from 'path';
import { applyTypeDefaults, Scope } from './evaluator';
import { BlockRef, ConfigFile, ModuleDefinition } from './files';
import { CHECKED_TYPES, ConfigDiagnostic, EvaluatedResource, EvaluateOptions, isLocalSource, literalSource, MAX_INSTANCES_PER_BLOCK, MAX_INSTANCES_TOTAL, MAX_MODULE_DEPTH, MAX_REFERENCE_DEPTH, MODULE_META, RemoteModuleCall, RESOURCE_META, typeExpression } from './module';
import { evalRaw, instanceScope, needsEvaluation, stripMeta, unknownKey } from './raw-values';
import {
  asNumber, EvalError, firstUnknown, isLazy, isObject, lazyObject, LazyObject, PartialDocument, PartialEncoding, shortJson, toBody, typeName,
  Unknown, Value,
} from './values';

export class Run {
  public readonly resources: EvaluatedResource[] = [];
  public readonly remote: RemoteModuleCall[] = [];
  public readonly diagnostics: ConfigDiagnostic[] = [];
  public readonly called = new Set<string>();
  public instances = 0;
  private readonly reported = new Set<string>();
  private depth = 0;

  constructor(public readonly opts: EvaluateOptions, public readonly rootDir: string) {}

  public error(ref: { file: ConfigFile; line?: number; column?: number } | undefined, fallbackFile: string, message: string): void {
    const d: ConfigDiagnostic = { file: ref?.file.display ?? fallbackFile, line: ref?.line, column: ref?.column, message };
    const key = `${d.file}:${d.line}:${d.column}:${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.diagnostics.push(d);
  }

  /** Runs an evaluation that one reference led to (a local, an attribute, an output): a chain of them is bounded. */
  public nested<T>(fn: () => T): T {
    if (this.depth >= MAX_REFERENCE_DEPTH) throw new EvalError(`references lead more than ${MAX_REFERENCE_DEPTH} deep (local to local, output to resource, ...)`);
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  public count(n: number, what: string): void {
    this.instances += n;
    if (this.instances > MAX_INSTANCES_TOTAL) throw new EvalError(`${what}: more than ${MAX_INSTANCES_TOTAL} resource and module instances in one configuration`);
  }
}

/** One instance key of a counted or for_each block: `[0]`, `["a"]`, or none. */
export interface InstanceKey {
  readonly suffix: string;
  readonly each?: { key: Value; value: Value };
  readonly countIndex?: Value;
}

const SINGLE: InstanceKey[] = [{ suffix: '' }];

export class ModuleInstance implements Scope {
  /** The `each.key` of this instance of its module call (for `module.x["key"]` values). */
  public eachKey: Value = null;
  private readonly localValues = new Map<string, Value | typeof IN_PROGRESS>();
  private readonly variableValues = new Map<string, Value>();
  private readonly resourceValues = new Map<string, Value>();
  private readonly callValues = new Map<string, Value>();
  private readonly childInstances = new Map<string, ModuleInstance[] | undefined>();
  private readonly optional = new Set<string>();
  private readonly varObject: LazyObject;
  private readonly localObject: LazyObject;
  private readonly moduleObject: LazyObject;
  private readonly pathObject: { [k: string]: Value };
  private readonly typeObjects = new Map<string, LazyObject>();

  constructor(
    private readonly run: Run,
    private readonly def: ModuleDefinition,
    /** `module.web["a"].`, or '' for the root. */
    private readonly prefix: string,
    private readonly inputs: ReadonlyMap<string, Value>,
    private readonly chain: string[],
  ) {
    for (const [name, v] of def.variables) if (typeof v.body?.type === 'string' && v.body.type.includes('optional(')) this.optional.add(name);
    this.varObject = lazyObject(`${prefix}var`, (k, text) => this.variable(k, text), () => {
      const out: { [k: string]: Value } = {};
      for (const k of def.variables.keys()) out[k] = this.variable(k, `var.${k}`);
      return out;
    });
    this.localObject = lazyObject(`${prefix}local`, (k, text) => this.local(k, text), () => {
      const out: { [k: string]: Value } = {};
      for (const k of def.locals.keys()) out[k] = this.local(k, `local.${k}`);
      return out;
    });
    this.moduleObject = lazyObject(`${prefix}module`, (k, text) => this.callValue(k, text), () => {
      const out: { [k: string]: Value } = {};
      for (const k of def.modules.map((m) => m.name)) out[k] = this.callValue(k, `module.${k}`);
      return out;
    });
    const rel = path.relative(run.rootDir, def.dir).split(path.sep).join('/');
    this.pathObject = { module: rel === '' ? '.' : rel, root: '.', cwd: run.rootDir.split(path.sep).join('/') };
  }

  public root(name: string): Value | undefined {
    switch (name) {
      case 'var': return this.varObject;
      case 'local': return this.localObject;
      case 'module': return this.moduleObject;
      case 'path': return this.pathObject;
      default: {
        if (!this.def.resourceTypes.has(name)) return undefined;
        let o = this.typeObjects.get(name);
        if (!o) {
          o = lazyObject(name, (k, text) => this.resourceValue(name, k, text), () => {
            const out: { [k: string]: Value } = {};
            for (const r of this.def.resources) if (r.type === name) out[r.name] = this.resourceValue(name, r.name, `${name}.${r.name}`);
            return out;
          });
          this.typeObjects.set(name, o);
        }
        return o;
      }
    }
  }

  public optionalAttributes(variable: string): boolean {
    return this.optional.has(variable);
  }

  /** A variable's value: the caller's argument (or the CLI's, for the root), else its default, else unknown. */
  private variable(name: string, text: string): Value {
    const known = this.variableValues.get(name);
    if (known !== undefined) return known;
    const v = this.def.variables.get(name);
    if (!v && !this.inputs.has(name)) return Unknown.of(text); // undeclared: Terraform refuses; here it is only unknown.
    let value: Value;
    if (this.inputs.has(name)) {value = this.inputs.get(name)!;} else if (v!.body && Object.prototype.hasOwnProperty.call(v!.body, 'default')) {
      // A default is a literal value (no references allowed), in JSON form.
      value = this.literalValue(v!.body.default, v!);
    } else {
      return Unknown.of(`var.${name}`);
    }
    const type = typeof v?.body?.type === 'string' ? typeExpression(v.body.type) : undefined;
    if (type !== undefined && type.includes('optional(')) value = applyTypeDefaults(value, type);
    this.variableValues.set(name, value);
    return value;
  }

  private literalValue(raw: any, ref: BlockRef): Value {
    // In Terraform JSON a default is a literal value: its strings are not templates.
    if (ref.file.kind === 'json') return raw === undefined ? null : raw;
    try {
      return evalRaw(raw, this, undefined, 0);
    } catch (e) {
      if (e instanceof EvalError) {
        this.run.error(ref, this.def.dir, e.message);
        return Unknown.of(`var.${ref.name}`);
      }
      throw e;
    }
  }

  private local(name: string, text: string): Value {
    const known = this.localValues.get(name);
    if (known === IN_PROGRESS) {
      const ref = this.def.locals.get(name);
      this.run.error(ref, this.def.dir, `local.${name} refers to itself (a cycle of locals); Terraform refuses it`);
      return Unknown.of(`local.${name}`);
    }
    if (known !== undefined) return known;
    const ref = this.def.locals.get(name);
    if (!ref) return Unknown.of(text);
    this.localValues.set(name, IN_PROGRESS);
    let v: Value;
    try {
      v = this.run.nested(() => evalRaw(ref.body, this, undefined, 0));
    } catch (e) {
      if (!(e instanceof EvalError)) throw e;
      this.run.error(ref, this.def.dir, `${this.prefix}local.${name}: ${e.message}`);
      v = Unknown.of(`local.${name}`);
    }
    this.localValues.set(name, v);
    return v;
  }

  /** The value of `type.name`: one instance object, a list (count), a map (for_each), or unknown. */
  private resourceValue(type: string, name: string, text: string): Value {
    const key = `${type}.${name}`;
    if (this.resourceValues.has(key)) return this.resourceValues.get(key)!;
    const ref = this.def.resourceIndex.get(key);
    if (!ref) return Unknown.of(text);
    this.resourceValues.set(key, Unknown.of(text)); // a reference to itself while evaluating: unknown
    let value: Value;
    try {
      const keys = this.instanceKeys(ref, this, undefined);
      const inst = (k: InstanceKey) => this.resourceInstance(ref, k);
      if (keys === undefined) value = Unknown.of(text);
      else if (ref.body?.for_each !== undefined) value = Object.fromEntries(keys.map((k) => [String(k.each!.key), inst(k)]));
      else if (ref.body?.count !== undefined) value = keys.map(inst);
      else value = inst(keys[0]);
    } catch (e) {
      if (!(e instanceof EvalError)) throw e;
      value = Unknown.of(text);
    }
    this.resourceValues.set(key, value);
    return value;
  }

  /** A resource instance as a value: its configured attributes evaluated on read; the others known only after apply. */
  private resourceInstance(ref: BlockRef, key: InstanceKey): LazyObject {
    const address = `${ref.type}.${ref.name}${key.suffix}`;
    const cache = new Map<string, Value>();
    const scope = instanceScope(this, key);
    const get = (attr: string, text: string): Value => {
      if (cache.has(attr)) return cache.get(attr)!;
      if (RESOURCE_META.has(attr) || !Object.prototype.hasOwnProperty.call(ref.body ?? {}, attr)) return Unknown.of(text);
      cache.set(attr, Unknown.of(text));
      const v = this.run.nested(() => evalRaw(ref.body[attr], scope, undefined, 0));
      cache.set(attr, v);
      return v;
    };
    return lazyObject(address, get, () => {
      const out: { [k: string]: Value } = {};
      for (const k of Object.keys(ref.body ?? {})) if (!RESOURCE_META.has(k) && k !== 'dynamic' && k !== '//') out[k] = get(k, `${address}.${k}`);
      return out;
    });
  }

  /**
   * The instances `count` or `for_each` make: undefined when undecidable (the caller then makes one instance whose
   * `count.index` / `each.*` are unknown), [] for none. Errors for values Terraform refuses.
   */
  private instanceKeys(ref: BlockRef, scope: Scope, what: string | undefined): InstanceKey[] | undefined {
    const body = ref.body ?? {};
    const where = what ?? `${this.prefix}${ref.type === 'module' ? 'module' : ref.type}.${ref.name}`;
    if (body.count !== undefined && body.for_each !== undefined) throw new EvalError(`${where}: "count" and "for_each" cannot both be set`);
    if (body.count !== undefined) {
      const c = evalRaw(body.count, scope, undefined, 0);
      if (c instanceof Unknown) return undefined;
      if (c === null) throw new EvalError(`${where}: "count" is null; a whole number is required`);
      const n = asNumber(c, `${where}: "count"`);
      if (!Number.isInteger(n) || n < 0) throw new EvalError(`${where}: "count" must be a whole number, 0 or more, got ${n}`);
      if (n > MAX_INSTANCES_PER_BLOCK) throw new EvalError(`${where}: "count" is ${n}; this checker expands at most ${MAX_INSTANCES_PER_BLOCK} instances of one block`);
      return Array.from({ length: n }, (_, i) => ({ suffix: `[${i}]`, countIndex: i }));
    }
    if (body.for_each !== undefined) {
      let fe = evalRaw(body.for_each, scope, undefined, 0);
      if (fe instanceof Unknown) return undefined;
      if (isLazy(fe)) fe = fe.all();
      if (fe === null) throw new EvalError(`${where}: "for_each" is null; a map or a set of strings is required`);
      if (firstUnknown(Array.isArray(fe) ? fe : Object.keys(fe as object))) return undefined;
      let pairs: Array<[string, Value]>;
      if (Array.isArray(fe)) {
        // Sets are lists here (the evaluator does not keep the difference): each element is its own key.
        pairs = [];
        for (const x of fe) {
          if (typeof x !== 'string') throw new EvalError(`${where}: "for_each" over a set needs strings, got ${typeName(x)} ${shortJson(x)}; use a map for other values`);
          if (!pairs.some(([k]) => k === x)) pairs.push([x, x]);
        }
      } else if (isObject(fe)) {
        pairs = Object.keys(fe).sort().map((k) => [k, (fe as any)[k]]);
      } else {
        throw new EvalError(`${where}: "for_each" must be a map or a set of strings, got ${typeName(fe)} ${shortJson(fe)}`);
      }
      if (pairs.length > MAX_INSTANCES_PER_BLOCK) throw new EvalError(`${where}: "for_each" has ${pairs.length} elements; this checker expands at most ${MAX_INSTANCES_PER_BLOCK} instances of one block`);
      return pairs.map(([k, v]) => ({ suffix: `[${JSON.stringify(k)}]`, each: { key: k, value: v } }));
    }
    return SINGLE;
  }

  /** The value of `module.<name>`: the outputs of its instance(s); unknown for a remote module. */
  private callValue(name: string, text: string): Value {
    if (this.callValues.has(name)) return this.callValues.get(name)!;
    const call = this.def.modules.find((m) => m.name === name);
    if (!call) return Unknown.of(text);
    this.callValues.set(name, Unknown.of(text));
    const instances = this.children(call);
    let value: Value;
    if (!instances) {value = Unknown.of(text);} else {
      const outputs = instances.map((i) => i.outputs());
      if (call.body?.for_each !== undefined) value = Object.fromEntries(instances.map((i, k) => [String(i.eachKey), outputs[k]]));
      else if (call.body?.count !== undefined) value = outputs;
      else value = outputs[0] ?? Unknown.of(text);
    }
    this.callValues.set(name, value);
    return value;
  }

  private outputs(): LazyObject {
    const cache = new Map<string, Value>();
    return lazyObject(this.prefix.replace(/\.$/, ''), (k, text) => {
      if (cache.has(k)) return cache.get(k)!;
      const out = this.def.outputs.get(k);
      if (!out || out.body?.value === undefined) return Unknown.of(text);
      cache.set(k, Unknown.of(text));
      let v: Value;
      try {
        v = this.run.nested(() => evalRaw(out.body.value, this, undefined, 0));
      } catch (e) {
        if (!(e instanceof EvalError)) throw e;
        v = Unknown.of(text);
      }
      cache.set(k, v);
      return v;
    }, () => {
      const all: { [k: string]: Value } = {};
      for (const k of this.def.outputs.keys()) all[k] = Unknown.of(`${this.prefix}${k}`);
      return all;
    });
  }

  /** The instances of a module call, made once; undefined when remote, undecidable in number, or refused. */
  private children(call: BlockRef): ModuleInstance[] | undefined {
    if (this.childInstances.has(call.name)) return this.childInstances.get(call.name);
    this.childInstances.set(call.name, undefined);
    const address = `${this.prefix}module.${call.name}`;
    const source = literalSource(call);
    if (source === undefined) {
      this.run.error(call, this.def.dir, `${address}: "source" must be a literal string, got ${JSON.stringify(call.body?.source)}`);
      return undefined;
    }
    if (!isLocalSource(source)) {
      this.run.remote.push({ file: call.file.display, line: call.line, address, source });
      return undefined;
    }
    const dir = path.resolve(this.def.dir, source);
    if (this.chain.includes(dir)) {
      this.run.error(call, this.def.dir, `${address}: module "${source}" calls itself (through ${this.chain.map((d) => path.relative(this.run.rootDir, d) || '.').join(' -> ')}); Terraform refuses a module cycle`);
      return undefined;
    }
    if (this.chain.length >= MAX_MODULE_DEPTH) {
      this.run.error(call, this.def.dir, `${address}: modules nested more than ${MAX_MODULE_DEPTH} deep; not followed`);
      return undefined;
    }
    const def = this.run.opts.readModule(dir);
    if (!def) {
      this.run.error(call, this.def.dir, `${address}: module source "${source}" is not a directory of Terraform files`);
      return undefined;
    }
    this.run.called.add(dir);
    let keys: InstanceKey[] | undefined;
    try {
      keys = this.instanceKeys(call, this, address);
      this.run.count(keys?.length ?? 1, address);
    } catch (e) {
      if (!(e instanceof EvalError)) throw e;
      this.run.error(call, this.def.dir, e.message);
      return undefined;
    }
    const out: ModuleInstance[] = [];
    for (const key of keys ?? [unknownKey(call)]) {
      const scope = instanceScope(this, key);
      const inputs = new Map<string, Value>();
      for (const arg of Object.keys(call.body ?? {})) {
        if (MODULE_META.has(arg)) continue;
        try {
          inputs.set(arg, evalRaw(call.body[arg], scope, undefined, 0));
        } catch (e) {
          if (!(e instanceof EvalError)) throw e;
          this.run.error(call, this.def.dir, `${address}${key.suffix}: argument "${arg}": ${e.message}`);
          inputs.set(arg, Unknown.of(`module.${call.name}.${arg}`));
        }
      }
      const child = new ModuleInstance(this.run, def, `${address}${key.suffix}.`, inputs, [...this.chain, dir]);
      child.eachKey = key.each?.key ?? null;
      out.push(child);
    }
    this.childInstances.set(call.name, out);
    return out;
  }

  /** Evaluates every checked resource of this module and its local modules, adding them to the run. */
  public collect(): void {
    for (const ref of this.def.resources) {
      if (!CHECKED_TYPES.has(ref.type)) continue;
      let keys: InstanceKey[] | undefined;
      try {
        keys = this.instanceKeys(ref, this, undefined);
        this.run.count(keys?.length ?? 1, `${this.prefix}${ref.type}.${ref.name}`);
      } catch (e) {
        if (!(e instanceof EvalError)) throw e;
        this.run.error(ref, this.def.dir, e.message);
        continue;
      }
      for (const key of keys ?? [unknownKey(ref)]) {
        const address = `${this.prefix}${ref.type}.${ref.name}${key.suffix}`;
        try {
          // A body with nothing to evaluate in what the checks read is used as it is (most of cdktf's output).
          const value = keys === SINGLE && (ref.type === 'docker_container' || ref.type === 'docker_service') && !needsEvaluation(ref.body)
            ? undefined
            : evalRaw(stripMeta(ref.body), instanceScope(this, key), undefined, 0, true);
          const body = value === undefined ? ref.body : toBody(value);
          // A file written from `yamlencode({...})` with unknown parts: the document with those parts as placeholders.
          const content = value !== undefined && isObject(value) ? value.content : undefined;
          const partialContent = content instanceof PartialEncoding ? content.partial : undefined;
          this.run.resources.push(new ResourceInstance(ref, address, body, partialContent));
        } catch (e) {
          if (!(e instanceof EvalError)) throw e;
          this.run.error(ref, this.def.dir, `${address}: ${e.message}`);
        }
      }
    }
    for (const call of this.def.modules) {
      for (const child of this.children(call) ?? []) child.collect();
    }
  }
}

const IN_PROGRESS = Symbol('in progress');

/** An evaluated instance; its position is read from its block when asked (positions in JSON are found lazily). */
class ResourceInstance implements EvaluatedResource {
  public readonly type: EvaluatedResource['type'];
  public readonly name: string;
  public readonly file: string;

  constructor(private readonly ref: BlockRef, public readonly address: string, public readonly body: any,
    public readonly partialContent?: PartialDocument) {
    this.type = ref.type as EvaluatedResource['type'];
    this.name = ref.name;
    this.file = ref.file.display;
  }

  public get line(): number | undefined {
    return this.ref.line;
  }

  public get column(): number | undefined {
    return this.ref.column;
  }
}
