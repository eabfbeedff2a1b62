// The engine dependencies the in-process bootstrap tests hand to bootstrapGit and
// bootstrapWithProvider: the test cluster's kubeconfig, the namespace given with -n,
// upstream's --timeout=20s, a logger that keeps its lines, and a closed stdin (no prompt
// can wait on the test).
import { PassThrough } from "node:stream";
import type { Deps } from "../../src/deps.js";
import { createMemoryLogger } from "../../src/output/logger.js";

export function bootstrapDeps(
  kubeconfig: string,
  namespace: string,
  stdout: (text: string) => void = () => undefined,
): { ctx: Deps; logger: ReturnType<typeof createMemoryLogger> } {
  const logger = createMemoryLogger();
  const stdin = new PassThrough();
  stdin.end();
  const ctx: Deps = {
    globals: {
      kubeconfig,
      namespace,
      timeout: "20s",
      timeoutMs: 20_000,
      insecureSkipTlsVerify: false,
      verbose: false,
      nsFollowsKubeContext: false,
      namespaceSet: true,
    },
    logger,
    io: {
      stdout: {
        write: (text: string) => {
          stdout(text);
          return true;
        },
      },
      stderr: { write: () => true },
      stdin,
    },
  };
  return { ctx, logger };
}
