// The diff group is shared by the kustomize engine and the OCI engine: each
// subcommand lives in its own file under commands/diff/.
import type { Command } from "commander";
import { register as registerArtifact } from "./diff/artifact.js";
import { register as registerHelmRelease } from "./diff/helmrelease.js";
import { register as registerKustomization } from "./diff/kustomization.js";
import { register as registerRefs } from "./diff/refs.js";

export function register(program: Command): void {
  const group = program.command("diff").description("Diff a flux resource");
  registerArtifact(group);
  registerHelmRelease(group);
  registerKustomization(group);
  registerRefs(group);
}
