// OpenPGP commit signatures with openpgp.js: the keyring is read as upstream reads it
// (a key ring of public and secret keys, `gpg --export-secret-keys`; tsflux also takes
// it armored), the key picked as upstream's SelectOpenPGPSigningEntity picks it, and
// the signature is an armored detached binary signature, as Go's ArmoredDetachSign
// makes. openpgp.js is loaded only here, when --gpg-key-ring is given.
import { SigningKeyError } from "./sign-ssh.js";

type OpenPGP = typeof import("openpgp");
type Key = Awaited<ReturnType<OpenPGP["readKeys"]>>[number];

async function readKeyRing(pgp: OpenPGP, ring: Uint8Array): Promise<Key[]> {
  const text = Buffer.from(ring).toString("latin1");
  try {
    if (/-----BEGIN PGP (PRIVATE|PUBLIC) KEY BLOCK-----/.test(text)) {
      // An armored file may hold several blocks (gpg --export-secret-keys --armor per key).
      const blocks = text.match(
        /-----BEGIN PGP (PRIVATE|PUBLIC) KEY BLOCK-----[\s\S]*?-----END PGP \1 KEY BLOCK-----/g,
      );
      const keys: Key[] = [];
      for (const armoredKeys of blocks ?? []) keys.push(...(await pgp.readKeys({ armoredKeys })));
      return keys;
    }
    return await pgp.readKeys({ binaryKeys: ring });
  } catch (err) {
    throw new SigningKeyError(`unable to read GPG key ring: ${(err as Error).message}`);
  }
}

/** upstream's SelectOpenPGPSigningEntity: by 16-character key id, else the first key. */
async function selectSigningKey(pgp: OpenPGP, keys: Key[], passphrase: string, keyId: string) {
  if (keys.length === 0) throw new SigningKeyError("empty GPG key ring");
  let key: Key | undefined;
  if (keyId) {
    let id = keyId.replace(/^0x/, "");
    if (id.length !== 16) throw new SigningKeyError(`invalid GPG key id length; expected 16, got ${id.length}`);
    id = id.toUpperCase();
    key = keys.filter((k) => k.getKeyID().toHex().toUpperCase() === id).at(-1);
    if (!key) throw new SigningKeyError(`no GPG keyring matching key id '${id}' found`);
    if (!key.isPrivate()) throw new SigningKeyError(`keyring does not contain private key for key id '${id}'`);
  } else {
    const [first] = keys;
    if (!first) throw new SigningKeyError("empty GPG key ring");
    key = first;
    if (!key.isPrivate())
      throw new SigningKeyError(
        "keyring does not contain a private key; export the secret key with 'gpg --export-secret-keys' or specify --gpg-key-id",
      );
  }
  const privateKey = key;
  if (privateKey.isDecrypted()) return privateKey;
  try {
    return await pgp.decryptKey({ privateKey, passphrase });
  } catch (err) {
    throw new SigningKeyError(`unable to decrypt GPG private key: ${(err as Error).message}`);
  }
}

/** A commit signer for an OpenPGP key: payload in, armored detached signature out. */
export async function gpgSigner(
  keyRing: Uint8Array,
  passphrase = "",
  keyId = "",
): Promise<(payload: string) => Promise<string>> {
  const pgp = await import("openpgp");
  const key = await selectSigningKey(pgp, await readKeyRing(pgp, keyRing), passphrase, keyId);
  return async (payload) => {
    const message = await pgp.createMessage({ binary: Buffer.from(payload, "utf8") });
    // openpgp's result type is conditional on stream types this build does not carry: check it.
    const signature: unknown = await pgp.sign({ message, signingKeys: key, detached: true, format: "armored" });
    if (typeof signature !== "string") throw new SigningKeyError("openpgp returned no armored signature");
    return signature;
  };
}
