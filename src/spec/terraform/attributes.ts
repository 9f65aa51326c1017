/**
 * What docker_container and docker_service bodies both have: suppression labels, labels, a healthcheck, mounts;
 * and the finishing of a spec with what its reader could not know.
 */
import { AdapterError, isExpression, Json, METADATA_KEY, NO_MARKS } from './common';
import { ItemReader } from './item-reader';
import { Reader } from './reader';
import { ContainerSpec, HealthcheckSpec, MountSpec, SpecSuppression, TmpfsSpec } from '../container-spec';
import { isBindOption } from '../docker-facts';
import { SUPPRESSION_LABEL_PREFIX } from '../labels';

/**
 * Suppressions that travel with the resource, nearest first: `hardened-docker.suppress.<rule-id>` labels of each
 * body in `labelled` (a service: its container spec, then the service), then the `//` metadata key cdktf-made
 * resources carry. Every one is kept as written, with its origin: the evaluator validates it (the one reason
 * validator, the profile's rule ids) and reports a refused one as a finding. A reason that is an expression, or
 * that a plan does not know, is marked unknown. A `//` entry of the wrong shape is an error, like any attribute.
 */
export function readSuppressions(r: Reader, body: Json, labelled: Json[]): SpecSuppression[] {
  const out: SpecSuppression[] = [];
  for (const b of labelled) {
    for (const item of r.blocks(b, 'labels', 'labels')) {
      const key = item.label;
      if (typeof key === 'string' && isExpression(key)) {
        // Known only after apply: it may name a suppression, which is judged only when known (a token key got past the prefix check).
        out.push({ ruleId: '', reason: '', origin: `label ${JSON.stringify(key)}`, keyUnknown: true });
        continue;
      }
      if (typeof key !== 'string' || !key.startsWith(SUPPRESSION_LABEL_PREFIX)) continue;
      const reason = r.str(item, 'value', 'labels', NO_MARKS);
      const origin = `label ${JSON.stringify(key)}`; // quoted: a key may hold control characters
      const ruleId = key.slice(SUPPRESSION_LABEL_PREFIX.length);
      if (reason === undefined) out.push({ ruleId, reason: typeof item.value === 'string' ? item.value : '', origin, reasonUnknown: true });
      else out.push({ ruleId, reason, origin });
    }
  }
  const meta = body?.['//']?.[METADATA_KEY];
  if (meta === undefined || meta === null) return out;
  const form = `{"${METADATA_KEY}": {"suppressions": [{"ruleId": "no-privileged", "reason": "..."}]}}`;
  if (typeof meta !== 'object' || Array.isArray(meta)) {
    throw new AdapterError(`${r.where}: "//".${METADATA_KEY} must be an object, got ${JSON.stringify(meta)}; valid form: "//": ${form}`);
  }
  const list = meta.suppressions;
  if (list === undefined) return out;
  if (!Array.isArray(list)) {
    throw new AdapterError(`${r.where}: "//".${METADATA_KEY}.suppressions must be a list of {"ruleId", "reason"}, got ${JSON.stringify(list)}; valid form: "//": ${form}`);
  }
  list.forEach((s: Json, i: number) => {
    const at = `"//".${METADATA_KEY}.suppressions[${i}]`;
    if (s === null || typeof s !== 'object' || typeof s.ruleId !== 'string' || typeof s.reason !== 'string') {
      throw new AdapterError(`${r.where}: ${at} must be {"ruleId": "<rule id>", "reason": "<text>"}, got ${JSON.stringify(s)}`);
    }
    // Terraform never evaluates a `//` key: an expression there is text nobody resolves, only known after apply.
    out.push({ ruleId: s.ruleId, reason: s.reason, origin: `${at} ("//" key)`, reasonUnknown: isExpression(s.reason) || undefined });
  });
  return out;
}

export function labelsFrom(r: Reader, body: Json, key: string): { [k: string]: string } | undefined {
  const blocks = r.blocks(body, key, 'labels');
  if (blocks.length === 0) return undefined;
  const out: { [k: string]: string } = {};
  for (const b of blocks) {
    const label = r.str(b, 'label', 'labels', NO_MARKS);
    const value = r.str(b, 'value', 'labels', NO_MARKS);
    if (label !== undefined && value !== undefined) out[label] = value;
  }
  return out;
}

export function healthcheckFrom(r: Reader, hc: Json): HealthcheckSpec | undefined {
  if (!hc) return undefined;
  const test = r.strList(hc, 'test', 'healthcheck', NO_MARKS);
  if (test === undefined) return undefined;
  return {
    test,
    interval: r.str(hc, 'interval', 'healthcheck', NO_MARKS),
    timeout: r.str(hc, 'timeout', 'healthcheck', NO_MARKS),
    startPeriod: r.str(hc, 'start_period', 'healthcheck', NO_MARKS),
    retries: r.num(hc, 'retries', 'healthcheck', NO_MARKS),
  };
}

export function mountsFrom(r: Reader, body: Json): { mounts: MountSpec[]; tmpfs: TmpfsSpec[] } {
  const mounts: MountSpec[] = [];
  const tmpfs: TmpfsSpec[] = [];
  const blocks = r.blocks(body, 'mounts', 'mounts');
  // A mount not listed (a dynamic block, an expression) may be a tmpfs: so may the tmpfs mounts have one more.
  if (r.unknown.hasWhole('mounts')) r.unknown.addLike('tmpfs', 'mounts');
  if (blocks.length === 0) return { mounts, tmpfs };
  const form = '{"type": "bind" | "volume" | "tmpfs", "target": "/path", "source": "...", "read_only": true}';
  const it = new ItemReader(r, 'mounts', 'mounts', form);
  const tit = new ItemReader(r, 'tmpfs', 'mounts', form);
  for (const m of blocks) {
    it.reset(m);
    const type = it.requiredStr('type', 'type');
    const target = it.requiredStr('target', 'target');
    const source = it.str('source', 'source');
    const readOnly = it.bool('read_only', 'readOnly');
    const bind = it.block('bind_options', ['propagation']);
    const propagation = bind ? it.str('propagation', 'propagation', bind) : undefined;
    const bound = type === 'volume' ? volumeBind(it) : undefined;
    if (bound !== undefined) {
      mounts.push({ type: 'bind', source: bound.device, target, readOnly, propagation, unknown: it.unknown });
      continue;
    }
    mounts.push({ type, source, target, readOnly, propagation, unknown: it.unknown });
    if (it.has('type')) {
      // Whether it is a tmpfs is not known before apply.
      r.unknown.addLike('tmpfs', 'mounts');
      continue;
    }
    if (type !== 'tmpfs') continue;
    tit.reset(m);
    if (it.has('target')) {
      tit.mark('path');
      r.unknown.addLike('tmpfs', 'mounts', true);
    }
    const opts = tit.block('tmpfs_options', ['optionsBlock', 'options']);
    const parts: string[] = [];
    const size = opts ? tit.num('size_bytes', 'options', opts) : undefined;
    const mode = opts ? tit.num('mode', 'options', opts) : undefined;
    if (size !== undefined) parts.push(`size=${size}`);
    if (mode !== undefined) parts.push(`mode=${mode.toString(8)}`);
    tmpfs.push({
      path: target,
      options: parts.length ? parts.join(',') : undefined,
      fromMount: true,
      optionsBlock: tit.has('optionsBlock') ? undefined : opts !== undefined,
      unknown: tit.unknown,
    });
  }
  return { mounts, tmpfs };
}

/**
 * What a `volume` mount binds when its volume is a bind in disguise: the `local` driver with `o = "bind"` among its
 * `driver_options` mounts its `device`, a host path, as `docker volume create --opt type=none --opt o=bind --opt
 * device=/srv/data` does. `{ device }` for such a volume; `{}` (the host path unknown, marked on the item's `source`)
 * when the options are not known before apply, since they may bind any path; undefined for any other volume.
 */
function volumeBind(it: ItemReader): { readonly device?: string } | undefined {
  const options = it.block('volume_options', ['bindDevice']);
  const driver = options ? it.str('driver_name', 'bindDevice', options) : undefined;
  // Another driver (a plugin) is not a bind of a host path.
  if (driver !== undefined && driver !== 'local') return undefined;
  let opts = options?.driver_options;
  if (Array.isArray(opts) && opts.length === 1) opts = opts[0];
  // An expression: marked unknown by reading it.
  if (typeof opts === 'string') it.str('driver_options', 'bindDevice', options);
  const known = opts !== null && typeof opts === 'object' && !Array.isArray(opts);
  const o = known ? it.str('o', 'bindDevice', opts) : undefined;
  const device = o !== undefined && isBindOption(o) ? it.str('device', 'bindDevice', opts) : undefined;
  if (it.has('bindDevice')) {
    // The volume's options are not known before apply: it may bind any host path.
    it.unknown = [...new Set(it.unknown!.map((a) => (a === 'bindDevice' ? 'source' : a)))];
    return {};
  }
  return device !== undefined ? { device } : undefined;
}

/** The spec with its suppressions and what its reader could not know (the unknown fields and their causes). */
export function withUnknownsAndSuppressions(spec: ContainerSpec, r: Reader, suppressions: SpecSuppression[]): ContainerSpec {
  // Every key of the literal stays, set or undefined: all specs of a kind share one shape, so the rules' reads are
  // fast. (Copying only the set keys made each spec a slow dictionary object past a dozen keys.)
  const out = spec as { -readonly [K in keyof ContainerSpec]: ContainerSpec[K] };
  if (suppressions.length) out.suppressions = suppressions;
  if (r.unknown.size) {
    out.unknown = r.unknown.sorted();
    out.listedInFull = r.unknown.listedInFull();
    out.unknownCauses = r.unknown.unknownValues();
  }
  return spec;
}
