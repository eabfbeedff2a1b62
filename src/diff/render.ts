// Renderers for a diff report: human (upstream's `► Kind/ns/name drifted`
// followed by a dyff-style field report), JSON (one record per object) and
// Markdown (summary table and a <details> block per object, for PR comments).
import { toYaml } from "../yaml/printer.js";
import { dotPath, pointerPath, type FieldChange, type JsonValue } from "./compare.js";
import { DEFAULT_WIDTH, plainPalette, renderDyffReport, type Palette } from "./dyff.js";

export { plural, plainPalette, type Palette } from "./dyff.js";
import type { DiffReport, ObjectDiff } from "./kustomization.js";
import { unifiedDiff } from "./lines.js";
import { fill, line } from "../util/template.js";
import commentTemplate from "../../templates/diff/comment.md.tmpl";
import detailsTemplate from "../../templates/diff/details.md.tmpl";

export const ansiPalette: Palette = {
  green: (s) => `\u001b[32m${s}\u001b[0m`,
  red: (s) => `\u001b[31m${s}\u001b[0m`,
  yellow: (s) => `\u001b[33m${s}\u001b[0m`,
  orange: (s) => `\u001b[38;5;202m${s}\u001b[0m`,
};

/** The dyff-style report of an object's changes (as upstream prints after `drifted`). */
export function renderChanges(changes: FieldChange[], p: Palette = plainPalette, width = DEFAULT_WIDTH): string {
  return renderDyffReport(changes, p, width);
}

/**
 * Upstream's output: `► Kind/ns/name created|drifted|deleted|skipped`, drifted ones followed
 * by their changes; with --recursive, a nested Kustomization that would change something
 * as `📁 Kustomization/ns/name changed` followed by its own report.
 */
export function renderHuman(report: DiffReport, p: Palette = plainPalette, width = DEFAULT_WIDTH): string {
  let out = "";
  for (const d of report.objects) {
    if (d.action === "skipped") out += p.orange(`► ${d.subject} skipped`) + "\n";
    else if (d.action === "created") out += p.green(`► ${d.subject} created`) + "\n";
    else if (d.action === "drifted") out += `► ${d.subject} drifted\n` + renderChanges(d.changes ?? [], p, width);
    else if (d.action === "deleted") out += p.orange(`► ${d.subject} deleted`) + "\n";
    if (d.remote) out += p.orange(`⚠️ ${d.subject} skipped: diff not supported for remote clusters`) + "\n";
    if (d.nested?.changed) out += `📁 ${d.subject} changed\n` + renderHuman(d.nested, p, width);
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
  // lines are set for a change between two strings only
  if (c.lines && typeof c.before === "string" && typeof c.after === "string")
    out.diff = unifiedDiff(c.before, c.after, 1);
  return out;
}

export function summaryOf(
  report: DiffReport,
): Record<"created" | "drifted" | "deleted" | "unchanged" | "skipped", number> {
  const s = { created: 0, drifted: 0, deleted: 0, unchanged: 0, skipped: 0 };
  for (const d of report.objects) s[d.action]++;
  return s;
}

function jsonReport(report: DiffReport): Record<string, unknown> {
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
    // --recursive: the nested Kustomization's own report
    if (d.nested) rec.nested = jsonReport(d.nested);
    if (d.remote) rec.remote = true;
    return rec;
  });
  return {
    [report.kind === "HelmRelease" ? "helmRelease" : "kustomization"]: report.kustomization,
    changed: report.changed,
    summary: summaryOf(report),
    objects,
    errors: report.errors,
  };
}

export function renderJson(report: DiffReport): string {
  return JSON.stringify(jsonReport(report), null, 2) + "\n";
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
    const before = d.before ? toYaml(d.before) : "";
    const after = d.after ? toYaml(d.after) : "";
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
