import { ServiceTaskSpecNetworksAdvanced } from '@cdktf/provider-docker/lib/service';
import { TerraformStack } from 'cdktf';
import { HardenedContainerProps } from './hardened-container';
import type { SecureServiceProps } from './secure-service';
import { NetworkAttachment } from './types';

/** Small pure parts of SecureService. */

export function perStack<V>(map: WeakMap<TerraformStack, Map<string, V>>, stack: TerraformStack): Map<string, V> {
  let m = map.get(stack);
  if (!m) {
    m = new Map();
    map.set(stack, m);
  }
  return m;
}

/** HardenedContainer props without SecureService's own. */
export function stripServiceProps(props: SecureServiceProps): HardenedContainerProps {
  const { imageDigest, pullImage, replicas, mode, allowEgress, serviceOptOuts, ...rest } = props;
  void imageDigest; void pullImage; void replicas; void mode; void allowEgress; void serviceOptOuts;
  return rest;
}

export function toServiceNetwork(n: NetworkAttachment): ServiceTaskSpecNetworksAdvanced {
  return { name: n.name, aliases: n.aliases };
}

export function defaultName(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50).replace(/-+$/, '');
}

export function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}
