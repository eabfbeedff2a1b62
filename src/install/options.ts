// Options of `flux install` (and of the install step of bootstrap), their upstream
// defaults and validation.
import { CliError } from "../errors.js";
import { CLI_VERSION, DEFAULT_DISTRIBUTION_VERSION } from "../version.js";

export const DEFAULT_COMPONENTS = [
  "source-controller",
  "kustomize-controller",
  "helm-controller",
  "notification-controller",
];
export const EXTRA_COMPONENTS = ["image-reflector-controller", "image-automation-controller", "source-watcher"];
export const ALL_COMPONENTS = [...DEFAULT_COMPONENTS, ...EXTRA_COMPONENTS];
export const DEFAULT_REGISTRY = "ghcr.io/fluxcd";
export const DEFAULT_CLUSTER_DOMAIN = "cluster.local";
export const NOTIFICATION_CONTROLLER = "notification-controller";
export const LOG_LEVELS = ["debug", "info", "error"] as const;
export const RELEASES_URL = "https://github.com/fluxcd/flux2/releases";

export interface InstallOptions {
  /** Distribution version, "v"-prefixed (e.g. v2.9.0). */
  version: string;
  namespace: string;
  /** Selected components (defaults + extras), validated. */
  components: string[];
  registry: string;
  registryCredential: string;
  imagePullSecret: string;
  watchAllNamespaces: boolean;
  networkPolicy: boolean;
  logLevel: string;
  clusterDomain: string;
  tolerationKeys: string[];
}

export function defaultInstallOptions(): InstallOptions {
  return {
    version: DEFAULT_DISTRIBUTION_VERSION,
    namespace: "flux-system",
    components: [...DEFAULT_COMPONENTS],
    registry: DEFAULT_REGISTRY,
    registryCredential: "",
    imagePullSecret: "",
    watchAllNamespaces: true,
    networkPolicy: true,
    logLevel: "info",
    clusterDomain: DEFAULT_CLUSTER_DOMAIN,
    tolerationKeys: [],
  };
}

export function validateComponents(components: string[]): void {
  for (const c of components) {
    if (!ALL_COMPONENTS.includes(c)) {
      throw new CliError(`component ${c} is not available (available components: ${ALL_COMPONENTS.join(", ")})`);
    }
  }
  if (components.length === 0) throw new CliError("no components selected: set --components");
}

export function validateRegistryCreds(creds: string, imagePullSecret: string): void {
  if (creds !== "" && imagePullSecret === "")
    throw new CliError("--registry-creds requires --image-pull-secret to be set");
  if (creds !== "" && creds.split(":").length !== 2) {
    throw new CliError("invalid --registry-creds format, expected 'user:password'");
  }
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function validateNamespace(ns: string): void {
  if (ns.length > 63 || !DNS1123_LABEL.test(ns)) {
    throw new CliError(
      `invalid namespace "${ns}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`,
    );
  }
}

/** True when the target version is in the CLI's minor range (upstream's CompatibleVersion). */
export function compatibleVersion(cli: string, target: string): boolean {
  const parse = (v: string) => /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?/.exec(v);
  const b = parse(cli);
  if (!b) return false;
  if (b[4]) return true;
  const t = parse(target);
  if (!t) return false;
  return b[1] === t[1] && b[2] === t[2];
}

/**
 * Upstream's getVersion without the GitHub API: "" is the CLI's own distribution version,
 * "latest" is resolved by `resolveLatest`, anything else must be "v"-prefixed and in the
 * CLI's minor range.
 */
export async function resolveVersion(input: string, resolveLatest: () => Promise<string>): Promise<string> {
  if (input === "") return DEFAULT_DISTRIBUTION_VERSION;
  if (input !== "latest" && !input.startsWith("v")) {
    throw new CliError(`targeted version '${input}' must be prefixed with 'v'`);
  }
  if (input === DEFAULT_DISTRIBUTION_VERSION) return input;
  const v = input === "latest" ? await resolveLatest() : input;
  if (!/^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(v))
    throw new CliError(`targeted version '${v}' is not a valid version`);
  if (!compatibleVersion(CLI_VERSION, v)) {
    throw new CliError(`targeted version '${v}' is not compatible with your current version of flux (${CLI_VERSION})`);
  }
  return v;
}

/** The latest release tag from the GitHub API (15s timeout, like upstream). */
export async function latestReleaseVersion(fetchImpl: typeof fetch = fetch): Promise<string> {
  const url = "https://api.github.com/repos/fluxcd/flux2/releases/latest";
  try {
    const res = await fetchImpl(url, { signal: AbortSignal.timeout(15_000), headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(`status ${res.status}`);
    const body = (await res.json()) as { tag_name?: string };
    if (!body.tag_name) throw new Error("no tag_name in the response");
    return body.tag_name;
  } catch (err) {
    throw new CliError(
      `GitHub API call failed: ${url}: ${(err as Error).message}; set --version to a release (e.g. ${DEFAULT_DISTRIBUTION_VERSION}) instead of 'latest'`,
    );
  }
}
