/**
 * Which permission opt-outs a service's props need, asked of the hardening core itself (the validation
 * HardenedContainer and SecureService run), so that `convert` writes exactly the opt-outs the construct will demand:
 * a missing one fails synth with "needs an opt-out", an extra one with "nothing in the props needs it".
 */
import { Construct } from 'constructs';
import { OPT_OUT_RULES, OptOutName } from '../constructs/core/opt-out-ledger';
import { portSettings } from '../constructs/core/ports';
import { hardenedSettings, hardeningContext } from '../constructs/core/settings';
import { HardenedContainerProps } from '../constructs/hardened-container';
import { HardeningOptOuts, PublishedPort } from '../constructs/types';
import { ContainerDefaults } from '../profiles/defaults';
import { Profile, ProfileLevel } from '../profiles/profile';

/** What the core says about a service's props. */
export interface ProbeResult {
  /** The permission opt-outs the props need, sorted. */
  readonly needed: OptOutName[];
  /**
   * Why the construct refuses the props even with every opt-out (the error it will throw at synth).
   * @default - it accepts them
   */
  readonly refused?: string;
}

/** A reason the probe gives every opt-out: valid, never written into the output. */
const PROBE_REASON = 'asked by hardened-docker convert to learn which opt-outs the props need';

/**
 * Runs the core on `props` (image, user and other TODO values replaced by valid stand-ins by the caller) with the
 * given switch opt-outs and every permission opt-out but noHealthcheck (which a healthcheck contradicts; it is given
 * when `noHealthcheck` is true), under the built-in hardened profile's defaults.
 */
export function neededOptOuts(props: HardenedContainerProps, switches: readonly OptOutName[], noHealthcheck: boolean): ProbeResult {
  const optOuts: { [K in OptOutName]?: { reason: string } } = {};
  for (const [name, def] of Object.entries(OPT_OUT_RULES) as [OptOutName, { kind: string }][]) {
    if (def.kind === 'permission' && name !== 'noHealthcheck') optOuts[name] = { reason: PROBE_REASON };
  }
  for (const s of switches) optOuts[s] = { reason: PROBE_REASON };
  if (noHealthcheck) optOuts.noHealthcheck = { reason: PROBE_REASON };
  const scope = new Construct(new Construct(undefined as any, ''), 'convert');
  try {
    const ctx = hardeningContext(scope, 'HardenedContainer', 'container', optOuts as HardeningOptOuts, hardenedDefaults());
    hardenedSettings(ctx, scope, props);
    (props.ports ?? []).forEach((p: PublishedPort, i) => portSettings(ctx, `ports[${i}]`, p));
    const needed = new Set(ctx.optOuts.demanded());
    if (props.networkMode === 'host') needed.add('hostNetwork');
    if (noHealthcheck) needed.add('noHealthcheck');
    return { needed: [...needed].filter((n) => OPT_OUT_RULES[n].kind === 'permission').sort() };
  } catch (e: any) {
    return { needed: [], refused: String(e?.message ?? e).replace(/^\[[^\]]*\] /, '') };
  }
}

let defaults: ContainerDefaults | undefined;
function hardenedDefaults(): ContainerDefaults {
  defaults ??= Profile.named(ProfileLevel.HARDENED).defaults;
  return defaults;
}
