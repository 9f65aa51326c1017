import { ContainerSpec, ResourceKind, SpecSource } from '../../src/spec/container-spec';

type Fields = Omit<Partial<ContainerSpec>, 'kind' | 'source' | 'address'> & { source?: SpecSource };

/** A docker_container read from Terraform JSON, with only the given fields set. */
export function container(fields: Fields = {}): ContainerSpec {
  return { kind: ResourceKind.CONTAINER, source: SpecSource.TERRAFORM_JSON, address: 'docker_container.test', ...fields };
}

/** A docker_service read from Terraform JSON, with only the given fields set. */
export function service(fields: Fields = {}): ContainerSpec {
  return { kind: ResourceKind.SERVICE, source: SpecSource.TERRAFORM_JSON, address: 'docker_service.test', ...fields };
}

/** A live container (`docker inspect`). */
export function engineContainer(fields: Fields = {}): ContainerSpec {
  return { kind: ResourceKind.CONTAINER, source: SpecSource.ENGINE, address: 'container/test', ...fields };
}

/** A live Swarm service. */
export function engineService(fields: Fields = {}): ContainerSpec {
  return { kind: ResourceKind.SERVICE, source: SpecSource.ENGINE, address: 'service/test', ...fields };
}
