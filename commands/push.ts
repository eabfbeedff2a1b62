import type { Command } from "commander";
import { notBuilt } from "../src/cli/action.js";

export function register(program: Command): void {
  const group = program.command("push").description("Push subcommands");
  notBuilt(group.command("artifact").description("Push artifact"));
}
