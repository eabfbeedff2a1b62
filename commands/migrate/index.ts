// flux migrate [-f path] [--extensions …] [--version 2.x] [--yes] [--dry-run]
import type { Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { boolFlag, sliceFlag } from "../../src/cli/flags.js";
import type { MigrateOptions } from "../../src/migrate/run.js";

export function register(program: Command): void {
  const cmd = program.command("migrate").description("Migrate the Flux custom resources to their latest API version");
  cmd.option("-f, --path <string>", "the path to the directory containing the manifests to migrate", "");
  sliceFlag(
    cmd,
    "-e, --extensions <strings>",
    "the file extensions to consider when migrating manifests, only applicable with --path",
    [".yaml", ".yml"],
  );
  cmd.option(
    "-v, --version <string>",
    "the target Flux minor version to migrate manifests to, only applicable with --path (defaults to the version of the CLI)",
    "",
  );
  boolFlag(cmd, "-y, --yes", "skip confirmation prompts when migrating manifests, only applicable with --path");
  boolFlag(
    cmd,
    "--dry-run",
    "simulate the migration of manifests without making any changes, only applicable with --path",
  );
  bind(cmd, {
    options: (inv): MigrateOptions => ({
      path: inv.str("path"),
      extensions: inv.list("extensions"),
      version: inv.str("version"),
      yes: inv.bool("yes"),
      dryRun: inv.bool("dryRun"),
    }),
    engine: async () => (await import("../../src/migrate/run.js")).runMigrate,
  });
}
