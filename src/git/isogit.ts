// GitClient over http(s) with isomorphic-git. Credentials go through onAuth only,
// never into a URL, a config file or an error message.
import fs from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { redactUrls } from "../errors.js";
import {
  GitAuthError,
  GitError,
  RemoteMovedError,
  FOREIGN_COMMITS_LIMIT,
  type BranchComparison,
  type CloneResult,
  type CommitSigner,
  type GitClient,
  type HttpAuth,
  type Signature,
} from "./types.js";

export interface IsoGitOptions {
  url: string;
  branch: string;
  dir: string;
  auth?: HttpAuth | undefined;
  /** Extra headers for every request (e.g. a User-Agent). */
  headers?: Record<string, string> | undefined;
  /** PEM CA bundle trusted for https (--ca-file), in addition to nothing else. */
  ca?: string | undefined;
  /** Clock for commit timestamps (seconds); defaults to now. */
  now?: (() => Date) | undefined;
  /** A request the server leaves silent this long fails instead of hanging (--timeout). */
  timeoutMs?: number | undefined;
  /** Signs each commit (--gpg-key-ring, --ssh-signing-key-file). */
  signer?: CommitSigner | undefined;
}

type Iso = typeof import("isomorphic-git");

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}

export function displayUrl(url: string): string {
  return redactUrls(url);
}

export class IsoGitClient implements GitClient {
  readonly dir: string;
  readonly url: string;
  readonly branch: string;
  private readonly opts: IsoGitOptions;
  private lib?: { git: Iso; http: typeof import("isomorphic-git/http/node").default };

  constructor(opts: IsoGitOptions) {
    this.opts = opts;
    this.dir = opts.dir;
    this.url = opts.url;
    this.branch = opts.branch;
  }

  private async load() {
    if (!this.lib) {
      // Lazy: ssh:// remotes use the system git client and never need isomorphic-git.
      const git = (await import("isomorphic-git")).default as unknown as Iso;
      let http = (await import("isomorphic-git/http/node")).default;
      if (this.opts.ca) {
        const { Agent } = await import("node:https");
        const agent = new Agent({ ca: this.opts.ca, keepAlive: false });
        const base = http;
        http = { request: (req) => base.request({ ...req, agent: req.url.startsWith("https:") ? agent : undefined }) };
      }
      const timeoutMs = this.opts.timeoutMs;
      if (timeoutMs) {
        // simple-get's timeout is the socket's idle time: a stalled server, not a slow transfer.
        const base = http;
        http = {
          request: (req) =>
            base
              .request({
                ...req,
                fetchOptions: { ...(req.fetchOptions as Record<string, unknown> | undefined), timeout: timeoutMs },
              })
              .catch((err: unknown) => {
                if ((err as Error).message === "Request timed out")
                  throw new GitError(`the git server did not answer within ${formatSeconds(timeoutMs)}`);
                throw err;
              }),
        };
      }
      this.lib = { git, http };
    }
    return this.lib;
  }

  private authCallbacks() {
    const auth = this.opts.auth;
    return {
      onAuth: () => (auth ? { username: auth.username, password: auth.password } : { cancel: true }),
      onAuthFailure: () => ({ cancel: true }),
    };
  }

  private translate(err: unknown, op: string): Error {
    const e = err as { code?: string; data?: { statusCode?: number; reason?: string }; message?: string };
    if (
      e.code === "UserCanceledError" ||
      (e.code === "HttpError" && (e.data?.statusCode === 401 || e.data?.statusCode === 403))
    ) {
      return new GitAuthError(displayUrl(this.url));
    }
    if (e.code === "PushRejectedError") return new RemoteMovedError(this.branch);
    if (e.code === "HttpError" && e.data?.statusCode === 404) {
      return new GitError(`repository ${displayUrl(this.url)} not found (HTTP 404)`);
    }
    return new GitError(`${op} ${displayUrl(this.url)}: ${redactUrls(e.message ?? String(err))}`);
  }

  /**
   * A fresh copy of the extra headers for each call: isomorphic-git adds
   * `Git-Protocol: version=2` to the object listServerRefs is given, and a push sent with
   * it gets git-http-backend's protocol v2 answer, which push (v0/v1) cannot read.
   */
  private headers(): Record<string, string> | undefined {
    return this.opts.headers ? { ...this.opts.headers } : undefined;
  }

  async clone(): Promise<CloneResult> {
    const { git, http } = await this.load();
    await mkdir(this.dir, { recursive: true });
    let refs: { ref: string; oid: string }[];
    try {
      refs = await git.listServerRefs({ http, url: this.url, headers: this.headers(), ...this.authCallbacks() });
    } catch (err) {
      throw this.translate(err, "failed to list references of");
    }
    const emptyRemote = refs.filter((r) => r.ref.startsWith("refs/heads/")).length === 0;
    const hasBranch = refs.some((r) => r.ref === `refs/heads/${this.branch}`);
    if (!hasBranch) {
      await git.init({ fs, dir: this.dir, defaultBranch: this.branch });
      await git.addRemote({ fs, dir: this.dir, remote: "origin", url: this.url, force: true });
      return { newBranch: true, emptyRemote };
    }
    try {
      await git.clone({
        fs,
        http,
        dir: this.dir,
        url: this.url,
        ref: this.branch,
        singleBranch: true,
        headers: this.headers(),
        ...this.authCallbacks(),
      });
    } catch (err) {
      throw this.translate(err, "failed to clone");
    }
    return { newBranch: false, emptyRemote };
  }

  async head(): Promise<string | undefined> {
    const { git } = await this.load();
    try {
      return await git.resolveRef({ fs, dir: this.dir, ref: "HEAD" });
    } catch {
      return undefined;
    }
  }

  async readFile(file: string): Promise<string | undefined> {
    try {
      return await readFile(safeJoin(this.dir, file), "utf8");
    } catch {
      return undefined;
    }
  }

  async commitFiles(files: Record<string, string>, message: string, author: Signature): Promise<string | undefined> {
    const { git } = await this.load();
    const entries = Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const paths = entries.map(([p]) => p);
    for (const [p, content] of entries) {
      const full = safeJoin(this.dir, p);
      await mkdir(path.dirname(full), { recursive: true });
      await writeFile(full, content);
      await git.add({ fs, dir: this.dir, filepath: p });
    }
    const matrix = await git.statusMatrix({ fs, dir: this.dir, filepaths: paths });
    // [file, HEAD, WORKDIR, STAGE]: 1,1,1 is unmodified.
    const changed = matrix.some(([, h, w, s]) => !(h === 1 && w === 1 && s === 1));
    if (!changed) return undefined;
    const when = this.opts.now?.() ?? new Date();
    const signer = this.opts.signer;
    return git.commit({
      fs,
      dir: this.dir,
      message,
      author: {
        name: author.name,
        email: author.email,
        timestamp: Math.floor(when.getTime() / 1000),
        timezoneOffset: 0,
      },
      // isomorphic-git calls onSign only when given a signingKey; the signer holds the real key.
      ...(signer && {
        signingKey: "signer",
        onSign: async ({ payload }: { payload: string }) => ({ signature: await signer(payload) }),
      }),
    });
  }

  async push(remoteBranch: string = this.branch): Promise<void> {
    const { git, http } = await this.load();
    let result;
    try {
      result = await git.push({
        fs,
        http,
        dir: this.dir,
        remote: "origin",
        ref: this.branch,
        remoteRef: `refs/heads/${remoteBranch}`,
        force: false,
        headers: this.headers(),
        ...this.authCallbacks(),
      });
    } catch (err) {
      if ((err as { code?: string }).code === "PushRejectedError") throw new RemoteMovedError(remoteBranch);
      const e = err as {
        code?: string;
        data?: { result?: { refs?: Record<string, { ok: boolean; error?: string }> } };
      };
      if (e.code === "GitPushError") {
        const detail = Object.values(e.data?.result?.refs ?? {})
          .map((r) => r.error ?? "")
          .join(" ");
        if (/fast-forward|fetch first|failed to (update|lock)|stale|cannot lock/i.test(detail)) {
          throw new RemoteMovedError(remoteBranch);
        }
        throw new GitError(`failed to push to ${displayUrl(this.url)}: ${redactUrls(detail)}`);
      }
      throw this.translate(err, "failed to push to");
    }
    if (!result.ok) {
      const detail = Object.values(result.refs)
        .map((r) => (r as { error?: string }).error ?? "")
        .join(" ");
      if (/fast-forward|fetch first|failed to update|stale/i.test(detail)) throw new RemoteMovedError(remoteBranch);
      throw new GitError(`failed to push to ${displayUrl(this.url)}: ${redactUrls(result.error ?? detail)}`);
    }
  }

  async remoteHead(remoteBranch: string = this.branch): Promise<string | undefined> {
    const { git, http } = await this.load();
    try {
      const refs = await git.listServerRefs({
        http,
        url: this.url,
        headers: this.headers(),
        prefix: `refs/heads/${remoteBranch}`,
        ...this.authCallbacks(),
      });
      return refs.find((r) => r.ref === `refs/heads/${remoteBranch}`)?.oid;
    } catch (err) {
      throw this.translate(err, "failed to list references of");
    }
  }

  async compareRemoteBranch(remoteBranch: string, dir: string): Promise<BranchComparison | undefined> {
    if ((await this.remoteHead(remoteBranch)) === undefined) return undefined;
    const { git, http } = await this.load();
    let remote: string | null;
    try {
      ({ fetchHead: remote } = await git.fetch({
        fs,
        http,
        dir: this.dir,
        remote: "origin",
        ref: remoteBranch,
        remoteRef: remoteBranch,
        singleBranch: true,
        tags: false,
        headers: this.headers(),
        ...this.authCallbacks(),
      }));
    } catch (err) {
      throw this.translate(err, "failed to fetch from");
    }
    if (!remote) return undefined;
    const head = await this.head();
    const treeOf = async (oid: string) => (await git.readCommit({ fs, dir: this.dir, oid })).commit.tree;
    const sub = repoDir(dir);
    const dirOf = (oid: string) =>
      git.readTree({ fs, dir: this.dir, oid, filepath: sub }).then(
        (t) => t.oid,
        () => undefined,
      );
    const [remoteTree, headTree, remoteDir, headDir] = await Promise.all([
      treeOf(remote),
      head ? treeOf(head) : undefined,
      sub ? dirOf(remote) : treeOf(remote),
      head ? (sub ? dirOf(head) : treeOf(head)) : undefined,
    ]);
    // Newest first, up to the first commit HEAD's history holds (the base it started from).
    const foreign: string[] = [];
    for (const c of await git.log({ fs, dir: this.dir, ref: remote, depth: FOREIGN_COMMITS_LIMIT + 1 })) {
      if (
        head &&
        (c.oid === head || (await git.isDescendent({ fs, dir: this.dir, oid: head, ancestor: c.oid, depth: -1 })))
      ) {
        break;
      }
      foreign.push(c.commit.message.trim());
    }
    return {
      head: remote,
      sameTree: remoteTree === headTree,
      sameDir: remoteDir !== undefined && remoteDir === headDir,
      foreign,
    };
  }

  async reclone(): Promise<CloneResult> {
    await rm(this.dir, { recursive: true, force: true });
    return this.clone();
  }

  async close(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  closeSync(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A repository-relative directory as git names it in `<rev>:<dir>`: no "./", no trailing "/". */
export function repoDir(dir: string): string {
  return path.posix
    .normalize(dir)
    .replace(/^\.\/+/, "")
    .replace(/\/+$/, "")
    .replace(/^\.$/, "");
}

/** Joins a repository-relative path, refusing paths that escape the working tree or enter .git. */
export function safeJoin(dir: string, file: string): string {
  const full = path.resolve(dir, file);
  const rel = path.relative(path.resolve(dir), full);
  if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel) || rel.split(path.sep)[0] === ".git") {
    throw new GitError(`refusing to write outside the repository working tree: ${file}`);
  }
  return full;
}
