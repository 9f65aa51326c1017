/**
 * docker_compose resources of Terraform input, for `check`: each one read with the compose reader (its services as
 * specs, located at the setting each rule reads), or reported as unreadable (src/spec/compose-resource.ts).
 */
import type * as ComposeInputs from './compose-inputs';
import type { IRule } from '../rules/rule';
import type { Position } from '../spec/compose/tree';
import { ComposeResourceLocation, ComposeResourceOptions, ComposeResourceRef, readComposeResource } from '../spec/compose-resource';
import type { ContainerSpec } from '../spec/container-spec';

/** Where a finding on a spec points: the file, line and column. */
export type SettingLocator = (file: string, address: string, rule: IRule | undefined) => Position | undefined;

/** The specs of docker_compose resources, and where their findings point. */
export interface ComposeResourceSpecs {
  readonly specs: ContainerSpec[];
  /** Undefined when there were no resources. */
  readonly settingOf?: SettingLocator;
  /** The compose files the resources read, as reports show them. */
  readonly composeFiles?: readonly string[];
}

/** Reads every docker_compose resource of one input. */
export function composeResourceSpecs(refs: readonly ComposeResourceRef[], opts: ComposeResourceOptions): ComposeResourceSpecs {
  if (refs.length === 0) return { specs: [] };
  const specs: ContainerSpec[] = [];
  const located = new Map<string, ComposeResourceLocation>();
  const composeFiles: string[] = [];
  for (const ref of refs) {
    const reading = readComposeResource(ref, opts);
    specs.push(...reading.specs);
    for (const [k, v] of reading.located) located.set(k, v);
    composeFiles.push(...reading.files);
  }
  return { specs, settingOf: settingLocator(located), composeFiles };
}

/** A service's finding points at the setting its rule read (as for a compose file), else at the service. */
function settingLocator(located: ReadonlyMap<string, ComposeResourceLocation>): SettingLocator {
  const cache = new Map<string, Position>();
  return (file, address, rule) => {
    const entry = located.get(`${file}\u0000${address}`);
    if (!entry) return undefined;
    if (!rule) return entry.at;
    if (entry.positions.size === 0) return entry.setting ?? entry.at;
    const key = `${file}\u0000${address}\u0000${rule.metadata.id}`;
    let at = cache.get(key);
    if (!at) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { fieldsRead } = require('./compose-inputs') as typeof ComposeInputs;
      const field = fieldsRead(rule, entry.original).find((f) => entry.positions.has(f));
      at = field ? entry.positions.get(field)! : entry.at;
      cache.set(key, at);
    }
    return at;
  };
}
