// -o json|yaml for commands that print tables: a kubectl-style v1 List of the objects.
import { CliError } from "../errors.js";
import { toYaml } from "../yaml/printer.js";

export type OutputFormat = "table" | "json" | "yaml";

export const OUTPUT_FORMATS: readonly OutputFormat[] = ["table", "json", "yaml"];

export function parseOutputFormat(value: unknown): OutputFormat {
  const v = value === undefined || value === null || value === "" ? "table" : String(value);
  if (!(OUTPUT_FORMATS as readonly string[]).includes(v)) {
    throw new CliError(`invalid output format '${v}': must be one of ${OUTPUT_FORMATS.join(", ")}`);
  }
  return v as OutputFormat;
}

export function asList(items: unknown[]): Record<string, unknown> {
  return { apiVersion: "v1", kind: "List", metadata: { resourceVersion: "" }, items };
}

/** JSON like kubectl: two-space indent, trailing newline. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

export function formatStructured(value: unknown, format: "json" | "yaml"): string {
  return format === "json" ? formatJson(value) : toYaml(value);
}
