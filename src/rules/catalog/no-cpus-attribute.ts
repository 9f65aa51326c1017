import { ResourceKind } from '../../spec/container-spec';
import { isUnknown } from '../../spec/fields';
import { capabilitiesOf } from '../../spec/source-capabilities';
import { defineRule } from '../define';
import { PROVIDER } from '../helpers';
import { ProfileLevel, Results, Severity } from '../rule';

export const noCpusAttribute = defineRule({
  id: 'no-cpus-attribute',
  title: 'The `cpus` attribute is not set (provider 3.6.x panics on it)',
  severity: Severity.ERROR,
  level: ProfileLevel.BASELINE,
  rationale: `${PROVIDER} reads \`cpus\` as a float while the schema holds a string: any non-empty value panics the provider on apply (every 3.6.x; issue #759, fixed in 3.7.0). The value does not matter, so an expression fails too.`,
  remediation: 'Remove `cpus`; limit CPU with `cpu_period = 100000` and `cpu_quota = 50000` (half a CPU). HardenedContainer does this from `cpuLimit`.',
  appliesTo: [ResourceKind.CONTAINER],
}, (spec) => {
  const source = capabilitiesOf(spec);
  if (!source.appliedByProvider) return Results.notApplicable(`${source.described}: no provider involved`);
  if (isUnknown(spec, 'cpus')) return Results.fail('cpus is set (to an expression): any non-empty value panics provider 3.6.x on apply');
  if (spec.cpus !== undefined && spec.cpus !== '') return Results.fail(`cpus = "${spec.cpus}": provider 3.6.x panics on apply`);
  return Results.pass();
});
