// GitClient driving the system git client. Used for ssh:// (and scp-like) URLs,
// which isomorphic-git cannot speak: the private key is written to a 0600 file in a
// 0700 temporary directory, handed to ssh through GIT_SSH_COMMAND, and removed by
// close(). HTTP credentials, when used, travel in GIT_CONFIG_* environment
// variables (an http.extraHeader), never in argv or a URL.
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { redactUrls } from "../errors.js";
import { repoDir, safeJoin } from "./isogit.js";
import { must } from "../util/must.js";
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
  type SshAuth,
} from "./types.js";

export interface SystemGitOptions {
  url: string;
  branch: string;
  dir: string;
  ssh?: SshAuth;
  http?: HttpAuth | undefined;
  /** PEM CA bundle trusted for https (--ca-file). */
  ca?: string | undefined;
  /** git executable (default "git"). */
  gitPath?: string;
  now?: (() => Date) | undefined;
  /** Signs each commit (--gpg-key-ring, --ssh-signing-key-file). */
  signer?: CommitSigner | undefined;
  /**
   * Directories to check out (--sparse-checkout, cone mode; top-level files come too).
   * Every other file stays in the index and in each commit, only not on disk.
   */
  sparseCheckout?: string[] | undefined;
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Sparse checkout paths as cone-mode directories: no "./", no trailing "/", no root, no repeats. */
export function sparseDirectories(paths: string[] = []): string[] {
  const dirs = paths.map((p) =>
    path.posix
      .normalize(p.trim())
      .replace(/^\.\/+/, "")
      .replace(/\/+$/, ""),
  );
  return [...new Set(dirs.filter((d) => d !== "" && d !== "."))];
}

/** Quotes one argument for the POSIX shell git runs GIT_SSH_COMMAND with. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export class SystemGitClient implements GitClient {
  readonly dir: string;
  readonly url: string;
  readonly branch: string;
  private readonly opts: SystemGitOptions;
  private keyDir?: string | undefined;
  private env?: NodeJS.ProcessEnv | undefined;

  constructor(opts: SystemGitOptions) {
    this.opts = opts;
    this.dir = opts.dir;
    this.url = opts.url;
    this.branch = opts.branch;
  }

  /** The environment for git: no prompts, no user/system config, ssh with our key. */
  async environment(): Promise<NodeJS.ProcessEnv> {
    if (this.env) return this.env;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME ?? os.homedir(),
      GIT_TERMINAL_PROMPT: "0",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      LANG: "C",
      LC_ALL: "C",
    };
    if (process.env.SSH_AUTH_SOCK) env.SSH_AUTH_SOCK = process.env.SSH_AUTH_SOCK;
    const ssh = this.opts.ssh;
    if (ssh) {
      const parts = [ssh.sshCommand ?? "ssh", "-o", "BatchMode=yes"];
      this.keyDir = await mkdtemp(path.join(os.tmpdir(), "tsflux-ssh-"));
      await chmod(this.keyDir, 0o700);
      if (ssh.privateKey) {
        const keyFile = path.join(this.keyDir, "identity");
        const text = ssh.privateKey.endsWith("\n") ? ssh.privateKey : `${ssh.privateKey}\n`;
        await writeFile(keyFile, text, { mode: 0o600 });
        parts.push("-i", keyFile, "-o", "IdentitiesOnly=yes");
      }
      if (ssh.knownHosts) {
        const kh = path.join(this.keyDir, "known_hosts");
        await writeFile(kh, ssh.knownHosts.endsWith("\n") ? ssh.knownHosts : `${ssh.knownHosts}\n`, { mode: 0o600 });
        parts.push("-o", `UserKnownHostsFile=${kh}`, "-o", "StrictHostKeyChecking=yes");
      } else {
        // Trust on first use for this run only: the user's known_hosts still verify the
        // hosts they name, but a new host's key goes to our temporary file, never to
        // ~/.ssh/known_hosts (ssh adds new keys to the first file listed).
        const kh = path.join(this.keyDir, "known_hosts");
        parts.push(
          "-o",
          `UserKnownHostsFile=${kh} ~/.ssh/known_hosts ~/.ssh/known_hosts2`,
          "-o",
          "StrictHostKeyChecking=accept-new",
        );
      }
      env.GIT_SSH_COMMAND = parts.map((p, i) => (i === 0 ? p : shellQuote(p))).join(" ");
    }
    const config: [string, string][] = [];
    if (this.opts.http) {
      const basic = Buffer.from(`${this.opts.http.username}:${this.opts.http.password}`).toString("base64");
      config.push(["http.extraHeader", `Authorization: Basic ${basic}`]);
    }
    if (this.opts.ca) {
      this.keyDir ??= await mkdtemp(path.join(os.tmpdir(), "tsflux-ssh-"));
      await chmod(this.keyDir, 0o700);
      const caFile = path.join(this.keyDir, "ca.crt");
      await writeFile(caFile, this.opts.ca, { mode: 0o600 });
      config.push(["http.sslCAInfo", caFile]);
    }
    if (config.length > 0) {
      env.GIT_CONFIG_COUNT = String(config.length);
      config.forEach(([k, v], i) => {
        env[`GIT_CONFIG_KEY_${i}`] = k;
        env[`GIT_CONFIG_VALUE_${i}`] = v;
      });
    }
    this.env = env;
    return env;
  }

  private async run(
    args: string[],
    cwd: string = this.dir,
    extraEnv: NodeJS.ProcessEnv = {},
    input?: string,
  ): Promise<RunResult> {
    const env = { ...(await this.environment()), ...extraEnv };
    return new Promise((resolve) => {
      const child = execFile(
        this.opts.gitPath ?? "git",
        args,
        { cwd, env, maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const code = err
            ? typeof (err as { code?: unknown }).code === "number"
              ? (err as { code: number }).code
              : 1
            : 0;
          resolve({ code, stdout, stderr });
        },
      );
      if (input !== undefined) child.stdin?.end(input);
    });
  }

  private failure(op: string, r: RunResult): Error {
    const text = redactUrls(r.stderr.trim() || r.stdout.trim());
    if (
      /Authentication failed|Permission denied|could not read Username|returned error: 40[13]\b|Host key verification failed/i.test(
        text,
      )
    ) {
      if (/Host key verification failed/i.test(text)) {
        return new GitError(`${op} ${redactUrls(this.url)}: the SSH host key of the git server is not in known_hosts`);
      }
      return new GitAuthError(redactUrls(this.url));
    }
    return new GitError(`${op} ${redactUrls(this.url)}: ${text.split("\n").slice(-3).join(" ")}`);
  }

  async clone(): Promise<CloneResult> {
    await mkdir(this.dir, { recursive: true });
    const ls = await this.run(["ls-remote", "--heads", "--", this.url], this.dir);
    if (ls.code !== 0) throw this.failure("failed to list references of", ls);
    const heads = ls.stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => l.split("\t")[1]);
    const emptyRemote = heads.length === 0;
    if (!heads.includes(`refs/heads/${this.branch}`)) {
      for (const args of [
        ["init", "--quiet", `--initial-branch=${this.branch}`, "."],
        ["remote", "add", "origin", this.url],
      ]) {
        const r = await this.run(args);
        if (r.code !== 0) throw this.failure("failed to initialise a repository for", r);
      }
      return { newBranch: true, emptyRemote };
    }
    const sparse = sparseDirectories(this.opts.sparseCheckout);
    const r = await this.run(
      [
        "clone",
        "--quiet",
        "--single-branch",
        ...(sparse.length ? ["--sparse"] : []),
        "--branch",
        this.branch,
        "--",
        this.url,
        this.dir,
      ],
      path.dirname(this.dir),
    );
    if (r.code !== 0) throw this.failure("failed to clone", r);
    if (sparse.length) {
      const set = await this.run(["sparse-checkout", "set", "--cone", "--", ...sparse]);
      if (set.code !== 0) throw this.failure("failed to set the sparse checkout of", set);
    }
    return { newBranch: false, emptyRemote };
  }

  async head(): Promise<string | undefined> {
    const r = await this.run(["rev-parse", "--verify", "--quiet", "HEAD"]);
    return r.code === 0 ? r.stdout.trim() : undefined;
  }

  async readFile(file: string): Promise<string | undefined> {
    try {
      return await readFile(safeJoin(this.dir, file), "utf8");
    } catch {
      return undefined;
    }
  }

  async commitFiles(files: Record<string, string>, message: string, author: Signature): Promise<string | undefined> {
    const entries = Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const paths = entries.map(([p]) => p);
    for (const [p, content] of entries) {
      const full = safeJoin(this.dir, p);
      await mkdir(path.dirname(full), { recursive: true });
      await writeFile(full, content);
    }
    const add = await this.run(["add", "--", ...paths]);
    if (add.code !== 0) throw this.failure("failed to stage files in", add);
    const hasHead = (await this.head()) !== undefined;
    if (hasHead) {
      const diff = await this.run(["diff", "--cached", "--quiet", "--", ...paths]);
      if (diff.code === 0) return undefined;
    }
    const when = this.opts.now?.() ?? new Date();
    const date = `${Math.floor(when.getTime() / 1000)} +0000`;
    const c = await this.run(
      ["-c", "commit.gpgsign=false", "commit", "--quiet", "--no-verify", "-m", message, "--", ...paths],
      this.dir,
      {
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_COMMITTER_NAME: author.name,
        GIT_COMMITTER_EMAIL: author.email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
      },
    );
    if (c.code !== 0) throw this.failure("failed to commit in", c);
    return this.opts.signer ? this.sign(this.opts.signer) : this.head();
  }

  /**
   * Replaces HEAD by the same commit with a gpgsig header, written with hash-object: the
   * signature comes from the signer, so no user git config, gpg program or agent is involved.
   */
  private async sign(signer: CommitSigner): Promise<string> {
    const unsigned = must(await this.head(), "the commit to sign");
    const cat = await this.run(["cat-file", "commit", unsigned]);
    if (cat.code !== 0) throw this.failure("failed to read the commit in", cat);
    const split = cat.stdout.indexOf("\n\n");
    const headers = cat.stdout.slice(0, split);
    const message = cat.stdout.slice(split + 2);
    const signature = (await signer(cat.stdout)).replace(/\r\n/g, "\n").trim();
    const gpgsig = `gpgsig ${signature.split("\n").join("\n ")}`;
    const obj = await this.run(
      ["hash-object", "-t", "commit", "-w", "--stdin"],
      this.dir,
      {},
      `${headers}\n${gpgsig}\n\n${message}`,
    );
    if (obj.code !== 0) throw this.failure("failed to write the signed commit in", obj);
    const signed = obj.stdout.trim();
    const ref = await this.run(["update-ref", "-m", "sign", "HEAD", signed, unsigned]);
    if (ref.code !== 0) throw this.failure("failed to update HEAD in", ref);
    return signed;
  }

  async push(remoteBranch: string = this.branch): Promise<void> {
    const r = await this.run(["push", "--porcelain", "origin", `HEAD:refs/heads/${remoteBranch}`]);
    if (r.code === 0) return;
    const text = `${r.stdout}\n${r.stderr}`;
    if (/\[rejected\]|non-fast-forward|fetch first|stale info|failed to update ref|cannot lock ref/i.test(text)) {
      throw new RemoteMovedError(remoteBranch);
    }
    throw this.failure("failed to push to", r);
  }

  async remoteHead(remoteBranch: string = this.branch): Promise<string | undefined> {
    const ls = await this.run(["ls-remote", "--heads", "--", this.url, `refs/heads/${remoteBranch}`], this.dir);
    if (ls.code !== 0) throw this.failure("failed to list references of", ls);
    return ls.stdout
      .split("\n")
      .find((l) => l.endsWith(`\trefs/heads/${remoteBranch}`))
      ?.split("\t")[0];
  }

  async compareRemoteBranch(remoteBranch: string, dir: string): Promise<BranchComparison | undefined> {
    if ((await this.remoteHead(remoteBranch)) === undefined) return undefined;
    // Into FETCH_HEAD only: no local branch or remote-tracking ref changes.
    const fetch = await this.run(["fetch", "--quiet", "--no-tags", "origin", `refs/heads/${remoteBranch}`]);
    if (fetch.code !== 0) throw this.failure("failed to fetch from", fetch);
    const remote = (await this.run(["rev-parse", "--verify", "--quiet", "FETCH_HEAD^{commit}"])).stdout.trim();
    const head = await this.head();
    const object = async (rev: string) => {
      const r = await this.run(["rev-parse", "--verify", "--quiet", rev]);
      return r.code === 0 ? r.stdout.trim() : undefined;
    };
    const sub = repoDir(dir);
    const [remoteTree, headTree, remoteDir, headDir] = await Promise.all([
      object(`${remote}^{tree}`),
      head ? object(`${head}^{tree}`) : undefined,
      object(`${remote}:${sub}`),
      head ? object(`${head}:${sub}`) : undefined,
    ]);
    const log = await this.run([
      "log",
      "-z",
      "--format=%B",
      `--max-count=${FOREIGN_COMMITS_LIMIT + 1}`,
      remote,
      ...(head ? [`^${head}`] : []),
      "--",
    ]);
    if (log.code !== 0) throw this.failure("failed to read the history of", log);
    return {
      head: remote,
      sameTree: remoteTree !== undefined && remoteTree === headTree,
      sameDir: remoteDir !== undefined && remoteDir === headDir,
      foreign: log.stdout
        .split("\0")
        .map((m) => m.trim())
        .filter(Boolean),
    };
  }

  async reclone(): Promise<CloneResult> {
    await rm(this.dir, { recursive: true, force: true });
    return this.clone();
  }

  async close(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    if (this.keyDir) await rm(this.keyDir, { recursive: true, force: true });
    this.keyDir = undefined;
    this.env = undefined;
  }

  closeSync(): void {
    rmSync(this.dir, { recursive: true, force: true });
    if (this.keyDir) rmSync(this.keyDir, { recursive: true, force: true });
    this.keyDir = undefined;
    this.env = undefined;
  }
}
