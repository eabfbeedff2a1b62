// flux create source bucket
import type { Command } from "commander";
import { bind, type Binding, type Invocation } from "../../../src/cli/action.js";
import { boolFlag, checkedFlag, sliceFlag } from "../../../src/cli/flags.js";
import { sourceBucketProvider } from "../../../src/util/flag-values.js";
import type { CreateSourceBucketOptions } from "../../../src/create/options.js";
import { createArgs, proxySecretRefFlag, sourceOptions, str } from "../flags.js";

/** Flags to options: tested without running the engine. */
export function options(inv: Invocation): CreateSourceBucketOptions {
  return {
    ...sourceOptions(inv),
    provider: inv.opt("provider"),
    bucketName: inv.str("bucketName"),
    endpoint: inv.str("endpoint"),
    accessKey: inv.str("accessKey"),
    secretKey: inv.str("secretKey"),
    region: inv.str("region"),
    insecure: inv.bool("insecure"),
    secretRef: inv.str("secretRef"),
    proxySecretRef: inv.str("proxySecretRef"),
    ignorePaths: inv.list("ignorePaths"),
  };
}

/** The mapper and the engine: commander's path binds them, and so does the hot path of `create …` (commands/create-hot.ts). */
export const binding: Binding<CreateSourceBucketOptions> = {
  options,
  engine: async () => (await import("../../../src/create/sources.js")).runCreateSourceBucket,
};

export function register(source: Command): void {
  const bucket = source.command("bucket").description("Create or update a Bucket source");
  bucket.summary("Create or update a Bucket source");
  checkedFlag(
    bucket,
    "--provider <generic|aws|azure|gcp>",
    "the S3 compatible storage provider name",
    sourceBucketProvider,
    "generic",
  );
  str(bucket, "--bucket-name <string>", "the bucket name");
  str(bucket, "--endpoint <string>", "the bucket endpoint address");
  str(bucket, "--access-key <string>", "the bucket access key");
  str(bucket, "--secret-key <string>", "the bucket secret key");
  str(bucket, "--region <string>", "the bucket region");
  boolFlag(bucket, "--insecure", "for when connecting to a non-TLS S3 HTTP endpoint");
  str(bucket, "--secret-ref <string>", "the name of an existing secret containing credentials");
  proxySecretRefFlag(bucket);
  sliceFlag(
    bucket,
    "--ignore-paths <strings>",
    "set paths to ignore in bucket resource (can specify multiple paths with commas: path1,path2)",
  );
  bind(createArgs(bucket), binding);
}
