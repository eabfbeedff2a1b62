import type { Command } from "commander";
import { notBuilt } from "../src/cli/action.js";

export function register(program: Command): void {
  notBuilt(program.command("events").description("Display Kubernetes events for Flux resources"));
}
