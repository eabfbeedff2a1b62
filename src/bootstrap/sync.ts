// The files bootstrap writes to <path>/<namespace>/ in the repository, with upstream's
// exact content: gotk-sync.yaml (a GitRepository and a Kustomization named after the
// namespace) and kustomization.yaml (kept as is when it already exists).
import { createHash } from "node:crypto";
import path from "node:path/posix";
import { CliError } from "../errors.js";
import { toYaml } from "../yaml/printer.js";
import { line } from "../util/template.js";
import generatedBy from "../../templates/generated-by.tmpl";

export const GEN_WARNING = line(generatedBy);
export const COMPONENTS_FILE = "gotk-components.yaml";
export const SYNC_FILE = "gotk-sync.yaml";
export const KUSTOMIZATION_FILE = "kustomization.yaml";

export interface SyncOptions {
  /** Object names (upstream: the namespace). */
  name: string;
  namespace: string;
  /** The URL the GitRepository fetches from. */
  url: string;
  branch: string;
  /** Go duration, e.g. "1m0s". */
  interval: string;
  /** Secret referenced by the GitRepository (empty: none). */
  secret: string;
  /** --path, relative to the repository root ("" for the root). */
  targetPath: string;
  recurseSubmodules?: boolean | undefined;
  /** spec.sparseCheckout: the directories the GitRepository checks out. */
  sparseCheckout?: string[] | undefined;
}

/** Normalises --path: no leading "./", no "..", not absolute. */
export function normalizeTargetPath(p: string): string {
  let s = p.trim().replace(/\\/g, "/");
  if (s.startsWith("/")) throw new CliError(`invalid --path "${p}": the path must be relative to the repository root`);
  while (s.startsWith("./")) s = s.slice(2);
  if (s === ".") s = "";
  if (s.split("/").includes("..")) throw new CliError(`invalid --path "${p}": the path must not leave the repository`);
  return s;
}

/** Repository-relative directory of the flux-system manifests: <path>/<namespace>. */
export function manifestsDir(targetPath: string, namespace: string): string {
  return path.join(normalizeTargetPath(targetPath) || ".", namespace);
}

export function syncObjects(o: SyncOptions): [Record<string, unknown>, Record<string, unknown>] {
  const target = normalizeTargetPath(o.targetPath);
  const gitRepository = {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "GitRepository",
    metadata: { name: o.name, namespace: o.namespace },
    spec: {
      interval: o.interval,
      ref: { branch: o.branch },
      recurseSubmodules: o.recurseSubmodules ? true : undefined,
      secretRef: o.secret ? { name: o.secret } : undefined,
      sparseCheckout: o.sparseCheckout?.length ? o.sparseCheckout : undefined,
      url: o.url,
    },
  };
  const kustomization = {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: { name: o.name, namespace: o.namespace },
    spec: {
      interval: "10m0s",
      path: `./${target}`,
      prune: true,
      sourceRef: { kind: "GitRepository", name: o.name },
    },
  };
  return [gitRepository, kustomization];
}

/** gotk-sync.yaml: the generation warning, then the two objects as sigs.k8s.io/yaml prints them. */
export function generateSync(o: SyncOptions): { path: string; content: string } {
  const [repo, ks] = syncObjects(o);
  return {
    path: path.join(manifestsDir(o.targetPath, o.namespace), SYNC_FILE),
    content: `${GEN_WARNING}\n---\n${toYaml(repo)}---\n${toYaml(ks)}`,
  };
}

/**
 * kustomization.yaml for the flux-system directory: the existing file is kept as is;
 * otherwise the YAML files of the directory (plus the two generated ones) are listed.
 */
export function generateKustomization(existing: string | undefined, otherYamlFiles: string[] = []): string {
  if (existing !== undefined) return existing;
  const resources = [
    ...new Set([COMPONENTS_FILE, SYNC_FILE, ...otherYamlFiles.filter((f) => f !== KUSTOMIZATION_FILE)]),
  ].sort();
  return toYaml({ apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", resources });
}

/** upstream's deploy key name: the non-empty parts joined with "-". */
export function deployKeyBaseName(namespace: string, branch: string, secretName: string, targetPath: string): string {
  return [namespace, branch, secretName, targetPath].filter((v) => v !== "").join("-");
}

/**
 * The deploy key title: upstream's name plus a fingerprint of the key, so two clusters
 * bootstrapped from the same path never overwrite each other's key, and a re-run
 * recognises its own.
 */
export function deployKeyTitle(
  namespace: string,
  branch: string,
  secretName: string,
  targetPath: string,
  publicKey: string,
): string {
  const blob = publicKey.trim().split(/\s+/)[1] ?? publicKey;
  const fp = createHash("sha256").update(Buffer.from(blob, "base64")).digest("base64").replace(/=+$/, "").slice(0, 12);
  return `${deployKeyBaseName(namespace, branch, secretName, targetPath)}-${fp}`;
}

/** The revision a source-controller reports for a branch head: "<branch>@sha1:<commit>". */
export function expectedRevision(branch: string, commit: string): string {
  return `${branch}@sha1:${commit}`;
}

/** Accepts both the current ("main@sha1:abc") and the legacy ("main/abc") revision formats. */
export function sameRevision(actual: string | undefined, branch: string, commit: string): boolean {
  if (!actual) return false;
  return actual === expectedRevision(branch, commit) || actual === `${branch}/${commit}`;
}
