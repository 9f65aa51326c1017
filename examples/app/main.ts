/**
 * The example app: `npx cdktf synth` from the repository root runs this file (see cdktf.json).
 *
 * One call checks every stack: DockerSecurityChecks.applyTo(app). Each resource is checked with its nearest
 * profile: `hardened` for the shop, the organisation's for ops, the tolerated one for the legacy container.
 * The checks print a few lines per stack to standard error during synth (cdktf-cli shows the app's standard error,
 * not its standard output; HARDENED_DOCKER_SYNTH_OUTPUT=all prints every finding) and write JSON and SARIF reports
 * beside each stack.
 */
import { App } from 'cdktf';
import { OpsStack, ShopStack } from './stacks';
import { DockerSecurityChecks } from '../../src';

const app = new App();
DockerSecurityChecks.applyTo(app);
new ShopStack(app, 'shop');
new OpsStack(app, 'ops');
app.synth();

