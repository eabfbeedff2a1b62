import { describe, expect, it } from "vitest";
import { goYamlKeyCompare, toYaml, toYamlDocuments } from "../../../src/yaml/printer.js";

describe("toYaml (go-yaml v2 compatible)", () => {
  it("prints the upstream GitRepository export byte for byte", () => {
    const obj = {
      apiVersion: "source.toolkit.fluxcd.io/v1",
      kind: "GitRepository",
      metadata: { name: "podinfo", namespace: "default" },
      spec: {
        url: "https://github.com/stefanprodan/podinfo",
        interval: "1m0s",
        ref: { branch: "master" },
        ignore: ".cosign\nnon-existent-dir/",
        sparseCheckout: [".cosign", "non-existent-dir/"],
      },
    };
    expect(toYamlDocuments([obj])).toBe(
      [
        "---",
        "apiVersion: source.toolkit.fluxcd.io/v1",
        "kind: GitRepository",
        "metadata:",
        "  name: podinfo",
        "  namespace: default",
        "spec:",
        "  ignore: |-",
        "    .cosign",
        "    non-existent-dir/",
        "  interval: 1m0s",
        "  ref:",
        "    branch: master",
        "  sparseCheckout:",
        "  - .cosign",
        "  - non-existent-dir/",
        "  url: https://github.com/stefanprodan/podinfo",
        "",
      ].join("\n"),
    );
  });

  it("quotes what YAML would read back as another type", () => {
    expect(toYaml({ a: "true", b: "123", c: "", d: "2021-07-20T00:48:16Z", e: "1.5", f: "yes", g: "0x1F" })).toBe(
      'a: "true"\nb: "123"\nc: ""\nd: "2021-07-20T00:48:16Z"\ne: "1.5"\nf: "yes"\ng: "0x1F"\n',
    );
  });

  it("single-quotes indicators and colon-space, doubles control characters", () => {
    expect(toYaml({ a: "Fetched revision: main", b: "*star", c: "it's: x", d: "tab\there", e: "- x", f: "a #b" })).toBe(
      "a: 'Fetched revision: main'\nb: '*star'\nc: 'it''s: x'\nd: \"tab\\there\"\ne: '- x'\nf: 'a #b'\n",
    );
  });

  it("prints nested sequences of mappings the go-yaml way", () => {
    expect(toYaml({ s: [{ b: 1, a: [1, 2] }, [3, 4]], e: {}, l: [] })).toBe(
      "e: {}\nl: []\ns:\n- a:\n  - 1\n  - 2\n  b: 1\n- - 3\n  - 4\n",
    );
  });

  it("folds long plain scalars at column 80", () => {
    const words = Array.from({ length: 30 }, (_, i) => `word${i}`).join(" ");
    const out = toYaml({ spec: { description: words } });
    expect(out).toBe(
      "spec:\n  description: word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10\n    word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22\n    word23 word24 word25 word26 word27 word28 word29\n",
    );
  });

  it("chooses literal chomping from trailing newlines", () => {
    expect(toYaml({ a: "x\n", b: "x\n\n", c: " lead\nx" })).toBe("a: |\n  x\nb: |+\n  x\n\nc: |2-\n   lead\n  x\n");
  });

  it("sorts keys with go-yaml's natural order", () => {
    const keys = ["b10", "b9", "a", "B", "_x", "1"].sort(goYamlKeyCompare);
    expect(keys).toEqual(["_x", "1", "B", "a", "b9", "b10"]);
  });

  it("formats numbers, booleans and null", () => {
    expect(toYaml({ i: 3, f: 0.5, big: 1.5e22, t: true, n: null })).toBe(
      'big: 1.5e+22\nf: 0.5\ni: 3\n"n": null\nt: true\n',
    );
  });
});
