import type {
  Service, ServiceConfig, ServiceTaskSpecContainerSpecMounts, ServiceTaskSpecContainerSpecPrivilegesSeLinuxContext,
} from '@cdktf/provider-docker/lib/service';
import { Fn, Op, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AppliedOptOut } from './core/opt-out-ledger';
import { numText, unresolved } from './core/prop-check';
import { serviceClass } from './core/provider-classes';
import { HardenedSettings } from './core/settings';
import { RestartPolicy } from './types';
import { OPTOUT_LABEL_PREFIX } from '../spec/labels';

const MIB = 1024 * 1024;

/** What the Swarm service needs beyond the hardened settings. */
export interface SwarmServiceParts {
  readonly name: string;
  readonly image: string;
  readonly replicas: number;
  readonly networks: { name: string; aliases?: string[] }[];
  readonly ports: { targetPort: number; publishedPort?: number; protocol: string }[];
  readonly dependsOn: ServiceConfig['dependsOn'];
}

/**
 * The hardened settings as a `docker_service` task spec: the Swarm mapping of what HardenedContainer writes to a
 * `docker_container`. What provider 3.6.2 cannot set on a service was refused by the core before this.
 */
export function swarmService(scope: Construct, id: string, s: HardenedSettings, applied: readonly AppliedOptOut[],
  parts: SwarmServiceParts): Service {
  const l = s.limits;
  const hc = s.healthcheck;
  const labels: { [k: string]: string } = { ...s.labels };
  for (const a of applied) if (a.name) labels[OPTOUT_LABEL_PREFIX + a.name] = a.reason;
  const mounts: ServiceTaskSpecContainerSpecMounts[] = [
    // No tmpfs_options at all: provider 3.6.2 reads size_bytes with a bad type assertion, and the Terraform SDK
    // fills every attribute of the block (size_bytes = 0 when only mode is given), so any tmpfs_options block
    // panics (issue #563, fixed after 3.6.2). The mount gets Docker's defaults: mode 1777, no size limit (tmpfs
    // pages count against the memory limit), noexec,nosuid,nodev.
    { type: 'tmpfs', target: '/tmp' },
    ...s.tmpfs.paths.map((w) => ({ type: 'tmpfs', target: w.path })),
    ...s.volumes.map((v) => (v.hostPath !== undefined
      ? { type: 'bind', source: v.hostPath, target: v.containerPath, readOnly: v.readOnly }
      : { type: 'volume', source: v.volumeName, target: v.containerPath, readOnly: v.readOnly })),
  ];
  const seLinuxContext = selinuxContext(s.security.selinuxLabels);
  return new (serviceClass())(scope, id, {
    name: parts.name,
    labels: [{ label: 'hardened-docker.service', value: parts.name }],
    mode: { replicated: { replicas: parts.replicas } },
    taskSpec: {
      containerSpec: {
        image: parts.image,
        command: s.entrypoint,
        args: s.command,
        env: s.env,
        dir: s.workingDir,
        user: s.user.value,
        readOnly: s.readOnlyRoot,
        capDrop: ['ALL'],
        capAdd: s.addCapabilities,
        mounts,
        privileges: seLinuxContext ? { seLinuxContext } : undefined,
        healthcheck: hc ? { test: hc.test, interval: hc.interval, timeout: hc.timeout, startPeriod: hc.startPeriod, retries: hc.retries } : undefined,
        labels: Object.keys(labels).length ? Object.entries(labels).sort().map(([label, value]) => ({ label, value })) : undefined,
        stopGracePeriod: '10s',
      },
      resources: {
        limits: {
          memoryBytes: unresolved(l.memoryMb) ? Token.asNumber(Op.mul(l.memoryMb, MIB)) : l.memoryMb * MIB,
          nanoCpus: unresolved(l.cpuLimit) ? Token.asNumber(Fn.floor(Token.asNumber(Op.mul(l.cpuLimit, 1e9)))) : Math.round(l.cpuLimit * 1e9),
        },
      },
      restartPolicy: l.restartPolicy === RestartPolicy.NO
        ? { condition: 'none' }
        : l.restartPolicy === RestartPolicy.ON_FAILURE
          ? { condition: 'on-failure', maxAttempts: l.maxRestartRetries, delay: '5s', window: '60s' }
          : { condition: 'any', delay: '5s' },
      logDriver: { name: 'json-file', options: { 'max-size': l.logMaxSize, 'max-file': numText(l.logMaxFiles) } },
      networksAdvanced: parts.networks,
    },
    endpointSpec: {
      mode: 'vip',
      ports: parts.ports.length ? parts.ports.map((p) => ({ ...p, publishMode: 'ingress' })) : undefined,
    },
    dependsOn: parts.dependsOn,
  });
}

/** SELinux label options (`type:container_t`, `disable`) as se_linux_context; undefined when none. */
function selinuxContext(labels: readonly string[]): ServiceTaskSpecContainerSpecPrivilegesSeLinuxContext | undefined {
  if (labels.length === 0) return undefined;
  type Context = ServiceTaskSpecContainerSpecPrivilegesSeLinuxContext;
  const out: { -readonly [K in keyof Context]: Context[K] } = {};
  for (const label of labels) {
    if (label === 'disable') {
      out.disable = true;
      continue;
    }
    const colon = label.indexOf(':');
    const key = label.slice(0, colon) as 'user' | 'role' | 'type' | 'level';
    out[key] = label.slice(colon + 1);
  }
  return out;
}
