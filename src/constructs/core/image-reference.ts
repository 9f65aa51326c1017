/**
 * Image references checked as Docker parses them (the grammar of github.com/distribution/reference):
 *
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [ domain "/" ] path-component ( "/" path-component )*     (at most 255 characters)
 *   domain     := host [ ":" port ]           host := domain-component ( "." domain-component )* | "[" IPv6 "]"
 *   path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag        := [\w][\w.-]{0,127}
 *   digest     := algorithm ":" hex           (sha256: exactly 64 lower-case hex digits)
 */

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const DOMAIN = new RegExp(`^${HOST}(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const SHA256 = /^sha256:[a-f0-9]{64}$/;
const NAME_MAX = 255;

/** The valid form, for messages. */
export const IMAGE_REFERENCE_FORM = '[registry[:port]/]name[:tag][@sha256:<64 hex>], name in lower case (e.g. "nginx:1.27", "registry.example.com/team/app@sha256:<digest>")';

/** An image reference split into its parts. */
export interface ImageReference {
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Why `ref` is not an image reference Docker accepts (the end of a sentence), or undefined when it is one. */
export function imageReferenceProblem(ref: unknown): string | undefined {
  return parse(ref).problem;
}

/** The parts of a valid reference, or undefined. */
export function parseImageReference(ref: unknown): ImageReference | undefined {
  return parse(ref).ref;
}

function parse(ref: unknown): { ref?: ImageReference; problem?: string } {
  if (typeof ref !== 'string') return { problem: 'is not a string' };
  if (ref === '') return { problem: 'is empty' };
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest) || (digest.startsWith('sha256:') && !SHA256.test(digest))) {
      return { problem: 'has a malformed digest (sha256:<64 lower-case hex digits>)' };
    }
  }
  let tag: string | undefined;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return { problem: `has a malformed tag ${JSON.stringify(tag)} (letters, digits, "_", "." and "-", at most 128, not starting with "." or "-")` };
  }
  if (rest === '') return { problem: 'has no image name' };
  if (rest.length > NAME_MAX) return { problem: `has a name longer than ${NAME_MAX} characters` };
  const parts = rest.split('/');
  // The first part is a registry when it looks like a host: has a dot or a port, or is localhost.
  const first = parts[0];
  const isDomain = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase());
  if (isDomain && !DOMAIN.test(first)) return { problem: `has a malformed registry ${JSON.stringify(first)}` };
  for (const part of isDomain ? parts.slice(1) : parts) {
    if (!PATH_COMPONENT.test(part)) {
      return { problem: `has a malformed name component ${JSON.stringify(part)} (lower-case letters and digits, separated by ".", "_", "__" or "-")` };
    }
  }
  return { ref: { name: rest, tag, digest } };
}
