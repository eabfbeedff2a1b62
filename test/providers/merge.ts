// What a provider does when a pull/merge request is merged: merge the source branch
// into the target in the bare repository of the real git server, as the given author.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export function mergeBranches(
  bare: string,
  target: string,
  source: string,
  author: { name: string; email: string },
): void {
  const work = mkdtempSync(path.join(os.tmpdir(), "tsflux-merge-"));
  const env = {
    ...process.env,
    HOME: work,
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
  };
  const git = (args: string[], cwd?: string) => execFileSync("git", args, { cwd, env, stdio: "pipe" });
  try {
    git(["clone", "--quiet", "--branch", target, bare, work]);
    git(["fetch", "--quiet", "origin", source], work);
    git(["merge", "--quiet", "--no-edit", "--allow-unrelated-histories", "FETCH_HEAD"], work);
    git(["push", "--quiet", "origin", target], work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
