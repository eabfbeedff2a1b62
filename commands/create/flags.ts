// What the `flux create ...` commands share: flag declarations with upstream's names
// and help texts, and the mappers of the flag groups to their typed options.
import { Option, type Command } from "commander";
import { deprecateOption, type Invocation } from "../../src/cli/action.js";
import { checkedFlag } from "../../src/cli/flags.js";
import { ecdsaCurve, publicKeyAlgorithm, rsaKeyBits, sourceOCIVerifyProvider } from "../../src/util/flag-values.js";
import type {
  BasicAuthOptions,
  CreateOptions,
  GitCredentialOptions,
  SourceOptions,
  TlsFileOptions,
  VerifyOptions,
} from "../../src/create/options.js";

/** Every create command takes the object's name; extra arguments are ignored, as upstream. */
export function createArgs(cmd: Command): Command {
  return cmd.argument("[name]").allowExcessArguments(true);
}

/**
 * A string flag. pflag's custom Value flags are declared with checkedFlag, shown as
 * `--flag type` or `--flag <a|b|c>`, and checked as the command line is read.
 */
export function str(cmd: Command, flags: string, description: string, defaultValue?: string): Command {
  const o = new Option(flags, description);
  if (defaultValue !== undefined) o.default(defaultValue);
  return cmd.addOption(o);
}

export function sshFlags(cmd: Command): void {
  checkedFlag(cmd, "--ssh-key-algorithm <rsa|ecdsa|ed25519>", "SSH public key algorithm", publicKeyAlgorithm, "ecdsa");
  checkedFlag(
    cmd,
    "--ssh-rsa-bits <rsaKeyBits>",
    "SSH RSA public key bit size (multiplies of 8, min 1024)",
    rsaKeyBits,
    "2048",
  );
  checkedFlag(cmd, "--ssh-ecdsa-curve <p256|p384|p521>", "SSH ECDSA public key curve", ecdsaCurve, "p384");
}

export function basicAuthFlags(cmd: Command): void {
  str(cmd, "-u, --username <string>", "basic authentication username");
  str(cmd, "-p, --password <string>", "basic authentication password");
}

export function proxySecretRefFlag(cmd: Command): void {
  str(
    cmd,
    "--proxy-secret-ref <string>",
    "the name of an existing secret containing the proxy address and credentials",
  );
}

/** Signature verification of OCI artifacts and Helm charts. */
export function verifyFlags(cmd: Command): void {
  checkedFlag(
    cmd,
    "--verify-provider <sourceOCIVerifyProvider>",
    "the OCI verify provider name to use for signature verification, available options are: (cosign)",
    sourceOCIVerifyProvider,
  );
  str(cmd, "--verify-secret-ref <string>", "the name of a secret to use for signature verification");
  str(cmd, "--verify-subject <string>", "regular expression to use for the OIDC subject during signature verification");
  str(cmd, "--verify-issuer <string>", "regular expression to use for the OIDC issuer during signature verification");
}

/** TLS files of `create secret helm|tls`, with the deprecated --cert-file/--key-file/--ca-file hidden. */
export function tlsFileFlags(cmd: Command, deprecation: (replacement: string) => string): void {
  str(cmd, "--tls-crt-file <string>", "TLS authentication cert file path");
  str(cmd, "--tls-key-file <string>", "TLS authentication key file path");
  str(cmd, "--ca-crt-file <string>", "TLS authentication CA file path");
  // Older flux's spellings (written as certFile/keyFile/caFile), which v2.9.5 no longer has: still read, hidden.
  for (const [flag, replacement, help] of [
    ["--cert-file <string>", "--tls-crt-file", "TLS authentication cert file path"],
    ["--key-file <string>", "--tls-key-file", "TLS authentication key file path"],
    ["--ca-file <string>", "--ca-crt-file", "TLS authentication CA file path"],
  ] as const) {
    cmd.addOption(deprecateOption(new Option(flag, help), deprecation(replacement)));
  }
}

/** The flags of `flux create` every create command inherits, and its name argument. */
export function createOptions(inv: Invocation): CreateOptions {
  return {
    name: inv.args[0],
    export: inv.bool("export"),
    interval: inv.str("interval"),
    intervalSet: inv.given("interval"),
    label: inv.list("label"),
  };
}

export function sourceOptions(inv: Invocation): SourceOptions {
  return { ...createOptions(inv), fetchTimeout: inv.str("fetchTimeout") };
}

export function basicAuthOptions(inv: Invocation): BasicAuthOptions {
  return { username: inv.str("username"), password: inv.str("password") };
}

export function gitCredentialOptions(inv: Invocation): GitCredentialOptions {
  return {
    ...basicAuthOptions(inv),
    sshKeyAlgorithm: inv.str("sshKeyAlgorithm"),
    sshRsaBits: inv.str("sshRsaBits"),
    sshEcdsaCurve: inv.str("sshEcdsaCurve"),
    privateKeyFile: inv.str("privateKeyFile"),
    caFile: inv.str("caFile"),
  };
}

export function verifyOptions(inv: Invocation): VerifyOptions {
  return {
    verifyProvider: inv.str("verifyProvider"),
    verifySecretRef: inv.str("verifySecretRef"),
    verifySubject: inv.str("verifySubject"),
    verifyIssuer: inv.str("verifyIssuer"),
  };
}

export function tlsFileOptions(inv: Invocation): TlsFileOptions {
  return {
    tlsCrtFile: inv.str("tlsCrtFile"),
    tlsKeyFile: inv.str("tlsKeyFile"),
    caCrtFile: inv.str("caCrtFile"),
    certFile: inv.opt("certFile"),
    keyFile: inv.opt("keyFile"),
    caFile: inv.opt("caFile"),
  };
}
