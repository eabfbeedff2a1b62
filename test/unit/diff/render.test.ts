import { describe, expect, it } from "vitest";
import { compareValues, dotPath, pointerPath, type JsonValue } from "../../../src/diff/compare.js";
import {
  inventoryId,
  maskSecretPair,
  parseInventoryId,
  stripServerFields,
  type DiffReport,
} from "../../../src/diff/kustomization.js";
import { diffLines, unifiedDiff } from "../../../src/diff/lines.js";
import { expectGolden, tsfluxGolden } from "../../support/golden.js";
import { plural, renderChanges, renderHuman, renderJson, renderMarkdown } from "../../../src/diff/render.js";
import { must } from "../../support/must.js";

function golden(name: string, actual: string): void {
  expectGolden(actual, tsfluxGolden("diff", name));
}

const liveDeploy = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: {
    name: "web",
    namespace: "apps",
    labels: { app: "web" },
    resourceVersion: "12",
    generation: 3,
    uid: "u",
    managedFields: [{}],
  },
  spec: {
    replicas: 1,
    template: {
      spec: {
        containers: [
          { name: "web", image: "nginx:1.0", env: [{ name: "A", value: "1" }] },
          { name: "sidecar", image: "envoy:1" },
        ],
      },
    },
  },
  status: { readyReplicas: 1 },
};
const mergedDeploy = {
  ...structuredClone(liveDeploy),
  metadata: { ...liveDeploy.metadata, labels: { app: "web", team: "dev" }, resourceVersion: "13" },
  spec: {
    replicas: 3,
    template: {
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
          { name: "sidecar", image: "envoy:1" },
        ],
      },
    },
  },
};

const bigConfig = Array.from({ length: 200 }, (_, i) => `setting.${i} = ${i}`).join("\n") + "\n";
const liveCm = {
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "cfg", namespace: "apps" },
  data: { "app.properties": bigConfig, old: "x" },
};
const mergedCm = {
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "cfg", namespace: "apps" },
  data: { "app.properties": bigConfig.replace("setting.120 = 120", "setting.120 = 121") },
};

function report(): DiffReport {
  const b1 = stripServerFields(liveDeploy);
  const a1 = stripServerFields(mergedDeploy);
  return {
    kustomization: { name: "apps", namespace: "flux-system" },
    errors: [],
    changed: true,
    objects: [
      {
        action: "created",
        apiVersion: "v1",
        kind: "Service",
        namespace: "apps",
        name: "web",
        subject: "Service/apps/web",
        after: {
          apiVersion: "v1",
          kind: "Service",
          metadata: { name: "web", namespace: "apps" },
          spec: { ports: [{ port: 80 }] },
        },
      },
      {
        action: "drifted",
        apiVersion: "apps/v1",
        kind: "Deployment",
        namespace: "apps",
        name: "web",
        subject: "Deployment/apps/web",
        changes: compareValues(b1 as JsonValue, a1 as JsonValue),
        before: b1,
        after: a1,
      },
      {
        action: "drifted",
        apiVersion: "v1",
        kind: "ConfigMap",
        namespace: "apps",
        name: "cfg",
        subject: "ConfigMap/apps/cfg",
        changes: compareValues(liveCm, mergedCm),
        before: liveCm,
        after: mergedCm,
      },
      {
        action: "unchanged",
        apiVersion: "v1",
        kind: "ServiceAccount",
        namespace: "apps",
        name: "web",
        subject: "ServiceAccount/apps/web",
      },
      {
        action: "deleted",
        apiVersion: "v1",
        kind: "Secret",
        namespace: "apps",
        name: "old",
        subject: "Secret/apps/old",
      },
    ],
  };
}

describe("structural comparison", () => {
  it("identifies list entries by name and reports paths like dyff", () => {
    const changes = compareValues(
      stripServerFields(liveDeploy) as JsonValue,
      stripServerFields(mergedDeploy) as JsonValue,
    );
    expect(changes.map((c) => [dotPath(c.path), c.type])).toEqual([
      ["metadata.labels", "added"],
      ["spec.replicas", "modified"],
      ["spec.template.spec.containers.web.env", "added"],
      ["spec.template.spec.containers.web.image", "modified"],
    ]);
    expect(pointerPath(must(changes[3], "the image change").path)).toBe(
      "/spec/template/spec/containers/name=web/image",
    );
  });

  it("ignores server-managed fields", () => {
    const live = {
      ...liveDeploy,
      metadata: { ...liveDeploy.metadata, resourceVersion: "99", generation: 7 },
      status: { x: 1 },
    };
    expect(compareValues(stripServerFields(liveDeploy) as JsonValue, stripServerFields(live) as JsonValue)).toEqual([]);
  });

  it("diffs multi-line strings line by line: one changed line in a large value", () => {
    const [change] = compareValues(liveCm.data["app.properties"], mergedCm.data["app.properties"]);
    const changed = must(must(change, "a change").lines, "the change's line diff").filter((l) => l.op !== " ");
    expect(changed).toEqual([
      { op: "-", line: "setting.120 = 120" },
      { op: "+", line: "setting.120 = 121" },
    ]);
  });

  it("produces valid edit scripts, and a plain replacement for huge unrelated texts", () => {
    const replay = (ops: { op: string; line: string }[], keep: string) =>
      ops.filter((o) => o.op !== keep).map((o) => o.line);
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let t = 0; t < 500; t++) {
      const gen = () => Array.from({ length: Math.floor(rand() * 10) }, () => "abcd".charAt(Math.floor(rand() * 4)));
      const a = gen();
      const b = gen();
      const ops = diffLines(a, b);
      expect(replay(ops, "+")).toEqual(a);
      expect(replay(ops, "-")).toEqual(b);
    }
    const a = Array.from({ length: 30000 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 30000 }, (_, i) => `b${i}`);
    const ops = diffLines(a, b);
    expect(ops.filter((o) => o.op === "-")).toHaveLength(30000);
    expect(ops.filter((o) => o.op === "+")).toHaveLength(30000);
  });

  it("computes minimal line diffs and unified hunks", () => {
    expect(diffLines(["a", "b", "c"], ["a", "x", "c", "d"]).map((l) => l.op + l.line)).toEqual([
      " a",
      "-b",
      "+x",
      " c",
      "+d",
    ]);
    expect(unifiedDiff("a\nb\nc\nd\ne\nf\ng\n", "a\nb\nc\nD\ne\nf\ng\n", 1)).toBe("@@ -3,3 +3,3 @@\n c\n-d\n+D\n e\n");
    expect(unifiedDiff("same\n", "same\n")).toBe("");
    expect(unifiedDiff("", "a\nb\n")).toBe("@@ -0,0 +1,2 @@\n+a\n+b\n");
  });
});

describe("Secret masking and inventory ids", () => {
  it("masks values, marking changed ones before/after", () => {
    const before = { kind: "Secret", data: { same: "YQ==", changed: "Yg==", gone: "Yw==" } };
    const after = { kind: "Secret", data: { same: "YQ==", changed: "ZA==", added: "ZQ==" } };
    maskSecretPair(before, after);
    expect(before.data).toEqual({ same: "***", changed: "*** (before)", gone: "***" });
    expect(after.data).toEqual({ same: "***", changed: "*** (after)", added: "***" });
  });

  it("masks kubectl's last-applied annotation, which repeats the values in plain text", () => {
    const LAST = "kubectl.kubernetes.io/last-applied-configuration";
    const applied = (v: string) => JSON.stringify({ kind: "Secret", stringData: { password: v } });
    const before = { kind: "Secret", metadata: { annotations: { [LAST]: applied("hunter2"), team: "a" } } };
    const after = { kind: "Secret", metadata: { annotations: { [LAST]: applied("hunter3"), team: "a" } } };
    maskSecretPair(before, after);
    expect(before.metadata.annotations).toEqual({ [LAST]: "*** (before)", team: "a" });
    expect(after.metadata.annotations).toEqual({ [LAST]: "*** (after)", team: "a" });
    const created = { kind: "Secret", metadata: { annotations: { [LAST]: applied("hunter2") } } };
    maskSecretPair(undefined, created);
    expect(created.metadata.annotations).toEqual({ [LAST]: "***" });
    const plain = { kind: "Secret", metadata: { name: "s" } };
    maskSecretPair(undefined, plain);
    expect(plain).toEqual({ kind: "Secret", metadata: { name: "s" } });
  });

  it("round-trips kustomize-controller inventory ids", () => {
    expect(inventoryId("apps", "web", "apps", "Deployment")).toBe("apps_web_apps_Deployment");
    expect(inventoryId(undefined, "system:x", "rbac.authorization.k8s.io", "ClusterRole")).toBe(
      "_system__x_rbac.authorization.k8s.io_ClusterRole",
    );
    expect(parseInventoryId("_system__x_rbac.authorization.k8s.io_ClusterRole")).toEqual({
      namespace: "",
      name: "system:x",
      group: "rbac.authorization.k8s.io",
      kind: "ClusterRole",
    });
    expect(parseInventoryId("apps_cfg__ConfigMap")).toEqual({
      namespace: "apps",
      name: "cfg",
      group: "",
      kind: "ConfigMap",
    });
    expect(parseInventoryId("garbage")).toBeUndefined();
  });
});

describe("renderers", () => {
  it("prints upstream's human report", () => {
    golden("human.txt", renderHuman(report()));
  });

  it("prints value and type changes like dyff 1.10 (markers at column 0)", () => {
    expect(renderChanges(compareValues({ a: 1, b: "x" }, { a: "1", b: "y" }))).toBe(
      "\na\n± type change from int to string\n- 1\n+ 1\n\nb\n± value change\n- x\n+ y\n\n",
    );
    expect(plural(1, "insert")).toBe("one insert");
    expect(plural(2, "map entry", "map entries")).toBe("two map entries");
    expect(plural(20, "line")).toBe("20 lines");
  });

  it("prints one JSON record per object", () => {
    const text = renderJson(report());
    golden("report.json", text);
    const parsed = JSON.parse(text) as { summary: unknown; objects: { action: string }[] };
    expect(parsed.summary).toEqual({ created: 1, drifted: 2, deleted: 1, unchanged: 1, skipped: 0 });
    expect(parsed.objects.map((o) => o.action)).toEqual(["created", "drifted", "drifted", "unchanged", "deleted"]);
  });

  it("prints Markdown for a pull request comment with the changed line only", () => {
    const md = renderMarkdown(report());
    golden("report.md", md);
    expect(md).toContain("| 🟡 drifted | ConfigMap | apps | cfg | 2 |");
    expect(md).toContain("-    setting.120 = 120\n+    setting.120 = 121\n");
    expect(md).not.toContain("setting.100 = 100");
  });

  it("says so when nothing changes", () => {
    const r: DiffReport = { kustomization: { name: "a", namespace: "b" }, errors: [], changed: false, objects: [] };
    expect(renderHuman(r)).toBe("");
    expect(renderMarkdown(r)).toBe(
      "### Flux diff: Kustomization b/a\n\nNo changes: the cluster matches the build.\n\n**0 created, 0 drifted, 0 deleted, 0 unchanged**\n",
    );
  });
});
