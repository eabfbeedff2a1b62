// OCI references with go-containerregistry's rules (name.ParseReference): registry
// detection, Docker Hub defaults, tag and digest syntax, and upstream's error wording.
import { CliError, redactUrls } from "../errors.js";
import { OCI_PREFIX } from "./constants.js";

export const DEFAULT_REGISTRY = "index.docker.io";
const DEFAULT_TAG = "latest";

const REPO_CHARS = /^[a-z0-9_\-./]+$/;
const TAG_RE = /^[A-Za-z0-9_.-]{1,128}$/;
const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;
// Characters Go's url.Parse accepts in a host (shouldEscape's encodeHost exceptions).
const HOST_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:[\]<>"%]*$/;

/**
 * go-containerregistry's checkRegistry: url.Parse("//" + name).Host must be name, so
 * anything Go reads as an authority passes ("https:" of "https://ghcr.io/app" too).
 */
function validRegistry(name: string): boolean {
  if (/[/?#@]/.test(name)) return false;
  let host = name;
  if (name.startsWith("[")) {
    const end = name.indexOf("]");
    if (end < 0) return false;
    const rest = name.slice(end + 1);
    return rest === "" || /^:\d*$/.test(rest);
  }
  const colon = name.lastIndexOf(":");
  if (colon >= 0) {
    if (!/^\d*$/.test(name.slice(colon + 1))) return false;
    host = name.slice(0, colon);
  }
  return HOST_CHARS.test(host);
}

export interface Reference {
  /** Registry host[:port] as written (Docker Hub is index.docker.io). */
  registry: string;
  /** Repository path inside the registry, e.g. org/app. */
  repository: string;
  tag?: string;
  digest?: string;
}

export class ReferenceError extends Error {}

function splitRegistry(name: string): { registry: string; repository: string } {
  const slash = name.indexOf("/");
  if (slash > 0) {
    const first = name.slice(0, slash);
    // As go-containerregistry: a registry has a "." or a ":" (a bare "localhost" is a Docker Hub org).
    if (first.includes(".") || first.includes(":")) {
      return { registry: first, repository: name.slice(slash + 1) };
    }
  }
  return { registry: DEFAULT_REGISTRY, repository: name };
}

function normalizeRegistry(registry: string): string {
  return registry === "docker.io" ? DEFAULT_REGISTRY : registry;
}

function parseRepository(name: string, original: string): { registry: string; repository: string } {
  const split = splitRegistry(name);
  const registry = normalizeRegistry(split.registry);
  let repository = split.repository;
  if (!validRegistry(registry)) throw new ReferenceError(`could not parse reference: ${original}`);
  // go-containerregistry: 2 to 255 characters of [a-z0-9_-./].
  if (repository.length < 2 || repository.length > 255 || !REPO_CHARS.test(repository)) {
    throw new ReferenceError(`could not parse reference: ${original}`);
  }
  if (registry === DEFAULT_REGISTRY && !repository.includes("/")) repository = `library/${repository}`;
  return { registry, repository };
}

/** Parses `registry/repo[:tag][@digest]` like name.ParseReference (tag defaults to latest). */
export function parseReference(s: string): Reference {
  const at = s.indexOf("@");
  if (at >= 0) {
    const base = s.slice(0, at);
    const digest = s.slice(at + 1);
    if (!DIGEST_RE.test(digest)) throw new ReferenceError(`could not parse reference: ${s}`);
    const { name } = splitTag(base);
    return { ...parseRepository(name, s), digest };
  }
  const { name, tag } = splitTag(s);
  // an empty tag ("app:") is an error, as go-containerregistry's checkTag (1 to 128 characters)
  if (tag !== undefined && !TAG_RE.test(tag)) throw new ReferenceError(`could not parse reference: ${s}`);
  return { ...parseRepository(name, s), tag: tag ?? DEFAULT_TAG };
}

/** Parses a repository without tag or digest (for list). */
export function parseRepositoryOnly(s: string): Reference {
  return parseRepository(s, s);
}

function splitTag(s: string): { name: string; tag?: string } {
  const colon = s.lastIndexOf(":");
  if (colon > 0 && !s.slice(colon + 1).includes("/")) return { name: s.slice(0, colon), tag: s.slice(colon + 1) };
  return { name: s };
}

export function repositoryName(ref: Pick<Reference, "registry" | "repository">): string {
  return `${ref.registry}/${ref.repository}`;
}

/** `registry/repo:tag` or `registry/repo@digest`. */
export function referenceString(ref: Reference): string {
  if (ref.digest) return `${repositoryName(ref)}@${ref.digest}`;
  return `${repositoryName(ref)}:${ref.tag ?? DEFAULT_TAG}`;
}

/** What the manifest endpoint takes: the digest if any, else the tag. */
export function identifier(ref: Reference): string {
  return ref.digest ?? ref.tag ?? DEFAULT_TAG;
}

const FORMAT_MESSAGE = "URL must be in format 'oci://<domain>/<org>/<repo>'";

/**
 * Validates an `oci://` URL and returns the address without the prefix (as
 * fluxcd/pkg ParseArtifactURL) together with its parsed form.
 */
export function parseArtifactUrl(ociUrl: string): { url: string; ref: Reference } {
  if (!ociUrl.startsWith(OCI_PREFIX)) throw new CliError(FORMAT_MESSAGE);
  const url = ociUrl.slice(OCI_PREFIX.length);
  try {
    return { url, ref: parseReference(url) };
  } catch (err) {
    throw new CliError(
      redactUrls(`'${ociUrl}' invalid URL: ${(err as Error).message}`).replace(
        /(could not parse reference: )[^\s/@]+@/,
        "$1***@",
      ),
    );
  }
}

/** Validates an `oci://` repository URL (tag or digest not allowed to matter) for list. */
export function parseRepositoryUrl(ociUrl: string): { url: string; ref: Reference } {
  if (!ociUrl.startsWith(OCI_PREFIX)) throw new CliError(FORMAT_MESSAGE);
  const url = ociUrl.slice(OCI_PREFIX.length);
  try {
    const ref = parseReference(url);
    const [beforeDigest = ""] = url.split("@"); // a split: never empty
    const bare = splitTag(beforeDigest).name;
    return { url: bare, ref: { registry: ref.registry, repository: ref.repository } };
  } catch (err) {
    throw new CliError(
      redactUrls(`'${ociUrl}' invalid URL: ${(err as Error).message}`).replace(
        /(could not parse reference: )[^\s/@]+@/,
        "$1***@",
      ),
    );
  }
}

export function isValidTag(tag: string): boolean {
  return TAG_RE.test(tag);
}
