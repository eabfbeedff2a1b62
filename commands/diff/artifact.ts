import type { Command } from "commander";
import { notBuilt } from "../../src/cli/action.js";

export function register(program: Command): void {
  notBuilt(program.command("artifact").description("Diff Artifact"));
}
