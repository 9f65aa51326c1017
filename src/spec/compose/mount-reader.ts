/**
 * The mounts of one compose service: `volumes:` in its short and long syntax (a named volume that binds a host
 * directory read as that bind), and `tmpfs:`. A long-syntax mount keeps its known attributes, with the others
 * unknown on the item alone.
 */
import * as path from 'path';
import { UNKNOWN_MARK } from './interpolate';
import { ServiceSettingReader } from './setting-reader';
import { MapNode, positioned, ScalarNode, TreeNode } from './tree';
import { MountSpec, TmpfsSpec, UnknownCause } from '../container-spec';
import { isBindOption } from '../docker-facts';

export class ServiceMountReader extends ServiceSettingReader {
  protected volumes(): { mounts?: MountSpec[]; tmpfs: TmpfsSpec[] } {
    const node = this.at('mounts', ['volumes']);
    const tmpfs: TmpfsSpec[] = [];
    if (node === undefined) return { tmpfs };
    if (this.unknownAsWhole('mounts', node)) {
      // What it lists may be tmpfs mounts too.
      this.markUnknown('tmpfs', false, UnknownCause.VARIABLE, node.kind === 'scalar' ? node.unknownVariables : []);
      return { tmpfs };
    }
    if (node.kind !== 'seq') throw positioned(node, `${this.where(['volumes'])}: expected a list`);
    const mounts: MountSpec[] = [];
    for (const item of node.items) {
      if (item.kind === 'map') {
        mounts.push(this.volumeLong(item, tmpfs));
        continue;
      }
      if (item.kind !== 'scalar' || item.value === null) throw positioned(item, `${this.where(['volumes'])}: expected "SOURCE:TARGET[:MODE]" or { type, source, target }`);
      const partly = this.volumeShortUnknownSource(item);
      if (partly) {
        mounts.push(partly);
        continue;
      }
      const t = this.text('mounts', item);
      if (t === undefined) {
        this.markUnknown('tmpfs', false, UnknownCause.VARIABLE, item.unknownVariables);
        continue;
      }
      mounts.push(this.volumeShort(t, item.at.file));
    }
    // A tmpfs written as a volume (or a volume not known, which may be one) is located at volumes: when tmpfs: is not.
    if ((tmpfs.length || this.unknown.has('mounts')) && !this.positions.has('tmpfs')) this.positions.set('tmpfs', this.positions.get('mounts')!);
    return { mounts, tmpfs };
  }

  /**
   * `{ type, source, target, read_only, bind: { propagation }, tmpfs: { size, mode } }`. An attribute that needs a
   * variable without a value is unknown on the item alone (`${DATA}/x` as a source still leaves a literal
   * `propagation: rshared` judged); a mount whose type is unknown may be a tmpfs too. A tmpfs mount is also added
   * to `tmpfs`.
   */
  private volumeLong(item: MapNode, tmpfs: TmpfsSpec[]): MountSpec {
    const unknown: string[] = [];
    const get = (keys: string[], attribute: string, into = unknown): string | undefined => {
      let n: TreeNode | undefined = item;
      for (const k of keys) n = n?.kind === 'map' ? n.entries.get(k) : undefined;
      if (n === undefined || (n.kind === 'scalar' && n.value === null)) return undefined;
      if (n.kind !== 'scalar') throw positioned(n, `${this.where(['volumes', ...keys])}: expected a scalar`);
      if (n.unknownVariables?.length) {
        this.markUnknown(into === unknown ? 'mounts' : 'tmpfs', true, UnknownCause.VARIABLE, n.unknownVariables);
        into.push(attribute);
        return undefined;
      }
      return String(n.value);
    };
    const type = get(['type'], 'type');
    const source = get(['source'], 'source');
    const target = get(['target'], 'target');
    const readOnly = get(['read_only'], 'readOnly');
    const propagation = get(['bind', 'propagation'], 'propagation');
    if (target === undefined && !unknown.includes('target')) {
      throw positioned(item, `${this.where(['volumes'])}: a mount needs target: (the path in the container)`);
    }
    const bound = (type ?? 'volume') === 'volume' && !unknown.includes('type') && source !== undefined ? this.boundVolume(source) : undefined;
    if (bound?.device === undefined && bound !== undefined) unknown.push('source');
    const homeBound = type === 'bind' && source !== undefined && this.leavesHome(source);
    if (homeBound) unknown.push('source');
    const mount: MountSpec = {
      type: bound ? 'bind' : type ?? (unknown.includes('type') ? '' : 'volume'),
      source: bound ? bound.device : homeBound ? undefined : type === 'bind' && source !== undefined ? this.hostPath(source, item.at.file) : source,
      target: target ?? '',
      readOnly: readOnly === undefined ? undefined : readOnly.toLowerCase() === 'true',
      propagation,
      ...(unknown.length ? { unknown } : {}),
    };
    // A mount whose type or target is not known may be a tmpfs (or a tmpfs at an unknown path): tmpfs may miss an item.
    if (unknown.includes('type') || (type === 'tmpfs' && unknown.includes('target'))) {
      this.markUnknown('tmpfs');
    } else if (type === 'tmpfs') {
      const options: string[] = [];
      const size = get(['tmpfs', 'size'], 'options', options);
      const mode = get(['tmpfs', 'mode'], 'options', options);
      const parts = [size !== undefined ? `size=${size}` : undefined, mode !== undefined ? `mode=${mode}` : undefined].filter((p) => p !== undefined);
      if (options.length) {
        tmpfs.push({ path: target!, options: undefined, fromMount: true, unknown: ['options'] });
      } else {
        tmpfs.push({ path: target!, options: parts.length ? parts.join(',') : undefined, fromMount: true });
      }
    }
    return mount;
  }

  /**
   * A short-syntax mount whose source alone needs a variable without a value (`${DATA}:/data:ro`): the item with
   * its source unknown, its target and mode read. A source with a `/` in its known text is a host path (a volume
   * name has none); otherwise it may be a volume name or a path, and the type is unknown too. Undefined when the
   * item is known, or when its target or mode needs the variable (then the whole item is unknown).
   */
  private volumeShortUnknownSource(item: ScalarNode): MountSpec | undefined {
    if (!item.unknownVariables?.length || item.marked === undefined) return undefined;
    const parts = item.marked.split(':');
    if (parts.length < 2 || parts.length > 3 || parts.slice(1).some((p) => p.includes(UNKNOWN_MARK))) return undefined;
    const [source, target, mode] = parts;
    const modes = (mode ?? '').split(',').map((m) => m.trim()).filter((m) => m !== '');
    this.markUnknown('mounts', true, UnknownCause.VARIABLE, item.unknownVariables);
    const isPath = /^[./~]/.test(source) || source.includes('/');
    return {
      type: isPath ? 'bind' : '',
      source: undefined,
      target,
      readOnly: modes.includes('ro') ? true : undefined,
      propagation: modes.find((m) => PROPAGATIONS.includes(m)),
      unknown: isPath ? ['source'] : ['type', 'source'],
    };
  }

  /** `SOURCE:TARGET[:MODE]` or `TARGET` (an anonymous volume). */
  private volumeShort(text: string, file: string): MountSpec {
    const parts = text.split(':');
    if (parts.length === 1) return { type: 'volume', target: parts[0] };
    const [source, target, mode] = parts;
    const modes = (mode ?? '').split(',').map((m) => m.trim()).filter((m) => m !== '');
    const isPath = /^[./~]/.test(source);
    const bound = isPath ? undefined : this.boundVolume(source);
    if ((bound && bound.device === undefined) || (isPath && this.leavesHome(source))) {
      return {
        type: 'bind',
        source: undefined,
        target,
        readOnly: modes.includes('ro') ? true : undefined,
        propagation: modes.find((m) => PROPAGATIONS.includes(m)),
        unknown: ['source'],
      };
    }
    return {
      type: isPath || bound ? 'bind' : 'volume',
      source: bound ? bound.device : isPath ? this.hostPath(source, file) : source,
      target,
      readOnly: modes.includes('ro') ? true : undefined,
      propagation: modes.find((m) => PROPAGATIONS.includes(m)),
    };
  }

  /**
   * A named volume that binds a host directory: the `local` driver with `o: bind` (among its options) and a
   * `device`, as `docker volume create --opt type=none --opt o=bind --opt device=/srv/data` makes one. Its device;
   * `device` undefined when it needs a variable without a value (the mount is marked unknown by the caller).
   * Undefined for any other volume.
   */
  private boundVolume(name: string): { readonly device?: string } | undefined {
    const def = this.service.volumes?.get(name);
    if (def?.kind !== 'map') return undefined;
    const driver = def.entries.get('driver');
    if (driver?.kind === 'scalar' && driver.value !== null && String(driver.value) !== 'local') return undefined;
    const opts = def.entries.get('driver_opts');
    if (opts?.kind !== 'map') return undefined;
    const o = opts.entries.get('o');
    const device = opts.entries.get('device');
    if (o?.kind !== 'scalar' || device?.kind !== 'scalar' || device.value === null) return undefined;
    if (!o.unknownVariables?.length && !isBindOption(String(o.value))) return undefined;
    // Options or a device that need a variable without a value: maybe a bind, of a host path not known.
    if (o.unknownVariables?.length || device.unknownVariables?.length) {
      this.markUnknown('mounts', true, UnknownCause.VARIABLE, [...o.unknownVariables ?? [], ...device.unknownVariables ?? []]);
      return {};
    }
    return { device: this.hostPath(String(device.value), device.at.file) };
  }

  /**
   * True for a `~` path that climbs out of the home directory (`~/../../etc`): compose puts the home directory of
   * whoever runs it in place of `~` and cleans the path, so where it lands (`/etc` from `/root` or `/home/ci`, not
   * from a deeper home) depends on that directory, which the files do not say. The mount's source is then unknown.
   */
  private leavesHome(source: string): boolean {
    if (!source.startsWith('~')) return false;
    const home = '/home-of-whoever-runs-compose';
    const landed = path.posix.join(home, source.slice(1));
    if (landed === home || landed.startsWith(`${home}/`)) return false;
    this.markUnknown('mounts', true, UnknownCause.OTHER);
    return true;
  }

  /** A bind's host path: a relative path resolves against the directory of the file it was written in. */
  private hostPath(source: string, file: string): string {
    if (source.startsWith('~') || path.isAbsolute(source)) return source;
    return path.resolve(this.service.fileDirs.get(file) ?? this.service.projectDir, source);
  }

  protected tmpfs(): TmpfsSpec[] {
    const list = this.strings('tmpfs', ['tmpfs']) ?? [];
    return list.map((t) => {
      const colon = t.indexOf(':');
      return colon < 0 ? { path: t } : { path: t.slice(0, colon), options: t.slice(colon + 1) };
    });
  }
}

const PROPAGATIONS = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'];
