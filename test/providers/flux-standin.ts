// Stand-ins for the Flux controllers (and the Deployment controller) during bootstrap
// integration tests: once the sync objects exist, write the status source-controller
// and kustomize-controller would write for the head of the branch on the git server.
import type { KubeConfig } from "@kubernetes/client-node";
import {
  fluxRef,
  setArtifact,
  setReadyCondition,
  tryGetObject,
  updateStatus,
  withCondition,
  type Condition,
} from "../env/helpers.js";
import { markDeploymentReady } from "../fixtures/install/bundle.js";

export interface StandInOptions {
  kc: KubeConfig;
  namespace: string;
  /** The commit the branch points at on the git server. */
  headOf: (branch: string) => string | undefined;
  components?: string[];
}

/** Runs until the signal aborts. */
export async function runFluxStandIn(o: StandInOptions, signal: AbortSignal): Promise<void> {
  const ns = o.namespace;
  const ready = new Set<string>();
  while (!signal.aborted) {
    try {
      for (const name of o.components ?? []) {
        if (ready.has(name)) continue;
        try {
          await markDeploymentReady(o.kc, ns, name);
          ready.add(name);
        } catch {
          /* not created yet */
        }
      }
      const repoRef = fluxRef("GitRepository", ns, ns);
      const repo = await tryGetObject(o.kc, repoRef);
      if (repo) {
        const branch = (repo.spec as { ref?: { branch?: string } }).ref?.branch ?? "main";
        const head = o.headOf(branch);
        const artifact = (repo.status as { artifact?: { revision?: string } } | undefined)?.artifact;
        const revision = head ? `${branch}@sha1:${head}` : undefined;
        if (
          revision &&
          (artifact?.revision !== revision || repo.status?.observedGeneration !== repo.metadata.generation)
        ) {
          await setArtifact(o.kc, repoRef, revision);
          await setReadyCondition(o.kc, repoRef, true, "Succeeded", `stored artifact for revision '${revision}'`);
        }
        const ksRef = fluxRef("Kustomization", ns, ns);
        const ks = await tryGetObject(o.kc, ksRef);
        const st = ks?.status as { lastAttemptedRevision?: string; observedGeneration?: number } | undefined;
        if (
          ks &&
          revision &&
          (st?.lastAttemptedRevision !== revision || st.observedGeneration !== ks.metadata.generation)
        ) {
          await updateStatus(o.kc, ksRef, (obj) => {
            const gen = obj.metadata.generation ?? 1;
            const s = { ...(obj.status ?? {}) } as Record<string, unknown>;
            s.lastAttemptedRevision = revision;
            s.lastAppliedRevision = revision;
            s.observedGeneration = gen;
            s.conditions = withCondition(s.conditions as Condition[] | undefined, {
              type: "Ready",
              status: "True",
              reason: "ReconciliationSucceeded",
              message: `Applied revision: ${revision}`,
              observedGeneration: gen,
            });
            return s;
          });
        }
      }
    } catch {
      /* transient: try again */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Runs fn while the stand-in plays the controllers. */
export async function withFluxStandIn<T>(o: StandInOptions, fn: () => Promise<T>): Promise<T> {
  const stop = new AbortController();
  const loop = runFluxStandIn(o, stop.signal);
  try {
    return await fn();
  } finally {
    stop.abort();
    await loop;
  }
}

/**
 * A copy of the mini install bundle without its CustomResourceDefinitions: the shared
 * test environment already has the real Flux CRDs, which the bundle's miniatures must
 * not replace. Everything else is rendered by the real install engine.
 */
export async function crdFreeMiniBundle(): Promise<string> {
  const { mkdtempSync, readdirSync, readFileSync, writeFileSync } = await import("node:fs");
  const os = await import("node:os");
  const path = await import("node:path");
  const { fileURLToPath } = await import("node:url");
  const { parseAllDocuments } = await import("yaml");
  const src = fileURLToPath(new URL("../fixtures/install/mini-bundle", import.meta.url));
  const dst = mkdtempSync(path.join(os.tmpdir(), "tsflux-bundle-"));
  for (const f of readdirSync(src)) {
    const text = readFileSync(path.join(src, f), "utf8");
    if (!f.endsWith(".yaml")) {
      writeFileSync(path.join(dst, f), text);
      continue;
    }
    const docs = parseAllDocuments(text).filter(
      (d) => (d.toJS() as { kind?: string } | null)?.kind !== "CustomResourceDefinition",
    );
    writeFileSync(path.join(dst, f), docs.map((d) => `---\n${d.toString()}`).join(""));
  }
  return dst;
}
