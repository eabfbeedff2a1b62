// Differential test of the ignore matcher against fluxcd/pkg/sourceignore itself:
// every pattern set below was matched against every path by a Go program calling
// sourceignore.ReadPatterns + sourceignore.NewMatcher (fluxcd/pkg/sourceignore
// v0.17.0, go1.26.8); GO_RESULTS holds its answers, one character per case in
// pattern-major order ("1" = ignored).
import { describe, expect, it } from "vitest";
import { IgnoreMatcher, readPatterns } from "../../../src/oci/ignore.js";

const PATTERNS: string[][] = [
  [".git/"],
  ["*.png"],
  ["/docs/*.md"],
  ["**/tmp"],
  ["build/**"],
  ["!keep.png", "*.png"],
  ["*.png", "!keep.png"],
  ["a/b"],
  ["a/**/c"],
  ["/a"],
  ["a/"],
  ["*.yaml", "!apps/*.yaml"],
  ["**/*.md"],
  ["apps/**/x.yaml"],
  ["[a-c]*.txt"],
  ["[!a]*"],
  ["\\#hash"],
  ["foo\\ "],
  ["foo "],
  ["*"],
  ["**"],
  ["/"],
  ["a/*/c"],
  ["**/"],
  ["deploy/*/"],
  ["x?.y"],
  ["apps/", "!apps/keep.yaml"],
  [".sourceignore"],
  ["*.tar.gz"],
  ["a**b"],
  ["/a/b/"],
  ["[]a]"],
  ["[z-a]"],
];

const PATHS: Array<[string, boolean]> = [
  [".git", true],
  [".git/config", false],
  ["sub/.git", false],
  ["sub/.git", true],
  ["logo.png", false],
  ["a/b/logo.png", false],
  ["keep.png", false],
  ["docs/x.md", false],
  ["other/docs/x.md", false],
  ["a/b/tmp", true],
  ["tmp", false],
  ["build", true],
  ["build/out/x", false],
  ["a/b", false],
  ["a/b", true],
  ["x/a/b", false],
  ["a/x/y/c", false],
  ["a/c", false],
  ["a", true],
  ["a", false],
  ["a/z", false],
  ["apps/a.yaml", false],
  ["b.yaml", false],
  ["README.md", false],
  ["x/y/README.md", false],
  ["apps/q/r/x.yaml", false],
  ["apps/x.yaml", false],
  ["b.txt", false],
  ["d.txt", false],
  ["abc", false],
  ["#hash", false],
  ["foo ", false],
  ["foo", false],
  ["deploy/prod", true],
  ["deploy/prod/a.yaml", false],
  ["xy.y", false],
  ["xyz.y", false],
  ["apps/keep.yaml", false],
  ["apps", true],
  [".sourceignore", false],
  ["a.tar.gz", false],
  ["axxb", false],
  ["a/b/c", false],
];

const GO_RESULTS = [
  "110100000000000000000000000000000000000000000001110000000000000000000000000000000000000000000100",
  "000000000000000000000000000000000000000000110000000000000000000000000000000000000000000110000000",
  "000000000000000000000000000111000000000000000000000000000000000000000011000000000000000000000000",
  "000000000000000000100010001100000000000000000000000000010000000000000000110000000000000000000000",
  "001000001000100011011111000000000000000000000100000100010001111110100000000000000000000010000000",
  "000000000000000100100000000100000000000000011000000000000001100000000000000000000000000000000000",
  "000000001100000000000000000000000000000000000000000001000000000000000000001000100011111111100011",
  "001000010011011100000000000000000000000000000010000000000000000000000000000000000000000000100000",
  "000000000000000000000000000000000000001000000000011111111111111111111111111111111111111111111111",
  "111111111111111111111111111111111111111000000000000000000000000000000000000000000000000000000000",
  "000000000000000000000000000011111010111011111111011001110000001100110001000000000000000000000000",
  "000000000110000000000000000000000000000000000000000000100000000000000000000000000001000110000000",
  "000010000000000000000000000000000000000000000000100000000000000000000000000000000000000000001000",
  "000000000000000000000000000000000000000010000001000100001000000000000000000000000000100000000000",
  "000000000000000000000000000000000000000000000000000000000000000000000000000",
].join("");

describe("ignore matcher vs fluxcd/pkg/sourceignore", () => {
  it("gives the same answer as upstream for every case", () => {
    expect(GO_RESULTS.length).toBe(PATTERNS.length * PATHS.length);
    const mismatches: string[] = [];
    let i = 0;
    for (const patterns of PATTERNS) {
      const matcher = new IgnoreMatcher(readPatterns(patterns.join("\n")));
      for (const [p, isDir] of PATHS) {
        const want = GO_RESULTS[i++] === "1";
        if (matcher.ignores(p, isDir) !== want)
          mismatches.push(`${JSON.stringify(patterns)} ${p}${isDir ? "/" : ""}: want ${want}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
