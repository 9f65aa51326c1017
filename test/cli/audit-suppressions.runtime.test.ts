/**
 * `hardened-docker audit` reads suppression labels from live containers through the one reason validator: a label
 * `hardened-docker.suppress.<rule-id>` with an empty or invisible value suppresses nothing and is an error finding
 * naming the label; a valid one suppresses. Needs a Docker engine (CI=true: required; elsewhere skipped).
 * Everything made here is named hdaudit-sup-.
 */
import type Docker from 'dockerode';
import { describeEngine, docker, ensureImage, removeAll, run } from './audit-engine';
import { runAudit } from '../../src/cli/audit';

const P = 'hdaudit-sup-';
const LABEL = 'hardened-docker.suppress.read-only-rootfs';

describeEngine('audit: suppression labels on live containers', () => {
  let d: Docker;
  let findings: any[];

  beforeAll(async () => {
    d = docker();
    await ensureImage(d);
    await removeAll(d, P);
    await Promise.all([
      run(d, `${P}valid`, {}, { Labels: { [LABEL]: 'writes its cache to /var/cache (OPS-3)' } }),
      run(d, `${P}empty`, {}, { Labels: { [LABEL]: '' } }),
      run(d, `${P}invisible`, {}, { Labels: { [LABEL]: '\u200b'.repeat(12) } }),
    ]);
    // Containers only: the Swarm tests may join or leave a swarm meanwhile, and services are not what this reads.
    const result = await runAudit({ names: [`${P}*`], profile: 'hardened', docker: d, services: false });
    findings = result.evaluation.findings.filter((f) => ['read-only-rootfs', 'invalid-suppression'].includes(f.ruleId));
  }, 120_000);

  afterAll(async () => {
    if (d) await removeAll(d, P);
  });

  const of = (name: string) => findings.filter((f) => f.address === `container/${P}${name}`)
    .map((f) => [f.ruleId, f.suppressed, f.severity]);

  test('a valid reason suppresses', () => {
    expect(of('valid')).toEqual([['read-only-rootfs', true, 'error']]);
  });

  test.each([['empty', /the reason "" is empty/], ['invisible', /the reason "(\\u200b){12}" is empty once/]])(
    '%s: suppresses nothing, and is an error naming the label', (name, problem) => {
      expect(of(name as string)).toEqual([['read-only-rootfs', false, 'error'], ['invalid-suppression', false, 'error']]);
      const refusal = findings.find((f) => f.address === `container/${P}${name}` && f.ruleId === 'invalid-suppression');
      expect(refusal.message).toMatch(new RegExp(`^label "${LABEL.replace(/\./g, '\\.')}": `));
      expect(refusal.message).toMatch(problem);
    });
});
