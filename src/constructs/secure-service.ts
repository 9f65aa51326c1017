import { Image } from '@cdktf/provider-docker/lib/image';
import { Network } from '@cdktf/provider-docker/lib/network';
import { Service, ServiceTaskSpecContainerSpecMounts, ServiceTaskSpecNetworksAdvanced } from '@cdktf/provider-docker/lib/service';
import { dependable, Fn, Op, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { HardenedContainer, HardenedContainerProps, OPT_OUT_RULES, OPTOUT_LABEL_PREFIX } from './hardened-container';
import { HardeningOptOuts, NetworkAttachment, OptOut, Protocol, PublishedPort, RestartPolicy } from './types';
import { MIN_REASON_LENGTH, Suppressions } from '../checks/suppressions';
import { ContainerDefaults } from '../profiles/defaults';
import { ProfileScope } from '../profiles/scope';
import { builtinRule } from '../rules/catalog';

/** Where a SecureService runs. */
export enum ServiceMode {
  /** `replicas` hardened `docker_container`s with stable names, on one Docker host. */
  CONTAINERS = 'containers',
  /** One replicated `docker_service` on Docker Swarm (provider 3.6.2 cannot set every hardening there: see docs). */
  SWARM = 'swarm',
}

/** Opt-outs specific to SecureService (HardenedContainer's own opt-outs are in `optOuts`). */
export interface SecureServiceOptOuts {
  /**
   * Accept an image given by tag only (no `@sha256:` digest): the image behind the tag can change under you.
   * @default - an image without a digest is an error
   */
  readonly unpinnedImage?: OptOut;
  /**
   * Swarm mode only: acknowledge the hardening provider 3.6.2 cannot set on a `docker_service`
   * (no-new-privileges, seccomp, AppArmor, ulimits, PIDs limit, init, tmpfs sizes). The checks still report each
   * one; with this reason they are recorded as suppressed (acknowledged) instead of failing synth.
   * @default - the checks report them at their severity
   */
  readonly swarmLimits?: OptOut;
}

/**
 * Props of SecureService: every HardenedContainer prop (passed to each replica), plus the service's own.
 *
 * `name` is the service name (replicas are `<name>-1` .. `<name>-n`); `image` must carry a digest
 * (`registry/name@sha256:<64 hex>`), or give the digest in `imageDigest`; each `ports` entry's `external` is the
 * host port of replica 1 (replica i gets `external + i - 1`).
 */
export interface SecureServiceProps extends HardenedContainerProps {
  /**
   * The image digest (`sha256:<64 hex>`), when `image` is a name without one.
   * @default - the digest in `image` (`name@sha256:...`)
   */
  readonly imageDigest?: string;
  /**
   * Create a `docker_image` resource (with `keep_locally`) that pulls the pinned image before the service starts.
   * `false` uses the reference as an existing image (already on the engine, or pulled by the provider).
   * @default true
   */
  readonly pullImage?: boolean;
  /**
   * Number of replicas.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Containers on one host, or a Swarm service.
   * @default ServiceMode.CONTAINERS
   */
  readonly mode?: ServiceMode;
  /**
   * Let the service open connections beyond its networks (its private network is then not `internal`).
   * @default false - no egress
   */
  readonly allowEgress?: boolean;
  /**
   * SecureService opt-outs, each with a reason.
   * @default - none
   */
  readonly serviceOptOuts?: SecureServiceOptOuts;
}

/** A host port a replica publishes. */
export interface ServiceHostPort {
  /** Replica number (1-based); 0 for a Swarm service (the routing mesh serves every replica). */
  readonly replica: number;
  /** Port inside the container. */
  readonly containerPort: number;
  /**
   * Port on the host.
   * @default - a random host port
   */
  readonly hostPort?: number;
  /** Host interface (`0.0.0.0` for Swarm, which cannot bind one interface). */
  readonly hostIp: string;
  /** Protocol. */
  readonly protocol: Protocol;
}

/** The hardening settings provider 3.6.2 cannot set on a docker_service: rule ids whose findings a Swarm service keeps. */
export const SWARM_LIMIT_RULE_IDS: readonly string[] = [
  'no-new-privileges', 'pids-limit', 'ulimits-set', 'apparmor-profile', 'selinux-options',
];

/** The props Swarm mode maps (or validates and refuses itself); any other prop given is refused. */
const SWARM_MAPPED_PROPS = new Set([
  'image', 'name', 'command', 'entrypoint', 'env', 'workingDir', 'user', 'memoryMb', 'cpuLimit', 'writablePaths',
  'addCapabilities', 'ports', 'healthcheck', 'restartPolicy', 'maxRestartRetries', 'logMaxSize', 'logMaxFiles',
  'networks', 'volumes', 'labels', 'optOuts',
  'imageDigest', 'pullImage', 'replicas', 'mode', 'allowEgress', 'serviceOptOuts',
  // refused with a specific reason below
  'seccompProfileJson', 'appArmorProfile', 'maxProcesses', 'maxOpenFiles', 'init', 'memorySwapMb', 'tmpfsSizeMb',
]);

/** HardenedContainer opt-outs that mean nothing for a docker_service (what they would weaken cannot be set there). */
const SWARM_INAPPLICABLE_OPT_OUTS: readonly (keyof HardeningOptOuts)[] = [
  'unconfinedSeccomp', 'unconfinedAppArmor', 'allowPrivilegeEscalation', 'hostNetwork', 'swap', 'executableTmpfs',
];

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const UNPINNED_IMAGE_RULE = 'image-pinned-by-digest';
const SERVICE_NAME = /^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$/;
const MIB = 1024 * 1024;
const MAX_CONTAINER_REPLICAS = 100;
const MAX_SWARM_REPLICAS = 1000;

/** Per stack: host ports taken (`ip:port/proto` -> construct path) and pair networks (`a|b` -> network). */
const PORTS_BY_STACK = new WeakMap<TerraformStack, Map<string, string>>();
const LINKS_BY_STACK = new WeakMap<TerraformStack, Map<string, Network>>();

/**
 * A hardened, networked, replicated service: `replicas` HardenedContainers (or one Swarm `docker_service`) from an
 * image pinned by digest, on a private network of its own that is `internal` (no egress) by default.
 *
 * Services reach each other only through `allowFrom`: one shared internal network per pair. A service without
 * published ports is unreachable from the host; published ports bind the profile's host interface (127.0.0.1).
 */
export class SecureService extends Construct {
  /** The service name: containers are `<serviceName>-1` .. `-n`; the Swarm service has this name. */
  public readonly serviceName: string;
  /** Containers or Swarm. */
  public readonly mode: ServiceMode;
  /** Number of replicas. */
  public readonly replicas: number;
  /** The image reference every replica runs (`name@sha256:...`). */
  public readonly imageReference: string;
  /**
   * The `docker_image` resource that pulls the image.
   * @default - none when `pullImage` is false
   */
  public readonly image?: Image;
  /** The service's private network (internal unless `allowEgress`). */
  public readonly network: Network;
  /**
   * The network published ports go through when the private network is internal (Docker publishes no port of an
   * internal network): a bridge without IP masquerading, whose default binding is the host interface.
   * @default - none: no published ports, egress allowed, or Swarm mode
   */
  public readonly edgeNetwork?: Network;
  /** The replicas (containers mode; empty in Swarm mode). */
  public readonly containers: HardenedContainer[];
  /**
   * The Swarm service.
   * @default - none in containers mode
   */
  public readonly service?: Service;
  /** Host ports published, one entry per replica and port (one per port in Swarm mode). */
  public readonly publishedPorts: ServiceHostPort[];

  private readonly attachments: NetworkAttachment[] = [];
  private readonly userNetworks: NetworkAttachment[];
  private readonly stack: TerraformStack;

  public constructor(scope: Construct, id: string, props: SecureServiceProps) {
    super(scope, id);
    this.stack = TerraformStack.of(this);
    const defaults = ProfileScope.nearest(this).defaults;
    this.mode = props.mode ?? ServiceMode.CONTAINERS;
    this.serviceName = this.validateName(props.name ?? defaultName(id));
    this.replicas = this.validateReplicas(props.replicas);
    this.imageReference = this.resolveImage(props);
    this.userNetworks = [...(props.networks ?? [])];
    if (props.serviceOptOuts?.swarmLimits && this.mode !== ServiceMode.SWARM) {
      this.fail('serviceOptOuts.swarmLimits', props.serviceOptOuts.swarmLimits.reason, 'remove it: it applies only to ServiceMode.SWARM');
    }
    if (props.networkMode !== undefined) {
      this.fail('networkMode', props.networkMode, 'leave it unset: a SecureService attaches its replicas to its own networks (use `networks` for more, `allowFrom` to connect services)');
    }

    if (props.pullImage !== false) {
      this.image = new Image(this, 'Image', { name: this.imageReference, keepLocally: true });
    }

    const swarm = this.mode === ServiceMode.SWARM;
    const internal = props.allowEgress !== true;
    this.network = new Network(this, 'Network', {
      name: `${this.serviceName}-net`,
      driver: swarm ? 'overlay' : 'bridge',
      internal,
      attachable: swarm ? true : undefined,
      labels: [{ label: 'hardened-docker.service', value: this.serviceName }],
    });
    this.attachments.push({ name: `${this.serviceName}-net`, aliases: [this.serviceName] });

    this.publishedPorts = this.planPorts(props, defaults);
    if (!swarm && internal && this.publishedPorts.length > 0) {
      const ips = [...new Set(this.publishedPorts.map((p) => p.hostIp))];
      const options: { [k: string]: string } = { 'com.docker.network.bridge.enable_ip_masquerade': 'false' };
      if (ips.length === 1 && /^\d+\.\d+\.\d+\.\d+$/.test(ips[0])) options['com.docker.network.bridge.host_binding_ipv4'] = ips[0];
      this.edgeNetwork = new Network(this, 'EdgeNetwork', {
        name: `${this.serviceName}-edge`,
        driver: 'bridge',
        internal: false,
        options,
        labels: [{ label: 'hardened-docker.service', value: this.serviceName }],
      });
      this.attachments.push({ name: `${this.serviceName}-edge` });
    }

    this.containers = [];
    if (swarm) {
      this.service = this.buildService(props, defaults);
    } else {
      // One token per dependency, shared by every replica (each token creation captures a stack trace).
      const deps = this.dependencies();
      for (let i = 1; i <= this.replicas; i++) {
        const c = new HardenedContainer(this, `Replica${i}`, {
          ...stripServiceProps(props),
          image: this.imageReference,
          name: `${this.serviceName}-${i}`,
          ports: this.publishedPorts.filter((p) => p.replica === i).map((p) => ({
            internal: p.containerPort, external: p.hostPort, hostIp: p.hostIp, protocol: p.protocol,
          })),
          networks: [...this.attachments, ...this.userNetworks],
        });
        c.container.dependsOn = [...(c.container.dependsOn ?? []), ...deps];
        this.containers.push(c);
      }
    }
  }

  /**
   * Let `other` reach this service: both join one internal network shared by the pair (created once per pair,
   * whichever side asks), on which each replica answers to its service name. Nothing else joins it.
   *
   * Docker networks connect whole containers: `port` documents the port `other` uses (validated), it cannot
   * restrict the others. The network is symmetric: this service can reach `other` too.
   *
   * @param other the service that needs to reach this one (same stack, same mode)
   * @param port the port of this service `other` connects to
   * @returns the shared network
   */
  public allowFrom(other: SecureService, port?: number): Network {
    if (other === this) this.fail('allowFrom', other.node.path, 'another SecureService: a service always reaches itself on its own network');
    if (!(other instanceof SecureService)) this.fail('allowFrom', String(other), 'a SecureService');
    if (other.stack !== this.stack) {
      this.fail('allowFrom', other.node.path, `a SecureService in the same stack (${this.stack.node.path}): Terraform cannot share a network across stacks here`);
    }
    if (other.mode !== this.mode) {
      this.fail('allowFrom', `${other.node.path} (mode ${other.mode})`, `a service of the same mode (${this.mode}): a Swarm overlay and a bridge network cannot be shared`);
    }
    if (port !== undefined && !Token.isUnresolved(port) && !isPort(port)) {
      this.fail('allowFrom port', port, 'an integer from 1 to 65535');
    }
    const links = PORTS_OR_LINKS(LINKS_BY_STACK, this.stack);
    const [a, b] = [this.serviceName, other.serviceName].sort();
    const key = `${a}|${b}`;
    const existing = links.get(key);
    if (existing) return existing;
    const name = `${a}--${b}`;
    const net = new Network(this, `Link-${other.serviceName}`, {
      name,
      driver: this.mode === ServiceMode.SWARM ? 'overlay' : 'bridge',
      internal: true,
      attachable: this.mode === ServiceMode.SWARM ? true : undefined,
      labels: [{ label: 'hardened-docker.link', value: `${a},${b}` }],
    });
    links.set(key, net);
    this.attach({ name, aliases: [this.serviceName] }, net);
    other.attach({ name, aliases: [other.serviceName] }, net);
    return net;
  }

  /** Adds a network to every replica (or to the Swarm task spec). */
  private attach(attachment: NetworkAttachment, net: Network): void {
    this.attachments.push(attachment);
    const all = [...this.attachments, ...this.userNetworks];
    const dep = dependable(net);
    for (const c of this.containers) {
      c.container.putNetworksAdvanced(all.map((n) => ({ name: n.name, aliases: n.aliases })));
      c.container.dependsOn = [...(c.container.dependsOn ?? []), dep];
    }
    if (this.service) {
      this.service.taskSpec.putNetworksAdvanced(all.map(toServiceNetwork));
      this.service.dependsOn = [...(this.service.dependsOn ?? []), dep];
    }
  }

  private dependencies(): string[] {
    return [this.network, this.edgeNetwork, this.image].filter((x): x is Network | Image => x !== undefined).map((x) => dependable(x));
  }

  private buildService(props: SecureServiceProps, d: ContainerDefaults): Service {
    const cannot = (prop: string, value: unknown) => {
      if (value !== undefined) {
        this.fail(prop, value, 'leave it unset in Swarm mode: provider kreuzwerker/docker 3.6.2 cannot set it on a docker_service (ServiceMode.CONTAINERS can)');
      }
    };
    // Every prop must be mapped or refused: a prop added to HardenedContainer later is refused here until mapped.
    for (const [key, value] of Object.entries(props)) {
      if (value !== undefined && !SWARM_MAPPED_PROPS.has(key)) cannot(key, value);
    }
    cannot('seccompProfileJson', props.seccompProfileJson);
    cannot('appArmorProfile', props.appArmorProfile);
    cannot('maxProcesses', props.maxProcesses);
    cannot('maxOpenFiles', props.maxOpenFiles);
    cannot('init', props.init);
    cannot('memorySwapMb', props.memorySwapMb);
    cannot('tmpfsSizeMb (tmpfs_options.size_bytes panics provider 3.6.x, issue #563)', props.tmpfsSizeMb);
    (props.writablePaths ?? []).forEach((w, i) => {
      cannot(`writablePaths[${i}].sizeMb (tmpfs_options.size_bytes panics provider 3.6.x, issue #563)`, w.sizeMb);
      cannot(`writablePaths[${i}].executable (a service tmpfs cannot carry mount options)`, w.executable);
      cannot(`writablePaths[${i}].mode (any tmpfs_options block panics provider 3.6.x, issue #563)`, w.mode);
      if (!Token.isUnresolved(w.path) && (typeof w.path !== 'string' || !w.path.startsWith('/') || w.path === '/' || w.path.split('/').includes('..'))) {
        this.fail(`writablePaths[${i}].path`, w.path, 'an absolute path inside the container, not "/", without ".."');
      }
    });
    const opt: HardeningOptOuts = props.optOuts ?? {};
    const used = new Set<keyof HardeningOptOuts>();
    for (const [key, value] of Object.entries(opt)) {
      if (value === undefined) continue;
      const name = key as keyof HardeningOptOuts;
      if (!(name in OPT_OUT_RULES)) this.fail(`optOuts.${key}`, key, `one of ${Object.keys(OPT_OUT_RULES).join(', ')}`);
      if (SWARM_INAPPLICABLE_OPT_OUTS.includes(name)) {
        this.fail(`optOuts.${key}`, key, 'remove it: it does not apply to a docker_service (for what provider 3.6.2 cannot set on services, use serviceOptOuts.swarmLimits)');
      }
      checkReason(this, `optOuts.${key}.reason`, (value as OptOut).reason);
    }
    const need = (name: keyof HardeningOptOuts, prop: string, value: unknown, valid: string) => {
      used.add(name);
      if (!opt[name]) this.fail(prop, value, `${valid}; if the service really needs it, add \`optOuts: { ${name}: { reason: '<why, 10+ characters>' } }\``);
    };

    const user = props.user ?? d.user!;
    if (!Token.isUnresolved(user)) {
      const m = /^(\d+)(?::(\d+))?$/.exec(user);
      if (!m) this.fail('user', user, 'a numeric UID[:GID] such as "10001:10001"');
      if (Number(m[1]) === 0) need('runAsRoot', 'user', user, 'a non-root UID such as "10001:10001"');
    } else if (opt.runAsRoot) {
      used.add('runAsRoot');
    }
    const caps = (props.addCapabilities ?? []).map((c) => String(c).toUpperCase().replace(/^CAP_/, ''));
    const allowed = (d.allowedCapabilities ?? []).map((c) => c.toUpperCase());
    const dangerous = caps.filter((c) => c === 'ALL' || !allowed.includes(c));
    if (dangerous.length) need('dangerousCapabilities', 'addCapabilities', dangerous.join(', '), `capabilities of the profile's allow-list (${allowed.join(', ')})`);

    const policy = props.restartPolicy ?? RestartPolicy.ON_FAILURE;
    const retries = props.maxRestartRetries ?? d.maxRestartRetries!;
    if (!Token.isUnresolved(retries) && (!Number.isInteger(retries) || retries < 1 || retries > 5)) {
      this.fail('maxRestartRetries', retries, 'an integer from 1 to 5 in Swarm mode (CIS 5.15; Swarm reads max_attempts 0 as unlimited)');
    }
    if (policy === RestartPolicy.ALWAYS || policy === RestartPolicy.UNLESS_STOPPED) {
      need('unlimitedRestarts', 'restartPolicy', policy, 'RestartPolicy.ON_FAILURE with at most 5 attempts (CIS 5.15)');
    }
    const hc = props.healthcheck;
    if (hc === undefined && opt.noHealthcheck) used.add('noHealthcheck');
    if (hc !== undefined && opt.noHealthcheck) this.fail('optOuts.noHealthcheck', opt.noHealthcheck.reason, 'remove the opt-out, or the healthcheck');
    if (hc !== undefined && !Token.isUnresolved(hc.command) && (!Array.isArray(hc.command) || hc.command.length === 0 || ['CMD', 'CMD-SHELL', 'NONE'].includes(hc.command[0]))) {
      this.fail('healthcheck.command', hc.command, 'a non-empty exec-form command without "CMD" (it is added), e.g. ["wget", "-q", "-O-", "http://127.0.0.1:8080/"]');
    }
    const logMaxSize = props.logMaxSize ?? d.logMaxSize!;
    const logMaxFiles = props.logMaxFiles ?? d.logMaxFiles!;
    if (!Token.isUnresolved(logMaxSize) && !/^[1-9]\d*[kmg]$/.test(logMaxSize)) this.fail('logMaxSize', logMaxSize, 'a size like "10m": digits then k, m or g');
    if (!Token.isUnresolved(logMaxFiles) && !(Number.isInteger(logMaxFiles) && logMaxFiles >= 1 && logMaxFiles <= 1000)) this.fail('logMaxFiles', logMaxFiles, 'an integer from 1 to 1000');
    const memoryMb = props.memoryMb ?? d.memoryMb!;
    const cpuLimit = props.cpuLimit ?? d.cpuLimit!;
    if (!Token.isUnresolved(memoryMb) && !(Number.isInteger(memoryMb) && memoryMb >= 6)) this.fail('memoryMb', memoryMb, 'an integer number of MiB, at least 6');
    if (!Token.isUnresolved(cpuLimit) && !(cpuLimit >= 0.01 && cpuLimit <= 256)) this.fail('cpuLimit', cpuLimit, 'a number of CPUs from 0.01 to 256 (0.5 = half a CPU)');
    if (this.publishedPorts.length) used.add('allInterfaces');
    for (const p of this.publishedPorts) {
      if (p.hostPort !== undefined && !Token.isUnresolved(p.hostPort) && p.hostPort < 1025) need('privilegedPorts', 'ports[].external', p.hostPort, 'a published port from 1025 to 65535');
    }

    const mounts: ServiceTaskSpecContainerSpecMounts[] = [
      // No tmpfs_options at all: provider 3.6.2 reads size_bytes with a bad type assertion, and the Terraform SDK
      // fills every attribute of the block (size_bytes = 0 when only mode is given), so any tmpfs_options block
      // panics (issue #563, fixed after 3.6.2). The mount gets Docker's defaults: mode 1777, no size limit (tmpfs
      // pages count against the memory limit), noexec,nosuid,nodev.
      { type: 'tmpfs', target: '/tmp' },
      ...(props.writablePaths ?? []).filter((w) => w.path !== '/tmp').map((w) => ({ type: 'tmpfs', target: w.path })),
      ...(props.volumes ?? []).map((v, i) => {
        if ((v.volumeName === undefined) === (v.hostPath === undefined)) this.fail(`volumes[${i}]`, v, 'exactly one of volumeName and hostPath');
        const readOnly = v.readOnly ?? true;
        if (v.hostPath !== undefined && !Token.isUnresolved(v.hostPath)) {
          if (v.hostPath.includes('docker.sock')) need('dockerSocket', `volumes[${i}].hostPath`, v.hostPath, 'no Docker socket in a service');
          const hp = v.hostPath.replace(/\/+$/, '') || '/';
          const sensitive = hp === '/' || ['/boot', '/dev', '/etc', '/lib', '/proc', '/sys', '/usr'].some((x) => hp === x || hp.startsWith(x + '/'));
          if (sensitive && readOnly !== true) need('sensitiveHostMounts', `volumes[${i}].hostPath`, v.hostPath, 'a read-only mount of a sensitive host directory');
        }
        return v.hostPath !== undefined
          ? { type: 'bind', source: v.hostPath, target: v.containerPath, readOnly }
          : { type: 'volume', source: v.volumeName, target: v.containerPath, readOnly };
      }),
    ];
    for (const [key, value] of Object.entries(opt)) {
      const name = key as keyof HardeningOptOuts;
      if (value === undefined || OPT_OUT_RULES[name].kind !== 'permission' || used.has(name)) continue;
      this.fail(`optOuts.${key}`, (value as OptOut).reason, 'remove it (nothing in the props needs it, and an unneeded opt-out would hide a later change)');
    }

    const labels: { [k: string]: string } = { ...(props.labels ?? {}) };
    for (const k of Object.keys(labels)) {
      if (k.startsWith('hardened-docker.')) this.fail('labels', k, 'a key outside the reserved "hardened-docker." prefix');
    }
    for (const [key, value] of Object.entries(opt)) if (value) labels[OPTOUT_LABEL_PREFIX + key] = (value as OptOut).reason.trim();

    const service = new Service(this, 'Service', {
      name: this.serviceName,
      labels: [{ label: 'hardened-docker.service', value: this.serviceName }],
      mode: { replicated: { replicas: this.replicas } },
      taskSpec: {
        containerSpec: {
          image: this.imageReference,
          command: props.entrypoint,
          args: props.command,
          env: props.env,
          dir: props.workingDir,
          user,
          readOnly: opt.writableRootFilesystem ? false : true,
          capDrop: ['ALL'],
          capAdd: caps.length ? caps : undefined,
          mounts,
          healthcheck: hc ? {
            test: Token.isUnresolved(hc.command) ? hc.command : ['CMD', ...hc.command],
            interval: `${hc.intervalSeconds ?? 30}s`,
            timeout: `${hc.timeoutSeconds ?? 5}s`,
            startPeriod: `${hc.startPeriodSeconds ?? 0}s`,
            retries: hc.retries ?? 3,
          } : undefined,
          labels: Object.keys(labels).length ? Object.entries(labels).sort().map(([label, value]) => ({ label, value })) : undefined,
          stopGracePeriod: '10s',
        },
        resources: {
          limits: {
            memoryBytes: Token.isUnresolved(memoryMb) ? Token.asNumber(Op.mul(memoryMb, MIB)) : memoryMb * MIB,
            nanoCpus: Token.isUnresolved(cpuLimit) ? Token.asNumber(Fn.floor(Token.asNumber(Op.mul(cpuLimit, 1e9)))) : Math.round(cpuLimit * 1e9),
          },
        },
        restartPolicy: policy === RestartPolicy.NO
          ? { condition: 'none' }
          : policy === RestartPolicy.ON_FAILURE
            ? { condition: 'on-failure', maxAttempts: retries, delay: '5s', window: '60s' }
            : { condition: 'any', delay: '5s' },
        logDriver: { name: 'json-file', options: { 'max-size': logMaxSize, 'max-file': Token.isUnresolved(logMaxFiles) ? Token.asString(logMaxFiles) : String(logMaxFiles) } },
        networksAdvanced: [...this.attachments, ...this.userNetworks].map(toServiceNetwork),
      },
      endpointSpec: {
        mode: 'vip',
        ports: this.publishedPorts.length ? this.publishedPorts.map((p) => ({
          targetPort: p.containerPort, publishedPort: p.hostPort, protocol: p.protocol, publishMode: 'ingress',
        })) : undefined,
      },
      dependsOn: [this.network, ...(this.image ? [this.image] : [])],
    });

    for (const [key, value] of Object.entries(opt)) {
      if (!value) continue;
      for (const ruleId of OPT_OUT_RULES[key as keyof HardeningOptOuts].rules) {
        if (builtinRule(ruleId)) Suppressions.add(this, ruleId, (value as OptOut).reason.trim());
      }
    }
    const ack = props.serviceOptOuts?.swarmLimits;
    if (ack) {
      checkReason(this, 'serviceOptOuts.swarmLimits.reason', ack.reason);
      for (const ruleId of SWARM_LIMIT_RULE_IDS) {
        if (builtinRule(ruleId)) Suppressions.add(this, ruleId, `provider kreuzwerker/docker 3.6.2 cannot set this on docker_service; acknowledged: ${ack.reason.trim()}`);
      }
    }
    return service;
  }

  private planPorts(props: SecureServiceProps, d: ContainerDefaults): ServiceHostPort[] {
    const ports: PublishedPort[] = props.ports ?? [];
    const swarm = this.mode === ServiceMode.SWARM;
    if (swarm && ports.length && !props.optOuts?.allInterfaces) {
      this.fail('ports', ports.map((p) => p.internal).join(', '), 'no published ports in Swarm mode (Swarm publishes on every host interface and cannot bind 127.0.0.1), or optOuts.allInterfaces with a reason');
    }
    const out: ServiceHostPort[] = [];
    const taken = PORTS_OR_LINKS(PORTS_BY_STACK, this.stack);
    const own = new Set<string>();
    for (const p of ports) {
      const protocol = p.protocol ?? Protocol.TCP;
      if (!Token.isUnresolved(p.internal) && !isPort(p.internal)) this.fail('ports[].internal', p.internal, 'an integer from 1 to 65535');
      if (!Object.values(Protocol).includes(protocol)) this.fail('ports[].protocol', protocol, Object.values(Protocol).join(', '));
      if (swarm && p.hostIp !== undefined) this.fail('ports[].hostIp', p.hostIp, 'unset in Swarm mode: Swarm cannot bind a published port to one interface');
      const hostIp = swarm ? '0.0.0.0' : (p.hostIp ?? d.hostIp!);
      if (!Token.isUnresolved(hostIp) && !isIp(hostIp)) this.fail('ports[].hostIp', hostIp, 'an IPv4 or IPv6 address such as 127.0.0.1');
      const perReplica = swarm ? 1 : this.replicas;
      if (p.external !== undefined && !Token.isUnresolved(p.external)) {
        const last = p.external + perReplica - 1;
        if (!isPort(p.external) || last > 65535) {
          this.fail('ports[].external', p.external, `an integer from 1 to ${65536 - perReplica}: replica i publishes external + i - 1, so ${perReplica} replicas need ${p.external}..${last}`);
        }
      }
      for (let i = 0; i < perReplica; i++) {
        const hostPort = p.external === undefined ? undefined : Token.isUnresolved(p.external) ? p.external : p.external + i;
        if (hostPort !== undefined && !Token.isUnresolved(hostPort)) {
          const key = `${hostIp}:${hostPort}/${protocol}`;
          if (own.has(key)) this.fail('ports', key, 'each host port once: two ports of this service publish the same host port (mind external + i - 1 per replica)');
          const other = taken.get(key);
          if (other && other !== this.node.path) this.fail('ports', key, `a host port no other service of the stack publishes (${other} does)`);
          own.add(key);
        }
        out.push({ replica: swarm ? 0 : i + 1, containerPort: p.internal, hostPort, hostIp, protocol });
      }
    }
    for (const k of own) taken.set(k, this.node.path);
    return out;
  }

  private resolveImage(props: SecureServiceProps): string {
    const image = props.image;
    const digest = props.imageDigest;
    if (typeof image !== 'string' || image === '') this.fail('image', image, 'an image reference `registry/name@sha256:<64 hex>`');
    if (Token.isUnresolved(image) || (digest !== undefined && Token.isUnresolved(digest))) {
      // Left to the synth-time checks, which report it as unknown.
      return digest !== undefined ? `${image}@${digest}` : image;
    }
    const at = image.indexOf('@');
    if (at >= 0) {
      const inline = image.slice(at + 1);
      if (!DIGEST.test(inline)) this.fail('image', image, 'name@sha256:<64 lowercase hex> (the digest is malformed)');
      if (props.serviceOptOuts?.unpinnedImage) this.fail('serviceOptOuts.unpinnedImage', props.serviceOptOuts.unpinnedImage.reason, 'remove it: the image is pinned');
      if (digest !== undefined) this.fail('imageDigest', digest, `unset: image "${image}" already carries a digest`);
      return image;
    }
    if (digest !== undefined) {
      if (!DIGEST.test(digest)) this.fail('imageDigest', digest, 'sha256:<64 lowercase hex>');
      if (props.serviceOptOuts?.unpinnedImage) this.fail('serviceOptOuts.unpinnedImage', props.serviceOptOuts.unpinnedImage.reason, 'remove it: the image is pinned');
      return `${image}@${digest}`;
    }
    if (!props.serviceOptOuts?.unpinnedImage) {
      this.fail('image', image, 'name@sha256:<64 hex> (or name + imageDigest): a tag can be moved to another image. To accept it, set serviceOptOuts.unpinnedImage with a reason');
    }
    const reason = props.serviceOptOuts.unpinnedImage.reason;
    checkReason(this, 'serviceOptOuts.unpinnedImage.reason', reason);
    if (builtinRule(UNPINNED_IMAGE_RULE)) Suppressions.add(this, UNPINNED_IMAGE_RULE, reason.trim());
    return image;
  }

  private validateName(name: string): string {
    if (Token.isUnresolved(name)) this.fail('name', name, 'a literal service name (it names containers and networks at synth)');
    if (!SERVICE_NAME.test(name)) this.fail('name', name, 'lower-case letters, digits and dashes, 1-50 characters, starting and ending with a letter or digit (a DNS label)');
    return name;
  }

  private validateReplicas(replicas: number | undefined): number {
    const n = replicas ?? 1;
    const max = this.mode === ServiceMode.SWARM ? MAX_SWARM_REPLICAS : MAX_CONTAINER_REPLICAS;
    if (Token.isUnresolved(n)) this.fail('replicas', n, 'a number known at synth (each replica is a resource with its own name and host port)');
    if (!Number.isInteger(n) || n < 1 || n > max) this.fail('replicas', n, `an integer from 1 to ${max}`);
    return n;
  }

  private fail(prop: string, value: unknown, valid: string): never {
    throw new Error(`[${this.node.path}] SecureService: invalid ${prop} ${value === undefined ? '(not set)' : JSON.stringify(value)}. Valid: ${valid}.`);
  }
}

function PORTS_OR_LINKS<V>(map: WeakMap<TerraformStack, Map<string, V>>, stack: TerraformStack): Map<string, V> {
  let m = map.get(stack);
  if (!m) {
    m = new Map();
    map.set(stack, m);
  }
  return m;
}

/** HardenedContainer props without SecureService's own. */
function stripServiceProps(props: SecureServiceProps): HardenedContainerProps {
  const { imageDigest, pullImage, replicas, mode, allowEgress, serviceOptOuts, ...rest } = props;
  void imageDigest; void pullImage; void replicas; void mode; void allowEgress; void serviceOptOuts;
  return rest;
}

function toServiceNetwork(n: NetworkAttachment): ServiceTaskSpecNetworksAdvanced {
  return { name: n.name, aliases: n.aliases };
}

function defaultName(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50).replace(/-+$/, '');
}

function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

function isIp(s: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) return s.split('.').every((o) => Number(o) <= 255);
  return /^[0-9a-fA-F:]+$/.test(s) && s.includes(':');
}

function checkReason(scope: Construct, prop: string, reason: unknown): void {
  if (typeof reason !== 'string' || reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(`[${scope.node.path}] SecureService: invalid ${prop} ${JSON.stringify(reason)}. Valid: a reason of at least ${MIN_REASON_LENGTH} characters saying why this is acceptable here.`);
  }
}
