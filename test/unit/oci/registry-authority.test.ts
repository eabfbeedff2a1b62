// Registry hosts as go-containerregistry reads them (checkRegistry: whatever Go's
// url.Parse takes as the authority), so `create secret oci --url` accepts and refuses
// what upstream does. Accepted/refused as upstream flux v2.9.5 did on the same --url.
import { describe, expect, it } from "vitest";
import { parseReference } from "../../../src/oci/reference.js";
import { runCli } from "../../helpers/cli.js";

describe("registry authorities", () => {
  it.each(["https://ghcr.io/x", "https://ghcr.io/org/app", "ghcr.io:/xx", "a:b:5000/xx", "[::1]:5000/xx", "ghcr.io"])(
    "accepts %s",
    (url) => {
      expect(() => parseReference(url)).not.toThrow();
    },
  );

  it.each(["[::1/xx", "gh^cr.io/xx", "http://localhost:5000/x", "ghcr.io:50a/xx", "https:", "ghcr.io/app:"])(
    "refuses %s",
    (url) => {
      expect(() => parseReference(url)).toThrow(`could not parse reference: ${url}`);
    },
  );

  it("create secret oci keeps a scheme in the registry key, as upstream", async () => {
    const r = await runCli([
      "create",
      "secret",
      "oci",
      "reg",
      "--url=https://ghcr.io/x",
      "-u",
      "u",
      "-p",
      "p",
      "--export",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('      "auths": {\n        "https://ghcr.io/x": {\n');
  });
});
