// Renderers for `flux diff refs`: human (one block per changed Kustomization or
// HelmRelease, each changed object with its line diff), JSON for scripts, and
// Markdown for a pull-request comment (a collapsible section per unit).
import type { Palette } from "./render.js";
import { plainPalette } from "./render.js";
import type { RefsReport, RefsUnitDiff } from "./refs.js";

function counts(u: RefsUnitDiff): { added: number; changed: number; removed: number } {
  const c = { added: 0, changed: 0, removed: 0 };
  for (const o of u.objects) c[o.action]++;
  return c;
}

function countText(u: RefsUnitDiff): string {
  const c = counts(u);
  return `${c.added} added, ${c.changed} changed, ${c.removed} removed`;
}

const shown = (u: RefsUnitDiff) => u.status !== "unchanged";

function unitStatus(u: RefsUnitDiff): string {
  switch (u.status) {
    case "added":
      return "new";
    case "removed":
      return "gone";
    case "failed":
      return "could not be built";
    default:
      return "changed";
  }
}

export type RefsSummary = Record<"units" | RefsUnitDiff["status"], number>;

export function summarizeRefs(report: RefsReport): RefsSummary {
  const s = { units: report.units.length, changed: 0, added: 0, removed: 0, failed: 0, unchanged: 0 };
  for (const u of report.units) s[u.status]++;
  return s;
}

export function renderRefsHuman(report: RefsReport, p: Palette = plainPalette): string {
  let out = "";
  for (const u of report.units.filter(shown)) {
    const head = `► ${u.kind}/${u.namespace}/${u.name} ${unitStatus(u)}`;
    if (u.status === "failed") {
      out += p.red(head) + "\n";
      if (u.errors.base) out += p.red(`  ✗ at ${report.base}: ${u.errors.base}`) + "\n";
      if (u.errors.head) out += p.red(`  ✗ at ${report.head}: ${u.errors.head}`) + "\n";
      continue;
    }
    out += `${head} (${countText(u)})\n`;
    for (const o of u.objects) {
      const color = o.action === "added" ? p.green : o.action === "removed" ? p.red : p.yellow;
      out +=
        color(`  ${o.action === "added" ? "+" : o.action === "removed" ? "-" : "~"} ${o.subject} ${o.action}`) + "\n";
      if (o.action !== "changed") continue;
      for (const line of o.diff.replace(/\n$/, "").split("\n")) {
        const c = line.startsWith("+") ? p.green : line.startsWith("-") ? p.red : (s: string) => s;
        out += c(`      ${line}`) + "\n";
      }
    }
  }
  return out;
}

export function renderRefsJson(report: RefsReport): string {
  return (
    JSON.stringify(
      {
        base: report.base,
        head: report.head,
        path: report.path,
        changed: report.changed,
        failed: report.failed,
        summary: summarizeRefs(report),
        units: report.units,
      },
      null,
      2,
    ) + "\n"
  );
}

function htmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function mdEscape(s: string): string {
  return s.replace(/[|\\`*_<>]/g, (c) => "\\" + c);
}

function fence(body: string, lang: string): string {
  let ticks = "```";
  while (body.includes(ticks)) ticks += "`";
  return `${ticks}${lang}\n${body.replace(/\n$/, "")}\n${ticks}`;
}

const ICON: Record<RefsUnitDiff["status"], string> = {
  added: "🟢",
  removed: "🔴",
  changed: "🟡",
  failed: "❌",
  unchanged: "⚪",
};

export function renderRefsMarkdown(report: RefsReport): string {
  const s = summarizeRefs(report);
  const lines = [
    `### Flux diff: \`${mdEscape(report.base)}\` → \`${mdEscape(report.head)}\` (${mdEscape(report.path)})`,
    "",
  ];
  const units = report.units.filter(shown);
  if (units.length === 0) {
    lines.push(`No changes: the ${s.units} Kustomizations and HelmReleases build the same objects.`);
    return lines.join("\n") + "\n";
  }
  lines.push(
    "| | Kind | Namespace | Name | Added | Changed | Removed |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const u of units) {
    const c = counts(u);
    const cells = u.status === "failed" ? ["", "", ""] : [String(c.added), String(c.changed), String(c.removed)];
    lines.push(
      `| ${ICON[u.status]} ${unitStatus(u)} | ${u.kind} | ${mdEscape(u.namespace)} | ${mdEscape(u.name)} | ${cells.join(" | ")} |`,
    );
  }
  lines.push(
    "",
    `**${s.changed + s.added + s.removed} of ${s.units} changed${s.failed ? `, ${s.failed} could not be built` : ""}**`,
  );
  for (const u of units) {
    const summary = u.status === "failed" ? "could not be built" : `${unitStatus(u)}: ${countText(u)}`;
    lines.push(
      "",
      `<details><summary>${ICON[u.status]} ${u.kind} <code>${htmlEscape(`${u.namespace}/${u.name}`)}</code> ${htmlEscape(summary)}</summary>`,
      "",
    );
    if (u.status === "failed") {
      if (u.errors.base) lines.push(`- at \`${mdEscape(report.base)}\`: ${mdEscape(u.errors.base)}`);
      if (u.errors.head) lines.push(`- at \`${mdEscape(report.head)}\`: ${mdEscape(u.errors.head)}`);
    }
    for (const o of u.objects) {
      lines.push(`**${htmlEscape(o.subject)}** ${o.action}`, "", fence(o.diff, "diff"), "");
    }
    lines.push("</details>");
  }
  return lines.join("\n") + "\n";
}
