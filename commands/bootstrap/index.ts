import { Option, type Command } from "commander";
import { bind, deprecateOption, type Invocation } from "../../src/cli/action.js";
import type { BootstrapCommonOptions, BootstrapGitOptions, BootstrapProviderOptions } from "../../src/bootstrap/run.js";
import { distributionFlags, distributionOptions } from "../shared/distribution-flags.js";
import { boolFlag, durationFlag, oneOf, sliceFlag, typedFlag } from "../../src/cli/flags.js";
import { ecdsaCurve, publicKeyAlgorithm, rsaKeyBits } from "../../src/util/flag-values.js";

/** The shared flags as options. */
function commonOptions(inv: Invocation): BootstrapCommonOptions {
  return {
    ...distributionOptions(inv),
    branch: inv.str("branch"),
    path: inv.str("path"),
    interval: inv.str("interval"),
    secretName: inv.str("secretName"),
    recurseSubmodules: inv.bool("recurseSubmodules"),
    authorName: inv.str("authorName"),
    authorEmail: inv.str("authorEmail"),
    commitMessageAppendix: inv.str("commitMessageAppendix"),
    caFile: inv.str("caFile"),
    privateKeyFile: inv.str("privateKeyFile"),
    password: inv.str("password"),
    sshKeyAlgorithm: inv.str("sshKeyAlgorithm"),
    sshEcdsaCurve: inv.str("sshEcdsaCurve"),
    sshRsaBits: Number(inv.value("sshRsaBits") ?? 2048),
    tokenAuth: inv.bool("tokenAuth"),
    sparseCheckout: inv.list("sparseCheckout"),
    sshHostkeyAlgos: inv.list("sshHostkeyAlgos"),
    sshHostname: inv.str("sshHostname"),
    force: inv.bool("force"),
    gpgKeyRing: inv.str("gpgKeyRing"),
    gpgPassphrase: inv.str("gpgPassphrase"),
    gpgKeyId: inv.str("gpgKeyId"),
    sshSigningKeyFile: inv.str("sshSigningKeyFile"),
    sshSigningPassword: inv.str("sshSigningPassword"),
    sshSigningPassphrase: inv.str("sshSigningPassphrase"),
    sshSigningReusePrivateKey: inv.bool("sshSigningReusePrivateKey"),
  };
}

/** bootstrap git: flags to options. */
export function gitOptions(inv: Invocation): BootstrapGitOptions {
  return {
    ...commonOptions(inv),
    url: inv.str("url"),
    username: inv.str("username"),
    silent: inv.bool("silent"),
    allowInsecureHttp: inv.bool("allowInsecureHttp"),
    withBearerToken: inv.bool("withBearerToken"),
  };
}

/** bootstrap github|gitlab: flags to options. */
export function providerOptions(inv: Invocation): BootstrapProviderOptions {
  return {
    ...commonOptions(inv),
    owner: inv.str("owner"),
    repository: inv.str("repository"),
    personal: inv.bool("personal"),
    private: inv.value("private") !== false,
    visibility: inv.str("visibility"),
    hostname: inv.str("hostname"),
    reconcile: inv.bool("reconcile"),
    readWriteKey: inv.bool("readWriteKey"),
    team: inv.list("team"),
    pr: inv.bool("pr"),
    prBranch: inv.str("prBranch"),
    wait: inv.value("wait") !== false,
    deployTokenAuth: inv.bool("deployTokenAuth"),
    username: inv.str("username"),
  };
}

const visibilityArg = (v: string) =>
  v.trim() === ""
    ? "private"
    : oneOf(["public", "internal", "private"], { unsupported: (x) => `unsupported visibility '${x}'` })(v);

/**
 * flags.RSAKeyBits: empty means 2048; a multiple of 8, at least 1024. tsflux also caps it
 * at 8192 (a larger key takes minutes to generate, and no Git host asks for one).
 */
function rsaKeyBitsArg(v: string): number {
  const bits = rsaKeyBits(v);
  if (bits > 8192) throw new Error("RSA key bit size must be at most 8192");
  return bits;
}

/** bootstrap gitea|bitbucket-server: upstream's flags have no --visibility or --pr; --private decides. */
export function privateProviderOptions(inv: Invocation): BootstrapProviderOptions {
  return { ...providerOptions(inv), visibility: "private", pr: false };
}

/** The flags gitea and bitbucket-server share with github and gitlab (upstream's, without tsflux's --pr). */
function basicProviderFlags(cmd: Command, provider: string, ownerKind: string, hostname: string): Command {
  cmd.option("--owner <string>", `${provider} user or ${ownerKind} name`);
  cmd.option("--repository <string>", `${provider} repository name`);
  boolFlag(
    cmd,
    "--personal",
    `if true, the owner is assumed to be a ${provider} user; otherwise ${ownerKind === "organization" ? "an org" : "a group"}`,
  );
  boolFlag(cmd, "--private", "if true, the repository is setup or configured as private", true);
  durationFlag(cmd, "--interval <duration>", "sync interval", "1m0s");
  const host = new Option("--hostname <string>", `${provider} hostname`);
  cmd.addOption(hostname ? host.default(hostname) : host);
  boolFlag(cmd, "--read-write-key", "if true, the deploy key is configured with read/write permissions");
  boolFlag(cmd, "--reconcile", "if true, the configured options are also reconciled if the repository already exists");
  return cmd;
}

/** --path: each bootstrap command's own flag, as upstream's. */
function pathFlag(cmd: Command): Command {
  return cmd.option(
    "--path <safeRelativePath>",
    "path relative to the repository root, when specified the cluster sync will be scoped to this path",
  );
}

/** Flags every bootstrap command shares, declared once on `flux bootstrap` (upstream's persistent flags). */
function commonFlags(cmd: Command): Command {
  distributionFlags(
    cmd,
    "setup Kubernetes network policies to deny ingress access to the toolkit controllers from other namespaces",
  );
  cmd.addOption(new Option("--branch <string>", "Git branch").default("main"));
  boolFlag(
    cmd,
    "--recurse-submodules",
    "when enabled, configures the GitRepository source to initialize and include Git submodules in the artifact it produces",
  );
  cmd.addOption(
    new Option(
      "--secret-name <string>",
      "name of the secret the sync credentials can be found in or stored to",
    ).default("flux-system"),
  );
  cmd.option("--ca-file <string>", "path to TLS CA file used for validating self-signed certificates");
  cmd.option("--private-key-file <string>", "path to a private key file used for authenticating to the Git SSH server");
  typedFlag(cmd, "--ssh-key-algorithm <rsa|ecdsa|ed25519>", "SSH public key algorithm", publicKeyAlgorithm, "ecdsa");
  typedFlag(
    cmd,
    "--ssh-rsa-bits <rsaKeyBits>",
    "SSH RSA public key bit size (multiplies of 8, min 1024)",
    rsaKeyBitsArg,
    2048,
  );
  typedFlag(cmd, "--ssh-ecdsa-curve <p256|p384|p521>", "SSH ECDSA public key curve", ecdsaCurve, "p384");
  cmd.addOption(new Option("--author-name <string>", "author name for Git commits").default("Flux"));
  cmd.option("--author-email <string>", "author email for Git commits");
  cmd.option("--gpg-key-ring <string>", "path to GPG key ring for signing commits");
  cmd.option("--gpg-passphrase <string>", "passphrase for decrypting GPG private key");
  cmd.option("--gpg-key-id <string>", "key id for selecting a particular key");
  cmd.option("--ssh-signing-key-file <string>", "path to an SSH private key file used for signing commits");
  cmd.option("--ssh-signing-password <string>", "passphrase for decrypting SSH signing key");
  cmd.addOption(new Option("--ssh-signing-passphrase <string>", "alias for --ssh-signing-password").hideHelp());
  boolFlag(cmd, "--ssh-signing-reuse-private-key", "use the SSH transport key (--private-key-file) to sign commits");
  cmd.option("--commit-message-appendix <string>", "string to add to the commit messages, e.g. '[ci skip]'");
  boolFlag(cmd, "--token-auth", "when enabled, the personal access token will be used instead of the SSH deploy key");
  sliceFlag(
    cmd,
    "--sparse-checkout <strings>",
    "list of directories to be included in the GitRepository sparse checkout, the configured --path must be one of them, accepts comma-separated values",
  );
  sliceFlag(
    cmd,
    "--ssh-hostkey-algos <strings>",
    "list of host key algorithms to be used by the CLI for SSH connections",
  );
  cmd.option("--ssh-hostname <string>", "SSH hostname, to be used when the SSH host differs from the HTTPS one");
  boolFlag(cmd, "--force", "override existing Flux installation if it's managed by a different tool such as Helm");
  return cmd;
}

function providerFlags(cmd: Command, provider: "GitHub" | "GitLab", hostname: string): Command {
  cmd.option("--owner <string>", `${provider} user or ${provider === "GitHub" ? "organization" : "group"} name`);
  cmd.option("--repository <string>", `${provider} repository name`);
  boolFlag(
    cmd,
    "--personal",
    `if true, the owner is assumed to be a ${provider} user; otherwise an ${provider === "GitHub" ? "org" : "group"}`,
  );
  boolFlag(cmd, "--private", "if true, the repository is setup or configured as private", true);
  if (provider === "GitLab") {
    // GitLab's --private gave way to --visibility upstream: deprecated, hidden, still read.
    const priv = cmd.options.find((o) => o.long === "--private");
    if (priv) deprecateOption(priv, "use --visibility instead");
  }
  if (provider === "GitLab")
    typedFlag(
      cmd,
      "--visibility <public|internal|private>",
      "specifies the visibility of the repository",
      visibilityArg,
      "private",
    );
  else
    cmd.addOption(
      new Option(
        "--visibility <string>",
        "specifies the visibility of the repository. Valid values are public, private, internal",
      ).default("private"),
    );
  durationFlag(cmd, "--interval <duration>", "sync interval", "1m0s");
  cmd.addOption(new Option("--hostname <string>", `${provider} hostname`).default(hostname));
  boolFlag(cmd, "--reconcile", "if true, the configured options are also reconciled if the repository already exists");
  boolFlag(cmd, "--read-write-key", "if true, the deploy key is configured with read/write permissions");
  boolFlag(
    cmd,
    "--pr",
    `push the manifests to a branch and open a ${provider === "GitHub" ? "pull" : "merge"} request instead of pushing to --branch`,
  );
  cmd.option("--pr-branch <string>", "branch the --pr changes are pushed to (default flux-bootstrap-<namespace>)");
  boolFlag(
    cmd,
    "--wait",
    `with --pr, wait for the ${provider === "GitHub" ? "pull" : "merge"} request to be merged, then finish the bootstrap`,
    true,
  );
  return cmd;
}

export function register(program: Command): void {
  const group = program
    .command("bootstrap")
    .summary("Deploy Flux on a cluster the GitOps way.")
    .description(
      `The bootstrap sub-commands push the Flux manifests to a Git repository and deploy Flux on the cluster.`,
    );
  commonFlags(group);

  const git = pathFlag(
    group
      .command("git")
      .summary("Deploy Flux on a cluster connected to a Git repository")
      .description(
        `The bootstrap git command commits the Flux manifests to the branch of a Git repository. And then it configures the target cluster to synchronize with that repository. If the Flux components are present on the cluster, the bootstrap command will perform an upgrade if needed.`,
      ),
  );
  git.option("--url <string>", "Git repository URL");
  durationFlag(git, "--interval <duration>", "sync interval", "1m0s");
  git.addOption(new Option("-u, --username <string>", "basic authentication username").default("git"));
  git.option("-p, --password <string>", "basic authentication password");
  boolFlag(git, "-s, --silent", "assumes the deploy key is already setup, skips confirmation");
  boolFlag(git, "--allow-insecure-http", "allows insecure HTTP connections");
  boolFlag(git, "--with-bearer-token", "use password as bearer token for Authorization header");
  bind(git, { options: gitOptions, engine: async () => (await import("../../src/bootstrap/run.js")).runBootstrapGit });

  const github = providerFlags(
    pathFlag(
      group
        .command("github")
        .summary("Deploy Flux on a cluster connected to a GitHub repository")
        .description(
          `The bootstrap github command creates the GitHub repository if it doesn't exists and commits the Flux manifests to the specified branch. Then it configures the target cluster to synchronize with that repository. If the Flux components are present on the cluster, the bootstrap command will perform an upgrade if needed.`,
        ),
    ),
    "GitHub",
    "github.com",
  );
  sliceFlag(
    github,
    "--team <strings>",
    "GitHub team and the access to be given to it(team:maintain). Defaults to maintain access if no access level is specified (also accepts comma-separated values)",
  );
  bind(github, {
    options: providerOptions,
    engine: async () => (await import("../../src/bootstrap/run.js")).runBootstrapGitHub,
  });

  const gitlab = providerFlags(
    pathFlag(
      group
        .command("gitlab")
        .summary("Deploy Flux on a cluster connected to a GitLab repository")
        .description(
          `The bootstrap gitlab command creates the GitLab repository if it doesn't exists and commits the Flux manifests to the specified branch. Then it configures the target cluster to synchronize with that repository. If the Flux components are present on the cluster, the bootstrap command will perform an upgrade if needed.`,
        ),
    ),
    "GitLab",
    "gitlab.com",
  );
  sliceFlag(
    gitlab,
    "--team <strings>",
    "GitLab teams to be given maintainer access (also accepts comma-separated values)",
  );
  boolFlag(
    gitlab,
    "--deploy-token-auth",
    "when enabled, a Project Deploy Token is generated and will be used instead of the SSH deploy token",
  );
  bind(gitlab, {
    options: providerOptions,
    engine: async () => (await import("../../src/bootstrap/run.js")).runBootstrapGitLab,
  });

  const gitea = basicProviderFlags(
    pathFlag(group.command("gitea").summary("Deploy Flux on a cluster connected to a Gitea repository")),
    "Gitea",
    "organization",
    "gitea.com",
  );
  sliceFlag(
    gitea,
    "--team <strings>",
    "Gitea team and the access to be given to it(team:maintain). Defaults to maintainer access if no access level is specified (also accepts comma-separated values)",
  );
  bind(gitea, {
    options: privateProviderOptions,
    engine: async () => (await import("../../src/bootstrap/run.js")).runBootstrapGitea,
  });

  const bitbucket = basicProviderFlags(
    pathFlag(
      group.command("bitbucket-server").summary("Deploy Flux on a cluster connected to a Bitbucket Server repository"),
    ),
    "Bitbucket Server",
    "project",
    "",
  );
  sliceFlag(
    bitbucket,
    "--group <strings>",
    "Bitbucket Server groups to be given write access (also accepts comma-separated values)",
  );
  bitbucket.addOption(new Option("-u, --username <string>", "authentication username").default("git"));
  bind(bitbucket, {
    // --group is upstream's name for what the other providers call --team.
    options: (inv) => ({ ...privateProviderOptions(inv), team: inv.list("group") }),
    engine: async () => (await import("../../src/bootstrap/run.js")).runBootstrapBitbucketServer,
  });
}
