// The one printer module for -o: every command that prints rows or objects (get,
// events, tree, list artifacts, push artifact, version, build helmrelease, the diffs)
// reads its format here and turns rows or objects into a table, JSON or YAML, and an
// unknown format fails with one message, upstream's wording from `flux version`:
// "--output must be json or yaml, not xml". (The diff renderers and the tree's text
// live with their commands; this module decides the format and prints data.)
import { CliError } from "../errors.js";
import { toYaml } from "../yaml/printer.js";
import { renderTable } from "./table.js";

export type OutputFormat = "table" | "json" | "yaml";

/** The formats of a command that prints a table by default (get, events). */
export const TABLE_FORMATS = ["table", "json", "yaml"] as const;

/** The formats of a command that prints JSON or YAML only. */
export const DATA_FORMATS = ["json", "yaml"] as const;

/** The formats of the diffs (diff kustomization, helmrelease, refs). */
export const DIFF_FORMATS = ["human", "json", "markdown"] as const;

/** "json or yaml", "table, json or yaml". */
function alternatives(formats: readonly string[]): string {
  return formats.length < 2 ? (formats[0] ?? "") : `${formats.slice(0, -1).join(", ")} or ${formats.at(-1)}`;
}

/**
 * The format of -o: `fallback` when unset (the command's own default, like tree's text
 * or the diff's human form), else one of `allowed`; anything else fails with the one message.
 */
export function parseOutputFormat<F extends string, D extends string = F>(
  value: unknown,
  allowed: readonly F[],
  fallback: D,
): F | D {
  if (value === undefined || value === null || value === "") return fallback;
  const v = typeof value === "string" ? value : JSON.stringify(value);
  if (!(allowed as readonly string[]).includes(v)) {
    throw new CliError(`--output must be ${alternatives(allowed)}, not ${v}`);
  }
  return v as F;
}

/** A kubectl-style v1 List of the objects (what -o json|yaml prints for a table's rows). */
export function asList(items: unknown[]): Record<string, unknown> {
  return { apiVersion: "v1", kind: "List", metadata: { resourceVersion: "" }, items };
}

/** JSON like kubectl and Go's json.MarshalIndent: two-space indent, trailing newline. */
export function printJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

/** YAML through the one YAML printer (Go-compatible). */
export function printYaml(value: unknown): string {
  return toYaml(value);
}

export function printStructured(value: unknown, format: "json" | "yaml"): string {
  return format === "json" ? printJson(value) : printYaml(value);
}

/** Upstream's table (tablewriter without borders); header undefined or empty for --no-header. */
export function printTable(header: string[] | undefined, rows: string[][]): string {
  return renderTable(header, rows);
}
