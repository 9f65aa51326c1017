/**
 * Weakenings that used to pass the constructs (issue 14): each is now refused, needs a typed opt-out with a valid
 * reason, or is reported by the synth-time checks (an error, or unknown when only apply knows the value).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as nodePath from 'path';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { checkedSynth, labelsOf, newStack, PINNED_IMAGE, synthContainer } from './helpers';
import { HardenedContainer, HardenedContainerProps, SecureService, ServiceMode } from '../../src';
import { runCheck } from '../../src/cli/check';

const REASON = 'reviewed by the platform team for this workload';
const HEALTH = { command: ['true'] };

function errorOf(build: () => void): string {
  try {
    build();
  } catch (e: any) {
    return e.message;
  }
  return '';
}

describe('systempaths=unconfined', () => {
  test('set through the escape hatch, it fails synth as an error', () => {
    expect(() => checkedSynth((stack) => {
      const hc = new HardenedContainer(stack, 'web', { image: PINNED_IMAGE, healthcheck: HEALTH });
      hc.container.securityOpts = ['no-new-privileges:true', 'systempaths=unconfined'];
    })).toThrow(/stack\/web.*no-unconfined-system-paths/s);
  });

  test('the unconfinedSystemPaths opt-out writes it, records the reason and suppresses the rule', () => {
    const { report } = checkedSynth((stack) => {
      new HardenedContainer(stack, 'web', { image: PINNED_IMAGE, healthcheck: HEALTH, optOuts: { unconfinedSystemPaths: { reason: REASON } } });
    });
    const f = report.findings.find((x: any) => x.ruleId === 'no-unconfined-system-paths');
    expect(f).toMatchObject({ suppressed: true, reason: REASON });
    const { body } = synthContainer({ optOuts: { unconfinedSystemPaths: { reason: REASON } } });
    expect(body.security_opts).toEqual(['no-new-privileges:true', 'systempaths=unconfined']);
    expect(labelsOf(body)['hardened-docker.suppress.no-unconfined-system-paths']).toBe(REASON);
    const warnings = synthContainer({ optOuts: { unconfinedSystemPaths: { reason: REASON } } }).hc.node.metadata.filter((m) => m.type === '@cdktf/warn');
    expect(warnings.map((m) => String(m.data)).join('\n')).toMatch(/provider kreuzwerker\/docker 3\.6\.2 passes "systempaths=unconfined".*refuses it at create/);
  });
});

describe('SELinux labels that turn confinement off', () => {
  test.each(['disable', 'type:spc_t', 'type:unconfined_t'])('%s needs the unconfinedSelinux opt-out', (label) => {
    expect(errorOf(() => synthContainer({ selinuxLabels: [label] })))
      .toMatch(new RegExp(`^\\[stack/web\\] HardenedContainer selinuxLabels\\[0\\]: "${label}" needs an opt-out.*unconfinedSelinux`));
    expect(synthContainer({ selinuxLabels: [label], optOuts: { unconfinedSelinux: { reason: REASON } } }).body.security_opts).toContain(`label=${label}`);
  });

  test('two labels of one key are refused (a docker_service takes one of each)', () => {
    expect(errorOf(() => synthContainer({ selinuxLabels: ['type:container_t', 'type:svirt_t'] }))).toMatch(/selinuxLabels\[1\]: "type:svirt_t" .*type is given twice/);
  });
});

describe('writable paths over system directories', () => {
  test.each(['/etc', '/proc', '/sys', '/dev', '/usr', '/bin', '/sbin', '/lib', '/lib64', '/boot', '/var/lib/docker', '/var/lib', '//etc', '/etc/', '/./usr'])(
    '%s needs the mountOverSystemDirs opt-out', (path) => {
      expect(errorOf(() => synthContainer({ writablePaths: [{ path }] })))
        .toMatch(/^\[stack\/web\] HardenedContainer writablePaths\[0\]\.path: .* needs an opt-out \(it fails rule no-mount-over-system-dirs.*mountOverSystemDirs/);
    });

  test('normalized in the tmpfs map; allowed with the opt-out, which suppresses the rule', () => {
    expect(synthContainer({ writablePaths: [{ path: '//var//cache/app/' }] }).body.tmpfs).toHaveProperty(['/var/cache/app']);
    expect(errorOf(() => synthContainer({ writablePaths: [{ path: '/var/cache/' }, { path: '/var/cache' }] }))).toMatch(/writablePaths\[1\]\.path: "\/var\/cache" is given twice/);
    const { report } = checkedSynth((stack) => {
      new HardenedContainer(stack, 'web', { image: PINNED_IMAGE, healthcheck: HEALTH, writablePaths: [{ path: '/etc/' }], optOuts: { mountOverSystemDirs: { reason: REASON } } });
    });
    const f = report.findings.find((x: any) => x.ruleId === 'no-mount-over-system-dirs');
    expect(f).toMatchObject({ suppressed: true, reason: REASON });
  });

  test('a writable path that is a token is reported unknown at synth', () => {
    const { report } = checkedSynth((stack) => {
      const path = new TerraformVariable(stack, 'cache', { type: 'string' });
      new HardenedContainer(stack, 'web', { image: PINNED_IMAGE, healthcheck: HEALTH, writablePaths: [{ path: path.stringValue }] });
    });
    const f = report.findings.find((x: any) => x.ruleId === 'no-mount-over-system-dirs');
    expect(f).toMatchObject({ status: 'unknown', suppressed: false });
    // The tmpfs map key is the token's expression: the path, so the field, is not known before apply, and says why.
    expect(f.message).toMatch(/writable mount path .*variable without a value/);
  });
});

describe('a label key that is a token', () => {
  test('is accepted with a warning that it may forge a reserved label', () => {
    const stack = newStack();
    const key = new TerraformVariable(stack, 'key', { type: 'string' });
    const hc = new HardenedContainer(stack, 'web', { image: PINNED_IMAGE, labels: { [key.stringValue]: 'x' } });
    const warnings = hc.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(warnings.join('\n')).toMatch(/labels: a key that is a token .*hardened-docker\./);
  });
});

describe('names and host ports are unique per Docker engine across the app', () => {
  test('two containers with one literal name fail, naming both construct paths', () => {
    const app = Testing.app();
    const a = newStack(app);
    const b = new TerraformStack(app, 'other');
    new DockerProvider(b, 'docker');
    new HardenedContainer(a, 'first', { image: PINNED_IMAGE, name: 'web' });
    expect(errorOf(() => new HardenedContainer(b, 'second', { image: PINNED_IMAGE, name: 'web' })))
      .toMatch(/^\[other\/second\] HardenedContainer name: "web" is already the name of stack\/first/);
  });

  test('two stacks on different Docker hosts may reuse a name and a port', () => {
    const app = Testing.app();
    const a = new TerraformStack(app, 'a');
    new DockerProvider(a, 'docker', { host: 'ssh://one.example' });
    const b = new TerraformStack(app, 'b');
    new DockerProvider(b, 'docker', { host: 'ssh://two.example' });
    new HardenedContainer(a, 'web', { image: PINNED_IMAGE, name: 'web', ports: [{ internal: 80, external: 8080 }] });
    expect(errorOf(() => new HardenedContainer(b, 'web', { image: PINNED_IMAGE, name: 'web', ports: [{ internal: 80, external: 8080 }] }))).toBe('');
  });

  test('two Swarm services with one name fail', () => {
    const stack = newStack();
    new SecureService(stack, 'a', { image: PINNED_IMAGE, name: 'api', mode: ServiceMode.SWARM });
    expect(errorOf(() => new SecureService(stack, 'b', { image: PINNED_IMAGE, name: 'api', mode: ServiceMode.SWARM })))
      .toMatch(/^\[stack\/b\] SecureService name: "api" is already the name of stack\/a/);
  });

  test('one host ip:port published by two containers fails; every interface overlaps a specific one', () => {
    const stack = newStack();
    new HardenedContainer(stack, 'a', { image: PINNED_IMAGE, ports: [{ internal: 80, external: 8080 }] });
    expect(errorOf(() => new HardenedContainer(stack, 'b', { image: PINNED_IMAGE, ports: [{ internal: 81, external: 8080 }] })))
      .toMatch(/^\[stack\/b\] HardenedContainer ports\[0\]: "127\.0\.0\.1:8080\/tcp" is already published by stack\/a/);
    expect(errorOf(() => new HardenedContainer(stack, 'c', {
      image: PINNED_IMAGE, ports: [{ internal: 80, external: 8080, hostIp: '0.0.0.0' }], optOuts: { allInterfaces: { reason: REASON } },
    }))).toMatch(/already published by stack\/a/);
    // Another address, another protocol: no clash.
    new HardenedContainer(stack, 'd', { image: PINNED_IMAGE, ports: [{ internal: 80, external: 8080, hostIp: '127.0.0.2' }] });
    new HardenedContainer(stack, 'e', { image: PINNED_IMAGE, ports: [{ internal: 80, external: 8080, protocol: 'udp' as any }] });
  });
});

describe('image references are checked as Docker parses them, in both constructs', () => {
  test.each(['a b', 'x\ny', 'registry.example.com/app@sha256:…', 'Nginx', 'nginx:', 'nginx@sha256:abc', '/nginx', 'nginx:-x'])('%j is refused', (image) => {
    const container = errorOf(() => synthContainer({ image }));
    const service = errorOf(() => new SecureService(newStack(), 'web', { image }));
    expect(container).toMatch(/^\[stack\/web\] HardenedContainer image: .* is not an image reference: it /);
    expect(service.replace('SecureService', 'HardenedContainer')).toBe(container);
  });

  test.each(['nginx', 'nginx:1.27', 'library/nginx:1.27-alpine', 'localhost:5000/a/b_c__d.e-f:v1', 'Registry.Example:443/app', '[::1]:5000/app', PINNED_IMAGE])('%s is accepted', (image) => {
    expect(errorOf(() => synthContainer({ image }))).toBe('');
  });
});

describe('ports below 1024 are privileged, 1024 is not (Linux, CIS 5.8)', () => {
  test('1024 needs no opt-out; 1023 does', () => {
    expect(synthContainer({ ports: [{ internal: 80, external: 1024 }] }).body.ports[0].external).toBe(1024);
    // The rule still warns on 1024 as Docker Bench does (-lt 1025): the opt-out may acknowledge it.
    expect(synthContainer({ ports: [{ internal: 80, external: 1024 }], optOuts: { privilegedPorts: { reason: REASON } } }).hc.optOutsApplied)
      .toEqual(['privilegedPorts']);
    expect(errorOf(() => synthContainer({ ports: [{ internal: 80, external: 1023 }] })))
      .toMatch(/ports\[0\]\.external: 1023 needs an opt-out.*Valid: a host port from 1024 to 65535.*privilegedPorts/);
  });
});

describe('values are named as given', () => {
  test.each<[string, Partial<HardenedContainerProps>, RegExp]>([
    ['NaN memory', { memoryMb: NaN }, /memoryMb: NaN is not valid/],
    ['Infinity memory', { memoryMb: Infinity }, /memoryMb: Infinity is not valid/],
    ['-Infinity CPU', { cpuLimit: -Infinity }, /cpuLimit: -Infinity is not valid/],
    ['NaN port', { ports: [{ internal: NaN }] }, /ports\[0\]\.internal: NaN is not valid/],
  ])('%s', (_what, props, message) => {
    expect(errorOf(() => synthContainer(props))).toMatch(message);
  });

  test('a token memorySwapMb is named as a token; with the swap opt-out it is accepted and stays an expression', () => {
    const stack = newStack();
    const swap = new TerraformVariable(stack, 'swap', { type: 'number' });
    expect(errorOf(() => new HardenedContainer(stack, 'a', { image: PINNED_IMAGE, memorySwapMb: swap.numberValue })))
      .toMatch(/memorySwapMb: a token \(a value known only at apply\) allows swap/);
    new HardenedContainer(stack, 'b', { image: PINNED_IMAGE, memorySwapMb: swap.numberValue, optOuts: { swap: { reason: REASON } } });
    const body = Object.values<any>(JSON.parse(Testing.synth(stack)).resource.docker_container)[0];
    expect(body.memory_swap).toBe('${var.swap}');
  });

  test('a token replicas is accepted in Swarm mode and stays an expression', () => {
    const stack = newStack();
    const n = new TerraformVariable(stack, 'replicas', { type: 'number' });
    new SecureService(stack, 'web', { image: PINNED_IMAGE, mode: ServiceMode.SWARM, replicas: n.numberValue });
    const service = Object.values<any>(JSON.parse(Testing.synth(stack)).resource.docker_service)[0];
    expect(service.mode.replicated.replicas).toBe('${var.replicas}');
  });
});

describe('opt-out reasons go through the one reason validator', () => {
  test.each<[string, unknown, RegExp]>([
    ['12 zero-width spaces', '\u200b'.repeat(12), /is empty once whitespace and invisible characters are removed/],
    ['ten dots', '..........', /is one character repeated/],
    ['five emoji', '🔥🚀🔥🚀🔥🚀🔥🚀🔥🚀', /punctuation and symbols only/],
    ['not text', 42, /is not text/],
  ])('%s is refused', (_what, reason, message) => {
    expect(errorOf(() => synthContainer({ optOuts: { writableRootFilesystem: { reason: reason as string } } })))
      .toMatch(new RegExp(`optOuts\\.writableRootFilesystem\\.reason: .* ${message.source}`));
  });

  test('a token reason is refused: it cannot be checked, so it does not count as a reason', () => {
    const stack = newStack();
    const why = new TerraformVariable(stack, 'why', { type: 'string' });
    expect(errorOf(() => new HardenedContainer(stack, 'web', { image: PINNED_IMAGE, optOuts: { writableRootFilesystem: { reason: why.stringValue } } })))
      .toMatch(/optOuts\.writableRootFilesystem\.reason: a token .* is a token: a reason known only at apply cannot be checked/);
    expect(errorOf(() => new SecureService(stack, 'svc', { image: 'nginx:1.27', serviceOptOuts: { unpinnedImage: { reason: why.stringValue } } })))
      .toMatch(/serviceOptOuts\.unpinnedImage\.reason: a token/);
  });
});

describe('more ways around the defaults', () => {
  test.each(['::ffff:0.0.0.0', '::0.0.0.0', '0:0::0', '0:0:0:0:0:0:0:0'])('host IP %s binds every interface: needs allInterfaces', (hostIp) => {
    expect(errorOf(() => synthContainer({ ports: [{ internal: 80, hostIp }] }))).toMatch(/ports\[0\]\.hostIp: .* needs an opt-out.*allInterfaces/);
  });

  test('a seccomp profile that allows every system call is refused: that is the unconfinedSeccomp opt-out', () => {
    expect(errorOf(() => synthContainer({ seccompProfileJson: '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[]}' })))
      .toMatch(/seccompProfileJson: .* allows every system call .*unconfinedSeccomp opt-out/);
    expect(synthContainer({ seccompProfileJson: '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["kexec_load"],"action":"SCMP_ACT_ERRNO"}]}' }).body.security_opts)
      .toContain('seccomp={"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["kexec_load"],"action":"SCMP_ACT_ERRNO"}]}');
  });

  test('an SELinux level holding every MCS category needs the unconfinedSelinux opt-out', () => {
    expect(errorOf(() => synthContainer({ selinuxLabels: ['level:s0-s0:c0.c1023'] }))).toMatch(/selinuxLabels\[0\]: .* needs an opt-out.*unconfinedSelinux/);
    expect(synthContainer({ selinuxLabels: ['level:s0:c100,c200'] }).body.security_opts).toContain('label=level:s0:c100,c200');
  });

  test('two mounts at one path are refused before apply (Docker: "Duplicate mount point")', () => {
    expect(errorOf(() => synthContainer({ volumes: [{ containerPath: '/tmp/', volumeName: 'scratch', readOnly: false }] })))
      .toMatch(/volumes\[0\]\.containerPath: "\/tmp\/" is already the mount point of the \/tmp tmpfs/);
    expect(errorOf(() => synthContainer({ writablePaths: [{ path: '/data' }], volumes: [{ containerPath: '//data', volumeName: 'dd' }] })))
      .toMatch(/volumes\[0\]\.containerPath: "\/\/data" is already the mount point of writablePaths\[0\]/);
    expect(errorOf(() => synthContainer({ volumes: [{ containerPath: '/d', volumeName: 'aa' }, { containerPath: '/d/', volumeName: 'bb' }] })))
      .toMatch(/volumes\[1\]\.containerPath: "\/d\/" is already the mount point of volumes\[0\]/);
  });
});

describe('a refused construct claims nothing', () => {
  test('its name and host port stay free for the next construct', () => {
    const stack = newStack();
    expect(errorOf(() => new HardenedContainer(stack, 'bad', { image: PINNED_IMAGE, name: 'web', ports: [{ internal: 80, external: 8080 }], memoryMb: 1 })))
      .toMatch(/memoryMb: 1 is not valid/);
    expect(errorOf(() => new HardenedContainer(stack, 'good', { image: PINNED_IMAGE, name: 'web', ports: [{ internal: 80, external: 8080 }] }))).toBe('');
  });
});

describe('a label key that is a token', () => {
  test('it may be a suppression label: reported unknown at synth, suppressing nothing', () => {
    const { report } = checkedSynth((stack) => {
      const key = new TerraformVariable(stack, 'key', { type: 'string' });
      new HardenedContainer(stack, 'web', { image: PINNED_IMAGE, healthcheck: HEALTH, labels: { [key.stringValue]: 'vendor appliance needs it, SEC-42' } });
    });
    const f = report.findings.find((x: any) => x.ruleId === 'invalid-suppression');
    expect(f).toMatchObject({ status: 'unknown', suppressed: false });
    expect(f.message).toMatch(/label "\$\{var\.key\}": a label whose key is only known after apply may be a suppression label/);
  });

  test('in Terraform JSON too, and a literal key beside it is read as before', async () => {
    const dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'hd-labelkey-'));
    fs.writeFileSync(nodePath.join(dir, 'main.tf.json'), JSON.stringify({
      resource: {
        docker_container: {
          box: {
            name: 'box',
            image: 'x',
            privileged: true,
            labels: [
              { label: '${var.k}', value: 'vendor appliance needs it, SEC-42' },
              { label: 'hardened-docker.suppress.no-privileged', value: 'vendor appliance needs raw device access, SEC-42' },
            ],
          },
        },
      },
    }));
    let out = '';
    const code = await runCheck([dir], { format: 'json' }, { stdout: { write: (s: any) => { out += String(s); return true; } } as any, stderr: { write: () => true } as any, cwd: dir });
    const findings = JSON.parse(out).findings;
    expect(findings.find((x: any) => x.ruleId === 'invalid-suppression')).toMatchObject({ status: 'unknown', severity: 'warning' });
    expect(findings.find((x: any) => x.ruleId === 'no-privileged')).toMatchObject({ suppressed: true });
    expect(code).toBe(1); // the other rules of the hardened profile still fail on this bare container
  });
});
