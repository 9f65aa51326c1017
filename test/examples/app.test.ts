import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdktf';
import { LEGACY_TOLERATED, OpsStack, ORG_PROFILE, ShopStack } from '../../examples/app/stacks';
import { DockerSecurityChecks, ProfileScope } from '../../src';

function report(app: App, stack: string): any {
  return JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', stack, 'hardened-docker-report.json'), 'utf8'));
}

describe('examples/app', () => {
  test('the shop stack (web, api, db) synthesizes with the checks reporting no errors and no warnings', () => {
    const app = Testing.app();
    DockerSecurityChecks.applyTo(app, { printReport: false });
    const shop = new ShopStack(app, 'shop');
    app.synth();
    const r = report(app, 'shop');
    expect(r.summary).toMatchObject({ profile: 'hardened', resources: 6, error: 0, warning: 0 });
    expect(r.findings.filter((f: any) => !f.suppressed && f.severity !== 'info')).toEqual([]);
    // What the example promises: digests, the pair networks, the db unreachable from the host.
    const doc = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 'shop', 'cdk.tf.json'), 'utf8'));
    const containers = Object.values<any>(doc.resource.docker_container);
    expect(containers.map((c) => c.name).sort()).toEqual(['api-1', 'api-2', 'api-3', 'db-1', 'web-1', 'web-2']);
    for (const c of containers) expect(c.image).toMatch(/@sha256:[a-f0-9]{64}$/);
    const nets = (name: string) => containers.find((c) => c.name === name).networks_advanced.map((n: any) => n.name);
    expect(nets('db-1')).toEqual(['db-net', 'api--db']);
    expect(nets('web-1')).toEqual(['web-net', 'web-edge', 'api--web']);
    expect(containers.find((c) => c.name === 'db-1').ports).toBeUndefined();
    expect(containers.filter((c) => c.name.startsWith('web')).map((c) => c.ports)).toEqual([
      [{ internal: 8080, external: 8080, ip: '127.0.0.1', protocol: 'tcp' }],
      [{ internal: 8080, external: 8081, ip: '127.0.0.1', protocol: 'tcp' }],
    ]);
    expect(shop.db.publishedPorts).toEqual([]);
  });

  test('the ops stack catches the raw legacy container: its findings are reported, as warnings under the tolerated profile', () => {
    const app = Testing.app();
    DockerSecurityChecks.applyTo(app, { printReport: false });
    new OpsStack(app, 'ops');
    app.synth();
    const r = report(app, 'ops');
    expect(r.summary.error).toBe(0);
    const legacy = r.findings.filter((f: any) => f.address === 'docker_container.legacy-admin' && !f.suppressed);
    for (const id of ['read-only-rootfs', 'non-root-user', 'ports-bound-to-interface', 'image-pinned-by-digest', 'memory-limit', 'restart-retries']) {
      expect(legacy.find((f: any) => f.ruleId === id)).toMatchObject({ severity: 'warning' });
    }
    // The organisation's SecureService has none.
    expect(r.findings.filter((f: any) => f.constructPath?.startsWith('ops/metrics') && !f.suppressed && f.severity !== 'info')).toEqual([]);
  });

  test('without the tolerated profile the same legacy container fails synth', () => {
    const app = Testing.app();
    DockerSecurityChecks.applyTo(app, { printReport: false });
    const ops = new OpsStack(app, 'ops');
    ProfileScope.apply(ops.legacy, ORG_PROFILE);
    expect(() => app.synth()).toThrow(/Docker security checks failed for stack "ops"[\s\S]*legacy-admin[\s\S]*(read-only-rootfs|non-root-user)/);
    expect(LEGACY_TOLERATED.name).toBe('example-org-legacy-tolerated');
  });
});
