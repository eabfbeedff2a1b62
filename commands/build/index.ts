// The build group is shared by the kustomize engine and the OCI engine: each
// subcommand lives in its own file under commands/build/.
import type { Command } from "commander";
import { register as registerArtifact } from "./artifact.js";
import { register as registerHelmRelease } from "./helmrelease.js";
import { register as registerKustomization } from "./kustomization.js";

export function register(program: Command): void {
  const group = program.command("build").description("Build a flux resource");
  registerArtifact(group);
  registerHelmRelease(group);
  registerKustomization(group);
}
