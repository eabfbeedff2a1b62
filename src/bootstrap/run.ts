// `flux bootstrap git|github|gitlab`: turns flags into options, wires the real
// dependencies (kube client, git client, provider, install engine, SSH key tools)
// and runs the engine.
import { rmSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Deps } from "../deps.js";
import { CliError, errorMessage, redactUrls } from "../errors.js";
import type { CommitSigner, GitClient } from "../git/types.js";
import { createCommitSigner, type SigningSpec } from "../git/signing.js";
import type { KubeClient } from "../kube/client.js";
import type { GitProvider, ProviderKind, Visibility } from "../providers/types.js";
import {
  bootstrap,
  type BootstrapDeps,
  type BootstrapOptions,
  type EcdsaCurve,
  type SourceSecretSpec,
  type SshKeyAlgorithm,
} from "./engine.js";
import {
  installRequestFrom,
  generateInstallManifests,
  imagePullSecret,
  type DistributionOptions,
} from "../install/run.js";
import { confirmOverride, readClusterInfo } from "../install/override.js";
import { confirm } from "../install/prompt.js";
import { goDuration } from "../manifests/common.js";
import { manifestsDir } from "./sync.js";
import { transportOf, createGitClient } from "../git/index.js";
import { createKubeClient } from "../kube/client.js";
import {
  reconcileRepository,
  parseTeams,
  sshSyncUrl,
  sshHostPort,
  deployKeyRegistrar,
  deployTokenIssuer,
  changeRequestHooks,
} from "./provider.js";
import { GITHUB_PERMISSIONS, GitHubProvider } from "../providers/github.js";
import { GitLabProvider } from "../providers/gitlab.js";
import { GiteaProvider } from "../providers/gitea.js";
import { BITBUCKET_PERMISSIONS, BitbucketServerProvider } from "../providers/bitbucket-server.js";
import * as keys from "../create/sshkeys.js";

/** The flags every `flux bootstrap` command shares, as the command line gives them. */
export interface BootstrapCommonOptions extends DistributionOptions {
  branch: string;
  path: string;
  interval: string;
  secretName: string;
  recurseSubmodules: boolean;
  authorName: string;
  authorEmail: string;
  commitMessageAppendix: string;
  caFile: string;
  privateKeyFile: string;
  password: string;
  sshKeyAlgorithm: string;
  sshEcdsaCurve: string;
  sshRsaBits: number;
  tokenAuth: boolean;
  /** spec.sparseCheckout of the GitRepository. */
  sparseCheckout: string[];
  /** Host key algorithms, in order of preference, for the known_hosts entry. */
  sshHostkeyAlgos: string[];
  /** The SSH host when it differs from the HTTPS one (the sync URL and known_hosts use it). */
  sshHostname: string;
  /** Override a Flux installation another tool manages without asking. */
  force: boolean;
  /** Commit signing with an OpenPGP key from this key ring (binary or armored). */
  gpgKeyRing: string;
  gpgPassphrase: string;
  /** 16 hex digits (0x allowed); empty: the ring's first key. */
  gpgKeyId: string;
  /** Commit signing with this SSH private key. */
  sshSigningKeyFile: string;
  sshSigningPassword: string;
  /** upstream's hidden alias of --ssh-signing-password. */
  sshSigningPassphrase: string;
  /** Sign with the deploy key (--private-key-file, decrypted with --password). */
  sshSigningReusePrivateKey: boolean;
}

export interface BootstrapGitOptions extends BootstrapCommonOptions {
  url: string;
  username: string;
  silent: boolean;
  allowInsecureHttp: boolean;
  /** The password is a bearer token (Authorization: Bearer), as upstream's --with-bearer-token. */
  withBearerToken: boolean;
}

/** bootstrap github|gitlab: the repository on the provider and how to reach it. */
export interface BootstrapProviderOptions extends BootstrapCommonOptions {
  owner: string;
  repository: string;
  personal: boolean;
  private: boolean;
  visibility: string;
  hostname: string;
  reconcile: boolean;
  readWriteKey: boolean;
  team: string[];
  pr: boolean;
  prBranch: string;
  wait: boolean;
  /** GitLab only. */
  deployTokenAuth: boolean;
  /** Bitbucket Server only: the user git authenticates as (--username). */
  username: string;
}

/** What promptSecret uses of a terminal's stdin (a tty.ReadStream, or a stream that is none). */
interface TerminalInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  isRaw?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

/** Reads a secret from the terminal without echo. */
export async function promptSecret(ctx: Deps, label: string): Promise<string> {
  const stdin: TerminalInput = ctx.io.stdin;
  if (!stdin.isTTY) throw new CliError(`${label.replace(/: $/, "")}: no terminal to prompt on`);
  ctx.io.stderr.write(label);
  const wasRaw = stdin.isRaw;
  stdin.setRawMode?.(true);
  stdin.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = "";
      const onData = (chunk: Buffer) => {
        for (const ch of chunk.toString("utf8")) {
          if (ch === "\r" || ch === "\n") {
            stdin.off("data", onData);
            ctx.io.stderr.write("\n");
            resolve(value);
            return;
          }
          if (ch === "\u0003") {
            stdin.off("data", onData);
            reject(new CliError("interrupted"));
            return;
          }
          if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
          else value += ch;
        }
      };
      stdin.on("data", onData);
    });
  } finally {
    stdin.setRawMode?.(wasRaw ?? false);
    stdin.pause();
  }
}

async function token(
  ctx: Deps,
  envName: string,
  provider: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const t = env[envName];
  if (t) return t;
  if ((ctx.io.stdin as { isTTY?: boolean }).isTTY) {
    const v = await promptSecret(ctx, `Please enter your ${provider} personal access token (PAT): `);
    if (v) return v;
  }
  throw new CliError(`the ${provider} token is missing: set the ${envName} environment variable`);
}

/** Flags shared by all three commands, turned into engine options (without URLs and secrets). */
async function commonOptions(opts: BootstrapCommonOptions, ctx: Deps) {
  const namespace = ctx.globals.namespace;
  const install = await installRequestFrom(opts, ctx, namespace);
  for (const required of ["source-controller", "kustomize-controller"]) {
    if (!install.components.includes(required)) throw new CliError(`component ${required} is required`);
  }
  const manifestsPath = opts.manifests || undefined;
  const signer = await commitSigner(opts);
  return {
    signer,
    install,
    renderComponents: () => generateInstallManifests(install, { manifestsPath }),
    base: {
      namespace,
      branch: opts.branch,
      targetPath: opts.path,
      interval: goDuration(opts.interval),
      secretName: opts.secretName,
      recurseSubmodules: opts.recurseSubmodules,
      sparseCheckout: opts.sparseCheckout,
      author: { name: opts.authorName, email: opts.authorEmail },
      commitMessageAppendix: opts.commitMessageAppendix || undefined,
      components: {
        version: install.version,
        components: install.components,
        imagePullSecret: install.imagePullSecret && install.registryCredential ? imagePullSecret(install) : undefined,
      },
      timeoutMs: ctx.globals.timeoutMs,
    },
  };
}

/** Go's words for a file os.Open/os.ReadFile could not read. */
function openError(file: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const reason =
    code === "ENOENT"
      ? "no such file or directory"
      : code === "EACCES"
        ? "permission denied"
        : code === "EISDIR"
          ? "is a directory"
          : errorMessage(err);
  return `${code === "EISDIR" ? "read" : "open"} ${file}: ${reason}`;
}

/** --ssh-signing-password and its hidden alias --ssh-signing-passphrase (upstream's effectiveSshSigningPassword). */
function sshSigningPassword(opts: BootstrapCommonOptions): string {
  const pw = opts.sshSigningPassword;
  const alias = opts.sshSigningPassphrase;
  if (pw && alias && pw !== alias)
    throw new CliError("--ssh-signing-password and --ssh-signing-passphrase are aliases; do not pass both");
  return pw || alias;
}

/**
 * The signing flags as upstream's bootstrapValidate checks them, then the key read and
 * decrypted (its pre-flight), so a bad key or passphrase fails before anything is cloned.
 * No message carries a passphrase.
 */
async function commitSigner(opts: BootstrapCommonOptions): Promise<CommitSigner | undefined> {
  const sshSigning = opts.sshSigningKeyFile !== "" || opts.sshSigningReusePrivateKey;
  if (opts.gpgKeyRing && sshSigning)
    throw new CliError("--gpg-* and --ssh-signing-* are mutually exclusive; pick one signing format");
  if (opts.sshSigningKeyFile && opts.sshSigningReusePrivateKey)
    throw new CliError("--ssh-signing-key-file and --ssh-signing-reuse-private-key are mutually exclusive");
  if (opts.sshSigningReusePrivateKey && !opts.privateKeyFile)
    throw new CliError("--ssh-signing-reuse-private-key requires --private-key-file");
  const sshPassword = sshSigningPassword(opts);
  if (sshPassword && !opts.sshSigningKeyFile)
    throw new CliError("--ssh-signing-password requires --ssh-signing-key-file");
  let spec: SigningSpec;
  let failure: string;
  if (opts.gpgKeyRing) {
    failure = "invalid GPG signing key";
    const keyRing = await readFile(opts.gpgKeyRing).catch((err: unknown) => {
      throw new CliError(`${failure}: unable to open GPG key ring: ${openError(opts.gpgKeyRing, err)}`);
    });
    spec = { format: "openpgp", keyRing, passphrase: opts.gpgPassphrase, keyId: opts.gpgKeyId };
  } else if (opts.sshSigningKeyFile) {
    failure = "invalid SSH signing key";
    const privateKey = await readFile(opts.sshSigningKeyFile, "utf8").catch((err: unknown) => {
      throw new CliError(`failed to read SSH signing key file: ${openError(opts.sshSigningKeyFile, err)}`);
    });
    spec = { format: "ssh", privateKey, passphrase: sshPassword };
  } else if (opts.sshSigningReusePrivateKey) {
    failure = "invalid signing key (reused from --private-key-file)";
    const privateKey = await readFile(opts.privateKeyFile, "utf8").catch((err: unknown) => {
      throw new CliError(`failed to read transport private key for signing: ${openError(opts.privateKeyFile, err)}`);
    });
    spec = { format: "ssh", privateKey, passphrase: opts.password };
  } else return undefined;
  try {
    return await createCommitSigner(spec);
  } catch (err) {
    throw new CliError(`${failure}: ${errorMessage(err)}`);
  }
}

/** upstream's refusal where the deploy key is generated, so there is no key of the user's to reuse. */
function refuseSigningReuse(opts: BootstrapCommonOptions, command: string): void {
  if (opts.sshSigningReusePrivateKey)
    throw new CliError(
      `--ssh-signing-reuse-private-key is not supported by '${command}'; that subcommand generates the SSH transport key in-process and has no operator-supplied key to reuse`,
    );
}

function sshSpec(opts: BootstrapCommonOptions, hostPort: string, privateKey?: string): SourceSecretSpec {
  return {
    type: "ssh",
    algorithm: opts.sshKeyAlgorithm as SshKeyAlgorithm,
    rsaBits: opts.sshRsaBits,
    ecdsaCurve: opts.sshEcdsaCurve as EcdsaCurve,
    privateKey,
    password: opts.password || undefined,
    sshHostPort: hostPort,
  };
}

/** Key generation and the known_hosts scan (--ssh-hostkey-algos: the algorithms, in order of preference). */
function keyTools(hostKeyAlgorithms: string[]) {
  return {
    generateKeyPair: (o: { algorithm: SshKeyAlgorithm; rsaBits: number; ecdsaCurve: EcdsaCurve }) =>
      keys.generateKeyPair({ algorithm: o.algorithm, rsaBits: o.rsaBits, ecdsaCurve: o.ecdsaCurve }),
    loadKeyPair: (content: string, password?: string) => keys.loadKeyPair(content, password),
    scanHostKey: (hostport: string, timeoutMs: number) => keys.scanHostKey(hostport, timeoutMs, hostKeyAlgorithms),
  };
}

/** Refuses (or asks) before taking over a Flux installation another tool manages, unless --force. */
async function confirmBootstrap(kube: KubeClient, ctx: Deps, force: boolean): Promise<void> {
  if (force) return;
  await confirmOverride(await readClusterInfo(kube), ctx.io, "bootstrap", false);
}

async function workDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "flux-bootstrap-"));
  return path.join(dir, "repo");
}

/**
 * Awaits the run and removes the working tree; on Ctrl-C or SIGTERM the clone and any
 * key file are removed before the process exits.
 */
async function finish(run: () => Promise<unknown>, dir: string, git: GitClient): Promise<void> {
  const onSignal = (signal: NodeJS.Signals) => {
    git.closeSync();
    rmSync(path.dirname(dir), { recursive: true, force: true });
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    await run();
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await git.close().catch(() => undefined);
    await rm(path.dirname(dir), { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- bootstrap git

/** ssh:// form of an SSH URL: scp-like "git@host:org/repo.git" becomes "ssh://git@host/org/repo.git". */
export function sshUrl(url: string): string {
  if (/^ssh:\/\//i.test(url)) return url;
  const m = /^([^@/:\s]+@)?([^/:\s]+):(.*)$/.exec(url);
  if (!m) return url;
  const [, user = "", host = "", repoPath = ""] = m;
  const rest = repoPath.startsWith("/") ? repoPath : `/${repoPath}`;
  return `ssh://${user}${host}${rest}`;
}

export async function runBootstrapGit(opts: BootstrapGitOptions, ctx: Deps): Promise<void> {
  await bootstrapGit(opts, ctx);
}

/** bootstrap git with optional dependency overrides (tests, library users). */
export async function bootstrapGit(
  opts: BootstrapGitOptions,
  ctx: Deps,
  overrides: Partial<BootstrapDeps> = {},
): Promise<void> {
  const url = opts.url;
  if (!url) throw new CliError('required flag(s) "url" not set');
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]*@/i.test(url)) {
    // It would end up in gotk-sync.yaml, in Git: credentials go in flags, the secret holds them.
    throw new CliError(
      `the --url ${redactUrls(url)} contains credentials: remove them and use --username and --password`,
    );
  }
  const transport = transportOf(url);
  if (/^http:\/\//i.test(url) && !opts.allowInsecureHttp) {
    throw new CliError("scheme http is insecure, pass --allow-insecure-http=true to allow it");
  }
  if (opts.withBearerToken && !opts.password) throw new CliError("--with-bearer-token requires --password");
  const c = await commonOptions(opts, ctx);
  const kube = overrides.kube ?? (await createKubeClient(ctx.globals));
  await confirmBootstrap(kube, ctx, opts.force);
  const username = opts.username;
  const password = opts.password;
  let privateKey: string | undefined;
  if (opts.privateKeyFile) {
    try {
      privateKey = await readFile(opts.privateKeyFile, "utf8");
    } catch {
      throw new CliError(`unable to read private key file ${opts.privateKeyFile}`);
    }
  }
  const ca = opts.caFile ? await readFile(opts.caFile, "utf8").catch(() => undefined) : undefined;
  if (opts.caFile && ca === undefined) throw new CliError(`unable to read TLS CA file ${opts.caFile}`);
  const dir = await workDir();
  const git = createGitClient({
    url,
    branch: c.base.branch,
    dir,
    ca,
    http: transport === "http" && password && !opts.withBearerToken ? { username, password } : undefined,
    headers: transport === "http" && opts.withBearerToken ? { Authorization: `Bearer ${password}` } : undefined,
    ssh: transport === "ssh" ? { privateKey } : undefined,
    timeoutMs: ctx.globals.timeoutMs,
    signer: c.signer,
    // The clone checks out the sparse paths and the directory bootstrap writes to.
    sparseCheckout: opts.sparseCheckout.length
      ? [...opts.sparseCheckout, manifestsDir(c.base.targetPath, c.base.namespace)]
      : undefined,
  });
  let source: SourceSecretSpec;
  let syncUrl = url;
  if (transport === "http") {
    source = opts.withBearerToken
      ? { type: "bearer", bearerToken: password, caCrt: ca }
      : { type: "https", username, password, caCrt: ca };
  } else {
    // source-controller wants ssh:// URLs: scp-like git@host:path is rewritten; --ssh-hostname
    // replaces host[:port] in the sync URL and the known_hosts entry, as upstream.
    const u = new URL(sshUrl(url));
    syncUrl = sshUrl(url);
    if (opts.sshHostname) {
      u.host = opts.sshHostname;
      syncUrl = u.toString();
    }
    source = sshSpec(opts, u.port ? `${u.hostname}:${u.port}` : u.hostname, privateKey);
  }
  const tools = keyTools(opts.sshHostkeyAlgos);
  const silent = opts.silent;
  const deps: BootstrapDeps = {
    git,
    kube,
    logger: ctx.logger,
    renderComponents: c.renderComponents,
    ...tools,
    onNewPublicKey: async () => {
      if (silent) return;
      if (!(await confirm(ctx.io, "Please give the key access to your repository"))) {
        throw new CliError(
          "aborting: give the deploy key access to the repository, or run again with --silent once it has",
        );
      }
    },
    ...overrides,
  };
  const options: BootstrapOptions = { ...c.base, syncUrl, source };
  await finish(() => bootstrap(options, deps), dir, deps.git);
}

// ---------------------------------------------------------------- github / gitlab

export interface ProviderSetup {
  kind: ProviderKind;
  provider: GitProvider;
  token: string;
  /** The user git authenticates as over HTTPS with the token (default "git"). */
  gitUsername?: string;
  /** --token-auth: the user the source secret names (default "git"). */
  secretUsername?: string;
}

/** Team permissions each provider accepts, and the one a bare team name gets (upstream's defaults). */
const TEAM_PERMISSIONS: Record<ProviderKind, { allowed: readonly string[]; fallback: string }> = {
  github: { allowed: GITHUB_PERMISSIONS, fallback: "maintain" },
  gitlab: { allowed: ["pull", "push", "maintain", "admin"], fallback: "maintain" },
  gitea: { allowed: GITHUB_PERMISSIONS, fallback: "maintain" },
  "bitbucket-server": { allowed: Object.keys(BITBUCKET_PERMISSIONS), fallback: "push" },
};

function visibilityOf(opts: BootstrapProviderOptions, allowed: readonly string[]): Visibility {
  let v = opts.visibility;
  if (!allowed.includes(v)) throw new CliError(`unsupported visibility '${v}', must be one of: ${allowed.join(", ")}`);
  if (!opts.private && v === "private") v = "public";
  return v as Visibility;
}

/** bootstrap github/gitlab with a provider client and optional dependency overrides (tests, library users). */
export async function bootstrapWithProvider(
  opts: BootstrapProviderOptions,
  ctx: Deps,
  setup: ProviderSetup,
  overrides: Partial<BootstrapDeps> = {},
): Promise<void> {
  const owner = opts.owner;
  const repository = opts.repository;
  const missing = [!owner && '"owner"', !repository && '"repository"'].filter(Boolean);
  if (missing.length) throw new CliError(`required flag(s) ${missing.join(", ")} not set`);
  const c = await commonOptions(opts, ctx);
  const kube = overrides.kube ?? (await createKubeClient(ctx.globals));
  await confirmBootstrap(kube, ctx, opts.force);
  const permissions = TEAM_PERMISSIONS[setup.kind];
  const teams = parseTeams(opts.team, permissions.allowed, permissions.fallback);
  const visibility = visibilityOf(opts, ["public", "private", "internal"]);
  const repo = await reconcileRepository(
    setup.provider,
    { owner, repository, personal: opts.personal, visibility, teams, reconcile: opts.reconcile },
    ctx.logger,
  );
  const naming = {
    namespace: c.base.namespace,
    branch: c.base.branch,
    secretName: c.base.secretName,
    targetPath: c.base.targetPath,
    readWrite: opts.readWriteKey,
  };
  let source: SourceSecretSpec;
  let syncUrl: string;
  let registerDeployKey: ((k: string) => Promise<void>) | undefined;
  if (opts.deployTokenAuth) {
    syncUrl = repo.httpUrl;
    source = { type: "issued", issue: deployTokenIssuer(setup.provider, repo, naming, ctx.logger) };
  } else if (opts.tokenAuth) {
    syncUrl = repo.httpUrl;
    source = { type: "https", username: setup.secretUsername ?? "git", password: setup.token };
  } else {
    syncUrl = sshSyncUrl(setup.provider, repo, opts.sshHostname || undefined);
    source = sshSpec(opts, sshHostPort(syncUrl));
    registerDeployKey = deployKeyRegistrar(setup.provider, repo, naming, ctx.logger);
  }
  const dir = await workDir();
  const git: GitClient = createGitClient({
    url: repo.httpUrl,
    branch: c.base.branch,
    dir,
    http: { username: setup.gitUsername ?? "git", password: setup.token },
    timeoutMs: ctx.globals.timeoutMs,
    signer: c.signer,
  });
  const prBranch = opts.prBranch || `flux-bootstrap-${c.base.namespace}`;
  const options: BootstrapOptions = {
    ...c.base,
    syncUrl,
    source,
    pullRequest: opts.pr ? { branch: prBranch, wait: opts.wait } : undefined,
  };
  const deps: BootstrapDeps = {
    git,
    kube,
    logger: ctx.logger,
    renderComponents: c.renderComponents,
    ...keyTools(opts.sshHostkeyAlgos),
    registerDeployKey,
    changeRequests: changeRequestHooks(setup.provider, repo),
    ...overrides,
  };
  await finish(
    async () => {
      const res = await bootstrap(options, deps);
      // With --pr --wait=false the request's URL is the command's output, for scripts.
      if (res.pullRequestUrl && options.pullRequest && !options.pullRequest.wait)
        ctx.io.stdout.write(`${res.pullRequestUrl}\n`);
    },
    dir,
    deps.git,
  );
}

export async function runBootstrapGitHub(opts: BootstrapProviderOptions, ctx: Deps): Promise<void> {
  refuseSigningReuse(opts, "bootstrap github");
  const t = await token(ctx, "GITHUB_TOKEN", "GitHub");
  const provider = new GitHubProvider({ token: t, hostname: opts.hostname, timeoutMs: ctx.globals.timeoutMs });
  await bootstrapWithProvider(opts, ctx, { kind: "github", provider, token: t });
}

export async function runBootstrapGitLab(opts: BootstrapProviderOptions, ctx: Deps): Promise<void> {
  const t = await token(ctx, "GITLAB_TOKEN", "GitLab");
  if (opts.tokenAuth && opts.deployTokenAuth)
    throw new CliError("--token-auth and --deploy-token-auth cannot be set both");
  const provider = new GitLabProvider({ token: t, hostname: opts.hostname, timeoutMs: ctx.globals.timeoutMs });
  // The deprecated --private=false still means public, whatever --visibility says (upstream).
  if (!opts.private) {
    ctx.io.stderr.write("Using visibility public as --private=false\n");
    opts = { ...opts, visibility: "public" };
  }
  await bootstrapWithProvider(opts, ctx, { kind: "gitlab", provider, token: t });
}

export async function runBootstrapGitea(opts: BootstrapProviderOptions, ctx: Deps): Promise<void> {
  refuseSigningReuse(opts, "bootstrap gitea");
  const t = await token(ctx, "GITEA_TOKEN", "Gitea");
  const provider = new GiteaProvider({ token: t, hostname: opts.hostname, timeoutMs: ctx.globals.timeoutMs });
  // upstream clones over HTTPS as the owner, with the token as password.
  await bootstrapWithProvider(opts, ctx, { kind: "gitea", provider, token: t, gitUsername: opts.owner });
}

export async function runBootstrapBitbucketServer(opts: BootstrapProviderOptions, ctx: Deps): Promise<void> {
  const t = await token(ctx, "BITBUCKET_TOKEN", "Bitbucket");
  if (!opts.hostname) throw new CliError(`invalid hostname ""`);
  const provider = new BitbucketServerProvider({ token: t, hostname: opts.hostname, timeoutMs: ctx.globals.timeoutMs });
  // The user git and the source secret authenticate as: the owner for a personal project, else --username.
  const user = opts.personal ? opts.owner : opts.username;
  await bootstrapWithProvider(opts, ctx, {
    kind: "bitbucket-server",
    provider,
    token: t,
    gitUsername: user,
    secretUsername: user,
  });
}

/** Used in messages only. */
export function safeUrl(url: string): string {
  return redactUrls(url);
}
