/**
 * The declared side of `audit --against`: the resources of a configuration, read by the loader `check` uses
 * (a cdktf.out directory, `*.tf.json`, an HCL directory, a plan JSON).
 */
import { InputError, loadInputs } from '../cli/inputs';
import { isComposeResourceSpec } from '../spec/compose-resource';
import { ContainerSpec } from '../spec/container-spec';

/** Every docker_container and docker_service the paths declare; the first unreadable input throws InputError. */
export async function loadDeclared(paths: string[], cwd: string): Promise<ContainerSpec[]> {
  if (paths.length === 0) throw new InputError('--against needs a path: a cdktf.out directory, *.tf.json, an HCL directory or a plan JSON');
  const units = await loadInputs(paths, { cwd });
  // docker_compose resources' services are not paired by name (compose names their containers itself): left out.
  return units.flatMap((u) => u.specs).filter((s) => !isComposeResourceSpec(s));
}
