// ImageRepository, ImagePolicy and ImageUpdateAutomation as `flux create image ...` generates them.
import { type CommonOptions, type KubeObject, goDuration, localRef, nonZeroDuration, objectMeta } from "./common.js";
import { apiVersionFor } from "./common.js";

export interface ImageRepositoryOptions extends CommonOptions {
  image: string;
  interval?: string;
  secretRef?: string;
  certSecretRef?: string;
  scanTimeout?: string;
}

export function imageRepository(o: ImageRepositoryOptions): KubeObject {
  return {
    apiVersion: apiVersionFor("ImageRepository"),
    kind: "ImageRepository",
    metadata: objectMeta(o),
    spec: {
      image: o.image,
      interval: goDuration(o.interval ?? "1m"),
      secretRef: localRef(o.secretRef),
      certSecretRef: localRef(o.certSecretRef),
      timeout: nonZeroDuration(o.scanTimeout) ? goDuration(o.scanTimeout) : undefined,
    },
  };
}

export type ImagePolicyChoice =
  | { semver: { range: string } }
  | { alphabetical: { order: string } }
  | { numerical: { order: string } }
  | Record<string, never>;

export interface ImagePolicyOptions extends CommonOptions {
  imageRepository: string;
  policy: ImagePolicyChoice;
  filterRegex?: string;
  filterExtract?: string;
  reflectDigest?: string;
  interval?: string;
}

export function imagePolicy(o: ImagePolicyOptions): KubeObject {
  return {
    apiVersion: apiVersionFor("ImagePolicy"),
    kind: "ImagePolicy",
    metadata: objectMeta(o),
    spec: {
      imageRepositoryRef: { name: o.imageRepository },
      policy: o.policy,
      filterTags: o.filterRegex ? { pattern: o.filterRegex, extract: o.filterExtract || undefined } : undefined,
      digestReflectionPolicy: o.reflectDigest || undefined,
      interval: nonZeroDuration(o.interval) ? goDuration(o.interval) : undefined,
    },
  };
}

export interface ImageUpdateOptions extends CommonOptions {
  gitRepository: string;
  gitRepositoryNamespace?: string | undefined;
  gitRepositoryPath?: string | undefined;
  checkoutBranch?: string | undefined;
  pushBranch?: string | undefined;
  commitTemplate?: string | undefined;
  authorName: string;
  authorEmail: string;
  signingKeySecret?: string | undefined;
  /** gpg or ssh; unset leaves the type out (the controller reads gpg), as upstream */
  signingKeyType?: string | undefined;
  interval?: string | undefined;
}

export function imageUpdateAutomation(o: ImageUpdateOptions): KubeObject {
  return {
    apiVersion: apiVersionFor("ImageUpdateAutomation"),
    kind: "ImageUpdateAutomation",
    metadata: objectMeta(o),
    spec: {
      sourceRef: { kind: "GitRepository", name: o.gitRepository, namespace: o.gitRepositoryNamespace || undefined },
      git: {
        checkout: o.checkoutBranch ? { ref: { branch: o.checkoutBranch } } : undefined,
        commit: {
          author: { name: o.authorName, email: o.authorEmail },
          messageTemplate: o.commitTemplate || undefined,
          signingKey: o.signingKeySecret
            ? { secretRef: { name: o.signingKeySecret }, type: o.signingKeyType || undefined }
            : undefined,
        },
        push: o.pushBranch ? { branch: o.pushBranch } : undefined,
      },
      interval: goDuration(o.interval ?? "1m"),
      update: o.gitRepositoryPath ? { path: o.gitRepositoryPath, strategy: "Setters" } : undefined,
    },
  };
}
