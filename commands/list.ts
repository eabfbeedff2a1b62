import type { Command } from "commander";
import { notBuilt } from "../src/cli/action.js";

export function register(program: Command): void {
  const group = program.command("list").description("List subcommands");
  notBuilt(group.command("artifacts").description("list artifacts"));
}
