// Signed commits from both git clients, checked by the real `git verify-commit` on the
// commit the server received: SSH keys of every kind ssh-keygen makes (OpenSSH and PEM,
// plain and encrypted) and OpenPGP keys gpg exports (binary and armored, with and
// without a passphrase). Bad keys and passphrases fail when the signer is made, with
// upstream's words.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  IsoGitClient,
  SystemGitClient,
  createCommitSigner,
  type CommitSigner,
  type GitClient,
} from "../../../src/git/index.js";
import { startGitServer, type GitServer } from "../../env/git-server.js";
import {
  makeGpgKey,
  makeSshKey,
  verifyCommit,
  SIGNER_EMAIL,
  type GpgKey,
  type SshKeyKind,
} from "../../support/signing.js";
import { must } from "../../support/must.js";
import { stopAfterAll } from "../../support/teardown.js";

const PASSWORD = "gitS3cret";
const author = { name: "Flux", email: SIGNER_EMAIL };
let srv: GitServer;
let dir: string;
let n = 0;
const gpgKeys: GpgKey[] = [];

const stopLater = stopAfterAll();
beforeAll(async () => {
  srv = stopLater(await startGitServer({ username: "git", password: PASSWORD }));
  dir = mkdtempSync(path.join(os.tmpdir(), "tsflux-signing-"));
});
afterAll(() => {
  for (const k of gpgKeys) k.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Key parsing and signing are the client's concern only through the signer: every key
// kind goes through isomorphic-git, system git (which writes the signed object itself)
// gets one of each format.
const clients: [string, (url: string, signer: CommitSigner) => GitClient, SshKeyKind[]][] = [
  [
    "isomorphic-git",
    (url, signer) =>
      new IsoGitClient({
        url,
        branch: "main",
        dir: path.join(mkdtempSync(path.join(dir, "c-")), "repo"),
        auth: { username: "git", password: PASSWORD },
        signer,
      }),
    ["ed25519", "ecdsa-256", "ecdsa-384", "ecdsa-521", "rsa"],
  ],
  [
    "system git",
    (url, signer) =>
      new SystemGitClient({
        url,
        branch: "main",
        dir: path.join(mkdtempSync(path.join(dir, "c-")), "repo"),
        http: { username: "git", password: PASSWORD },
        signer,
      }),
    ["ed25519", "ecdsa-384"],
  ],
];

/** Two signed commits (a first one on an empty repository, then one on top), pushed. */
async function pushSigned(make: (url: string, signer: CommitSigner) => GitClient, signer: CommitSigner) {
  const repo = `org/signed-${n++}`;
  await srv.createRepo(repo);
  const git = make(srv.url(repo), signer);
  try {
    await git.clone();
    const first = await git.commitFiles({ "a.txt": "one\n" }, "Add a", author);
    const second = await git.commitFiles({ "b/c.txt": "two\n" }, "Add b/c\n\nWith a body.", author);
    await git.push();
    expect(srv.revParse(repo, "refs/heads/main")).toBe(second);
    const commits: [string, string] = [must(first, "the first commit"), must(second, "the second commit")];
    return { bare: path.join(srv.root, `${repo}.git`), commits, repo };
  } finally {
    await git.close();
  }
}

describe.each(clients)("%s signs commits", (_name, make, sshKinds) => {
  it.each(sshKinds)("with an SSH %s key: git verify-commit accepts both commits", async (kind) => {
    const key = makeSshKey(mkdtempSync(path.join(dir, "k-")), kind);
    const signer = await createCommitSigner({ format: "ssh", privateKey: readFileSync(key.file, "utf8") });
    const { bare, commits, repo } = await pushSigned(make, signer);
    for (const c of commits) {
      const v = verifyCommit(bare, c, { sshPublicKey: key.publicKey });
      expect(v.output).toContain(`Good "git" signature for ${SIGNER_EMAIL}`);
      expect(v.code).toBe(0);
    }
    // The content is what was committed; the signature did not change the tree.
    expect(srv.readFile(repo, "main", "b/c.txt")).toBe("two\n");
    // Another key is refused: the check can fail.
    const other = makeSshKey(mkdtempSync(path.join(dir, "k-")), "ed25519");
    expect(verifyCommit(bare, commits[1], { sshPublicKey: other.publicKey }).code).not.toBe(0);
  });

  it("with an encrypted OpenSSH key and its passphrase", async () => {
    const key = makeSshKey(mkdtempSync(path.join(dir, "k-")), "ed25519", { passphrase: "abcde12345" });
    const signer = await createCommitSigner({
      format: "ssh",
      privateKey: readFileSync(key.file, "utf8"),
      passphrase: "abcde12345",
    });
    const { bare, commits } = await pushSigned(make, signer);
    expect(verifyCommit(bare, commits[1], { sshPublicKey: key.publicKey }).code).toBe(0);
  });

  it("with an encrypted PEM RSA key", async () => {
    const key = makeSshKey(mkdtempSync(path.join(dir, "k-")), "rsa", { passphrase: "pem-pass", pem: true });
    const signer = await createCommitSigner({
      format: "ssh",
      privateKey: readFileSync(key.file, "utf8"),
      passphrase: "pem-pass",
    });
    const { bare, commits } = await pushSigned(make, signer);
    expect(verifyCommit(bare, commits[0], { sshPublicKey: key.publicKey }).code).toBe(0);
  });

  it.each([
    ["binary, no passphrase", { armor: false }],
    ["armored, with a passphrase", { armor: true, passphrase: "right" }],
  ] as const)("with a gpg key ring (%s): gpg verifies with only the public key", async (_what, o) => {
    const key = makeGpgKey(mkdtempSync(path.join(dir, "g-")), o);
    gpgKeys.push(key);
    const signer = await createCommitSigner({
      format: "openpgp",
      keyRing: readFileSync(key.ringFile),
      passphrase: "passphrase" in o ? o.passphrase : "",
    });
    const { bare, commits } = await pushSigned(make, signer);
    for (const c of commits) {
      const v = verifyCommit(bare, c, { gnupgHome: key.verifyHome });
      expect(v.output).toContain(`Good signature from "Flux <${SIGNER_EMAIL}>"`);
      expect(v.code).toBe(0);
    }
    const stranger = makeGpgKey(mkdtempSync(path.join(dir, "g-")), { name: "Stranger" });
    gpgKeys.push(stranger);
    expect(verifyCommit(bare, commits[0], { gnupgHome: stranger.verifyHome }).code).not.toBe(0);
  });
});

describe("createCommitSigner refuses unusable keys before anything is cloned", () => {
  it("SSH: encrypted without passphrase, wrong passphrase, not a key, RSA under 2048 bits", async () => {
    const k = mkdtempSync(path.join(dir, "k-"));
    const enc = readFileSync(makeSshKey(k, "ed25519", { passphrase: "abcde12345" }).file, "utf8");
    await expect(createCommitSigner({ format: "ssh", privateKey: enc })).rejects.toThrow(
      "SSH signing key is encrypted; passphrase required",
    );
    await expect(createCommitSigner({ format: "ssh", privateKey: enc, passphrase: "wrong" })).rejects.toThrow(
      "could not parse SSH signing key: x509: decryption password incorrect",
    );
    await expect(createCommitSigner({ format: "ssh", privateKey: "not a key\n" })).rejects.toThrow(
      "could not parse SSH signing key",
    );
    const small = path.join(k, "rsa1024");
    const { execFileSync } = await import("node:child_process");
    execFileSync("ssh-keygen", ["-q", "-t", "rsa", "-b", "1024", "-N", "", "-f", small]);
    await expect(createCommitSigner({ format: "ssh", privateKey: readFileSync(small, "utf8") })).rejects.toThrow(
      "RSA key size 1024 bits is below the minimum supported by NewSSHSigner; must be at least 2048",
    );
    // No error repeats the passphrase.
    await createCommitSigner({ format: "ssh", privateKey: enc, passphrase: "s3cretGuess" }).catch((err: unknown) =>
      expect(String(err)).not.toContain("s3cretGuess"),
    );
    // A legacy PEM key whose wrong passphrase decrypts to bytes with valid padding
    // (test/fixtures/keys/README.md) is still a wrong passphrase, not an unreadable file.
    const pem = readFileSync(new URL("../../fixtures/keys/rsa-pem-s3cret", import.meta.url), "utf8");
    await expect(createCommitSigner({ format: "ssh", privateKey: pem, passphrase: "wrong102" })).rejects.toThrow(
      "could not parse SSH signing key: x509: decryption password incorrect",
    );
    await expect(createCommitSigner({ format: "ssh", privateKey: pem, passphrase: "s3cret" })).resolves.toBeDefined();
  });

  it("OpenPGP: wrong passphrase, key ids, a public-only ring, not a ring", async () => {
    const key = makeGpgKey(mkdtempSync(path.join(dir, "g-")), { passphrase: "right" });
    gpgKeys.push(key);
    const keyRing = readFileSync(key.ringFile);
    await expect(createCommitSigner({ format: "openpgp", keyRing, passphrase: "wrong" })).rejects.toThrow(
      /^unable to decrypt GPG private key: /,
    );
    await expect(createCommitSigner({ format: "openpgp", keyRing, passphrase: "right", keyId: "ABC" })).rejects.toThrow(
      "invalid GPG key id length; expected 16, got 3",
    );
    await expect(
      createCommitSigner({ format: "openpgp", keyRing, passphrase: "right", keyId: "0x0123456789abcdef" }),
    ).rejects.toThrow("no GPG keyring matching key id '0123456789ABCDEF' found");
    // The key id in lower case, with 0x, selects the key.
    const signer = await createCommitSigner({
      format: "openpgp",
      keyRing,
      passphrase: "right",
      keyId: `0x${key.keyId.toLowerCase()}`,
    });
    expect(await signer("tree x\n")).toMatch(/^-----BEGIN PGP SIGNATURE-----/);
    const { execFileSync } = await import("node:child_process");
    const publicRing = path.join(dir, "public.gpg");
    writeFileSync(publicRing, execFileSync("gpg", ["--batch", "--homedir", key.verifyHome, "--export", key.keyId]));
    await expect(createCommitSigner({ format: "openpgp", keyRing: readFileSync(publicRing) })).rejects.toThrow(
      "keyring does not contain a private key; export the secret key with 'gpg --export-secret-keys' or specify --gpg-key-id",
    );
    await expect(
      createCommitSigner({ format: "openpgp", keyRing: readFileSync(publicRing), keyId: key.keyId }),
    ).rejects.toThrow(`keyring does not contain private key for key id '${key.keyId}'`);
    await expect(createCommitSigner({ format: "openpgp", keyRing: Buffer.from("garbage") })).rejects.toThrow(
      /^unable to read GPG key ring: /,
    );
  });
});
