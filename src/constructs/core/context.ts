import { OptOutLedger } from './opt-out-ledger';
import { PropCheck } from './prop-check';
import { ContainerDefaults } from '../../profiles/defaults';

/** What the hardened settings become: a `docker_container`, or a Swarm `docker_service` task spec. */
export type HardeningTarget = 'container' | 'swarm';

/** What every settings function reads: the prop checker, the opt-out ledger, the profile's defaults, the target. */
export interface HardeningContext {
  readonly check: PropCheck;
  readonly optOuts: OptOutLedger;
  readonly defaults: Required<ContainerDefaults>;
  readonly target: HardeningTarget;
}

/** Why a prop is refused in Swarm mode. */
export const SWARM_CANNOT = 'leave it unset in Swarm mode: provider kreuzwerker/docker 3.6.2 cannot set it on a docker_service (ServiceMode.CONTAINERS can)';

/** Refuses a prop that is given although the Swarm target cannot set it. */
export function refuseInSwarm(ctx: HardeningContext, prop: string, value: unknown, why = SWARM_CANNOT): void {
  if (ctx.target === 'swarm' && value !== undefined) ctx.check.fail(prop, value, why, 'cannot be set on a docker_service');
}
