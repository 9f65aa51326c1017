import { PROVIDER_TRAPS } from '../../src/rules/provider-versions';
import { ResourceKind, SpecSource } from '../../src/spec/container-spec';
import { canExpress, capabilitiesOf, LimitedSetting, SOURCE_CAPABILITIES } from '../../src/spec/source-capabilities';

const TERRAFORM = [SpecSource.TERRAFORM_JSON, SpecSource.TERRAFORM_HCL, SpecSource.TERRAFORM_PLAN];
const KINDS = [ResourceKind.CONTAINER, ResourceKind.SERVICE];

/** A trap the provider has on every release (no version range): a gap of Terraform as a source, whatever the line. */
function everyRelease(trapId: string): boolean {
  const trap = PROVIDER_TRAPS.find((t) => t.id === trapId);
  expect(trap).toBeDefined();
  return trap!.affected.from === undefined && trap!.affected.below === undefined;
}

describe('the source capability table', () => {
  test('the Terraform formats share one row, applied by the provider; compose and the engine are not', () => {
    for (const s of TERRAFORM) {
      expect(SOURCE_CAPABILITIES[s]).toBe(SOURCE_CAPABILITIES[SpecSource.TERRAFORM_JSON]);
      expect(SOURCE_CAPABILITIES[s].appliedByProvider).toBe(true);
    }
    expect(SOURCE_CAPABILITIES[SpecSource.COMPOSE].appliedByProvider).toBe(false);
    expect(SOURCE_CAPABILITIES[SpecSource.ENGINE].appliedByProvider).toBe(false);
    expect(Object.values(SOURCE_CAPABILITIES).filter((c) => c.live)).toEqual([SOURCE_CAPABILITIES[SpecSource.ENGINE]]);
  });

  test.each<[string, LimitedSetting, ResourceKind[]]>([
    ['no-pids-limit', 'pidsLimit', KINDS],
    ['no-uts-mode', 'utsMode', [ResourceKind.CONTAINER]],
    ['service-privileges-limited', 'apparmor', [ResourceKind.SERVICE]],
    ['service-privileges-limited', 'noNewPrivileges', [ResourceKind.SERVICE]],
    ['service-no-cgroupns', 'cgroupnsMode', [ResourceKind.SERVICE]],
  ])('Terraform lacks what the provider trap %s says no release has: %s', (trap, setting, kinds) => {
    expect(everyRelease(trap)).toBe(true);
    for (const kind of kinds) expect(canExpress({ source: SpecSource.TERRAFORM_HCL, kind }, setting)).toBe(false);
  });

  test('compose and a live engine express every setting the table lists, for both kinds', () => {
    const settings: LimitedSetting[] = ['pidsLimit', 'utsMode', 'apparmor', 'noNewPrivileges', 'ulimits', 'securityOpts'];
    for (const source of [SpecSource.COMPOSE, SpecSource.ENGINE]) {
      for (const kind of KINDS) for (const s of settings) expect(canExpress({ source, kind }, s)).toBe(true);
    }
  });

  test('a cgroup namespace mode: every container source has one; a Swarm service has none, from Terraform or live', () => {
    for (const source of [...TERRAFORM, SpecSource.COMPOSE, SpecSource.ENGINE]) expect(canExpress({ source, kind: ResourceKind.CONTAINER }, 'cgroupnsMode')).toBe(true);
    for (const source of [...TERRAFORM, SpecSource.ENGINE]) expect(canExpress({ source, kind: ResourceKind.SERVICE }, 'cgroupnsMode')).toBe(false);
  });

  test('each source names the settings it can express in its own syntax', () => {
    expect(capabilitiesOf({ source: SpecSource.COMPOSE }).settingNames.pidsLimit).toBe('pids_limit');
    expect(capabilitiesOf({ source: SpecSource.ENGINE }).settingNames.pidsLimit).toBe('PidsLimit');
    expect(capabilitiesOf({ source: SpecSource.TERRAFORM_JSON }).settingNames.pidsLimit).toBeUndefined();
  });
});
