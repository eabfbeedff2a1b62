// Picks the git client for a URL and runs the commit-and-push loop that never
// forces: when the remote moved, clone again, rebuild the commit on top, retry.
import { CliError, errorMessage } from "../errors.js";
import type { Logger } from "../output/logger.js";
import { IsoGitClient } from "./isogit.js";
import { SystemGitClient } from "./systemgit.js";
import {
  GitAuthError,
  RemoteMovedError,
  type CommitSigner,
  type GitClient,
  type HttpAuth,
  type Signature,
  type SshAuth,
} from "./types.js";

export * from "./types.js";
export { IsoGitClient, safeJoin } from "./isogit.js";
export { SystemGitClient, shellQuote, sparseDirectories } from "./systemgit.js";

export { createCommitSigner, type SigningSpec } from "./signing.js";

export type Transport = "http" | "ssh";

/** http(s) URLs use isomorphic-git; ssh:// and scp-like URLs (git@host:path) use the system git client. */
export function transportOf(url: string): Transport {
  if (/^https?:\/\//i.test(url)) return "http";
  if (/^ssh:\/\//i.test(url) || /^[^/:@\s]+@[^/:\s]+:/.test(url)) return "ssh";
  throw new CliError(
    `unsupported Git URL scheme in "${url.replace(/\/\/[^/@]*@/, "//***@")}": use https://, http:// or ssh://`,
  );
}

export interface GitClientOptions {
  url: string;
  branch: string;
  dir: string;
  http?: HttpAuth | undefined;
  ssh?: SshAuth | undefined;
  /** PEM CA bundle trusted for https (--ca-file). */
  ca?: string | undefined;
  /** Extra headers for every http(s) request (--with-bearer-token's Authorization: Bearer). */
  headers?: Record<string, string> | undefined;
  /** Use the system git client even for http(s) (for testing the SSH code path's git handling). */
  forceSystemGit?: boolean;
  now?: () => Date;
  /** A request the git server leaves unanswered (no byte) this long fails (--timeout; http(s) only). */
  timeoutMs?: number;
  /** Signs every commit (see createCommitSigner). */
  signer?: CommitSigner | undefined;
  /**
   * Check out only these directories (--sparse-checkout, with the directory bootstrap
   * writes to). The system git client does (sparse-checkout, cone mode); isomorphic-git
   * has no sparse index, so it checks out everything.
   */
  sparseCheckout?: string[] | undefined;
}

export function createGitClient(opts: GitClientOptions): GitClient {
  if (opts.forceSystemGit || transportOf(opts.url) === "ssh") {
    return new SystemGitClient({
      url: opts.url,
      branch: opts.branch,
      dir: opts.dir,
      ssh: opts.ssh ?? {},
      http: opts.http,
      ca: opts.ca,
      now: opts.now,
      signer: opts.signer,
      sparseCheckout: opts.sparseCheckout,
    });
  }
  return new IsoGitClient({
    url: opts.url,
    branch: opts.branch,
    dir: opts.dir,
    auth: opts.http,
    ca: opts.ca,
    headers: opts.headers,
    now: opts.now,
    timeoutMs: opts.timeoutMs,
    signer: opts.signer,
  });
}

export interface CommitAndPushOptions {
  /** Produces the files to write; called again after a re-clone so they are rebuilt on the new head. */
  files: (git: GitClient) => Promise<Record<string, string>> | Record<string, string>;
  message: string;
  author: Signature;
  /** How many times to rebuild on a moved remote (default 5). */
  maxAttempts?: number | undefined;
  logger?: Logger;
  /** Called after each commit, before its push. */
  onCommitted?: (commit: string) => void;
  /** Waits between push retries (tests pass a fast one). */
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface CommitAndPushResult {
  /** The commit that was pushed, or undefined when nothing changed. */
  commit?: string;
  /** HEAD after the operation. */
  head?: string | undefined;
  attempts: number;
}

export async function commitAndPush(git: GitClient, opts: CommitAndPushOptions): Promise<CommitAndPushResult> {
  const max = opts.maxAttempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    const files = await opts.files(git);
    const commit = await git.commitFiles(files, opts.message, opts.author);
    if (!commit) return { head: await git.head(), attempts: attempt };
    opts.onCommitted?.(commit);
    try {
      await pushCommit(git, commit, opts);
      return { commit, head: commit, attempts: attempt };
    } catch (err) {
      if (!(err instanceof RemoteMovedError) || attempt >= max) throw err;
      opts.logger?.waiting("git conflict detected, retrying with a fresh clone");
      await git.reclone();
    }
  }
}

/**
 * Pushes `commit` (HEAD), retrying a push that failed on the way (a 5xx, a reset, a cut
 * answer, a timeout) up to 3 times. Before each retry the remote is asked where the branch
 * is: when it already points at the commit, the push landed and only its answer was lost.
 * Refused credentials and a moved remote are not retried here.
 */
export async function pushCommit(
  git: GitClient,
  commit: string,
  opts: Pick<CommitAndPushOptions, "logger" | "sleep"> & { remoteBranch?: string } = {},
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await git.push(opts.remoteBranch);
      return;
    } catch (err) {
      if (err instanceof RemoteMovedError || err instanceof GitAuthError) throw err;
      const landed = await git.remoteHead(opts.remoteBranch).then(
        (head) => head === commit,
        () => false,
      );
      if (landed) return;
      if (attempt >= 3) throw err;
      opts.logger?.warning(`push failure: ${errorMessage(err)}, retrying`);
      await (opts.sleep ?? defaultSleep)(1_000 * attempt);
    }
  }
}
