import type { Command } from "commander";
import { notBuilt } from "../src/cli/action.js";

export function register(program: Command): void {
  notBuilt(program.command("uninstall").description("Uninstall Flux and its custom resource definitions"));
}
