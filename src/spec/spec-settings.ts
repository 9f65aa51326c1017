import { ContainerSpec } from './container-spec';

/**
 * What a spec says about a container's settings: everything but which resource it is (its address, name, construct
 * path and file). A built-in rule's check is given only this (rules/define.ts), so the compiler refuses a rule that
 * reads a resource's identity: evaluation reuses a built-in rule's result for specs that share their settings.
 */
export type SpecSettings = Omit<ContainerSpec, 'address' | 'name' | 'constructPath' | 'file'>;
