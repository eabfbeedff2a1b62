// Canary secrets and the scan that proves they went nowhere but where they belong:
// every captured stdout/stderr, every file left in the given directories, every
// object of every git repository (reachable or not), and every object the API server
// holds, except the Secrets meant to hold them. A canary is looked for as given,
// base64-encoded and URL-encoded.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { kubeRequest } from "../env/helpers.js";

export interface Canaries {
  token: string;
  password: string;
  /** A private key (PEM); its base64 body lines are what is looked for. */
  privateKey: string;
  privateKeyFile: string;
  /** A self-signed certificate for the key (not secret). */
  certFile: string;
}

/** Generates fresh canaries; the key and its certificate go into dir. */
export function makeCanaries(dir: string): Canaries {
  const tag = randomBytes(6).toString("hex");
  const privateKeyFile = path.join(dir, "canary.key");
  const certFile = path.join(dir, "canary.crt");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      privateKeyFile,
      "-out",
      certFile,
      "-days",
      "1",
      "-subj",
      `/CN=canary-${tag}`,
    ],
    { stdio: "ignore" },
  );
  return {
    token: `ghp_CANARYtoken${tag}`,
    password: `CANARYpassw0rd-${tag}`,
    privateKey: readFileSync(privateKeyFile, "utf8"),
    privateKeyFile,
    certFile,
  };
}

/** The strings a leak would show up as. */
export function needles(c: Canaries): { name: string; value: string }[] {
  const keyLines = c.privateKey
    .split("\n")
    .filter((l) => l && !l.startsWith("-----"))
    .filter((l) => l.length >= 40);
  const out: { name: string; value: string }[] = [];
  for (const [name, v] of [
    ["token", c.token],
    ["password", c.password],
  ] as const) {
    out.push(
      { name, value: v },
      { name: `${name} (base64)`, value: Buffer.from(v).toString("base64").replace(/=+$/, "") },
    );
    out.push({ name: `${name} (url-encoded)`, value: encodeURIComponent(v) });
  }
  keyLines.forEach((l, i) => out.push({ name: `private key line ${i + 1}`, value: l }));
  out.push({ name: "private key (base64)", value: Buffer.from(c.privateKey).toString("base64").slice(0, 60) });
  return out;
}

export interface Finding {
  where: string;
  canary: string;
}

export function scanText(where: string, text: string, c: Canaries): Finding[] {
  return needles(c)
    .filter((n) => text.includes(n.value))
    .map((n) => ({ where, canary: n.name }));
}

/** Every regular file under dir (symlinks not followed). */
export function scanDir(dir: string, c: Canaries, skip: (file: string) => boolean = () => false): Finding[] {
  const found: Finding[] = [];
  const walk = (d: string) => {
    let entries: string[];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e);
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && !skip(p)) found.push(...scanText(`file ${p}`, readFileSync(p).toString("latin1"), c));
    }
  };
  walk(dir);
  return found;
}

/** Every object of a bare repository, decompressed (history, unreachable objects, packs). */
export function scanGitRepo(bare: string, c: Canaries): Finding[] {
  const all = execFileSync("git", ["cat-file", "--batch-all-objects", "--batch", "--unordered"], {
    cwd: bare,
    maxBuffer: 256 * 1024 * 1024,
  }).toString("latin1");
  return scanText(`git objects of ${bare}`, all, c);
}

/**
 * Every object of every listable resource type the API server serves (cluster-scoped
 * ones included), except the Secrets `allowed` names as namespace/name.
 */
export async function scanCluster(kc: KubeConfig, c: Canaries, allowed: Set<string>): Promise<Finding[]> {
  const groups: string[] = ["/api/v1"];
  const apis = await kubeRequest<{ groups: { preferredVersion: { groupVersion: string } }[] }>(kc, "GET", "/apis");
  for (const g of apis.groups) groups.push(`/apis/${g.preferredVersion.groupVersion}`);
  const found: Finding[] = [];
  let listed = 0;
  for (const gv of groups) {
    const res = await kubeRequest<{ resources: { name: string; verbs: string[] }[] }>(kc, "GET", gv);
    for (const r of res.resources) {
      if (r.name.includes("/") || !r.verbs.includes("list")) continue;
      const list = await kubeRequest<{ items: { metadata: { name: string; namespace?: string } }[] }>(
        kc,
        "GET",
        `${gv}/${r.name}`,
      ).catch(() => ({ items: [] }));
      for (const obj of list.items) {
        listed++;
        const id = `${obj.metadata.namespace ?? ""}/${obj.metadata.name}`;
        if (gv === "/api/v1" && r.name === "secrets" && allowed.has(id)) continue;
        found.push(...scanText(`${gv}/${r.name} ${id}`, JSON.stringify(obj), c));
      }
    }
  }
  if (listed === 0) throw new Error("the cluster scan listed no objects");
  return found;
}
