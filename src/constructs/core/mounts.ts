import { HardeningContext, refuseInSwarm } from './context';
import { unresolved } from './prop-check';
import { isAtOrBelow, normalizeAbsolutePath, SENSITIVE_HOST_PATHS, SYSTEM_DIRS, systemDirCoveredBy } from '../../spec/docker-facts';
import { VolumeMount, WritablePath } from '../types';

/** Where the Docker socket lives on a host: a bind of it, or of a directory above it, hands over the engine. */
const DOCKER_SOCKET_PATHS = ['/var/run/docker.sock', '/run/docker.sock'];
const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const SYSTEM_DIR_FORM = 'a directory of its own (e.g. "/etc/app", not "/etc")';

/** A tmpfs at a path (normalized, or a token), writable. */
export interface WritablePathSettings {
  readonly path: string;
  /** MiB (the profile's tmpfs size unless given). */
  readonly sizeMb: number;
  readonly mode?: number;
  readonly executable: boolean;
}

/** `/tmp` (always) and the writable paths, each a tmpfs. */
export interface TmpfsSettings {
  readonly tmpSizeMb: number;
  readonly paths: readonly WritablePathSettings[];
}

export interface MountProps {
  readonly tmpfsSizeMb?: number;
  readonly writablePaths?: WritablePath[];
  readonly volumes?: VolumeMount[];
}

/** The writable paths: absolute, normalized, once each, not over a system directory without the opt-out. */
export function tmpfsSettings(ctx: HardeningContext, p: MountProps): TmpfsSettings {
  const { check, optOuts } = ctx;
  refuseInSwarm(ctx, 'tmpfsSizeMb', p.tmpfsSizeMb, 'leave it unset in Swarm mode: tmpfs_options.size_bytes panics provider 3.6.x (issue #563)');
  const size = p.tmpfsSizeMb ?? ctx.defaults.tmpfsSizeMb;
  check.int('tmpfsSizeMb', size, 1, Number.MAX_SAFE_INTEGER, 'an integer number of MiB, at least 1');
  const seen = new Set<string>(['/tmp']);
  const paths = check.list('writablePaths', p.writablePaths, 'a list of { path, sizeMb?, mode?, executable? }').map((w, i) => {
    const prop = `writablePaths[${i}]`;
    if (w === null || typeof w !== 'object') check.fail(prop, w, '{ path, sizeMb?, mode?, executable? }');
    refuseInSwarm(ctx, `${prop}.sizeMb`, w.sizeMb, 'leave it unset in Swarm mode: tmpfs_options.size_bytes panics provider 3.6.x (issue #563)');
    refuseInSwarm(ctx, `${prop}.mode`, w.mode, 'leave it unset in Swarm mode: any tmpfs_options block panics provider 3.6.x (issue #563)');
    refuseInSwarm(ctx, `${prop}.executable`, w.executable, 'leave it unset in Swarm mode: a service tmpfs cannot carry mount options');
    check.absolutePath(`${prop}.path`, w.path, false);
    let path = w.path;
    if (unresolved(path)) {
      // Where the tmpfs goes is known only at apply: the synth-time checks report the path unknown.
      optOuts.mayNeed('mountOverSystemDirs');
    } else {
      path = normalizeAbsolutePath(path)!;
      if (seen.has(path)) check.fail(`${prop}.path`, w.path, 'each path once (/tmp is always writable)', 'is given twice');
      seen.add(path);
      const covered = systemDirCoveredBy(path);
      if (covered !== undefined) {
        optOuts.demand('mountOverSystemDirs', `${prop}.path`, w.path,
          `${SYSTEM_DIR_FORM}: a writable tmpfs at ${path} ${covered === path ? 'replaces' : `hides ${covered}, and replaces`} what the image has there (system directories: ${SYSTEM_DIRS.join(' ')})`);
      }
    }
    check.int(`${prop}.sizeMb`, w.sizeMb, 1, Number.MAX_SAFE_INTEGER, 'an integer number of MiB, at least 1');
    check.int(`${prop}.mode`, w.mode, 0, 0o7777, 'mode bits as a number from 0 to 0o7777, e.g. 0o1777');
    const executable = check.bool(`${prop}.executable`, w.executable, false);
    if (executable === true) optOuts.demand('executableTmpfs', `${prop}.executable`, true, 'noexec writable paths (run code from the read-only image)');
    else if (executable !== false) optOuts.mayNeed('executableTmpfs');
    return { path, sizeMb: w.sizeMb ?? size, mode: w.mode, executable };
  });
  return { tmpSizeMb: size, paths };
}

/** A named volume or a bind mount, validated. */
export interface VolumeSettings {
  readonly containerPath: string;
  readonly volumeName?: string;
  readonly hostPath?: string;
  readonly readOnly: boolean;
}

/** Volumes and binds: read-only by default; sensitive host paths, the Docker socket and system directories need opt-outs. */
export function volumeSettings(ctx: HardeningContext, p: MountProps): VolumeSettings[] {
  const { check, optOuts } = ctx;
  return check.list('volumes', p.volumes, 'a list of { containerPath, volumeName | hostPath, readOnly? }').map((v, i) => {
    const prop = `volumes[${i}]`;
    if (v === null || typeof v !== 'object') check.fail(prop, v, '{ containerPath, volumeName | hostPath, readOnly? }');
    check.absolutePath(`${prop}.containerPath`, v.containerPath, false);
    if ((v.volumeName === undefined) === (v.hostPath === undefined)) check.fail(prop, v, 'exactly one of volumeName and hostPath');
    const readOnly = check.bool(`${prop}.readOnly`, v.readOnly, true);
    if (unresolved(v.containerPath)) {
      if (readOnly !== true) optOuts.mayNeed('mountOverSystemDirs');
    } else if (readOnly !== true && systemDirCoveredBy(normalizeAbsolutePath(v.containerPath)!) !== undefined) {
      if (unresolved(readOnly)) optOuts.mayNeed('mountOverSystemDirs');
      else optOuts.demand('mountOverSystemDirs', `${prop}.containerPath`, v.containerPath, `${SYSTEM_DIR_FORM}, or readOnly: true`);
    }
    if (v.volumeName !== undefined && !unresolved(v.volumeName) && (typeof v.volumeName !== 'string' || !NAME_PATTERN.test(v.volumeName))) {
      check.fail(`${prop}.volumeName`, v.volumeName, 'a volume name [a-zA-Z0-9][a-zA-Z0-9_.-]+');
    }
    if (v.hostPath !== undefined) hostPathNeeds(ctx, prop, v.hostPath, readOnly);
    const out: { -readonly [K in keyof VolumeSettings]: VolumeSettings[K] } = { containerPath: v.containerPath, readOnly };
    if (v.volumeName !== undefined) out.volumeName = v.volumeName;
    if (v.hostPath !== undefined) out.hostPath = v.hostPath;
    return out;
  });
}

function hostPathNeeds(ctx: HardeningContext, prop: string, hostPath: string, readOnly: boolean): void {
  const { check, optOuts } = ctx;
  if (unresolved(hostPath)) {
    optOuts.mayNeed('dockerSocket');
    optOuts.mayNeed('sensitiveHostMounts');
    return;
  }
  check.absolutePath(`${prop}.hostPath`, hostPath, true);
  const hp = normalizeAbsolutePath(hostPath)!;
  if (hp.includes('docker.sock') || DOCKER_SOCKET_PATHS.some((s) => hp !== '/' && isAtOrBelow(s, hp))) {
    optOuts.demand('dockerSocket', `${prop}.hostPath`, hostPath, 'no Docker socket in a container (it gives full control of the engine, root on the host), read-only or not, nor a directory holding it');
  }
  if (SENSITIVE_HOST_PATHS.some((d) => isAtOrBelow(hp, d))) {
    if (unresolved(readOnly)) {
      optOuts.mayNeed('sensitiveHostMounts');
    } else {
      optOuts.demand('sensitiveHostMounts', `${prop}.hostPath`, hostPath,
        `a host path outside ${SENSITIVE_HOST_PATHS.join(', ')} (a sensitive host directory discloses the host even read-only; copy the one file needed into the image)`,
        [readOnly ? 'no-sensitive-host-mounts-read-only' : 'no-sensitive-host-mounts']);
    }
  }
}
