import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import { Profile, Severity, Suppressions } from '../../src';
import { rules } from './fixtures/fixture-rules';
import { HARDENED_DEFAULTS } from '../../src/profiles/defaults';
import { PROFILE_SCHEMA } from '../../src/profiles/profile-schema';
import { BUILTIN_RULES } from '../../src/rules/catalog';
import { POLICY_FIELDS } from '../../src/rules/policies/org-policies';

const FIX = path.join(__dirname, 'fixtures');
const SCHEMA_FILE = path.join(__dirname, '..', '..', 'schemas', 'profile.schema.json');

describe('the published schema', () => {
  test('schemas/profile.schema.json is the schema the loader uses', () => {
    // If this fails after a schema change: write PROFILE_SCHEMA to schemas/profile.schema.json (JSON, 2 spaces).
    expect(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'))).toEqual(PROFILE_SCHEMA);
  });

  test('is a valid draft-07 schema, and the good fixture (with its $schema) validates against it', () => {
    const ajv = new Ajv({ strict: true, allErrors: true });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));
    expect(validate(JSON.parse(fs.readFileSync(path.join(FIX, 'good.json'), 'utf8')))).toBe(true);
    expect(validate(JSON.parse(fs.readFileSync(path.join(FIX, 'bad.json'), 'utf8')))).toBe(false);
  });
});

test('the schema covers every construct default and every policy', () => {
  expect(Object.keys(PROFILE_SCHEMA.properties.defaults.properties).sort()).toEqual(Object.keys(HARDENED_DEFAULTS).sort());
  expect(Object.keys(PROFILE_SCHEMA.properties.policies.properties).sort()).toEqual([...POLICY_FIELDS].sort());
  // The built-in defaults satisfy the schema's own constraints.
  expect(() => Profile.fromJson({ name: 'all', defaults: HARDENED_DEFAULTS })).not.toThrow();
});

describe('good files', () => {
  test('a file changes only what it names, from its level', () => {
    const p = Profile.fromFile(path.join(FIX, 'good.json'));
    const restricted = Profile.named('restricted');
    expect(p.name).toBe('team-web');
    expect(p.baseLevel).toBe('restricted');
    expect(p.description).toMatch(/web team/);
    expect(p.defaults).toEqual({ ...restricted.defaults, memoryMb: 512, hostIp: '10.0.0.5', allowedCapabilities: ['NET_BIND_SERVICE'] });
    expect(p.severityOf('read-only-rootfs')).toBe(Severity.WARNING);
    expect(p.severityOf('org-required-labels')).toBe(Severity.WARNING);
    expect(p.severityOf('org-max-memory')).toBe(Severity.ERROR);
    expect(p.severityOf('org-forbidden-host-paths')).toBe(Severity.ERROR);
    for (const r of BUILTIN_RULES) {
      if (['read-only-rootfs', 'no-privileged'].includes(r.metadata.id)) continue;
      expect(p.severityOf(r.metadata.id)).toBe(restricted.severityOf(r.metadata.id));
    }
  });

  test('the same profile written in code gives the same JSON and the same rules', () => {
    const code = Profile.named('restricted').derive({
      name: 'team-web',
      description: 'The web team: more memory, read-only rootfs only a warning',
      defaults: { memoryMb: 512, hostIp: '10.0.0.5', allowedCapabilities: ['NET_BIND_SERVICE'] },
      rules: [{ ruleId: 'read-only-rootfs', severity: Severity.WARNING }, { ruleId: 'org-required-labels', severity: Severity.WARNING }],
      policies: { requiredLabels: ['owner', 'cost-centre'], maxMemoryMb: 1024, forbiddenHostPaths: ['/home'] },
    });
    const file = Profile.fromFile(path.join(FIX, 'good.json'));
    expect(file.toJson()).toEqual(code.toJson());
    expect(file.activeRules.map((a) => [a.rule.metadata.id, a.severity])).toEqual(code.activeRules.map((a) => [a.rule.metadata.id, a.severity]));
  });

  test('extends another file (relative to it) and loads organisation rules from ruleModules', () => {
    const p = Profile.fromFile(path.join(FIX, 'child.json'));
    expect(p.defaults.memoryMb).toBe(1024);
    expect(p.defaults.hostIp).toBe('10.0.0.5');
    expect(p.policies.requiredLabels).toEqual(['owner', 'cost-centre']);
    expect(p.severityOf('acme-fixture-rule')).toBe(Severity.INFO);
    expect(p.customRules.map((r) => r.metadata.id)).toEqual(['acme-fixture-rule']);
    expect(() => Suppressions.validate('', 'acme-fixture-rule', 'because the test says so')).not.toThrow();
  });

  test('organisation rules can come from code instead (customRules)', () => {
    const p = Profile.fromJson({ name: 'x', rules: { 'acme-fixture-rule': 'off' } }, { customRules: rules });
    expect(p.hasRule('acme-fixture-rule')).toBe(false);
    expect(p.knownRuleIds).toContain('acme-fixture-rule');
  });

  test('Profile.load takes a built-in name or a file', () => {
    expect(Profile.load('baseline').name).toBe('baseline');
    expect(Profile.load(path.join(FIX, 'good.json')).name).toBe('team-web');
    expect(() => Profile.load('acme')).toThrow(/Unknown profile "acme": give a built-in name \(baseline, restricted, hardened\) or the path of a profile JSON file/);
  });
});

test('a team file extends the organisation\'s published file, resolved as a package file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-profile-pkg-'));
  try {
    const pkg = path.join(dir, 'node_modules', '@acme', 'docker-profile');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: '@acme/docker-profile', version: '1.0.0' }));
    fs.writeFileSync(path.join(pkg, 'acme-profile.json'), JSON.stringify({ name: 'acme', policies: { requiredLabels: ['owner'] }, defaults: { memoryMb: 512 } }));
    fs.writeFileSync(path.join(dir, 'team.json'), JSON.stringify({ name: 'team', extends: '@acme/docker-profile/acme-profile.json', defaults: { cpuLimit: 1 } }));
    const team = Profile.fromFile(path.join(dir, 'team.json'));
    expect(team.policies.requiredLabels).toEqual(['owner']);
    expect(team.defaults).toEqual(expect.objectContaining({ memoryMb: 512, cpuLimit: 1 }));
    fs.writeFileSync(path.join(dir, 'lost.json'), JSON.stringify({ name: 'lost', extends: '@acme/nothing/acme.json' }));
    expect(() => Profile.fromFile(path.join(dir, 'lost.json'))).toThrow(/extends: "@acme\/nothing\/acme.json" is neither a built-in level nor a file relative to .* nor a file of an installed package/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('bad files: every problem, each naming the field and what is allowed', () => {
  test('schema errors', () => {
    let message = '';
    try {
      Profile.fromFile(path.join(FIX, 'bad.json'));
    } catch (e: any) {
      message = e.message;
    }
    expect(message).toMatch(/^Invalid profile .*bad\.json: 7 problems: /);
    expect(message).not.toContain('\n'); // the CLI prints one line per error
    const lines = message.replace(/^.*?problems: /, '').split('; ');
    expect(lines).toEqual(expect.arrayContaining([
      'rules.read-only-rootfs: must be one of error, warning, info, off',
      'defaults.memoryMb: must be integer, got "512"',
      'defaults.maxRestartRetries: must be <= 5, got 10',
      expect.stringMatching(/^defaults\.swap: unknown field \(allowed fields of defaults: memoryMb, cpuLimit, .*\)$/),
      'policies.allowedRegistries: must be array, got "registry.acme.example/"',
      'policies.maxCpus: must be > 0, got -1',
      'team: unknown field (allowed fields: $schema, name, description, extends, defaults, rules, policies, suppressions, ruleModules)',
    ]));
  });

  test('an unknown rule id lists the valid ids', () => {
    expect(() => Profile.fromFile(path.join(FIX, 'unknown-rule.json')))
      .toThrow(/rules\.no-privilegd: unknown rule id\. Valid ids: .*no-privileged/);
  });

  test('an unknown base, a cycle, a missing file, broken JSON, a missing rule module', () => {
    expect(() => Profile.fromJson({ name: 'x', extends: 'strict' }))
      .toThrow(/extends: must be one of baseline, restricted, hardened, or a path to a profile file ending in \.json; got "strict"/);
    expect(() => Profile.fromFile(path.join(FIX, 'cycle-a.json'))).toThrow(/extends itself/);
    expect(() => Profile.fromFile(path.join(FIX, 'nope.json'))).toThrow(/Cannot read profile file .*nope\.json: no such file/);
    expect(() => Profile.fromFile(path.join(FIX, 'not-json.json'))).toThrow(/is not valid JSON/);
    expect(() => Profile.fromJson({ name: 'x', ruleModules: ['./no-such-module'] }, { baseDirectory: FIX }))
      .toThrow(/ruleModules\[0\]: cannot load "\.\/no-such-module"/);
    expect(() => Profile.fromJson({ name: 'x', ruleModules: ['./good.json'] }, { baseDirectory: FIX }))
      .toThrow(/ruleModules\[0\]: "\.\/good\.json" has no `rules` export/);
  });

  test('a custom rule id colliding with a built-in, loaded from a file, is refused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-profile-'));
    try {
      const id = BUILTIN_RULES[0].metadata.id;
      fs.writeFileSync(path.join(dir, 'rules.js'), `exports.rules = [{ metadata: { id: '${id}', title: 't', severity: 'error', rationale: 'r', remediation: 'f' }, check: () => ({ status: 'pass' }) }];`);
      fs.writeFileSync(path.join(dir, 'p.json'), JSON.stringify({ name: 'p', ruleModules: ['./rules.js'] }));
      expect(() => Profile.fromFile(path.join(dir, 'p.json'))).toThrow(new RegExp(`collides with the built-in rule "${id}"`));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('suppressions in profile files', () => {
  const REASON = 'every Swarm node sets no-new-privileges in daemon.json (PLAT-19)';

  test('a file extending another replaces a suppression by rule id and keeps the others; toJson round-trips them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-profile-sup-'));
    try {
      fs.writeFileSync(path.join(dir, 'org.json'), JSON.stringify({
        name: 'org',
        suppressions: { 'no-new-privileges': REASON, 'healthcheck': 'batch jobs exit in seconds; nothing to probe' },
      }));
      fs.writeFileSync(path.join(dir, 'team.json'), JSON.stringify({
        name: 'team', extends: './org.json', suppressions: { healthcheck: 'the team runs only one-shot migrations' },
      }));
      const team = Profile.fromFile(path.join(dir, 'team.json'));
      expect(team.suppressions).toEqual([
        { ruleId: 'no-new-privileges', reason: REASON },
        { ruleId: 'healthcheck', reason: 'the team runs only one-shot migrations' },
      ]);
      expect(Profile.fromJson(team.toJson()).suppressions).toEqual(team.suppressions);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the schema refuses a reason that is not text and a key that is not a rule id; the loader names every problem', () => {
    expect(() => Profile.fromJson({ name: 'p', suppressions: { 'no-new-privileges': 42, 'Bad Id': REASON } }, { source: 'p.json' }))
      .toThrow(/^Invalid profile p\.json: 2 problems: (?=.*suppressions\.no-new-privileges: must be string, got 42)(?=.*suppressions\.Bad Id: not a valid rule id)/);
    expect(() => Profile.fromJson({ name: 'p', suppressions: { 'no-new-privileges': '...........', 'acme-nope': REASON } }, { source: 'p.json' }))
      .toThrow(/2 problems: suppressions\.no-new-privileges: the reason "\.\.\.\.\.\.\.\.\.\.\." is one character repeated.*; suppressions\.acme-nope: unknown rule id/);
  });
});
