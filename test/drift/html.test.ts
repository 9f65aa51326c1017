/**
 * The HTML report of `audit --against`: a drift finding shows its subject (the live container's name and id, the
 * declared address and construct path) and a table of each setting as declared and as live, with the note of a
 * settings-digest mismatch under its row; every engine value is escaped.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { HardenedContainer } from '../../src';
import { evaluateAgainst, profileWithDrift, SETTINGS_DIGEST_LABEL } from '../../src/drift';
import { Profile } from '../../src/profiles/profile';
import { toHtml } from '../../src/report/html';
import { ContainerSpec, SpecSource } from '../../src/spec/container-spec';
import { specsFromTerraformJson } from '../../src/spec/terraform-adapter';
import { newStack } from '../constructs/helpers';

const HARDENED = Profile.named('hardened');
const ID = 'c0ffee'.padEnd(64, '1');

function declared(): ContainerSpec {
  const stack = newStack();
  new HardenedContainer(stack, 'web', { image: 'local/busybox:test', name: 'web', memoryMb: 256 });
  const out = Testing.fullSynth(stack);
  return specsFromTerraformJson(JSON.parse(fs.readFileSync(path.join(out, 'stacks', 'stack', 'cdk.tf.json'), 'utf8')), { file: 'cdk.tf.json' })[0];
}

function html(d: ContainerSpec, over: Partial<ContainerSpec>): string {
  const live: ContainerSpec = { ...d, source: SpecSource.ENGINE, address: 'container/web', constructPath: undefined, file: undefined, unknown: undefined, ...over };
  const evaluation = evaluateAgainst([d], [{ spec: live, id: ID }], HARDENED, { against: 'cdktf.out', host: 'unix:///var/run/docker.sock' });
  return toHtml(evaluation, { rules: profileWithDrift(HARDENED).activeRules, generatedAt: new Date(0) });
}

/** The finding block of one rule. */
function block(page: string, ruleId: string): string {
  const start = page.indexOf(`<span class="rid">${ruleId}</span>`);
  expect(start).toBeGreaterThan(0);
  return page.slice(start, page.indexOf('</div>', start));
}

test('a drift finding: subject with the live name and id, the declared address and construct path; a row per setting', () => {
  const d = declared();
  const page = html(d, { memoryBytes: 1024 ** 3, memorySwapBytes: 1024 ** 3, restartPolicy: 'always', maxRetryCount: undefined });
  const drift = block(page, 'drift');
  expect(drift).toContain(`<p class="msg">live container web (id c0ffee111111) differs from ${d.address} (construct stack/web/container):</p>`);
  expect(drift).toContain('<table class="diff"><thead><tr><th>setting</th><th>declared</th><th>live</th></tr></thead>');
  expect(drift).toContain('<tr><td><code>memory</code></td><td>256 MiB</td><td>1 GiB</td></tr>');
  expect(drift).toMatch(/<tr><td><code>restart<\/code><\/td><td>on-failure:\d+<\/td><td>always<\/td><\/tr>/);
  // The one-line message is not repeated beside the table.
  expect(drift).not.toContain('memory: declared 256 MiB, live 1 GiB');
  // The resource's heading names the construct path too.
  expect(page).toContain(`<span class="addr">${d.address}</span><span class="sub">name web · construct stack/web/container · cdk.tf.json</span>`);
  // Another rule's finding on the same container keeps its paragraph.
  expect(block(page, 'restart-retries')).toMatch(/<p class="msg">restart = &quot;always&quot;/);
});

test('a settings-digest mismatch: its row, and the note that the container was never replaced under it', () => {
  const d = declared();
  const page = html(d, { labels: { ...d.labels, [SETTINGS_DIGEST_LABEL]: 'sha256:0000' } });
  const drift = block(page, 'drift');
  expect(drift).toContain(`<tr><td><code>label ${SETTINGS_DIGEST_LABEL}</code></td><td>${d.labels![SETTINGS_DIGEST_LABEL]}</td><td>sha256:0000</td></tr>`
    + '<tr class="note"><td colspan="3">the container was never replaced after a change of tmpfs, healthcheck, init, cpu_period or cpu_quota');
});

test('live values and names from the engine are escaped in the subject and the table', () => {
  const d = declared();
  const hostile = '<img src=x onerror=alert(1)>&"\'';
  const page = html(d, { name: 'web', user: hostile, labels: { ...d.labels, [SETTINGS_DIGEST_LABEL]: '</td></tr><script>x</script>' } });
  expect(page).not.toContain('<img src=x');
  expect(page).not.toContain('<script>');
  const drift = block(page, 'drift');
  expect(drift).toContain('<td>&lt;img src=x onerror=alert(1)&gt;&amp;&quot;&#39;</td>');
  expect(drift).toContain('<td>&lt;/td&gt;&lt;/tr&gt;&lt;script&gt;x&lt;/script&gt;</td>');
});

test('drift-stronger gets the same table; undeclared and missing, which compare nothing, keep their paragraph', () => {
  const d = declared();
  const page = html(d, { memoryBytes: 128 * 1024 ** 2, memorySwapBytes: 128 * 1024 ** 2 });
  expect(block(page, 'drift-stronger')).toContain('<tr><td><code>memory</code></td><td>256 MiB</td><td>128 MiB</td></tr>');
  const stranger = evaluateAgainst([], [{ spec: { ...d, source: SpecSource.ENGINE, address: 'container/x<y', name: 'x<y', constructPath: undefined, file: undefined }, id: ID }],
    HARDENED, { against: 'cdktf.out', host: 'unix:///var/run/docker.sock' });
  const undeclared = block(toHtml(stranger, { rules: profileWithDrift(HARDENED).activeRules }), 'undeclared');
  expect(undeclared).toContain('<p class="msg">container x&lt;y (id c0ffee111111) on the engine matches no docker_container');
  expect(undeclared).not.toContain('<table');
});
