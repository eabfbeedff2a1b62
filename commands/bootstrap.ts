import type { Command } from "commander";
import { notBuilt } from "../src/cli/action.js";

export function register(program: Command): void {
  const group = program.command("bootstrap").description("Deploy Flux on a cluster the GitOps way.");
  notBuilt(group.command("git").description("Deploy Flux on a cluster connected to a Git repository"));
  notBuilt(group.command("github").description("Deploy Flux on a cluster connected to a GitHub repository"));
  notBuilt(group.command("gitlab").description("Deploy Flux on a cluster connected to a GitLab repository"));
}
