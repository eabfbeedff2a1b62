// Differential test of --filter-semver against the Go libraries upstream uses: each
// constraint was checked against each tag by a Go program calling
// github.com/Masterminds/semver/v3 (v3.5.0) NewConstraint/Check, with tags parsed as
// fluxcd/pkg/version.ParseVersion does (strict SemVer, optional "v"), go1.26.8.
// GO_RESULTS: one row per constraint, one character per tag ("1" match, "0" no
// match, "-" not a version); "E" when the constraint does not parse.
import { describe, expect, it } from "vitest";
import { parseConstraint, parseVersion } from "../../../src/oci/semver.js";

const CONSTRAINTS: string[] = [
  ">=1.2.0",
  "~1.2",
  "^1.2.3",
  "^0.1",
  "1.x",
  "*",
  "<1.0.0 || >=2.0.0",
  ">1.0.0, <1.3.0",
  "1.2.0 - 1.3.0",
  ">=1.2.4-rc.0 <1.3.0",
  ">=1.2.4-rc.0 <1.3.0-0",
  "!=1.2.3",
  "=1.2",
  ">1.2",
  "<=1.2",
  "~1",
  "^0.0.3",
  "^0",
  "~0.2.4",
  ">= 1.0",
  "1.2.3",
  "v1.2.3",
  "1.2.x",
  ">1.x",
  "<2",
  "~1.2.3-beta.1",
  "^1.2.3-rc.1",
  "x",
  "",
  "not valid",
  ">=1.0.0-0",
  "1.2.4-rc.1",
  "> 1.2.3 < 2.0.0",
  "~> 1.2",
  "=> 1.2.3",
  "1 - 2",
  "^1.x",
  "~2.x",
  "<0.2.5 >0.0.1",
  "1.2.3 || 2.0.0",
];

const TAGS: string[] = [
  "v1.0.0",
  "1.2.3",
  "1.2.4-rc.1",
  "1.3.0",
  "2.0.0",
  "latest",
  "1.2",
  "v0.1.0",
  "0.2.5",
  "0.0.3",
  "0.0.4",
  "1.2.3-beta.2",
  "1.2.3+build.7",
  "2.0.0-alpha",
  "01.2.3",
  "v2.1.0",
  "1.10.0",
  "0.2.4",
  "1.2.4-rc.1.0",
];

const GO_RESULTS: string[] = [
  "01011--0000010-1100",
  "01000--0000010-0000",
  "01010--0000010-0100",
  "00000--1000000-0000",
  "11010--0000010-0100",
  "11011--1111010-1110",
  "00001--1111000-1010",
  "01000--0000010-0000",
  "01010--0000010-0000",
  "00100--0000000-0001",
  "00100--0000000-0001",
  "10011--1111000-1110",
  "01000--0000010-0000",
  "00011--0000000-1100",
  "11000--1111010-0010",
  "11010--0000010-0100",
  "00000--0010000-0000",
  "00000--1111000-0010",
  "00000--0100000-0010",
  "11011--0000010-1100",
  "01000--0000010-0000",
  "01000--0000010-0000",
  "01000--0000010-0000",
  "00001--0000000-1000",
  "11010--1111010-0110",
  "01100--0000110-0001",
  "01110--0000010-0101",
  "11011--1111010-1110",
  "E",
  "E",
  "11111--0000111-1101",
  "00100--0000000-0000",
  "00010--0000000-0100",
  "01000--0000010-0000",
  "01011--0000010-1100",
  "11011--0000010-1100",
  "11010--0000010-0100",
  "00001--0000000-1000",
  "00000--1011000-0010",
  "01001--0000010-0000",
];

describe("semver filter vs Masterminds/semver", () => {
  it("gives the same answer as upstream for every constraint and tag", () => {
    expect(GO_RESULTS).toHaveLength(CONSTRAINTS.length);
    const got = CONSTRAINTS.map((c) => {
      let check: ReturnType<typeof parseConstraint>;
      try {
        check = parseConstraint(c);
      } catch {
        return "E";
      }
      return TAGS.map((t) => {
        const v = parseVersion(t);
        return v === null ? "-" : check(v) ? "1" : "0";
      }).join("");
    });
    expect(Object.fromEntries(CONSTRAINTS.map((c, i) => [c, got[i]]))).toEqual(
      Object.fromEntries(CONSTRAINTS.map((c, i) => [c, GO_RESULTS[i]])),
    );
  });
});
