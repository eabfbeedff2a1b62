// SSH commit signatures: OpenSSH's SSHSIG format (PROTOCOL.sshsig), namespace "git",
// sha512, armored as `ssh-keygen -Y sign` writes it, so `git verify-commit` with
// gpg.ssh.allowedSignersFile checks it. Keys: OpenSSH private key files (openssh-key-v1,
// encrypted with bcrypt-pbkdf and AES as ssh-keygen does) and PEM (PKCS#1, SEC1,
// PKCS#8); ed25519, ecdsa p256/p384/p521 and rsa (at least 2048 bits), as upstream's
// signer accepts. Everything is node:crypto; bcrypt-pbkdf is loaded only for an
// encrypted OpenSSH key.
import { createDecipheriv, createHash, createPrivateKey, sign, type KeyObject } from "node:crypto";
import { publicKeyBlob } from "../create/sshkeys.js";
import { isEncryptedPem, loadPemPrivateKey, PemKeyError } from "../util/pem-key.js";

/** A signing key that cannot be used; the message says why (never key material). */
export class SigningKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SigningKeyError";
  }
}

/** upstream's ErrSSHPassphraseRequired. */
export const SSH_PASSPHRASE_REQUIRED = "SSH signing key is encrypted; passphrase required";

const NAMESPACE = "git";
const HASH = "sha512";

function sshString(b: Buffer | string): Buffer {
  const buf = typeof b === "string" ? Buffer.from(b) : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(buf.length);
  return Buffer.concat([len, buf]);
}

/** Reads SSH wire encoding (uint32-length strings, mpints). */
class SshReader {
  private off = 0;
  constructor(private readonly buf: Buffer) {}
  uint32(): number {
    if (this.off + 4 > this.buf.length) throw new Error("truncated key");
    const v = this.buf.readUInt32BE(this.off);
    this.off += 4;
    return v;
  }
  string(): Buffer {
    const len = this.uint32();
    if (this.off + len > this.buf.length) throw new Error("truncated key");
    const s = this.buf.subarray(this.off, this.off + len);
    this.off += len;
    return s;
  }
  text(): string {
    return this.string().toString("latin1");
  }
  /** An mpint as unsigned big-endian bytes. */
  mpint(): Buffer {
    const b = this.string();
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    return b.subarray(i);
  }
  rest(): Buffer {
    return this.buf.subarray(this.off);
  }
}

const b64u = (b: Buffer) => b.toString("base64url");
const pad = (b: Buffer, size: number) => (b.length >= size ? b : Buffer.concat([Buffer.alloc(size - b.length), b]));
const big = (b: Buffer) => BigInt(`0x${b.length ? b.toString("hex") : "0"}`);
function unbig(n: bigint): Buffer {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex");
}

const CURVES: Record<string, { crv: string; size: number; hash: string }> = {
  nistp256: { crv: "P-256", size: 32, hash: "sha256" },
  nistp384: { crv: "P-384", size: 48, hash: "sha384" },
  nistp521: { crv: "P-521", size: 66, hash: "sha512" },
};

const CIPHERS: Record<string, { name: string; keyLen: number; ivLen: number; tagLen?: number }> = {
  "aes128-ctr": { name: "aes-128-ctr", keyLen: 16, ivLen: 16 },
  "aes192-ctr": { name: "aes-192-ctr", keyLen: 24, ivLen: 16 },
  "aes256-ctr": { name: "aes-256-ctr", keyLen: 32, ivLen: 16 },
  "aes128-cbc": { name: "aes-128-cbc", keyLen: 16, ivLen: 16 },
  "aes192-cbc": { name: "aes-192-cbc", keyLen: 24, ivLen: 16 },
  "aes256-cbc": { name: "aes-256-cbc", keyLen: 32, ivLen: 16 },
  "aes128-gcm@openssh.com": { name: "aes-128-gcm", keyLen: 16, ivLen: 12, tagLen: 16 },
  "aes256-gcm@openssh.com": { name: "aes-256-gcm", keyLen: 32, ivLen: 12, tagLen: 16 },
};

type BcryptPbkdf = {
  pbkdf(
    pass: Uint8Array,
    passlen: number,
    salt: Uint8Array,
    saltlen: number,
    key: Uint8Array,
    keylen: number,
    rounds: number,
  ): number;
};

/** The private section of an openssh-key-v1 file, decrypted when it is encrypted. */
async function openSSHPrivateSection(text: string, passphrase: string): Promise<Buffer> {
  const body = text.replace(/-----(BEGIN|END) OPENSSH PRIVATE KEY-----/g, "").replace(/\s+/g, "");
  const buf = Buffer.from(body, "base64");
  const magic = "openssh-key-v1\0";
  if (buf.subarray(0, magic.length).toString("latin1") !== magic) throw new Error("invalid openssh key");
  const r = new SshReader(buf.subarray(magic.length));
  const cipherName = r.text();
  const kdfName = r.text();
  const kdfOptions = r.string();
  if (r.uint32() !== 1) throw new Error("multi-key files are not supported");
  r.string(); // public key
  const section = r.string();
  if (cipherName === "none") return section;
  if (!passphrase) throw new SigningKeyError(SSH_PASSPHRASE_REQUIRED);
  const cipher = CIPHERS[cipherName];
  if (!cipher) throw new Error(`unsupported key cipher ${cipherName}`);
  if (kdfName !== "bcrypt") throw new Error(`unsupported key derivation ${kdfName}`);
  const opts = new SshReader(kdfOptions);
  const salt = opts.string();
  const rounds = opts.uint32();
  const { default: bcrypt } = (await import("bcrypt-pbkdf")) as { default: BcryptPbkdf };
  const pass = Buffer.from(passphrase, "utf8");
  const derived = new Uint8Array(cipher.keyLen + cipher.ivLen);
  if (bcrypt.pbkdf(pass, pass.length, salt, salt.length, derived, derived.length, rounds) !== 0)
    throw new Error("key derivation failed");
  const key = derived.subarray(0, cipher.keyLen);
  const iv = derived.subarray(cipher.keyLen);
  const decipher = createDecipheriv(cipher.name, key, iv);
  decipher.setAutoPadding(false);
  if (cipher.tagLen)
    (decipher as unknown as { setAuthTag(t: Buffer): void }).setAuthTag(r.rest().subarray(0, cipher.tagLen));
  try {
    return Buffer.concat([decipher.update(section), decipher.final()]);
  } catch {
    throw new Error("x509: decryption password incorrect");
  }
}

/** The KeyObject of an openssh-key-v1 private section. */
function keyFromPrivateSection(section: Buffer): KeyObject {
  const r = new SshReader(section);
  if (r.uint32() !== r.uint32()) throw new Error("x509: decryption password incorrect");
  const type = r.text();
  if (type === "ssh-ed25519") {
    const pub = r.string();
    const priv = r.string();
    return createPrivateKey({
      key: { kty: "OKP", crv: "Ed25519", x: b64u(pub), d: b64u(priv.subarray(0, 32)) },
      format: "jwk",
    });
  }
  if (type.startsWith("ecdsa-sha2-")) {
    const curve = CURVES[r.text()];
    if (!curve) throw new SigningKeyError(`unsupported SSH signing key algorithm: ${type}`);
    const q = r.string();
    const d = r.mpint();
    const x = q.subarray(1, 1 + curve.size);
    const y = q.subarray(1 + curve.size);
    return createPrivateKey({
      key: { kty: "EC", crv: curve.crv, x: b64u(x), y: b64u(y), d: b64u(pad(d, curve.size)) },
      format: "jwk",
    });
  }
  if (type === "ssh-rsa") {
    const [n, e, d, qi, p, q] = [r.mpint(), r.mpint(), r.mpint(), r.mpint(), r.mpint(), r.mpint()];
    const D = big(d);
    const dp = unbig(D % (big(p) - 1n));
    const dq = unbig(D % (big(q) - 1n));
    return createPrivateKey({
      key: {
        kty: "RSA",
        n: b64u(n),
        e: b64u(e),
        d: b64u(d),
        p: b64u(p),
        q: b64u(q),
        dp: b64u(dp),
        dq: b64u(dq),
        qi: b64u(qi),
      },
      format: "jwk",
    });
  }
  throw new SigningKeyError(`unsupported SSH signing key algorithm: ${type}`);
}

/** Reads an OpenSSH or PEM private key; a wrong or missing passphrase is a SigningKeyError. */
export async function readSshPrivateKey(text: string, passphrase = ""): Promise<KeyObject> {
  if (text.includes("-----BEGIN OPENSSH PRIVATE KEY-----")) {
    try {
      return keyFromPrivateSection(await openSSHPrivateSection(text, passphrase));
    } catch (err) {
      if (err instanceof SigningKeyError) throw err;
      throw new SigningKeyError(`could not parse SSH signing key: ${(err as Error).message}`);
    }
  }
  if (!/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text))
    throw new SigningKeyError("could not parse SSH signing key: ssh: no key found");
  if (isEncryptedPem(text) && !passphrase) throw new SigningKeyError(SSH_PASSPHRASE_REQUIRED);
  try {
    return loadPemPrivateKey(text, passphrase);
  } catch (err) {
    if (err instanceof PemKeyError && err.failure === "decrypt")
      throw new SigningKeyError("could not parse SSH signing key: x509: decryption password incorrect");
    throw new SigningKeyError("could not parse SSH signing key: the file is not a PEM or OpenSSH private key");
  }
}

/** The SSH signature (sigtype + blob) of data, as ssh-keygen -Y sign makes it. */
function sshSignature(key: KeyObject, type: string, data: Buffer): Buffer {
  if (type === "ssh-ed25519") return Buffer.concat([sshString(type), sshString(sign(null, data, key))]);
  if (type === "ssh-rsa") {
    // SSHSIG with an RSA key is always rsa-sha2-512 (ssh-keygen refuses SHA-1 there).
    return Buffer.concat([sshString("rsa-sha2-512"), sshString(sign("sha512", data, key))]);
  }
  const curve = CURVES[type.replace("ecdsa-sha2-", "")];
  if (!curve) throw new SigningKeyError(`unsupported SSH signing key algorithm: ${type}`);
  const rs = sign(curve.hash, data, { key, dsaEncoding: "ieee-p1363" });
  const mpint = (b: Buffer) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = b.subarray(i);
    return sshString((v[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
  };
  const sig = Buffer.concat([mpint(rs.subarray(0, curve.size)), mpint(rs.subarray(curve.size))]);
  return Buffer.concat([sshString(type), sshString(sig)]);
}

/** Refuses what upstream's NewSSHSigner refuses: other key types and RSA under 2048 bits. */
function checkSigningKey(key: KeyObject): string {
  const { type } = publicKeyBlob(key);
  if (type === "ssh-rsa") {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048)
      throw new SigningKeyError(
        `RSA key size ${bits} bits is below the minimum supported by NewSSHSigner; must be at least 2048`,
      );
  }
  return type;
}

/** A commit signer for an SSH key: payload in, armored SSHSIG out. */
export async function sshSigner(privateKey: string, passphrase = ""): Promise<(payload: string) => Promise<string>> {
  const key = await readSshPrivateKey(privateKey, passphrase);
  const type = checkSigningKey(key);
  const { blob } = publicKeyBlob(key);
  // Synchronous work behind the async signer interface (GPG's is async): a failure still rejects.
  return (payload) =>
    new Promise((resolve) => {
      resolve(armorSshSignature(signSshsig(key, type, blob, Buffer.from(payload, "utf8"))));
    });
}

function signSshsig(key: KeyObject, type: string, publicKey: Buffer, message: Buffer): Buffer {
  const magic = Buffer.from("SSHSIG");
  const digest = createHash(HASH).update(message).digest();
  const signed = Buffer.concat([magic, sshString(NAMESPACE), sshString(""), sshString(HASH), sshString(digest)]);
  const version = Buffer.alloc(4);
  version.writeUInt32BE(1);
  return Buffer.concat([
    magic,
    version,
    sshString(publicKey),
    sshString(NAMESPACE),
    sshString(""),
    sshString(HASH),
    sshString(sshSignature(key, type, signed)),
  ]);
}

function armorSshSignature(sig: Buffer): string {
  const b64 = sig.toString("base64").match(/.{1,70}/g) ?? [];
  return `-----BEGIN SSH SIGNATURE-----\n${b64.join("\n")}\n-----END SSH SIGNATURE-----\n`;
}
