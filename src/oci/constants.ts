// Media types, annotations and defaults of Flux OCI artifacts (fluxcd/pkg/oci),
// so that what tsflux pushes is what source-controller expects, and back.

export const OCI_PREFIX = "oci://";

export const MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
export const INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";
export const DOCKER_MANIFEST_MEDIA_TYPE = "application/vnd.docker.distribution.manifest.v2+json";
export const DOCKER_MANIFEST_LIST_MEDIA_TYPE = "application/vnd.docker.distribution.manifest.list.v2+json";

/** Config media type of a Flux artifact. */
export const CONFIG_MEDIA_TYPE = "application/vnd.cncf.flux.config.v1+json";
/** Content (layer) media type of a Flux artifact: a gzipped tarball. */
export const CONTENT_MEDIA_TYPE = "application/vnd.cncf.flux.content.v1.tar+gzip";

export const SOURCE_ANNOTATION = "org.opencontainers.image.source";
export const REVISION_ANNOTATION = "org.opencontainers.image.revision";
export const CREATED_ANNOTATION = "org.opencontainers.image.created";

/** The created timestamp of --reproducible pushes. */
export const REPRODUCIBLE_CREATED = "1970-01-01T00:00:00Z";

/** sourceignore.ExcludeVCS + sourceignore.ExcludeExt: the default of --ignore-paths. */
export const EXCLUDE_VCS = [".git/", ".gitignore", ".gitmodules", ".gitattributes"];
export const EXCLUDE_EXT = ["*.jpg", "*.jpeg", "*.gif", "*.png", "*.wmv", "*.flv", "*.tar.gz", "*.zip"];
export const DEFAULT_IGNORE_PATHS: readonly string[] = [...EXCLUDE_VCS, ...EXCLUDE_EXT];

/** The ignore file read from every directory of the source. */
export const IGNORE_FILE = ".sourceignore";

export const USER_AGENT = "flux/v2";

/** Providers accepted by --provider (only generic logs in without a cloud SDK). */
export const OCI_PROVIDERS = ["generic", "aws", "azure", "gcp"] as const;
export type OciProvider = (typeof OCI_PROVIDERS)[number];

/** Upper bound of a manifest body (the distribution spec suggests 4 MiB). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** Default upper bound of the extracted content of a pulled artifact. */
export const DEFAULT_MAX_UNTAR_BYTES = 512 * 1024 * 1024;
