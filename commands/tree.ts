import type { Command } from "commander";
import { notBuilt } from "../src/cli/action.js";

export function register(program: Command): void {
  const group = program.command("tree").description("Print the resources reconciled by Flux");
  notBuilt(group.command("kustomization").description("Print the resources reconciled by a Kustomization"));
}
