// What bootstrap needs from a git hosting provider. GitHub, GitLab, Gitea and Bitbucket
// Server implement it over their REST APIs; nothing here touches the cluster or the git
// protocol.

export type Visibility = "public" | "private" | "internal";

export interface RepositoryRef {
  /** The user, organization or (GitLab) top-level group. */
  owner: string;
  /** Repository name; on GitLab it may be prefixed with subgroups: "sub/group/repo". */
  name: string;
  /** The owner is the authenticated user rather than an organization/group. */
  personal: boolean;
}

export interface Repository {
  /** owner/name (GitLab: the full path with subgroups). */
  fullPath: string;
  /** Provider id (GitLab project id; GitHub repository id). */
  id: number;
  /** HTTPS clone URL as the API reports it. */
  httpUrl: string;
  /** The provider's own web page for the repository. */
  webUrl: string;
  defaultBranch?: string | undefined;
  visibility?: Visibility | undefined;
  description?: string | undefined;
}

export interface CreateRepositoryOptions {
  description?: string | undefined;
  visibility: Visibility;
  /** Create with an initial commit on the default branch (default true). */
  autoInit?: boolean;
}

export interface DeployKey {
  id: number;
  title: string;
  /** The public key as stored ("ssh-ed25519 AAAA..."). */
  key: string;
  readOnly: boolean;
}

export interface DeployToken {
  id: number;
  name: string;
  username: string;
  /** Only present right after creation. */
  token?: string;
}

export interface ChangeRequest {
  /** PR number / MR iid. */
  number: number;
  url: string;
  state: "open" | "merged" | "closed";
}

export type ProviderKind = "github" | "gitlab" | "gitea" | "bitbucket-server";

export interface GitProvider {
  readonly kind: ProviderKind;
  /** The host people know ("github.com", "gitlab.example.com"). */
  readonly domain: string;
  /** Login of the token's user. */
  currentUser(): Promise<string>;
  getRepository(ref: RepositoryRef): Promise<Repository | undefined>;
  createRepository(ref: RepositoryRef, opts: CreateRepositoryOptions): Promise<Repository>;
  /** Updates the visibility and (when given) the description of an existing repository. */
  updateRepository(repo: Repository, opts: { visibility: Visibility; description?: string }): Promise<Repository>;
  listDeployKeys(repo: Repository): Promise<DeployKey[]>;
  addDeployKey(repo: Repository, key: { title: string; key: string; readOnly: boolean }): Promise<DeployKey>;
  /** GitHub: the team's permission on the repository, or undefined without access. */
  getTeamPermission?(repo: Repository, org: string, team: string): Promise<string | undefined>;
  setTeamPermission?(repo: Repository, org: string, team: string, permission: string): Promise<void>;
  /** GitLab: deploy tokens. */
  listDeployTokens?(repo: Repository): Promise<DeployToken[]>;
  createDeployToken?(repo: Repository, name: string): Promise<DeployToken>;
  /** Pull/merge requests (GitHub, GitLab: bootstrap --pr). */
  findChangeRequest?(repo: Repository, head: string, base: string): Promise<ChangeRequest | undefined>;
  createChangeRequest?(
    repo: Repository,
    opts: { head: string; base: string; title: string; body: string },
  ): Promise<ChangeRequest>;
  getChangeRequest?(repo: Repository, number: number): Promise<ChangeRequest>;
}

export class ProviderError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

/** Compares public keys by type and base64 body (comments and whitespace ignored). */
export function sameKey(a: string, b: string): boolean {
  const norm = (k: string) => k.trim().split(/\s+/).slice(0, 2).join(" ");
  return norm(a) === norm(b);
}
