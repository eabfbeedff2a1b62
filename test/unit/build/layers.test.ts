// The house rules of the code layout, checked on the import graph of src/ and
// commands/: no import cycles, src/ never imports commands/, engines never import
// the CLI toolkit (src/cli).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../../..");

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (p.endsWith(".ts")) out.push(p);
  }
  return out;
}

interface Edge {
  to: string;
  /** `import type` / `export type`: erased at build time. */
  typeOnly: boolean;
  /** import("..."): loaded when the code runs, not when the module loads. */
  dynamic: boolean;
}

function importsOf(file: string): Edge[] {
  const text = readFileSync(file, "utf8");
  const edges: Edge[] = [];
  const add = (spec: string, typeOnly: boolean, dynamic: boolean) => {
    if (!spec.startsWith(".")) return;
    const to = path.resolve(path.dirname(file), spec.replace(/\.js$/, ".ts"));
    edges.push({ to, typeOnly, dynamic });
  };
  for (const [, typeOnly, spec] of text.matchAll(
    /^(?:import|export)\s+(type\s+)?(?:[^"';]*?\sfrom\s+)?"([^"]+)";/gms,
  )) {
    if (spec !== undefined) add(spec, Boolean(typeOnly), false);
  }
  for (const [, spec] of text.matchAll(/import\("([^"]+)"\)/g)) if (spec !== undefined) add(spec, false, true);
  return edges;
}

const all = [...files(path.join(root, "src")), ...files(path.join(root, "commands"))];
const graph = new Map(all.map((f) => [f, importsOf(f)]));
const rel = (f: string) => path.relative(root, f);

function cycles(edgeFilter: (e: Edge) => boolean): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, "visiting");
    stack.push(f);
    for (const e of (graph.get(f) ?? []).filter(edgeFilter)) {
      if (state.get(e.to) === "visiting") found.push([...stack.slice(stack.indexOf(e.to)), e.to].map(rel));
      else if (!state.has(e.to)) visit(e.to);
    }
    stack.pop();
    state.set(f, "done");
  };
  for (const f of all) if (!state.has(f)) visit(f);
  return found;
}

/** Imports (of any kind) from files under `from` into files under `to`. */
function crossings(from: string, to: string, except: string[] = []): string[] {
  const out: string[] = [];
  for (const [f, edges] of graph) {
    if (!rel(f).startsWith(from) || except.some((x) => rel(f).startsWith(x))) continue;
    for (const e of edges) if (rel(e.to).startsWith(to)) out.push(`${rel(f)} -> ${rel(e.to)}`);
  }
  return out;
}

describe("code layout", () => {
  it("has no import cycles (static, type-only and dynamic imports alike)", () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(cycles(() => true)).toEqual([]);
  });

  it("keeps src/ (engines and the CLI toolkit) from importing commands/", () => {
    expect(crossings("src/", "commands/")).toEqual([]);
  });

  it("keeps the engines from importing the CLI toolkit", () => {
    expect(crossings("src/", "src/cli/", ["src/cli/"])).toEqual([]);
  });
});
