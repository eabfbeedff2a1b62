// Sync manifests byte for byte against upstream's output (golden files).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  deployKeyBaseName,
  deployKeyTitle,
  generateKustomization,
  generateSync,
  manifestsDir,
  normalizeTargetPath,
  sameRevision,
} from "../../../src/bootstrap/sync.js";

const golden = (f: string) => readFileSync(new URL(`../../golden/tsflux/bootstrap/${f}`, import.meta.url), "utf8");

describe("gotk-sync.yaml", () => {
  it("matches upstream for an SSH GitHub repository", () => {
    const m = generateSync({
      name: "flux-system",
      namespace: "flux-system",
      url: "ssh://git@github.com/acme/fleet-infra",
      branch: "main",
      interval: "1m0s",
      secret: "flux-system",
      targetPath: "./clusters/my-cluster",
    });
    expect(m.path).toBe("clusters/my-cluster/flux-system/gotk-sync.yaml");
    expect(m.content).toBe(golden("gotk-sync.yaml"));
  });

  it("matches upstream at the repository root with HTTPS, another namespace and submodules", () => {
    const m = generateSync({
      name: "gotk",
      namespace: "gotk",
      url: "https://gitlab.com/acme/platform/fleet.git",
      branch: "clusters",
      interval: "5m0s",
      secret: "git-creds",
      targetPath: "",
      recurseSubmodules: true,
    });
    expect(m.path).toBe("gotk/gotk-sync.yaml");
    expect(m.content).toBe(golden("gotk-sync-https-root.yaml"));
  });
});

describe("kustomization.yaml", () => {
  it("lists the generated files like upstream", () => {
    expect(generateKustomization(undefined)).toBe(golden("kustomization.yaml"));
    expect(generateKustomization(undefined, ["patch.yaml", "kustomization.yaml"])).toContain(
      "- gotk-sync.yaml\n- patch.yaml\n",
    );
  });
  it("keeps an existing file untouched", () => {
    const mine =
      "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [gotk-components.yaml, gotk-sync.yaml]\npatches: []\n";
    expect(generateKustomization(mine)).toBe(mine);
  });
});

describe("paths, deploy key names and revisions", () => {
  it("normalises --path and refuses paths leaving the repository", () => {
    expect(normalizeTargetPath("./clusters/a")).toBe("clusters/a");
    expect(normalizeTargetPath(".")).toBe("");
    expect(manifestsDir("", "flux-system")).toBe("flux-system");
    expect(() => normalizeTargetPath("/etc")).toThrow(/relative/);
    expect(() => normalizeTargetPath("a/../../b")).toThrow(/must not leave/);
  });
  it("names deploy keys like upstream plus a key fingerprint", () => {
    expect(deployKeyBaseName("flux-system", "main", "flux-system", "clusters/prod")).toBe(
      "flux-system-main-flux-system-clusters/prod",
    );
    const a = deployKeyTitle(
      "flux-system",
      "main",
      "flux-system",
      "clusters/prod",
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA comment",
    );
    const b = deployKeyTitle(
      "flux-system",
      "main",
      "flux-system",
      "clusters/prod",
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5BBBBIA",
    );
    expect(a).toMatch(/^flux-system-main-flux-system-clusters\/prod-[A-Za-z0-9+/]{12}$/);
    expect(a).not.toBe(b);
    expect(
      deployKeyTitle(
        "flux-system",
        "main",
        "flux-system",
        "clusters/prod",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA other",
      ),
    ).toBe(a);
  });
  it("accepts current and legacy revision formats", () => {
    expect(sameRevision("main@sha1:abc", "main", "abc")).toBe(true);
    expect(sameRevision("main/abc", "main", "abc")).toBe(true);
    expect(sameRevision("main@sha1:abd", "main", "abc")).toBe(false);
    expect(sameRevision(undefined, "main", "abc")).toBe(false);
  });
});

describe("SSH URLs for bootstrap git", () => {
  it("rewrites scp-like URLs into the ssh:// form source-controller accepts", async () => {
    const { sshUrl } = await import("../../../src/bootstrap/run.js");
    expect(sshUrl("git@github.com:acme/fleet.git")).toBe("ssh://git@github.com/acme/fleet.git");
    expect(sshUrl("ssh://git@example.com:2222/fleet.git")).toBe("ssh://git@example.com:2222/fleet.git");
    expect(sshUrl("git@host:/srv/git/fleet.git")).toBe("ssh://git@host/srv/git/fleet.git");
  });
});
