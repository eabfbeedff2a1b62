// SOPS masking as upstream's build does it: a SOPS-encrypted Secret has every
// data/stringData value replaced by the mask (a JSON {"mask": ...} for
// dockerconfigjson Secrets) and its `sops` metadata removed; values that embed
// SOPS-encrypted content are masked; other kinds lose a top-level `sops` field.
import { CliError } from "../errors.js";

export const SOPS_MASK = "**SOPS**";
const SOPS_MASK_B64 = Buffer.from(SOPS_MASK).toString("base64");
const DOCKERCONFIGJSON = "kubernetes.io/dockerconfigjson";

type Obj = Record<string, unknown>;

function isStrictBase64(v: string): number {
  // returns -1 when valid, else the offset of the first bad byte (Go's CorruptInputError)
  const clean = v.replace(/[\r\n]/g, "");
  for (let i = 0; i < clean.length; i++) {
    if (!/[A-Za-z0-9+/=]/.test(clean.charAt(i))) return i;
  }
  if (clean.length % 4 !== 0) return clean.length - (clean.length % 4);
  const pad = clean.indexOf("=");
  if (pad >= 0 && pad < clean.length - 2) return pad;
  if (pad >= 0 && !/^=+$/.test(clean.slice(pad))) return pad;
  return -1;
}

function stringMap(v: unknown): Record<string, string> | undefined {
  if (!v || typeof v !== "object" || Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Obj)) out[k] = typeof val === "string" ? val : String(val);
  return out;
}

/**
 * Masks SOPS data in `obj` in place. `text` is the object's YAML as kustomize
 * printed it (used for the `sops:` / `mac: ENC[` detection, as upstream does).
 */
export function maskSopsData(obj: Obj, text: string): void {
  const rawName = (obj.metadata as Obj | undefined)?.name;
  const name = typeof rawName === "string" || typeof rawName === "number" ? String(rawName) : "";
  if (obj.kind !== "Secret") {
    if ("sops" in obj) delete obj.sops;
    return;
  }
  const data = stringMap(obj.data) ?? {};
  const stringData = stringMap(obj.stringData) ?? {};
  if (text.includes("sops:") && text.includes("mac: ENC[")) {
    delete obj.sops;
    const type = typeof obj.type === "string" ? obj.type : "Opaque";
    if (type === DOCKERCONFIGJSON) {
      const maskJson = JSON.stringify({ mask: SOPS_MASK });
      for (const k of Object.keys(data)) data[k] = Buffer.from(maskJson).toString("base64");
      for (const k of Object.keys(stringData)) stringData[k] = maskJson;
    } else {
      for (const k of Object.keys(data)) data[k] = SOPS_MASK_B64;
      for (const k of Object.keys(stringData)) stringData[k] = SOPS_MASK;
    }
  } else {
    for (const [k, v] of Object.entries(data)) {
      const bad = isStrictBase64(v);
      if (bad >= 0)
        throw new CliError(`failed to mask secret ${name} sops data: illegal base64 data at input byte ${bad}`);
      const decoded = Buffer.from(v, "base64").toString("latin1");
      if (decoded.includes("sops") && decoded.includes("ENC[")) data[k] = SOPS_MASK_B64;
    }
    for (const [k, v] of Object.entries(stringData)) {
      if (v.includes("sops") && v.includes("ENC[")) stringData[k] = SOPS_MASK_B64;
    }
  }
  if (Object.keys(data).length > 0) obj.data = data;
  else delete obj.data;
  if (Object.keys(stringData).length > 0) obj.stringData = stringData;
}
