// The one printer module for -o: formats, the List shape, and one message for an
// unknown format on every command that takes -o (checked before any request or write).
import { describe, expect, it } from "vitest";
import {
  asList,
  DATA_FORMATS,
  DIFF_FORMATS,
  parseOutputFormat,
  printJson,
  printStructured,
  printTable,
  printYaml,
  TABLE_FORMATS,
} from "../../../src/output/printers.js";
import { withoutManagedFields } from "../../../src/ops/get.js";
import { runCli } from "../../helpers/cli.js";

describe("parseOutputFormat", () => {
  it("gives the command's default when -o is unset and the value when allowed", () => {
    expect(parseOutputFormat(undefined, TABLE_FORMATS, "table")).toBe("table");
    expect(parseOutputFormat("", DATA_FORMATS, "tree")).toBe("tree");
    expect(parseOutputFormat("yaml", DATA_FORMATS, "tree")).toBe("yaml");
    expect(parseOutputFormat("markdown", DIFF_FORMATS, "human")).toBe("markdown");
  });

  it("rejects anything else with upstream's wording (flux version)", () => {
    expect(() => parseOutputFormat("xml", DATA_FORMATS, "yaml")).toThrow("--output must be json or yaml, not xml");
    expect(() => parseOutputFormat("YAML", TABLE_FORMATS, "table")).toThrow(
      "--output must be table, json or yaml, not YAML",
    );
    expect(() => parseOutputFormat("tree", DATA_FORMATS, "tree")).toThrow("--output must be json or yaml, not tree");
  });
});

describe("printers", () => {
  it("prints JSON as Go's MarshalIndent, YAML through the one YAML printer, tables as upstream", () => {
    const list = asList([{ a: 1 }]);
    expect(printJson(list)).toBe(
      '{\n  "apiVersion": "v1",\n  "kind": "List",\n  "metadata": {\n    "resourceVersion": ""\n  },\n  "items": [\n    {\n      "a": 1\n    }\n  ]\n}\n',
    );
    expect(printYaml(list)).toBe('apiVersion: v1\nitems:\n- a: 1\nkind: List\nmetadata:\n  resourceVersion: ""\n');
    expect(printStructured({ b: "x" }, "json")).toBe('{\n  "b": "x"\n}\n');
    expect(printStructured({ b: "x" }, "yaml")).toBe("b: x\n");
    expect(printTable(["Name", "Ready"], [["a", "True"]])).toBe("NAME\tREADY \na   \tTrue \t\n");
  });

  it("leaves out metadata.managedFields and nothing else", () => {
    const obj = { apiVersion: "v1", kind: "X", metadata: { name: "a", uid: "u", managedFields: [{}] }, spec: {} };
    expect(withoutManagedFields(obj)).toEqual({
      apiVersion: "v1",
      kind: "X",
      metadata: { name: "a", uid: "u" },
      spec: {},
    });
    expect(obj.metadata.managedFields).toEqual([{}]); // the input is not changed
    const plain = { metadata: { name: "b" } };
    expect(withoutManagedFields(plain)).toBe(plain);
  });
});

describe("every -o rejects an unknown format with one message", () => {
  const cases: [string[], string, number][] = [
    [["get", "kustomizations", "-o", "xml"], "table, json or yaml", 1],
    [["get", "all", "-A", "-o", "xml"], "table, json or yaml", 1],
    [["events", "-o", "xml"], "table, json or yaml", 1],
    [["tree", "ks", "apps", "-o", "xml"], "json or yaml", 1],
    [["tree", "artifact", "generator", "gen", "-o", "xml"], "json or yaml", 1],
    [["version", "-o", "xml"], "json or yaml", 1],
    [["list", "artifacts", "oci://localhost:5000/app", "-o", "xml"], "json or yaml", 1],
    [
      ["push", "artifact", "oci://localhost:5000/app:v1", "--source=s", "--revision=r", "--path=.", "-o", "xml"],
      "json or yaml",
      1,
    ],
    [["build", "helmrelease", "podinfo", "--path=.", "-o", "xml"], "json or yaml", 1],
    [["diff", "kustomization", "apps", "--path=.", "-o", "xml"], "human, json or markdown", 2],
    [["diff", "helmrelease", "podinfo", "--path=.", "-o", "xml"], "human, json or markdown", 2],
    [["diff", "refs", "--base=main", "-o", "xml"], "human, json or markdown", 2],
  ];
  it.each(cases)("flux %j", async (args, formats, code) => {
    const res = await runCli([...args, "--kubeconfig=/nonexistent/kubeconfig"]);
    expect(res).toMatchObject({ code, stdout: "", stderr: `✗ --output must be ${formats}, not xml\n` });
  });
});
