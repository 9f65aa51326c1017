import { Annotations } from 'cdktf';
import { Construct } from 'constructs';
import { HardeningContext, HardeningTarget, refuseInSwarm } from './context';
import { healthSettings, HealthSettings } from './health';
import { IMAGE_REFERENCE_FORM, imageReferenceProblem } from './image-reference';
import { LimitProps, limitSettings, LimitSettings } from './limits';
import { MountProps, TmpfsSettings, tmpfsSettings, VolumeSettings, volumeSettings } from './mounts';
import { OptOutLedger, OptOutName } from './opt-out-ledger';
import { PropCheck, unresolved } from './prop-check';
import { addedCapabilities, SecurityProps, SecuritySettings, securitySettings, userSettings, UserSettings } from './security';
import { ContainerDefaults } from '../../profiles/defaults';
import { normalizeAbsolutePath } from '../../spec/docker-facts';
import { Capability } from '../capability';
import { HardeningOptOuts, HealthCheck } from '../types';

/** The props the core reads (HardenedContainerProps without what only one target has: ports, networks, name). */
export interface CoreProps extends SecurityProps, MountProps, LimitProps {
  readonly image: string;
  readonly command?: string[];
  readonly entrypoint?: string[];
  readonly env?: { [key: string]: string };
  readonly workingDir?: string;
  readonly user?: string;
  readonly addCapabilities?: Capability[];
  readonly healthcheck?: HealthCheck;
  readonly init?: boolean;
  readonly labels?: { [key: string]: string };
  readonly optOuts?: HardeningOptOuts;
}

/** One validated, neutral value of every hardening setting: what both targets map. */
export interface HardenedSettings {
  readonly image: string;
  readonly command?: string[];
  readonly entrypoint?: string[];
  readonly env?: { [key: string]: string };
  readonly workingDir?: string;
  readonly user: UserSettings;
  readonly readOnlyRoot: boolean;
  /** Capabilities added after dropping ALL (undefined: none). */
  readonly addCapabilities?: string[];
  readonly security: SecuritySettings;
  readonly tmpfs: TmpfsSettings;
  readonly volumes: VolumeSettings[];
  readonly limits: LimitSettings;
  readonly healthcheck?: HealthSettings;
  /** Container only. */
  readonly init: boolean;
  /**
   * Container only (`cgroupns_mode`): a docker_service of provider 3.6.2 has no cgroup namespace setting. Always
   * written, because Docker's default on a cgroup v1 host is the host's namespace.
   */
  readonly cgroupNamespace: 'private' | 'host';
  /** The user's labels, validated (reserved prefix refused). */
  readonly labels: { [key: string]: string };
}

/** Opt-outs that mean nothing on a docker_service: what they would weaken cannot be set there. */
export const SWARM_INAPPLICABLE_OPT_OUTS: readonly OptOutName[] = [
  'unconfinedSeccomp', 'unconfinedAppArmor', 'allowPrivilegeEscalation', 'hostNetwork', 'swap', 'executableTmpfs',
  'unconfinedSystemPaths', 'hostCgroupNamespace',
];

/** Why an opt-out does not apply to a docker_service. */
function swarmInapplicableWhy(name: OptOutName): string {
  if (name === 'hostCgroupNamespace') {
    return 'it does not apply to a docker_service: provider 3.6.2 has no cgroup namespace setting for services (nor has Swarm), so each task '
      + 'takes its node\'s daemon default ("default-cgroupns-mode" in daemon.json; the host\'s on a cgroup v1 node); no-host-cgroupns '
      + 'reports that on every Swarm service, and serviceOptOuts.swarmLimits acknowledges it';
  }
  return 'it does not apply to a docker_service (for what provider 3.6.2 cannot set on services, use serviceOptOuts.swarmLimits)';
}

/** A new hardening context for a construct: its checker, its opt-out ledger (validated), its profile defaults. */
export function hardeningContext(scope: Construct, constructName: string, target: HardeningTarget,
  optOuts: HardeningOptOuts | undefined, defaults: ContainerDefaults): HardeningContext {
  const check = new PropCheck(scope.node.path, constructName);
  const ledger = target === 'swarm'
    ? new OptOutLedger(check, optOuts, SWARM_INAPPLICABLE_OPT_OUTS, swarmInapplicableWhy)
    : new OptOutLedger(check, optOuts);
  return { check, optOuts: ledger, defaults: defaults as Required<ContainerDefaults>, target };
}

/** Validates every prop the core reads and returns the settings. Ports, networks and names are the caller's. */
export function hardenedSettings(ctx: HardeningContext, scope: Construct, p: CoreProps): HardenedSettings {
  const { check } = ctx;
  if (p.image === undefined || p.image === null || (!unresolved(p.image) && (typeof p.image !== 'string' || p.image.trim() === ''))) {
    check.fail('image', p.image, 'give an image reference such as "nginx:1.27" or "registry/app@sha256:<digest>"');
  }
  if (!unresolved(p.image)) {
    const problem = imageReferenceProblem(p.image);
    if (problem !== undefined) check.fail('image', p.image, IMAGE_REFERENCE_FORM, `is not an image reference: it ${problem}`);
  }
  refuseInSwarm(ctx, 'init', p.init);
  const user = userSettings(ctx, p.user);
  const tmpfs = tmpfsSettings(ctx, p);
  const addCapabilities = addedCapabilities(ctx, p.addCapabilities);
  const security = securitySettings(ctx, p);
  const limits = limitSettings(ctx, p);
  const healthcheck = healthSettings(ctx, p.healthcheck);
  const volumes = volumeSettings(ctx, p);
  checkMountPointsOnce(ctx, tmpfs, volumes);
  const init = check.bool('init', p.init, true);
  commandList(ctx, 'command', p.command);
  commandList(ctx, 'entrypoint', p.entrypoint);
  if (p.workingDir !== undefined) check.absolutePath('workingDir', p.workingDir, true);
  return {
    image: p.image,
    command: p.command,
    entrypoint: p.entrypoint,
    env: env(ctx, p.env),
    workingDir: p.workingDir,
    user,
    readOnlyRoot: !ctx.optOuts.has('writableRootFilesystem'),
    addCapabilities,
    security,
    tmpfs,
    volumes,
    limits,
    healthcheck,
    init,
    cgroupNamespace: ctx.optOuts.has('hostCgroupNamespace') ? 'host' : 'private',
    labels: userLabels(ctx, scope, p.labels),
  };
}

/** Docker refuses two mounts at one path at create ("Duplicate mount point"): refused here, before apply. */
function checkMountPointsOnce(ctx: HardeningContext, tmpfs: TmpfsSettings, volumes: readonly VolumeSettings[]): void {
  const taken = new Map<string, string>([['/tmp', 'the /tmp tmpfs']]);
  tmpfs.paths.forEach((w, i) => taken.set(w.path, `writablePaths[${i}]`));
  volumes.forEach((v, i) => {
    if (unresolved(v.containerPath)) return;
    const path = normalizeAbsolutePath(v.containerPath)!;
    const other = taken.get(path);
    if (other !== undefined) {
      ctx.check.fail(`volumes[${i}].containerPath`, v.containerPath, 'a path no other mount of the container uses', `is already the mount point of ${other}`);
    }
    taken.set(path, `volumes[${i}]`);
  });
}

function commandList(ctx: HardeningContext, prop: string, v: string[] | undefined): void {
  if (v === undefined || unresolved(v)) return;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) ctx.check.fail(prop, v, 'a list of strings (exec form), e.g. ["httpd", "-f", "-p", "8080"]');
}

function env(ctx: HardeningContext, e: { [key: string]: string } | undefined): { [key: string]: string } | undefined {
  if (e === undefined) return undefined;
  if (unresolved(e) || e === null || typeof e !== 'object' || Array.isArray(e)) ctx.check.fail('env', e, 'an object of NAME: value strings');
  for (const [k, v] of Object.entries(e)) {
    if (k === '' || /[=\0]/.test(k)) ctx.check.fail('env', k, 'variable names without "=" or NUL', 'is not a valid variable name');
    if (typeof v !== 'string') ctx.check.fail(`env.${k}`, v, 'a string (a token is fine)');
  }
  return e;
}

/** The reserved prefix: opt-outs, suppressions and the settings digest record themselves under it. */
export const RESERVED_LABEL_PREFIX = 'hardened-docker.';

function userLabels(ctx: HardeningContext, scope: Construct, labels: { [key: string]: string } | undefined): { [key: string]: string } {
  const user = labels ?? {};
  if (unresolved(user) || user === null || typeof user !== 'object' || Array.isArray(user)) ctx.check.fail('labels', user, 'an object of key: value strings');
  for (const [k, v] of Object.entries(user)) {
    if (k.startsWith(RESERVED_LABEL_PREFIX)) {
      ctx.check.fail('labels', k, `a key outside the reserved "${RESERVED_LABEL_PREFIX}" prefix (opt-outs record themselves)`, 'uses a reserved prefix');
    }
    if (k === '') ctx.check.fail('labels', k, 'a non-empty key');
    if (unresolved(k)) {
      // Known only at apply: it may resolve into the reserved prefix (a suppression label) and cannot be checked here.
      Annotations.of(scope).addWarning(`labels: a key that is a token is known only at apply; if it resolves to "${RESERVED_LABEL_PREFIX}..." it forges an opt-out or suppression label. Use a literal key.`);
    }
    if (typeof v !== 'string') ctx.check.fail(`labels.${k}`, v, 'a string');
  }
  return user;
}
