// The CLI side of the OCI engine: turns parsed flags into options, resolves
// credentials, calls the artifact operations and prints upstream's messages.
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Deps } from "../deps.js";
import { CliError } from "../errors.js";
import { DATA_FORMATS, parseOutputFormat, printStructured, printTable } from "../output/printers.js";
import { parseCreds, resolveKeychain, type Credentials } from "./auth.js";
import { buildArtifact, saveStdinToFile, writeFileAtomic } from "./build.js";
import { DEFAULT_IGNORE_PATHS } from "./constants.js";
import { parseArtifactUrl, parseRepositoryUrl, isValidTag, type Reference } from "./reference.js";
import { RegistryError } from "./registry.js";
import {
  type ClientSettings,
  type Metadata,
  parseAnnotations,
  pushArtifact,
  pullArtifact,
  tagArtifact,
  listArtifacts,
  diffArtifact,
} from "./artifact.js";

/** How to reach the registry: --provider, --creds, --insecure-registry. */
export interface RegistryOptions {
  provider: string;
  creds: string;
  insecureRegistry: boolean;
}

export interface BuildArtifactOptions {
  path: string;
  output: string;
  /** undefined: the default exclusions. */
  ignorePaths: string[] | undefined;
  resolveSymlinks: boolean;
}

export interface PushArtifactOptions extends RegistryOptions {
  url: string | undefined;
  path: string;
  source: string;
  revision: string;
  annotations: string[];
  output: string;
  debug: boolean;
  reproducible: boolean;
  ignorePaths: string[] | undefined;
  resolveSymlinks: boolean;
}

export interface PullArtifactOptions extends RegistryOptions {
  url: string | undefined;
  output: string;
}

export interface TagArtifactOptions extends RegistryOptions {
  url: string | undefined;
  tag: string[];
}

export interface ListArtifactsOptions extends RegistryOptions {
  url: string | undefined;
  output: string;
  filterSemver: string;
  filterRegex: string;
}

export interface DiffArtifactOptions extends RegistryOptions {
  url: string | undefined;
  path: string;
  ignorePaths: string[] | undefined;
}

function wrap(prefix: string, err: unknown): never {
  if (err instanceof RegistryError) throw new CliError(prefix ? `${prefix}: ${err.message}` : err.message);
  throw err;
}

/** Credentials from --creds / --provider, else the Docker config. */
async function settings(ref: Reference, opts: RegistryOptions, deps: Deps, debug = false): Promise<ClientSettings> {
  const provider = opts.provider || "generic";
  let credentials: Credentials | undefined;
  if (provider === "generic" && opts.creds !== "") {
    deps.logger.action("logging in to registry with credentials");
    credentials = parseCreds(opts.creds);
  } else if (provider !== "generic") {
    // Upstream links the cloud SDKs in; tsflux relies on the provider's Docker
    // credential helper (docker-credential-ecr-login, -gcloud, -acr-env, ...).
    deps.logger.action("logging in to registry with provider credentials");
    credentials = await resolveKeychain(ref.registry);
    if (!credentials) {
      const helper = { aws: "ecr-login", gcp: "gcloud", azure: "acr-env" }[provider] ?? provider;
      throw new CliError(
        `error during login with provider: no ${provider} credentials for ${ref.registry}: configure the docker-credential-${helper} helper in the Docker config, or use --creds`,
      );
    }
  } else {
    credentials = await resolveKeychain(ref.registry);
  }
  const timeoutMs = deps.globals.timeoutMs;
  const trace = (line: string) => deps.logger.debug(line);
  return {
    credentials,
    insecure: opts.insecureRegistry,
    signal: timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined,
    debug: debug ? (line: string) => deps.io.stderr.write(`${line}\n`) : trace,
  };
}

function ignorePaths(opts: { ignorePaths: string[] | undefined }): string[] {
  return opts.ignorePaths ?? [...DEFAULT_IGNORE_PATHS];
}

async function withStdinPath<T>(p: string, deps: Deps, fn: (p: string) => Promise<T>): Promise<T> {
  if (p !== "-") return fn(p);
  const dir = await mkdtemp(path.join(os.tmpdir(), "tsflux-stdin-"));
  try {
    return await fn(await saveStdinToFile(deps.io.stdin, dir));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function runBuildArtifact(opts: BuildArtifactOptions, deps: Deps): Promise<void> {
  const p = opts.path;
  if (p === "") throw new CliError(`invalid path ""`);
  const output = opts.output || "artifact.tgz";
  await withStdinPath(p, deps, async (src) => {
    try {
      await stat(src);
    } catch {
      throw new CliError(`invalid path '${src}', must point to an existing directory or file`);
    }
    deps.logger.action(`building artifact from ${src}`);
    try {
      const built = await buildArtifact(src, {
        ignorePaths: ignorePaths(opts),
        resolveSymlinks: opts.resolveSymlinks,
      });
      await writeFileAtomic(output, built.data);
    } catch (err) {
      if (err instanceof CliError) throw err;
      throw new CliError(`building artifact failed, error: ${(err as Error).message}`);
    }
    deps.logger.success(`artifact created at ${output}`);
  });
}

export async function runPushArtifact(opts: PushArtifactOptions, deps: Deps): Promise<void> {
  if (opts.url === undefined) throw new CliError("artifact URL is required");
  if (opts.source === "") throw new CliError("--source is required");
  if (opts.revision === "") throw new CliError("--revision is required");
  const p = opts.path;
  if (p === "") throw new CliError(`invalid path ""`);
  // upstream prints its ✔ line for an unknown -o; tsflux rejects it before pushing
  const output = parseOutputFormat(opts.output, DATA_FORMATS, "status");
  const { url, ref } = parseArtifactUrl(opts.url);
  if (ref.digest) throw new CliError(`artifact tag parsing failed: '${url}' has a digest; push needs a tag`);
  await withStdinPath(p, deps, async (src) => {
    try {
      await stat(src);
    } catch (err) {
      throw new CliError(
        `invalid path '${src}', must point to an existing directory or file: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (err as Error).message}`,
      );
    }
    let annotations: Record<string, string>;
    try {
      annotations = parseAnnotations(opts.annotations);
    } catch (err) {
      throw new CliError((err as Error).message);
    }
    const s = await settings(ref, opts, deps, opts.debug);
    if (output === "status") deps.logger.action(`pushing artifact to ${url}`);
    const res = await pushArtifact(ref, src, {
      ...s,
      source: opts.source,
      revision: opts.revision,
      annotations,
      reproducible: opts.reproducible,
      ignorePaths: ignorePaths(opts),
      resolveSymlinks: opts.resolveSymlinks,
    }).catch((err: unknown) => wrap("pushing artifact failed", err));
    const info = { url: `oci://${res.digestUrl}`, repository: res.repository, tag: res.tag, digest: res.digest };
    if (output === "status") deps.logger.success(`artifact successfully pushed to ${res.digestUrl}`);
    else deps.io.stdout.write(printStructured(info, output));
  });
}

export async function runPullArtifact(opts: PullArtifactOptions, deps: Deps): Promise<void> {
  if (opts.url === undefined) throw new CliError("artifact URL is required");
  const out = opts.output;
  if (out === "") throw new CliError("invalid output path ");
  try {
    if (!(await stat(out)).isDirectory()) throw new Error("not a dir");
  } catch {
    throw new CliError(`invalid output path ${out}`);
  }
  const { url, ref } = parseArtifactUrl(opts.url);
  const s = await settings(ref, opts, deps);
  deps.logger.action(`pulling artifact from ${url}`);
  const meta = await pullArtifact(ref, url, out, s).catch((err: unknown) => wrap("", err));
  for (const skipped of meta.skipped) deps.logger.warning(`skipped link ${skipped}`);
  deps.logger.success(`source ${meta.source_url ?? ""}`);
  deps.logger.success(`revision ${meta.source_revision ?? ""}`);
  deps.logger.success(`digest ${meta.digest}`);
  deps.logger.success(`artifact content extracted to ${out}`);
}

export async function runTagArtifact(opts: TagArtifactOptions, deps: Deps): Promise<void> {
  if (opts.url === undefined) throw new CliError("artifact name is required");
  const tags = opts.tag;
  if (tags.length < 1) throw new CliError("--tag is required");
  const { ref } = parseArtifactUrl(opts.url);
  for (const t of tags) if (!isValidTag(t)) throw new CliError(`tagging artifact failed: invalid tag '${t}'`);
  const s = await settings(ref, opts, deps);
  deps.logger.action("tagging artifact");
  for (const t of tags) {
    const [img] = await tagArtifact(ref, [t], s).catch((err: unknown) => wrap("tagging artifact failed", err));
    deps.logger.success(`artifact tagged as ${img}`);
  }
}

export async function runListArtifacts(opts: ListArtifactsOptions, deps: Deps): Promise<void> {
  if (opts.url === undefined) throw new CliError("artifact repository URL is required");
  const output = parseOutputFormat(opts.output, DATA_FORMATS, "table");
  const { url, ref } = parseRepositoryUrl(opts.url);
  const s = await settings(ref, opts, deps);
  const metas: Metadata[] = await listArtifacts(ref, url, {
    ...s,
    semverFilter: opts.filterSemver || undefined,
    regexFilter: opts.filterRegex || undefined,
  }).catch((err: unknown) => wrap("", err));
  if (output === "table") {
    const rows = metas.map((m) => [m.url, m.digest, m.source_url ?? "", m.source_revision ?? ""]);
    deps.io.stdout.write(printTable(["artifact", "digest", "source", "revision"], rows));
  } else deps.io.stdout.write(printStructured(metas, output));
}

export async function runDiffArtifact(opts: DiffArtifactOptions, deps: Deps): Promise<void> {
  if (opts.url === undefined) throw new CliError("artifact URL is required");
  const p = opts.path;
  if (p === "") throw new CliError(`invalid path ""`);
  const { ref } = parseArtifactUrl(opts.url);
  try {
    await stat(p);
  } catch {
    throw new CliError(`invalid path '${p}', must point to an existing directory or file`);
  }
  const s = await settings(ref, opts, deps);
  const res = await diffArtifact(ref, p, { ...s, ignorePaths: ignorePaths(opts) }).catch((err: unknown) =>
    wrap("", err),
  );
  if (!res.equal) {
    for (const c of res.changes) deps.logger.debug(c);
    throw new CliError("the remote artifact contents differs from the local one");
  }
  deps.logger.success("no changes detected");
}
