import { evaluate } from '../../src/evaluation/evaluate';
import { Profile } from '../../src/profiles/profile';
import { toSarif } from '../../src/report/sarif';
import { BUILTIN_RULES, builtinRule } from '../../src/rules/catalog';
import { renderRulesMarkdown } from '../../src/rules/doc';
import { RuleStatus } from '../../src/rules/rule';
import { loadComposeProject } from '../../src/spec/compose/load';
import { composeServiceSpec } from '../../src/spec/compose/service-spec';
import { ContainerSpec, SpecSource } from '../../src/spec/container-spec';
import { inSourceTerms } from '../../src/spec/source-capabilities';
import { specFromResource } from '../../src/spec/terraform-adapter';

/** The spec of one compose service whose settings are `lines` (besides `image: nginx` unless they set an image). */
function serviceSpec(lines: string[]): ContainerSpec {
  const text = ['services:', '  app:', ...(lines.some((l) => l.startsWith('image:')) ? [] : ['    image: nginx']), ...lines.map((l) => `    ${l}`), ''].join('\n');
  const project = loadComposeProject(['/project/compose.yaml'], { cwd: '/project', envFiles: [], readText: () => text });
  return composeServiceSpec(project.services[0], 'compose.yaml').spec;
}

/**
 * For each rule with a compose wording: a service that fails it, and the same service fixed as the wording says.
 * The fixed service must not fail the rule: the words are what compose takes.
 */
const CASES: { [ruleId: string]: { weak: string[]; fixed: string[] } } = {
  'non-root-user': { weak: ['user: root'], fixed: ['user: "10001:10001"'] },
  'no-privileged-groups': { weak: ['user: "10001:0"', 'group_add: [docker]'], fixed: ['user: "10001:10001"', 'group_add: [app]'] },
  'apparmor-profile': { weak: [], fixed: ['security_opt: ["apparmor=docker-default"]'] },
  'selinux-options': { weak: [], fixed: ['security_opt: ["label=type:container_t", "label=level:s0:c100,c200"]'] },
  'selinux-confinement-not-disabled': { weak: ['security_opt: ["label=disable"]'], fixed: ['security_opt: ["label=type:container_t"]'] },
  'no-added-capabilities': { weak: ['cap_add: [NET_ADMIN]'], fixed: ['cap_drop: [ALL]', 'cap_add: [NET_BIND_SERVICE]'] },
  'no-dangerous-capabilities': { weak: ['cap_add: [SYS_ADMIN]'], fixed: [] },
  'no-privileged': { weak: ['privileged: true'], fixed: ['cap_drop: [ALL]', 'cap_add: [NET_BIND_SERVICE]'] },
  'no-sensitive-host-mounts': { weak: ['volumes: ["/etc:/host-etc"]'], fixed: ['volumes: ["appdata:/data"]'] },
  'no-sensitive-host-mounts-read-only': { weak: ['volumes: ["/etc/ssl:/etc/ssl:ro"]'], fixed: ['volumes: ["./app.conf:/etc/app/app.conf:ro"]'] },
  'no-mount-over-system-dirs': { weak: ['volumes: ["./config:/etc"]'], fixed: ['volumes: ["./config:/etc/app:ro"]'] },
  'no-docker-socket': { weak: ['volumes: ["/var/run/docker.sock:/var/run/docker.sock"]'], fixed: [] },
  'no-sshd': { weak: ['pid: host'], fixed: [] },
  'no-privileged-host-ports': { weak: ['ports: ["80:80"]'], fixed: ['ports: ["127.0.0.1:8080:80"]'] },
  'published-ports': { weak: ['ports: ["8080:80"]'], fixed: [] },
  'no-host-network': { weak: ['network_mode: host'], fixed: ['ports: ["127.0.0.1:8080:80"]'] },
  'memory-limit': { weak: [], fixed: ['mem_limit: 256m', 'memswap_limit: 256m'] },
  'cpu-limit': { weak: [], fixed: ['cpus: "0.5"'] },
  'read-only-rootfs': { weak: [], fixed: ['read_only: true', 'tmpfs: ["/tmp:rw,noexec,nosuid,nodev,size=64m"]'] },
  'ports-bound-to-interface': { weak: ['ports: ["8080:80"]'], fixed: ['ports: ["127.0.0.1:8080:80"]'] },
  'restart-retries': { weak: ['restart: always'], fixed: ['restart: on-failure:3'] },
  'no-host-pid': { weak: ['pid: host'], fixed: [] },
  'no-host-ipc': { weak: ['ipc: host'], fixed: ['ipc: private'] },
  'no-host-devices': { weak: ['devices: ["/dev/sda:/dev/sda"]'], fixed: [] },
  'ulimits-set': { weak: [], fixed: ['ulimits: { nofile: { soft: 1024, hard: 1024 }, nproc: 512 }'] },
  'no-shared-mount-propagation': { weak: ['volumes: ["./data:/data:shared"]'], fixed: ['volumes: ["./data:/data"]'] },
  'no-host-uts': { weak: ['uts: host'], fixed: [] },
  'no-unconfined-seccomp': { weak: ['security_opt: ["seccomp:unconfined"]'], fixed: [] },
  'no-unconfined-system-paths': { weak: ['security_opt: ["systempaths=unconfined"]'], fixed: [] },
  'no-cgroup-parent': { weak: ['cgroup_parent: custom.slice'], fixed: [] },
  'no-new-privileges': { weak: [], fixed: ['security_opt: ["no-new-privileges:true"]'] },
  'drop-all-capabilities': { weak: [], fixed: ['cap_drop: [ALL]'] },
  'healthcheck': {
    weak: ['healthcheck: { disable: true }'],
    fixed: ['healthcheck: { test: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1:8080/health"], interval: 30s, timeout: 5s, retries: 3 }'],
  },
  'pids-limit': { weak: [], fixed: ['pids_limit: 100'] },
  'no-default-bridge': { weak: ['network_mode: bridge'], fixed: [] },
  'no-host-userns': { weak: ['userns_mode: host'], fixed: [] },
  'no-host-cgroupns': { weak: ['cgroup: host'], fixed: ['cgroup: private'] },
  'no-swap': { weak: ['mem_limit: 256m'], fixed: ['mem_limit: 256m', 'memswap_limit: 256m'] },
  'log-rotation': { weak: [], fixed: ['logging: { driver: json-file, options: { max-size: "10m", max-file: "3" } }'] },
  'image-pinned-by-digest': { weak: [], fixed: [`image: nginx:1.27@sha256:${'a'.repeat(64)}`] },
  'tmpfs-noexec-nosuid': { weak: ['tmpfs: ["/tmp"]'], fixed: ['tmpfs: ["/tmp:rw,noexec,nosuid,nodev,size=64m"]'] },
};

function findingsOf(ruleId: string, spec: ContainerSpec) {
  return evaluate([spec], new Profile('one', [builtinRule(ruleId)!])).findings.filter((f) => f.ruleId === ruleId);
}

describe('compose-worded remediation', () => {
  const withoutWording = BUILTIN_RULES.filter((r) => r.metadata.composeRemediation === undefined);

  test('every rule with a compose wording in its metadata has a case below, and every case names such a rule', () => {
    const worded = BUILTIN_RULES.filter((r) => r.metadata.composeRemediation !== undefined).map((r) => r.metadata.id);
    expect(worded.sort()).toEqual(Object.keys(CASES).sort());
  });

  test('the rules without one do not apply to compose services: no finding on any service below', () => {
    expect(withoutWording.map((r) => r.metadata.id)).toEqual(expect.arrayContaining(['no-cpus-attribute', 'service-tmpfs-size']));
    const services = [['cpus: "0.5"'], ...Object.values(CASES).flatMap(({ weak, fixed }) => [weak, fixed])].map(serviceSpec);
    const found = withoutWording.flatMap((rule) => services.map((spec) => [rule.metadata.id, rule.check(spec).status] as const))
      .filter(([, status]) => status !== RuleStatus.NOT_APPLICABLE && status !== RuleStatus.PASS);
    expect(found).toEqual([]);
  });

  test.each(Object.keys(CASES))('%s: a compose service\'s finding says what to write in compose, and writing it fixes it', (ruleId) => {
    const rule = builtinRule(ruleId)!;
    const { weak, fixed } = CASES[ruleId];
    const found = findingsOf(ruleId, serviceSpec(weak));
    expect(found.map((f) => f.status)).toEqual([RuleStatus.FAIL]);
    expect(found[0].remediation).toBe(rule.metadata.composeRemediation);
    expect(found[0].remediation).not.toBe(rule.metadata.remediation);
    expect(findingsOf(ruleId, serviceSpec(fixed))).toEqual([]);
  });

  test('docs/rules.md and the SARIF rule help show both fixes', () => {
    const rule = builtinRule('read-only-rootfs')!;
    const md = renderRulesMarkdown([rule]);
    expect(md).toContain(`**Fix.** ${rule.metadata.remediation}`);
    expect(md).toContain(`**Fix in compose.** ${rule.metadata.composeRemediation}`);
    const help = toSarif({ profile: 'p', findings: [], resources: [] }, { rules: [rule], version: '0' }).runs[0].tool.driver.rules![0].help!;
    expect(help.markdown).toContain(`**Fix in compose:** ${rule.metadata.composeRemediation}`);
  });

  test('a docker_container\'s finding keeps the Terraform wording', () => {
    const spec = specFromResource({ type: 'docker_container', name: 'web', body: { name: 'web', image: 'nginx', privileged: true } });
    const [f] = findingsOf('no-privileged', spec);
    expect(f.remediation).toBe(builtinRule('no-privileged')!.metadata.remediation);
  });
});

describe('a compose service\'s messages name compose\'s keys', () => {
  /** Terraform attributes whose compose key differs, and Terraform's `name = value`. */
  const TERRAFORM_WORDS = /\b(ipc_mode|pid_mode|uts_mode|cgroupns_mode|security_opts|capabilities\.(add|drop)|memory_swap|log_driver|log_opts|networks_advanced|max_retry_count)\b|\bmemory\b| = /;

  test.each(Object.keys(CASES))('%s: the weak service\'s message has no Terraform attribute name', (ruleId) => {
    const [f] = findingsOf(ruleId, serviceSpec(CASES[ruleId].weak));
    expect(f.message).not.toMatch(TERRAFORM_WORDS);
  });

  test.each<[string, string[], string, RegExp]>([
    ['no-host-ipc', ['ipc: host'], 'ipc: host', /^ipc_mode = "host"$/],
    ['no-host-pid', ['pid: ${PID}'], 'pid depends on ${PID}, which is not set', /^pid_mode depends on an attribute known only after apply/],
    ['no-host-cgroupns', ['cgroup: host'], 'cgroup: host', /^cgroupns_mode = "host"$/],
    ['no-new-privileges', ['security_opt: ["no-new-privileges:false"]'], 'security_opt has "no-new-privileges:false"', /^security_opts has "no-new-privileges:false"$/],
    ['restart-retries', ['restart: on-failure:20'], 'restart: on-failure:20 (at most 5)', /^max_retry_count = 20 \(at most 5\)$/],
    ['no-swap', ['mem_limit: 256m', 'memswap_limit: 512m'], 'memswap_limit (536870912 bytes) differs from mem_limit (268435456 bytes): 268435456 bytes of swap', /^memory_swap \(536870912 bytes\) differs from memory/],
    ['log-rotation', ['logging: { driver: json-file }'], 'logging.driver "json-file" without logging.options max-size: the log grows without bound', /^log_driver "json-file" without log_opts max-size/],
    ['no-cgroup-parent', ['cgroup_parent: "no"'], 'cgroup_parent: "no"', /^cgroup_parent = "no"$/],
  ])('%s: compose reads "%s"; the Terraform container keeps Terraform\'s words', (ruleId, lines, composeMessage, terraformMessage) => {
    const found = findingsOf(ruleId, serviceSpec(lines));
    expect(found.map((f) => f.message)).toEqual([expect.stringMatching(new RegExp(`^${composeMessage.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))]);
    const body: any = {
      'no-host-ipc': { ipc_mode: 'host' },
      'no-host-pid': { pid_mode: '${docker_container.x.id}' },
      'no-host-cgroupns': { cgroupns_mode: 'host' },
      'no-new-privileges': { security_opts: ['no-new-privileges:false'] },
      'restart-retries': { restart: 'on-failure', max_retry_count: 20 },
      'no-swap': { memory: 256, memory_swap: 512 },
      'log-rotation': { log_driver: 'json-file' },
      'no-cgroup-parent': { cgroup_parent: 'no' },
    }[ruleId];
    const spec = specFromResource({ type: 'docker_container', name: 'web', body: { name: 'web', image: 'nginx', ...body } });
    expect(findingsOf(ruleId, spec).map((f) => f.message)).toEqual([expect.stringMatching(terraformMessage)]);
  });
});

describe('inSourceTerms', () => {
  const compose = { source: SpecSource.COMPOSE };
  test.each([
    // A quoted value is the user's own: never renamed.
    ['image "pid_mode/memory:1" is not pinned by digest', 'image "pid_mode/memory:1" is not pinned by digest'],
    // A path keeps its words.
    ['writable mount over a system directory: /sys/fs/cgroup/memory -> /memory', 'writable mount over a system directory: /sys/fs/cgroup/memory -> /memory'],
    // YAML keeps the quotes where the plain word would read otherwise (a bool, a number, a colon).
    ['userns_mode = "no"', 'userns_mode: "no"'],
    ['cgroup_parent = "a: b"', 'cgroup_parent: "a: b"'],
    ['capabilities.drop = [NET_RAW] does not drop ALL', 'cap_drop: [NET_RAW] does not drop ALL'],
    ['a host path of volumes/mounts', 'a host path of volumes'],
    ['bound to every interface: 0.0.0.0 (ip not set):8080 -> 80', 'bound to every interface: 0.0.0.0 (host_ip not set):8080 -> 80'],
    ['ports/publish_all_ports depend on a variable without a value', 'ports depend on a variable without a value'],
    ['restart = "on-failure" without max_retry_count: retries without bound', 'restart: on-failure without a retry count (restart: on-failure:N): retries without bound'],
  ])('%s', (terraform, composeWords) => {
    expect(inSourceTerms(compose, terraform)).toBe(composeWords);
    expect(inSourceTerms({ source: SpecSource.TERRAFORM_JSON }, terraform)).toBe(terraform);
  });
});
