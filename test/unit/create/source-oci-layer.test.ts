// create source oci --layer-selector: the expected bytes and messages are upstream flux
// v2.9.5's for the same command lines (run by hand from bench's build).
import { describe, expect, it } from "vitest";
import { runCli } from "../../helpers/cli.js";

const base = ["create", "source", "oci", "podinfo", "--url=oci://r/x", "--tag=1", "--export"];

describe("create source oci --layer-selector", () => {
  it("sets spec.layerSelector from <media-type>:<operation>", async () => {
    const r = await runCli([
      ...base,
      "--layer-selector=application/vnd.cncf.helm.chart.content.v1.tar+gzip:copy",
      "--ignore-paths=a",
    ]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(`---
apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: podinfo
  namespace: flux-system
spec:
  ignore: a
  interval: 1m0s
  layerSelector:
    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
    operation: copy
  provider: generic
  ref:
    tag: "1"
  url: oci://r/x
`);
    expect(r.code).toBe(0);
  });

  it.each([
    ["foo", `✗ invalid --layer-selector "foo": must be in the format '<media-type>:<operation>'\n`],
    [":copy", `✗ invalid --layer-selector ":copy": must be in the format '<media-type>:<operation>'\n`],
    ["foo:bar", `✗ invalid --layer-selector "foo:bar": operation must be "extract" or "copy"\n`],
  ])("rejects %s", async (selector, message) => {
    const r = await runCli([...base, `--layer-selector=${selector}`]);
    expect(r).toMatchObject({ code: 1, stdout: "", stderr: message });
  });

  it("checks the reference first, as upstream", async () => {
    const r = await runCli(["create", "source", "oci", "podinfo", "--url=oci://r/x", "--layer-selector=foo:bar"]);
    expect(r.stderr).toBe("✗ --tag, --tag-semver or --digest is required\n");
    expect(r.code).toBe(1);
  });
});
