import type { Command } from "commander";
import { notBuilt } from "../src/cli/action.js";

export function register(program: Command): void {
  const group = program.command("pull").description("Pull subcommands");
  notBuilt(group.command("artifact").description("Pull artifact"));
}
