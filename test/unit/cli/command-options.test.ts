// The flags-to-options mapping of the command layer, checked without running any
// engine: each command line is parsed by the real command tree and the options its
// command would hand to its engine are captured.
import { describe, expect, it } from "vitest";
import { mustKind } from "../../../src/kinds/registry.js";
import { optionsFor } from "../../helpers/cli.js";

describe("flags to options", () => {
  it("create source git: strings default to empty, flags of `flux create` are inherited", async () => {
    const o = await optionsFor([
      "create",
      "source",
      "git",
      "podinfo",
      "--url=https://github.com/stefanprodan/podinfo",
      "--branch=master",
      "--label=a=b,c=d",
      "--ignore-paths=x,y",
      "--export",
    ]);
    expect(o).toMatchObject({
      name: "podinfo",
      url: "https://github.com/stefanprodan/podinfo",
      branch: "master",
      tag: "",
      provider: undefined,
      label: ["a=b", "c=d"],
      ignorePaths: ["x", "y"],
      export: true,
      interval: "1m0s",
      intervalSet: false,
      sshKeyAlgorithm: "ecdsa",
      sshEcdsaCurve: "p384",
      sshRsaBits: "2048",
      silent: false,
    });
  });

  it("create image policy: --interval given on the command line is told apart from its default", async () => {
    expect(await optionsFor(["create", "image", "policy", "p", "--image-ref=r"])).toMatchObject({ intervalSet: false });
    expect(await optionsFor(["create", "image", "policy", "p", "--interval=5m"])).toMatchObject({
      interval: "5m",
      intervalSet: true,
    });
  });

  it("create kustomization: --source and --path stay undefined unless given", async () => {
    expect(await optionsFor(["create", "ks", "app"])).toMatchObject({ source: undefined, path: "./" });
    // checked as read (flags.KustomizationSource), mapped as given
    expect(await optionsFor(["create", "ks", "app", "--source=gitrepository/app.apps"])).toMatchObject({
      source: "gitrepository/app.apps",
    });
  });

  it("create secret receiver: --token is the webhook token, not the API server's", async () => {
    const o = await optionsFor(["create", "secret", "receiver", "r", "--type=github", "--token=s3cret"]);
    expect(o).toMatchObject({ token: "s3cret", type: "github" });
  });

  it("create secret tls: the deprecated file flags are undefined unless given", async () => {
    expect(await optionsFor(["create", "secret", "tls", "t", "--tls-crt-file=a", "--tls-key-file=b"])).toMatchObject({
      tlsCrtFile: "a",
      tlsKeyFile: "b",
      certFile: undefined,
      caFile: undefined,
    });
  });

  it("get: the kind selector and the group's flags", async () => {
    expect(await optionsFor(["get", "sources", "git", "podinfo", "-A", "--no-header", "-o", "json"])).toEqual({
      selector: "GitRepository",
      name: "podinfo",
      allNamespaces: true,
      noHeader: true,
      statusSelector: undefined,
      labelSelector: undefined,
      watch: false,
      output: "json",
      showSource: false,
      showManagedFields: false,
    });
    expect(await optionsFor(["get", "all"])).toMatchObject({ selector: "all", name: undefined });
    expect(await optionsFor(["get", "ks", "-o", "yaml", "--show-managed-fields"])).toMatchObject({
      selector: "Kustomization",
      output: "yaml",
      showManagedFields: true,
    });
  });

  it("reconcile: --wait defaults to true and --wait=false turns it off", async () => {
    const kind = mustKind("Kustomization");
    expect(await optionsFor(["reconcile", "ks", "apps"])).toEqual({
      kind,
      names: ["apps"],
      all: false,
      withSource: false,
      force: false,
      reset: false,
      wait: true,
    });
    expect(await optionsFor(["reconcile", "ks", "apps", "--wait=false"])).toMatchObject({ wait: false });
  });

  it("resume: --wait is undefined unless given", async () => {
    expect(await optionsFor(["resume", "ks", "a", "b"])).toMatchObject({ names: ["a", "b"], wait: undefined });
    expect(await optionsFor(["resume", "ks", "a", "--wait"])).toMatchObject({ wait: true });
  });

  it("install: distribution flags as given, defaults applied by the engine", async () => {
    const o = await optionsFor(["install", "--export", "--components-extra=image-reflector-controller"]);
    expect(o).toMatchObject({
      export: true,
      force: false,
      version: "",
      components: ["source-controller", "kustomize-controller", "helm-controller", "notification-controller"],
      componentsExtra: ["image-reflector-controller"],
      registry: "ghcr.io/fluxcd",
      watchAllNamespaces: true,
      networkPolicy: true,
      logLevel: "info",
    });
    expect(await optionsFor(["install", "--network-policy=false", "-v", "v2.9.0"])).toMatchObject({
      networkPolicy: false,
      version: "v2.9.0",
    });
  });

  it("bootstrap github: provider flags with upstream's defaults", async () => {
    const o = await optionsFor(["bootstrap", "github", "--owner=acme", "--repository=fleet", "--private=false"]);
    expect(o).toMatchObject({
      owner: "acme",
      repository: "fleet",
      private: false,
      visibility: "private",
      hostname: "github.com",
      branch: "main",
      secretName: "flux-system",
      sshRsaBits: 2048,
      wait: true,
      team: [],
    });
  });

  it("bootstrap gitea and bitbucket-server: upstream's flags and defaults (--group is the teams)", async () => {
    const gt = await optionsFor(["bootstrap", "gitea", "--owner=acme", "--repository=fleet", "--team=ops:admin"]);
    expect(gt).toMatchObject({ hostname: "gitea.com", private: true, visibility: "private", team: ["ops:admin"] });
    const bb = await optionsFor([
      "bootstrap",
      "bitbucket-server",
      "--owner=FLUX",
      "--repository=fleet",
      "-u",
      "jdoe",
      "--group=ops,devs",
      "--hostname=bb.example.com",
    ]);
    expect(bb).toMatchObject({ username: "jdoe", team: ["ops", "devs"], hostname: "bb.example.com", pr: false });
    expect((await optionsFor(["bootstrap", "bitbucket-server"])).hostname).toBe("");
  });

  it("push artifact: the URL argument and registry flags", async () => {
    const o = await optionsFor(["push", "artifact", "oci://r/a:1", "--path=.", "--source=s", "--revision=r"]);
    expect(o).toMatchObject({
      url: "oci://r/a:1",
      path: ".",
      provider: "generic",
      creds: "",
      insecureRegistry: false,
    });
  });

  it("source-watcher kinds: get artifact generators, export source external, tree artifact generator", async () => {
    expect(await optionsFor(["get", "artifact", "generators", "gen", "-A"])).toMatchObject({
      selector: "ArtifactGenerator",
      name: "gen",
      allNamespaces: true,
    });
    expect(await optionsFor(["get", "sources", "external"])).toMatchObject({ selector: "ExternalArtifact" });
    expect(await optionsFor(["export", "source", "external", "--all"])).toMatchObject({
      kind: mustKind("ExternalArtifact"),
      all: true,
    });
    expect(await optionsFor(["export", "artifact", "generator", "g"])).toMatchObject({
      kind: mustKind("ArtifactGenerator"),
      names: ["g"],
    });
    expect(await optionsFor(["tree", "artifact", "generator", "g", "-o", "json"])).toEqual({
      args: ["g"],
      output: "json",
    });
  });

  it("debug: --show-values / --show-vars are the inputs flag of each kind", async () => {
    expect(await optionsFor(["debug", "hr", "podinfo", "--show-values"])).toEqual({
      args: ["podinfo"],
      showStatus: false,
      showInputs: true,
      showHistory: false,
    });
    expect(await optionsFor(["debug", "kustomization", "a", "b", "--show-vars", "--show-history"])).toEqual({
      args: ["a", "b"],
      showStatus: false,
      showInputs: true,
      showHistory: true,
    });
  });

  it("stats: -A and -o", async () => {
    expect(await optionsFor(["stats", "-A", "-o", "yaml"])).toEqual({ allNamespaces: true, output: "yaml" });
  });

  it("build and diff helmrelease, diff refs: typed options for their engines", async () => {
    expect(
      await optionsFor([
        "build",
        "helmrelease",
        "podinfo",
        "--path",
        "./apps",
        "--local-sources",
        "GitRepository/a/b=../c",
      ]),
    ).toEqual({ name: "podinfo", path: "./apps", localSources: ["GitRepository/a/b=../c"], output: "yaml" });
    expect(await optionsFor(["diff", "helmrelease", "podinfo", "--progress-bar=false", "-o", "markdown"])).toEqual({
      name: "podinfo",
      path: undefined,
      localSources: undefined,
      output: "markdown",
      progressBar: false,
    });
    expect(await optionsFor(["diff", "refs", "--base", "main"])).toEqual({
      base: "main",
      head: undefined,
      path: ".",
      localSources: undefined,
      output: "human",
    });
  });

  it("trigger receiver: its own --token shadows the global one", async () => {
    expect(await optionsFor(["trigger", "receiver", "r", "--token", "t", "--url", "https://h"])).toEqual({
      args: ["r"],
      token: "t",
      url: "https://h",
      type: "generic",
      oidcProvider: "",
      oidcToken: "",
      oidcAudience: "",
      payload: "{}",
      retries: 10,
      retryDelay: "10s",
    });
  });
});
