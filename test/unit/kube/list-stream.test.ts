// The List scanner of src/kube/rest.ts: items come out whole and in order however the
// response is cut into chunks (keys, strings with escapes and nested arrays across cuts).
import { describe, expect, it } from "vitest";
import { ListItemScanner } from "../../../src/kube/rest.js";

const list = {
  kind: "KustomizationList",
  apiVersion: "kustomize.toolkit.fluxcd.io/v1",
  metadata: { resourceVersion: "42", note: 'items: [{"a": "}"}]' },
  items: [
    { metadata: { name: "a", annotations: { q: 'say "}" and \\ then ]' } }, spec: { list: [1, [2, { x: "]" }]] } },
    { metadata: { name: "ünïcödé ✓" }, status: { conditions: [] } },
    { metadata: { name: "c", annotations: { r: "ends in a backslash \\", s: '\\"quoted\\"\\\\', t: "\\\\\\" } } },
  ],
};
const text = JSON.stringify(list, null, 1);

function scan(chunks: string[]): unknown[] {
  const out: unknown[] = [];
  const s = new ListItemScanner((json) => out.push(JSON.parse(json)));
  for (const c of chunks) s.push(c);
  return out;
}

describe("ListItemScanner", () => {
  it("yields each item of a whole response", () => {
    expect(scan([text])).toEqual(list.items);
  });

  it("yields the same items for every cut of the response", () => {
    for (let size = 1; size <= 17; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      expect(scan(chunks)).toEqual(list.items);
    }
  });

  it("yields nothing for an empty list", () => {
    expect(scan(['{"kind":"List","metadata":{},"items":[]}'])).toEqual([]);
    expect(scan(['{"kind":"List","metadata":{}}'])).toEqual([]);
  });
});
