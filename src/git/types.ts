// The git client the bootstrap engine works with. Two implementations:
// isomorphic-git for http(s) URLs (src/git/isogit.ts) and the system git client
// for ssh:// URLs, which isomorphic-git cannot speak (src/git/systemgit.ts).

export interface Signature {
  name: string;
  email: string;
}

/** HTTP Basic credentials (a token is the password; the username is ignored by most hosts). */
export interface HttpAuth {
  username: string;
  password: string;
}

export interface SshAuth {
  /** OpenSSH private key (PEM/OpenSSH format). Written to a 0600 file only for the ssh process, then removed. */
  privateKey?: string | undefined;
  /** known_hosts lines; when unset, the host key is accepted on first use. */
  knownHosts?: string;
  /** Overrides the ssh program (GIT_SSH_COMMAND base, default "ssh"). */
  sshCommand?: string;
}

/**
 * Signs a commit: the commit object without its signature in, an armored signature
 * (OpenPGP or SSHSIG) out; the client stores it in the commit's gpgsig header.
 */
export type CommitSigner = (payload: string) => Promise<string>;

export interface CloneResult {
  /** True when the remote had no commit on the branch (a new orphan branch is prepared locally). */
  newBranch: boolean;
  /** True when the remote repository had no refs at all. */
  emptyRemote: boolean;
}

export interface BranchComparison {
  /** The commit the remote branch points at. */
  head: string;
  /** Its tree is HEAD's: pushing HEAD there would change no file. */
  sameTree: boolean;
  /** Its `dir` (repository-relative) is HEAD's, file for file. */
  sameDir: boolean;
  /**
   * The messages of its commits that HEAD's history does not hold, newest first (at most
   * FOREIGN_COMMITS_LIMIT + 1: more means "many").
   */
  foreign: string[];
}

/** How many commits compareRemoteBranch lists before it stops looking. */
export const FOREIGN_COMMITS_LIMIT = 20;

export interface GitClient {
  /** The working tree directory. */
  readonly dir: string;
  readonly url: string;
  readonly branch: string;
  /** Clones the branch; a missing branch or an empty repository gives a local orphan branch. */
  clone(): Promise<CloneResult>;
  /** Commit id of HEAD, or undefined before the first commit. */
  head(): Promise<string | undefined>;
  /**
   * Writes the files (paths relative to the repository root), stages only those and
   * commits when one of them changed. Returns the new commit id, or undefined when
   * nothing changed. No other file is touched.
   */
  commitFiles(files: Record<string, string>, message: string, author: Signature): Promise<string | undefined>;
  /**
   * Pushes HEAD to the branch (or to `remoteBranch`) without force. Throws
   * RemoteMovedError when the remote branch is not an ancestor of HEAD.
   */
  push(remoteBranch?: string): Promise<void>;
  /** The commit the remote branch points at now (undefined: no such branch). */
  remoteHead(remoteBranch?: string): Promise<string | undefined>;
  /**
   * Fetches `remoteBranch` and compares it with HEAD, changing neither (undefined: no
   * such branch). A push there that was refused as non-fast-forward may have been made
   * by an earlier run of the same command: this tells it apart from someone else's work.
   */
  compareRemoteBranch(remoteBranch: string, dir: string): Promise<BranchComparison | undefined>;
  /** Discards local state and clones the remote branch again. */
  reclone(): Promise<CloneResult>;
  /** Reads a file from the working tree, or undefined. */
  readFile(file: string): Promise<string | undefined>;
  /** Removes the working tree and any key material. */
  close(): Promise<void>;
  /** The same, synchronously: for signal handlers. */
  closeSync(): void;
}

export class GitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GitError";
  }
}

/** The push was rejected because the remote branch moved (non-fast-forward). */
export class RemoteMovedError extends GitError {
  constructor(branch: string) {
    super(`push to branch "${branch}" was rejected: the remote branch has new commits (non-fast-forward)`);
    this.name = "RemoteMovedError";
  }
}

/** The server refused the credentials. */
export class GitAuthError extends GitError {
  constructor(url: string) {
    super(`authentication failed for ${url}: check the token or credentials and their access to the repository`);
    this.name = "GitAuthError";
  }
}
