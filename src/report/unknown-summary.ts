import { Evaluation } from '../evaluation/evaluate';
import { ContainerSpec } from '../spec/container-spec';
import { CAUSE_DESCRIPTIONS, CAUSE_ORDER } from '../spec/unknown-causes';

/**
 * The unknown values of the checked resources counted by cause (`{"variable": 3, "data-source": 1}`): each field of
 * each resource counts once per cause it has (a value built from a variable and a data source counts under both).
 * Causes in a fixed order, only those seen; undefined when no resource has an unknown value, so that reports of
 * fully known inputs stay as they were.
 */
export function countUnknownCauses(specs: Iterable<ContainerSpec | undefined>): { [cause: string]: number } | undefined {
  let counts: Map<string, number> | undefined;
  for (const spec of specs) {
    const causes = spec?.unknownCauses;
    if (causes === undefined || causes.length === 0) continue;
    counts ??= new Map();
    for (const c of causes) counts.set(c.cause, (counts.get(c.cause) ?? 0) + 1);
  }
  if (counts === undefined) return undefined;
  const out: { [cause: string]: number } = {};
  for (const cause of CAUSE_ORDER) {
    const n = counts.get(cause);
    if (n !== undefined) out[cause] = n;
  }
  return out;
}

/** The counts as a report line reads them: `3 variable without a value, 1 data source`. */
export function describeUnknownCauses(counts: { [cause: string]: number }): string {
  return Object.entries(counts).map(([cause, n]) => `${n} ${CAUSE_DESCRIPTIONS[cause] ?? cause}`).join(', ');
}

/** An evaluation whose resources are not kept (the synth-time reports stream them): it carries its own counts. */
export interface CountedEvaluation extends Evaluation {
  readonly unknownCauses?: { readonly [cause: string]: number };
}

/** The unknown values of an evaluation's resources by cause (see countUnknownCauses). */
export function evaluationUnknownCauses(evaluation: Evaluation): { [cause: string]: number } | undefined {
  if ('unknownCauses' in evaluation) {
    const counted = (evaluation as CountedEvaluation).unknownCauses;
    return counted === undefined ? undefined : { ...counted };
  }
  return countUnknownCauses(specsOf(evaluation));
}

function* specsOf(evaluation: Evaluation): Iterable<ContainerSpec | undefined> {
  // for...of, not map: an evaluation of streamed reports may hold holes where resources were not kept.
  for (const r of evaluation.resources ?? []) yield r?.spec;
}
