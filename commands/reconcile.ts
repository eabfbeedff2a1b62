import type { Command } from "commander";
import { notBuilt } from "../src/cli/action.js";

export function register(program: Command): void {
  const group = program.command("reconcile").description("Reconcile sources and resources");
  notBuilt(group.command("source").description("Reconcile sources"));
  notBuilt(group.command("kustomization"));
  notBuilt(group.command("helmrelease"));
  notBuilt(group.command("image"));
  notBuilt(group.command("alert"));
  notBuilt(group.command("alert-provider"));
  notBuilt(group.command("receiver"));
}
