import type { Image } from '@cdktf/provider-docker/lib/image';
import type { Network } from '@cdktf/provider-docker/lib/network';
import type { Service } from '@cdktf/provider-docker/lib/service';
import { dependable, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { HardeningContext } from './core/context';
import { IMAGE_REFERENCE_FORM, imageReferenceProblem, parseImageReference } from './core/image-reference';
import { OptOutLedger } from './core/opt-out-ledger';
import { portSettings } from './core/ports';
import { PropCheck, unresolved } from './core/prop-check';
import { imageClass, networkClass } from './core/provider-classes';
import { hardenedSettings, hardeningContext } from './core/settings';
import { claimName } from './core/uniqueness';
import { HardenedContainer, HardenedContainerProps } from './hardened-container';
import { defaultName, isPort, perStack, stripServiceProps, toServiceNetwork } from './service-parts';
import { swarmService } from './swarm-service';
import { NetworkAttachment, OptOut, Protocol, PublishedPort } from './types';
import { Suppressions } from '../checks/suppressions';
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
   * (no-new-privileges, seccomp, AppArmor, ulimits, PIDs limit, cgroup namespace, init, tmpfs sizes). The checks
   * still report each one; with this reason they are recorded as suppressed (acknowledged) instead of failing synth.
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
  'no-new-privileges', 'pids-limit', 'ulimits-set', 'apparmor-profile', 'no-host-cgroupns',
];

/** The props Swarm mode maps (or the core refuses with its reason); any other prop given is refused. */
const SWARM_MAPPED_PROPS = new Set([
  'image', 'name', 'command', 'entrypoint', 'env', 'workingDir', 'user', 'memoryMb', 'cpuLimit', 'writablePaths',
  'addCapabilities', 'ports', 'healthcheck', 'restartPolicy', 'maxRestartRetries', 'logMaxSize', 'logMaxFiles',
  'networks', 'volumes', 'labels', 'optOuts', 'selinuxLabels',
  'imageDigest', 'pullImage', 'replicas', 'mode', 'allowEgress', 'serviceOptOuts', 'networkMode',
  // refused by the core with a specific reason
  'seccompProfileJson', 'appArmorProfile', 'maxProcesses', 'maxOpenFiles', 'init', 'memorySwapMb', 'tmpfsSizeMb', 'cpuShares',
]);

const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;
const UNPINNED_IMAGE_RULE = 'image-pinned-by-digest';
const SERVICE_NAME = /^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$/;
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
  private readonly check: PropCheck;

  public constructor(scope: Construct, id: string, props: SecureServiceProps) {
    super(scope, id);
    this.check = new PropCheck(this.node.path, 'SecureService');
    this.stack = TerraformStack.of(this);
    const defaults = ProfileScope.nearest(this).defaults;
    this.mode = props.mode ?? ServiceMode.CONTAINERS;
    const swarm = this.mode === ServiceMode.SWARM;
    this.serviceName = this.validateName(props.name ?? defaultName(id));
    this.replicas = this.validateReplicas(props.replicas);
    this.imageReference = this.resolveImage(props);
    this.userNetworks = [...(props.networks ?? [])];
    if (props.serviceOptOuts?.swarmLimits && !swarm) {
      this.check.fail('serviceOptOuts.swarmLimits', props.serviceOptOuts.swarmLimits.reason, 'remove it: it applies only to ServiceMode.SWARM');
    }
    if (props.networkMode !== undefined) {
      this.check.fail('networkMode', props.networkMode, 'leave it unset: a SecureService attaches its replicas to its own networks (use `networks` for more, `allowFrom` to connect services)');
    }
    // The hardening core: in Swarm mode it validates every prop for the docker_service; in containers mode only the
    // ports here (each replica, a HardenedContainer, runs the whole core itself).
    const ctx = hardeningContext(this, 'SecureService', swarm ? 'swarm' : 'container', props.optOuts, defaults);
    const settings = swarm ? this.swarmSettings(ctx, props) : undefined;
    this.publishedPorts = this.planPorts(ctx, props, defaults);
    if (swarm) ctx.optOuts.settle();
    // Its networks (and, in Swarm mode, the docker_service) carry the name: one per engine. Claimed once the props
    // are valid, so a refused service leaves nothing taken.
    claimName(this, this.check, 'name', 'service', this.serviceName);

    if (props.pullImage !== false) {
      this.image = new (imageClass())(this, 'Image', { name: this.imageReference, keepLocally: true });
    }

    const internal = props.allowEgress !== true;
    this.network = new (networkClass())(this, 'Network', {
      name: `${this.serviceName}-net`,
      driver: swarm ? 'overlay' : 'bridge',
      internal,
      attachable: swarm ? true : undefined,
      labels: [{ label: 'hardened-docker.service', value: this.serviceName }],
    });
    this.attachments.push({ name: `${this.serviceName}-net`, aliases: [this.serviceName] });

    if (!swarm && internal && this.publishedPorts.length > 0) {
      const ips = [...new Set(this.publishedPorts.map((p) => p.hostIp))];
      const options: { [k: string]: string } = { 'com.docker.network.bridge.enable_ip_masquerade': 'false' };
      if (ips.length === 1 && /^\d+\.\d+\.\d+\.\d+$/.test(ips[0])) options['com.docker.network.bridge.host_binding_ipv4'] = ips[0];
      this.edgeNetwork = new (networkClass())(this, 'EdgeNetwork', {
        name: `${this.serviceName}-edge`,
        driver: 'bridge',
        internal: false,
        options,
        labels: [{ label: 'hardened-docker.service', value: this.serviceName }],
      });
      this.attachments.push({ name: `${this.serviceName}-edge` });
    }

    this.containers = [];
    if (settings) {
      this.service = swarmService(this, 'Service', settings, ctx.optOuts.applied, {
        name: this.serviceName,
        image: this.imageReference,
        replicas: this.replicas,
        networks: [...this.attachments, ...this.userNetworks].map(toServiceNetwork),
        ports: this.publishedPorts.map((p) => ({ targetPort: p.containerPort, publishedPort: p.hostPort, protocol: p.protocol })),
        dependsOn: [this.network, ...(this.image ? [this.image] : [])],
      });
      this.suppressSwarmOptOuts(ctx, props);
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
    if (other === this) this.check.fail('allowFrom', other.node.path, 'another SecureService: a service always reaches itself on its own network');
    if (!(other instanceof SecureService)) this.check.fail('allowFrom', String(other), 'a SecureService');
    if (other.stack !== this.stack) {
      this.check.fail('allowFrom', other.node.path, `a SecureService in the same stack (${this.stack.node.path}): Terraform cannot share a network across stacks here`);
    }
    if (other.mode !== this.mode) {
      this.check.fail('allowFrom', `${other.node.path} (mode ${other.mode})`, `a service of the same mode (${this.mode}): a Swarm overlay and a bridge network cannot be shared`);
    }
    if (port !== undefined && !Token.isUnresolved(port) && !isPort(port)) {
      this.check.fail('allowFrom port', port, 'an integer from 1 to 65535');
    }
    const links = perStack(LINKS_BY_STACK, this.stack);
    const [a, b] = [this.serviceName, other.serviceName].sort();
    const key = `${a}|${b}`;
    const existing = links.get(key);
    if (existing) return existing;
    const name = `${a}--${b}`;
    const net = new (networkClass())(this, `Link-${other.serviceName}`, {
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

  /** Swarm mode: every prop through the hardening core, for a docker_service; what it cannot map is refused. */
  private swarmSettings(ctx: HardeningContext, props: SecureServiceProps) {
    // Every prop must be mapped or refused: a prop added to HardenedContainer later is refused here until mapped.
    for (const [key, value] of Object.entries(props)) {
      if (value !== undefined && !SWARM_MAPPED_PROPS.has(key)) {
        this.check.fail(key, value, 'leave it unset in Swarm mode: provider kreuzwerker/docker 3.6.2 cannot set it on a docker_service (ServiceMode.CONTAINERS can)', 'cannot be set on a docker_service');
      }
    }
    return hardenedSettings(ctx, this, { ...props, image: this.imageReference });
  }

  /** The opt-outs in force as scoped suppressions, and the acknowledged Swarm limits. */
  private suppressSwarmOptOuts(ctx: HardeningContext, props: SecureServiceProps): void {
    for (const a of ctx.optOuts.applied) {
      for (const ruleId of a.rules) {
        if (builtinRule(ruleId)) Suppressions.add(this, ruleId, a.reason);
      }
    }
    const ack = props.serviceOptOuts?.swarmLimits;
    if (ack) {
      const reason = OptOutLedger.validReason(this.check, 'serviceOptOuts.swarmLimits.reason', ack.reason);
      for (const ruleId of SWARM_LIMIT_RULE_IDS) {
        if (builtinRule(ruleId)) Suppressions.add(this, ruleId, `provider kreuzwerker/docker 3.6.2 cannot set this on docker_service; acknowledged: ${reason}`);
      }
    }
  }

  /**
   * The host ports of every replica: each port validated by the hardening core (Swarm: on every interface, which
   * needs the allInterfaces opt-out), replica i publishing `external + i - 1`, no host port twice in the stack.
   */
  private planPorts(ctx: HardeningContext, props: SecureServiceProps, d: ContainerDefaults): ServiceHostPort[] {
    const swarm = this.mode === ServiceMode.SWARM;
    const out: ServiceHostPort[] = [];
    const taken = perStack(PORTS_BY_STACK, this.stack);
    const own = new Set<string>();
    const ports: PublishedPort[] = this.check.list('ports', props.ports, 'a list of { internal, external?, hostIp?, protocol? }');
    ports.forEach((given, index) => {
      const prop = `ports[${index}]`;
      const p = portSettings(ctx, prop, given, swarm ? '0.0.0.0' : undefined);
      const hostIp = swarm ? '0.0.0.0' : (given.hostIp ?? d.hostIp!);
      const perReplica = swarm ? 1 : this.replicas;
      if (p.external !== undefined && !unresolved(p.external)) {
        const last = p.external + perReplica - 1;
        if (last > 65535) {
          this.check.fail(`${prop}.external`, p.external, `an integer from 1 to ${65536 - perReplica}: replica i publishes external + i - 1, so ${perReplica} replicas need ${p.external}..${last}`);
        }
      }
      for (let i = 0; i < perReplica; i++) {
        const hostPort = p.external === undefined ? undefined : unresolved(p.external) ? p.external : p.external + i;
        if (hostPort !== undefined && !unresolved(hostPort)) {
          const key = `${hostIp}:${hostPort}/${p.protocol}`;
          if (own.has(key)) this.check.fail(prop, key, 'each host port once: two ports of this service publish the same host port (mind external + i - 1 per replica)');
          const other = taken.get(key);
          if (other && other !== this.node.path) this.check.fail(prop, key, `a host port no other service of the stack publishes (${other} does)`);
          own.add(key);
        }
        out.push({ replica: swarm ? 0 : i + 1, containerPort: p.internal, hostPort, hostIp, protocol: p.protocol as Protocol });
      }
    });
    for (const k of own) taken.set(k, this.node.path);
    return out;
  }

  /** The image every replica runs: a Docker image reference pinned by digest (or the unpinnedImage opt-out). */
  private resolveImage(props: SecureServiceProps): string {
    const image = props.image;
    const digest = props.imageDigest;
    const check = this.check;
    if (typeof image !== 'string' || image === '') check.fail('image', image, 'an image reference `registry/name@sha256:<64 hex>`');
    if (unresolved(image) || (digest !== undefined && unresolved(digest))) {
      // Left to the synth-time checks, which report it as unknown.
      return digest !== undefined ? `${image}@${digest}` : image;
    }
    // The same reference rule, and message, as HardenedContainer's.
    const problem = imageReferenceProblem(image);
    if (problem !== undefined) check.fail('image', image, IMAGE_REFERENCE_FORM, `is not an image reference: it ${problem}`);
    const unpinned = props.serviceOptOuts?.unpinnedImage;
    if (parseImageReference(image)!.digest !== undefined) {
      if (unpinned) check.fail('serviceOptOuts.unpinnedImage', unpinned.reason, 'remove it: the image is pinned');
      if (digest !== undefined) check.fail('imageDigest', digest, `unset: image "${image}" already carries a digest`);
      return image;
    }
    if (digest !== undefined) {
      if (!SHA256_DIGEST.test(digest)) check.fail('imageDigest', digest, 'sha256:<64 lowercase hex>');
      if (unpinned) check.fail('serviceOptOuts.unpinnedImage', unpinned.reason, 'remove it: the image is pinned');
      return `${image}@${digest}`;
    }
    if (!unpinned) {
      check.fail('image', image, 'name@sha256:<64 hex> (or name + imageDigest): a tag can be moved to another image. To accept it, set serviceOptOuts.unpinnedImage with a reason', 'is not pinned by digest');
    }
    const reason = OptOutLedger.validReason(check, 'serviceOptOuts.unpinnedImage.reason', (unpinned as OptOut).reason);
    if (builtinRule(UNPINNED_IMAGE_RULE)) Suppressions.add(this, UNPINNED_IMAGE_RULE, reason);
    return image;
  }

  private validateName(name: string): string {
    if (unresolved(name)) this.check.fail('name', name, 'a literal service name (it names containers and networks at synth)');
    if (typeof name !== 'string' || !SERVICE_NAME.test(name)) {
      this.check.fail('name', name, 'lower-case letters, digits and dashes, 1-50 characters, starting and ending with a letter or digit (a DNS label)');
    }
    return name;
  }

  private validateReplicas(replicas: number | undefined): number {
    const n = replicas ?? 1;
    const swarm = this.mode === ServiceMode.SWARM;
    const max = swarm ? MAX_SWARM_REPLICAS : MAX_CONTAINER_REPLICAS;
    if (unresolved(n)) {
      // A Swarm service takes the count as an expression; containers mode makes one resource per replica.
      if (swarm) return n;
      this.check.fail('replicas', n, 'a number known at synth in containers mode (each replica is a resource with its own name and host port); ServiceMode.SWARM takes a token');
    }
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > max) this.check.fail('replicas', n, `an integer from 1 to ${max}`);
    return n;
  }
}
