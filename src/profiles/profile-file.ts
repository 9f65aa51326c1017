/**
 * Profiles from JSON documents and files (`Profile.fromJson`, `Profile.fromFile`): `extends` chains and
 * `ruleModules`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { orgPolicyRules, Profile } from './profile';
import type { ProfileLoadOptions, RuleSetting } from './profile-props';
import { listProblems, sameRule } from './profile-validation';
import { isSuppressionRuleId } from './suppression-rules';
import { profileDocumentErrors } from './validate';
import { DRIFT_RULES } from '../drift/rules';
import { BUILTIN_RULES } from '../rules/catalog';
import { POLICY_FIELDS, POLICY_RULE_IDS } from '../rules/policies/org-policies';
import { IRule, ProfileLevel, Severity } from '../rules/rule';

export function loadFile(file: string, options: ProfileLoadOptions, chain: string[]): Profile {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (e: any) {
    throw new Error(`Cannot read profile file ${file}: ${e?.code === 'ENOENT' ? 'no such file' : e?.message ?? e}.`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e: any) {
    throw new Error(`Profile file ${file} is not valid JSON: ${e?.message ?? e}.`);
  }
  return loadDocument(doc, { ...options, baseDirectory: path.dirname(abs), source: options.source ?? file }, [...chain, abs]);
}

export function loadDocument(doc: any, options: ProfileLoadOptions, chain: string[]): Profile {
  const source = options.source ?? 'document';
  const fail = (problems: string[]): never => {
    throw new Error(`Invalid profile ${source}: ${listProblems(problems)}`);
  };
  const schemaErrors = profileDocumentErrors(doc);
  if (schemaErrors.length) fail(schemaErrors);
  const dir = options.baseDirectory ?? process.cwd();

  // The base: a built-in level, or another profile file.
  const ext: string = doc.extends ?? ProfileLevel.HARDENED;
  let base: Profile;
  if (Object.values(ProfileLevel).includes(ext as ProfileLevel)) {
    base = Profile.named(ext);
  } else if (ext.endsWith('.json')) {
    // A path relative to this file, or a file of an installed package (`@acme/docker-profile/acme-profile.json`).
    let target = path.resolve(dir, ext);
    if (!ext.startsWith('.') && !path.isAbsolute(ext)) {
      try {
        target = require.resolve(ext, { paths: [dir] });
      } catch {
        fail([`extends: "${ext}" is neither a built-in level nor a file relative to ${dir} nor a file of an installed package`]);
      }
    }
    if (chain.includes(target)) fail([`extends: "${ext}" extends itself (cycle: ${[...chain, target].join(' -> ')})`]);
    base = loadFile(target, { customRules: options.customRules }, chain);
  } else {
    return fail([`extends: must be one of ${Object.values(ProfileLevel).join(', ')}, or a path to a profile file ending in .json; got "${ext}"`]);
  }

  // Organisation rules: from code (options) and from the file's rule modules.
  const addRules: IRule[] = [...(options.customRules ?? [])];
  const problems: string[] = [];
  for (const [i, spec] of (doc.ruleModules ?? []).entries()) {
    try {
      addRules.push(...loadRuleModule(spec, dir));
    } catch (e: any) {
      problems.push(`ruleModules[${i}]: ${e?.message ?? e}`);
    }
  }
  if (problems.length) fail(problems);
  const fresh: IRule[] = [];
  for (const r of addRules) if (![...base.customRules, ...fresh].some((c) => sameRule(c, r))) fresh.push(r);

  // Rule settings: every id must be known.
  const policies = { ...base.policies, ...(doc.policies ?? {}) };
  const known = new Set([
    ...BUILTIN_RULES.map((r) => r.metadata.id),
    ...DRIFT_RULES.map((r) => r.metadata.id),
    ...orgPolicyRules(policies).map((r) => r.metadata.id),
    ...base.customRules.map((r) => r.metadata.id),
    ...fresh.map((r) => r.metadata.id),
  ]);
  const rules: RuleSetting[] = [];
  for (const [id, level] of Object.entries<string>(doc.rules ?? {})) {
    if (!known.has(id)) {
      const policyField = POLICY_FIELDS.find((f) => POLICY_RULE_IDS[f] === id);
      problems.push(policyField
        ? `rules.${id}: the policy rule "${id}" runs only when policies.${policyField} is set`
        : isSuppressionRuleId(id)
          ? `rules.${id}: "${id}" reports bad suppressions under every profile; it cannot be switched off or re-graded`
          : `rules.${id}: unknown rule id. Valid ids: ${[...known].join(', ')}`);
      continue;
    }
    rules.push(level === 'off' ? { ruleId: id, enabled: false } : { ruleId: id, severity: level as Severity, enabled: true });
  }
  if (problems.length) fail(problems);
  try {
    return base.derive({
      name: doc.name,
      description: doc.description,
      defaults: doc.defaults,
      policies: doc.policies,
      addRules: fresh,
      rules,
      suppressions: doc.suppressions === undefined ? undefined
        : Object.entries<string>(doc.suppressions).map(([ruleId, reason]) => ({ ruleId, reason })),
    });
  } catch (e: any) {
    return fail([e?.message ?? String(e)]);
  }
}

/** A rule module: its `rules` export (or default export) is an array of IRule. */
function loadRuleModule(spec: string, dir: string): IRule[] {
  const resolved = spec.startsWith('.') || path.isAbsolute(spec) ? path.resolve(dir, spec) : require.resolve(spec, { paths: [dir] });
  let mod: any;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(resolved);
  } catch (e: any) {
    throw new Error(`cannot load "${spec}" (resolved to ${resolved}): ${e?.message ?? e}`);
  }
  const rules = Array.isArray(mod?.rules) ? mod.rules : Array.isArray(mod?.default) ? mod.default : undefined;
  if (!rules) throw new Error(`"${spec}" has no \`rules\` export: export const rules: IRule[] = [new MyRule()]`);
  return rules;
}
