/**
 * The round trip: compose fixtures converted, the TODOs filled as a person would, the stack type-checked,
 * synthesized in-process with the synth-time checks, and the synthesized JSON checked by `hardened-docker check`:
 * the hardened defaults hold wherever the compose file did not weaken them, and every weakening is an opt-out whose
 * reason is the one written.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { convertFixture, fillTodos, outDir, typeCheck } from './helpers';
import { DockerSecurityChecks } from '../../src';
import { OPT_OUT_RULES, OptOutName } from '../../src/constructs/core/opt-out-ledger';
import { TODO_REASON } from '../../src/convert/stack';
import { reasonProblem } from '../../src/rules/reason';
import { cli } from '../cli/helpers';

/** The opt-outs each construct must get, by fixture and construct id: the weakenings written in the compose file. */
const EXPECTED: { [fixture: string]: { [construct: string]: OptOutName[] } } = {
  webapp: { Web: [], Db: [], Cache: [] },
  weakened: {
    Agent: [
      'writableRootFilesystem', 'runAsRoot', 'dangerousCapabilities', 'unconfinedSeccomp', 'unconfinedAppArmor', 'unconfinedSelinux',
      'allowPrivilegeEscalation', 'noHealthcheck', 'hostNetwork', 'hostCgroupNamespace', 'swap', 'unlimitedRestarts', 'sensitiveHostMounts', 'dockerSocket',
    ],
    Proxy: ['writableRootFilesystem', 'privilegedPorts', 'allInterfaces', 'unlimitedRestarts', 'executableTmpfs', 'mountOverSystemDirs'],
  },
  replicas: { Api: [], Worker: ['dangerousCapabilities'], Single: [] },
};

/** Warnings the stacks may keep: a service the compose file gives no healthcheck, an image given by tag. */
const ALLOWED_WARNINGS = new Set(['healthcheck', 'image-pinned-by-digest']);
const PIDS_STAND_IN = /^provider kreuzwerker\/docker 3\.6\.2 has no pids_limit/;

let out: { dir: string; cleanup: () => void };
beforeAll(() => {
  out = outDir();
});
afterAll(() => out.cleanup());

function writeStack(fixture: string, filled: boolean): string {
  const source = convertFixture(fixture, out.dir).source;
  const file = path.join(out.dir, `${fixture}${filled ? '-filled' : '-todo'}.ts`);
  fs.writeFileSync(file, filled ? fillTodos(source, fixture) : source);
  return file;
}

test('the TODO reason is one the reason validator refuses', () => {
  expect(reasonProblem(TODO_REASON)).toMatch(/is a placeholder/);
});

test('the generated stacks compile under the project\'s strict compiler options, TODOs and all', () => {
  const files = Object.keys(EXPECTED).flatMap((f) => [writeStack(f, false), writeStack(f, true)]);
  expect(typeCheck(files)).toEqual([]);
});

describe.each(Object.keys(EXPECTED))('%s', (fixture) => {
  test('with the TODOs left, constructing the stack fails on the first one', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ComposeStack } = require(writeStack(fixture, false));
    const build = () => new ComposeStack(new App({ outdir: path.join(out.dir, `${fixture}-todo.out`) }), 'stack');
    if (fixture === 'webapp') {
      // Every service is pinned or tagged, read-only, non-root: nothing to fill in.
      expect(build).not.toThrow();
    } else {
      expect(build).toThrow(/(optOuts\.\w+\.reason: "TODO: \.\.\." is a placeholder|imageDigest: "TODO: sha256 digest of [^"]+" is not valid)/);
    }
  });

  test('filled in, it synthesizes; check finds the hardened defaults and each weakening as an opt-out with its reason', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ComposeStack } = require(writeStack(fixture, true));
    const outdir = path.join(out.dir, `${fixture}.out`);
    const app = new App({ outdir });
    DockerSecurityChecks.applyTo(app, { printReport: false });
    new ComposeStack(app, 'stack');
    app.synth();

    const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'stack', 'cdk.tf.json'), 'utf8'));
    const run = await cli(['check', outdir, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.summary.error).toBe(0);

    const seen = new Set<string>();
    for (const body of Object.values<any>(json.resource.docker_container)) {
      const construct = String(body['//'].metadata.path).split('/')[1];
      seen.add(construct);
      const expected = EXPECTED[fixture][construct];
      expect(expected).toBeDefined();
      const labels: { [k: string]: string } = Object.fromEntries(body.labels.map((l: any) => [l.label, l.value]));
      const optOuts = Object.keys(labels).filter((k) => k.startsWith('hardened-docker.optout.')).map((k) => k.slice('hardened-docker.optout.'.length));
      expect({ construct, optOuts: optOuts.sort() }).toEqual({ construct, optOuts: [...expected].sort() });
      for (const name of optOuts) expect(labels[`hardened-docker.optout.${name}`]).toMatch(new RegExp(`^reviewed for the ${fixture} round trip`));

      const findings = report.findings.filter((f: any) => f.resourceName === body.name);
      // Root, or a capability that bypasses RLIMIT_NPROC, leaves the construct no PIDs-limit stand-in to claim.
      const allowedWarnings = new Set([...ALLOWED_WARNINGS, ...(expected.includes('runAsRoot') ? ['pids-limit'] : [])]);
      for (const f of findings) {
        if (f.suppressed) {
          const written = new RegExp(`^reviewed for the ${fixture} round trip|${PIDS_STAND_IN.source}`);
          expect({ rule: f.ruleId, reason: f.reason }).toEqual({ rule: f.ruleId, reason: expect.stringMatching(written) });
        } else if (f.severity !== 'info') {
          const allowed = f.severity === 'warning' && allowedWarnings.has(f.ruleId);
          expect({ construct, rule: f.ruleId, severity: f.severity, allowed })
            .toEqual({ construct, rule: f.ruleId, severity: f.severity, allowed: true });
        }
      }
      // Each weakening shows in the report as a suppressed finding of a rule it covers, with the reason written.
      for (const name of expected) {
        const covered = findings.filter((f: any) => f.suppressed && OPT_OUT_RULES[name].rules.includes(f.ruleId) && f.reason === labels[`hardened-docker.optout.${name}`]);
        expect({ construct, name, covered: covered.length > 0 }).toEqual({ construct, name, covered: true });
      }
      // The hardened defaults, where the compose file did not weaken them.
      const weakened = new Set<string>(expected);
      expect(body.capabilities.drop).toEqual(['ALL']);
      if (!weakened.has('writableRootFilesystem')) expect(body.read_only).toBe(true);
      if (!weakened.has('allowPrivilegeEscalation')) expect(body.security_opts).toContain('no-new-privileges:true');
      if (!weakened.has('unconfinedSeccomp')) expect(body.security_opts).not.toContain('seccomp=unconfined');
      // The compose file's own seccomp profile, read at synth.
      if (fixture === 'webapp' && construct === 'Cache') expect(body.security_opts.some((o: string) => o.startsWith('seccomp={"defaultAction":"SCMP_ACT_ERRNO"'))).toBe(true);
      if (!weakened.has('runAsRoot')) expect(body.user).not.toMatch(/^0(:|$)/);
      if (!weakened.has('allInterfaces')) for (const p of body.ports ?? []) expect(p.ip).toBe('127.0.0.1');
      if (!weakened.has('swap')) expect(body.memory_swap).toBe(body.memory);
      if (!weakened.has('hostNetwork')) expect(body.network_mode).not.toBe('host');
      // compose `cgroup: host` (the weakened agent) is the opt-out; `cgroup: private` (the webapp cache) and no key, the default.
      expect(body.cgroupns_mode).toBe(weakened.has('hostCgroupNamespace') ? 'host' : 'private');
      expect(body.init).toBe(true);
    }
    expect([...seen].sort()).toEqual(Object.keys(EXPECTED[fixture]).sort());
  });
});
