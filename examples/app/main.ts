/**
 * The example app: `npx cdktf synth` from the repository root runs this file (see cdktf.json).
 *
 * One call checks every stack: DockerSecurityChecks.applyTo(app). Each resource is checked with its nearest
 * profile: `hardened` for the shop, the organisation's for ops, the tolerated one for the legacy container.
 * The checks print each stack's findings to standard error during synth (cdktf-cli shows the app's standard
 * error, not its standard output) and write JSON and SARIF reports beside each stack; after synth this file prints
 * one summary of the whole app from those reports.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { OpsStack, ShopStack } from './stacks';
import { DockerSecurityChecks } from '../../src';

const app = new App();
DockerSecurityChecks.applyTo(app);
new ShopStack(app, 'shop');
new OpsStack(app, 'ops');
app.synth();

// The app-wide summary, read from the reports the checks wrote (cdktf.out/stacks/<stack>/hardened-docker-report.json).
const lines = ['', 'Security report (cdktf-hardened-docker)'];
for (const stack of ['shop', 'ops']) {
  const file = path.join(app.outdir, 'stacks', stack, 'hardened-docker-report.json');
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const s = report.summary;
  lines.push(`  ${stack.padEnd(6)} profile ${s.profile}: ${s.resources} containers/services, ${s.error} errors, ${s.warning} warnings, `
    + `${s.info} info, ${s.suppressed} suppressed (reasons in the report)`);
  const open = report.findings.filter((f: any) => !f.suppressed && f.severity !== 'info');
  const byResource = new Map<string, string[]>();
  for (const f of open) byResource.set(f.constructPath ?? f.address, [...(byResource.get(f.constructPath ?? f.address) ?? []), f.ruleId]);
  for (const [where, rules] of byResource) lines.push(`         ${where}: ${rules.join(', ')}`);
  lines.push(`         ${path.relative(process.cwd(), file)} (+ .sarif)`);
}
process.stderr.write(lines.join('\n') + '\n');
