import { describe, expect, it } from "vitest";
import { EnvsubstError, evalEnvsubst, isValidVarName, substitute } from "../../../src/kustomize/envsubst.js";

// Expectations follow bash parameter expansion as Flux's envsubst implements it.
const cases: [Record<string, string>, string, string][] = [
  [{}, "abcdEFGH28ij", "abcdEFGH28ij"],
  [{ var01: "abcdEFGH28ij" }, "${#var01}", "12"],
  [{ var01: "abcdEFGH28ij" }, "${var01^}", "AbcdEFGH28ij"],
  [{ var01: "abcdEFGH28ij" }, "${var01^^}", "ABCDEFGH28IJ"],
  [{ var01: "ABCDEFGH28IJ" }, "${var01,}", "aBCDEFGH28IJ"],
  [{ var01: "ABCDEFGH28IJ" }, "${var01,,}", "abcdefgh28ij"],
  [{ path_name: "/home/bozo/ideas/thoughts.for.today" }, "${path_name:11}", "ideas/thoughts.for.today"],
  [{ path_name: "/home/bozo/ideas/thoughts.for.today" }, "${path_name:11:5}", "ideas"],
  [{ s: "abcdef" }, "${s:1:-1}", "bcde"],
  [{ s: "abcdef" }, "${s:-2}", "abcdef"],
  [{ var: "abc" }, "${var=xyz}", "abc"],
  [{}, "${var=xyz}", "xyz"],
  [{ default_var: "foo" }, "something ${var=${default_var}}", "something foo"],
  [{ default_var: "foo1" }, "foo: ${var=${default_var}-suffix}", "foo: foo1-suffix"],
  [{ default_var: "foo1" }, "foo: ${var=prefix${default_var}-suffix}", "foo: prefixfoo1-suffix"],
  [{}, "${var:=xyz}", "xyz"],
  [{}, "${var:-xyz}", "xyz"],
  [{ var: "" }, "${var:-xyz}", "xyz"],
  [{ stringZ: "abcABC123ABCabc" }, "${stringZ/%abc/XYZ}", "abcABC123ABCXYZ"],
  [{ stringZ: "abcABC123ABCabc" }, "${stringZ/#abc/XYZ}", "XYZABC123ABCabc"],
  [{ stringZ: "somevalue" }, "${stringZ/#/prefix-}", "prefix-somevalue"],
  [{ stringZ: "somevalue" }, "${stringZ/%/-suffix}", "somevalue-suffix"],
  [{ stringZ: "abcABC123ABCabc" }, "${stringZ//abc/xyz}", "xyzABC123ABCxyz"],
  [{ stringZ: "abcABC123ABCabc" }, "${stringZ/abc/xyz}", "xyzABC123ABCabc"],
  [{ filename: "bash.string.txt" }, "${filename#*.}", "string.txt"],
  [{ filename: "path/to/file" }, "${filename#*/}", "to/file"],
  [{ filename: "/path/to/file" }, "${filename#*/}", "path/to/file"],
  [{ filename: "bash.string.txt" }, "${filename##*.}", "txt"],
  [{ filename: "/path/to/file" }, "${filename##*/}", "file"],
  [{ filename: "bash.string.txt" }, "${filename%.*}", "bash.string"],
  [{ filename: "bash.string.txt" }, "${filename%%.*}", "bash"],
  [{ var01: "abcdEFGH28ij" }, "${var=${var01^^}}", "ABCDEFGH28IJ"],
  [{ var01: "abcdEFGH28ij" }, "$${var01}", "${var01}"],
  [
    { var01: "abcdEFGH28ij" },
    "some text ${var01}$${var$${var01}$var01${var01}",
    "some text abcdEFGH28ij${var${var01}$var01abcdEFGH28ij",
  ],
  [{ default_var: "foo" }, "something $${var=${default_var}}", "something ${var=foo}"],
  [{ stringZ: "foo/bar" }, "${stringZ/\\//-}", "foo-bar"],
  [{ stringZ: "foo/bar/baz" }, "${stringZ//\\//-}", "foo-bar-baz"],
  [{ default_var: "foo" }, "\\\\something ${var=${default_var}}", "\\\\something foo"],
  [{ stringZ: "foo.bar" }, "${stringZ/./}", "foobar"],
  [{ a: "x" }, "price: $5 and $a and $", "price: $5 and $a and $"],
  [{ a: "x" }, "$$$${a}", "$${a}"],
  [{ cluster: "prod" }, "name: app-${cluster}\nregion: ${region:=eu-west-1}\n", "name: app-prod\nregion: eu-west-1\n"],
];

describe("envsubst engine", () => {
  for (const [vars, input, output] of cases) {
    it(`expands ${JSON.stringify(input)}`, () => {
      expect(substitute(input, vars)).toBe(output);
    });
  }

  it("treats a missing variable as empty when not strict", () => {
    expect(substitute("a-${missing}-b", {})).toBe("a--b");
  });

  it("fails in strict mode on an unset variable, naming it", () => {
    expect(() => substitute("${missing}", {}, true)).toThrow('variable not set (strict mode): "missing"');
    for (const expr of ["${#missing}", "${missing^^}", "${missing:0:2}", "${missing/a/b}", "${missing%%x}"]) {
      expect(() => substitute(expr, {}, true), expr).toThrow(EnvsubstError);
    }
  });

  it("accepts default operators and empty values in strict mode", () => {
    expect(substitute("${missing:-fallback}", {}, true)).toBe("fallback");
    expect(substitute("${missing:=assigned}", {}, true)).toBe("assigned");
    expect(substitute("${missing=assigned}", {}, true)).toBe("assigned");
    expect(substitute("${foo}", { foo: "" }, true)).toBe("");
  });

  it("reports malformed expressions", () => {
    expect(() => evalEnvsubst("${}", () => ["", true])).toThrow("unable to parse variable name");
    expect(() => evalEnvsubst("${var", () => ["", true])).toThrow("missing closing brace");
    expect(() => evalEnvsubst("${var:=abc", () => ["", true])).toThrow("unable to parse substitution within function");
    expect(() => evalEnvsubst("${var-x}", () => ["", true])).toThrow("missing closing brace");
  });

  it("validates variable names like kustomize-controller", () => {
    expect(isValidVarName("cluster_env")).toBe(true);
    expect(isValidVarName("_x1")).toBe(true);
    expect(isValidVarName("1x")).toBe(false);
    expect(isValidVarName("a-b")).toBe(false);
    expect(isValidVarName("")).toBe(false);
  });
});
