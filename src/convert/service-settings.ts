/**
 * The settings of a compose service with the most syntax to them, as props: ports, mounts and tmpfs, resource
 * limits, the healthcheck. Each reads the service through a MappingContext (src/convert/service.ts) and writes
 * props, opt-out causes and notes back into it.
 */
import { arr, bool, Code, num, obj, Prop, ref, str } from './code';
import { literal, MappingContext, MiB } from './mapping';
import { bytesToMiB, durationSeconds, tmpfsSizeBytes } from './values';
import type { MapNode } from '../spec/compose/tree';
import type { MountSpec } from '../spec/container-spec';

export function mapPorts(ctx: MappingContext): void {
  const ports = ctx.spec.ports ?? [];
  if (!ports.length) return;
  const codes: Code[] = [];
  const values: unknown[] = [];
  for (const p of ports) {
    const hostIp = p.ip ?? '0.0.0.0';
    const value: { [k: string]: unknown } = { internal: p.internal };
    const props: Prop[] = [{ key: 'internal', value: num(p.internal) }];
    if (p.external !== undefined) {
      value.external = p.external;
      props.push({ key: 'external', value: num(p.external) });
    }
    value.hostIp = hostIp;
    props.push({ key: 'hostIp', value: str(hostIp) });
    if (p.publishMode !== undefined) ctx.note('ports', `${p.internal}: mode ${p.publishMode} (Swarm publishing) has no prop: left out`);
    const protocol = (p.protocol ?? 'tcp').toLowerCase();
    if (protocol !== 'tcp') {
      value.protocol = protocol;
      ctx.enums.add('Protocol');
      props.push({ key: 'protocol', value: ref(`Protocol.${protocol.toUpperCase()}`) });
    }
    if (p.ip === undefined) ctx.causes.set('allInterfaces', ctx.shown('ports', 'ports without a host IP bind every interface'));
    values.push(value);
    codes.push(obj(props));
  }
  ctx.set('ports', values, arr(codes));
}

export function mapMounts(ctx: MappingContext): void {
  const volumes: Code[] = [];
  const values: unknown[] = [];
  for (const m of ctx.spec.mounts ?? []) {
    const v = mapMount(ctx, m);
    if (v) {
      values.push(v.value);
      volumes.push(v.code);
    }
  }
  const writable: Code[] = [];
  const writableValues: unknown[] = [];
  for (const t of ctx.spec.tmpfs ?? []) {
    const value: { [k: string]: unknown } = { path: t.path };
    const props: Prop[] = [{ key: 'path', value: str(t.path) }];
    for (const opt of (t.options ?? '').split(',').map((o) => o.trim()).filter(Boolean)) {
      const [k, v] = opt.split('=');
      if (k === 'size' && v !== undefined && tmpfsSizeBytes(v) !== undefined) {
        value.sizeMb = Math.max(1, bytesToMiB(tmpfsSizeBytes(v)!));
        props.push({ key: 'sizeMb', value: num(value.sizeMb as number) });
      } else if (k === 'mode' && v !== undefined && /^[0-7]{3,4}$/.test(v)) {
        value.mode = parseInt(v, 8);
        props.push({ key: 'mode', value: ref(`0o${v.replace(/^0(?=\d{3})/, '')}`) });
      } else if (k === 'exec') {
        value.executable = true;
        props.push({ key: 'executable', value: bool(true) });
        ctx.causes.set('executableTmpfs', ctx.shown('tmpfs', `tmpfs ${t.path} with exec`));
      } else if (!['rw', 'noexec', 'nosuid', 'nodev'].includes(k)) {
        ctx.note(t.fromMount ? 'volumes' : 'tmpfs', `tmpfs ${t.path} option ${opt}: no prop for it: left out`);
      }
    }
    if (t.path.replace(/\/+$/, '') === '/tmp') {
      // /tmp always gets its tmpfs: its size is tmpfsSizeMb.
      if (value.sizeMb !== undefined) ctx.set('tmpfsSizeMb', value.sizeMb);
      continue;
    }
    writableValues.push(value);
    writable.push(obj(props));
  }
  if (writable.length) ctx.set('writablePaths', writableValues, arr(writable));
  if (volumes.length) ctx.set('volumes', values, arr(volumes));
}

function mapMount(ctx: MappingContext, m: MountSpec): { value: unknown; code: Code } | undefined {
  if (m.type === 'tmpfs') return undefined;
  const readOnly = m.readOnly === true;
  const tail: Prop[] = [{ key: 'readOnly', value: bool(readOnly) }];
  if (m.propagation !== undefined) ctx.note('volumes', `${m.target}: propagation ${m.propagation} has no prop: left out (private)`);
  if (m.type === 'bind') {
    if (m.source === undefined || !m.source.startsWith('/')) {
      ctx.note('volumes', `${m.source ?? '(no source)'}:${m.target}: the construct takes an absolute host path: left out`);
      return undefined;
    }
    return {
      value: { containerPath: m.target, hostPath: m.source, readOnly },
      code: obj([{ key: 'containerPath', value: str(m.target) }, { key: 'hostPath', value: ctx.resolve.hostPath(m.source) }, ...tail]),
    };
  }
  if (m.type !== 'volume') {
    ctx.note('volumes', `${m.target}: a ${m.type} mount has no prop: left out`);
    return undefined;
  }
  let vol: { code: Code; name: string };
  if (m.source === undefined) {
    vol = ctx.resolve.anonymousVolume(ctx.service.name, m.target);
    ctx.note('volumes', `${m.target}: the anonymous volume became the named volume ${vol.name}`);
  } else {
    vol = ctx.resolve.volume(m.source);
  }
  return {
    value: { containerPath: m.target, volumeName: vol.name, readOnly },
    code: obj([{ key: 'containerPath', value: str(m.target) }, { key: 'volumeName', value: vol.code }, ...tail]),
  };
}

export function mapLimits(ctx: MappingContext, unknown: Set<string>): void {
  const s = ctx.spec;
  let memoryMb: number | undefined;
  if (s.memoryBytes !== undefined && !unknown.has('memoryBytes')) {
    memoryMb = Math.max(6, bytesToMiB(s.memoryBytes));
    if (memoryMb !== s.memoryBytes / MiB) ctx.note(ctx.node.entries.has('mem_limit') ? 'mem_limit' : 'deploy', `${s.memoryBytes} bytes is ${memoryMb} MiB here (whole MiB, at least 6)`);
    ctx.set('memoryMb', memoryMb);
  }
  if (s.memorySwapBytes !== undefined && !unknown.has('memorySwapBytes')) {
    if (s.memorySwapBytes === -1) {
      ctx.switches.set('swap', ctx.shown('memswap_limit', 'memswap_limit: -1 (unlimited swap); the construct allows twice the memory'));
    } else if (memoryMb === undefined || s.memorySwapBytes > memoryMb * MiB) {
      const written = ctx.node.entries.get('memswap_limit');
      const text = written?.kind === 'scalar' ? String(written.value) : `${s.memorySwapBytes} bytes`;
      ctx.switches.set('swap', ctx.shown('memswap_limit', `memswap_limit: ${text}`));
      ctx.set('memorySwapMb', bytesToMiB(s.memorySwapBytes));
    }
  }
  if (s.nanoCpus !== undefined && !unknown.has('nanoCpus')) {
    // cpus: 0 is no limit in compose: the construct's default limit applies instead.
    if (s.nanoCpus > 0) ctx.set('cpuLimit', s.nanoCpus / 1e9);
    else ctx.note(ctx.node.entries.has('cpus') ? 'cpus' : 'deploy', 'cpus 0 (no limit): the profile\'s CPU limit applies');
  } else if (s.cpuQuota !== undefined && s.cpuQuota > 0 && !unknown.has('cpuQuota')) {
    ctx.set('cpuLimit', Math.round((s.cpuQuota / (s.cpuPeriod ?? 100000)) * 100) / 100);
  }
  if (s.cpuShares !== undefined && !unknown.has('cpuShares')) ctx.set('cpuShares', s.cpuShares);
  const nproc = s.ulimits?.find((u) => u.name === 'nproc');
  for (const u of s.ulimits ?? []) {
    if (u.name !== 'nofile' && u.name !== 'nproc') {
      ctx.note('ulimits', `${u.name}: no prop for it (the construct sets nofile and nproc): left out`);
    } else {
      if (u.soft !== u.hard) ctx.note('ulimits', `${u.name}: soft ${u.soft} and hard ${u.hard}: the construct sets both to ${u.soft}`);
      ctx.set(u.name === 'nofile' ? 'maxOpenFiles' : 'maxProcesses', u.soft);
    }
  }
  if (s.pidsLimit !== undefined && !unknown.has('pidsLimit') && nproc === undefined && s.pidsLimit > 0) {
    ctx.set('maxProcesses', s.pidsLimit);
    ctx.note(ctx.node.entries.has('pids_limit') ? 'pids_limit' : 'deploy', 'provider 3.6.2 cannot set a PIDs limit: the construct\'s nproc ulimit (maxProcesses) stands in');
  }
  const deploy = ctx.node.entries.get('deploy');
  if (deploy?.kind === 'map') deployLeftovers(ctx, deploy);
}

/** deploy's keys the mapping reads: replicas, resources.limits (cpus, memory, pids), restart_policy (condition, max_attempts). */
function deployLeftovers(ctx: MappingContext, deploy: MapNode): void {
  const read: { readonly [k: string]: readonly string[] | true } = {
    replicas: true, resources: ['limits'], restart_policy: ['condition', 'max_attempts'],
  };
  for (const [k, v] of deploy.entries) {
    const sub = read[k];
    if (sub === true) continue;
    if (sub === undefined || v.kind !== 'map') {
      ctx.note('deploy', `deploy.${k}: no prop for it: left out`, deploy.keyAt.get(k));
      continue;
    }
    for (const [k2, v2] of v.entries) {
      if (!sub.includes(k2)) {ctx.note('deploy', `deploy.${k}.${k2}: no prop for it: left out`, v.keyAt.get(k2));} else if (k === 'resources' && v2.kind === 'map') {
        for (const k3 of v2.entries.keys()) {
          if (!['cpus', 'memory', 'pids'].includes(k3)) ctx.note('deploy', `deploy.resources.limits.${k3}: no prop for it: left out`, v2.keyAt.get(k3));
        }
      }
    }
  }
}

export function mapHealthcheck(ctx: MappingContext): void {
  const h = ctx.spec.healthcheck;
  if (h === undefined) return;
  if (h.test[0] === 'NONE') {
    ctx.causes.set('noHealthcheck', ctx.shown('healthcheck', 'the healthcheck is disabled'));
    ctx.probe.noHealthcheck = true;
    return;
  }
  let command: string[];
  if (h.test[0] === 'CMD') {command = h.test.slice(1);} else if (h.test[0] === 'CMD-SHELL') {command = ['sh', '-c', h.test.slice(1).join(' ')];} else {
    ctx.note('healthcheck', 'no test: the image\'s healthcheck with new timings has no prop: left out');
    return;
  }
  const value: { [k: string]: unknown } = { command };
  const props: Prop[] = [{ key: 'command', value: literal(command) }];
  const seconds = (key: string, prop: string, text: string | undefined, min: number) => {
    if (text === undefined) return;
    const s = durationSeconds(text);
    if (s === undefined) return ctx.note('healthcheck', `${key}: ${text} is not a duration: left out`);
    const whole = Math.max(min, Math.ceil(s));
    if (whole !== s) ctx.note('healthcheck', `${key}: ${text} is ${whole} whole seconds here`);
    value[prop] = whole;
    props.push({ key: prop, value: num(whole) });
  };
  seconds('interval', 'intervalSeconds', h.interval, 1);
  seconds('timeout', 'timeoutSeconds', h.timeout, 1);
  if (h.retries !== undefined) {
    value.retries = h.retries;
    props.push({ key: 'retries', value: num(h.retries) });
  }
  seconds('start_period', 'startPeriodSeconds', h.startPeriod, 0);
  const hc = ctx.node.entries.get('healthcheck');
  if (hc?.kind === 'map') {
    for (const k of hc.entries.keys()) {
      if (!['test', 'interval', 'timeout', 'retries', 'start_period', 'disable'].includes(k)) ctx.note('healthcheck', `${k}: no prop for it: left out`, hc.keyAt.get(k));
    }
  }
  ctx.set('healthcheck', value, obj(props));
}
