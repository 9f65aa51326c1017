import { prepareExpressions } from '../../../src/spec/terraform/config/ast';
import { EMPTY_SCOPE, evaluateTemplateString, Scope, templateNodes } from '../../../src/spec/terraform/config/evaluator';
import { pureFunctionNames } from '../../../src/spec/terraform/config/functions';
import { templateExpressions } from '../../../src/spec/terraform/config/template';
import { EvalError, lazyObject, PartialEncoding, Unknown, Value } from '../../../src/spec/terraform/config/values';

/** Evaluates a Terraform JSON template string (`${...}` for an expression) over a scope. */
async function ev(template: string, scope: Scope = EMPTY_SCOPE): Promise<Value> {
  let texts: string[] = [];
  try {
    texts = templateExpressions(templateNodes(template));
  } catch {
    // A malformed template: nothing to prepare (evaluation says what it is).
  }
  await prepareExpressions(texts);
  return evaluateTemplateString(template, scope);
}

/** A scope where `var` holds the given values (others unknown, as variables without a value); other roots unknown. */
function vars(values: { [k: string]: Value }): Scope {
  const v = lazyObject('var', (k, text) => (k in values ? values[k] : Unknown.of(text)), () => values);
  return { root: (name) => (name === 'var' ? v : undefined) };
}

const residual = (v: Value) => (v instanceof Unknown ? v.residual : `known: ${JSON.stringify(v)}`);

describe('literals, operators, conditionals', () => {
  test.each<[string, Value]>([
    ['${256 * 1000000}', 256000000],
    ['${1 + 2 * 3 - 4 / 2}', 5],
    ['${7 % 3}', 1],
    ['${-5 + 2}', -3],
    ['${1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 4 == false}', true],
    ['${!true || false}', false],
    ['${"a" == "a" && [1, 2] == [1, 2] && {a = 1} != {a = 2}}', true],
    ['${true ? "yes" : "no"}', 'yes'],
    ['${1 == 2 ? 1 : 2}', 2],
    ['${null}', null],
    ['${[1, true, "s", null]}', [1, true, 's', null]],
    ['${{a = 1, "b c" = 2}}', { 'a': 1, 'b c': 2 }],
    ['${{a = {b = "c"}}.a.b}', 'c'],
    ['${{"k x" = 1}["k x"]}', 1],
    ['${["x", "y"][1]}', 'y'],
    ['${"5" + 1}', 6],
    ['${(1 + 2) * 3}', 9],
  ])('%s', async (t, expected) => {
    expect(await ev(t)).toEqual(expected);
  });

  test('division by zero is an error Terraform reports', async () => {
    await expect(ev('${1 / 0}')).rejects.toThrow(EvalError);
  });

  test('a known operand that decides && or || decides it whatever the other is', async () => {
    const s = vars({});
    expect(await ev('${false && var.x}', s)).toBe(false);
    expect(await ev('${var.x || true}', s)).toBe(true);
    expect(residual(await ev('${var.x && true}', s))).toBe('${var.x && true}');
  });
});

describe('templates and heredoc-style directives', () => {
  test.each<[string, Value]>([
    ['web-${upper("x")}-${1 + 1}', 'web-X-2'],
    ['%{ if true }yes%{ else }no%{ endif }', 'yes'],
    ['%{ if 1 > 2 }yes%{ endif }!', '!'],
    ['%{ for x in ["a", "b"] }${x};%{ endfor }', 'a;b;'],
    ['%{ for k, v in {b = 2, a = 1} }${k}=${v} %{ endfor }', 'a=1 b=2 '],
    ['%{ for x in ["a", "b"] ~}\n${x},\n%{~ endfor }', 'a,b,'],
    ['$${literal} and %%{literal}', '${literal} and %{literal}'],
    ['${"$${lit}"}', '${lit}'],
    ['${"quote \\" tab\\t"}', 'quote " tab\t'],
    ['${"nested ${"x-${1 + 1}"}"}', 'nested x-2'],
    ['${"%{ if true }a%{ else }b%{ endif }"}', 'a'],
  ])('%j', async (t, expected) => {
    expect(await ev(t)).toEqual(expected);
  });

  test('a template of one interpolation keeps the value type; any other is a string', async () => {
    expect(await ev('${1 + 1}')).toBe(2);
    expect(await ev('${[1]}')).toEqual([1]);
    expect(await ev(' ${1 + 1}')).toBe(' 2');
  });

  test('an unknown part leaves a residual template with the reference as written', async () => {
    const s = vars({ known: 'k' });
    expect(residual(await ev('${var.known}-${var.missing}', s))).toBe('k-${var.missing}');
    expect(residual(await ev('%{ if var.cond }a%{ endif }', s))).toBe('%{ if var.cond }a%{ endif }');
    expect(residual(await ev('${data.docker_network.n.name}'))).toBe('${data.docker_network.n.name}');
    expect(residual(await ev('${module.remote.out}'))).toBe('${module.remote.out}');
  });

  test('a known string holding ${ is written back escaped, so the adapter does not read it as unknown', async () => {
    const s = vars({ lit: '${not-an-expression}' });
    expect(await ev('x-${var.lit}', s)).toBe('x-${not-an-expression}');
    expect(residual(await ev('${var.lit}-${var.missing}', s))).toBe('$${not-an-expression}-${var.missing}');
  });
});

describe('for expressions and splats', () => {
  test.each<[string, Value]>([
    ['${[for x in [1, 2, 3] : x * 2]}', [2, 4, 6]],
    ['${[for x in [1, 2, 3] : x if x != 2]}', [1, 3]],
    ['${[for i, x in ["a", "b"] : "${i}${x}"]}', ['0a', '1b']],
    ['${{for k, v in {a = 1, b = 2} : v => k}}', { 1: 'a', 2: 'b' }],
    ['${{for s in ["a", "b", "a"] : s => s...}}', { a: ['a', 'a'], b: ['b'] }],
    ['${[{n = 1}, {n = 2}][*].n}', [1, 2]],
    ['${[{n = {m = 1}}][*].n.m}', [1]],
    ['${{n = 1}[*].n}', [1]],
    ['${null[*]}', []],
  ])('%s', async (t, expected) => {
    expect(await ev(t)).toEqual(expected);
  });

  test('a duplicate key without grouping is an error, as in Terraform', async () => {
    await expect(ev('${{for s in ["a", "a"] : s => 1}}')).rejects.toThrow(/duplicate object key "a"/);
  });

  test('an unknown collection makes the for expression unknown; an unknown element stays per element', async () => {
    const s = vars({ l: [1, Unknown.of('var.u')] });
    expect(residual(await ev('${[for x in var.missing : x]}', s))).toBe('${[for x in var.missing : x]}');
    const v = await ev('${[for x in var.l : x]}', s) as Value[];
    expect(v[0]).toBe(1);
    expect(v[1]).toBeInstanceOf(Unknown);
    expect(await ev('${length(var.l)}', s)).toBe(2);
  });
});

describe('functions', () => {
  test.each<[string, Value]>([
    ['${lookup({a = 1}, "a", 3)}', 1],
    ['${lookup({a = 1}, "b", 3)}', 3],
    ['${merge({a = 1, b = 1}, {b = 2}, null)}', { a: 1, b: 2 }],
    ['${concat([1], [2, 3], [])}', [1, 2, 3]],
    ['${format("%s-%03d %v %q %t %%", "w", 7, 1.5, "q", true)}', 'w-007 1.5 "q" true %'],
    ['${join(",", ["a", "b"], ["c"])}', 'a,b,c'],
    ['${split(",", "a,b")}', ['a', 'b']],
    ['${coalesce(null, "", "z")}', 'z'],
    ['${coalesce(null, 0)}', 0],
    ['${tostring(5)}', '5'],
    ['${tonumber("42")}', 42],
    ['${tobool("true")}', true],
    ['${tolist(["a"])}', ['a']],
    ['${toset(["b", "a", "b"])}', ['a', 'b']],
    ['${tomap({a = "x"})}', { a: 'x' }],
    ['${keys({b = 1, a = 2})}', ['a', 'b']],
    ['${values({b = 1, a = 2})}', [2, 1]],
    ['${length("héllo")}', 5],
    ['${length({a = 1})}', 1],
    ['${contains(["a", "b"], "b")}', true],
    ['${element(["a", "b", "c"], 4)}', 'b'],
    ['${flatten([[1, [2]], 3])}', [1, 2, 3]],
    ['${lower("AbC")}${upper("x")}', 'abcX'],
    ['${replace("a-b-c", "-", "+")}', 'a+b+c'],
    ['${replace("a-b-c", "/-(.)/", "_$1")}', 'a_b_c'],
    ['${trimspace("  x \\n")}', 'x'],
    ['${jsonencode({a = [1, true, null]})}', '{"a":[1,true,null]}'],
    // Terraform's own output for these (its documentation's examples): double-quoted strings and keys, keys sorted.
    ['${yamlencode({"a" = "b", "c" = "d"})}', '"a": "b"\n"c": "d"\n'],
    ['${yamlencode({"foo" = [1, 2, 3], "bar" = "baz"})}', '"bar": "baz"\n"foo":\n- 1\n- 2\n- 3\n'],
    ['${max(1, 5, 3)} ${min(4, 2)} ${abs(-3)} ${ceil(1.2)} ${floor(1.8)}', '5 2 3 2 1'],
    ['${range(3)}', [0, 1, 2]],
    ['${range(1, 7, 3)}', [1, 4]],
    ['${distinct([1, 2, 1])}', [1, 2]],
    ['${compact(["a", "", null, "b"])}', ['a', 'b']],
    ['${zipmap(["a", "b"], [1, 2])}', { a: 1, b: 2 }],
    ['${startswith("docker.sock", "docker")} ${endswith("a.sock", ".sock")}', 'true true'],
    ['${substr("hello", 1, 3)}', 'ell'],
    ['${trim("?!x!?", "?!")}', 'x'],
    ['${try(tonumber("x"), 7)}', 7],
    ['${try({a = 1}.b, "default")}', 'default'],
    ['${can(tonumber("1"))} ${can(tonumber("x"))}', 'true false'],
  ])('%s', async (t, expected) => {
    expect(await ev(t)).toEqual(expected);
  });

  test('Terraform refuses these with known arguments: errors, not unknowns', async () => {
    await expect(ev('${tonumber("x")}')).rejects.toThrow(/cannot convert "x" to a number/);
    await expect(ev('${lookup({a = 1}, "b")}')).rejects.toThrow(/no element with the key "b"/);
    await expect(ev('${element([], 0)}')).rejects.toThrow(EvalError);
    await expect(ev('${coalesce(null, "")}')).rejects.toThrow(EvalError);
    await expect(ev('${tobool("yes")}')).rejects.toThrow(EvalError);
  });

  test('unknown arguments: unknown result, named by the call; try and can cannot decide an unknown', async () => {
    const s = vars({});
    expect(residual(await ev('${upper(var.x)}', s))).toBe('${upper(var.x)}');
    expect(residual(await ev('${try(var.x, 1)}', s))).toBe('${try(var.x, 1)}');
    expect(residual(await ev('${can(var.x)}', s))).toBe('${can(var.x)}');
    expect(residual(await ev('${coalesce(var.x, "a")}', s))).toBe('${coalesce(var.x, "a")}');
    // coalesce stops at the first known non-empty value: a later unknown does not matter.
    expect(await ev('${coalesce("a", var.x)}', s)).toBe('a');
    expect(await ev('${lookup({a = var.x, b = 2}, "b")}', s)).toBe(2);
  });

  test('impure or unimplemented functions stay unknown, with the call as written', async () => {
    expect(residual(await ev('${timestamp()}'))).toBe('${timestamp()}');
    expect(residual(await ev('${file("${path.module}/x")}'))).toBe('${file("${path.module}/x")}');
    expect(residual(await ev('${provider::docker::x(1)}'))).toBe('${provider::docker::x(1)}');
  });

  test('the documented list of decided functions includes every one the brief names', () => {
    const names = pureFunctionNames();
    for (const f of ['lookup', 'merge', 'concat', 'format', 'join', 'split', 'coalesce', 'try', 'can', 'tostring', 'tonumber',
      'tobool', 'tolist', 'toset', 'tomap', 'keys', 'values', 'length', 'contains', 'element', 'flatten', 'lower', 'upper',
      'replace', 'trimspace', 'jsonencode']) {
      expect(names).toContain(f);
    }
    expect(names).not.toContain('timestamp');
    expect(names).not.toContain('file');
  });
});

describe('references', () => {
  test('missing attributes are errors that try catches; optional object attributes read as null', async () => {
    const s: Scope = { root: (n) => (n === 'var' ? { cfg: { a: 1 } } : undefined), optionalAttributes: (v) => v === 'cfg' };
    expect(await ev('${var.cfg.b}', s)).toBeNull();
    await expect(ev('${var.other.b}', vars({ other: { a: 1 } }))).rejects.toThrow(/no attribute "b"/);
    expect(await ev('${try(var.other.b, 5)}', vars({ other: { a: 1 } }))).toBe(5);
  });

  test('an index out of range is an error; on an unknown it is unknown', async () => {
    await expect(ev('${var.l[3]}', vars({ l: [1] }))).rejects.toThrow(/out of range/);
    expect(residual(await ev('${var.u[3].x}', vars({ u: Unknown.of('var.u') })))).toBe('${var.u[3].x}');
  });
});

describe('text the splitter meets in hcl2json output', () => {
  test('a heredoc inside an interpolation is skipped to its closing marker', async () => {
    expect(await ev('${concat(["a"], [<<EOT\nb}\nEOT\n  ])}')).toEqual(['a', 'b}\n']);
    expect(await ev('${upper(<<-EOT\n    x\n    EOT\n)}')).toBe('X\n');
  });

  test('a template the splitter cannot follow is unknown as written, not an error', async () => {
    expect(residual(await ev('${unclosed'))).toBe('${unclosed');
    expect(residual(await ev('%{ endif }'))).toBe('%{ endif }');
  });
});

test('docs/cli.md lists exactly the functions the evaluator decides', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const doc: string = require('fs').readFileSync(require('path').join(__dirname, '../../../docs/cli.md'), 'utf8');
  const row = /\| the functions `([^`]+)`/.exec(doc);
  expect(row).not.toBeNull();
  expect(row![1].split(' ').sort()).toEqual(pureFunctionNames());
});

describe('yamlencode / jsonencode of a value only partly known: unknown, keeping the document with placeholders', () => {
  /** The document with each placeholder as <residual>, and the residual of the call. */
  async function partial(template: string): Promise<{ residual: string; document: string }> {
    const v = await ev(template, vars({ known: 'nginx' }));
    expect(v).toBeInstanceOf(PartialEncoding);
    const { document, unknowns } = (v as PartialEncoding).partial;
    let named = document;
    for (const [name, r] of unknowns) {
      expect(name).toMatch(/^HARDENED_DOCKER_KNOWN_AFTER_APPLY_\d+$/);
      named = named.split('${' + name + '}').join(`<${r}>`);
    }
    return { residual: (v as Unknown).residual, document: named };
  }

  test('an unknown leaf: the known settings as they are, the unknown one as a placeholder; the residual is the call', async () => {
    const r = await partial('${yamlencode({ services = { app = { image = var.image, privileged = true, name = var.known, caps = [var.cap] } } })}');
    expect(r.residual).toBe('${yamlencode({ services = { app = { image = var.image, privileged = true, name = var.known, caps = [var.cap] } } })}');
    expect(r.document).toBe('"services":\n  "app":\n    "caps":\n    - "<${var.cap}>"\n    "image": "<${var.image}>"\n    "name": "nginx"\n    "privileged": true\n');
  });

  test('jsonencode; a whole unknown object (merge of a variable) and an object with an unknown key are one placeholder each', async () => {
    const r = await partial('${jsonencode({ a = merge({ x = 1 }, var.extra), b = { (var.k) = 1 }, c = 2 })}');
    expect(JSON.parse(r.document)).toEqual({ a: '<${merge({ x = 1 }, var.extra)}>', b: '<${{ (var.k) = 1 }}>', c: 2 });
  });

  test('a value unknown as a whole, or a call of another function, stays a plain unknown', async () => {
    for (const t of ['${yamlencode(var.doc)}', '${upper(var.x)}']) {
      const v = await ev(t, vars({}));
      expect(v).toBeInstanceOf(Unknown);
      expect(v).not.toBeInstanceOf(PartialEncoding);
    }
  });
});
