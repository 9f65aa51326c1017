/**
 * The example app's stacks (examples/app/main.ts synthesizes them; test/examples/app.test.ts checks them).
 *
 *  - `shop`: a web front, an API and a database, each a SecureService from an image pinned by digest. The web front
 *    publishes on 127.0.0.1 (a host reverse proxy or tunnel in front); the API is reachable only from the web front
 *    and the database only from the API; none of them has egress.
 *  - `ops`: an organisation-style stack under the organisation's own profile, with one SecureService and one
 *    deliberately unhardened raw `Container` (a vendor admin tool) that the checks catch.
 *
 * The digests are made up but well formed: nothing is pulled at synth.
 */
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ProfileScope, SecureService, Severity } from '../../src';
import { acme } from '../org-profile/src';

const REGISTRY = 'registry.example.com/shop';

/** The shop: web -> api -> db, each on its own internal network, connected pair by pair. */
export class ShopStack extends TerraformStack {
  public readonly web: SecureService;
  public readonly api: SecureService;
  public readonly db: SecureService;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new DockerProvider(this, 'docker');

    this.web = new SecureService(this, 'web', {
      image: `${REGISTRY}/web`,
      imageDigest: 'sha256:a0515d183dcda1504a0f04935800a68e8225b151c2d9198eeb91282c037a03b5',
      replicas: 2,
      // Replica i listens on 127.0.0.1:(8080 + i - 1): 8080 and 8081, for the host's reverse proxy.
      ports: [{ internal: 8080, external: 8080 }],
      writablePaths: [{ path: '/var/cache/nginx', sizeMb: 32 }],
      healthcheck: { command: ['wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/healthz'] },
      memoryMb: 128,
      user: '10001:10001',
    });

    this.api = new SecureService(this, 'api', {
      image: `${REGISTRY}/api`,
      imageDigest: 'sha256:91dac32ad6331ea09b4140b8aa4ff6d0117c28b1b3bac998855ac64a57f0ca37',
      replicas: 3,
      env: { DATABASE_HOST: 'db', DATABASE_NAME: 'shop', LOG_LEVEL: 'info' },
      healthcheck: { command: ['/app/healthcheck'], intervalSeconds: 15 },
      memoryMb: 384,
      cpuLimit: 1,
      // Its own UID: the nproc ulimit (the stand-in for a PIDs limit) then counts this service's processes only.
      user: '10002:10002',
    });

    this.db = new SecureService(this, 'db', {
      image: 'registry.example.com/mirror/postgres:16.4',
      imageDigest: 'sha256:e4046a8cb08dd60cc5c24fb99d36f66e56e6cc14783763961d800821f7362bba',
      // No ports: unreachable from the host. Data on a named volume; the rest of the root stays read-only.
      volumes: [{ containerPath: '/var/lib/postgresql/data', volumeName: 'shop-db-data', readOnly: false }],
      writablePaths: [{ path: '/var/run/postgresql', sizeMb: 1 }],
      env: { POSTGRES_DB: 'shop', PGDATA: '/var/lib/postgresql/data/pgdata' },
      healthcheck: { command: ['pg_isready', '-U', 'postgres', '-d', 'shop'], startPeriodSeconds: 30 },
      memoryMb: 1024,
      cpuLimit: 2,
      user: '999:999', // the image's postgres user
    });

    // Who may talk to whom: one internal network per pair, nothing else.
    this.api.allowFrom(this.web, 8080);
    this.db.allowFrom(this.api, 5432);
  }
}

/**
 * The organisation's profile: the platform team's published `acme` profile (examples/org-profile: hardened, an
 * `owner` label, ACME's own rules), derived for this app's registry and defaults (every construct below it uses them).
 */
export const ORG_PROFILE = acme.derive({
  name: 'example-org',
  description: 'The example organisation: hardened, services on their own UIDs, 5 log files kept.',
  defaults: { logMaxFiles: 5, memoryMb: 192 },
  policies: { allowedRegistries: ['registry.example.com/'] },
});

/**
 * The profile for the legacy container only: the organisation's, with the error-level rules that container breaks
 * turned into warnings. The checks still find and report every one of them (and print them at synth); they no
 * longer fail the synth. This is how a team takes over an unhardened workload and fixes it step by step.
 */
export const LEGACY_TOLERATED = ORG_PROFILE.derive({
  name: 'example-org-legacy-tolerated',
  description: 'Tolerated for the legacy admin tool until it is replaced (ticket OPS-1234): errors reported as warnings.',
  rules: ['read-only-rootfs', 'non-root-user', 'healthcheck', 'acme-no-latest-tag', 'org-required-labels', 'org-max-memory']
    .map((ruleId) => ({ ruleId, severity: Severity.WARNING })),
});

/** An organisation-style stack: its own profile, a SecureService, and a raw legacy container the checks catch. */
export class OpsStack extends TerraformStack {
  public readonly metrics: SecureService;
  public readonly legacy: Container;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    ProfileScope.apply(this, ORG_PROFILE);
    new DockerProvider(this, 'docker');

    this.metrics = new SecureService(this, 'metrics', {
      image: 'registry.example.com/ops/metrics',
      imageDigest: 'sha256:71c76f3f76ccb43e632edc1bb0f4018bf142e383c2f3110a859390b1ea60279f',
      ports: [{ internal: 9090, external: 9090 }],
      healthcheck: { command: ['wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:9090/-/healthy'] },
      user: '10010:10010',
      labels: { owner: 'ops' },
    });

    // DELIBERATELY UNHARDENED: a raw docker_container as a vendor's docs would write it. Writable root, runs as
    // root with Docker's default capabilities, no limits, published on every interface, an unpinned `latest` tag.
    // The checks catch each of these (see the report printed at synth); LEGACY_TOLERATED, applied to this container
    // only, reports the error-level ones as warnings so that `cdktf synth` succeeds while the team fixes them.
    this.legacy = new Container(this, 'legacy-admin', {
      name: 'legacy-admin',
      image: 'registry.example.com/vendor/admin-console:latest',
      ports: [{ internal: 80, external: 8088 }],
      restart: 'always',
    });
    ProfileScope.apply(this.legacy, LEGACY_TOLERATED);
  }
}
