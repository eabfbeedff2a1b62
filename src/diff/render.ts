// Renderers for a diff report: human (upstream's `► Kind/ns/name drifted`
// followed by a dyff-style field report), JSON (one record per object) and
// Markdown (summary table and a <details> block per object, for PR comments).
import { toYaml } from "../yaml/printer.js";
import { dotPath, pointerPath, type FieldChange, type JsonValue } from "./compare.js";
import type { DiffReport, ObjectDiff } from "./kustomization.js";
import { unifiedDiff, type LineOp } from "./lines.js";
import { fill, line } from "../util/template.js";
import commentTemplate from "../../templates/diff/comment.md.tmpl";
import detailsTemplate from "../../templates/diff/details.md.tmpl";

const NUMBER_WORDS = [
  "no",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
];

/** gonvenience's text.Plural: `one map entry`, `two map entries`, `13 map entries`. */
export function plural(n: number, singular: string, pluralForm = singular + "s"): string {
  const word = n < NUMBER_WORDS.length ? NUMBER_WORDS[n]! : String(n);
  return `${word} ${n === 1 ? singular : pluralForm}`;
}

function humanType(v: JsonValue | undefined): string {
  if (v === null || v === undefined) return "<nil>";
  if (Array.isArray(v)) return "list";
  switch (typeof v) {
    case "string":
      return "string";
    case "number":
      return Number.isInteger(v) ? "int" : "float";
    case "boolean":
      return "bool";
    default:
      return "map";
  }
}

function scalarText(v: JsonValue | undefined): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "string") return v;
  if (typeof v === "object") return toYaml(v as never).replace(/\n$/, "");
  return String(v);
}

function indentLines(text: string, indent: string): string {
  return text
    .replace(/\n$/, "")
    .split("\n")
    .map((l) => indent + l)
    .join("\n");
}

/** `- first line` then continuation lines aligned under the first. */
function prefixed(prefix: string, text: string, indent: number): string {
  return text
    .split("\n")
    .map((l, i) => (i === 0 ? " ".repeat(indent) + prefix : " ".repeat(indent + prefix.length)) + l)
    .join("\n");
}

function countChunks(lines: LineOp[]): { ins: number; del: number } {
  let ins = 0;
  let del = 0;
  let prev = " ";
  for (const l of lines) {
    if (l.op !== prev) {
      if (l.op === "+") ins++;
      if (l.op === "-") del++;
    }
    prev = l.op;
  }
  return { ins, del };
}

export interface Palette {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  orange(s: string): string;
}

export const plainPalette: Palette = { green: (s) => s, red: (s) => s, yellow: (s) => s, orange: (s) => s };
export const ansiPalette: Palette = {
  green: (s) => `\u001b[32m${s}\u001b[0m`,
  red: (s) => `\u001b[31m${s}\u001b[0m`,
  yellow: (s) => `\u001b[33m${s}\u001b[0m`,
  orange: (s) => `\u001b[38;5;202m${s}\u001b[0m`,
};

/** One field change as dyff 1.10's human report prints it (markers at column 0; without the path line). */
export function renderChangeDetail(c: FieldChange, p: Palette = plainPalette): string {
  switch (c.type) {
    case "added":
    case "removed": {
      const value = (c.type === "added" ? c.after : c.before) as JsonValue;
      const count = c.entries === "map" ? Object.keys(value as object).length : (value as JsonValue[]).length;
      const what =
        c.entries === "map" ? plural(count, "map entry", "map entries") : plural(count, "list entry", "list entries");
      const sign = c.type === "added" ? "+" : "-";
      const color = c.type === "added" ? p.green : p.red;
      return p.yellow(`${sign} ${what} ${c.type}:`) + "\n" + color(indentLines(toYaml(value as never), "  ")) + "\n";
    }
    case "order": {
      const list = (v: JsonValue | undefined) => ((v as JsonValue[]) ?? []).map((e) => scalarText(e)).join(", ");
      return (
        p.yellow("⇆ order changed") + "\n" + p.red(`- ${list(c.before)}`) + "\n" + p.green(`+ ${list(c.after)}`) + "\n"
      );
    }
    default: {
      if (c.lines) {
        const { ins, del } = countChunks(c.lines);
        let out =
          p.yellow(`± value change in multiline text (${plural(ins, "insert")}, ${plural(del, "deletion")})`) + "\n";
        for (const l of c.lines) {
          if (l.op === "+") out += p.green(`+ ${l.line}`) + "\n";
          else if (l.op === "-") out += p.red(`- ${l.line}`) + "\n";
        }
        return out + "\n";
      }
      const from = humanType(c.before);
      const to = humanType(c.after);
      const head = from !== to ? `± type change from ${from} to ${to}` : "± value change";
      return (
        p.yellow(head) +
        "\n" +
        p.red(prefixed("- ", scalarText(c.before), 0)) +
        "\n" +
        p.green(prefixed("+ ", scalarText(c.after), 0)) +
        "\n"
      );
    }
  }
}

/** The dyff-style report of an object's changes (as upstream prints after `drifted`). */
export function renderChanges(changes: FieldChange[], p: Palette = plainPalette): string {
  let out = "";
  let prev: string | undefined;
  for (const c of changes) {
    const where = dotPath(c.path);
    // details at the same path (an order change, removals, additions) share one header
    if (where !== prev) out += "\n" + where + "\n";
    out += renderChangeDetail(c, p);
    prev = where;
  }
  return out + "\n";
}

/** Upstream's output: `► Kind/ns/name created|drifted|deleted`, drifted ones followed by their changes. */
export function renderHuman(report: DiffReport, p: Palette = plainPalette): string {
  let out = "";
  for (const d of report.objects) {
    if (d.action === "created") out += p.green(`► ${d.subject} created`) + "\n";
    else if (d.action === "drifted") out += `► ${d.subject} drifted\n` + renderChanges(d.changes ?? [], p);
    else if (d.action === "deleted") out += p.orange(`► ${d.subject} deleted`) + "\n";
  }
  return out;
}

// ----------------------------------------------------------------- JSON

export interface JsonChange {
  path: string;
  pointer: string;
  type: FieldChange["type"];
  before?: JsonValue;
  after?: JsonValue;
  /** For multi-line strings: the changed lines as a unified diff. */
  diff?: string;
}

function jsonChange(c: FieldChange): JsonChange {
  const out: JsonChange = { path: dotPath(c.path), pointer: pointerPath(c.path), type: c.type };
  if (c.before !== undefined) out.before = c.before;
  if (c.after !== undefined) out.after = c.after;
  if (c.lines) out.diff = unifiedDiff(String(c.before ?? ""), String(c.after ?? ""), 1);
  return out;
}

export function summaryOf(
  report: DiffReport,
): Record<"created" | "drifted" | "deleted" | "unchanged" | "skipped", number> {
  const s = { created: 0, drifted: 0, deleted: 0, unchanged: 0, skipped: 0 };
  for (const d of report.objects) s[d.action]++;
  return s;
}

export function renderJson(report: DiffReport): string {
  const objects = report.objects.map((d: ObjectDiff) => {
    const rec: Record<string, unknown> = {
      action: d.action,
      subject: d.subject,
      apiVersion: d.apiVersion,
      kind: d.kind,
      namespace: d.namespace ?? "",
      name: d.name,
    };
    if (d.changes) rec.changes = d.changes.map(jsonChange);
    if (d.before) rec.before = d.before;
    if (d.after) rec.after = d.after;
    return rec;
  });
  return (
    JSON.stringify(
      {
        [report.kind === "HelmRelease" ? "helmRelease" : "kustomization"]: report.kustomization,
        changed: report.changed,
        summary: summaryOf(report),
        objects,
        errors: report.errors,
      },
      null,
      2,
    ) + "\n"
  );
}

// ----------------------------------------------------------------- Markdown

const ICON: Record<string, string> = { created: "🟢", drifted: "🟡", deleted: "🔴" };

function mdEscape(s: string): string {
  return s.replace(/[|\\`*_<>]/g, (c) => "\\" + c);
}

function htmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function fence(body: string): string {
  let ticks = "```";
  while (body.includes(ticks)) ticks += "`";
  return `${ticks}diff\n${body.replace(/\n$/, "")}\n${ticks}`;
}

export function renderMarkdown(report: DiffReport): string {
  const s = summaryOf(report);
  const ks = report.kustomization;
  const changed = report.objects.filter(
    (d) => d.action === "created" || d.action === "drifted" || d.action === "deleted",
  );
  let changes: string;
  if (changed.length === 0) {
    changes = report.errors.length
      ? "No changes computed (see errors below)."
      : "No changes: the cluster matches the build.";
  } else {
    const rows = changed.map((d) => {
      const fields = d.changes ? String(d.changes.length) : "";
      return `| ${ICON[d.action]} ${d.action} | ${mdEscape(d.kind)} | ${mdEscape(d.namespace ?? "")} | ${mdEscape(d.name)} | ${fields} |`;
    });
    changes = [
      "| Action | Kind | Namespace | Name | Changed fields |",
      "| --- | --- | --- | --- | --- |",
      ...rows,
    ].join("\n");
  }
  let details = "";
  for (const d of changed) {
    if (d.action === "deleted") continue;
    const before = d.before ? toYaml(d.before as never) : "";
    const after = d.after ? toYaml(d.after as never) : "";
    details +=
      "\n\n" +
      line(
        fill(detailsTemplate, {
          icon: d.action === "created" ? "🟢" : "🟡",
          subject: htmlEscape(d.subject),
          action: d.action,
          diff: fence(unifiedDiff(before, after, 3)),
        }),
      );
  }
  const errors = report.errors.length
    ? "\n\n**Errors**\n" + report.errors.map((e) => `\n- ${mdEscape(e)}`).join("")
    : "";
  return fill(commentTemplate, {
    kind: report.kind ?? "Kustomization",
    namespace: ks.namespace,
    name: ks.name,
    changes,
    summary: `${s.created} created, ${s.drifted} drifted, ${s.deleted} deleted, ${s.unchanged} unchanged${s.skipped ? `, ${s.skipped} skipped` : ""}`,
    details,
    errors,
  });
}
