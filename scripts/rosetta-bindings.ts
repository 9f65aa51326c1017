/**
 * Checks hand-written Python and Java examples against the bindings jsii-pacmak generates (`--code-only`), for the
 * examples rosetta cannot translate (a class implementing one of the library's interfaces: rosetta drops its property
 * initializers and keeps JavaScript's operators and string methods). Not a compiler: it checks that every name of
 * the library an example uses exists in the generated code, which is what breaks when the API changes:
 * - Python: each `from cdktf_hardened_docker import X` is a class of the module; `X.member` and `X(keyword=...)`
 *   are a member and constructor parameters of X; a class decorated `@jsii.implements(I)` defines only members of I;
 *   `name.attr` where a parameter is annotated `name: X` is a member of X.
 * - Java: each `import io.github.cdktf_hardened_docker.X` is a generated class; `X.member(` and each step of
 *   `X.builder()...build()` exist in X; `@Override` methods of a class that `implements I` exist in I;
 *   `name.member(` where `X name` is declared is a method of X.
 * Used by scripts/rosetta-docs.ts.
 */

export const PYTHON_MODULE = 'cdktf_hardened_docker';
export const JAVA_PACKAGE = 'io.github.cdktf_hardened_docker';

/** Source of the generated Python module (`python/src/cdktf_hardened_docker/__init__.py`). */
export interface PythonBindings {
  readonly moduleSource: string;
}

/** Looks up a generated Java class's source by simple name; undefined when there is none. */
export type JavaBindings = (className: string) => string | undefined;

/** The body of a top-level Python class of the generated module, or undefined. */
function pythonClass(b: PythonBindings, name: string): string | undefined {
  const start = new RegExp(`^class ${name}\\b`, 'm').exec(b.moduleSource);
  if (!start) return undefined;
  const rest = b.moduleSource.slice(start.index + 1);
  const next = /^(class |@jsii\.|typing\.cast|__all__|def )/m.exec(rest.slice(rest.indexOf('\n')));
  return next ? rest.slice(0, rest.indexOf('\n') + next.index) : rest;
}

function hasPythonMember(body: string, member: string): boolean {
  return new RegExp(`^\\s+def ${member}\\(`, 'm').test(body);
}

/** The keyword parameters of a generated class's `__init__`. */
function pythonInitParameters(body: string): Set<string> {
  const init = /def __init__\(([\s\S]*?)\)\s*->\s*None:/.exec(body);
  const names = new Set<string>();
  if (!init) return names;
  for (const m of init[1].matchAll(/^\s*(\w+)\s*:/gm)) names.add(m[1]);
  return names;
}

/** The text between the parenthesis at `open` and its match. */
function parenthesized(code: string, open: number): string {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === '(') depth++;
    else if (code[i] === ')' && --depth === 0) return code.slice(open + 1, i);
  }
  return code.slice(open + 1);
}

/** Keyword arguments at the top level of a Python argument list. */
function topLevelKeywords(args: string): string[] {
  const names: string[] = [];
  let depth = 0;
  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (depth === 0 && /[\w]/.test(c) && (i === 0 || /[\s,(]/.test(args[i - 1]))) {
      const m = /^(\w+)\s*=(?!=)/.exec(args.slice(i));
      if (m) names.push(m[1]);
    }
  }
  return names;
}

/** The problems of a hand-written Python example, one sentence each; empty when every library name exists. */
export function checkPython(code: string, bindings: PythonBindings): string[] {
  const problems: string[] = [];
  const imported = new Set<string>();
  for (const m of code.matchAll(new RegExp(`^from ${PYTHON_MODULE} import (.+)$`, 'gm'))) {
    for (const name of m[1].split(',').map((n) => n.trim()).filter(Boolean)) {
      if (!pythonClass(bindings, name)) problems.push(`imports ${name}, which ${PYTHON_MODULE} does not define`);
      else imported.add(name);
    }
  }
  const member = (cls: string, name: string, what: string) => {
    const body = pythonClass(bindings, cls);
    if (body && !hasPythonMember(body, name)) problems.push(`${what}: ${cls} has no member ${name}`);
  };
  for (const m of code.matchAll(/\b([A-Z]\w*)\.([a-z_]\w*)\b/g)) {
    if (imported.has(m[1])) member(m[1], m[2], `${m[1]}.${m[2]}`);
  }
  for (const m of code.matchAll(/\b([A-Z]\w*)\(/g)) {
    const body = imported.has(m[1]) ? pythonClass(bindings, m[1]) : undefined;
    if (!body) continue;
    const parameters = pythonInitParameters(body);
    for (const k of topLevelKeywords(parenthesized(code, m.index + m[1].length))) {
      if (!parameters.has(k)) problems.push(`${m[1]}(${k}=...): no such parameter (${[...parameters].join(', ') || 'none'})`);
    }
  }
  // A class implementing a library interface defines that interface's members.
  for (const m of code.matchAll(/@jsii\.implements\((\w+)\)\s*\nclass (\w+)[^\n]*:\n((?:[ \t]+[^\n]*\n|\n)*)/g)) {
    const [, iface, cls, body] = m;
    for (const d of body.matchAll(/^ {4}def (\w+)\(/gm)) {
      if (!d[1].startsWith('_')) member(iface, d[1], `${cls}.${d[1]} (implements ${iface})`);
    }
  }
  // `spec: ContainerSpec` then `spec.image`: a member of the annotated class.
  for (const m of code.matchAll(/\b(\w+)\s*:\s*([A-Z]\w*)\b/g)) {
    if (!imported.has(m[2])) continue;
    for (const a of code.matchAll(new RegExp(`\\b${m[1]}\\.(\\w+)`, 'g'))) member(m[2], a[1], `${m[1]}.${a[1]}`);
  }
  return [...new Set(problems)];
}

/** The problems of a hand-written Java example, one sentence each; empty when every library name exists. */
export function checkJava(code: string, bindings: JavaBindings): string[] {
  const problems: string[] = [];
  const imported = new Map<string, string>();
  for (const m of code.matchAll(new RegExp(`^import ${JAVA_PACKAGE.replace(/\./g, '\\.')}\\.(\\w+);`, 'gm'))) {
    const source = bindings(m[1]);
    if (!source) problems.push(`imports ${JAVA_PACKAGE}.${m[1]}, which the generated bindings do not define`);
    else imported.set(m[1], source);
  }
  const method = (cls: string, name: string, what: string) => {
    const source = imported.get(cls);
    if (source && !new RegExp(`\\s${name}\\(`).test(source)) problems.push(`${what}: ${cls} has no method ${name}`);
  };
  for (const m of code.matchAll(/\b([A-Z]\w*)\.(\w+)\(/g)) {
    if (imported.has(m[1])) method(m[1], m[2], `${m[1]}.${m[2]}()`);
  }
  // RuleMetadata.builder().id(...).title(...).build(): each step a method of the builder.
  for (const m of code.matchAll(/\b([A-Z]\w*)\.builder\(\)/g)) {
    if (!imported.has(m[1])) continue;
    const chain = code.slice(m.index + m[0].length);
    let depth = 0;
    for (let i = 0; i < chain.length; i++) {
      const c = chain[i];
      if (c === '(') depth++;
      else if (c === ')') depth--;
      else if (depth < 0 || c === ';') break;
      else if (depth === 0 && c === '.') {
        const step = /^\.(\w+)\(/.exec(chain.slice(i));
        if (!step) continue;
        if (step[1] === 'build') break;
        method(m[1], step[1], `${m[1]}.builder().${step[1]}()`);
      }
    }
  }
  // class X implements I: its @Override methods are methods of I.
  for (const m of code.matchAll(/class (\w+) implements (\w+)/g)) {
    for (const o of code.slice(m.index).matchAll(/@Override\s+public\s+[\w.<>]+\s+(\w+)\(/g)) {
      method(m[2], o[1], `${m[1]}.${o[1]} (implements ${m[2]})`);
    }
  }
  // `ContainerSpec spec` then `spec.getImage()`: a method of the declared class.
  for (const m of code.matchAll(/\b([A-Z]\w*)\s+([a-z]\w*)\s*[,)=;]/g)) {
    if (!imported.has(m[1])) continue;
    for (const a of code.matchAll(new RegExp(`\\b${m[2]}\\.(\\w+)\\(`, 'g'))) method(m[1], a[1], `${m[2]}.${a[1]}()`);
  }
  return [...new Set(problems)];
}
