// Small pieces of the provider side of bootstrap.
import { describe, expect, it } from "vitest";
import { parseTeams, sshHostPort, sshSyncUrl } from "../../../src/bootstrap/provider.js";
import { GITHUB_PERMISSIONS } from "../../../src/providers/github.js";
import type { GitProvider, Repository } from "../../../src/providers/types.js";

describe("--team", () => {
  it("defaults to maintain and validates permissions", () => {
    expect(parseTeams(["devs", "ops:admin", ""], GITHUB_PERMISSIONS)).toEqual({ devs: "maintain", ops: "admin" });
    expect(() => parseTeams(["ops:root"], GITHUB_PERMISSIONS)).toThrow('invalid permission "root" for team "ops"');
  });
});

describe("sync URLs", () => {
  const provider = { domain: "github.com" } as GitProvider;
  const repo = { fullPath: "acme/fleet" } as Repository;
  it("uses ssh://git@<domain>/<path>, or --ssh-hostname", () => {
    expect(sshSyncUrl(provider, repo)).toBe("ssh://git@github.com/acme/fleet");
    expect(sshSyncUrl(provider, repo, "ssh.github.com:443")).toBe("ssh://git@ssh.github.com:443/acme/fleet");
  });
  it("scans the host (and port) of the SSH URL", () => {
    expect(sshHostPort("ssh://git@github.com/acme/fleet")).toBe("github.com");
    expect(sshHostPort("ssh://git@ssh.github.com:443/acme/fleet")).toBe("ssh.github.com:443");
  });
});
