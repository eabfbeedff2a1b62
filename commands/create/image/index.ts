// flux create image repository|policy|update
import type { Command } from "commander";
import { register as policy } from "./policy.js";
import { register as repository } from "./repository.js";
import { register as update } from "./update.js";

export function register(create: Command): void {
  const image = create.command("image").description("Create or update resources dealing with image automation");
  repository(image);
  policy(image);
  update(image);
}
