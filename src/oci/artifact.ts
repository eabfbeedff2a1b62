// Flux OCI artifact operations over RegistryClient: push (config + content layer +
// annotated OCI manifest), pull (verify, then extract safely), tag, list and diff.
// Each takes options and returns data; printing is the caller's business.
import { createHash } from "node:crypto";
import type { Credentials } from "./auth.js";
import { buildArtifact, type BuildOptions } from "./build.js";
import {
  CONFIG_MEDIA_TYPE,
  CONTENT_MEDIA_TYPE,
  CREATED_ANNOTATION,
  DEFAULT_MAX_UNTAR_BYTES,
  DOCKER_MANIFEST_MEDIA_TYPE,
  MANIFEST_MEDIA_TYPE,
  REPRODUCIBLE_CREATED,
  REVISION_ANNOTATION,
  SOURCE_ANNOTATION,
} from "./constants.js";
import { extractTarGz } from "./extract.js";
import { identifier, repositoryName, type Reference } from "./reference.js";
import { RegistryClient, RegistryError, sha256 } from "./registry.js";
import { gunzipLimited, readTar } from "./tar.js";
import { parseConstraint, parseVersion } from "./semver.js";

export interface Descriptor {
  mediaType: string;
  size: number;
  digest: string;
  annotations?: Record<string, string>;
}

export interface Manifest {
  schemaVersion: number;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export interface Metadata {
  created?: string;
  source_url?: string;
  source_revision?: string;
  digest: string;
  url: string;
  annotations?: Record<string, string>;
}

export interface ClientSettings {
  credentials?: Credentials | undefined;
  insecure?: boolean | undefined;
  ca?: string | Buffer | Array<string | Buffer> | undefined;
  signal?: AbortSignal | undefined;
  debug?: ((line: string) => void) | undefined;
}

export function clientFor(ref: Pick<Reference, "registry">, s: ClientSettings): RegistryClient {
  return new RegistryClient({
    registry: ref.registry,
    credentials: s.credentials,
    insecure: s.insecure,
    ca: s.ca,
    signal: s.signal,
    debug: s.debug,
  });
}

/** JSON as Go's encoding/json writes it (HTML-safe escapes), so digests match upstream's. */
export function goJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function sortedRecord(r: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = v;
  return out;
}

/** Go's time.Now().UTC().Format(time.RFC3339). */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The image config go-containerregistry writes for an empty image plus one layer. */
export function artifactConfig(diffId: string): Buffer {
  return Buffer.from(
    goJson({
      architecture: "",
      created: "0001-01-01T00:00:00Z",
      history: [{ created: "0001-01-01T00:00:00Z" }],
      os: "",
      rootfs: { type: "layers", diff_ids: [diffId] },
      config: {},
    }),
  );
}

/** The OCI manifest of a Flux artifact, as go-containerregistry writes it for upstream. */
export function artifactManifest(
  config: Buffer,
  layer: { size: number; digest: string },
  annotations: Record<string, string>,
): Manifest {
  return {
    schemaVersion: 2,
    mediaType: MANIFEST_MEDIA_TYPE,
    config: { mediaType: CONFIG_MEDIA_TYPE, size: config.length, digest: sha256(config) },
    layers: [{ mediaType: CONTENT_MEDIA_TYPE, size: layer.size, digest: layer.digest }],
    annotations: sortedRecord(annotations),
  };
}

/** Parses `key=value` annotations with upstream's rule (exactly one `=`). */
export function parseAnnotations(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of list) {
    const [key, value, ...rest] = a.split("=");
    if (key === undefined || value === undefined || rest.length > 0)
      throw new RegistryError(`invalid annotation ${a}, must be in the format key=value`);
    out[key] = value;
  }
  return out;
}

export interface PushOptions extends ClientSettings, BuildOptions {
  source: string;
  revision: string;
  annotations?: Record<string, string>;
  /** Use 1970-01-01T00:00:00Z as the created annotation. */
  reproducible?: boolean;
  /** Override the created time (RFC 3339). */
  created?: string;
  now?: () => Date;
}

export interface PushResult {
  /** registry/repo@sha256:... */
  digestUrl: string;
  repository: string;
  tag: string;
  digest: string;
  manifest: Manifest;
  layerDigest: string;
}

export async function pushArtifact(ref: Reference, sourcePath: string, opts: PushOptions): Promise<PushResult> {
  const built = await buildArtifact(sourcePath, opts);
  const config = artifactConfig(built.diffId);
  const created =
    opts.created ?? (opts.reproducible ? REPRODUCIBLE_CREATED : rfc3339((opts.now ?? (() => new Date()))()));
  const annotations = sortedRecord({
    [CREATED_ANNOTATION]: created,
    [SOURCE_ANNOTATION]: opts.source,
    [REVISION_ANNOTATION]: opts.revision,
    ...(opts.annotations ?? {}),
  });
  const manifest = artifactManifest(config, { size: built.data.length, digest: built.digest }, annotations);
  const body = Buffer.from(goJson(manifest));
  const client = clientFor(ref, opts);
  try {
    await client.uploadBlob(ref.repository, config);
    await client.uploadBlob(ref.repository, built.data, built.digest);
    const tag = ref.tag ?? "latest";
    await client.putManifest(ref.repository, ref.digest ?? tag, body, MANIFEST_MEDIA_TYPE);
    const digest = sha256(body);
    return {
      digestUrl: `${repositoryName(ref)}@${digest}`,
      repository: repositoryName(ref),
      tag,
      digest,
      manifest,
      layerDigest: built.digest,
    };
  } finally {
    client.close();
  }
}

function parseManifest(body: Buffer, mediaType: string, where: string): Manifest {
  let m: Manifest & { manifests?: unknown };
  try {
    m = JSON.parse(body.toString("utf8")) as Manifest & { manifests?: unknown };
  } catch {
    throw new RegistryError(`parsing manifest of ${where} failed: invalid JSON`);
  }
  const mt = m.mediaType ?? mediaType;
  if (m.manifests !== undefined || /index|list/.test(mt)) {
    throw new RegistryError(`${where} is an image index, not a Flux artifact (media type ${mt})`);
  }
  if (mt !== MANIFEST_MEDIA_TYPE && mt !== DOCKER_MANIFEST_MEDIA_TYPE && mt !== "") {
    throw new RegistryError(`${where} has an unsupported manifest media type ${mt}`);
  }
  if (!Array.isArray(m.layers)) throw new RegistryError(`parsing manifest of ${where} failed: no layers`);
  return m;
}

export interface FetchedManifest {
  manifest: Manifest;
  digest: string;
  body: Buffer;
  mediaType: string;
}

export async function fetchManifest(client: RegistryClient, ref: Reference): Promise<FetchedManifest> {
  const where = ref.digest ? `${repositoryName(ref)}@${ref.digest}` : `${repositoryName(ref)}:${ref.tag}`;
  const got = await client.getManifest(ref.repository, identifier(ref));
  return {
    manifest: parseManifest(got.body, got.mediaType, where),
    digest: got.digest,
    body: got.body,
    mediaType: got.mediaType,
  };
}

export function metadataFrom(manifest: Manifest, url: string, digest: string): Metadata {
  const a = manifest.annotations ?? {};
  const meta: Metadata = { digest, url };
  if (a[CREATED_ANNOTATION]) meta.created = a[CREATED_ANNOTATION];
  if (a[SOURCE_ANNOTATION]) meta.source_url = a[SOURCE_ANNOTATION];
  if (a[REVISION_ANNOTATION]) meta.source_revision = a[REVISION_ANNOTATION];
  if (Object.keys(a).length > 0) meta.annotations = sortedRecord(a);
  return meta;
}

export interface PullOptions extends ClientSettings {
  maxBytes?: number;
  layerIndex?: number;
}

export interface PullResult extends Metadata {
  files: number;
  skipped: string[];
}

export async function pullArtifact(
  ref: Reference,
  url: string,
  outDir: string,
  opts: PullOptions = {},
): Promise<PullResult> {
  const client = clientFor(ref, opts);
  try {
    const { manifest, digest } = await fetchManifest(client, ref);
    const meta = metadataFrom(manifest, url, `${repositoryName(ref)}@${digest}`);
    const index = opts.layerIndex ?? 0;
    if (manifest.layers.length < 1) throw new RegistryError("no layers found in artifact");
    const layer = manifest.layers[index];
    if (layer === undefined)
      throw new RegistryError(`index '${index}' out of bound for '${manifest.layers.length}' layers in artifact`);
    const maxBytes = opts.maxBytes ?? DEFAULT_MAX_UNTAR_BYTES;
    if (layer.size > maxBytes)
      throw new RegistryError(`layer ${layer.digest} is bigger than the max size of ${maxBytes} bytes`);
    const blob = await client.getBlob(ref.repository, layer.digest, layer.size);
    if (blob[0] !== 0x1f || blob[1] !== 0x8b)
      throw new RegistryError(`layer ${layer.digest} is not a gzipped tarball (media type ${layer.mediaType})`);
    const { files, skipped } = await extractTarGz(blob, outDir, { maxBytes });
    return { ...meta, files, skipped };
  } finally {
    client.close();
  }
}

/** Adds tags to the manifest of ref; returns the new references. */
export async function tagArtifact(
  ref: Reference,
  tags: readonly string[],
  opts: ClientSettings = {},
): Promise<string[]> {
  const client = clientFor(ref, opts);
  try {
    const got = await client.getManifest(ref.repository, identifier(ref));
    const out: string[] = [];
    for (const tag of tags) {
      await client.putManifest(ref.repository, tag, got.body, got.mediaType);
      out.push(`${repositoryName(ref)}:${tag}`);
    }
    return out;
  } finally {
    client.close();
  }
}

export interface ListOptions extends ClientSettings {
  semverFilter?: string | undefined;
  regexFilter?: string | undefined;
  includeCosignArtifacts?: boolean;
}

export function isCosignArtifact(tag: string): boolean {
  return [".att", ".sbom", ".sig"].some((s) => tag.endsWith(s));
}

/** Tags (descending) with digest and source metadata, filtered as upstream. */
export async function listArtifacts(ref: Reference, url: string, opts: ListOptions = {}): Promise<Metadata[]> {
  const constraint = opts.semverFilter ? parseConstraint(opts.semverFilter) : undefined;
  let re: RegExp | undefined;
  if (opts.regexFilter) {
    try {
      re = new RegExp(opts.regexFilter);
    } catch (err) {
      throw new RegistryError(`regex '${opts.regexFilter}' parse error: ${(err as Error).message}`);
    }
  }
  const client = clientFor(ref, opts);
  try {
    const tags = await client.listTags(ref.repository).catch((err: unknown) => {
      if (err instanceof RegistryError)
        throw new RegistryError(`listing tags failed: ${err.message}`, err.status, err.code);
      throw err;
    });
    tags.sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
    const selected = tags.filter((tag) => {
      if (!opts.includeCosignArtifacts && isCosignArtifact(tag)) return false;
      if (constraint) {
        const v = parseVersion(tag);
        if (!v || !constraint(v)) return false;
      }
      return !re || re.test(tag);
    });
    const fetchOne = async (tag: string): Promise<Metadata> => {
      const tagUrl = `${url}:${tag}`;
      const got = await client.getManifest(ref.repository, tag).catch((err: unknown) => {
        if (err instanceof RegistryError)
          throw new RegistryError(`fetching manifest failed: ${err.message}`, err.status, err.code);
        throw err;
      });
      let annotations: Record<string, string>;
      try {
        annotations =
          (JSON.parse(got.body.toString("utf8")) as { annotations?: Record<string, string> }).annotations ?? {};
      } catch {
        throw new RegistryError(`parsing manifest failed: ${tagUrl}`);
      }
      return metadataFrom(
        { schemaVersion: 2, config: { mediaType: "", size: 0, digest: "" }, layers: [], annotations },
        tagUrl,
        got.digest,
      );
    };
    // A few manifests at a time (the first request settles auth), results in tag order.
    const out: Metadata[] = new Array<Metadata>(selected.length);
    const [first] = selected;
    if (first !== undefined) out[0] = await fetchOne(first);
    let next = 1;
    const worker = async () => {
      for (let tag = selected[next]; tag !== undefined; tag = selected[next]) {
        const i = next++;
        out[i] = await fetchOne(tag);
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, Math.max(0, selected.length - 1)) }, worker));
    return out;
  } finally {
    client.close();
  }
}

export interface DiffOptions extends ClientSettings, BuildOptions {
  maxBytes?: number;
}

export interface DiffResult {
  equal: boolean;
  /** Paths that differ (added, removed or changed), when the contents differ. */
  changes: string[];
}

/**
 * Compares the remote artifact's content layer with the local path. Identical digests
 * mean no change; otherwise the tar contents are compared entry by entry, so an
 * artifact pushed by upstream flux (other gzip bytes) still compares equal.
 */
export async function diffArtifact(ref: Reference, localPath: string, opts: DiffOptions = {}): Promise<DiffResult> {
  const built = await buildArtifact(localPath, opts);
  const client = clientFor(ref, opts);
  try {
    const { manifest } = await fetchManifest(client, ref);
    const [layer] = manifest.layers;
    if (layer === undefined) throw new RegistryError("no layers found in artifact");
    if (layer.digest === built.digest && layer.size === built.data.length) return { equal: true, changes: [] };
    const maxBytes = opts.maxBytes ?? DEFAULT_MAX_UNTAR_BYTES;
    if (layer.size > maxBytes)
      throw new RegistryError(`layer ${layer.digest} is bigger than the max size of ${maxBytes} bytes`);
    const blob = await client.getBlob(ref.repository, layer.digest, layer.size);
    const remote = indexTar(gunzipLimited(blob, maxBytes));
    const local = indexTar(gunzipLimited(built.data, maxBytes));
    const changes: string[] = [];
    for (const [name, r] of remote) {
      const l = local.get(name);
      if (!l) changes.push(`- ${name}`);
      else if (l !== r) changes.push(`~ ${name}`);
    }
    for (const name of local.keys()) if (!remote.has(name)) changes.push(`+ ${name}`);
    return { equal: changes.length === 0, changes };
  } finally {
    client.close();
  }
}

function indexTar(tar: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readTar(tar)) {
    const name = e.name.replace(/^\.\//, "").replace(/\/$/, "") || ".";
    if (name === ".") continue;
    const h = createHash("sha256").update(e.data).digest("hex");
    out.set(name, `${e.type}:${(e.mode & 0o7777).toString(8)}:${h}:${e.linkname}`);
  }
  return out;
}
