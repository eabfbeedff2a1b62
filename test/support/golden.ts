// The one golden-file helper. Goldens live in two places:
//   test/golden/upstream/  upstream flux's own testdata, verbatim (see its PROVENANCE);
//                          never written by tests.
//   test/golden/tsflux/    tsflux's own snapshots (see its README).
// UPDATE_GOLDEN=1 rewrites a changed tsflux snapshot instead of failing; it refuses
// under CI=true (CI must compare, never record) and for upstream files.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { expect } from "vitest";

export const GOLDEN_ROOT = resolve(__dirname, "../golden");
export const UPSTREAM_ROOT = join(GOLDEN_ROOT, "upstream");
export const TSFLUX_ROOT = join(GOLDEN_ROOT, "tsflux");

/** True when the run may rewrite tsflux snapshots; throws when asked to under CI. */
export function updatingGoldens(): boolean {
  if (!process.env.UPDATE_GOLDEN) return false;
  if (process.env.CI === "true" || process.env.CI === "1") {
    throw new Error("UPDATE_GOLDEN is set under CI=true: goldens are compared in CI, never rewritten");
  }
  return true;
}

/** Path of a tsflux snapshot: `tsfluxGolden("create", "ks-basic.yaml")`. */
export function tsfluxGolden(...parts: string[]): string {
  return join(TSFLUX_ROOT, ...parts);
}

/**
 * Go text/template as upstream's tests apply it to fixtures and goldens
 * (executeTemplate with a map[string]string): `{{ .key }}` prints the value or
 * "<no value>", and `{{range .x.y}}…{{end}}` over a missing key prints nothing (an
 * invalid value ranges over nothing). Other actions are an error, never a silent pass.
 */
export function renderTemplate(text: string, values: Record<string, string>): string {
  const lookup = (path: string): string | undefined => {
    const parts = path.slice(1).split(".");
    const [key, ...rest] = parts;
    return key !== undefined && rest.length === 0 ? values[key] : undefined;
  };
  return text
    .replace(/\{\{-?\s*range\s+(\.[\w.]+)\s*-?\}\}[\s\S]*?\{\{-?\s*end\s*-?\}\}/g, (whole, path: string) => {
      if (lookup(path) !== undefined) throw new Error(`unsupported template range over a string: ${whole}`);
      return "";
    })
    .replace(/\{\{-?\s*(.*?)\s*-?\}\}/g, (whole, expr: string) => {
      if (!/^\.\w+$/.test(expr)) throw new Error(`unsupported template expression ${whole}`);
      return lookup(expr) ?? "<no value>";
    });
}

/**
 * Compares `actual` with a tsflux snapshot. `vars` maps run-specific strings (a
 * random namespace) back to their `{{ .name }}` placeholders before comparing.
 */
export function expectGolden(actual: string, file: string, vars: Record<string, string> = {}): void {
  let generic = actual;
  for (const [name, value] of Object.entries(vars)) generic = generic.replaceAll(value, `{{ .${name} }}`);
  const rel = relative(GOLDEN_ROOT, file);
  if (rel.startsWith("upstream")) throw new Error(`${rel} is upstream's: compare it with expectUpstreamGolden`);
  if (updatingGoldens() && (!existsSync(file) || readFileSync(file, "utf8") !== generic)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, generic);
  }
  expect(generic, `golden ${rel}`).toBe(readFileSync(file, "utf8"));
}

/**
 * Compares `actual` with an upstream golden rendered with `tmpl`, as upstream's
 * assertGoldenTemplateFile does (no template values: the file as is). Never writes.
 */
export function expectUpstreamGolden(actual: string, file: string, tmpl: Record<string, string> = {}): void {
  const text = readFileSync(file, "utf8");
  const expected = Object.keys(tmpl).length > 0 ? renderTemplate(text, tmpl) : text;
  expect(actual, `upstream golden ${relative(GOLDEN_ROOT, file)}`).toBe(expected);
}
