// Turns a parsed command into the engine's dependencies: global flags, a logger and
// the streams. Commands get these instead of reaching for process.* so they run in
// tests without a terminal.
import type { Command } from "commander";
import { DEFAULT_NAMESPACE, type Deps, type GlobalOptions, type IO } from "../deps.js";
import { CliError } from "../errors.js";
import { createLogger } from "../output/logger.js";
import { parseDuration } from "../util/duration.js";
import { fdWriter } from "./stdio.js";

export { DEFAULT_NAMESPACE, defaultKubeCacheDir, type Deps, type GlobalOptions, type IO } from "../deps.js";

/** validation.IsDNS1123Label */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The global flags as a command sees them. Like cobra, a flag the command declares
 * itself shadows the global flag of the same name (`create secret receiver --token`
 * is the webhook token, not the API server's).
 */
export function globalsFrom(cmd: Command, opts: { preRun?: boolean | undefined } = {}): GlobalOptions {
  const own = new Set(cmd.parent ? cmd.options.map((opt) => opt.attributeName()) : []);
  const o: Record<string, unknown> = Object.fromEntries(
    Object.entries(cmd.optsWithGlobals()).filter(([name]) => !own.has(name)),
  );
  const root = rootOf(cmd);
  const namespaceSet =
    root.getOptionValueSource("namespace") === "cli" || root.getOptionValueSource("namespace") === "env";
  return globalsFromValues(o, namespaceSet, opts);
}

/**
 * The global flags from their parsed values (`o`: the root's and the groups' flags,
 * without the command's own); `namespaceSet` when --namespace or its variable was given.
 */
export function globalsFromValues(
  o: Record<string, unknown>,
  namespaceSet: boolean,
  opts: { preRun?: boolean | undefined } = {},
): GlobalOptions {
  const ns = (o.namespace as string | undefined) ?? DEFAULT_NAMESPACE;
  // upstream's root PersistentPreRunE checks the namespace before any command runs
  // (plugin commands replace it with a no-op: preRun false)
  if (opts.preRun !== false && (!DNS1123_LABEL.test(ns) || ns.length > 63)) {
    throw new CliError(`namespace must be a valid DNS label: ${JSON.stringify(ns)}`);
  }
  const timeout = (o.timeout as string | undefined) ?? "5m0s";
  return {
    kubeconfig: o.kubeconfig as string | undefined,
    context: o.context as string | undefined,
    cluster: o.cluster as string | undefined,
    user: o.user as string | undefined,
    server: o.server as string | undefined,
    token: o.token as string | undefined,
    as: o.as as string | undefined,
    asGroup: o.asGroup as string[] | undefined,
    asUid: o.asUid as string | undefined,
    asUserExtra: o.asUserExtra as string[] | undefined,
    certificateAuthority: o.certificateAuthority as string | undefined,
    clientCertificate: o.clientCertificate as string | undefined,
    clientKey: o.clientKey as string | undefined,
    tlsServerName: o.tlsServerName as string | undefined,
    disableCompression: Boolean(o.disableCompression),
    kubeApiQps: o.kubeApiQps as number | undefined,
    kubeApiBurst: o.kubeApiBurst as number | undefined,
    cacheDir: o.cacheDir as string | undefined,
    insecureSkipTlsVerify: Boolean(o.insecureSkipTlsVerify),
    namespace: ns,
    timeout,
    timeoutMs: parseDuration(timeout),
    verbose: Boolean(o.verbose),
    nsFollowsKubeContext: Boolean(o.nsFollowsKubeContext),
    namespaceSet,
  };
}

export function rootOf(cmd: Command): Command {
  let c = cmd;
  while (c.parent) c = c.parent;
  return c;
}

/**
 * The process's streams: stdout and stderr written to their descriptors (src/cli/stdio.ts),
 * stdin created on first use (process.stdin alone costs milliseconds at start-up).
 */
export function processIO(): IO {
  const stdout = fdWriter(1);
  const stderr = fdWriter(2);
  return {
    stdout,
    stderr,
    get stdin() {
      return process.stdin;
    },
  };
}

export function depsFrom(cmd: Command, io: IO = processIO(), opts: { preRun?: boolean | undefined } = {}): Deps {
  const globals = globalsFrom(cmd, opts);
  return { globals, io, logger: createLogger({ stream: io.stderr, verbose: globals.verbose }) };
}
