// What every engine entry receives besides its typed options: the cluster connection
// settings from the global flags, a logger and the streams. Engines take these as
// arguments (never process.* or the CLI), so tests run them in-process.
import { homedir } from "node:os";
import { join } from "node:path";
import type { Logger, Writable } from "./output/logger.js";

/** The global flags: kubeconfig selection, impersonation, namespace, timeout. */
export interface GlobalOptions {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  cluster?: string | undefined;
  user?: string | undefined;
  server?: string | undefined;
  token?: string | undefined;
  as?: string | undefined;
  asGroup?: string[] | undefined;
  asUid?: string | undefined;
  /** --as-user-extra key=value, repeatable. */
  asUserExtra?: string[] | undefined;
  certificateAuthority?: string | undefined;
  clientCertificate?: string | undefined;
  clientKey?: string | undefined;
  tlsServerName?: string | undefined;
  /** No `Accept-Encoding: gzip` on API requests. */
  disableCompression?: boolean | undefined;
  /** Client-side rate limit of API requests (client-go's token bucket); QPS < 0 means none. */
  kubeApiQps?: number | undefined;
  kubeApiBurst?: number | undefined;
  /** Where discovery answers are cached on disk (kubectl's layout). */
  cacheDir?: string | undefined;
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

/** The dependencies of an engine entry `run<Command>(options, deps)`. */
export interface Deps {
  globals: GlobalOptions;
  logger: Logger;
  io: IO;
}

/** An engine entry: typed options in, output on deps' streams, errors thrown as CliError. */
export type Engine<O> = (options: O, deps: Deps) => Promise<void>;

export const DEFAULT_NAMESPACE = "flux-system";

/** kubectl's --cache-dir default: $KUBECACHEDIR, else ~/.kube/cache. */
export function defaultKubeCacheDir(): string {
  // os.homedir() answers $HOME when it is set; read here, it spares every command line loading node:os.
  return process.env.KUBECACHEDIR || join(process.env.HOME || homedir(), ".kube", "cache");
}
