// Credentials a user passes in a URL flag never reach an error message, whichever
// layer rejects the value (commander, pflag-style booleans, a create engine).
import { describe, expect, it } from "vitest";
import { redactUrls } from "../../../src/errors.js";
import { runCli } from "../../helpers/cli.js";

describe("redactUrls", () => {
  it("hides user:password and token user info", () => {
    expect(redactUrls("clone https://user:s3cret@example.com/repo failed")).toBe(
      "clone https://***@example.com/repo failed",
    );
    expect(redactUrls("https://ghp_token@github.com/org/repo")).toBe("https://***@github.com/org/repo");
    expect(redactUrls("ssh://git:s3cret@host/repo")).toBe("ssh://***@host/repo");
  });

  it("keeps an SSH URL's bare user name", () => {
    expect(redactUrls("ssh://git@github.com/org/repo")).toBe("ssh://git@github.com/org/repo");
  });
});

describe("error messages carry no credentials", () => {
  it("create source git: an unparsable URL", async () => {
    const r = await runCli([
      "create",
      "source",
      "git",
      "podinfo",
      "--url=https://user:s3cret@example.com/\x01",
      "--branch=main",
      "--export",
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toContain("s3cret");
    expect(r.stderr).toBe('✗ git URL parse failed: parse "https://***@example.com/\x01": invalid URL\n');
  });

  it("create source helm: an unparsable URL", async () => {
    const r = await runCli(["create", "source", "helm", "podinfo", "--url=https://u:s3cret@h/\x7f", "--export"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('✗ url parse failed: parse "https://***@h/\x7f": invalid URL\n');
  });

  it("create secret oci: a URL with a scheme", async () => {
    const r = await runCli([
      "create",
      "secret",
      "oci",
      "ghcr",
      "--url=https://user:s3cret@ghcr.io/org",
      "--username=u",
      "--password=p",
      "--export",
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("✗ error parsing url: 'could not parse reference: https://***@ghcr.io/org'\n");
  });

  it("a flag value rejected by the parser", async () => {
    const r = await runCli(["create", "source", "git", "podinfo", "--interval=https://user:s3cret@example.com"]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain("s3cret");
    expect(r.stderr).toContain('invalid argument "https://***@example.com" for "--interval" flag');
  });

  it("a pflag-style boolean with a URL as its value", async () => {
    const r = await runCli(["create", "source", "git", "podinfo", "--export=https://user:s3cret@example.com"]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain("s3cret");
    expect(r.stderr).toContain('invalid argument "https://***@example.com" for "--export" flag');
  });
});
