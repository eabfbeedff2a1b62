// Upstream's flag Value types and pflag's own parsers, as src/util/flag-values.ts ports them.
import { describe, expect, it } from "vitest";
import {
  goInt,
  goQuote,
  kustomizationSource,
  localHelmChartSource,
  rsaKeyBits,
  stringToString,
} from "../../../src/util/flag-values.js";

describe("flag values", () => {
  it("goQuote escapes as Go's %q", () => {
    expect(goQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goQuote("tab\there\x01")).toBe('"tab\\there\\x01"');
    expect(goQuote("héllo")).toBe('"héllo"');
  });

  it("goInt reads Go integer literals and rejects what ParseInt rejects", () => {
    expect(goInt("42")).toBe(42);
    expect(goInt("-0x10")).toBe(-16);
    expect(goInt("010")).toBe(8);
    expect(goInt("0b11")).toBe(3);
    expect(() => goInt("1.5")).toThrow('strconv.ParseInt: parsing "1.5": invalid syntax');
    expect(() => goInt("9223372036854775808")).toThrow("value out of range");
  });

  it("stringToString: one pair, or a CSV record of pairs", () => {
    expect(stringToString("a=b,c")).toEqual({ a: "b,c" });
    expect(stringToString('"a=b"')).toEqual({ a: "b" });
    expect(stringToString('a=1,"b=2,3"')).toEqual({ a: "1", b: "2,3" });
    expect(() => stringToString("a")).toThrow("a must be formatted as key=value");
    expect(() => stringToString('a"=b,c=d')).toThrow('parse error on line 1, column 2: bare " in non-quoted-field');
  });

  it("rsaKeyBits checks the minimum before the multiple of 8", () => {
    expect(rsaKeyBits("")).toBe(2048);
    expect(() => rsaKeyBits("1001")).toThrow("at least 1024");
    expect(() => rsaKeyBits("1028")).toThrow("multiples of 8");
  });

  it("sources: kinds case-insensitive, canonically spelled", () => {
    expect(kustomizationSource("ocirepository/app.apps")).toEqual({
      kind: "OCIRepository",
      name: "app",
      namespace: "apps",
    });
    expect(kustomizationSource("app")).toEqual({ kind: "GitRepository", name: "app", namespace: "" });
    expect(() => kustomizationSource("GitRepository")).toThrow("no kind specified for source 'GitRepository'");
    expect(localHelmChartSource("helmrepository/podinfo.x")).toEqual({ kind: "HelmRepository", name: "podinfo.x" });
  });
});
