/**
 * The container labels this project reads and writes, one definition each: the constructs write them, every reader
 * (Terraform, compose, a live engine) and the drift comparison read them.
 */

/** The label prefix that suppresses a rule on hand-written Terraform or a live container: `<prefix><rule-id> = reason`. */
export const SUPPRESSION_LABEL_PREFIX = 'hardened-docker.suppress.';

/** Label prefix recording an opt-out and its reason on the container (HardenedContainer, SecureService's tasks). */
export const OPTOUT_LABEL_PREFIX = 'hardened-docker.optout.';

/** Label holding the digest of the settings provider 3.6.2 ignores on update (HardenedContainer writes it, drift reads it). */
export const SETTINGS_DIGEST_LABEL = 'hardened-docker.settings-digest';
