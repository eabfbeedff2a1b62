// flux bootstrap git, end to end: the real CLI in-process, a real smart-HTTP git
// server (git-http-backend with Basic auth), the real API server, the real install
// rendering (mini bundle + kustomize), and the test playing the Flux controllers.
import type { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import {
  fluxRef,
  setReadyCondition,
  testKubeConfig,
  testKubeconfigPath,
  tryGetObject,
  uniqueName,
  type KubeObject,
} from "../env/helpers.js";
import { startGitServer, type GitServer } from "../env/git-server.js";
import { argvOf, optionsFor, runCli } from "../helpers/cli.js";
import { crdFreeMiniBundle, withFluxStandIn } from "../providers/flux-standin.js";
import { bootstrapDeps } from "../support/bootstrap-deps.js";
import { rollOutWhenCreated } from "../fixtures/install/bundle.js";
import { must } from "../support/must.js";
import { stopAfterAll } from "../support/teardown.js";

const PASSWORD = "gitS3cretPassw0rd";
const BEARER_TOKEN = "bearerT0kenForGit";
const COMPONENTS = ["source-controller", "kustomize-controller", "helm-controller", "notification-controller"];

let srv: GitServer;
let kc: KubeConfig;
let kubeconfig: string;
let BUNDLE: string;

const stopLater = stopAfterAll();

beforeAll(async () => {
  srv = stopLater(
    await startGitServer({
      username: "git",
      password: PASSWORD,
      extraPasswords: ["rotatedPassw0rd"],
      bearerTokens: [BEARER_TOKEN],
    }),
  );
  kc = await testKubeConfig();
  kubeconfig = await testKubeconfigPath();
  BUNDLE = await crdFreeMiniBundle();
});
afterAll(async () => {
  if (BUNDLE) (await import("node:fs")).rmSync(BUNDLE, { recursive: true, force: true });
});

function bootstrapArgs(repo: string, ns: string, extra: string[] = []): string[] {
  return [
    "bootstrap",
    "git",
    "--kubeconfig",
    kubeconfig,
    "-n",
    ns,
    `--url=${srv.url(repo)}`,
    "--allow-insecure-http",
    "--username",
    "git",
    "--password",
    PASSWORD,
    "--path",
    "clusters/dev",
    "--manifests",
    BUNDLE,
    "--timeout",
    "20s",
    ...extra,
  ];
}

async function bootstrapWithControllers(repo: string, ns: string, extra: string[] = []) {
  return withFluxStandIn(
    { kc, namespace: ns, headOf: (b) => srv.revParse(repo, `refs/heads/${b}`), components: COMPONENTS },
    () => runCli(bootstrapArgs(repo, ns, extra)),
  );
}

const secretOf = (ns: string) =>
  tryGetObject(kc, { group: "", version: "v1", plural: "secrets", namespace: ns, name: "flux-system" });
/** One base64-decoded value of a Secret's data; a missing Secret or key fails the test. */
const decoded = (secret: KubeObject | undefined, key: string) =>
  Buffer.from(
    must((must(secret, "the Secret").data as Record<string, string | undefined>)[key], `${key} in the Secret`),
    "base64",
  ).toString();

describe("flux bootstrap git --with-bearer-token", () => {
  it("pushes with Authorization: Bearer and stores the token as the Secret's bearerToken", async () => {
    const repo = `fleet/${uniqueName("bearer")}`;
    const ns = uniqueName("fb-bearer");
    await srv.createRepo(repo);
    const args = bootstrapArgs(repo, ns, ["--with-bearer-token"]).map((a) => (a === PASSWORD ? BEARER_TOKEN : a));
    const seen = srv.requests.length;
    const res = await withFluxStandIn(
      { kc, namespace: ns, headOf: (b) => srv.revParse(repo, `refs/heads/${b}`), components: COMPONENTS },
      () => runCli(args),
    );
    expect(res.stderr).toContain("✔ all components are healthy");
    expect(res.code).toBe(0);
    expect(res.stderr).not.toContain(BEARER_TOKEN);
    // the server took the token (it refuses a bearer token it does not know), and the push landed
    const pushes = srv.requests.slice(seen).filter((r) => r.repo === repo && r.service === "git-receive-pack");
    expect(pushes.length).toBeGreaterThan(0);
    expect(pushes.every((r) => r.authorized)).toBe(true);
    expect(srv.revParse(repo, "refs/heads/main")).toMatch(/^[0-9a-f]{40}$/);
    const data = ((await secretOf(ns)) as { data?: Record<string, string> } | undefined)?.data ?? {};
    expect(Object.keys(data)).toEqual(["bearerToken"]);
    expect(Buffer.from(must(data.bearerToken, "the bearerToken"), "base64").toString()).toBe(BEARER_TOKEN);
  });

  it("fails with a token the server does not know, and pushes nothing", async () => {
    const repo = `fleet/${uniqueName("bearer-bad")}`;
    const ns = uniqueName("fb-bearer");
    await srv.createRepo(repo);
    const args = bootstrapArgs(repo, ns, ["--with-bearer-token"]).map((a) => (a === PASSWORD ? "wrongT0ken" : a));
    const res = await runCli(args);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/✗ .*(401|auth)/i);
    expect(res.stderr).not.toContain("wrongT0ken");
    expect(srv.revParse(repo, "refs/heads/main")).toBeUndefined();
  });
});

describe("flux bootstrap git over HTTPS basic auth", () => {
  it("bootstraps an empty repository, then a re-run changes nothing and says so", async () => {
    const repo = `fleet/${uniqueName("empty")}`;
    const ns = uniqueName("fb-git");
    await srv.createRepo(repo);
    const res = await bootstrapWithControllers(repo, ns);
    expect(res.stderr).toContain("✔ all components are healthy");
    expect(res.code).toBe(0);
    expect(res.stderr).not.toContain(PASSWORD);
    expect(res.stdout).not.toContain(PASSWORD);
    const dir = `clusters/dev/${ns}`;
    expect(srv.listFiles(repo, "main").sort()).toEqual([
      `${dir}/gotk-components.yaml`,
      `${dir}/gotk-sync.yaml`,
      `${dir}/kustomization.yaml`,
    ]);
    const log = srv.log(repo, "main");
    expect(log.map((c) => c.message)).toEqual([
      "Add Flux sync manifests",
      expect.stringMatching(/^Add Flux v2\.\d+\.\d+ component manifests$/),
    ]);
    expect(log[0]?.author).toBe("Flux <>");
    const sync = must(srv.readFile(repo, "main", `${dir}/gotk-sync.yaml`), "gotk-sync.yaml");
    expect(sync).toContain(`  url: ${srv.url(repo)}\n`);
    expect(sync).toContain("  path: ./clusters/dev\n");
    expect(srv.readFile(repo, "main", `${dir}/kustomization.yaml`)).toBe(
      "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- gotk-components.yaml\n- gotk-sync.yaml\n",
    );
    const secret = must(await secretOf(ns), "the flux-system Secret");
    expect(decoded(secret, "password")).toBe(PASSWORD);
    const gitRepo = await tryGetObject(kc, fluxRef("GitRepository", ns, ns));
    expect((must(gitRepo, "the GitRepository").status as { artifact: { revision: string } }).artifact.revision).toBe(
      `main@sha1:${log[0]?.sha}`,
    );

    // Second run: nothing new anywhere.
    const again = await bootstrapWithControllers(repo, ns);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("✔ component manifests are up to date");
    expect(again.stderr).toContain("✔ source secret up to date");
    expect(again.stderr).toContain("✔ sync manifests are up to date");
    expect(again.stderr).toContain("✔ bootstrap is up to date: nothing changed in the repository or the cluster");
    expect(srv.log(repo, "main")).toHaveLength(2);
    expect((await secretOf(ns))?.metadata.resourceVersion).toBe(secret.metadata.resourceVersion);

    // New credentials never overwrite the existing secret: a warning says how to replace them.
    srv.onRequest = undefined;
    const other = await withFluxStandIn(
      { kc, namespace: ns, headOf: (b) => srv.revParse(repo, `refs/heads/${b}`), components: COMPONENTS },
      () => runCli(bootstrapArgs(repo, ns).map((a) => (a === PASSWORD ? "rotatedPassw0rd" : a))),
    );
    expect(other.stderr).toContain(
      `⚠️ source secret "${ns}/flux-system" exists with other credentials and is kept as it is`,
    );
    expect((await secretOf(ns))?.metadata.resourceVersion).toBe(secret.metadata.resourceVersion);
    // Three whole bootstraps, each allowed its own 20 s --timeout: the test's bound must hold
    // all three on a busy machine (the default 60 s was hit once at load 24).
  }, 150_000);

  it("--sparse-checkout goes into the GitRepository of gotk-sync.yaml", async () => {
    const repo = `fleet/${uniqueName("sparse")}`;
    const ns = uniqueName("fb-sparse");
    await srv.createRepo(repo);
    const res = await bootstrapWithControllers(repo, ns, ["--sparse-checkout", "clusters/dev,infra"]);
    expect(res.stderr).toContain("✔ all components are healthy");
    expect(res.code).toBe(0);
    const sync = must(srv.readFile(repo, "main", `clusters/dev/${ns}/gotk-sync.yaml`), "gotk-sync.yaml");
    expect(sync).toContain("  sparseCheckout:\n  - clusters/dev\n  - infra\n");
    const gitRepo = await tryGetObject(kc, fluxRef("GitRepository", ns, ns));
    expect((must(gitRepo, "the GitRepository").spec as { sparseCheckout: string[] }).sparseCheckout).toEqual([
      "clusters/dev",
      "infra",
    ]);
  });

  it("retries a clone that fails with a server error", async () => {
    const repo = `fleet/${uniqueName("flaky")}`;
    const ns = uniqueName("fb-git");
    await srv.createRepo(repo, { files: { "README.md": "x\n" } });
    srv.failNext(1, 503);
    const res = await bootstrapWithControllers(repo, ns);
    expect(res.stderr).toContain("⚠️ clone failure:");
    expect(res.code).toBe(0);
    expect(srv.log(repo, "main")).toHaveLength(3);
  });

  it("keeps the other files of an existing repository", async () => {
    const repo = `fleet/${uniqueName("existing")}`;
    const ns = uniqueName("fb-git");
    const files = {
      "README.md": "# fleet\n",
      "apps/podinfo.yaml": "kind: HelmRelease\n",
      "clusters/dev/apps.yaml": "kind: Kustomization\n",
    };
    await srv.createRepo(repo, { files });
    const res = await bootstrapWithControllers(repo, ns, [
      "--commit-message-appendix",
      "[ci skip]",
      "--author-name",
      "Ops",
      "--author-email",
      "ops@example.com",
      "--registry-creds",
      "robot:pullT0ken",
      "--image-pull-secret",
      "regcred",
    ]);
    expect(res.stderr).toContain("bootstrap finished");
    expect(res.code).toBe(0);
    expect(res.stderr).not.toContain("pullT0ken");
    const pull = await tryGetObject(kc, {
      group: "",
      version: "v1",
      plural: "secrets",
      namespace: ns,
      name: "regcred",
    });
    expect(pull?.type).toBe("kubernetes.io/dockerconfigjson");
    const config = JSON.parse(decoded(pull, ".dockerconfigjson")) as { auths: Record<string, { username: string }> };
    expect(config.auths["ghcr.io/fluxcd"]?.username).toBe("robot");
    for (const [f, content] of Object.entries(files)) expect(srv.readFile(repo, "main", f)).toBe(content);
    const log = srv.log(repo, "main");
    expect(log).toHaveLength(3);
    expect(log[0]?.message).toBe("Add Flux sync manifests\n\n[ci skip]");
    expect(log[0]?.author).toBe("Ops <ops@example.com>");
  });

  it("fails clearly on a wrong password and changes nothing in the repository or the cluster", async () => {
    const repo = `fleet/${uniqueName("auth")}`;
    const ns = uniqueName("fb-git");
    await srv.createRepo(repo, { files: { "README.md": "x\n" } });
    const before = srv.revParse(repo, "main");
    const args = bootstrapArgs(repo, ns).map((a) => (a === PASSWORD ? "not-the-password" : a));
    const res = await runCli(args);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("✗ authentication failed for");
    expect(res.stderr).not.toContain("not-the-password");
    expect(srv.revParse(repo, "main")).toBe(before);
    expect(await tryGetObject(kc, { group: "", version: "v1", plural: "namespaces", name: ns })).toBeUndefined();
  });

  it("refuses a URL with credentials in it, which would end up in Git", async () => {
    const repo = `fleet/${uniqueName("creds")}`;
    const ns = uniqueName("fb-git");
    await srv.createRepo(repo);
    const url = srv.authUrl(repo);
    const res = await runCli(bootstrapArgs(repo, ns).map((a) => (a.startsWith("--url=") ? `--url=${url}` : a)));
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("contains credentials: remove them and use --username and --password");
    expect(res.stderr).not.toContain(PASSWORD);
    expect(srv.log(repo, "main")).toHaveLength(0);
  });

  it("converges after a run interrupted during the wait", async () => {
    const repo = `fleet/${uniqueName("wait")}`;
    const ns = uniqueName("fb-git");
    await srv.createRepo(repo);
    // No controllers: the wait times out after everything was pushed and applied.
    const first = await runCli(bootstrapArgs(repo, ns, ["--timeout", "2s"]));
    expect(first.code).toBe(1);
    expect(first.stderr).toContain("bootstrap failed with");
    expect(srv.log(repo, "main")).toHaveLength(2);
    const second = await bootstrapWithControllers(repo, ns);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain("✔ Kustomization reconciled successfully");
    expect(srv.log(repo, "main")).toHaveLength(2);
  });

  it("converges after a run interrupted before the cluster was touched", async () => {
    const repo = `fleet/${uniqueName("nocluster")}`;
    const ns = uniqueName("fb-git");
    await srv.createRepo(repo);
    // An unreachable API server: the components are pushed, then the run stops. (--force:
    // without it, bootstrap reads the installation's manager from the cluster first.)
    const first = await runCli([
      ...bootstrapArgs(repo, ns),
      "--force",
      "--server",
      "https://127.0.0.1:1",
      "--insecure-skip-tls-verify",
    ]);
    expect(first.code).toBe(1);
    expect(srv.log(repo, "main").map((c) => c.message)).toEqual([expect.stringMatching(/component manifests$/)]);
    const second = await bootstrapWithControllers(repo, ns);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain("✔ component manifests are up to date");
    expect(srv.log(repo, "main").map((c) => c.message)[0]).toBe("Add Flux sync manifests");
    expect(srv.log(repo, "main")).toHaveLength(2);
  });

  it("installs through the repository's kustomization.yaml, with its patches, while Flux never applied", async () => {
    const repo = `fleet/${uniqueName("patch")}`;
    const ns = uniqueName("fb-git");
    await srv.createRepo(repo);
    // First run: no controllers, so the Kustomization never applies a revision.
    expect((await runCli(bootstrapArgs(repo, ns, ["--timeout", "1s"]))).code).toBe(1);
    const dir = `clusters/dev/${ns}`;
    srv.commitFiles(
      repo,
      "main",
      {
        [`${dir}/kustomization.yaml`]: [
          "apiVersion: kustomize.config.k8s.io/v1beta1",
          "kind: Kustomization",
          "resources:",
          "- gotk-components.yaml",
          "- gotk-sync.yaml",
          "patches:",
          "- patch: |",
          "    - op: add",
          "      path: /metadata/labels/patched-by",
          "      value: fleet",
          "  target:",
          "    kind: Deployment",
          "    name: source-controller",
          "",
        ].join("\n"),
      },
      "Patch source-controller",
    );
    // Still no controllers (the stand-in would mark the Kustomization applied and skip the install).
    const res = await runCli(bootstrapArgs(repo, ns, ["--timeout", "1s"]));
    expect(res.stderr).toContain("✔ installed components");
    expect(res.stderr).toContain(`► building ${dir}/kustomization.yaml with the repository's customizations`);
    const d = await tryGetObject(kc, {
      group: "apps",
      version: "v1",
      plural: "deployments",
      namespace: ns,
      name: "source-controller",
    });
    expect(d?.metadata.labels?.["patched-by"]).toBe("fleet");
    expect(srv.readFile(repo, "main", `${dir}/kustomization.yaml`)).toContain("patched-by");
  });

  it("rebuilds its commit on top when the remote moves during the push, never forcing", async () => {
    const repo = `fleet/${uniqueName("moved")}`;
    const ns = uniqueName("fb-git");
    await srv.createRepo(repo, { files: { "README.md": "x\n" } });
    let moved = false;
    srv.onRequest = (info) => {
      if (!moved && info.repo === repo && info.service === "git-receive-pack" && info.phase === "advertise") {
        moved = true;
        srv.commitFiles(repo, "main", { "apps/new.yaml": "kind: ConfigMap\n" }, "Someone else's change");
      }
    };
    try {
      const res = await bootstrapWithControllers(repo, ns);
      expect(res.code).toBe(0);
      expect(res.stderr).toContain("◎ git conflict detected, retrying with a fresh clone");
    } finally {
      srv.onRequest = undefined;
    }
    const messages = srv.log(repo, "main").map((c) => c.message);
    expect(messages).toEqual([
      "Add Flux sync manifests",
      expect.stringMatching(/component manifests$/),
      "Someone else's change",
      "Initial commit",
    ]);
    expect(srv.readFile(repo, "main", "apps/new.yaml")).toBe("kind: ConfigMap\n");
  });

  it("reports a failing source without waiting for the Kustomization", async () => {
    const repo = `fleet/${uniqueName("failing")}`;
    const ns = uniqueName("fb-git");
    await srv.createRepo(repo);
    const stop = new AbortController();
    const rollout = rollOutWhenCreated(kc, ns, COMPONENTS, stop.signal);
    try {
      const running = runCli(bootstrapArgs(repo, ns, ["--timeout", "30s"]));
      const ref = fluxRef("GitRepository", ns, ns);
      for (let i = 0; i < 200 && !(await tryGetObject(kc, ref)); i++) await new Promise((r) => setTimeout(r, 100));
      await setReadyCondition(
        kc,
        ref,
        false,
        "GitOperationFailed",
        "failed to checkout and determine revision: authentication required",
      );
      const res = await running;
      expect(res.code).toBe(1);
      expect(res.stderr).toContain("✗ failed to checkout and determine revision: authentication required");
      expect(res.stderr).toContain(`✗ Kustomization "${ns}/${ns}" not checked: its GitRepository is not ready`);
      expect(res.stderr).toContain("✔ all components are healthy");
      expect(res.stderr).toContain("✗ bootstrap failed with 1 health check failure(s)");
      // Not a timeout: the failure ended the wait (no clock here: a busy machine must not change the verdict).
      expect(res.stderr).not.toMatch(/timeout|timed out|context deadline/i);
    } finally {
      stop.abort();
      await rollout;
    }
  });

  it("refuses to move an existing sync path", async () => {
    const repo = `fleet/${uniqueName("path")}`;
    const ns = uniqueName("fb-git");
    await srv.createRepo(repo);
    expect((await bootstrapWithControllers(repo, ns)).code).toBe(0);
    const res = await runCli(bootstrapArgs(repo, ns).map((a) => (a === "clusters/dev" ? "clusters/prod" : a)));
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      'sync path configuration ("clusters/prod") would overwrite path ("./clusters/dev") of existing Kustomization',
    );
  });
});

describe("flux bootstrap git over ssh://", () => {
  it("pushes with the system git client and the given key, and stores that key in the secret", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const { bootstrapGit } = await import("../../src/bootstrap/run.js");
    const { BOOTSTRAP_STEPS } = await import("../../src/bootstrap/engine.js");
    const { SystemGitClient } = await import("../../src/git/index.js");

    const repo = `fleet/${uniqueName("ssh")}`;
    const ns = uniqueName("fb-ssh");
    await srv.createRepo(repo, { files: { "README.md": "ssh\n" } });
    const work = mkdtempSync(path.join(os.tmpdir(), "tsflux-sshtest-"));
    onTestFinished(() => rmSync(work, { recursive: true, force: true }));
    const keyFile = path.join(work, "id");
    const privateKey = generateKeyPairSync("ed25519", {
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    }).privateKey;
    writeFileSync(keyFile, privateKey, { mode: 0o600 });
    // A stand-in for ssh (as git's own tests do): records its arguments and runs the remote command locally.
    const log = path.join(work, "ssh.log");
    const fakeSsh = path.join(work, "ssh");
    writeFileSync(fakeSsh, `#!/bin/sh\nfor a; do last="$a"; done\necho "$*" >> "${log}"\nexec sh -c "$last"\n`);
    chmodSync(fakeSsh, 0o755);
    const url = `ssh://git@git.example.com${path.join(srv.root, `${repo}.git`)}`;
    const git = new SystemGitClient({
      url,
      branch: "main",
      dir: path.join(work, "clone"),
      ssh: { privateKey, sshCommand: fakeSsh },
    });
    const { ctx, logger } = bootstrapDeps(kubeconfig, ns);
    const steps: string[] = [];
    await withFluxStandIn(
      { kc, namespace: ns, headOf: (b) => srv.revParse(repo, `refs/heads/${b}`), components: COMPONENTS },
      async () =>
        bootstrapGit(
          await optionsFor([
            "bootstrap",
            "git",
            ...argvOf({ url, path: "clusters/ssh", manifests: BUNDLE, privateKeyFile: keyFile }),
          ]),
          ctx,
          {
            git,
            scanHostKey: (hostport) =>
              Promise.resolve(
                `${hostport} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl`,
              ),
            beforeStep: (name) => {
              steps.push(name);
            },
          },
        ),
    );
    expect(logger.lines).toContain("✔ all components are healthy");
    // Direct mode: every step but pull-request, in the documented order.
    expect(steps).toEqual(BOOTSTRAP_STEPS.filter((s) => s !== "pull-request"));
    expect(srv.listFiles(repo, "main")).toContain(`clusters/ssh/${ns}/gotk-sync.yaml`);
    expect(srv.readFile(repo, "main", `clusters/ssh/${ns}/gotk-sync.yaml`)).toContain(`  url: ${url}\n`);
    expect(readFileSync(log, "utf8")).toMatch(/IdentitiesOnly=yes.*git@git\.example\.com git-receive-pack/);
    const secret = await secretOf(ns);
    expect(decoded(secret, "identity")).toBe(privateKey);
    expect(decoded(secret, "known_hosts")).toMatch(/^git\.example\.com ssh-ed25519 /);
    expect(logger.lines.join("\n")).not.toContain("PRIVATE KEY");
  });
});
