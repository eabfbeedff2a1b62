// The human report of a drifted object byte for byte as flux v2.9.5 prints it: each
// expected text below is the output of homeport/dyff v1.10.2's HumanReport (OmitHeader,
// KubernetesEntityDetection, stdout not a terminal) on the same two objects as YAML,
// recorded from a Go program built against that module.
import { describe, expect, it } from "vitest";
import { compareValues as compareUnsorted, sortKeysDeep, type JsonValue } from "../../../src/diff/compare.js";
import { goQuote, neatYaml, tableStyle } from "../../../src/diff/dyff.js";
import { renderChanges } from "../../../src/diff/render.js";

// upstream's objects reach dyff with sorted keys, as the diff engine passes them
const compareValues = (a: JsonValue, b: JsonValue) => compareUnsorted(sortKeysDeep(a), sortKeysDeep(b));

const CONFIG = Array.from({ length: 30 }, (_, i) => `setting.${i} = ${i}`).join("\n") + "\n";

describe("dyff 1.10's human report", () => {
  it("removed and added map entries side by side", () => {
    expect(
      renderChanges(
        compareValues(
          { metadata: { labels: { a: "1", gone: "x" } } },
          { metadata: { labels: { a: "1", added: "new" } } },
        ),
      ),
    ).toBe(
      "\nmetadata.labels\n- one map entry removed:   + one map entry added:\ngone: x                      added: new\n\n",
    );
  });
  it("an order change beside an added list entry", () => {
    expect(
      renderChanges(
        compareValues(
          { spec: { args: ["--a", "--b"], ports: [{ port: 80 }] } },
          { spec: { args: ["--b", "--a", "--c"], ports: [{ port: 8080 }] } },
        ),
      ),
    ).toBe(
      '\nspec.args\n⇆ order changed   + one list entry added:\n- --a, --b          - "--c"\n+ --b, --a\n\nspec.ports.0.port\n± value change\n- 80\n+ 8080\n\n',
    );
  });
  it("named list entries, values neat leaves unquoted", () => {
    expect(
      renderChanges(
        compareValues(
          { spec: { containers: [{ name: "web", image: "nginx:1.0", env: [{ name: "A", value: "1" }] }] } },
          {
            spec: {
              containers: [
                {
                  name: "web",
                  image: "nginx:1.1",
                  env: [
                    { name: "A", value: "1" },
                    { name: "B", value: "2" },
                  ],
                },
              ],
            },
          },
        ),
      ),
    ).toBe(
      "\nspec.containers.web.env\n+ one list entry added:\n  - name: B\n    value: 2\n\nspec.containers.web.image\n± value change\n- nginx:1.0\n+ nginx:1.1\n\n",
    );
  });
  it("changed lines of a multi-line value", () => {
    expect(
      renderChanges(
        compareValues(
          { data: { "app.properties": CONFIG, old: "x" } },
          { data: { "app.properties": CONFIG.replace("setting.12 = 12", "setting.12 = 121") } },
        ),
      ),
    ).toBe(
      "\ndata\n- one map entry removed:\nold: x\n\ndata.app.properties\n± value change in multiline text (one insert, one deletion)\n- setting.12 = 12\n+ setting.12 = 121\n\n\n",
    );
  });
  it("a last line without a line break", () => {
    expect(renderChanges(compareValues({ data: { a: "x\ny" } }, { data: { a: "x\ny\nz" } }))).toBe(
      "\ndata.a\n± value change in multiline text (one insert, one deletion)\n- y\n+ y\n+ z\n\n\n",
    );
  });
  it("blocks wider than 80 columns one after another", () => {
    expect(
      renderChanges(
        compareValues(
          { metadata: { annotations: { long: "a".repeat(70) } } },
          { metadata: { annotations: { long2: "b".repeat(70) } } },
        ),
      ),
    ).toBe(
      "\nmetadata.annotations\n- one map entry removed:\nlong: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n\n+ one map entry added:\n  long2: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n\n\n",
    );
  });
  it("a whitespace-only change", () => {
    expect(renderChanges(compareValues({ data: { a: "x" } }, { data: { a: "x \n" } }))).toBe(
      "\ndata.a\n± whitespace only change\n- x   + x·↵\n\n\n",
    );
  });
  it("neat's quoting", () => {
    expect(
      renderChanges(
        compareValues(
          { data: {} },
          { data: { a: "true", b: "-x", c: "a b", d: "8080", e: "", f: "x:y", g: "null", h: 'q"t', i: "a,b" } },
        ),
      ),
    ).toBe(
      '\ndata\n+ nine map entries added:\n  a: "true"\n  b: "-x"\n  c: "a b"\n  d: 8080\n  e:\n  f: "x:y"\n  g: "null"\n  h: q"t\n  i: "a,b"\n\n',
    );
  });
  it("empty structures, null, floats", () => {
    expect(
      renderChanges(compareValues({ spec: {} }, { spec: { a: {}, b: [], c: null, e: [[1, 2]], f: 1.5, g: true } })),
    ).toBe(
      "\nspec\n+ six map entries added:\n  a: {}\n  b: []\n  c: null\n  e:\n  - - 1\n    - 2\n  f: 1.5\n  g: true\n\n",
    );
  });
  it("a long order change as two columns", () => {
    expect(
      renderChanges(
        compareValues(
          { spec: { l: ["aaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbb", "c"] } },
          { spec: { l: ["c", "bbbbbbbbbbbbbbbbbbbbbbb", "aaaaaaaaaaaaaaaaaaaa"] } },
        ),
      ),
    ).toBe(
      "\nspec.l\n⇆ order changed\n  aaaaaaaaaaaaaaaaaaaa      c\n  bbbbbbbbbbbbbbbbbbbbbbb   bbbbbbbbbbbbbbbbbbbbbbb\n  c                         aaaaaaaaaaaaaaaaaaaa\n",
    );
  });
  it("a type change from map to string", () => {
    expect(renderChanges(compareValues({ spec: { a: { b: 1, c: [1, 2] } } }, { spec: { a: "x" } }))).toBe(
      "\nspec.a\n± type change from map to string\n- b: 1\n  c:\n  - 1\n  - 2\n+ x\n\n",
    );
  });
  it("known keys first in an added entry", () => {
    expect(
      renderChanges(
        compareValues(
          { spec: { items: [] } },
          { spec: { items: [{ value: "v", name: "n", deep: { x: { y: 1 } }, key: "k" }] } },
        ),
      ),
    ).toBe(
      "\nspec.items\n+ one list entry added:\n  - name: n\n    key: k\n    value: v\n    deep:\n      x:\n        y: 1\n\n",
    );
  });
});

describe("its parts", () => {
  it("quotes as Go's %q", () => {
    expect(goQuote('a"b\\c\n\u0001é')).toBe('"a\\"b\\\\c\\n\\x01é"');
  });

  it("prints sequences under their key without an indent, as neat", () => {
    expect(neatYaml({ a: [{ name: "x", b: [1] }], c: { d: "e f" } })).toBe(
      'a:\n- name: x\n  b:\n  - 1\nc:\n  d: "e f"\n',
    );
  });

  it("lays columns side by side, right-trimmed", () => {
    expect(tableStyle("   ", 0, ["ab\nc", "d\ne\nf"])).toBe("ab   d\nc    e\n     f");
  });
});
