import type { Command } from "commander";
import { notBuilt } from "../src/cli/action.js";

export function register(program: Command): void {
  const group = program.command("get").description("Get the resources and their status");
  notBuilt(group.command("all").description("Get all resources and statuses"));
  notBuilt(group.command("sources").description("Get source statuses"));
  notBuilt(group.command("kustomizations").description("Get Kustomization statuses"));
  notBuilt(group.command("helmreleases").description("Get HelmRelease statuses"));
  notBuilt(group.command("images").description("Get image automation object status"));
  notBuilt(group.command("alerts").description("Get Alert statuses"));
  notBuilt(group.command("alert-providers").description("Get Provider statuses"));
  notBuilt(group.command("receivers").description("Get Receiver statuses"));
}
