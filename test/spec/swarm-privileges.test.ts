/**
 * A Swarm service's privileges beyond SELinux (Engine API 1.44+: Seccomp, AppArmor, NoNewPrivileges) are read as the
 * security options a container carries, so a service with seccomp unconfined is flagged as a container would be.
 */
import { builtinRule } from '../../src/rules/catalog';
import { RuleStatus } from '../../src/rules/rule';
import { specFromServiceInspect } from '../../src/spec/engine-adapter';

const service = (privileges: object) => specFromServiceInspect({
  ID: 's', Spec: { Name: 'svc', TaskTemplate: { ContainerSpec: { Image: 'nginx', Privileges: privileges } } },
});
const check = (id: string, privileges: object) => builtinRule(id)!.check(service(privileges));

describe('Swarm privileges', () => {
  test('Seccomp.Mode unconfined fails no-unconfined-seccomp; default passes', () => {
    expect(check('no-unconfined-seccomp', { Seccomp: { Mode: 'unconfined' } })).toMatchObject({ status: RuleStatus.FAIL, message: expect.stringMatching(/seccomp=unconfined/) });
    expect(check('no-unconfined-seccomp', { Seccomp: { Mode: 'default' } }).status).toBe(RuleStatus.PASS);
  });

  test('a custom profile that allows everything fails; one that denies by default passes', () => {
    const b64 = (p: object) => Buffer.from(JSON.stringify(p)).toString('base64');
    expect(check('no-unconfined-seccomp', { Seccomp: { Mode: 'custom', Profile: b64({ defaultAction: 'SCMP_ACT_ALLOW' }) } }).status).toBe(RuleStatus.FAIL);
    expect(check('no-unconfined-seccomp', { Seccomp: { Mode: 'custom', Profile: b64({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }] }) } }).status).toBe(RuleStatus.PASS);
  });

  test('AppArmor.Mode disabled fails apparmor-profile as apparmor=unconfined', () => {
    expect(check('apparmor-profile', { AppArmor: { Mode: 'disabled' } })).toMatchObject({ status: RuleStatus.FAIL, message: expect.stringMatching(/apparmor=unconfined/) });
  });

  test('NoNewPrivileges is read, beside an SELinux level holding every category', () => {
    const spec = service({ NoNewPrivileges: true, SELinuxContext: { Level: 's0:c0.c1023' } });
    expect(spec.securityOpts).toEqual(['label=level:s0:c0.c1023', 'no-new-privileges:true']);
    expect(builtinRule('no-new-privileges')!.check(spec).status).toBe(RuleStatus.PASS);
    expect(builtinRule('selinux-confinement-not-disabled')!.check(spec).status).toBe(RuleStatus.FAIL);
  });
});
