// GitLabProvider (@gitbeaker/rest) against the local GitLab contract server.
import { beforeAll, describe, expect, it } from "vitest";
import { GitLabProvider, gitlabHostUrl, ProviderError } from "../../../src/providers/index.js";
import { startGitServer, type GitServer } from "../../env/git-server.js";
import { GitLabServer } from "../../providers/gitlab-server.js";
import { must } from "../../support/must.js";
import { stopAfterAll } from "../../support/teardown.js";

const TOKEN = "glpat-contractTOKEN";
let git: GitServer;
let gl: GitLabServer;
const fast = { attempts: 3, baseDelayMs: 1 };

const stopLater = stopAfterAll();
beforeAll(async () => {
  git = stopLater(await startGitServer({ username: "git", password: TOKEN }));
  gl = stopLater(
    await GitLabServer.start({
      git,
      token: TOKEN,
      username: "jdoe",
      groups: ["acme", "acme/platform", "acme/platform/clusters"],
    }),
  );
});

const provider = (token = TOKEN) => new GitLabProvider({ token, hostname: gl.url, retry: fast });

describe("GitLabProvider", () => {
  it("maps hosts", () => {
    expect(gitlabHostUrl()).toBe("https://gitlab.com");
    expect(gitlabHostUrl("git.example.com")).toBe("https://git.example.com");
  });

  it("creates projects in nested groups and gets them by full path", async () => {
    const p = provider();
    const ref = { owner: "acme", name: "platform/clusters/fleet", personal: false };
    expect(await p.getRepository(ref)).toBeUndefined();
    const repo = await p.createRepository(ref, { visibility: "private" });
    expect(repo.fullPath).toBe("acme/platform/clusters/fleet");
    expect(repo.httpUrl).toBe(git.url("acme/platform/clusters/fleet"));
    expect(git.listFiles("acme/platform/clusters/fleet", "main")).toEqual(["README.md"]);
    expect((await p.getRepository(ref))?.id).toBe(repo.id);
    const dup = await p.createRepository(ref, { visibility: "private" }).catch((e: unknown) => e);
    expect((dup as ProviderError).status).toBe(400);
    expect((dup as Error).message).toContain("has already been taken");
  });

  it("updates visibility and description", async () => {
    const p = provider();
    await gl.addProject("acme/upd");
    const repo = must(await p.getRepository({ owner: "acme", name: "upd", personal: false }), "the upd repository");
    const updated = await p.updateRepository(repo, { visibility: "internal", description: "Fleet" });
    expect(updated).toMatchObject({ visibility: "internal", description: "Fleet" });
    expect(must(gl.project("acme/upd"), "project acme/upd on the server").visibility).toBe("internal");
  });

  it("shares the project with groups as team permissions", async () => {
    const p = provider();
    await gl.addProject("acme/shared");
    const repo = must(
      await p.getRepository({ owner: "acme", name: "shared", personal: false }),
      "the shared repository",
    );
    expect(await p.getTeamPermission(repo, "acme", "platform")).toBeUndefined();
    await p.setTeamPermission(repo, "acme", "platform", "maintain");
    expect(await p.getTeamPermission(repo, "acme", "platform")).toBe("maintain");
    expect(must(gl.project("acme/shared"), "project acme/shared on the server").shares).toEqual([
      { group_id: gl.groups.get("acme/platform"), group_full_path: "acme/platform", group_access_level: 40 },
    ]);
    const err = await p.setTeamPermission(repo, "acme", "ghosts", "push").catch((e: unknown) => e);
    expect((err as ProviderError).status).toBe(404);
  });

  it("knows the token's user", async () => {
    expect(await provider().currentUser()).toBe("jdoe");
  });

  it("creates personal projects in the user's namespace", async () => {
    const repo = await provider().createRepository(
      { owner: "jdoe", name: "mine", personal: true },
      { visibility: "internal" },
    );
    expect(repo.fullPath).toBe("jdoe/mine");
    expect(repo.visibility).toBe("internal");
  });

  it("explains a missing group", async () => {
    const err = await provider()
      .createRepository({ owner: "ghosts", name: "x", personal: false }, { visibility: "private" })
      .catch((e: unknown) => e);
    expect((err as ProviderError).status).toBe(404);
    expect((err as Error).message).toContain('group "ghosts" not found');
  });

  it("pages through deploy keys and adds keys with can_push", async () => {
    const p = provider();
    const st = await gl.addProject("acme/keys");
    for (let i = 0; i < 120; i++)
      st.keys.push({ id: 9000 + i, title: `k${i}`, key: `ssh-ed25519 AAAA${i}`, can_push: false, created_at: "" });
    const repo = must(await p.getRepository({ owner: "acme", name: "keys", personal: false }), "the keys repository");
    expect(await p.listDeployKeys(repo)).toHaveLength(120);
    const ro = await p.addDeployKey(repo, { title: "flux", key: "ecdsa-sha2-nistp384 AAAAE2Vj", readOnly: true });
    expect(ro.readOnly).toBe(true);
    const rw = await p.addDeployKey(repo, { title: "flux-rw", key: "ssh-ed25519 AAAAC3Nz", readOnly: false });
    expect(rw.readOnly).toBe(false);
    expect(st.keys.at(-1)?.can_push).toBe(true);
  });

  it("creates deploy tokens with read_repository and lists them without values", async () => {
    const p = provider();
    await gl.addProject("acme/tokens");
    const repo = must(
      await p.getRepository({ owner: "acme", name: "tokens", personal: false }),
      "the tokens repository",
    );
    const t = await p.createDeployToken(repo, "flux-system-main");
    expect(t.token).toMatch(/^gldt-/);
    expect(must(gl.project("acme/tokens"), "project acme/tokens on the server").tokens[0]?.scopes).toEqual([
      "read_repository",
    ]);
    const list = await p.listDeployTokens(repo);
    expect(list).toEqual([{ id: t.id, name: "flux-system-main", username: t.username }]);
  });

  it("fails with GitLab's message on a wrong token, never echoing it", async () => {
    const err = await provider("glpat-WRONG")
      .getRepository({ owner: "acme", name: "keys", personal: false })
      .catch((e: unknown) => e);
    expect((err as ProviderError).status).toBe(401);
    expect((err as Error).message).toContain("401 Unauthorized");
    expect((err as Error).message).toContain("GITLAB_TOKEN");
    expect((err as Error).message).not.toContain("glpat-WRONG");
  });

  it("retries 5xx, bounded", async () => {
    const p = new GitLabProvider({ token: TOKEN, hostname: gl.url, retry: { attempts: 3, baseDelayMs: 1 } });
    await gl.addProject("acme/retries"); // its own: the tests of this file may run in any order
    gl.http.failNext(2, 500);
    expect((await p.getRepository({ owner: "acme", name: "retries", personal: false }))?.fullPath).toBe("acme/retries");
    gl.http.failNext(3, 503);
    const err = await p.getRepository({ owner: "acme", name: "retries", personal: false }).catch((e: unknown) => e);
    expect((err as ProviderError).status).toBe(503);
  });

  it("opens, finds and reads merge requests", async () => {
    const p = provider();
    await gl.addProject("acme/mrs", { "README.md": "x\n" });
    git.commitFiles("acme/mrs", "flux", { "b.txt": "b\n" });
    const repo = must(await p.getRepository({ owner: "acme", name: "mrs", personal: false }), "the mrs repository");
    expect(await p.findChangeRequest(repo, "flux", "main")).toBeUndefined();
    const mr = await p.createChangeRequest(repo, { head: "flux", base: "main", title: "Add Flux", body: "" });
    expect(mr).toMatchObject({ number: 1, state: "open" });
    expect((await p.findChangeRequest(repo, "flux", "main"))?.number).toBe(1);
    gl.mergeMr("acme/mrs", 1);
    expect((await p.getChangeRequest(repo, 1)).state).toBe("merged");
  });
});
