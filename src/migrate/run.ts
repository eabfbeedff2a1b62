// The engine entry of `flux migrate`: the cluster's Flux objects (default) or the
// manifests under -f moved to the latest API versions (upstream flux v2.9.5's
// cmd/flux/migrate.go). Unlike upstream, a refused or impossible confirmation says
// "aborting" (upstream prints an empty ✗ line).
import type { Deps } from "../deps.js";
import { CliError } from "../errors.js";
import { confirm } from "../install/prompt.js";
import { MIGRATE_VERSIONS } from "../kinds/api-versions.js";
import { createKubeClient, kubeErrorMessage } from "../kube/client.js";
import { migrateCluster } from "./cluster.js";
import { migrateFiles } from "./files.js";

export interface MigrateOptions {
  /** -f: a file or directory below the working directory; "" for cluster mode. */
  path: string;
  extensions: string[];
  /** --version: the Flux minor to migrate manifests to ("" for the CLI's own). */
  version: string;
  yes: boolean;
  dryRun: boolean;
}

export async function runMigrate(o: MigrateOptions, deps: Deps): Promise<void> {
  const { logger } = deps;
  if (o.path === "") {
    logger.action("starting migration of custom resources");
    let client;
    try {
      client = await createKubeClient(deps.globals);
    } catch (err) {
      throw new CliError(`the Kubernetes client initialization failed: ${kubeErrorMessage(err)}`);
    }
    try {
      await migrateCluster(client, logger);
    } catch (err) {
      throw new CliError((err as Error).message.split("\n")[0] ?? "");
    }
    logger.success("custom resources migrated successfully");
    return;
  }
  let latest = MIGRATE_VERSIONS[0].latest;
  if (o.version !== "") {
    const found = MIGRATE_VERSIONS.find((v) => v.fluxVersion === o.version);
    if (!found) {
      throw new CliError(
        `version ${o.version} is not supported, supported versions are: ${MIGRATE_VERSIONS.map((v) => v.fluxVersion).join(", ")}`,
      );
    }
    latest = found.latest;
  }
  try {
    await migrateFiles({
      path: o.path,
      extensions: o.extensions,
      latest,
      dryRun: o.dryRun,
      logger,
      confirm: async () => {
        if (o.yes) return true;
        if (await confirm(deps.io, "Are you sure you want to proceed with the above upgrades?", " ")) return true;
        throw new CliError(
          deps.io.stdin.isTTY
            ? "aborting"
            : "aborting: confirmation needs a terminal; use --yes to migrate without asking",
        );
      },
    });
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError((err as Error).message);
  }
}
