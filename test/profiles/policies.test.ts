import * as fc from 'fast-check';
import {
  AllowedCapabilitiesRule, AllowedRegistriesRule, ContainerSpec, ForbiddenHostPathsRule, ImageDigestRule, MaxCpuRule,
  MaxMemoryRule, RequiredLabelsRule, ResourceKind, RuleStatus, SpecSource,
} from '../../src';
import { fullImageReference, isUnderPath, policyRules } from '../../src/rules/policies/policy-rules';

const MIB = 1024 * 1024;
const spec = (over: Partial<ContainerSpec> = {}): ContainerSpec => ({
  kind: ResourceKind.CONTAINER, source: SpecSource.TERRAFORM_JSON, address: 'docker_container.web', ...over,
});
const status = (r: { check(s: ContainerSpec): { status: RuleStatus } }, over: Partial<ContainerSpec>) => r.check(spec(over)).status;

describe('org-allowed-registries', () => {
  const rule = new AllowedRegistriesRule(['registry.acme.example/', 'docker.io/library/']);
  test('pass, fail, unknown', () => {
    expect(status(rule, { image: 'registry.acme.example/web:1.2' })).toBe(RuleStatus.PASS);
    expect(status(rule, { image: 'nginx:1.25' })).toBe(RuleStatus.PASS); // docker.io/library/nginx
    expect(status(rule, { image: 'ghcr.io/evil/web:1' })).toBe(RuleStatus.FAIL);
    expect(status(rule, { image: 'registry.acme.example.evil.com/web' })).toBe(RuleStatus.FAIL);
    expect(status(rule, { image: 'x', unknown: ['image'] })).toBe(RuleStatus.UNKNOWN);
    expect(rule.check(spec({ image: 'quay.io/x/y' })).message).toMatch(/"quay.io\/x\/y" is not from an allowed registry \(registry.acme.example\/, docker.io\/library\/\)/);
    expect(status(new AllowedRegistriesRule([]), { image: 'registry.acme.example/web' })).toBe(RuleStatus.FAIL);
  });
  test('full references follow Docker\'s rules', () => {
    expect(fullImageReference('nginx')).toBe('docker.io/library/nginx');
    expect(fullImageReference('acme/web:1')).toBe('docker.io/acme/web:1');
    expect(fullImageReference('localhost/web')).toBe('localhost/web');
    expect(fullImageReference('localhost:5000/web')).toBe('localhost:5000/web');
    expect(fullImageReference('registry.acme.example/web')).toBe('registry.acme.example/web');
  });
});

test('org-image-digest (the fallback rule when the catalog lacks one)', () => {
  const rule = new ImageDigestRule();
  expect(status(rule, { image: `web@sha256:${'a'.repeat(64)}` })).toBe(RuleStatus.PASS);
  expect(status(rule, { image: 'web:1' })).toBe(RuleStatus.FAIL);
  expect(status(rule, { unknown: ['image'] })).toBe(RuleStatus.UNKNOWN);
});

test('org-required-labels', () => {
  const rule = new RequiredLabelsRule(['owner', 'cost-centre']);
  expect(status(rule, { labels: { 'owner': 'web', 'cost-centre': '42' } })).toBe(RuleStatus.PASS);
  expect(rule.check(spec({ labels: { owner: ' ' } })).message).toBe('missing required labels owner, cost-centre');
  expect(status(rule, {})).toBe(RuleStatus.FAIL);
  expect(status(rule, { unknown: ['labels'] })).toBe(RuleStatus.UNKNOWN);
  expect(status(new RequiredLabelsRule([]), {})).toBe(RuleStatus.PASS);
});

test('org-max-memory', () => {
  const rule = new MaxMemoryRule(512);
  expect(status(rule, { memoryBytes: 512 * MIB })).toBe(RuleStatus.PASS);
  expect(rule.check(spec({ memoryBytes: 513 * MIB })).message).toBe('memory limit 513 MiB exceeds the maximum of 512 MiB');
  expect(status(rule, {})).toBe(RuleStatus.FAIL);
  expect(status(rule, { memoryBytes: 0 })).toBe(RuleStatus.FAIL);
  expect(status(rule, { unknown: ['memoryBytes'] })).toBe(RuleStatus.UNKNOWN);
});

test('org-max-cpu: property over quota/period and nano CPUs', () => {
  fc.assert(fc.property(
    fc.double({ min: 0.1, max: 16, noNaN: true }),
    fc.integer({ min: 1000, max: 1000000 }),
    fc.integer({ min: 1000, max: 16000000 }),
    fc.boolean(),
    (max, period, quota, asService) => {
      const rule = new MaxCpuRule(max);
      const cpus = quota / period;
      const over = asService ? { kind: ResourceKind.SERVICE, nanoCpus: Math.round(cpus * 1e9) } : { cpuPeriod: period, cpuQuota: quota };
      const expected = (asService ? Math.round(cpus * 1e9) / 1e9 : cpus) <= max + 1e-9 ? RuleStatus.PASS : RuleStatus.FAIL;
      expect(status(rule, over)).toBe(expected);
    },
  ));
  const rule = new MaxCpuRule(1);
  expect(status(rule, { cpuQuota: 50000 })).toBe(RuleStatus.PASS); // period defaults to 100000
  expect(status(rule, {})).toBe(RuleStatus.FAIL);
  expect(status(rule, { unknown: ['cpuQuota'] })).toBe(RuleStatus.UNKNOWN);
});

test('org-forbidden-host-paths matches by path segment', () => {
  const rule = new ForbiddenHostPathsRule(['/etc', '/home/']);
  expect(status(rule, { mounts: [{ type: 'bind', source: '/etc/ssl', target: '/ssl' }] })).toBe(RuleStatus.FAIL);
  expect(status(rule, { mounts: [{ type: 'bind', source: '/home', target: '/h' }] })).toBe(RuleStatus.FAIL);
  expect(status(rule, { mounts: [{ type: 'bind', source: '/etcetera', target: '/x' }] })).toBe(RuleStatus.PASS);
  expect(status(rule, { mounts: [{ type: 'volume', source: 'etc', target: '/etc' }] })).toBe(RuleStatus.PASS);
  expect(status(rule, { unknown: ['mounts'] })).toBe(RuleStatus.UNKNOWN);
  expect(isUnderPath('/anything', '/')).toBe(true);
});

test('org-forbidden-host-paths judges each mount: a literal forbidden bind fails beside unknown ones', () => {
  const rule = new ForbiddenHostPathsRule(['/etc']);
  expect(status(rule, { mounts: [{ type: 'bind', source: '/etc', target: '/e' }], unknown: ['mounts'] })).toBe(RuleStatus.FAIL);
  const unknownSource = { type: 'bind', target: '/x', unknown: ['source'] };
  expect(status(rule, { mounts: [unknownSource], unknown: ['mounts'], listedInFull: ['mounts'] })).toBe(RuleStatus.UNKNOWN);
  // A named volume whose name is unknown is not a host path.
  expect(status(rule, { mounts: [{ type: 'volume', target: '/x', unknown: ['source'] }], unknown: ['mounts'], listedInFull: ['mounts'] })).toBe(RuleStatus.PASS);
});

test('org-allowed-capabilities: a capability outside the list fails beside unknown ones', () => {
  const rule = new AllowedCapabilitiesRule(['CHOWN']);
  expect(status(rule, { capAdd: ['SYS_ADMIN'], unknown: ['capAdd'] })).toBe(RuleStatus.FAIL);
  expect(status(rule, { capAdd: ['CHOWN'], unknown: ['capAdd'] })).toBe(RuleStatus.UNKNOWN);
});

test('org-allowed-capabilities normalizes names', () => {
  const rule = new AllowedCapabilitiesRule(['NET_BIND_SERVICE', 'cap_chown']);
  expect(status(rule, { capAdd: ['CAP_NET_BIND_SERVICE', 'chown'] })).toBe(RuleStatus.PASS);
  expect(rule.check(spec({ capAdd: ['NET_ADMIN', 'ALL'] })).message).toMatch(/adds capabilities NET_ADMIN, ALL not in the allowed list/);
  expect(status(new AllowedCapabilitiesRule([]), { capAdd: ['CHOWN'] })).toBe(RuleStatus.FAIL);
  expect(status(rule, { unknown: ['capAdd'] })).toBe(RuleStatus.UNKNOWN);
});

test('each policy that is set becomes one rule, with remediation naming the configured values', () => {
  const rules = policyRules({ allowedRegistries: ['r/'], requiredLabels: ['owner'], maxMemoryMb: 100 });
  expect(rules.map((r) => r.metadata.id)).toEqual(['org-allowed-registries', 'org-required-labels', 'org-max-memory']);
  expect(rules[1].metadata.remediation).toContain('`owner`');
  expect(policyRules({ requireDigest: false })).toEqual([]);
});
