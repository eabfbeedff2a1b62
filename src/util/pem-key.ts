import { createPrivateKey, type KeyObject } from "node:crypto";

/** Why a PEM private key did not load; callers word it in their own command's terms. */
export type PemKeyFailure = "decrypt" | "parse";

export class PemKeyError extends Error {
  constructor(readonly failure: PemKeyFailure) {
    super(failure === "decrypt" ? "the PEM key could not be decrypted" : "the text is not a PEM private key");
  }
}

/** True when the PEM text is passphrase protected (legacy DEK-Info or PKCS#8 encrypted). */
export function isEncryptedPem(text: string): boolean {
  return /Proc-Type:\s*4,ENCRYPTED|-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text);
}

/**
 * Loads a PEM private key. Any failure on an encrypted key is a decrypt failure: with a
 * wrong passphrase about 1 in 256 decryptions pass the CBC padding check and only fail
 * later in the DER decoder, so OpenSSL's message alone cannot tell the two apart.
 */
export function loadPemPrivateKey(text: string, passphrase?: string): KeyObject {
  try {
    return createPrivateKey({ key: text, format: "pem", passphrase: passphrase || undefined });
  } catch (err) {
    const decrypt = isEncryptedPem(text) || /passphrase|decrypt/i.test((err as Error).message);
    throw new PemKeyError(decrypt ? "decrypt" : "parse");
  }
}
