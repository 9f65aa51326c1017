import { defineRule } from '../define';
import { unknownIf } from '../helpers';
import { Results, Severity } from '../rule';

/** True for `name@sha256:<64 hex>` or an image id `sha256:<64 hex>`. */
export function isPinnedByDigest(image: string): boolean {
  return /(^|@)sha256:[0-9a-f]{64}$/.test(image.trim());
}

export const imagePinnedByDigest = defineRule({
  id: 'image-pinned-by-digest',
  title: 'The image is pinned by digest',
  severity: Severity.WARNING,
  rationale: 'A tag moves: the image behind `nginx:1.25` changes without a change to the configuration, and a compromised registry or a re-pushed tag silently ships different code. A digest (`@sha256:...`) names exactly the image that was reviewed and scanned. This is the configuration-level answer to CIS 5.28 (a manual check), so the rule cites no CIS id.',
  remediation: 'Reference the image as `name:tag@sha256:<digest>` (`image` on docker_container, `task_spec.container_spec.image` on docker_service), e.g. the `repo_digest` of a `docker_registry_image` data source.',
  composeRemediation: 'Pin the image by digest: `image: name:tag@sha256:<digest>` (`docker buildx imagetools inspect name:tag` prints it).',
}, (spec) => {
  const unknown = unknownIf(spec, ['image'], 'image');
  if (unknown) return unknown;
  if (spec.image === undefined || spec.image.trim() === '') return Results.fail('no image is set');
  if (isPinnedByDigest(spec.image)) return Results.pass();
  return Results.fail(`image "${spec.image}" is not pinned by digest`);
});
