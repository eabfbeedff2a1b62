import type { Command } from "commander";
import { notBuilt } from "../src/cli/action.js";

export function register(program: Command): void {
  const group = program.command("create").description("Create or update sources and resources");
  notBuilt(group.command("source").description("Create or update sources"));
  notBuilt(group.command("kustomization").description("Create or update a Kustomization resource"));
  notBuilt(group.command("helmrelease").description("Create or update a HelmRelease resource"));
  notBuilt(group.command("image").description("Create or update resources dealing with image automation"));
  notBuilt(group.command("alert").description("Create or update a Alert resource"));
  notBuilt(group.command("alert-provider").description("Create or update a Provider resource"));
  notBuilt(group.command("receiver").description("Create or update a Receiver resource"));
  notBuilt(group.command("tenant").description("Create or update a tenant"));
  notBuilt(group.command("secret").description("Create or update Kubernetes secrets"));
}
