import type { Image } from '@cdktf/provider-docker/lib/image';
import type { Network } from '@cdktf/provider-docker/lib/network';
import type { Service } from '@cdktf/provider-docker/lib/service';

/*
 * The provider's resource classes that only SecureService uses, loaded on its first use. Each is a large generated
 * module (lib/service alone takes about 15 ms to load): an app of HardenedContainers or raw Containers that only
 * loads this library for its checks never needs them. The types come from type-only imports, so the compiled
 * modules require them nowhere else.
 */

/* eslint-disable @typescript-eslint/no-require-imports */

/** `docker_image`. */
export function imageClass(): typeof Image {
  return require('@cdktf/provider-docker/lib/image').Image;
}

/** `docker_network`. */
export function networkClass(): typeof Network {
  return require('@cdktf/provider-docker/lib/network').Network;
}

/** `docker_service`. */
export function serviceClass(): typeof Service {
  return require('@cdktf/provider-docker/lib/service').Service;
}
