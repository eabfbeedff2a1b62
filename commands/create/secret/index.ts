// flux create secret git|helm|tls|oci|githubapp|proxy|notation|receiver
import type { Command } from "commander";
import { registerSubcommands } from "../../../src/cli/program.js";
import { register as git } from "./git.js";
import { register as githubapp } from "./githubapp.js";
import { register as helm } from "./helm.js";
import { register as notation } from "./notation.js";
import { register as oci } from "./oci.js";
import { register as proxy } from "./proxy.js";
import { register as receiver } from "./receiver.js";
import { register as tls } from "./tls.js";

export function register(create: Command): void {
  const secret = create.command("secret").description("Create or update Kubernetes secrets");
  registerSubcommands(secret, [
    ["git", git],
    ["helm", helm],
    ["tls", tls],
    ["oci", oci],
    ["githubapp", githubapp],
    ["proxy", proxy],
    ["notation", notation],
    ["receiver", receiver],
  ]);
}
