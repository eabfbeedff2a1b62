// SSH key material for Git over SSH: key pair generation (rsa, ecdsa p256/p384/p521,
// ed25519) with node:crypto, encoded in OpenSSH's formats (authorized_keys line and
// openssh-key-v1 private key, readable by ssh-keygen and by Go's x/crypto/ssh),
// loading a user's private key file (OpenSSH or PEM) and collecting the server's
// host key for known_hosts.
import { execFile } from "node:child_process";
import { createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import { CliError } from "../errors.js";
import { loadPemPrivateKey, PemKeyError } from "../util/pem-key.js";
import { must } from "../util/must.js";

export type KeyAlgorithm = "rsa" | "ecdsa" | "ed25519";
export type EcdsaCurve = "p256" | "p384" | "p521";

export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ["rsa", "ecdsa", "ed25519"];
export const ECDSA_CURVES: readonly EcdsaCurve[] = ["p256", "p384", "p521"];

export interface KeyPair {
  /** PEM (or the user's file as given) */
  privateKey: string;
  /** `<type> <base64>\n` as ssh.MarshalAuthorizedKey prints it */
  publicKey: string;
}

function sshString(buf: Buffer | string): Buffer {
  const b = typeof buf === "string" ? Buffer.from(buf) : buf;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

function sshMpint(unsigned: Buffer): Buffer {
  let i = 0;
  while (i < unsigned.length - 1 && unsigned[i] === 0) i++;
  let b = unsigned.subarray(i);
  if (((b[0] ?? 0) & 0x80) !== 0) b = Buffer.concat([Buffer.from([0]), b]);
  if (b.length === 1 && b[0] === 0) b = Buffer.alloc(0);
  return sshString(b);
}

const CURVES: Record<string, { ssh: string; name: string; size: number }> = {
  "P-256": { ssh: "ecdsa-sha2-nistp256", name: "nistp256", size: 32 },
  "P-384": { ssh: "ecdsa-sha2-nistp384", name: "nistp384", size: 48 },
  "P-521": { ssh: "ecdsa-sha2-nistp521", name: "nistp521", size: 66 },
};

/** A JWK member's bytes; node:crypto exports every member a key type has, so a missing one is a bug. */
function b64u(s: string | undefined): Buffer {
  return Buffer.from(must(s, "a JWK member of the key"), "base64url");
}

function leftPad(b: Buffer, size: number): Buffer {
  return b.length >= size ? b : Buffer.concat([Buffer.alloc(size - b.length), b]);
}

/** The SSH wire encoding of a public key. */
export function publicKeyBlob(key: KeyObject): { type: string; blob: Buffer } {
  const pub = key.type === "private" ? createPublicKey(key) : key;
  const jwk = pub.export({ format: "jwk" }) as {
    kty: string;
    crv?: string;
    x?: string;
    y?: string;
    n?: string;
    e?: string;
  };
  if (jwk.kty === "RSA") {
    return {
      type: "ssh-rsa",
      blob: Buffer.concat([sshString("ssh-rsa"), sshMpint(b64u(jwk.e)), sshMpint(b64u(jwk.n))]),
    };
  }
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") {
    return { type: "ssh-ed25519", blob: Buffer.concat([sshString("ssh-ed25519"), sshString(b64u(jwk.x))]) };
  }
  const c = jwk.crv ? CURVES[jwk.crv] : undefined;
  if (jwk.kty === "EC" && c) {
    const point = Buffer.concat([Buffer.from([4]), leftPad(b64u(jwk.x), c.size), leftPad(b64u(jwk.y), c.size)]);
    return { type: c.ssh, blob: Buffer.concat([sshString(c.ssh), sshString(c.name), sshString(point)]) };
  }
  throw new CliError(`unsupported key type '${jwk.kty}${jwk.crv ? ` ${jwk.crv}` : ""}'`);
}

export function authorizedKey(key: KeyObject): string {
  const { type, blob } = publicKeyBlob(key);
  return `${type} ${blob.toString("base64")}\n`;
}

export interface GenerateOptions {
  algorithm: KeyAlgorithm;
  rsaBits?: number;
  ecdsaCurve?: EcdsaCurve | undefined;
}

/** Encodes a private key in OpenSSH's openssh-key-v1 format (unencrypted), as ssh-keygen writes it. */
export function openSSHPrivateKey(key: KeyObject, comment = ""): string {
  const { type, blob } = publicKeyBlob(key);
  const jwk = key.export({ format: "jwk" }) as Record<string, string>;
  let keyFields: Buffer;
  if (type === "ssh-ed25519") {
    const pub = b64u(jwk.x);
    keyFields = Buffer.concat([sshString(pub), sshString(Buffer.concat([b64u(jwk.d), pub]))]);
  } else if (type === "ssh-rsa") {
    keyFields = Buffer.concat([
      sshMpint(b64u(jwk.n)),
      sshMpint(b64u(jwk.e)),
      sshMpint(b64u(jwk.d)),
      sshMpint(b64u(jwk.qi)),
      sshMpint(b64u(jwk.p)),
      sshMpint(b64u(jwk.q)),
    ]);
  } else {
    const c = must(CURVES[jwk.crv ?? ""], "the key's curve");
    const point = Buffer.concat([Buffer.from([4]), leftPad(b64u(jwk.x), c.size), leftPad(b64u(jwk.y), c.size)]);
    keyFields = Buffer.concat([sshString(c.name), sshString(point), sshMpint(b64u(jwk.d))]);
  }
  const check = randomBytes(4);
  let priv = Buffer.concat([check, check, sshString(type), keyFields, sshString(comment)]);
  const pad: number[] = [];
  for (let i = 1; (priv.length + pad.length) % 8 !== 0; i++) pad.push(i);
  priv = Buffer.concat([priv, Buffer.from(pad)]);
  const count = Buffer.alloc(4);
  count.writeUInt32BE(1);
  const body = Buffer.concat([
    Buffer.from("openssh-key-v1\0", "latin1"),
    sshString("none"),
    sshString("none"),
    sshString(""),
    count,
    sshString(blob),
    sshString(priv),
  ]).toString("base64");
  const lines = body.match(/.{1,70}/g) ?? [];
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join("\n")}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

export function generateKeyPair(o: GenerateOptions): KeyPair {
  let key: KeyObject;
  switch (o.algorithm) {
    case "rsa":
      key = generateKeyPairSync("rsa", { modulusLength: o.rsaBits ?? 2048 }).privateKey;
      break;
    case "ecdsa": {
      const namedCurve = { p256: "prime256v1", p384: "secp384r1", p521: "secp521r1" }[o.ecdsaCurve ?? "p384"];
      key = generateKeyPairSync("ec", { namedCurve }).privateKey;
      break;
    }
    case "ed25519":
      key = generateKeyPairSync("ed25519").privateKey;
      break;
    default:
      throw new CliError(`unsupported public key algorithm '${String(o.algorithm)}'`);
  }
  return { privateKey: openSSHPrivateKey(key), publicKey: authorizedKey(key) };
}

/** Public key of an OpenSSH private key file (openssh-key-v1): read from its unencrypted header. */
class PassphraseError extends Error {}

function openSSHPublicKey(text: string, password?: string): string {
  const body = text
    .replace(/-----BEGIN OPENSSH PRIVATE KEY-----/, "")
    .replace(/-----END OPENSSH PRIVATE KEY-----/, "")
    .replace(/\s+/g, "");
  const buf = Buffer.from(body, "base64");
  const magic = "openssh-key-v1\0";
  if (buf.subarray(0, magic.length).toString("latin1") !== magic) throw new Error("not an openssh-key-v1 key");
  let off = magic.length;
  const readString = (): Buffer => {
    if (off + 4 > buf.length) throw new Error("truncated key");
    const len = buf.readUInt32BE(off);
    off += 4;
    if (off + len > buf.length) throw new Error("truncated key");
    const s = buf.subarray(off, off + len);
    off += len;
    return s;
  };
  const cipher = readString().toString("latin1");
  if (cipher !== "none" && !password) throw new PassphraseError();
  readString(); // kdf
  readString(); // kdf options
  const n = buf.readUInt32BE(off);
  off += 4;
  if (n < 1) throw new Error("no keys in file");
  const blob = readString();
  const type = blob.subarray(4, 4 + blob.readUInt32BE(0)).toString("latin1");
  return `${type} ${blob.toString("base64")}\n`;
}

/**
 * Loads a private key file as upstream's LoadKeyPairFromPath: the file content is kept
 * as the identity, the public key is derived from it. Errors never include key material.
 */
export function loadKeyPair(content: string, password?: string): KeyPair {
  if (content.includes("-----BEGIN OPENSSH PRIVATE KEY-----")) {
    try {
      return { privateKey: content, publicKey: openSSHPublicKey(content, password) };
    } catch (err) {
      if (err instanceof PassphraseError) {
        throw new CliError(
          "failed to load the private key: it is passphrase protected, set the passphrase with --password",
        );
      }
      throw new CliError(`failed to parse the private key: ${(err as Error).message}`);
    }
  }
  try {
    return { privateKey: content, publicKey: authorizedKey(loadPemPrivateKey(content, password)) };
  } catch (err) {
    if (err instanceof PemKeyError && err.failure === "decrypt") {
      throw new CliError("failed to decrypt the private key: check the --password value");
    }
    throw new CliError("failed to parse the private key: the file is not a PEM or OpenSSH private key");
  }
}

/** host[:port] as known_hosts writes it: the port only when it is not 22. */
export function knownHostsAddress(hostport: string): { host: string; port: string; address: string } {
  let host = hostport;
  let port = "22";
  const m = /^\[(.*)\]:(\d+)$/.exec(hostport) ?? /^([^:]+):(\d+)$/.exec(hostport);
  if (m) {
    host = m[1] ?? host;
    port = m[2] ?? port;
  }
  return { host, port, address: port === "22" ? host : `[${host}]:${port}` };
}

/** Order in which Go's SSH client offers host key algorithms. */
const HOST_KEY_PREFERENCE = [
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "ssh-rsa",
  "ssh-ed25519",
];

/** Picks the key the Go client would negotiate from ssh-keyscan output; returns the known_hosts line. */
export function pickHostKey(keyscanOutput: string, address: string, algorithms: string[] = []): string | undefined {
  const keys = new Map<string, string>();
  for (const line of keyscanOutput.split("\n")) {
    const t = line.trim();
    if (t === "" || t.startsWith("#")) continue;
    const [, type, key] = t.split(/\s+/);
    if (type === undefined || key === undefined) continue;
    if (!keys.has(type)) keys.set(type, key);
  }
  // With --ssh-hostkey-algos, only those algorithms, in the order given (Go's HostKeyAlgorithms);
  // the RSA signature algorithms all verify an ssh-rsa key.
  const preference = algorithms.length
    ? algorithms.map((a) => (a.startsWith("rsa-sha2-") ? "ssh-rsa" : a))
    : HOST_KEY_PREFERENCE;
  for (const type of preference) {
    const k = keys.get(type);
    if (k) return `${address} ${type} ${k}`;
  }
  return undefined;
}

export type HostKeyScanner = (hostport: string, timeoutMs: number, algorithms?: string[]) => Promise<string>;

/**
 * Collects the SSH host key with the system's ssh-keyscan (a full SSH handshake is
 * outside tsflux). Returns the known_hosts line without a trailing newline.
 */
export const scanHostKey: HostKeyScanner = async (hostport, timeoutMs, algorithms = []) => {
  const { host, port, address } = knownHostsAddress(hostport);
  const seconds = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
  const out = await new Promise<string>((resolve, reject) => {
    execFile(
      "ssh-keyscan",
      ["-T", seconds, "-p", port, "-t", "ecdsa,rsa,ed25519", host],
      { timeout: timeoutMs + 5000 },
      (err, stdout) => {
        if (err && (err as NodeJS.ErrnoException).code === "ENOENT") {
          reject(
            new CliError(
              `unable to collect the SSH host key of ${address}: ssh-keyscan was not found, install the OpenSSH client (e.g. apt-get install openssh-client)`,
            ),
          );
          return;
        }
        resolve(stdout);
      },
    );
  });
  const line = pickHostKey(out, address, algorithms);
  if (!line)
    throw new CliError(
      `unable to collect the SSH host key of ${address}: no host key received${algorithms.length ? ` for the algorithms ${algorithms.join(", ")}` : ""}`,
    );
  return line;
};
