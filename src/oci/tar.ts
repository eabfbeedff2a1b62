// A tar writer that produces the headers Go's archive/tar writes for Flux artifacts
// (USTAR, PAX records only for names USTAR cannot hold, zeroed owners and times),
// a tar reader for what registries hand back, and deterministic gzip.
import { gunzipSync, gzipSync } from "node:zlib";

const BLOCK = 512;
const NAME_SIZE = 100;
const PREFIX_SIZE = 155;

export type EntryType = "file" | "dir" | "symlink" | "hardlink" | "other";

export interface TarEntry {
  name: string;
  type: EntryType;
  /** Mode as stored in the header (permission and setuid/setgid/sticky bits; other writers may add type bits). */
  mode: number;
  size: number;
  linkname: string;
  /** Modification time in seconds since the epoch. */
  mtime: number;
  /** Raw type flag character. */
  typeflag: string;
  data: Buffer;
}

function isAscii(s: string): boolean {
  return /^[\x00-\x7f]*$/.test(s);
}

function toAscii(s: string): string {
  return s.replace(/[^\x00-\x7f]/g, "");
}

function writeString(block: Buffer, offset: number, size: number, s: string): void {
  const b = Buffer.from(s, "utf8");
  b.copy(block, offset, 0, Math.min(size, b.length));
  if (b.length < size) block[offset + b.length] = 0;
}

function writeOctal(block: Buffer, offset: number, size: number, n: number): void {
  let s = n.toString(8);
  if (s.length > size - 1) throw new Error(`tar field too long: ${n}`);
  const pad = size - s.length - 1;
  if (pad > 0) s = "0".repeat(pad) + s;
  writeString(block, offset, size, s);
}

function setChecksum(block: Buffer): void {
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block.subarray(0, BLOCK)) sum += byte;
  writeOctal(block, 148, 7, sum);
  block[155] = 0x20;
}

function setUstarMagic(block: Buffer): void {
  block.write("ustar\0", 257, "latin1");
  block.write("00", 263, "latin1");
}

function splitUstarPath(name: string): { prefix: string; suffix: string } | null {
  let length = Buffer.byteLength(name);
  if (length <= NAME_SIZE || !isAscii(name)) return null;
  if (length > PREFIX_SIZE + 1) length = PREFIX_SIZE + 1;
  else if (name[length - 1] === "/") length--;
  const i = name.slice(0, length).lastIndexOf("/");
  const nlen = name.length - i - 1;
  const plen = i;
  if (i <= 0 || nlen > NAME_SIZE || nlen === 0 || plen > PREFIX_SIZE) return null;
  return { prefix: name.slice(0, i), suffix: name.slice(i + 1) };
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let size = Buffer.byteLength(body);
  size += String(size).length;
  let record = `${size}${body}`;
  if (Buffer.byteLength(record) !== size) {
    size = Buffer.byteLength(record);
    record = `${size}${body}`;
  }
  return record;
}

function padTo(data: Buffer): Buffer[] {
  const rem = data.length % BLOCK;
  return rem === 0 ? [data] : [data, Buffer.alloc(BLOCK - rem)];
}

/** Writes a tar stream in memory, entry by entry, in the order given. */
export class TarWriter {
  private readonly chunks: Buffer[] = [];

  // Go's FileInfoHeader keeps permission, setuid, setgid and sticky bits only (no
  // c_ISDIR / c_ISREG type bits): "0000755" for a directory, "0000644" for a file.
  addDirectory(name: string, perm: number): void {
    this.writeHeader(name, perm & 0o7777, 0, "5");
  }

  addFile(name: string, perm: number, data: Buffer): void {
    this.writeHeader(name, perm & 0o7777, data.length, "0");
    this.chunks.push(...padTo(data));
  }

  finish(): Buffer {
    this.chunks.push(Buffer.alloc(BLOCK * 2));
    return Buffer.concat(this.chunks);
  }

  private writeHeader(name: string, mode: number, size: number, typeflag: string): void {
    const block = Buffer.alloc(BLOCK);
    const fitsName = Buffer.byteLength(name) <= NAME_SIZE && isAscii(name);
    const split = fitsName ? null : splitUstarPath(name);
    if (!fitsName && !split) {
      // PAX: an extended header with the real path, then the main header with a best-effort name.
      const data = Buffer.from(paxRecord("path", name), "utf8");
      const slash = name.lastIndexOf("/", name.endsWith("/") ? name.length - 2 : undefined);
      const dir = slash >= 0 ? name.slice(0, slash + 1) : "";
      const file = name.slice(dir.length);
      let paxName = toAscii(joinPath(dir, "PaxHeaders.0", file));
      if (Buffer.byteLength(paxName) > NAME_SIZE) paxName = paxName.slice(0, NAME_SIZE);
      paxName = paxName.replace(/\/+$/, "");
      const pax = Buffer.alloc(BLOCK);
      writeString(pax, 0, NAME_SIZE, paxName);
      pax[156] = "x".charCodeAt(0);
      writeOctal(pax, 100, 8, 0);
      writeOctal(pax, 108, 8, 0);
      writeOctal(pax, 116, 8, 0);
      writeOctal(pax, 124, 12, data.length);
      writeOctal(pax, 136, 12, 0);
      setUstarMagic(pax);
      setChecksum(pax);
      this.chunks.push(pax, ...padTo(data));
      writeString(block, 0, NAME_SIZE, toAscii(name));
    } else if (split) {
      writeString(block, 0, NAME_SIZE, split.suffix);
      writeString(block, 345, PREFIX_SIZE, split.prefix);
    } else {
      writeString(block, 0, NAME_SIZE, name);
    }
    block[156] = typeflag.charCodeAt(0);
    writeOctal(block, 100, 8, mode);
    writeOctal(block, 108, 8, 0);
    writeOctal(block, 116, 8, 0);
    writeOctal(block, 124, 12, size);
    writeOctal(block, 136, 12, 0);
    writeOctal(block, 329, 8, 0);
    writeOctal(block, 337, 8, 0);
    setUstarMagic(block);
    setChecksum(block);
    this.chunks.push(block);
  }
}

function joinPath(...parts: string[]): string {
  const joined = parts.filter((p) => p !== "").join("/");
  const out: string[] = [];
  for (const seg of joined.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  return out.join("/");
}

/** gzip with fixed settings and a header like Go's compress/gzip (no name, mtime 0, OS unknown). */
export function gzipDeterministic(data: Buffer): Buffer {
  const gz = gzipSync(data, { level: 6 });
  gz[9] = 0xff;
  return gz;
}

export class TarFormatError extends Error {}

function readString(block: Buffer, offset: number, size: number): string {
  const slice = block.subarray(offset, offset + size);
  const nul = slice.indexOf(0);
  return slice.subarray(0, nul >= 0 ? nul : size).toString("utf8");
}

function readNumber(block: Buffer, offset: number, size: number): number {
  const field = block.subarray(offset, offset + size);
  const head = field[0] ?? 0; // an empty field reads as 0, as the octal branch does
  if (head & 0x80) {
    // base-256
    let n = head & 0x7f;
    for (const byte of field.subarray(1)) n = n * 256 + byte;
    if (!Number.isSafeInteger(n)) throw new TarFormatError("tar numeric field out of range");
    return n;
  }
  const s = field.toString("latin1").replace(/\0.*$/s, "").trim();
  if (s === "") return 0;
  if (!/^[0-7]+$/.test(s)) throw new TarFormatError(`invalid tar header: numeric field '${s}'`);
  return parseInt(s, 8);
}

function checksumOk(block: Buffer): boolean {
  const stored = readNumber(block, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (const [i, byte] of block.subarray(0, BLOCK).entries()) {
    const b = i >= 148 && i < 156 ? 0x20 : byte;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let off = 0;
  while (off < data.length) {
    if (data[off] === 0) break;
    const sp = data.indexOf(0x20, off);
    if (sp < 0) throw new TarFormatError("invalid PAX record");
    const len = Number(data.subarray(off, sp).toString("latin1"));
    if (!Number.isSafeInteger(len) || len <= sp - off || off + len > data.length || data[off + len - 1] !== 0x0a) {
      throw new TarFormatError("invalid PAX record");
    }
    const kv = data.subarray(sp + 1, off + len - 1).toString("utf8");
    const eq = kv.indexOf("=");
    if (eq < 0) throw new TarFormatError("invalid PAX record");
    out[kv.slice(0, eq)] = kv.slice(eq + 1);
    off += len;
  }
  return out;
}

/** Reads every entry of an uncompressed tar stream. */
export function readTar(buf: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let off = 0;
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  while (off + BLOCK <= buf.length) {
    const block = buf.subarray(off, off + BLOCK);
    off += BLOCK;
    if (block.every((b) => b === 0)) break;
    if (!checksumOk(block)) throw new TarFormatError("invalid tar header checksum");
    const typeflag = block.toString("latin1", 156, 157);
    let size = readNumber(block, 124, 12);
    if (pax.size !== undefined) size = Number(pax.size);
    const dataStart = off;
    const dataEnd = off + size;
    if (!Number.isSafeInteger(size) || size < 0 || dataEnd > buf.length)
      throw new TarFormatError("unexpected end of tar data");
    const data = buf.subarray(dataStart, dataEnd);
    off = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (typeflag === "x") {
      pax = { ...pax, ...parsePax(data) };
      continue;
    }
    if (typeflag === "g") continue;
    if (typeflag === "L") {
      longName = data.toString("utf8").replace(/\0+$/, "");
      continue;
    }
    if (typeflag === "K") {
      longLink = data.toString("utf8").replace(/\0+$/, "");
      continue;
    }
    let name = readString(block, 0, NAME_SIZE);
    const magic = block.subarray(257, 263).toString("latin1");
    if (magic.startsWith("ustar")) {
      const prefix = readString(block, 345, PREFIX_SIZE);
      if (prefix !== "" && magic === "ustar\0") name = `${prefix}/${name}`;
    }
    if (longName !== undefined) name = longName;
    if (pax.path !== undefined) name = pax.path;
    let linkname = readString(block, 157, NAME_SIZE);
    if (longLink !== undefined) linkname = longLink;
    if (pax.linkpath !== undefined) linkname = pax.linkpath;
    const mode = readNumber(block, 100, 8);
    const mtime = pax.mtime !== undefined ? Math.floor(Number(pax.mtime)) : readNumber(block, 136, 12);
    let type: EntryType;
    if (typeflag === "0" || typeflag === "\0" || typeflag === "7")
      type = name.endsWith("/") && typeflag === "\0" ? "dir" : "file";
    else if (typeflag === "5") type = "dir";
    else if (typeflag === "2") type = "symlink";
    else if (typeflag === "1") type = "hardlink";
    else type = "other";
    entries.push({ name, type, mode, size, linkname, mtime, typeflag, data: type === "file" ? data : Buffer.alloc(0) });
    pax = {};
    longName = undefined;
    longLink = undefined;
  }
  return entries;
}

/** Decompresses a gzip stream, refusing to inflate past maxBytes. */
export function gunzipLimited(data: Buffer, maxBytes: number): Buffer {
  try {
    return gunzipSync(data, { maxOutputLength: maxBytes });
  } catch (err) {
    if (err instanceof RangeError || (err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      throw new TarFormatError(`artifact content is bigger than the max size of ${maxBytes} bytes`);
    }
    throw new TarFormatError(`requires gzip-compressed body: ${(err as Error).message}`);
  }
}
