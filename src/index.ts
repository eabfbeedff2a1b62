// tsflux as a library: the engine behind the CLI, with types.
export { toYaml, toYamlDocuments } from "./yaml/printer.js";
export { parseDuration, parseDurationNs, formatDurationNs, canonicalDuration } from "./util/duration.js";
export { createLogger, createMemoryLogger, silentLogger, type Logger } from "./output/logger.js";
export { CliError } from "./errors.js";
export { CLI_VERSION, FLUX_VERSION, DEFAULT_DISTRIBUTION_VERSION } from "./version.js";
