import type { Command } from "commander";
import { notBuilt } from "../src/cli/action.js";

export function register(program: Command): void {
  notBuilt(program.command("logs").description("Display formatted logs for Flux components"));
}
