// The CLI side of the OCI engine: turns parsed flags into options, resolves
// credentials, calls the artifact operations and prints upstream's messages.
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Run } from "../cli/action.js";
import type { CommandContext } from "../cli/context.js";
import { CliError } from "../errors.js";
import { toYaml } from "../yaml/printer.js";
import { parseCreds, resolveKeychain, type Credentials } from "./auth.js";
import { buildArtifact, saveStdinToFile, writeFileAtomic } from "./build.js";
import { DEFAULT_IGNORE_PATHS } from "./constants.js";
import { parseArtifactUrl, parseRepositoryUrl, isValidTag, type Reference } from "./reference.js";
import { RegistryError } from "./registry.js";
import type { ClientSettings, Metadata } from "./artifact.js";

type Opts = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const list = (v: unknown): string[] | undefined => (Array.isArray(v) ? (v as string[]) : undefined);

function wrap(prefix: string, err: unknown): never {
  if (err instanceof RegistryError) throw new CliError(prefix ? `${prefix}: ${err.message}` : err.message);
  throw err;
}

/** Credentials from --creds / --provider, else the Docker config. */
async function settings(ref: Reference, opts: Opts, ctx: CommandContext, debug = false): Promise<ClientSettings> {
  const provider = str(opts.provider) || "generic";
  let credentials: Credentials | undefined;
  if (provider === "generic" && str(opts.creds) !== "") {
    ctx.logger.action("logging in to registry with credentials");
    credentials = parseCreds(str(opts.creds));
  } else if (provider !== "generic") {
    // Upstream links the cloud SDKs in; tsflux relies on the provider's Docker
    // credential helper (docker-credential-ecr-login, -gcloud, -acr-env, ...).
    ctx.logger.action("logging in to registry with provider credentials");
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
  const timeoutMs = ctx.globals.timeoutMs;
  const trace = (line: string) => ctx.logger.debug(line);
  return {
    credentials,
    insecure: opts.insecureRegistry === true,
    signal: timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined,
    debug: debug ? (line: string) => ctx.io.stderr.write(`${line}\n`) : trace,
  };
}

function ignorePaths(opts: Opts): string[] {
  return list(opts.ignorePaths) ?? [...DEFAULT_IGNORE_PATHS];
}

async function withStdinPath<T>(p: string, ctx: CommandContext, fn: (p: string) => Promise<T>): Promise<T> {
  if (p !== "-") return fn(p);
  const dir = await mkdtemp(path.join(os.tmpdir(), "tsflux-stdin-"));
  try {
    return await fn(await saveStdinToFile(ctx.io.stdin, dir));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const runBuildArtifact: Run = async (_args, opts, ctx) => {
  const p = str(opts.path);
  if (p === "") throw new CliError(`invalid path ""`);
  const output = str(opts.output) || "artifact.tgz";
  await withStdinPath(p, ctx, async (src) => {
    try {
      await stat(src);
    } catch {
      throw new CliError(`invalid path '${src}', must point to an existing directory or file`);
    }
    ctx.logger.action(`building artifact from ${src}`);
    try {
      const built = await buildArtifact(src, {
        ignorePaths: ignorePaths(opts),
        resolveSymlinks: opts.resolveSymlinks === true,
      });
      await writeFileAtomic(output, built.data);
    } catch (err) {
      if (err instanceof CliError) throw err;
      throw new CliError(`building artifact failed, error: ${(err as Error).message}`);
    }
    ctx.logger.success(`artifact created at ${output}`);
  });
};

export const runPushArtifact: Run = async (args, opts, ctx) => {
  if (args.length < 1) throw new CliError("artifact URL is required");
  if (str(opts.source) === "") throw new CliError("--source is required");
  if (str(opts.revision) === "") throw new CliError("--revision is required");
  const p = str(opts.path);
  if (p === "") throw new CliError(`invalid path ""`);
  const { url, ref } = parseArtifactUrl(args[0]!);
  if (ref.digest) throw new CliError(`artifact tag parsing failed: '${url}' has a digest; push needs a tag`);
  const { parseAnnotations, pushArtifact } = await import("./artifact.js");
  await withStdinPath(p, ctx, async (src) => {
    try {
      await stat(src);
    } catch (err) {
      throw new CliError(
        `invalid path '${src}', must point to an existing directory or file: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (err as Error).message}`,
      );
    }
    let annotations: Record<string, string>;
    try {
      annotations = parseAnnotations(list(opts.annotations) ?? []);
    } catch (err) {
      throw new CliError((err as Error).message);
    }
    const s = await settings(ref, opts, ctx, opts.debug === true);
    const output = str(opts.output);
    if (output === "") ctx.logger.action(`pushing artifact to ${url}`);
    const res = await pushArtifact(ref, src, {
      ...s,
      source: str(opts.source),
      revision: str(opts.revision),
      annotations,
      reproducible: opts.reproducible === true,
      ignorePaths: ignorePaths(opts),
      resolveSymlinks: opts.resolveSymlinks === true,
    }).catch((err: unknown) => wrap("pushing artifact failed", err));
    const info = { url: `oci://${res.digestUrl}`, repository: res.repository, tag: res.tag, digest: res.digest };
    if (output === "json") ctx.io.stdout.write(JSON.stringify(info, null, 2) + "\n");
    else if (output === "yaml") ctx.io.stdout.write(toYaml(info));
    else ctx.logger.success(`artifact successfully pushed to ${res.digestUrl}`);
  });
};

export const runPullArtifact: Run = async (args, opts, ctx) => {
  if (args.length < 1) throw new CliError("artifact URL is required");
  const out = str(opts.output);
  if (out === "") throw new CliError("invalid output path ");
  try {
    if (!(await stat(out)).isDirectory()) throw new Error("not a dir");
  } catch {
    throw new CliError(`invalid output path ${out}`);
  }
  const { url, ref } = parseArtifactUrl(args[0]!);
  const s = await settings(ref, opts, ctx);
  ctx.logger.action(`pulling artifact from ${url}`);
  const { pullArtifact } = await import("./artifact.js");
  const meta = await pullArtifact(ref, url, out, s).catch((err: unknown) => wrap("", err));
  for (const skipped of meta.skipped) ctx.logger.warning(`skipped link ${skipped}`);
  ctx.logger.success(`source ${meta.source_url ?? ""}`);
  ctx.logger.success(`revision ${meta.source_revision ?? ""}`);
  ctx.logger.success(`digest ${meta.digest}`);
  ctx.logger.success(`artifact content extracted to ${out}`);
};

export const runTagArtifact: Run = async (args, opts, ctx) => {
  if (args.length < 1) throw new CliError("artifact name is required");
  const tags = list(opts.tag) ?? [];
  if (tags.length < 1) throw new CliError("--tag is required");
  const { ref } = parseArtifactUrl(args[0]!);
  for (const t of tags) if (!isValidTag(t)) throw new CliError(`tagging artifact failed: invalid tag '${t}'`);
  const s = await settings(ref, opts, ctx);
  ctx.logger.action("tagging artifact");
  const { tagArtifact } = await import("./artifact.js");
  for (const t of tags) {
    const [img] = await tagArtifact(ref, [t], s).catch((err: unknown) => wrap("tagging artifact failed", err));
    ctx.logger.success(`artifact tagged as ${img}`);
  }
};

export const runListArtifacts: Run = async (args, opts, ctx) => {
  if (args.length < 1) throw new CliError("artifact repository URL is required");
  const output = str(opts.output);
  if (output !== "" && output !== "json" && output !== "yaml")
    throw new CliError(`invalid output format '${output}', must be one of: json, yaml`);
  const { url, ref } = parseRepositoryUrl(args[0]!);
  const s = await settings(ref, opts, ctx);
  const { listArtifacts } = await import("./artifact.js");
  const metas: Metadata[] = await listArtifacts(ref, url, {
    ...s,
    semverFilter: str(opts.filterSemver) || undefined,
    regexFilter: str(opts.filterRegex) || undefined,
  }).catch((err: unknown) => wrap("", err));
  if (output === "json") {
    ctx.io.stdout.write(JSON.stringify(metas, null, 2) + "\n");
  } else if (output === "yaml") {
    ctx.io.stdout.write(toYaml(metas));
  } else {
    const rows = metas.map((m) => [m.url, m.digest, m.source_url ?? "", m.source_revision ?? ""]);
    const { renderTable } = await import("../output/table.js");
    ctx.io.stdout.write(renderTable(["artifact", "digest", "source", "revision"], rows));
  }
};

export const runDiffArtifact: Run = async (args, opts, ctx) => {
  if (args.length < 1) throw new CliError("artifact URL is required");
  const p = str(opts.path);
  if (p === "") throw new CliError(`invalid path ""`);
  const { ref } = parseArtifactUrl(args[0]!);
  try {
    await stat(p);
  } catch {
    throw new CliError(`invalid path '${p}', must point to an existing directory or file`);
  }
  const s = await settings(ref, opts, ctx);
  const { diffArtifact } = await import("./artifact.js");
  const res = await diffArtifact(ref, p, { ...s, ignorePaths: ignorePaths(opts) }).catch((err: unknown) =>
    wrap("", err),
  );
  if (!res.equal) {
    for (const c of res.changes) ctx.logger.debug(c);
    throw new CliError("the remote artifact contents differs from the local one");
  }
  ctx.logger.success("no changes detected");
};
