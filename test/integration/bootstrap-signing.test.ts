// Signed bootstrap commits (--gpg-key-ring/--gpg-key-id/--gpg-passphrase,
// --ssh-signing-key-file/--ssh-signing-password, --ssh-signing-reuse-private-key):
// bootstrap git and github push to the real git server, and the real `git verify-commit`
// checks every pushed commit, with a GNUPGHOME holding only the public key or an SSH
// allowed-signers file. The flag rules are upstream's TestBootstrapValidate_signingFlags
// and TestBootstrapProviderRejectsReuseBeforeValidate, driven through the command line
// with upstream's own key files (test/golden/upstream/testdata/bootstrap).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapWithProvider, type BootstrapProviderOptions } from "../../src/bootstrap/run.js";
import { GitHubProvider } from "../../src/providers/github.js";
import { fluxRef, testKubeConfig, testKubeconfigPath, tryGetObject, uniqueName } from "../env/helpers.js";
import { startGitServer, type GitServer } from "../env/git-server.js";
import { startSshGitServer } from "../env/ssh-server.js";
import { argvOf, optionsFor, runCli, type CliResult } from "../helpers/cli.js";
import { crdFreeMiniBundle, withFluxStandIn } from "../providers/flux-standin.js";
import { bootstrapDeps } from "../support/bootstrap-deps.js";
import { GitHubServer } from "../providers/github-server.js";
import { makeGpgKey, makeSshKey, verifyCommit, type GpgKey } from "../support/signing.js";
import { must } from "../support/must.js";
import { stopAfterAll } from "../support/teardown.js";

const PASSWORD = "gitS3cretPassw0rd";
const GPG_PASSPHRASE = "gpgPassCANARY-7f3a";
const SSH_PASSPHRASE = "sshPassCANARY-91b2";
const COMPONENTS = ["source-controller", "kustomize-controller", "helm-controller", "notification-controller"];
const UPSTREAM = path.resolve(import.meta.dirname, "../golden/upstream/testdata/bootstrap");
const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

let srv: GitServer;
let gh: GitHubServer;
let kc: KubeConfig;
let kubeconfig: string;
let bundle: string;
let dir: string;
const gpgKeys: GpgKey[] = [];

const stopLater = stopAfterAll();

beforeAll(async () => {
  srv = stopLater(await startGitServer({ username: "git", password: PASSWORD }));
  gh = stopLater(await GitHubServer.start({ git: srv, token: PASSWORD, login: "octocat" }));
  kc = await testKubeConfig();
  kubeconfig = await testKubeconfigPath();
  bundle = await crdFreeMiniBundle();
  dir = mkdtempSync(path.join(os.tmpdir(), "tsflux-bootstrap-signing-"));
});
afterAll(() => {
  for (const k of gpgKeys) k.cleanup();
  for (const d of [bundle, dir]) if (d) rmSync(d, { recursive: true, force: true });
});

function gitArgs(repo: string, ns: string, extra: string[]): string[] {
  return [
    "bootstrap",
    "git",
    "--kubeconfig",
    kubeconfig,
    "-n",
    ns,
    `--url=${srv.url(repo)}`,
    "--allow-insecure-http",
    "--password",
    PASSWORD,
    "--path",
    "clusters/dev",
    "--manifests",
    bundle,
    "--author-email",
    "flux@example.com",
    "--timeout",
    "20s",
    ...extra,
  ];
}

async function bootstrapGit(extra: string[]): Promise<{ res: CliResult; repo: string; commits: string[] }> {
  const repo = `fleet/${uniqueName("signed")}`;
  const ns = uniqueName("fb-sign");
  await srv.createRepo(repo);
  const res = await withFluxStandIn(
    { kc, namespace: ns, headOf: (b) => srv.revParse(repo, `refs/heads/${b}`), components: COMPONENTS },
    () => runCli(gitArgs(repo, ns, extra)),
  );
  return { res, repo, commits: srv.log(repo, "main").map((c) => c.sha) };
}

const bare = (repo: string) => path.join(srv.root, `${repo}.git`);

function expectNoSecrets(res: CliResult, ...secrets: string[]) {
  for (const s of secrets) {
    expect(res.stdout).not.toContain(s);
    expect(res.stderr).not.toContain(s);
  }
}

describe("flux bootstrap git signs its commits", () => {
  it("with --gpg-key-ring, --gpg-key-id and --gpg-passphrase: gpg verifies every pushed commit", async () => {
    const key = makeGpgKey(mkdtempSync(path.join(dir, "g-")), { passphrase: GPG_PASSPHRASE });
    gpgKeys.push(key);
    const { res, repo, commits } = await bootstrapGit([
      "--gpg-key-ring",
      key.ringFile,
      "--gpg-key-id",
      key.keyId,
      "--gpg-passphrase",
      GPG_PASSPHRASE,
    ]);
    expect(res.stderr).toContain("✔ all components are healthy");
    expect(res.code).toBe(0);
    expectNoSecrets(res, GPG_PASSPHRASE, PASSWORD);
    expect(commits).toHaveLength(2);
    for (const c of commits) {
      const v = verifyCommit(bare(repo), c, { gnupgHome: key.verifyHome });
      expect(v.output).toContain('Good signature from "Flux <flux@example.com>"');
      expect(v.code).toBe(0);
    }
  });

  it("with an armored key ring and no key id: the ring's first key signs", async () => {
    const key = makeGpgKey(mkdtempSync(path.join(dir, "g-")), { armor: true, algo: "rsa2048" });
    gpgKeys.push(key);
    const { res, repo, commits } = await bootstrapGit(["--gpg-key-ring", key.ringFile]);
    expect(res.code).toBe(0);
    expect(commits).toHaveLength(2);
    for (const c of commits) expect(verifyCommit(bare(repo), c, { gnupgHome: key.verifyHome }).code).toBe(0);
  });

  it("with --ssh-signing-key-file and --ssh-signing-password: the allowed-signers check passes", async () => {
    const key = makeSshKey(mkdtempSync(path.join(dir, "k-")), "ecdsa-256", { passphrase: SSH_PASSPHRASE });
    const { res, repo, commits } = await bootstrapGit([
      "--ssh-signing-key-file",
      key.file,
      "--ssh-signing-password",
      SSH_PASSPHRASE,
    ]);
    expect(res.code).toBe(0);
    expectNoSecrets(res, SSH_PASSPHRASE);
    expect(commits).toHaveLength(2);
    for (const c of commits) {
      const v = verifyCommit(bare(repo), c, { sshPublicKey: key.publicKey });
      expect(v.output).toContain('Good "git" signature for flux@example.com');
      expect(v.code).toBe(0);
    }
    // The unsigned-looking check with another key fails: the signature is the key's.
    const other = makeSshKey(mkdtempSync(path.join(dir, "k-")), "ed25519");
    expect(
      verifyCommit(bare(repo), must(commits[0], "a bootstrap commit"), { sshPublicKey: other.publicKey }).code,
    ).not.toBe(0);
  });

  it("with --ssh-signing-reuse-private-key: the --private-key-file key (decrypted with --password) signs", async () => {
    // Over HTTPS the key file is read for signing only; --password is its passphrase there, as upstream.
    const key = makeSshKey(mkdtempSync(path.join(dir, "k-")), "ed25519", { passphrase: PASSWORD });
    const { res, repo, commits } = await bootstrapGit([
      "--private-key-file",
      key.file,
      "--ssh-signing-reuse-private-key",
    ]);
    expect(res.code).toBe(0);
    for (const c of commits) expect(verifyCommit(bare(repo), c, { sshPublicKey: key.publicKey }).code).toBe(0);
  });

  it("with the hidden alias --ssh-signing-passphrase", async () => {
    const key = makeSshKey(mkdtempSync(path.join(dir, "k-")), "rsa", { passphrase: SSH_PASSPHRASE });
    const { res, repo, commits } = await bootstrapGit([
      "--ssh-signing-key-file",
      key.file,
      "--ssh-signing-passphrase",
      SSH_PASSPHRASE,
    ]);
    expect(res.code).toBe(0);
    expect(verifyCommit(bare(repo), must(commits[0], "a bootstrap commit"), { sshPublicKey: key.publicKey }).code).toBe(
      0,
    );
  });

  it("without signing flags the commits carry no signature", async () => {
    const { res, repo, commits } = await bootstrapGit([]);
    expect(res.code).toBe(0);
    const v = verifyCommit(bare(repo), must(commits[0], "a bootstrap commit"), { gnupgHome: dir });
    expect(v.code).not.toBe(0);
    const raw = execFileSync("git", ["cat-file", "commit", must(commits[0], "a bootstrap commit")], {
      cwd: bare(repo),
      encoding: "utf8",
    });
    expect(raw).not.toContain("gpgsig");
  });
});

describe("flux bootstrap git over SSH (the system git client)", () => {
  it("--sparse-checkout and --ssh-signing-reuse-private-key: signed with the deploy key, every other file kept", async () => {
    const ssh = stopLater(await startSshGitServer(srv));
    const savedHome = process.env.HOME;
    // ssh accepts the new host key into $HOME/.ssh/known_hosts: a HOME of the test's own.
    process.env.HOME = mkdtempSync(path.join(dir, "home-"));
    try {
      const repo = `fleet/${uniqueName("sparse-ssh")}`;
      const ns = uniqueName("fb-sign-ssh");
      const files = {
        "README.md": "fleet\n",
        "apps/podinfo.yaml": "kind: HelmRelease\n",
        "clusters/dev/apps.yaml": "kind: Kustomization\n",
        "clusters/prod/apps.yaml": "kind: Kustomization\n",
      };
      await srv.createRepo(repo, { files });
      const key = makeSshKey(mkdtempSync(path.join(dir, "k-")), "ed25519");
      ssh.authorize(repo, key.publicKey, "write");
      const res = await withFluxStandIn(
        { kc, namespace: ns, headOf: (b) => srv.revParse(repo, `refs/heads/${b}`), components: COMPONENTS },
        () =>
          runCli([
            "bootstrap",
            "git",
            "--kubeconfig",
            kubeconfig,
            "-n",
            ns,
            `--url=${ssh.url(repo)}`,
            `--private-key-file=${key.file}`,
            "--silent",
            "--path=clusters/dev",
            "--sparse-checkout=clusters/dev,apps",
            "--ssh-signing-reuse-private-key",
            `--manifests=${bundle}`,
            "--timeout=20s",
          ]),
      );
      expect(res.stderr).toContain("✔ all components are healthy");
      expect(res.code).toBe(0);
      expect(ssh.sessions().filter((x) => x.repo === repo && x.service === "git-receive-pack").length).toBeGreaterThan(
        0,
      );
      const log = srv.log(repo, "main");
      expect(log.map((c) => c.message).slice(0, 2)).toEqual([
        "Add Flux sync manifests",
        expect.stringMatching(/^Add Flux v2\.\d+\.\d+ component manifests$/),
      ]);
      for (const c of log.slice(0, 2))
        expect(verifyCommit(bare(repo), c.sha, { sshPublicKey: key.publicKey }).code).toBe(0);
      // The sparse clone's commits carry the files it did not check out.
      expect(srv.listFiles(repo, "main").sort()).toEqual(
        [
          ...Object.keys(files),
          `clusters/dev/${ns}/gotk-components.yaml`,
          `clusters/dev/${ns}/gotk-sync.yaml`,
          `clusters/dev/${ns}/kustomization.yaml`,
        ].sort(),
      );
      expect(srv.readFile(repo, "main", "clusters/prod/apps.yaml")).toBe("kind: Kustomization\n");
      expect(srv.readFile(repo, "main", `clusters/dev/${ns}/gotk-sync.yaml`)).toContain(
        "  sparseCheckout:\n  - clusters/dev\n  - apps\n",
      );
      const gitRepo = await tryGetObject(kc, fluxRef("GitRepository", ns, ns));
      expect((must(gitRepo, "the GitRepository").spec as { sparseCheckout: string[] }).sparseCheckout).toEqual([
        "clusters/dev",
        "apps",
      ]);
    } finally {
      process.env.HOME = savedHome;
      await ssh.stop();
    }
  });
});

describe("flux bootstrap github signs its commits", () => {
  it("with --ssh-signing-key-file: the commits on the provider's repository verify", async () => {
    const key = makeSshKey(mkdtempSync(path.join(dir, "k-")), "ed25519");
    const repo = uniqueName("fleet");
    const ns = uniqueName("fb-gh-sign");
    const { ctx } = bootstrapDeps(kubeconfig, ns);
    const provider = new GitHubProvider({ token: PASSWORD, hostname: gh.url });
    const flags = {
      owner: "octocat",
      personal: true,
      repository: repo,
      path: "clusters/prod",
      manifests: bundle,
      "ssh-signing-key-file": key.file,
    };
    const options = await optionsFor<BootstrapProviderOptions>(["bootstrap", "github", ...argvOf(flags)]);
    await withFluxStandIn(
      {
        kc,
        namespace: ns,
        headOf: (b) => srv.revParse(`octocat/${repo}`, `refs/heads/${b}`),
        components: COMPONENTS,
      },
      () =>
        bootstrapWithProvider(
          options,
          ctx,
          { kind: "github", provider, token: PASSWORD },
          { scanHostKey: (hostport: string) => Promise.resolve(`${hostport} ${HOST_KEY}`) },
        ),
    );
    const commits = srv.log(`octocat/${repo}`, "main").map((c) => c.sha);
    expect(commits.length).toBeGreaterThanOrEqual(2);
    for (const c of commits.slice(0, 2))
      expect(verifyCommit(bare(`octocat/${repo}`), c, { sshPublicKey: key.publicKey }).code).toBe(0);
  });
});

describe("signing flags: upstream's validation", () => {
  const up = (f: string) => path.join(UPSTREAM, f);
  // No kubeconfig there: a run that passes validation fails right after it, on the kubeconfig.
  const run = (flags: string[]) =>
    runCli([
      "bootstrap",
      "git",
      "--kubeconfig",
      path.join(dir, "no-kubeconfig"),
      "--url=http://127.0.0.1:9/none.git",
      "--allow-insecure-http",
      "--manifests",
      bundle,
      ...flags,
    ]);

  // TestBootstrapValidate_signingFlags, case by case.
  const cases: [string, string[], string | undefined][] = [
    ["no signing flags is valid", [], undefined],
    ["GPG only is valid", ["--gpg-key-ring", up("gpg.pgp")], undefined],
    ["SSH only is valid", ["--ssh-signing-key-file", up("ed25519.private")], undefined],
    [
      "Reuse-private-key with private-key-file is valid",
      ["--private-key-file", up("ed25519.private"), "--ssh-signing-reuse-private-key"],
      undefined,
    ],
    [
      "GPG + SSH errors",
      ["--gpg-key-ring", up("gpg.pgp"), "--ssh-signing-key-file", up("ed25519.private")],
      "--gpg-* and --ssh-signing-* are mutually exclusive; pick one signing format",
    ],
    [
      "GPG + reuse errors",
      ["--gpg-key-ring", up("gpg.pgp"), "--private-key-file", up("ed25519.private"), "--ssh-signing-reuse-private-key"],
      "--gpg-* and --ssh-signing-* are mutually exclusive; pick one signing format",
    ],
    [
      "SSH key-file + reuse errors",
      [
        "--ssh-signing-key-file",
        up("ed25519.private"),
        "--private-key-file",
        up("ed25519.private"),
        "--ssh-signing-reuse-private-key",
      ],
      "--ssh-signing-key-file and --ssh-signing-reuse-private-key are mutually exclusive",
    ],
    [
      "Reuse without private-key-file errors",
      ["--ssh-signing-reuse-private-key"],
      "--ssh-signing-reuse-private-key requires --private-key-file",
    ],
    [
      "SSH password without key errors",
      ["--ssh-signing-password", "secret"],
      "--ssh-signing-password requires --ssh-signing-key-file",
    ],
    [
      "SSH passphrase alias alone applies",
      ["--ssh-signing-key-file", up("ed25519-encrypted.private"), "--ssh-signing-passphrase", "abcde12345"],
      undefined,
    ],
    [
      "SSH password and passphrase with same value passes",
      [
        "--ssh-signing-key-file",
        up("ed25519-encrypted.private"),
        "--ssh-signing-password",
        "abcde12345",
        "--ssh-signing-passphrase",
        "abcde12345",
      ],
      undefined,
    ],
    [
      "SSH password and passphrase with different values errors",
      [
        "--ssh-signing-key-file",
        up("ed25519-encrypted.private"),
        "--ssh-signing-password",
        "right",
        "--ssh-signing-passphrase",
        "wrong",
      ],
      "--ssh-signing-password and --ssh-signing-passphrase are aliases; do not pass both",
    ],
    [
      "SSH malformed key fails pre-flight",
      ["--ssh-signing-key-file", up("malformed.private")],
      "invalid SSH signing key: could not parse SSH signing key",
    ],
    [
      "SSH encrypted key without password fails pre-flight",
      ["--ssh-signing-key-file", up("ed25519-encrypted.private")],
      "invalid SSH signing key: SSH signing key is encrypted; passphrase required",
    ],
    [
      "GPG with wrong passphrase fails pre-flight",
      ["--gpg-key-ring", up("gpg-encrypted.pgp"), "--gpg-passphrase", "wrong"],
      "invalid GPG signing key: unable to decrypt GPG private key",
    ],
  ];
  it.each(cases)("%s", async (_name, flags, wantErr) => {
    const res = await run(flags);
    expect(res.code).toBe(1);
    if (wantErr) {
      expect(res.stderr).toContain(`✗ ${wantErr}`);
      expect(res.stderr).not.toContain("no-kubeconfig");
    } else {
      expect(res.stderr.replaceAll(dir, "")).not.toMatch(/sign|GPG|passphrase/i);
      expect(res.stderr).toMatch(/✗ .*no-kubeconfig/);
    }
    for (const secret of ["abcde12345", "right", "wrong"]) {
      if (flags.includes(secret)) expect(res.stderr).not.toContain(secret);
    }
  });

  it("the encrypted upstream key ring signs with the right passphrase", async () => {
    const res = await run(["--gpg-key-ring", up("gpg-encrypted.pgp"), "--gpg-passphrase", "right"]);
    expect(res.stderr).toMatch(/✗ .*no-kubeconfig/);
  });

  it("a key file that is not there", async () => {
    const missing = path.join(dir, "nope");
    expect((await run(["--gpg-key-ring", missing])).stderr).toContain(
      `✗ invalid GPG signing key: unable to open GPG key ring: open ${missing}: no such file or directory`,
    );
    expect((await run(["--ssh-signing-key-file", missing])).stderr).toContain(
      `✗ failed to read SSH signing key file: open ${missing}: no such file or directory`,
    );
    expect((await run(["--private-key-file", missing, "--ssh-signing-reuse-private-key"])).stderr).toContain(
      `✗ failed to read transport private key for signing: open ${missing}: no such file or directory`,
    );
    expect(
      (await run(["--private-key-file", up("ed25519-encrypted.private"), "--ssh-signing-reuse-private-key"])).stderr,
    ).toContain(
      "✗ invalid signing key (reused from --private-key-file): SSH signing key is encrypted; passphrase required",
    );
  });
});

describe("the provider subcommands take the signing flags", () => {
  const saved = { ...process.env };
  afterAll(() => {
    for (const k of ["GITHUB_TOKEN", "GITLAB_TOKEN", "GITEA_TOKEN", "BITBUCKET_TOKEN"]) {
      if (saved[k] === undefined) Reflect.deleteProperty(process.env, k);
      else process.env[k] = saved[k];
    }
  });
  const providers: [string, string, string[]][] = [
    ["github", "GITHUB_TOKEN", []],
    ["gitlab", "GITLAB_TOKEN", []],
    ["gitea", "GITEA_TOKEN", []],
    ["bitbucket-server", "BITBUCKET_TOKEN", ["--hostname", "127.0.0.1:9"]],
  ];
  it.each(providers)("bootstrap %s reads and checks the signing key first", async (cmd, env, extra) => {
    process.env[env] = "tok3n";
    const missing = path.join(dir, "missing.gpg");
    const args = [
      "bootstrap",
      cmd,
      "--kubeconfig",
      kubeconfig,
      "-n",
      uniqueName("fb-sign-p"),
      "--owner",
      "o",
      "--repository",
      "r",
      ...extra,
    ];
    const gpg = await runCli([...args, "--gpg-key-ring", missing, "--gpg-passphrase", "pp", "--gpg-key-id", "x"]);
    expect(gpg.code).toBe(1);
    expect(gpg.stderr).toContain(`✗ invalid GPG signing key: unable to open GPG key ring: open ${missing}`);
    const ssh = await runCli([...args, "--ssh-signing-key-file", path.join(UPSTREAM, "ed25519-encrypted.private")]);
    expect(ssh.stderr).toContain("✗ invalid SSH signing key: SSH signing key is encrypted; passphrase required");
    const reuse = await runCli([...args, "--ssh-signing-reuse-private-key"]);
    expect(reuse.code).toBe(1);
    // TestBootstrapProviderRejectsReuseBeforeValidate: github and gitea generate the deploy key.
    expect(reuse.stderr).toContain(
      cmd === "github" || cmd === "gitea"
        ? `✗ --ssh-signing-reuse-private-key is not supported by 'bootstrap ${cmd}'; that subcommand generates the SSH transport key in-process and has no operator-supplied key to reuse`
        : "✗ --ssh-signing-reuse-private-key requires --private-key-file",
    );
  });
});
