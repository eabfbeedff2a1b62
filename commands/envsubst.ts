import type { Command } from "commander";
import { notBuilt } from "../src/cli/action.js";

export function register(program: Command): void {
  notBuilt(program.command("envsubst").description("envsubst substitutes the values of environment variables"));
}
