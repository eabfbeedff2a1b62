// What every command receives: parsed global flags, a logger and the output streams.
// Commands get this object instead of reaching for process.* so they run in tests
// without a terminal.
import type { Command } from "commander";
import { createLogger, type Logger, type Writable } from "../output/logger.js";
import { parseDuration } from "../util/duration.js";

export interface GlobalOptions {
  kubeconfig?: string;
  context?: string;
  cluster?: string;
  user?: string;
  server?: string;
  token?: string;
  as?: string;
  asGroup?: string[];
  certificateAuthority?: string;
  insecureSkipTlsVerify: boolean;
  namespace: string;
  /** The --timeout flag as given (Go duration text). */
  timeout: string;
  /** The --timeout flag in milliseconds. */
  timeoutMs: number;
  verbose: boolean;
  nsFollowsKubeContext: boolean;
  /** True when -n/--namespace was given explicitly on the command line. */
  namespaceSet: boolean;
}

export interface IO {
  stdout: Writable;
  stderr: Writable;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export interface CommandContext {
  globals: GlobalOptions;
  logger: Logger;
  io: IO;
}

export const DEFAULT_NAMESPACE = "flux-system";

export function globalsFrom(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals();
  const timeout = (o.timeout as string | undefined) ?? "5m0s";
  const root = rootOf(cmd);
  const namespaceSet =
    root.getOptionValueSource("namespace") === "cli" || root.getOptionValueSource("namespace") === "env";
  return {
    kubeconfig: o.kubeconfig,
    context: o.context,
    cluster: o.cluster,
    user: o.user,
    server: o.server,
    token: o.token,
    as: o.as,
    asGroup: o.asGroup,
    certificateAuthority: o.certificateAuthority,
    insecureSkipTlsVerify: Boolean(o.insecureSkipTlsVerify),
    namespace: (o.namespace as string | undefined) ?? DEFAULT_NAMESPACE,
    timeout,
    timeoutMs: parseDuration(timeout),
    verbose: Boolean(o.verbose),
    nsFollowsKubeContext: Boolean(o.nsFollowsKubeContext),
    namespaceSet,
  };
}

function rootOf(cmd: Command): Command {
  let c = cmd;
  while (c.parent) c = c.parent;
  return c;
}

/** The process's streams, each created on first use (process.stdin alone costs milliseconds at start-up). */
export function processIO(): IO {
  return {
    get stdout() {
      return process.stdout;
    },
    get stderr() {
      return process.stderr;
    },
    get stdin() {
      return process.stdin;
    },
  };
}

export function contextFrom(cmd: Command, io: IO = processIO()): CommandContext {
  const globals = globalsFrom(cmd);
  return { globals, io, logger: createLogger({ stream: io.stderr, verbose: globals.verbose }) };
}
