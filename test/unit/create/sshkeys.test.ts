// SSH keys for Git over SSH: generated pairs and loaded key files, cross-checked with
// OpenSSH's own ssh-keygen (openssh-client), and the export of `create secret git` over ssh.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { Deps } from "../../../src/deps.js";
import { createMemoryLogger } from "../../../src/output/logger.js";
import { runCreateSecretGit } from "../../../src/create/secrets.js";
import type { CreateSecretGitOptions } from "../../../src/create/options.js";
import type { HostKeyScanner } from "../../../src/create/sshkeys.js";
import { optionsFor } from "../../helpers/cli.js";

/** `flux create secret git <args>` with the options its flags give and a fake host key scan. */
function createSecretGit(seams: { scanHostKey: HostKeyScanner }) {
  return async (args: string[], deps: Deps) =>
    runCreateSecretGit(await optionsFor<CreateSecretGitOptions>(["create", "secret", "git", ...args]), {
      ...deps,
      ...seams,
    });
}
import { generateKeyPair, knownHostsAddress, loadKeyPair, pickHostKey } from "../../../src/create/sshkeys.js";

const dir = mkdtempSync(join(tmpdir(), "tsflux-sshkeys-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sshKeygenPublic(privateKey: string, name: string): string {
  const path = join(dir, name);
  writeFileSync(path, privateKey, { mode: 0o600 });
  return execFileSync("ssh-keygen", ["-y", "-f", path], { encoding: "utf8" });
}

function sshKeygenNew(type: string, name: string, passphrase = "", extra: string[] = []): string {
  const path = join(dir, name);
  execFileSync("ssh-keygen", ["-q", "-t", type, "-N", passphrase, "-C", "test", "-f", path, ...extra]);
  return path;
}

describe("generateKeyPair", () => {
  for (const [algorithm, curve, prefix] of [
    ["ed25519", undefined, "ssh-ed25519 "],
    ["ecdsa", "p256", "ecdsa-sha2-nistp256 "],
    ["ecdsa", "p384", "ecdsa-sha2-nistp384 "],
    ["ecdsa", "p521", "ecdsa-sha2-nistp521 "],
    ["rsa", undefined, "ssh-rsa "],
  ] as const) {
    it(`${algorithm} ${curve ?? ""}: the public key is the one OpenSSH derives from the private key`, () => {
      const pair = generateKeyPair({ algorithm, ecdsaCurve: curve, rsaBits: 2048 });
      expect(pair.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
      expect(pair.publicKey.startsWith(prefix)).toBe(true);
      expect(pair.publicKey.endsWith("\n")).toBe(true);
      expect(pair.publicKey).toBe(sshKeygenPublic(pair.privateKey, `gen-${algorithm}-${curve ?? ""}`));
    });
  }

  it("honours --ssh-rsa-bits", () => {
    const pair = generateKeyPair({ algorithm: "rsa", rsaBits: 3072 });
    const path = join(dir, "rsa3072");
    writeFileSync(path, pair.privateKey, { mode: 0o600 });
    expect(execFileSync("ssh-keygen", ["-l", "-f", path], { encoding: "utf8" })).toMatch(/^3072 /);
  });
});

describe("loadKeyPair", () => {
  it("keeps an OpenSSH key file as is and derives its public key", () => {
    const path = sshKeygenNew("ed25519", "user-ed25519");
    const content = readFileSync(path, "utf8");
    const pair = loadKeyPair(content);
    expect(pair.privateKey).toBe(content);
    expect(pair.publicKey).toBe(readFileSync(`${path}.pub`, "utf8").replace(/ test\n$/, "\n"));
  });

  it("reads PEM keys (EC, RSA) and passphrase protected PEM keys", () => {
    const ec = sshKeygenNew("ecdsa", "user-ec-pem", "", ["-m", "PEM", "-b", "256"]);
    expect(loadKeyPair(readFileSync(ec, "utf8")).publicKey).toBe(
      readFileSync(`${ec}.pub`, "utf8").replace(/ test\n$/, "\n"),
    );
    const rsa = sshKeygenNew("rsa", "user-rsa-pem-enc", "s3cret", ["-m", "PEM", "-b", "2048"]);
    const text = readFileSync(rsa, "utf8");
    expect(loadKeyPair(text, "s3cret").publicKey).toBe(readFileSync(`${rsa}.pub`, "utf8").replace(/ test\n$/, "\n"));
    expect(() => loadKeyPair(text, "wrong")).toThrow("failed to decrypt the private key: check the --password value");
  });

  it("reports a wrong passphrase as such even when the decrypted bytes pass the padding check", () => {
    // See test/fixtures/keys/README.md: "wrong102" decrypts this key to garbage with valid padding.
    const fixture = fileURLToPath(new URL("../../fixtures/keys/rsa-pem-s3cret", import.meta.url));
    const text = readFileSync(fixture, "utf8");
    expect(loadKeyPair(text, "s3cret").publicKey).toBe(
      readFileSync(`${fixture}.pub`, "utf8").replace(/ test\n$/, "\n"),
    );
    expect(() => loadKeyPair(text, "wrong102")).toThrow(
      "failed to decrypt the private key: check the --password value",
    );
    expect(() => loadKeyPair(text)).toThrow("failed to decrypt the private key: check the --password value");
  });

  it("asks for --password for a passphrase protected OpenSSH key", () => {
    const path = sshKeygenNew("ed25519", "user-ed25519-enc", "pw");
    expect(() => loadKeyPair(readFileSync(path, "utf8"))).toThrow(
      /passphrase protected, set the passphrase with --password/,
    );
    expect(loadKeyPair(readFileSync(path, "utf8"), "pw").publicKey).toMatch(/^ssh-ed25519 /);
  });

  it("rejects files that are not keys without echoing them", () => {
    try {
      loadKeyPair("secret-material-that-is-not-a-key");
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toBe(
        "failed to parse the private key: the file is not a PEM or OpenSSH private key",
      );
    }
  });
});

describe("known_hosts", () => {
  it("writes the port only when it is not 22", () => {
    expect(knownHostsAddress("github.com").address).toBe("github.com");
    expect(knownHostsAddress("github.com:22").address).toBe("github.com");
    expect(knownHostsAddress("git.example.com:2222")).toEqual({
      host: "git.example.com",
      port: "2222",
      address: "[git.example.com]:2222",
    });
  });

  it("picks the host key Go's SSH client would negotiate", () => {
    const out = [
      "# github.com:22 SSH-2.0-babeld-1",
      "github.com ssh-ed25519 AAAAC3Nza",
      "github.com ssh-rsa AAAAB3Nza",
      "github.com ecdsa-sha2-nistp256 AAAAE2Vj",
      "",
    ].join("\n");
    expect(pickHostKey(out, "github.com")).toBe("github.com ecdsa-sha2-nistp256 AAAAE2Vj");
    expect(pickHostKey("h ssh-ed25519 AAAA\n", "[h]:2222")).toBe("[h]:2222 ssh-ed25519 AAAA");
    expect(pickHostKey("", "h")).toBeUndefined();
  });

  it("with --ssh-hostkey-algos, takes only those algorithms, in the order given", () => {
    const out = "h ssh-rsa AAAAB3\nh ecdsa-sha2-nistp256 AAAAE2Vj\nh ssh-ed25519 AAAAC3\n";
    expect(pickHostKey(out, "h", ["ssh-ed25519", "ecdsa-sha2-nistp256"])).toBe("h ssh-ed25519 AAAAC3");
    // The RSA signature algorithms verify an ssh-rsa host key.
    expect(pickHostKey(out, "h", ["rsa-sha2-512"])).toBe("h ssh-rsa AAAAB3");
    expect(pickHostKey(out, "h", ["ecdsa-sha2-nistp521"])).toBeUndefined();
  });
});

describe("create secret git over ssh --export", () => {
  function ctxWith(stdout: { text: string }): Deps {
    return {
      globals: { namespace: "my-namespace", timeoutMs: 1000, timeout: "1s" } as Deps["globals"],
      logger: createMemoryLogger(),
      io: { stdout: { write: (s: string) => (stdout.text += s) }, stderr: { write: () => true }, stdin: process.stdin },
    };
  }

  it("exports identity, identity.pub and known_hosts from the scanned host", async () => {
    const path = sshKeygenNew("ed25519", "export-ed25519");
    const out = { text: "" };
    const scanned: string[] = [];
    const run = createSecretGit({
      scanHostKey: (host) => {
        scanned.push(host);
        return Promise.resolve(
          "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
        );
      },
    });
    await run(
      ["podinfo-auth", "--url=ssh://git@github.com/stefanprodan/podinfo", `--private-key-file=${path}`, "--export"],
      ctxWith(out),
    );
    expect(scanned).toEqual(["github.com"]);
    const key = readFileSync(path, "utf8");
    const pub = readFileSync(`${path}.pub`, "utf8").replace(/ test\n$/, "");
    const indented = key
      .replace(/\n$/, "")
      .split("\n")
      .map((l) => `    ${l}`)
      .join("\n");
    expect(out.text).toBe(
      [
        "---",
        "apiVersion: v1",
        "kind: Secret",
        "metadata:",
        "  name: podinfo-auth",
        "  namespace: my-namespace",
        "stringData:",
        "  identity: |",
        indented,
        "  identity.pub: |",
        `    ${pub}`,
        "  known_hosts: github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
        "",
        "",
      ].join("\n"),
    );
  });

  it("generates an ecdsa p384 key by default and adds the password for encrypted keys", async () => {
    const out = { text: "" };
    const run = createSecretGit({ scanHostKey: () => Promise.resolve("[git.example.com]:2222 ssh-rsa AAAAB3Nz") });
    await run(["creds", "--url=ssh://git@git.example.com:2222/org/repo", "--export"], ctxWith(out));
    expect(out.text).toContain("  identity: |\n    -----BEGIN OPENSSH PRIVATE KEY-----\n");
    expect(out.text).toMatch(/ {2}identity\.pub: \|\n {4}ecdsa-sha2-nistp384 /);
    expect(out.text).toContain("  known_hosts: '[git.example.com]:2222 ssh-rsa AAAAB3Nz'\n");

    const enc = sshKeygenNew("ed25519", "export-enc", "pw");
    const out2 = { text: "" };
    await run(
      [
        "creds",
        "--url=ssh://git@git.example.com:2222/org/repo",
        `--private-key-file=${enc}`,
        "--password=pw",
        "--export",
      ],
      ctxWith(out2),
    );
    expect(out2.text).toContain("  password: pw\n");
  });
});

describe("upstream's git-ssh-secret.yaml", () => {
  it("is reproduced byte for byte from the same key file and host key", async () => {
    const golden = join(__dirname, "../../golden/tsflux/create");
    let text = "";
    const run = createSecretGit({
      scanHostKey: (host) => {
        expect(host).toBe("github.com");
        return Promise.resolve(
          "github.com ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrYMjNuG5N87uRgg6CLrbo5wAdT/y6v0mKV0U2w0WZ2YB/++Tpockg=",
        );
      },
    });
    await run(
      [
        "podinfo-auth",
        "--url=ssh://git@github.com/stefanprodan/podinfo",
        `--private-key-file=${join(golden, "fixtures/ecdsa.private")}`,
        "--export",
      ],
      {
        globals: { namespace: "my-namespace", timeoutMs: 1000, timeout: "1s" } as Deps["globals"],
        logger: createMemoryLogger(),
        io: { stdout: { write: (s: string) => (text += s) }, stderr: { write: () => true }, stdin: process.stdin },
      },
    );
    expect(text).toBe(readFileSync(join(golden, "secret-git-ssh.yaml"), "utf8"));
  });
});

describe("scanHostKey (ssh-keyscan)", () => {
  it("fails with a clear message when no host key can be collected", async () => {
    const { scanHostKey } = await import("../../../src/create/sshkeys.js");
    await expect(scanHostKey("127.0.0.1:1", 2000)).rejects.toThrow(
      "unable to collect the SSH host key of [127.0.0.1]:1: no host key received",
    );
  });

  it("explains how to get ssh-keyscan when it is missing", async () => {
    const { scanHostKey } = await import("../../../src/create/sshkeys.js");
    const path = process.env.PATH;
    process.env.PATH = dir;
    try {
      await expect(scanHostKey("github.com", 2000)).rejects.toThrow(
        /^unable to collect the SSH host key of github\.com: ssh-keyscan was not found, install the OpenSSH client/,
      );
    } finally {
      process.env.PATH = path;
    }
  });
});
