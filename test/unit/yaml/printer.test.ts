import { describe, expect, it } from "vitest";
import {
  goYamlKeyCompare,
  isPlainWord,
  resolvesToNonString,
  selectStyle,
  toYaml,
  toYamlDocuments,
} from "../../../src/yaml/printer.js";

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

describe("the printer's shortcuts agree with its analysis", () => {
  // Deterministic: the same strings every run.
  let seed = 17;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  const alphabet = "aZ09_.-+:#,[]{}&*!|>'\"%@`?/= xXoObBeE~\t\n\u00e9";
  const words = [
    "1m0s",
    "5m",
    "0x1F",
    "1_000",
    "1:30",
    "2024-01-02",
    ".5",
    ".inf",
    "-1e3",
    "https://a:b@c/d",
    "a:",
    "...x",
    "y",
  ];
  for (let i = 0; i < 30_000; i++) {
    const len = 1 + (next() % 9);
    let w = "";
    for (let j = 0; j < len; j++) w += alphabet.charAt(next() % alphabet.length);
    words.push(w);
  }

  it("a word written whole is one the analysis prints plain, as a value and as a key", () => {
    let whole = 0;
    for (const w of words) {
      if (!isPlainWord(w)) continue;
      whole++;
      expect([w, selectStyle(w, false), selectStyle(w, true)]).toEqual([w, "plain", "plain"]);
    }
    expect(whole).toBeGreaterThan(1000);
  });

  it("reads numbers, timestamps and base-60 floats back as go-yaml does, with or without the cheap checks", () => {
    // The expressions alone, as go-yaml's resolver applies them.
    const GO_INT = /^[+-]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
    const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
    const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
    for (const w of [...words, "1:20", "+1:2:3.5", "0b101", "0o17", "-0x_1", "1__0", "1e5", "-.5"]) {
      const c = w.charAt(0);
      const numeric =
        (c === "+" || c === "-" || (c >= "0" && c <= "9")) &&
        (BASE60_FLOAT.test(w) || GO_INT.test(w.replace(/_/g, "")) || YAML_FLOAT.test(w.replace(/_/g, "")));
      if (numeric) expect([w, resolvesToNonString(w)]).toEqual([w, true]);
    }
  });
});
