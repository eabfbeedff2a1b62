// The provider side of bootstrap github/gitlab: repository get-or-create, team
// permissions, deploy key registration (idempotent, by key content), deploy tokens,
// clone and sync URLs, and pull/merge request hooks. Talks to the provider through
// the GitProvider interface only.
import { CliError } from "../errors.js";
import type { Logger } from "../output/logger.js";
import { sameKey, type GitProvider, type Repository, type Visibility } from "../providers/types.js";
import type { ChangeRequestHooks } from "./engine.js";
import { deployKeyBaseName, deployKeyTitle } from "./sync.js";

export interface RepositoryOptions {
  owner: string;
  /** May hold subgroups on GitLab ("platform/fleet"). */
  repository: string;
  personal: boolean;
  visibility: Visibility;
  description?: string;
  /** team name → permission (GitHub). */
  teams: Record<string, string>;
  /** --reconcile: also reconcile the team permissions of an existing repository. */
  reconcile: boolean;
}

const quote = (s: string) => JSON.stringify(s);

/** Parses --team values ("devs", "ops:admin") into name → permission (default maintain). */
export function parseTeams(
  values: string[],
  allowed: readonly string[],
  fallback = "maintain",
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    if (!v) continue;
    const [name, perm] = v.split(":", 2) as [string, string | undefined];
    const p = perm ?? fallback;
    if (!allowed.includes(p)) throw new CliError(`invalid permission ${quote(p)} for team ${quote(name)}`);
    out[name] = p;
  }
  return out;
}

/** upstream's ReconcileRepository: get, else create; then the team permissions on a best-effort basis. */
export async function reconcileRepository(
  provider: GitProvider,
  o: RepositoryOptions,
  logger: Logger,
): Promise<Repository> {
  logger.action(`connecting to ${provider.domain}`);
  const ref = { owner: o.owner, name: o.repository, personal: o.personal };
  const full = `${o.owner}/${o.repository}`;
  const display = repositoryUrl(provider, full);
  let repo = await provider.getRepository(ref);
  let created = false;
  if (!repo) {
    if (o.personal) {
      const user = await provider.currentUser();
      if (user.toLowerCase() !== o.owner.toLowerCase()) {
        throw new CliError(
          `failed to create new Git repository ${quote(full)}: --owner ${quote(o.owner)} is not the token's user ${quote(user)}; drop --personal for an organization, or use a token of ${quote(o.owner)}`,
        );
      }
    }
    repo = await provider.createRepository(ref, {
      visibility: o.visibility,
      description: o.description,
      autoInit: true,
    });
    created = true;
    logger.success(`repository ${quote(display)} created`);
  } else {
    logger.success(`repository ${quote(display)} exists`);
    const descriptionDiffers =
      o.description !== undefined && o.description !== "" && o.description !== repo.description;
    if (o.reconcile && (repo.visibility !== o.visibility || descriptionDiffers)) {
      repo = await provider.updateRepository(repo, {
        visibility: o.visibility,
        ...(o.description ? { description: o.description } : {}),
      });
      logger.success(`repository ${quote(display)} reconciled`);
    }
  }
  const teams = Object.entries(o.teams);
  if (teams.length > 0) {
    if (!provider.setTeamPermission || !provider.getTeamPermission) {
      logger.warning("team permissions are not supported by this provider, skipping --team");
    } else {
      logger.action("reconciling repository permissions");
      for (const [team, permission] of teams) {
        try {
          const current = await provider.getTeamPermission(repo, o.owner, team);
          if (current === permission || (current && !o.reconcile && !created)) continue;
          await provider.setTeamPermission(repo, o.owner, team, permission);
          logger.success(`granted ${quote(permission)} permissions to ${quote(team)}`);
        } catch (err) {
          logger.failure(
            `failed to grant ${quote(permission)} permissions to ${quote(team)}: ${(err as Error).message}`,
          );
        }
      }
      logger.success("reconciled repository permissions");
    }
  }
  return repo;
}

/** How upstream names a repository in messages: https://<domain>/<path>. */
export function repositoryUrl(provider: GitProvider, fullPath: string): string {
  return `https://${provider.domain}/${fullPath}`;
}

/** ssh://git@HOST/PATH for the GitRepository, with --ssh-hostname replacing the host. */
export function sshSyncUrl(provider: GitProvider, repo: Repository, sshHostname?: string): string {
  return `ssh://git@${sshHostname || provider.domain}/${repo.fullPath}`;
}

/** host[:port] of an ssh:// URL (for the known_hosts scan). */
export function sshHostPort(url: string): string {
  const u = new URL(url);
  return u.port ? `${u.hostname}:${u.port}` : u.hostname;
}

export interface DeployKeyNaming {
  namespace: string;
  branch: string;
  secretName: string;
  targetPath: string;
  readWrite: boolean;
}

/** Registers the public key unless the repository already has it (matched by key, not title). Never deletes keys. */
export function deployKeyRegistrar(provider: GitProvider, repo: Repository, n: DeployKeyNaming, logger: Logger) {
  return async (publicKey: string): Promise<void> => {
    const keys = await provider.listDeployKeys(repo);
    const mine = keys.find((k) => sameKey(k.key, publicKey));
    if (mine) {
      if (mine.readOnly === n.readWrite) {
        logger.warning(
          `deploy key ${quote(mine.title)} is ${mine.readOnly ? "read-only" : "read-write"}; it is kept as it is (remove it from the repository to change its access)`,
        );
      } else {
        logger.success(
          `deploy key ${quote(mine.title)} is already configured for ${quote(repositoryUrl(provider, repo.fullPath))}`,
        );
      }
      return;
    }
    const title = deployKeyTitle(n.namespace, n.branch, n.secretName, n.targetPath, publicKey);
    try {
      await provider.addDeployKey(repo, { title, key: publicKey.trim(), readOnly: !n.readWrite });
    } catch (err) {
      // A retried registration whose first answer was lost ("key already in use", "has
      // already been taken"): the key is there, registered once.
      const now = await provider.listDeployKeys(repo).catch(() => []);
      if (!now.some((k) => sameKey(k.key, publicKey))) throw err;
    }
    logger.success(`configured deploy key ${quote(title)} for ${quote(repositoryUrl(provider, repo.fullPath))}`);
  };
}

/** GitLab --deploy-token-auth: a read_repository deploy token named like upstream. */
export function deployTokenIssuer(provider: GitProvider, repo: Repository, n: DeployKeyNaming, logger: Logger) {
  return async (): Promise<{ username: string; password: string }> => {
    if (!provider.createDeployToken) throw new CliError("deploy tokens are not supported by this provider");
    logger.action("checking to reconcile deploy token for source secret");
    const name = deployKeyBaseName(n.namespace, n.branch, n.secretName, n.targetPath);
    const t = await provider.createDeployToken(repo, name);
    logger.success(`configured deploy token ${quote(name)} for ${quote(repositoryUrl(provider, repo.fullPath))}`);
    return { username: t.username, password: t.token ?? "" };
  };
}

/** The provider's pull/merge requests for --pr; undefined when it has none (Gitea, Bitbucket Server). */
export function changeRequestHooks(provider: GitProvider, repo: Repository): ChangeRequestHooks | undefined {
  const findChangeRequest = provider.findChangeRequest?.bind(provider);
  const createChangeRequest = provider.createChangeRequest?.bind(provider);
  const getChangeRequest = provider.getChangeRequest?.bind(provider);
  if (!findChangeRequest || !createChangeRequest || !getChangeRequest) return undefined;
  return {
    noun: provider.kind === "gitlab" ? "merge request" : "pull request",
    sigil: provider.kind === "gitlab" ? "!" : "#",
    find: (head, base) => findChangeRequest(repo, head, base),
    create: (o) => createChangeRequest(repo, o),
    get: (n) => getChangeRequest(repo, n),
  };
}
