import type * as sarif from 'sarif';
import { evaluationUnknownCauses } from './unknown-summary';
import { Evaluation } from '../evaluation/evaluate';
import { Finding } from '../evaluation/finding';
import { SUPPRESSION_RULES } from '../profiles/suppression-rules';
import { COMPOSE_RESOURCE_UNCHECKED_RULE } from '../rules/compose-resource-unchecked';
import { IRule, Severity } from '../rules/rule';

const LEVEL: Record<Severity, sarif.Result.level> = {
  [Severity.ERROR]: 'error',
  [Severity.WARNING]: 'warning',
  [Severity.INFO]: 'note',
};

// GitHub code scanning ranks security results by this number (0-10).
const SECURITY_SEVERITY: Record<Severity, string> = {
  [Severity.ERROR]: '8.0',
  [Severity.WARNING]: '5.0',
  [Severity.INFO]: '2.0',
};

export interface SarifOptions {
  /** The rules the profile ran (all appear in the driver, with or without results). */
  readonly rules: IRule[];
  /** Tool version. */
  readonly version: string;
  /** Locates a finding in its file: a URI relative to the SARIF file's base, and an optional line. */
  readonly locate?: (finding: Finding) => { uri: string; line?: number; column?: number } | undefined;
}

/** Rules every evaluation applies whatever the profile: about suppressions, and about unreadable docker_compose resources. */
const EVALUATOR_RULES: readonly IRule[] = [...SUPPRESSION_RULES, COMPOSE_RESOURCE_UNCHECKED_RULE];

/**
 * The rules a SARIF driver lists: the profile's, then the rules every evaluation applies (a refused suppression, a
 * docker_compose resource that cannot be read: a finding under them whatever the profile).
 */
export function driverRules(rules: IRule[]): IRule[] {
  const missing = EVALUATOR_RULES.filter((s) => !rules.some((r) => r.metadata.id === s.metadata.id));
  return missing.length ? [...rules, ...missing] : rules;
}

/** A SARIF 2.1.0 log of one evaluation (or several merged). */
export function toSarif(evaluation: Evaluation, opts: SarifOptions): sarif.Log {
  const rules = driverRules(opts.rules);
  const ruleIndex = new Map(rules.map((r, i) => [r.metadata.id, i]));
  const results: sarif.Result[] = evaluation.findings.map((f) => sarifResult(f, ruleIndex, opts));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cdktf-hardened-docker',
          version: opts.version,
          // No informationUri: the package is not published anywhere a URL could name yet (the repository URL is a
          // placeholder); each rule carries its full help text instead, and docs/rules.md ships in the package.
          rules: rules.map((r) => ({
            id: r.metadata.id,
            name: r.metadata.id.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()),
            shortDescription: { text: r.metadata.title },
            fullDescription: { text: r.metadata.rationale },
            help: {
              text: r.metadata.remediation,
              markdown: `**Why:** ${r.metadata.rationale}\n\n**Fix:** ${r.metadata.remediation}`
                + (r.metadata.composeRemediation ? `\n\n**Fix in compose:** ${r.metadata.composeRemediation}` : ''),
            },
            defaultConfiguration: { level: LEVEL[r.metadata.severity] },
            properties: {
              'tags': ['security', 'docker', ...(r.metadata.cis ?? []).map((c) => `CIS-Docker-${c}`)],
              'cis': r.metadata.cis ?? [],
              'security-severity': SECURITY_SEVERITY[r.metadata.severity],
            },
          })),
        },
      },
      results,
      properties: runProperties(evaluation),
    }],
  };
}

/** The run's properties: the profile, and the unknown values by cause when there are any (as the JSON summary). */
function runProperties(evaluation: Evaluation): sarif.PropertyBag {
  const unknownCauses = evaluationUnknownCauses(evaluation);
  return unknownCauses === undefined ? { profile: evaluation.profile } : { profile: evaluation.profile, unknownCauses };
}

/** One finding as a SARIF result. */
export function sarifResult(f: Finding, ruleIndex: Map<string, number>, opts: SarifOptions): sarif.Result {
  const loc = opts.locate?.(f) ?? (f.file ? { uri: f.file } : undefined);
  const result: sarif.Result = {
    ruleId: f.ruleId,
    level: LEVEL[f.severity],
    message: { text: `${f.address}${f.resourceName ? ` (${f.resourceName})` : ''}: ${f.message}` },
    locations: [{
      ...(loc ? {
        physicalLocation: {
          artifactLocation: { uri: loc.uri },
          ...(loc.line ? { region: { startLine: loc.line, ...(loc.column ? { startColumn: loc.column } : {}) } } : {}),
        },
      } : {}),
      logicalLocations: [{
        fullyQualifiedName: f.constructPath ?? f.address,
        name: f.address,
        kind: 'resource',
      }],
    }],
    properties: { cis: f.cis, status: f.status, ...(f.stack ? { stack: f.stack } : {}) },
  };
  const idx = ruleIndex.get(f.ruleId);
  if (idx !== undefined) result.ruleIndex = idx;
  if (f.suppressed) result.suppressions = [{ kind: 'external', justification: f.reason ?? '' }];
  return result;
}
