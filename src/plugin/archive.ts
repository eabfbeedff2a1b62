// The plugin binary out of what the catalog's URL serves, as upstream flux v2.9.5 reads
// it (internal/plugin/install.go): a .zip, .tar.gz/.tgz or .tar by the URL's suffix,
// else by the file's magic bytes, else the file is the binary itself. Only regular
// entries with local names are considered; the wanted one is matched by exact path
// (a platform's extractPath with a "/") or by base name.
import { crc32, inflateRawSync } from "node:zlib";
import { gunzipLimited, readTar } from "../oci/tar.js";

export type ArchiveFormat = "binary" | "zip" | "tar.gz" | "tar";

/** The largest binary tsflux unpacks from an archive. */
const MAX_BINARY_BYTES = 1 << 30;

export function detectArchiveFormat(data: Buffer, url: string): ArchiveFormat {
  // The URL's path decides first (a query string is part of it for Go's strings.HasSuffix too).
  const lower = url.toLowerCase();
  if (lower.endsWith(".zip")) return "zip";
  if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz")) return "tar.gz";
  if (lower.endsWith(".tar")) return "tar";
  if (data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && [0x03, 0x05, 0x07].includes(data[2] ?? 0))
    return "zip";
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) return "tar.gz";
  if (data.length >= 262 && data.subarray(257, 262).toString("latin1") === "ustar") return "tar";
  return "binary";
}

/** Go's filepath.IsLocal on a slash-separated archive name. */
export function isLocalName(name: string): boolean {
  if (name === "" || name.startsWith("/") || name.includes("\0")) return false;
  let depth = 0;
  for (const part of name.split("/")) {
    if (part === "..") depth--;
    else if (part !== "" && part !== ".") depth++;
    if (depth < 0) return false;
  }
  return true;
}

function baseName(name: string): string {
  const parts = name.split("/").filter((p) => p !== "");
  return parts.at(-1) ?? "";
}

/** A path with "/" matches exactly; a bare name matches any entry's base name. */
export function matchArchiveEntry(entryName: string, target: string): boolean {
  return target.includes("/") ? entryName === target : baseName(entryName) === target;
}

/** The binary the download holds. */
export function extractBinary(data: Buffer, format: ArchiveFormat, target: string): Buffer {
  switch (format) {
    case "binary":
      return data;
    case "tar.gz":
      return fromTar(gunzip(data), target);
    case "tar":
      return fromTar(data, target);
    case "zip":
      return fromZip(data, target);
  }
}

function gunzip(data: Buffer): Buffer {
  try {
    return gunzipLimited(data, MAX_BINARY_BYTES * 2);
  } catch (err) {
    throw new Error(`failed to read gzip: ${(err as Error).message.replace(/^requires gzip-compressed body: /, "")}`, {
      cause: err,
    });
  }
}

function fromTar(tar: Buffer, target: string): Buffer {
  let entries;
  try {
    entries = readTar(tar);
  } catch (err) {
    throw new Error(`failed to read tar: ${(err as Error).message}`, { cause: err });
  }
  for (const e of entries) {
    if (!isLocalName(e.name) || e.type !== "file") continue;
    if (matchArchiveEntry(e.name, target)) return e.data;
  }
  throw new Error(`binary ${JSON.stringify(target)} not found in archive`);
}

interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  regular: boolean;
}

/** The central directory of a zip archive (zip64 sizes and offsets included). */
function zipEntries(zip: Buffer): ZipEntry[] {
  const fail = (why: string): never => {
    throw new Error(`failed to open zip: zip: ${why}`);
  };
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) fail("not a valid zip file");
  let count = zip.readUInt16LE(eocd + 10);
  let dirOffset = zip.readUInt32LE(eocd + 16);
  if ((count === 0xffff || dirOffset === 0xffffffff) && eocd >= 20 && zip.readUInt32LE(eocd - 20) === 0x07064b50) {
    const z64 = Number(zip.readBigUInt64LE(eocd - 20 + 8));
    if (z64 + 56 > zip.length || zip.readUInt32LE(z64) !== 0x06064b50) fail("not a valid zip file");
    count = Number(zip.readBigUInt64LE(z64 + 32));
    dirOffset = Number(zip.readBigUInt64LE(z64 + 48));
  }
  const entries: ZipEntry[] = [];
  let off = dirOffset;
  for (let n = 0; n < count; n++) {
    if (off + 46 > zip.length || zip.readUInt32LE(off) !== 0x02014b50) fail("not a valid zip file");
    const madeBy = zip.readUInt16LE(off + 4) >> 8;
    const method = zip.readUInt16LE(off + 10);
    const crc = zip.readUInt32LE(off + 16);
    let compressedSize = zip.readUInt32LE(off + 20);
    let size = zip.readUInt32LE(off + 24);
    const nameLen = zip.readUInt16LE(off + 28);
    const extraLen = zip.readUInt16LE(off + 30);
    const commentLen = zip.readUInt16LE(off + 32);
    const external = zip.readUInt32LE(off + 38);
    let localOffset = zip.readUInt32LE(off + 42);
    const name = zip.subarray(off + 46, off + 46 + nameLen).toString("utf8");
    // zip64 extra field: the 64-bit values of the fields that read 0xffffffff, in order
    let x = off + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = zip.readUInt16LE(x);
      const len = zip.readUInt16LE(x + 2);
      if (id === 0x0001) {
        let p = x + 4;
        const next = () => {
          const v = Number(zip.readBigUInt64LE(p));
          p += 8;
          return v;
        };
        if (size === 0xffffffff) size = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localOffset === 0xffffffff) localOffset = next();
      }
      x += 4 + len;
    }
    // Go's FileHeader.Mode(): Unix creators keep the mode in the high bits; a trailing "/" is a directory
    let regular = !name.endsWith("/");
    if (madeBy === 3) {
      const type = (external >>> 16) & 0o170000;
      if (type !== 0 && type !== 0o100000) regular = false;
    } else if (madeBy === 0 || madeBy === 11 || madeBy === 14) {
      if (external & 0x10) regular = false;
    }
    entries.push({ name, method, crc, compressedSize, size, localOffset, regular });
    off = xEnd + commentLen;
  }
  return entries;
}

function fromZip(zip: Buffer, target: string): Buffer {
  for (const e of zipEntries(zip)) {
    if (!isLocalName(e.name) || !e.regular || !matchArchiveEntry(e.name, target)) continue;
    const open = (why: string): never => {
      throw new Error(`failed to open ${JSON.stringify(target)} in zip: zip: ${why}`);
    };
    if (e.localOffset + 30 > zip.length || zip.readUInt32LE(e.localOffset) !== 0x04034b50) open("not a valid zip file");
    const start = e.localOffset + 30 + zip.readUInt16LE(e.localOffset + 26) + zip.readUInt16LE(e.localOffset + 28);
    const raw = zip.subarray(start, start + e.compressedSize);
    if (raw.length !== e.compressedSize) open("not a valid zip file");
    let data: Buffer;
    if (e.method === 0) data = Buffer.from(raw);
    else if (e.method === 8) {
      try {
        data = inflateRawSync(raw, { maxOutputLength: MAX_BINARY_BYTES });
      } catch {
        throw new Error("failed to write plugin binary: flate: corrupt input");
      }
    } else return open("unsupported compression algorithm");
    if (data.length !== e.size || crc32(data) >>> 0 !== e.crc) {
      throw new Error("failed to write plugin binary: zip: checksum error");
    }
    return data;
  }
  throw new Error(`binary ${JSON.stringify(target)} not found in archive`);
}
