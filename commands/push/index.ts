import { Option, type Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { arrayFlag, boolFlag } from "../../src/cli/flags.js";
import { credsFlags, ignorePathsFlag, insecureFlag, registryOptions } from "../shared/oci-flags.js";

const EXAMPLES = `
Examples:
  # Push manifests to GHCR using the short Git SHA as the OCI artifact tag
  echo $GITHUB_PAT | docker login ghcr.io --username flux --password-stdin
  flux push artifact oci://ghcr.io/org/config/app:$(git rev-parse --short HEAD) \\
	--path="./path/to/local/manifests" \\
	--source="$(git config --get remote.origin.url)" \\
	--revision="$(git branch --show-current)@sha1:$(git rev-parse HEAD)"

  # Push and sign artifact with cosign
  digest_url = $(flux push artifact \\
	oci://ghcr.io/org/config/app:$(git rev-parse --short HEAD) \\
	--source="$(git config --get remote.origin.url)" \\
	--revision="$(git branch --show-current)@sha1:$(git rev-parse HEAD)" \\
	--path="./path/to/local/manifest.yaml" \\
	--output json | \\
	jq -r '. | .repository + "@" + .digest')
  cosign sign $digest_url

  # Push manifests passed into stdin to GHCR and set custom OCI annotations
  kustomize build . | flux push artifact oci://ghcr.io/org/config/app:$(git rev-parse --short HEAD) -f - \\
    --source="$(git config --get remote.origin.url)" \\
    --revision="$(git branch --show-current)@sha1:$(git rev-parse HEAD)" \\
    --annotations='org.opencontainers.image.licenses=Apache-2.0' \\
    --annotations='org.opencontainers.image.documentation=https://app.org/docs' \\
    --annotations='org.opencontainers.image.description=Production config.'

  # Push with a reproducible digest (created annotation fixed to 1970-01-01T00:00:00Z)
  flux push artifact oci://ghcr.io/org/config/app:$(git rev-parse --short HEAD) \\
	--path="./path/to/local/manifests" \\
	--source="$(git config --get remote.origin.url)" \\
	--revision="$(git branch --show-current)@sha1:$(git rev-parse HEAD)" \\
	--reproducible

  # Login by passing credentials directly
  flux push artifact oci://docker.io/org/app-config:$(git tag --points-at HEAD) \\
	--path="./path/to/local/manifests" \\
	--source="$(git config --get remote.origin.url)" \\
	--revision="$(git tag --points-at HEAD)@sha1:$(git rev-parse HEAD)" \\
	--creds flux:$DOCKER_PAT
`;

export function register(program: Command): void {
  const group = program
    .command("push")
    .description("The push command is used to publish OCI artifacts.")
    .summary("Push artifacts");
  const cmd = group
    .command("artifact")
    .description(
      "The push artifact command creates a tarball from the given directory or the single file and uploads the artifact to an OCI repository.\n" +
        "The command can read the credentials from '~/.docker/config.json' but they can also be passed with --creds. It can also login to a supported provider with the --provider flag.",
    )
    .summary("Push artifact")
    .argument("[url]")
    .addHelpText("after", EXAMPLES);
  cmd.option("-f, --path <string>", "path to the directory where the Kubernetes manifests are located");
  cmd.option("--source <string>", "the source address, e.g. the Git URL");
  cmd.option("--revision <string>", "the source revision in the format '<branch|tag>@sha1:<commit-sha>'");
  credsFlags(cmd);
  ignorePathsFlag(cmd);
  arrayFlag(cmd, "-a, --annotations <stringArray>", "Set custom OCI annotations in the format '<key>=<value>'");
  cmd.addOption(
    new Option(
      "-o, --output <string>",
      "the format in which the artifact digest should be printed, can be 'json' or 'yaml'",
    ),
  );
  boolFlag(cmd, "--debug", "display logs from underlying library");
  boolFlag(
    cmd,
    "--reproducible",
    "ensure reproducible image digests by setting the created timestamp to '1970-01-01T00:00:00Z'",
  );
  insecureFlag(cmd, "allows artifacts to be pushed without TLS");
  boolFlag(cmd, "--resolve-symlinks", "resolve symlinks by copying their targets into the artifact");
  bind(cmd, {
    options: (inv) => ({
      ...registryOptions(inv),
      url: inv.args[0],
      path: inv.str("path"),
      source: inv.str("source"),
      revision: inv.str("revision"),
      annotations: inv.list("annotations"),
      output: inv.str("output"),
      debug: inv.bool("debug"),
      reproducible: inv.bool("reproducible"),
      ignorePaths: inv.listOpt("ignorePaths"),
      resolveSymlinks: inv.bool("resolveSymlinks"),
    }),
    engine: async () => (await import("../../src/oci/run.js")).runPushArtifact,
  });
}
