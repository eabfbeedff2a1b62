// Flags of upstream's custom pflag types (internal/flags): each value is checked as it
// is parsed, with the type's own error, and slice defaults are replaced, not extended.
import { describe, expect, it } from "vitest";
import { optionsFor, runCli } from "../../helpers/cli.js";

const invalid = (flag: string, value: string, message: string) =>
  `✗ invalid argument "${value}" for "--${flag}" flag: ${message}\n`;

describe("custom flag types", () => {
  it.each([
    [
      ["install", "--export", "--log-level=trace"],
      invalid("log-level", "trace", "unsupported log level 'trace', must be one of: debug, info, error"),
    ],
    [
      ["install", "--export", "--log-level="],
      invalid("log-level", "", "no log level given, must be one of: debug, info, error"),
    ],
    [
      ["logs", "--level", "warn"],
      invalid("level", "warn", "unsupported log level 'warn', must be one of: debug, info, error"),
    ],
    [
      ["bootstrap", "git", "--url=ssh://git@example.com/r", "--ssh-key-algorithm=dsa"],
      invalid(
        "ssh-key-algorithm",
        "dsa",
        "unsupported public key algorithm 'dsa', must be one of: rsa, ecdsa, ed25519",
      ),
    ],
    [
      ["bootstrap", "git", "--url=ssh://git@example.com/r", "--ssh-ecdsa-curve=p224"],
      invalid("ssh-ecdsa-curve", "p224", "unsupported curve 'p224', must be one of: p256, p384, p521"),
    ],
    [
      ["bootstrap", "git", "--url=ssh://git@example.com/r", "--ssh-rsa-bits=1000"],
      invalid("ssh-rsa-bits", "1000", "RSA key bit size must be at least 1024"),
    ],
    [
      ["bootstrap", "git", "--url=ssh://git@example.com/r", "--ssh-rsa-bits=2050"],
      invalid("ssh-rsa-bits", "2050", "RSA key bit size must be a multiples of 8"),
    ],
    [
      ["bootstrap", "git", "--url=ssh://git@example.com/r", "--ssh-rsa-bits=big"],
      invalid("ssh-rsa-bits", "big", 'strconv.Atoi: parsing "big": invalid syntax'),
    ],
    [
      ["bootstrap", "gitlab", "--owner=a", "--repository=b", "--visibility=secret"],
      invalid("visibility", "secret", "unsupported visibility 'secret'"),
    ],
    [
      ["pull", "artifact", "oci://localhost/a:b", "--output=/tmp/x", "--provider=ibm"],
      invalid(
        "provider",
        "ibm",
        "source OCI provider 'ibm' is not supported, must be one of: generic, aws, azure, gcp",
      ),
    ],
  ])("%j", async (args, stderr) => {
    const res = await runCli(args);
    expect(res.stderr).toBe(stderr);
    expect(res.code).toBe(1);
  });

  it("takes the values upstream's types take", async () => {
    expect(
      await optionsFor([
        "bootstrap",
        "gitlab",
        "--owner=a",
        "--repository=b",
        "--visibility=internal",
        "--ssh-rsa-bits=4096",
        "--ssh-key-algorithm=rsa",
      ]),
    ).toMatchObject({ visibility: "internal", sshRsaBits: 4096, sshKeyAlgorithm: "rsa" });
    // an empty value is the type's default
    expect(
      await optionsFor(["bootstrap", "gitlab", "--owner=a", "--repository=b", "--visibility=", "--ssh-rsa-bits="]),
    ).toMatchObject({ visibility: "private", sshRsaBits: 2048 });
  });
});

describe("slice defaults", () => {
  it("--components given replaces the default list", async () => {
    expect(await optionsFor(["install", "--export", "--components=source-controller,helm-controller"])).toMatchObject({
      components: ["source-controller", "helm-controller"],
    });
    expect(
      await optionsFor(["install", "--export", "--components=source-controller", "--components=kustomize-controller"]),
    ).toMatchObject({ components: ["source-controller", "kustomize-controller"] });
  });
});

describe("create image policy --interval", () => {
  const policy = ["create", "image", "policy", "podinfo", "--image-ref=repo", "--select-semver=1.x", "--export"];

  it("is unset unless given (create's own --interval defaults to 1m0s)", async () => {
    const res = await runCli(policy);
    expect(res.code).toBe(0);
    expect(res.stdout).not.toContain("interval");
  });

  it("needs --reflect-digest=Always, as upstream", async () => {
    const res = await runCli([...policy, "--interval=5m"]);
    expect(res.stderr).toBe(
      "✗ the --interval flag can only be used with the 'Always' digest reflection policy, use --reflect-digest=Always\n",
    );
    const always = await runCli([...policy, "--interval=5m", "--reflect-digest=Always"]);
    expect(always.stdout).toContain("  interval: 5m0s\n");
  });
});
