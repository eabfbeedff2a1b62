// SSH key material for Git over SSH: key pair generation (rsa, ecdsa p256/p384/p521,
// ed25519) with node:crypto, the OpenSSH public key encoding (authorized_keys line),
// loading a user's private key file (OpenSSH or PEM) and collecting the server's
// host key for known_hosts. The private key is written as PKCS#8 PEM, as upstream's
// fluxcd/pkg/ssh generator does; source-controller accepts both.
import { execFile } from "node:child_process";
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { CliError } from "../errors.js";

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
  if (b.length > 0 && (b[0]! & 0x80) !== 0) b = Buffer.concat([Buffer.from([0]), b]);
  if (b.length === 1 && b[0] === 0) b = Buffer.alloc(0);
  return sshString(b);
}

const CURVES: Record<string, { ssh: string; name: string; size: number }> = {
  "P-256": { ssh: "ecdsa-sha2-nistp256", name: "nistp256", size: 32 },
  "P-384": { ssh: "ecdsa-sha2-nistp384", name: "nistp384", size: 48 },
  "P-521": { ssh: "ecdsa-sha2-nistp521", name: "nistp521", size: 66 },
};

function b64u(s: string): Buffer {
  return Buffer.from(s, "base64url");
}

function leftPad(b: Buffer, size: number): Buffer {
  return b.length >= size ? b : Buffer.concat([Buffer.alloc(size - b.length), b]);
}

/** The SSH wire encoding of a public key. */
export function publicKeyBlob(key: KeyObject): { type: string; blob: Buffer } {
  const pub = key.type === "private" ? createPublicKey(key) : key;
  const jwk = pub.export({ format: "jwk" }) as { kty: string; crv?: string; x?: string; y?: string; n?: string; e?: string };
  if (jwk.kty === "RSA") {
    return { type: "ssh-rsa", blob: Buffer.concat([sshString("ssh-rsa"), sshMpint(b64u(jwk.e!)), sshMpint(b64u(jwk.n!))]) };
  }
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") {
    return { type: "ssh-ed25519", blob: Buffer.concat([sshString("ssh-ed25519"), sshString(b64u(jwk.x!))]) };
  }
  if (jwk.kty === "EC" && jwk.crv && CURVES[jwk.crv]) {
    const c = CURVES[jwk.crv]!;
    const point = Buffer.concat([Buffer.from([4]), leftPad(b64u(jwk.x!), c.size), leftPad(b64u(jwk.y!), c.size)]);
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
  ecdsaCurve?: EcdsaCurve;
}

export function generateKeyPair(o: GenerateOptions): KeyPair {
  const enc = {
    privateKeyEncoding: { type: "pkcs8" as const, format: "pem" as const },
    publicKeyEncoding: { type: "spki" as const, format: "pem" as const },
  };
  let pem: string;
  switch (o.algorithm) {
    case "rsa":
      pem = generateKeyPairSync("rsa", { modulusLength: o.rsaBits ?? 2048, ...enc }).privateKey as unknown as string;
      break;
    case "ecdsa": {
      const namedCurve = { p256: "prime256v1", p384: "secp384r1", p521: "secp521r1" }[o.ecdsaCurve ?? "p384"];
      pem = generateKeyPairSync("ec", { namedCurve, ...enc }).privateKey as unknown as string;
      break;
    }
    case "ed25519":
      pem = generateKeyPairSync("ed25519", enc).privateKey as unknown as string;
      break;
    default:
      throw new CliError(`unsupported public key algorithm '${String(o.algorithm)}'`);
  }
  return { privateKey: pem, publicKey: authorizedKey(createPrivateKey(pem)) };
}

/** Public key of an OpenSSH private key file (openssh-key-v1): read from its unencrypted header. */
function openSSHPublicKey(text: string): string {
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
  readString(); // cipher
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
      return { privateKey: content, publicKey: openSSHPublicKey(content) };
    } catch (err) {
      throw new CliError(`failed to parse the private key: ${(err as Error).message}`);
    }
  }
  try {
    const key = createPrivateKey({ key: content, format: "pem", passphrase: password || undefined });
    return { privateKey: content, publicKey: authorizedKey(key) };
  } catch (err) {
    const msg = (err as Error).message;
    if (/passphrase|decrypt|bad decrypt/i.test(msg)) {
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
    host = m[1]!;
    port = m[2]!;
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
export function pickHostKey(keyscanOutput: string, address: string): string | undefined {
  const keys = new Map<string, string>();
  for (const line of keyscanOutput.split("\n")) {
    const t = line.trim();
    if (t === "" || t.startsWith("#")) continue;
    const parts = t.split(/\s+/);
    if (parts.length < 3) continue;
    if (!keys.has(parts[1]!)) keys.set(parts[1]!, parts[2]!);
  }
  for (const type of HOST_KEY_PREFERENCE) {
    const k = keys.get(type);
    if (k) return `${address} ${type} ${k}`;
  }
  return undefined;
}

export type HostKeyScanner = (hostport: string, timeoutMs: number) => Promise<string>;

/**
 * Collects the SSH host key with the system's ssh-keyscan (a full SSH handshake is
 * outside tsflux). Returns the known_hosts line without a trailing newline.
 */
export const scanHostKey: HostKeyScanner = async (hostport, timeoutMs) => {
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
        resolve(stdout ?? "");
      },
    );
  });
  const line = pickHostKey(out, address);
  if (!line) throw new CliError(`unable to collect the SSH host key of ${address}: no host key received`);
  return line;
};
