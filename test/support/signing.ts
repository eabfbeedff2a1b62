// Signing keys made by the real tools (ssh-keygen, gpg in a throwaway GNUPGHOME) and
// the real check of a signed commit: `git verify-commit`, with a second GNUPGHOME that
// holds only the public key, or with gpg.ssh.allowedSignersFile for SSH signatures.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { must } from "./must.js";

export const SIGNER_EMAIL = "flux@example.com";

export type SshKeyKind = "ed25519" | "ecdsa-256" | "ecdsa-384" | "ecdsa-521" | "rsa";

export interface SshKey {
  file: string;
  /** authorized_keys line */
  publicKey: string;
}

/** A key from ssh-keygen (OpenSSH format; PEM with `pem`), encrypted when a passphrase is given. */
export function makeSshKey(dir: string, kind: SshKeyKind, o: { passphrase?: string; pem?: boolean } = {}): SshKey {
  const file = path.join(dir, `${kind}${o.pem ? "-pem" : ""}${o.passphrase ? "-enc" : ""}`);
  const [type, bits] = kind.startsWith("ecdsa") ? ["ecdsa", kind.slice(6)] : [kind, kind === "rsa" ? "3072" : ""];
  const args = ["-q", "-t", type, "-N", o.passphrase ?? "", "-C", SIGNER_EMAIL, "-f", file];
  if (bits) args.push("-b", bits);
  if (o.pem) args.push("-m", "PEM");
  execFileSync("ssh-keygen", args, { stdio: "ignore" });
  return { file, publicKey: readFileSync(`${file}.pub`, "utf8").trim() };
}

export interface GpgKey {
  /** The exported secret key ring (binary, or armored with `armor`). */
  ringFile: string;
  /** 16 hex digits. */
  keyId: string;
  /** A GNUPGHOME with only the public key: where verify-commit looks. */
  verifyHome: string;
  /** Stops the agents and removes both homes. */
  cleanup(): void;
}

function gpg(home: string, args: string[], input?: string): string {
  return execFileSync("gpg", ["--batch", "--homedir", home, ...args], {
    input,
    encoding: "latin1",
    stdio: ["pipe", "pipe", "pipe"],
  });
}

function newHome(): string {
  // Short paths: gpg-agent's socket lives in the home and socket paths are short.
  return mkdtempSync(path.join(os.tmpdir(), "gpg-"));
}

function killAgent(home: string): void {
  spawnSync("gpgconf", ["--kill", "all"], { env: { ...process.env, GNUPGHOME: home }, stdio: "ignore" });
}

/** A key made by gpg (ed25519 or rsa), exported with `gpg --export-secret-keys`. */
export function makeGpgKey(
  dir: string,
  o: { passphrase?: string; armor?: boolean; algo?: "ed25519" | "rsa2048"; name?: string } = {},
): GpgKey {
  const home = newHome();
  const verifyHome = newHome();
  const pass = ["--pinentry-mode", "loopback", "--passphrase", o.passphrase ?? ""];
  try {
    gpg(home, [...pass, "--quick-gen-key", `${o.name ?? "Flux"} <${SIGNER_EMAIL}>`, o.algo ?? "ed25519", "sign", "1d"]);
    const pubLine = must(
      gpg(home, ["--list-keys", "--with-colons"])
        .split("\n")
        .find((l) => l.startsWith("pub:")),
      "a pub: line from gpg --list-keys",
    );
    const keyId = must(pubLine.split(":")[4], `a key id in gpg's line ${pubLine}`);
    const ringFile = path.join(dir, `ring-${keyId}${o.armor ? ".asc" : ".gpg"}`);
    const secret = execFileSync(
      "gpg",
      ["--batch", "--homedir", home, ...pass, ...(o.armor ? ["--armor"] : []), "--export-secret-keys", keyId],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    writeFileSync(ringFile, secret);
    const pub = execFileSync("gpg", ["--batch", "--homedir", home, "--export", keyId]);
    execFileSync("gpg", ["--batch", "--homedir", verifyHome, "--import"], {
      input: pub,
      stdio: ["pipe", "ignore", "ignore"],
    });
    return {
      ringFile,
      keyId,
      verifyHome,
      cleanup() {
        for (const h of [home, verifyHome]) {
          killAgent(h);
          rmSync(h, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    for (const h of [home, verifyHome]) {
      killAgent(h);
      rmSync(h, { recursive: true, force: true });
    }
    throw err;
  } finally {
    killAgent(home);
  }
}

export interface VerifyResult {
  code: number;
  /** What git and gpg/ssh-keygen said (the signer's identity, "Good signature"). */
  output: string;
}

/**
 * `git verify-commit` in a repository (a bare one on the test server is fine). SSH
 * signatures are checked against an allowed-signers file naming SIGNER_EMAIL.
 */
export function verifyCommit(
  repoDir: string,
  rev: string,
  trust: { gnupgHome: string } | { sshPublicKey: string },
): VerifyResult {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: repoDir,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    LANG: "C",
  };
  const config: string[] = [];
  let signers: string | undefined;
  if ("gnupgHome" in trust) env.GNUPGHOME = trust.gnupgHome;
  else {
    signers = path.join(mkdtempSync(path.join(os.tmpdir(), "allowed-signers-")), "allowed_signers");
    writeFileSync(signers, `${SIGNER_EMAIL} namespaces="git" ${trust.sshPublicKey}\n`);
    config.push("-c", `gpg.ssh.allowedSignersFile=${signers}`);
  }
  const r = spawnSync("git", [...config, "verify-commit", "-v", rev], { cwd: repoDir, env, encoding: "utf8" });
  if (signers) rmSync(path.dirname(signers), { recursive: true, force: true });
  return { code: r.status ?? 1, output: `${r.stdout}${r.stderr}` };
}
