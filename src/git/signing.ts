// Commit signing for the git clients: an SSH key (SSHSIG) or an OpenPGP key from a key
// ring. Creating the signer reads and decrypts the key, so a bad key, a wrong passphrase
// or a missing key id fails before anything is cloned.
import { gpgSigner } from "./sign-gpg.js";
import { sshSigner } from "./sign-ssh.js";
import type { CommitSigner } from "./types.js";

export { SigningKeyError, SSH_PASSPHRASE_REQUIRED, readSshPrivateKey } from "./sign-ssh.js";

export type SigningSpec =
  | { format: "ssh"; privateKey: string; passphrase?: string }
  | { format: "openpgp"; keyRing: Uint8Array; passphrase?: string; keyId?: string };

export async function createCommitSigner(spec: SigningSpec): Promise<CommitSigner> {
  return spec.format === "ssh"
    ? sshSigner(spec.privateKey, spec.passphrase)
    : gpgSigner(spec.keyRing, spec.passphrase, spec.keyId);
}
