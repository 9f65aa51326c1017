import { IConstruct, Node } from 'constructs';

/**
 * Finding stacks, and the checks added above them, whichever module instance their classes come from: cdktf, CDK
 * Terrain's `cdktn`, or two copies of either (an npm alias of `cdktf` to `cdktn` beside the app's own `cdktn`, a
 * nested `node_modules/cdktf`). `instanceof` and one `TerraformStack.prototype` see only the instance this library
 * imports; these functions go by the construct tree, by the `Symbol.for("cdktf/...")` markers that cdktf and cdktn
 * both set, and by the shape of a stack's class, and hook the `toTerraform` of the class each stack really has.
 */

/** Set by the constructor of every `TerraformStack`, in cdktf and in cdktn alike. */
const STACK_MARK = Symbol.for('cdktf/TerraformStack');
/** Set by the constructor of every `App`, in cdktf and in cdktn alike. */
const APP_MARK = Symbol.for('cdktf/App');
/** Each module instance keeps a scope's aspects under its own unregistered symbol, described so in cdktf and cdktn. */
const ASPECTS_DESCRIPTION = 'cdktf-aspects';
/** On a hooked stack prototype (or stack), shared by every copy of this library, so that a stack is checked once. */
const HOOKED = Symbol.for('cdktf-hardened-docker.stack-to-terraform-patched');
/** On a root app whose `synth` is wrapped. */
const SYNTH_HOOKED = Symbol.for('cdktf-hardened-docker.app-synth-patched');
/** On `constructs`' `Node.prototype` once new stacks are watched. */
const CHILDREN_HOOKED = Symbol.for('cdktf-hardened-docker.add-child-patched');

/** What runs on a stack's synthesized JSON. */
export interface StackChecker {
  /** The checks in force for a stack, or undefined when none apply. */
  checksFor(stack: IConstruct): { _checkStack(stack: any, json: any): unknown } | undefined;
}

let checker: StackChecker | undefined;
/** Stacks whose JSON went through the checks since their app's synth began (see `hookAppSynth`). */
const checked = new WeakSet<object>();

/** Whether a construct is a stack of any module instance (by the marker cdktf and cdktn set). */
export function isAnyStack(x: unknown): boolean {
  return x !== null && typeof x === 'object' && STACK_MARK in (x as object);
}

/** Whether a construct is an app of any module instance. */
export function isAnyApp(x: unknown): boolean {
  return x !== null && typeof x === 'object' && APP_MARK in (x as object);
}

/**
 * Every aspect added directly to a scope, through the `Aspects` of any module instance. Reads the stores only: a
 * scope without aspects gets no empty store.
 */
export function aspectsAddedTo(scope: IConstruct): unknown[] {
  const out: unknown[] = [];
  for (const key of Object.getOwnPropertySymbols(scope)) {
    if (key.description !== ASPECTS_DESCRIPTION) continue;
    const all = (scope as any)[key]?.all;
    if (Array.isArray(all)) out.push(...all);
  }
  return out;
}

/**
 * Makes every stack reached from now on run `stackChecker` on its JSON: stacks of this library's own cdktf (its
 * prototype), stacks created since this library was loaded under any module instance that shares this `constructs`
 * (through `Node.addChild`), and the stacks already in the tree of `scope`, if given (and, through its app's
 * `synth`, the stacks added there later). Throws, naming the stack, when a stack cannot be hooked.
 */
export function watchStacks(stackChecker: StackChecker, ownStackPrototype: object, scope?: IConstruct): void {
  checker ??= stackChecker;
  hookStackPrototype(ownStackPrototype);
  watchNewStacks(Node.prototype);
  // Stack classes seen before any checks existed (the checks added last, through another cdktf's or cdktn's Aspects).
  for (const [proto, path] of pendingStackClasses) hookStackPrototype(proto, path);
  pendingStackClasses.clear();
  if (scope) hookTree(scope);
}

/**
 * Hooks the stacks in the tree of `scope`'s root and, when the root is an app, wraps its `synth` so that it hooks
 * the stacks again (those created since, under another `constructs` too) and fails when a stack under checks was
 * written without passing through them.
 */
export function hookTree(scope: IConstruct): void {
  const root = scope.node.root;
  // The app's `constructs` may be another copy than this library's (a nested install): watch its Node class too.
  watchNewStacks(Object.getPrototypeOf(root.node));
  for (const c of root.node.findAll()) if (isAnyStack(c)) hookStack(c);
  if (isAnyApp(root)) hookAppSynth(root);
}

/** Hooks the toTerraform (and toHclTerraform) of a stack's framework class, or fails saying why it cannot. */
export function hookStack(stack: IConstruct, path?: string): void {
  if ((stack as any)[HOOKED]) return;
  // Called from addChild, the stack's node is not assigned yet: the caller gives its path.
  const where = path ?? stack.node.path;
  const proto = frameworkStackPrototype(stack);
  if (!proto) {
    throw new Error(`DockerSecurityChecks cannot check stack "${where}" (class ${stack.constructor?.name}): `
      + 'it has no toTerraform method, so its classes come from neither cdktf nor CDK Terrain (cdktn). '
      + 'Build stacks from cdktf\'s or cdktn\'s TerraformStack.');
  }
  hookStackPrototype(proto, where);
}

function hookStackPrototype(proto: any, stackPath?: string): void {
  if (Object.prototype.hasOwnProperty.call(proto, HOOKED)) return;
  if (!Object.isExtensible(proto) || !isWritable(proto, 'toTerraform')) {
    const which = stackPath !== undefined ? `stack "${stackPath}"` : 'the stacks of this library\'s cdktf';
    throw new Error(`DockerSecurityChecks cannot check ${which}: the toTerraform method of its TerraformStack class `
      + 'is frozen or read-only, so the checks cannot see its synthesized JSON. Do not freeze cdktf\'s or cdktn\'s classes.');
  }
  Object.defineProperty(proto, HOOKED, { value: true });
  const toTerraform = proto.toTerraform;
  proto.toTerraform = function toTerraformChecked(this: IConstruct) {
    const json = toTerraform.call(this);
    checker?.checksFor(this)?._checkStack(this, json);
    checked.add(this);
    return json;
  };
  const toHclTerraform = proto.toHclTerraform;
  if (typeof toHclTerraform === 'function' && isWritable(proto, 'toHclTerraform')) {
    proto.toHclTerraform = function toHclTerraformChecked(this: IConstruct, ...args: any[]) {
      // HCL output: the checks need the JSON view, at the cost of one more resolve (only for hclOutput apps).
      const checks = checker?.checksFor(this);
      if (checks) checks._checkStack(this, toTerraform.call(this));
      checked.add(this);
      return toHclTerraform.apply(this, args);
    };
  }
}

/**
 * The TerraformStack prototype of a stack's own module instance: the most basic prototype in its chain that
 * defines toTerraform (a subclass overriding toTerraform and calling super is then checked once, on what super
 * returns, as with this library's own cdktf).
 */
function frameworkStackPrototype(stack: object): object | undefined {
  let found: object | undefined;
  for (let p = Object.getPrototypeOf(stack); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if (Object.prototype.hasOwnProperty.call(p, 'toTerraform') && typeof (p as any).toTerraform === 'function') found = p;
  }
  return found;
}

function isWritable(obj: object, key: string): boolean {
  const d = Object.getOwnPropertyDescriptor(obj, key);
  return !d || d.writable === true || typeof d.set === 'function';
}

/**
 * Hooks each stack as it is added to the tree, whichever cdktf or cdktn created it: `nodeProto` is the Node class of
 * a `constructs` copy (a peer dependency, so usually one per app; an app on another copy is watched from `hookTree`).
 * At `addChild` the stack's constructor has not yet set its marker, so a stack is recognised by its class: one with
 * toTerraform, prepareStack and runAllValidations.
 */
function watchNewStacks(nodeProto: object): void {
  const proto = nodeProto as any;
  if (!proto || typeof proto.addChild !== 'function' || Object.prototype.hasOwnProperty.call(proto, CHILDREN_HOOKED)) return;
  Object.defineProperty(proto, CHILDREN_HOOKED, { value: true });
  const addChild = proto.addChild;
  const seen = new WeakSet<object>();
  proto.addChild = function addChildWatched(this: { path: string }, child: IConstruct, childName: string) {
    const result = addChild.call(this, child, childName);
    const classProto = Object.getPrototypeOf(child);
    if (classProto && !seen.has(classProto)) {
      seen.add(classProto);
      if (looksLikeStack(child)) {
        const path = this.path ? `${this.path}/${childName}` : childName;
        if (checker) {
          hookStack(child, path);
        } else {
          // No checks yet (perhaps never): remember the class, hook it when checks are created.
          const stackClass = frameworkStackPrototype(child);
          if (stackClass && !pendingStackClasses.has(stackClass)) pendingStackClasses.set(stackClass, path);
        }
      }
    }
    return result;
  };
}

/** Stack classes created before any checks, each with the path of its first stack (for an error message). */
const pendingStackClasses = new Map<object, string>();

// From the moment this library is loaded, so that stacks created before the checks are known when checks come.
watchNewStacks(Node.prototype);

function looksLikeStack(x: any): boolean {
  return typeof x.toTerraform === 'function' && typeof x.prepareStack === 'function'
    && typeof x.runAllValidations === 'function';
}

/**
 * Wraps `synth` of one app (an own property of that app): before, hooks every stack then in its tree; after, fails
 * when a stack under checks was written without going through its toTerraform or toHclTerraform (a custom
 * synthesizer), rather than letting it pass unchecked.
 */
function hookAppSynth(app: any): void {
  if (app[SYNTH_HOOKED] || typeof app.synth !== 'function') return;
  Object.defineProperty(app, SYNTH_HOOKED, { value: true });
  const synth = app.synth;
  app.synth = function synthChecked(this: IConstruct, ...args: any[]) {
    const stacks = this.node.findAll().filter(isAnyStack);
    for (const s of stacks) {
      hookStack(s);
      checked.delete(s);
    }
    const result = synth.apply(this, args);
    const missed = stacks.filter((s) => !checked.has(s) && checker?.checksFor(s));
    if (missed.length) {
      throw new Error(`DockerSecurityChecks could not check stack${missed.length === 1 ? '' : 's'} `
        + `${missed.map((s) => `"${s.node.path}"`).join(', ')}: synth wrote ${missed.length === 1 ? 'it' : 'them'} `
        + 'without calling toTerraform or toHclTerraform (a custom stack synthesizer?). Let the stack\'s own '
        + 'synthesizer write it, or run DockerSecurityChecks on its JSON with `hardened-docker check`.');
    }
    return result;
  };
}
