// The fast reader of kustomize's block YAML must return exactly what the yaml package
// returns (as the build reads it: YAML 1.1 scalars, timestamps as text), or step aside
// (undefined). Checked on every YAML file of the fixtures and upstream's testdata, on
// kustomize's own output, and on generated documents full of edge cases.
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseYamlDocument, splitDocuments } from "../../../src/kustomize/build.js";
import { readBlockYaml } from "../../../src/yaml/block.js";
import { toYaml } from "../../../src/yaml/printer.js";
import { must } from "../../support/must.js";

async function viaYamlPackage(text: string): Promise<unknown> {
  return await parseYamlDocument(text, { fast: false }).catch(() => "error");
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.(ya?ml|golden)$/.test(name)) out.push(p);
  }
  return out;
}

async function agree(doc: string): Promise<boolean> {
  const fast = readBlockYaml(doc);
  if (fast === undefined) return false;
  expect(fast, doc).toEqual(await viaYamlPackage(doc));
  return true;
}

describe("readBlockYaml", () => {
  it("agrees with the yaml package on the repository's YAML files, or steps aside", async () => {
    let read = 0;
    let docs = 0;
    for (const file of [...yamlFiles("test/golden/upstream/testdata"), ...yamlFiles("test/fixtures")]) {
      for (const doc of splitDocuments(readFileSync(file, "utf8"))) {
        docs++;
        if (await agree(doc)) read++;
      }
    }
    expect(docs).toBeGreaterThan(200);
    // the rest are templates ({{ .ns }}), text goldens, comments and flow style
    expect(read).toBeGreaterThan(docs / 3);
  });

  it("reads what the one YAML printer writes (kustomize's style)", async () => {
    const obj = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", labels: { "app.kubernetes.io/name": "web" }, annotations: {} },
      spec: {
        replicas: 3,
        template: {
          spec: {
            containers: [
              {
                name: "web",
                args: ["--port", "8080", "-v", "yes", "true", "", "a: b", "# not a comment", "it's"],
                env: [{ name: "A", value: "1" }, { name: "B" }],
                command: [],
                script: "line 1\n  indented\n\nlast\n",
                noEol: "a\nb",
                keep: "a\n\n\n",
              },
            ],
          },
        },
        quoted: ["0", "007", "1.5", "null", "~", "on", "0x1F", "1e3", "2024-01-01", "é ü", '"', "\\", "\t"],
        numbers: [0, 7, 123456789012345, -1],
        flags: [true, false, null],
      },
    };
    const text = toYaml(obj);
    expect(await agree(text)).toBe(true);
    expect(readBlockYaml(text)).toEqual(JSON.parse(JSON.stringify(obj)));
  });

  it("steps aside for what it does not read", () => {
    for (const doc of [
      "a: b # comment\n",
      "# head\na: b\n",
      "a: &x 1\nb: *x\n",
      "a: !!str 1\n",
      "a: {b: c}\n",
      "a: [1, 2]\n",
      "a: >\n  folded\n",
      "a: plain\n  continued\n",
      'a: "two\n  lines"\n',
      "a: 1.5\n",
      "a: 0o17\n",
      "<<: {}\n",
      "a:\n\tb: c\n",
      "a: |2\n   x\n",
      "scalar\n",
      "a: b\r\n",
      "a: 1\na: 2\n",
      '"a": b\n',
      "a: |\nb: c\n",
    ])
      expect(readBlockYaml(doc), doc).toBeUndefined();
  });

  it("agrees on generated documents", async () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const pick = (xs: readonly string[]): string => must(xs[rand(xs.length)], "a picked element");
    const atoms = [
      "x",
      "a b",
      "0",
      "12",
      "-3",
      "-0",
      "y",
      "No",
      "null",
      "~",
      "",
      "-",
      "a:b",
      "a: b",
      "http://x",
      "é",
      "#x",
      "1m0s",
      "128Mi",
      "100m",
      "5e3",
      "0x1F",
      "0b1",
      "0o7",
      "1e",
      "6.3.5",
      "1.2.3-rc.1",
      "1.2",
      "1.",
      ".5",
      ".inf",
      "-.inf",
      "--port=80",
      "-v",
      "./app",
      "../x",
      ".hidden",
      "1:20",
      "2024-01-01",
      "1_000",
      "+1",
      "0123",
    ];
    const scalar = (): string => {
      const a = pick(atoms);
      switch (rand(4)) {
        case 0:
          return JSON.stringify(a);
        case 1:
          return `'${a.replace(/'/g, "''")}'`;
        default:
          return a;
      }
    };
    const node = (indent: string, depth: number): string => {
      let out = "";
      const keys = 1 + rand(4);
      for (let k = 0; k < keys; k++) {
        const key = rand(8) === 0 ? pick(["on", "yes", "null", ".inf", ".x", "-k", "y", "True", "a.b/c"]) : `k${k}`;
        const kind = depth > 2 ? 0 : rand(5);
        if (kind === 0) out += `${indent}${key}: ${scalar()}\n`;
        else if (kind === 1) out += `${indent}${key}:\n${node(indent + "  ", depth + 1)}`;
        else if (kind === 2) {
          out += `${indent}${key}:\n`;
          for (let i = 0; i < 1 + rand(3); i++) {
            if (rand(2)) out += `${indent}- ${scalar()}\n`;
            else out += `${indent}- ${node(indent + "  ", depth + 1).trimStart()}`;
          }
        } else if (kind === 3)
          out += `${indent}${key}: |${["", "-", "+"][rand(3)]}\n${indent}  l1\n${indent}    l2\n\n`;
        else out += `${indent}${key}: ${["{}", "[]", "true", "0"][rand(4)]}\n`;
      }
      return out;
    };
    let read = 0;
    for (let i = 0; i < 2000; i++) if (await agree(node("", 0))) read++;
    expect(read).toBeGreaterThan(150);
  });
});
