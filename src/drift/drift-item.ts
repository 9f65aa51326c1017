/**
 * What one difference between a declaration and the engine is: its own module, apart from the comparison, so that
 * the drift rules (which every profile lists, and so every synth loads) do not load compare.ts.
 */
import { SETTINGS_DIGEST_LABEL } from '../spec/labels';

/** How a live setting compares with the declared one. */
export enum DriftDirection {
  /** The live setting allows more than declared. */
  WEAKER = 'weaker',
  /** The live setting allows less than declared. */
  STRONGER = 'stronger',
  /** The live setting differs and neither allows more (another user, another healthcheck). */
  CHANGED = 'changed',
}

/** One setting that differs between the declaration and the engine. */
export interface DriftItem {
  /** The setting, as the provider names it (`memory`, `restart`, `ports[8080/tcp].ip`). */
  readonly setting: string;
  /** The declared value, for people. */
  readonly declared: string;
  /** The live value, for people. */
  readonly live: string;
  readonly direction: DriftDirection;
}

export { SETTINGS_DIGEST_LABEL };
/** The setting name of a digest mismatch. */
export const DIGEST_SETTING = `label ${SETTINGS_DIGEST_LABEL}`;
