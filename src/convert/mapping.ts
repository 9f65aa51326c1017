/**
 * The vocabulary the compose-to-construct mapping shares: notes, the TODO reason, what the stack resolves for a
 * service, what a service becomes, and the context the setting mappers (src/convert/service-settings.ts) write into.
 */
import { arr, bool, Code, num, obj, str } from './code';
import type { OptOutName } from '../constructs/core/opt-out-ledger';
import type { ComposeService } from '../spec/compose/load';
import type { MapNode, Position } from '../spec/compose/tree';
import type { ContainerSpec } from '../spec/container-spec';

/** A setting `convert` could not carry over (or carried over only in part), and why. */
export interface ConvertNote {
  readonly service?: string;
  /** The compose setting, as written (`services.web.devices`). */
  readonly setting: string;
  readonly at?: Position;
  readonly message: string;
}

/**
 * The reason every opt-out is written with: a placeholder, which the reason validator (src/rules/reason.ts) refuses,
 * as it refuses any reason that starts with TODO, so synth fails on it until a person writes the real reason.
 */
export const TODO_REASON = 'TODO: ...';

/** What the stack gives a service: the names of the resources it refers to. */
export interface ServiceResolver {
  /** The code and literal name of a compose network (a `docker_network`'s `.name`, or an external name). */
  network(key: string): { code: Code; name: string };
  /** The network of services that name none (compose's `default`). */
  defaultNetwork(): { code: Code; name: string };
  /** The code and literal name of a named volume. */
  volume(key: string): { code: Code; name: string };
  /** A named volume standing in for an anonymous one at `target`. */
  anonymousVolume(service: string, target: string): { code: Code; name: string };
  /** A host path as code (relative to the compose directory when it lies below it). */
  hostPath(abs: string): Code;
}

/** A service mapped: the construct, its props as code, and its notes. */
export interface ServiceConversion {
  readonly name: string;
  readonly construct: 'HardenedContainer' | 'SecureService';
  readonly props: Code;
  readonly notes: ConvertNote[];
  /** Enum types the props use (for imports). */
  readonly enums: Set<string>;
  /** TODO values in the props (opt-out reasons, placeholders): synth refuses each until it is filled. */
  readonly todos: number;
  /** True when a prop reads a file at synth (`readFileSync`: a seccomp profile). */
  readonly readsFiles: boolean;
}

/** A service being mapped, as the setting mappers see it. */
export interface MappingContext {
  readonly service: ComposeService;
  readonly spec: ContainerSpec;
  readonly node: MapNode;
  readonly resolve: ServiceResolver;
  /** The props as plain values, with valid stand-ins for TODO values: what the probe validates. */
  readonly probe: { [k: string]: unknown };
  /** Switch opt-outs the compose file makes, with the setting that makes each. */
  readonly switches: Map<OptOutName, string>;
  /** Permission opt-outs the mapping expects, with the setting that causes each. */
  readonly causes: Map<OptOutName, string>;
  /** Enum types the props use (for imports). */
  readonly enums: Set<string>;
  /** Sets a prop: its plain value for the probe, and its code (the value as a literal unless given). */
  set(key: string, value: unknown, code?: Code, comments?: string[]): void;
  /** Notes a setting that is not carried over, or only in part. */
  note(key: string, message: string, at?: Position): void;
  /** `what (file:line:column)`, at the service's `key`. */
  shown(key: string, what: string): string;
}

/** One MiB in bytes. */
export const MiB = 1024 * 1024;

/** A plain value as code. */
export function literal(v: unknown): Code {
  if (typeof v === 'string') return str(v);
  if (typeof v === 'number') return num(v);
  if (typeof v === 'boolean') return bool(v);
  if (Array.isArray(v)) return arr(v.map(literal));
  if (v !== null && typeof v === 'object') return obj(Object.entries(v).map(([key, value]) => ({ key, value: literal(value) })));
  throw new Error(`no literal for ${String(v)}`);
}
