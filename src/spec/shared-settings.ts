/**
 * Specs that share one reading: a reader that reads several resources with the same settings once (Terraform's
 * SharedReading) records, for each copy, the first spec read with those settings. Neutral to the source, so that
 * evaluation can reuse a settings-only rule's result without knowing which reader made the spec.
 */
import { ContainerSpec } from './container-spec';

/** The spec whose reading a spec shares (itself for the first of its settings); absent when not shared. */
const SHARED_SETTINGS = new WeakMap<ContainerSpec, ContainerSpec>();

/** Records that `spec` has the same settings as `first` (`first` itself for the first spec read with them). */
export function recordSharedSettings(spec: ContainerSpec, first: ContainerSpec): void {
  SHARED_SETTINGS.set(spec, first);
}

/**
 * The first spec read with the same settings as `spec`, when a reader recorded one: specs with the same one have
 * equal settings, so a rule that reads only settings gives them the same result (evaluation reuses it).
 */
export function sharedSettingsOf(spec: ContainerSpec): ContainerSpec | undefined {
  return SHARED_SETTINGS.get(spec);
}
