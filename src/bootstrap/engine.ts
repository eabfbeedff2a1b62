// The bootstrap orchestration. Each step checks before it acts, so running it again
// converges: components committed only when they changed, installed only on a cluster
// that Flux does not reconcile yet, the source secret created only when missing (an
// existing one is reused, never rotated), the deploy key registered only when the
// repository does not have it, the sync manifests committed only when they changed,
// and pushes never forced. Talks to git through GitClient, to the provider through
// the hooks it is given, to the cluster through the kube helpers.
import path from "node:path/posix";
import { CliError, errorMessage, redactUrls } from "../errors.js";
import {
  commitAndPush,
  FOREIGN_COMMITS_LIMIT,
  GitAuthError,
  pushCommit,
  RemoteMovedError,
  type GitClient,
  type Signature,
} from "../git/index.js";
import { mustKind, resourceOf } from "../kinds/registry.js";
import type { KubeClient } from "../kube/client.js";
import type { KubeObject } from "../kube/rest.js";
import type { Logger } from "../output/logger.js";
import {
  COMPONENTS_FILE,
  KUSTOMIZATION_FILE,
  SYNC_FILE,
  generateKustomization,
  generateSync,
  manifestsDir,
  normalizeTargetPath,
  sameRevision,
  syncObjects,
  type SyncOptions,
} from "./sync.js";
import { fill, line } from "../util/template.js";
import pullRequestBody from "../../templates/bootstrap/pull-request.md.tmpl";
import { parseManifests, sortForApply } from "../install/run.js";
import { applyObjects, applyObject } from "../kube/apply.js";
import { gitSecret } from "../manifests/secrets.js";
import { readdir } from "node:fs/promises";
import { waitFor } from "../kube/wait.js";
import { assessDeployments } from "../install/cluster.js";
import { kubeErrorMessage } from "../kube/client.js";
import { createIfAbsent, getIfExists, NAMESPACES, SECRETS } from "../kube/objects.js";
import { kustomizeBuild } from "../install/kustomize.js";
import { must } from "../util/must.js";

export type SshKeyAlgorithm = "rsa" | "ecdsa" | "ed25519";
export type EcdsaCurve = "p256" | "p384" | "p521";

export type SourceSecretSpec =
  | {
      type: "ssh";
      algorithm: SshKeyAlgorithm;
      rsaBits: number;
      ecdsaCurve: EcdsaCurve;
      /** A private key given by the user (--private-key-file); otherwise one is generated. */
      privateKey?: string | undefined;
      password?: string | undefined;
      /** host[:port] whose SSH host key goes into known_hosts. */
      sshHostPort: string;
    }
  | { type: "https"; username: string; password: string; caCrt?: string | undefined }
  /** --with-bearer-token: the token goes in the Secret's bearerToken (Authorization: Bearer). */
  | { type: "bearer"; bearerToken: string; caCrt?: string | undefined }
  /** The provider issues the credentials when the secret is missing (GitLab deploy tokens). */
  | { type: "issued"; issue: () => Promise<{ username: string; password: string }> };

export interface ComponentsSpec {
  /** Distribution version for the commit message (e.g. v2.9.0). */
  version: string;
  /** Controllers whose Deployments are checked at the end. */
  components: string[];
  /** --registry-creds with --image-pull-secret: the pull secret to apply. */
  imagePullSecret?: KubeObject | undefined;
}

export interface PullRequestSpec {
  /** Head branch of the pull/merge request. */
  branch: string;
  /** Wait for the merge (default true); false returns after opening it. */
  wait: boolean;
  title?: string;
  pollIntervalMs?: number;
}

export interface BootstrapOptions {
  namespace: string;
  branch: string;
  /** --path */
  targetPath: string;
  /** The URL the cluster's GitRepository fetches from. */
  syncUrl: string;
  /** --interval as a Go duration ("1m0s"). */
  interval: string;
  secretName: string;
  recurseSubmodules?: boolean | undefined;
  /** --sparse-checkout: spec.sparseCheckout of the GitRepository. */
  sparseCheckout?: string[] | undefined;
  author: Signature;
  commitMessageAppendix?: string | undefined;
  components: ComponentsSpec;
  source: SourceSecretSpec;
  /** Overall wait budget for each health check (ms). */
  timeoutMs: number;
  pollIntervalMs?: number;
  /** Open a pull/merge request instead of pushing to the branch. */
  pullRequest?: PullRequestSpec | undefined;
}

export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

export interface ChangeRequestHooks {
  find(head: string, base: string): Promise<{ number: number; url: string; state: string } | undefined>;
  create(opts: {
    head: string;
    base: string;
    title: string;
    body: string;
  }): Promise<{ number: number; url: string; state: string }>;
  get(number: number): Promise<{ number: number; url: string; state: string }>;
  /** "pull request" (GitHub) or "merge request" (GitLab). */
  noun: string;
  /** "#" (GitHub) or "!" (GitLab) before the number. */
  sigil: string;
}

export interface BootstrapDeps {
  git: GitClient;
  kube: KubeClient;
  logger: Logger;
  /** Renders gotk-components.yaml (the install engine). */
  renderComponents: () => Promise<string>;
  generateKeyPair: (o: { algorithm: SshKeyAlgorithm; rsaBits: number; ecdsaCurve: EcdsaCurve }) => KeyPair;
  loadKeyPair: (content: string, password?: string) => KeyPair;
  /** known_hosts line for host[:port]. */
  scanHostKey: (hostport: string, timeoutMs: number) => Promise<string>;
  /** Registers the public key on the repository (provider deploy key); must be idempotent. */
  registerDeployKey?: ((publicKey: string) => Promise<void>) | undefined;
  /** Hook for plain git: tell the user to give the key access (prompt unless --silent). */
  onNewPublicKey?: ((publicKey: string) => Promise<void>) | undefined;
  changeRequests?: ChangeRequestHooks | undefined;
  /** Checks the controllers' Deployments; default: kstatus through the install engine. */
  checkComponents?: (namespace: string, components: string[], timeoutMs: number) => Promise<boolean>;
  sleep?: (ms: number) => Promise<void>;
  maxPushAttempts?: number;
  /** kustomize build of a directory (default: the real kustomize through the install engine). */
  kustomizeBuild?: (dir: string) => Promise<string>;
  /** Called before each step runs (progress, or a test interrupting the run there). */
  beforeStep?: (name: BootstrapStepName) => void | Promise<void>;
}

export interface BootstrapResult {
  /** The commit the cluster was waited for. */
  revision?: string | undefined;
  /** True when nothing was committed, installed or created. */
  unchanged: boolean;
  /** Set when --pr opened a request and did not wait for it. */
  pullRequestUrl?: string | undefined;
}

const GIT_REPOSITORY = resourceOf(mustKind("GitRepository"));
const KUSTOMIZATION = resourceOf(mustKind("Kustomization"));

function quote(s: string): string {
  return JSON.stringify(s);
}

function withAppendix(message: string, appendix?: string): string {
  return appendix ? `${message}\n\n${appendix}` : message;
}

function b64decode(s: string | undefined): string | undefined {
  return s === undefined ? undefined : Buffer.from(s, "base64").toString("utf8");
}

/**
 * Every step of a bootstrap, by name (docs/bootstrap.md). Direct mode runs them in this
 * order without pull-request; with --pr, sync-in-git and pull-request run right after
 * components-in-git. Each checks before it acts, so a run interrupted anywhere
 * converges when run again. The names are stable: tests stop a bootstrap before each
 * of them (BootstrapDeps.beforeStep).
 */
export const BOOTSTRAP_STEPS = [
  "components-in-git",
  "install-components",
  "image-pull-secret",
  "source-secret",
  "sync-in-git",
  "apply-sync",
  "health",
  "pull-request",
] as const;

export type BootstrapStepName = (typeof BOOTSTRAP_STEPS)[number];

export interface BootstrapStep {
  name: BootstrapStepName;
  /** The pull-request step may end the bootstrap early (a request not waited for): Bootstrapper.stopped. */
  run: () => Promise<void>;
}

export class Bootstrapper {
  private changed = false;
  private newBranch = false;
  private cloned = false;
  private opts: BootstrapOptions;
  private readonly deps: BootstrapDeps;
  private readonly dir: string;

  constructor(opts: BootstrapOptions, deps: BootstrapDeps) {
    this.opts = { ...opts, targetPath: normalizeTargetPath(opts.targetPath) };
    this.deps = deps;
    this.dir = manifestsDir(this.opts.targetPath, opts.namespace);
  }

  private sleep(ms: number): Promise<void> {
    return (this.deps.sleep ?? ((t: number) => new Promise<void>((r) => setTimeout(r, t))))(ms);
  }

  private get log(): Logger {
    return this.deps.logger;
  }

  private get key(): string {
    return `${this.opts.namespace}/${this.opts.namespace}`;
  }

  async ensureCloned(): Promise<void> {
    if (this.cloned) return;
    const { git } = this.deps;
    this.log.action(`cloning branch ${quote(this.opts.branch)} from Git repository ${quote(redactUrls(git.url))}`);
    // Like upstream, a failing clone is retried (not on refused credentials).
    let res;
    for (let attempt = 1; ; attempt++) {
      try {
        res = attempt === 1 ? await git.clone() : await git.reclone();
        break;
      } catch (err) {
        if (err instanceof GitAuthError || attempt >= 3) throw err;
        this.log.warning(`clone failure: ${errorMessage(err)}`);
        await this.sleep(2_000 * attempt);
      }
    }
    this.cloned = true;
    this.newBranch = res.newBranch;
    if (res.newBranch) {
      this.log.success(
        res.emptyRemote
          ? "cloned repository (empty, starting the branch)"
          : `branch ${quote(this.opts.branch)} not found, starting it`,
      );
    } else {
      this.log.success("cloned repository");
    }
  }

  private syncOptions(): SyncOptions {
    return {
      name: this.opts.namespace,
      namespace: this.opts.namespace,
      url: this.opts.syncUrl,
      branch: this.opts.branch,
      interval: this.opts.interval,
      secret: this.opts.secretName,
      targetPath: this.opts.targetPath,
      recurseSubmodules: this.opts.recurseSubmodules,
      sparseCheckout: this.opts.sparseCheckout,
    };
  }

  /** Commits files and pushes (or, in PR mode, only commits locally). Returns the new commit, if any. */
  private async commit(
    what: string,
    message: string,
    files: (git: GitClient) => Promise<Record<string, string>>,
  ): Promise<string | undefined> {
    const { git } = this.deps;
    if (this.opts.pullRequest) {
      const sha = await git.commitFiles(await files(git), message, this.opts.author);
      if (sha) {
        this.changed = true;
        this.log.success(`committed ${what} to ${quote(this.opts.pullRequest.branch)} (${quote(sha)})`);
      } else {
        this.log.success(`${what} are up to date`);
      }
      return sha;
    }
    const res = await commitAndPush(git, {
      files,
      message,
      author: this.opts.author,
      logger: this.log,
      maxAttempts: this.deps.maxPushAttempts,
      onCommitted: (sha) => {
        this.log.success(`committed ${what} to ${quote(this.opts.branch)} (${quote(sha)})`);
        this.log.action(`pushing ${what} to ${quote(redactUrls(git.url))}`);
      },
    }).catch((err: unknown) => {
      if (err instanceof RemoteMovedError) {
        throw new CliError(`failed to push ${what}: ${err.message}; gave up after repeated retries`);
      }
      throw err;
    });
    if (res.commit) {
      this.changed = true;
    } else {
      this.log.success(`${what} are up to date`);
    }
    return res.commit;
  }

  // ------------------------------------------------------------------ components

  private componentsManifest?: string;

  async reconcileComponentsInGit(): Promise<void> {
    await this.ensureCloned();
    this.log.action("generating component manifests");
    this.componentsManifest = await this.deps.renderComponents();
    this.log.success("generated component manifests");
    const manifest = this.componentsManifest;
    await this.commit(
      "component manifests",
      withAppendix(`Add Flux ${this.opts.components.version} component manifests`, this.opts.commitMessageAppendix),
      () => Promise.resolve({ [path.join(this.dir, COMPONENTS_FILE)]: manifest }),
    );
  }

  /** upstream's mustInstallManifests: no flux-system Kustomization, or one that never applied. */
  async mustInstall(): Promise<boolean> {
    const ks = await this.getObject(KUSTOMIZATION, this.opts.namespace, this.opts.namespace);
    return !ks || !(ks.status as { lastAppliedRevision?: string } | undefined)?.lastAppliedRevision;
  }

  async installComponents(): Promise<void> {
    if (!(await this.mustInstall())) {
      this.log.success("components are reconciled by Flux, skipping the install");
      return;
    }
    this.log.action(`installing components in ${quote(this.opts.namespace)} namespace`);
    const manifest = await this.installManifest();
    const objs = sortForApply(parseManifests(manifest));
    try {
      const results = await applyObjects(this.deps.kube, objs, {
        fieldManager: "flux",
        force: true,
        namespace: this.opts.namespace,
      });
      if (results.some((r) => r.action !== "unchanged")) this.changed = true;
    } catch (err) {
      throw new CliError(`install failed: ${this.kubeMessage(err)}`);
    }
    this.log.success("installed components");
  }

  /** Applies the image pull secret of --registry-creds (server-side apply: unchanged when equal). */
  async reconcileImagePullSecret(): Promise<void> {
    const secret = this.opts.components.imagePullSecret;
    if (!secret) return;
    this.log.action(`reconciling image pull secret ${quote(`${this.opts.namespace}/${secret.metadata.name}`)}`);
    try {
      const r = await applyObject(this.deps.kube, secret, { fieldManager: "flux", force: true });
      if (r.action !== "unchanged") this.changed = true;
    } catch (err) {
      throw new CliError(`failed to apply the image pull secret: ${this.kubeMessage(err)}`);
    }
  }

  /**
   * What the install applies: like upstream, the flux-system kustomization.yaml built
   * with kustomize when the repository has one (so the user's patches apply from the
   * first install), else gotk-components.yaml as rendered.
   */
  private async installManifest(): Promise<string> {
    const components = this.componentsManifest ?? (await this.deps.renderComponents());
    const git = this.deps.git;
    const kfile = await git.readFile(path.join(this.dir, KUSTOMIZATION_FILE));
    const sync = await git.readFile(path.join(this.dir, SYNC_FILE));
    if (kfile === undefined || sync === undefined) return components;
    const build = this.deps.kustomizeBuild ?? (async (dir: string) => kustomizeBuild(dir));
    this.log.action(`building ${path.join(this.dir, KUSTOMIZATION_FILE)} with the repository's customizations`);
    return build(`${git.dir}/${this.dir}`);
  }

  // ------------------------------------------------------------------ source secret

  async reconcileSourceSecret(): Promise<void> {
    const { namespace, secretName } = this.opts;
    const key = `${namespace}/${secretName}`;
    this.log.action(`determining if source secret ${quote(key)} exists`);
    const existing = await this.getSecret(namespace, secretName);
    if (existing) {
      // Reused as it is: never rotated. Make sure its public key can read the repository.
      const pub = b64decode(existing.data?.["identity.pub"]);
      if (pub && this.deps.registerDeployKey) await this.deps.registerDeployKey(pub);
      const src = this.opts.source;
      const differs =
        (src.type === "https" &&
          (b64decode(existing.data?.username) !== src.username ||
            b64decode(existing.data?.password) !== src.password)) ||
        (src.type === "bearer" && b64decode(existing.data?.bearerToken) !== src.bearerToken) ||
        (src.type === "ssh" && src.privateKey !== undefined && b64decode(existing.data?.identity) !== src.privateKey);
      if (differs) {
        this.log.warning(
          `source secret ${quote(key)} exists with other credentials and is kept as it is: delete it and run bootstrap again to replace them`,
        );
      }
      this.log.success("source secret up to date");
      return;
    }
    this.log.action("generating source secret");
    const src = this.opts.source;
    let secret: KubeObject;
    let publicKey: string | undefined;
    if (src.type === "ssh") {
      const pair = src.privateKey
        ? this.deps.loadKeyPair(src.privateKey, src.password)
        : this.deps.generateKeyPair({ algorithm: src.algorithm, rsaBits: src.rsaBits, ecdsaCurve: src.ecdsaCurve });
      const knownHosts = await this.deps.scanHostKey(src.sshHostPort, 30_000);
      this.log.success(`public key: ${pair.publicKey.trim()}`);
      if (!this.deps.registerDeployKey && !src.privateKey && this.deps.onNewPublicKey) {
        await this.deps.onNewPublicKey(pair.publicKey);
      }
      publicKey = pair.publicKey;
      secret = gitSecret({
        name: secretName,
        namespace,
        identity: pair.privateKey,
        identityPub: pair.publicKey,
        knownHosts: `${knownHosts.trim()}\n`,
      }) as KubeObject;
    } else if (src.type === "https") {
      secret = gitSecret({
        name: secretName,
        namespace,
        username: src.username,
        password: src.password,
        caCrt: src.caCrt,
      }) as KubeObject;
    } else if (src.type === "bearer") {
      secret = gitSecret({ name: secretName, namespace, bearerToken: src.bearerToken, caCrt: src.caCrt }) as KubeObject;
    } else {
      const creds = await src.issue();
      secret = gitSecret({
        name: secretName,
        namespace,
        username: creds.username,
        password: creds.password,
      }) as KubeObject;
    }
    // The secret first, then the deploy key: a run interrupted in between registers the
    // key of the existing secret next time, so the repository never collects stale keys.
    this.log.action(`applying source secret ${quote(key)}`);
    const stored = await this.createSecret(secret);
    this.changed = true;
    // The key of the Secret in the cluster: another run may have created it first.
    const storedKey = b64decode(stored.data?.["identity.pub"]) ?? publicKey;
    if (publicKey && storedKey && this.deps.registerDeployKey) await this.deps.registerDeployKey(storedKey);
    this.log.success("reconciled source secret");
  }

  // ------------------------------------------------------------------ sync

  async reconcileSyncInGit(): Promise<void> {
    await this.ensureCloned();
    const current = await this.getObject(KUSTOMIZATION, this.opts.namespace, this.opts.namespace);
    if (current) {
      const norm = (p: string) => `./${(p.length > 2 ? p.replace(/\/$/, "") : p).replace(/^\.\//, "")}`;
      const curPath = (current.spec as { path?: string } | undefined)?.path ?? "";
      if (norm(curPath) !== norm(this.opts.targetPath)) {
        throw new CliError(
          `sync path configuration (${quote(this.opts.targetPath)}) would overwrite path (${quote(curPath)}) of existing Kustomization`,
        );
      }
    }
    this.log.action("generating sync manifests");
    const sync = generateSync(this.syncOptions());
    this.log.success("generated sync manifests");
    await this.commit(
      "sync manifests",
      withAppendix("Add Flux sync manifests", this.opts.commitMessageAppendix),
      async (git) => {
        const kfile = path.join(this.dir, KUSTOMIZATION_FILE);
        const existing = await git.readFile(kfile);
        const others = await readdir(`${git.dir}/${this.dir}`).then(
          (names) => names.filter((f) => /\.ya?ml$/.test(f)),
          () => [] as string[],
        );
        return { [sync.path]: sync.content, [kfile]: generateKustomization(existing, others) };
      },
    );
  }

  async applySync(): Promise<void> {
    this.log.action("applying sync manifests");
    try {
      const results = await applyObjects(this.deps.kube, syncObjects(this.syncOptions()) as unknown as KubeObject[], {
        fieldManager: "flux",
        force: true,
      });
      if (results.some((r) => r.action !== "unchanged")) this.changed = true;
    } catch (err) {
      throw new CliError(`failed to apply sync manifests: ${this.kubeMessage(err)}`);
    }
    this.log.success("reconciled sync configuration");
  }

  // ------------------------------------------------------------------ pull request

  /** Pushes the local commits to the PR branch and opens (or finds) the request. */
  async openPullRequest(): Promise<{ url: string; number: number; merged: boolean } | undefined> {
    const pr = must(this.opts.pullRequest, "the --pr options");
    const hooks = this.changeRequests();
    const existing = await hooks.find(pr.branch, this.opts.branch);
    if (!this.changed) {
      if (existing) {
        this.log.success(`${hooks.noun} ${hooks.sigil}${existing.number} is open: ${existing.url}`);
        return { url: existing.url, number: existing.number, merged: false };
      }
      return undefined;
    }
    this.log.action(`pushing manifests to branch ${quote(pr.branch)}`);
    try {
      // Retried as a direct push is: a failure on the way, or an answer lost after it landed.
      const head = await this.deps.git.head();
      await pushCommit(this.deps.git, must(head, "the commit to push"), {
        remoteBranch: pr.branch,
        logger: this.log,
        ...(this.deps.sleep ? { sleep: this.deps.sleep } : {}),
      });
    } catch (err) {
      if (err instanceof RemoteMovedError) {
        if (existing) {
          this.log.success(`${hooks.noun} ${hooks.sigil}${existing.number} is open: ${existing.url}`);
          return { url: existing.url, number: existing.number, merged: false };
        }
        await this.reuseBranch(pr.branch);
      } else throw err;
    }
    if (existing) {
      this.log.success(`updated ${hooks.noun} ${hooks.sigil}${existing.number}: ${existing.url}`);
      return { url: existing.url, number: existing.number, merged: false };
    }
    const created = await hooks
      .create({
        head: pr.branch,
        base: this.opts.branch,
        title: pr.title ?? "Add Flux manifests",
        body: line(fill(pullRequestBody, { dir: quote(this.dir) })),
      })
      .catch(async (err: unknown) => {
        // The request may have been opened with its answer lost (a retried create is then
        // refused as a duplicate): the one that is open is ours.
        const found = await hooks.find(pr.branch, this.opts.branch).catch(() => undefined);
        if (found) return found;
        throw err;
      });
    this.log.success(`opened ${hooks.noun} ${hooks.sigil}${created.number}: ${created.url}`);
    return { url: created.url, number: created.number, merged: false };
  }

  /**
   * The request's branch refused our push. An earlier run that pushed it and died before
   * opening the request left it: the branch then holds this run's files (the same tree),
   * or only this run's commits on an older base with the same manifests. That branch is
   * the one to propose; anything else on it is someone's work, which is never replaced.
   */
  private async reuseBranch(branch: string): Promise<void> {
    const remote = await this.deps.git.compareRemoteBranch(branch, this.dir);
    const ours = new Set(
      [`Add Flux ${this.opts.components.version} component manifests`, "Add Flux sync manifests"].map((m) =>
        withAppendix(m, this.opts.commitMessageAppendix).trim(),
      ),
    );
    if (remote?.sameTree || (remote?.sameDir && remote.foreign.every((m) => ours.has(m)))) {
      this.log.success(`branch ${quote(branch)} already holds these manifests`);
      return;
    }
    const others = remote?.foreign.filter((m) => !ours.has(m)) ?? [];
    const what =
      others.length === 0
        ? "other manifests"
        : others.length > FOREIGN_COMMITS_LIMIT
          ? `more than ${FOREIGN_COMMITS_LIMIT} commits bootstrap did not make`
          : `${others.length} commit${others.length === 1 ? "" : "s"} bootstrap did not make (${others
              .slice(0, 3)
              .map((m) => quote(m.split("\n", 1)[0] ?? m))
              .join(", ")}${others.length > 3 ? ", …" : ""})`;
    throw new CliError(
      `branch ${quote(branch)} already exists with ${what}: merge or delete it, or pass --pr-branch with another name, then run bootstrap again`,
    );
  }

  async waitForMerge(number: number): Promise<void> {
    const hooks = this.changeRequests();
    const sleep = this.deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const deadline = Date.now() + this.opts.timeoutMs;
    this.log.waiting(`waiting for ${hooks.noun} ${hooks.sigil}${number} to be merged`);
    for (;;) {
      const cr = await hooks.get(number);
      if (cr.state === "merged") {
        this.log.success(`${hooks.noun} ${hooks.sigil}${number} merged`);
        return;
      }
      if (cr.state === "closed")
        throw new CliError(`${hooks.noun} ${hooks.sigil}${number} was closed without being merged: ${cr.url}`);
      if (Date.now() > deadline)
        throw new CliError(`timed out waiting for ${hooks.noun} ${hooks.sigil}${number} to be merged: ${cr.url}`);
      await sleep(this.opts.pullRequest?.pollIntervalMs ?? 5_000);
    }
  }

  // ------------------------------------------------------------------ health

  async waitReconciled(type: typeof GIT_REPOSITORY, commit: string): Promise<void> {
    const ns = this.opts.namespace;
    this.log.waiting(`waiting for ${type.kind} ${quote(this.key)} to be reconciled`);
    try {
      await waitFor(
        this.deps.kube,
        type,
        ns,
        ns,
        (obj) => {
          if (!obj) return { done: false, message: "not found" };
          const spec = (obj.spec ?? {}) as { suspend?: boolean };
          if (spec.suspend) return { fail: new CliError(`${type.kind} '${this.key}' is suspended`) };
          const status = (obj.status ?? {}) as {
            observedGeneration?: number;
            conditions?: { type: string; status: string; message?: string }[];
            artifact?: { revision?: string };
            lastAttemptedRevision?: string;
          };
          if (status.observedGeneration === undefined || status.observedGeneration < 1) {
            return { done: false, message: "not reconciled yet (is the controller running?)" };
          }
          if (status.observedGeneration !== obj.metadata.generation) {
            return { done: false, message: "waiting for the current generation" };
          }
          const ready = status.conditions?.find((c) => c.type === "Ready");
          if (ready?.status === "True") {
            const rev = type.kind === "GitRepository" ? status.artifact?.revision : status.lastAttemptedRevision;
            return sameRevision(rev, this.opts.branch, commit)
              ? { done: true, value: undefined }
              : { done: false, message: `waiting for revision ${this.opts.branch}@sha1:${commit}` };
          }
          if (ready?.status === "False") return { fail: new CliError(ready.message ?? "not ready") };
          return { done: false, message: ready?.message ?? "waiting to be reconciled" };
        },
        { timeoutMs: this.opts.timeoutMs },
      );
    } catch (err) {
      const msg = errorMessage(err);
      this.log.failure(msg);
      throw new CliError(msg);
    }
    this.log.success(`${type.kind} reconciled successfully`);
  }

  async reportHealth(): Promise<string> {
    await this.ensureCloned();
    const head = await this.deps.git.head();
    if (!head) throw new CliError("the repository has no commit to wait for");
    const errors: string[] = [];
    try {
      await this.waitReconciled(GIT_REPOSITORY, head);
      try {
        await this.waitReconciled(KUSTOMIZATION, head);
      } catch (err) {
        errors.push(errorMessage(err));
      }
    } catch (err) {
      // Without the source at this revision the Kustomization cannot get there: no point waiting.
      errors.push(errorMessage(err));
      this.log.failure(`Kustomization ${quote(this.key)} not checked: its GitRepository is not ready`);
    }
    this.log.action("confirming components are healthy");
    const check = this.deps.checkComponents ?? ((ns, comps, t) => this.defaultCheck(ns, comps, t));
    if (await check(this.opts.namespace, this.opts.components.components, this.opts.timeoutMs)) {
      this.log.success("all components are healthy");
    } else {
      errors.push("components are not healthy");
    }
    if (errors.length > 0) {
      throw new CliError(`bootstrap failed with ${errors.length} health check failure(s): [${errors.join(", ")}]`);
    }
    return head;
  }

  private async defaultCheck(namespace: string, components: string[], timeoutMs: number): Promise<boolean> {
    return assessDeployments(
      this.deps.kube,
      components.map((name) => ({ namespace, name })),
      { pollIntervalMs: this.opts.pollIntervalMs ?? 2_000, timeoutMs, logger: this.log },
    );
  }

  // ------------------------------------------------------------------ run

  /**
   * The steps in order, written once. Direct mode pushes the sync manifests after the
   * cluster side is ready; pull-request mode commits both to the request's branch first,
   * opens the request (and waits for its merge), then does the cluster side.
   */
  steps(): BootstrapStep[] {
    const pr = this.opts.pullRequest !== undefined;
    const syncInGit: BootstrapStep = { name: "sync-in-git", run: () => this.reconcileSyncInGit() };
    return [
      { name: "components-in-git", run: () => this.reconcileComponentsInGit() },
      ...(pr ? [syncInGit, { name: "pull-request" as const, run: () => this.pullRequestStep() }] : []),
      { name: "install-components", run: () => this.installComponents() },
      {
        name: "image-pull-secret",
        run: async () => {
          await this.reconcileImagePullSecret();
          this.log.success("reconciled components");
        },
      },
      { name: "source-secret", run: () => this.reconcileSourceSecret() },
      ...(pr ? [] : [syncInGit]),
      { name: "apply-sync", run: () => this.applySync() },
      {
        name: "health",
        run: async () => {
          this.revision = await this.reportHealth();
        },
      },
    ];
  }

  private revision?: string;
  private pullRequestUrl?: string;

  /** Set when the bootstrap ends after opening a request it does not wait for. */
  private stopped = false;

  /** Opens (or finds) the request; stops the bootstrap when it is not to be waited for. */
  private async pullRequestStep(): Promise<void> {
    const pr = await this.openPullRequest();
    if (!pr) return;
    this.pullRequestUrl = pr.url;
    if (!this.opts.pullRequest?.wait) {
      this.log.success(`run bootstrap again once the request is merged: ${pr.url}`);
      this.stopped = true;
      return;
    }
    await this.waitForMerge(pr.number);
    // Continue from what was merged.
    await this.deps.git.reclone();
  }

  async run(): Promise<BootstrapResult> {
    if (this.opts.pullRequest) {
      await this.ensureCloned();
      if (this.newBranch) {
        // Nothing to protect yet: a request needs a base branch to merge into.
        this.log.warning(
          `branch ${quote(this.opts.branch)} does not exist yet: pushing to it directly instead of opening a ${this.deps.changeRequests?.noun ?? "pull request"}`,
        );
        this.opts = { ...this.opts, pullRequest: undefined };
      }
    }
    for (const step of this.steps()) {
      await this.deps.beforeStep?.(step.name);
      await step.run();
      if (this.stopped) return { unchanged: !this.changed, pullRequestUrl: this.pullRequestUrl };
    }
    this.log.success(
      this.changed ? "bootstrap finished" : "bootstrap is up to date: nothing changed in the repository or the cluster",
    );
    const result: BootstrapResult = { revision: this.revision, unchanged: !this.changed };
    if (this.opts.pullRequest) result.pullRequestUrl = this.pullRequestUrl;
    return result;
  }

  // ------------------------------------------------------------------ kube helpers

  private changeRequests(): ChangeRequestHooks {
    const hooks = this.deps.changeRequests;
    if (!hooks) throw new CliError("--pr needs a Git provider (bootstrap github or gitlab)");
    return hooks;
  }

  private kubeMessage(err: unknown): string {
    if (err instanceof CliError) return err.message;
    return kubeErrorMessage(err);
  }

  private async getObject(
    type: { group: string; version: string; plural: string },
    namespace: string,
    name: string,
  ): Promise<KubeObject | undefined> {
    try {
      return await getIfExists(this.deps.kube, type, namespace, name);
    } catch (err) {
      throw new CliError(`failed to get ${type.plural} ${namespace}/${name}: ${this.kubeMessage(err)}`);
    }
  }

  private async getSecret(
    namespace: string,
    name: string,
  ): Promise<(KubeObject & { data?: Record<string, string> }) | undefined> {
    return await this.getObject(SECRETS, namespace, name);
  }

  /** Creates the secret (and its namespace) unless it exists; returns the Secret the cluster holds. */
  private async createSecret(secret: KubeObject): Promise<KubeObject & { data?: Record<string, string> }> {
    const ns = must(secret.metadata.namespace, "the source secret's namespace");
    if (!(await this.getObject(NAMESPACES, "", ns))) {
      try {
        await createIfAbsent(this.deps.kube, NAMESPACES, {
          apiVersion: "v1",
          kind: "Namespace",
          metadata: { name: ns },
        });
      } catch (err) {
        throw new CliError(`failed to create namespace ${ns}: ${this.kubeMessage(err)}`);
      }
    }
    try {
      if (await createIfAbsent(this.deps.kube, SECRETS, secret)) return secret;
    } catch (err) {
      // Never include the object (it holds the key) in the message.
      throw new CliError(`failed to create source secret ${ns}/${secret.metadata.name}: ${this.kubeMessage(err)}`);
    }
    // Created concurrently, or by an attempt whose answer was lost: the stored one counts.
    return (await this.getSecret(ns, secret.metadata.name)) ?? secret;
  }
}

export async function bootstrap(opts: BootstrapOptions, deps: BootstrapDeps): Promise<BootstrapResult> {
  try {
    return await new Bootstrapper(opts, deps).run();
  } finally {
    await deps.git.close().catch(() => undefined);
  }
}
