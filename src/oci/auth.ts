// Registry credentials: --creds, or the Docker config (~/.docker/config.json or
// $DOCKER_CONFIG) with its credential helpers (credHelpers, credsStore), falling back
// to podman's auth.json. Secrets never leave this module except inside request headers.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CliError } from "../errors.js";
import { DEFAULT_REGISTRY } from "./reference.js";

export interface Credentials {
  username?: string;
  password?: string;
  /** OAuth2 refresh token (docker config "identitytoken"), exchanged at the token realm. */
  identityToken?: string;
  /** A bearer token sent as-is (a --creds value without a colon). */
  registryToken?: string;
}

export function hasCredentials(c: Credentials | undefined): c is Credentials {
  return !!c && !!(c.username || c.password || c.identityToken || c.registryToken);
}

/** Parses --creds: `<username>:<password>`, or a single token (as fluxcd/pkg GetAuthFromCredentials). */
export function parseCreds(creds: string): Credentials {
  if (creds === "") throw new CliError("could not login with credentials: credentials cannot be empty");
  const colon = creds.indexOf(":");
  if (colon < 0) return { registryToken: creds };
  return { username: creds.slice(0, colon), password: creds.slice(colon + 1) };
}

interface DockerAuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

interface DockerConfig {
  auths?: Record<string, DockerAuthEntry>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** docker/cli's ConvertToHostname: drops the scheme and any path. */
export function hostOf(key: string): string {
  let k = key;
  if (k.startsWith("http://")) k = k.slice(7);
  else if (k.startsWith("https://")) k = k.slice(8);
  return k.split("/", 1)[0] ?? k;
}

/** The keys the docker CLI uses for a registry (Docker Hub has its legacy URL). */
function configKeys(registry: string): string[] {
  if (registry === DEFAULT_REGISTRY)
    return ["https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io"];
  return [registry];
}

export interface KeychainOptions {
  env?: NodeJS.ProcessEnv;
  /** Runs `docker-credential-<helper> get`; replaceable in tests. */
  runHelper?: (helper: string, serverUrl: string, env: NodeJS.ProcessEnv) => Promise<string>;
}

function defaultRunHelper(helper: string, serverUrl: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      `docker-credential-${helper}`,
      ["get"],
      { env, timeout: 30_000, maxBuffer: 1024 * 1024 },
      (err, stdout) => {
        if (err) {
          const e = err as NodeJS.ErrnoException;
          if (e.code === "ENOENT")
            reject(new CliError(`credential helper docker-credential-${helper} not found in PATH`));
          // The helper's own output may echo the server, never the secret; keep only the first line.
          else resolve(`ERROR:${stdout.split("\n", 1)[0] ?? ""}`);
          return;
        }
        resolve(stdout);
      },
    );
    child.stdin?.end(serverUrl);
  });
}

async function readJson(file: string): Promise<DockerConfig | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as DockerConfig;
  } catch {
    throw new CliError(`cannot parse the Docker config file ${file}: invalid JSON`);
  }
}

/** Candidate config files in docker's order, then podman's. */
export function configFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const files: string[] = [];
  if (env.DOCKER_CONFIG) files.push(path.join(env.DOCKER_CONFIG, "config.json"));
  else files.push(path.join(env.HOME || os.homedir(), ".docker", "config.json"));
  if (env.REGISTRY_AUTH_FILE) files.push(env.REGISTRY_AUTH_FILE);
  if (env.XDG_RUNTIME_DIR) files.push(path.join(env.XDG_RUNTIME_DIR, "containers", "auth.json"));
  return files;
}

async function fromHelper(helper: string, registry: string, opts: KeychainOptions): Promise<Credentials | undefined> {
  const env = opts.env ?? process.env;
  const run = opts.runHelper ?? defaultRunHelper;
  const server = registry === DEFAULT_REGISTRY ? "https://index.docker.io/v1/" : registry;
  const out = await run(helper, server, env);
  if (out.startsWith("ERROR:")) return undefined; // "credentials not found in native keychain"
  let parsed: { Username?: string; Secret?: string };
  try {
    parsed = JSON.parse(out) as { Username?: string; Secret?: string };
  } catch {
    throw new CliError(`credential helper docker-credential-${helper} returned an invalid response`);
  }
  if (!parsed.Secret) return undefined;
  if (parsed.Username === "<token>") return { identityToken: parsed.Secret };
  return { username: parsed.Username ?? "", password: parsed.Secret };
}

function fromEntry(entry: DockerAuthEntry): Credentials | undefined {
  const c: Credentials = {};
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) throw new CliError("invalid auth configuration in the Docker config file");
    c.username = decoded.slice(0, colon);
    c.password = decoded.slice(colon + 1);
  } else if (entry.username || entry.password) {
    c.username = entry.username ?? "";
    c.password = entry.password ?? "";
  }
  if (entry.identitytoken) c.identityToken = entry.identitytoken;
  if (entry.registrytoken) c.registryToken = entry.registrytoken;
  return hasCredentials(c) ? c : undefined;
}

/** Resolves credentials for a registry from the Docker config (anonymous when none). */
export async function resolveKeychain(registry: string, opts: KeychainOptions = {}): Promise<Credentials | undefined> {
  const env = opts.env ?? process.env;
  for (const file of configFiles(env)) {
    const cfg = await readJson(file);
    if (!cfg) continue;
    const keys = configKeys(registry);
    for (const key of keys) {
      const helper = cfg.credHelpers?.[key];
      if (helper) return fromHelper(helper, registry, opts);
    }
    if (cfg.credsStore) {
      const c = await fromHelper(cfg.credsStore, registry, opts);
      if (c) return c;
    }
    for (const [key, entry] of Object.entries(cfg.auths ?? {})) {
      if (keys.includes(hostOf(key)) || keys.includes(key)) {
        const c = fromEntry(entry);
        if (c) return c;
      }
    }
    // Docker's behaviour: the first config file found is authoritative.
    return undefined;
  }
  return undefined;
}
