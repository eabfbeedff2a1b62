// dyff 1.10's human report (homeport/dyff pkg/dyff/output_human.go) as flux v2.9.5
// prints it after `► Kind/ns/name drifted`: no indent, no header, the blocks of one
// path side by side when they fit the terminal's width (80 columns when stdout is not
// a terminal), values printed by gonvenience/neat (its quoting, `{}`/`[]`, `|` blocks).
import type { FieldChange, JsonValue } from "./compare.js";
import { dotPath } from "./compare.js";
import { must } from "../util/must.js";

/** Colours for the report; the plain palette leaves text as it is. */
export interface Palette {
  green: (s: string) => string;
  red: (s: string) => string;
  yellow: (s: string) => string;
  orange: (s: string) => string;
}

export const plainPalette: Palette = { green: (s) => s, red: (s) => s, yellow: (s) => s, orange: (s) => s };

/** The width dyff assumes without a terminal (gonvenience/term's default). */
export const DEFAULT_WIDTH = 80;

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
  const word = NUMBER_WORDS[n] ?? String(n);
  return `${word} ${n === 1 ? singular : pluralForm}`;
}

const ANSI = /\u001b\[[0-9;]*m/g;

/** Characters on screen (bunt.RemoveAllEscapeSequences, then runes). */
function plainLength(s: string): number {
  let n = 0;
  for (const _ of s.replace(ANSI, "")) n++;
  return n;
}

const isMap = (v: unknown): v is { [k: string]: JsonValue } => !!v && typeof v === "object" && !Array.isArray(v);

/** Go's strconv.Quote (neat prints `%q`). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = must(ch.codePointAt(0), "the code point of a character");
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (c === 7) out += "\\a";
    else if (c === 8) out += "\\b";
    else if (c === 12) out += "\\f";
    else if (c === 11) out += "\\v";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else if ((c >= 0x80 && c < 0xa0) || c === 0xad || c === 0xfeff || (c >= 0x2028 && c <= 0x2029))
      out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return out + '"';
}

/** neat's needsQuotes for a string scalar. */
function needsQuotes(s: string): boolean {
  return s === "true" || s === "false" || s === "null" || s.startsWith("-") || /[ *&:,]/.test(s);
}

/** One scalar as neat prints it after `key: ` (multi-line strings as `|` blocks under prefix). */
function neatScalar(v: string | number | boolean | null, prefix: string): string {
  if (v === null) return "null\n";
  if (typeof v !== "string") return `${String(v)}\n`;
  const lines = v.split("\n");
  if (lines.length === 1) return (needsQuotes(v) ? goQuote(v) : v) + "\n";
  return "|\n" + lines.map((l) => prefix + l).join("\n") + "\n";
}

/**
 * gonvenience/neat's YAML of a value (as dyff's yamlString and its added/removed
 * blocks print it): keys in the order given, sequences under their key without
 * an indent, `{}` and `[]` for empty ones.
 */
export function neatYaml(v: JsonValue, prefix = "", skipIndentOnFirstLine = false): string {
  let out = "";
  if (Array.isArray(v)) {
    v.forEach((entry, i) => {
      if (i > 0 || !skipIndentOnFirstLine) out += prefix;
      out += "- " + neatYaml(entry, prefix + "  ", true);
    });
    return out;
  }
  if (isMap(v)) {
    Object.entries(v).forEach(([key, value], i) => {
      if (i > 0 || !skipIndentOnFirstLine) out += prefix;
      out += `${key}:`;
      if (Array.isArray(value)) out += value.length === 0 ? " []\n" : "\n" + neatYaml(value, prefix);
      else if (isMap(value)) out += Object.keys(value).length === 0 ? " {}\n" : "\n" + neatYaml(value, prefix + "  ");
      else out += " " + neatScalar(value, prefix + "  ");
    });
    return out;
  }
  return neatScalar(v, prefix);
}

const KNOWN_KEY_ORDERS = [
  ["name", "director_uuid", "releases", "instance_groups", "networks", "resource_pools", "compilation"],
  ["name", "url", "version", "sha1"],
  ["jobs", "resources", "resource_types"],
  ["name", "type", "source"],
  ["get"],
  ["put"],
  ["task"],
  ["releases", "instance_groups", "configuration", "variables"],
  ["auth", "templates"],
  ["name"],
  ["key"],
  ["id"],
];

function maxDepth(v: JsonValue): number {
  if (Array.isArray(v)) return v.length ? 1 + Math.max(...v.map(maxDepth)) : 0;
  if (isMap(v)) {
    const values = Object.values(v);
    return values.length ? 1 + Math.max(...values.map(maxDepth)) : 0;
  }
  return 0;
}

/** ytbx.RestructureObject: known keys first (name, key, id, ...), deep values last. */
export function restructure(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(restructure);
  if (!isMap(v)) return v;
  const keys = Object.keys(v);
  let best: string[] | undefined;
  let hits = 0;
  for (const candidate of KNOWN_KEY_ORDERS) {
    const count = candidate.filter((k) => keys.includes(k)).length;
    if (count > 0 && count > hits) {
      best = candidate;
      hits = count;
    }
  }
  let order = Object.entries(v);
  if (best) {
    const known = best;
    const first = known.flatMap((k) => order.filter(([key]) => key === k));
    const rest = order.filter(([k]) => !known.includes(k)).map((entry) => ({ entry, depth: maxDepth(entry[1]) }));
    rest.sort((a, b) => a.depth - b.depth);
    order = [...first, ...rest.map((r) => r.entry)];
  }
  const out: { [k: string]: JsonValue } = {};
  for (const [k, value] of order) out[k] = restructure(value);
  return out;
}

/** dyff's CreateTableStyleString: columns side by side, padded, right-trimmed, no final newline. */
export function tableStyle(separator: string, indent: number, columns: string[]): string {
  const split = columns.map((c) => {
    const lines = c.split("\n");
    return { lines, width: Math.max(0, ...lines.map(plainLength)) };
  });
  const rows = Math.max(...split.map((c) => c.lines.length));
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells = split.map(({ lines, width }) => {
      const line = lines[r];
      if (line === undefined) return " ".repeat(width + indent);
      return " ".repeat(indent) + line + " ".repeat(width - plainLength(line));
    });
    out.push(cells.join(separator).replace(/ +$/, ""));
  }
  return out.join("\n");
}

/** dyff's writeTextBlocks: side by side when they fit the width, else one after another. */
export function textBlocks(indent: number, blocks: string[], width: number): string {
  const separator = "   ";
  let total = indent + (blocks.length - 1) * separator.length;
  for (const b of blocks) total += Math.max(0, ...b.split("\n").map(plainLength));
  if (total > width) {
    let out = "";
    for (const b of blocks) for (const line of b.split("\n")) out += " ".repeat(indent) + line + "\n";
    return out;
  }
  return tableStyle(separator, indent, blocks);
}

/** Colours each line on its own (bunt.EachLine), so blocks can be laid side by side. */
function eachLine(color: (s: string) => string, text: string): string {
  if (color === plainPalette.green) return text;
  return text
    .split("\n")
    .map((l) => (l === "" ? l : color(l)))
    .join("\n");
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

/** dyff's yamlString: `<nil>` for null, else neat's YAML. */
function yamlString(v: JsonValue | undefined): string {
  if (v === null || v === undefined) return "<nil>";
  return neatYaml(v);
}

/** createStringWithPrefix: the prefix on the first line, its width on the others. */
function withPrefix(prefix: string, text: string): string {
  return (
    text
      .split("\n")
      .map((l, i) => (i === 0 ? prefix : " ".repeat(plainLength(prefix))) + l)
      .join("\n") + "\n"
  );
}

/** createStringWithContinuousPrefix: the prefix on every line. */
function withContinuousPrefix(prefix: string, text: string): string {
  return text
    .replace(/\n$/, "")
    .split("\n")
    .map((l) => prefix + l + "\n")
    .join("");
}

/** Lines with their line breaks (diffmatchpatch's DiffLinesToChars units). */
function lineTokens(s: string): string[] {
  const out = s.match(/[^\n]*\n|[^\n]+$/g);
  return out ?? [];
}

/** Shortest edit script over line tokens, as runs of kept, removed and added text. */
function lineRuns(a: string[], b: string[]): { op: " " | "-" | "+"; text: string }[] {
  const n = a.length;
  const m = b.length;
  // LCS table of the suffixes a[i..], b[j..]; multi-line values in manifests are small enough for O(n·m)
  const lcs = new Uint32Array((n + 1) * (m + 1));
  const common = (i: number, j: number): number => lcs[i * (m + 1) + j] ?? 0; // past the end: 0, an empty suffix
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i * (m + 1) + j] = a[i] === b[j] ? common(i + 1, j + 1) + 1 : Math.max(common(i + 1, j), common(i, j + 1));
  const runs: { op: " " | "-" | "+"; text: string }[] = [];
  const push = (op: " " | "-" | "+", text: string) => {
    const last = runs[runs.length - 1];
    if (last?.op === op) last.text += text;
    else runs.push({ op, text });
  };
  let i = 0;
  let j = 0;
  const dels: string[] = [];
  const ins: string[] = [];
  const flush = () => {
    if (dels.length) push("-", dels.splice(0).join(""));
    if (ins.length) push("+", ins.splice(0).join(""));
  };
  for (;;) {
    const x = a[i];
    const y = b[j];
    if (x === undefined && y === undefined) break;
    if (x !== undefined && x === y) {
      flush();
      push(" ", x);
      i++;
      j++;
    } else if (x !== undefined && (y === undefined || common(i + 1, j) >= common(i, j + 1))) {
      dels.push(x);
      i++;
    } else if (y !== undefined) {
      ins.push(y);
      j++;
    }
  }
  flush();
  return runs;
}

function stringChange(from: string, to: string, p: Palette, width: number): string {
  if (from.replace(/^[ \n]+|[ \n]+$/g, "") === to.replace(/^[ \n]+|[ \n]+$/g, "")) {
    const show = (s: string) => s.replaceAll("\n", "↵\n").replaceAll(" ", "·");
    return (
      p.yellow("± whitespace only change") +
      "\n" +
      textBlocks(
        0,
        [eachLine(p.red, withPrefix("- ", show(from))), eachLine(p.green, withPrefix("+ ", show(to)))],
        width,
      )
    );
  }
  if (from.includes("\n") || to.includes("\n")) {
    let ins = 0;
    let del = 0;
    let body = "";
    for (const run of lineRuns(lineTokens(from), lineTokens(to))) {
      if (run.op === "+") {
        body += eachLine(p.green, withContinuousPrefix("+ ", run.text));
        ins++;
      } else if (run.op === "-") {
        body += eachLine(p.red, withContinuousPrefix("- ", run.text));
        del++;
      }
    }
    return (
      p.yellow(`± value change in multiline text (${plural(ins, "insert")}, ${plural(del, "deletion")})`) +
      "\n" +
      body +
      "\n"
    );
  }
  return (
    p.yellow("± value change") +
    "\n" +
    eachLine(p.red, withPrefix("- ", from)) +
    eachLine(p.green, withPrefix("+ ", to))
  );
}

function listText(v: JsonValue | undefined): string[] {
  return ((v as JsonValue[] | undefined) ?? []).map((e) =>
    typeof e === "string" && e !== "" ? e : e === null ? "" : typeof e === "object" ? yamlString(e) : String(e),
  );
}

/** One detail (dyff's generateHumanDetailOutput), ending with its line break(s). */
export function renderDetail(c: FieldChange, p: Palette = plainPalette, width = DEFAULT_WIDTH): string {
  switch (c.type) {
    case "added":
    case "removed": {
      const value = (c.type === "added" ? c.after : c.before) as JsonValue;
      const count = c.entries === "map" ? Object.keys(value as object).length : (value as JsonValue[]).length;
      const what =
        c.entries === "map" ? plural(count, "map entry", "map entries") : plural(count, "list entry", "list entries");
      const sign = c.type === "added" ? "+" : "-";
      const color = c.type === "added" ? p.green : p.red;
      // dyff indents added entries by two, removed ones (report.Indent) by none
      const yaml = eachLine(color, neatYaml(restructure(value)));
      return p.yellow(`${sign} ${what} ${c.type}:`) + "\n" + textBlocks(c.type === "added" ? 2 : 0, [yaml], width);
    }
    case "order": {
      const from = listText(c.before);
      const to = listText(c.after);
      const len = (l: string[]) => l.reduce((n, s) => n + plainLength(s), 0) + (l.length - 1) * 2;
      const head = p.yellow("⇆ order changed") + "\n";
      if (Math.max(len(from), len(to)) < Math.floor(width / 2))
        return head + p.red(`- ${from.join(", ")}`) + "\n" + p.green(`+ ${to.join(", ")}`) + "\n";
      return head + tableStyle(" ", 2, [eachLine(p.red, from.join("\n")), eachLine(p.green, to.join("\n"))]);
    }
    default: {
      const from = humanType(c.before);
      const to = humanType(c.after);
      if (from === "string" && to === "string") return stringChange(c.before as string, c.after as string, p, width);
      const head = from !== to ? `± type change from ${from} to ${to}` : "± value change";
      return (
        p.yellow(head) +
        "\n" +
        eachLine(p.red, withPrefix("- ", yamlString(c.before).replace(/\n+$/, ""))) +
        eachLine(p.green, withPrefix("+ ", yamlString(c.after).replace(/\n+$/, "")))
      );
    }
  }
}

/** The report of an object's changes, as upstream prints it after `drifted` (ends with a blank line). */
export function renderDyffReport(changes: FieldChange[], p: Palette = plainPalette, width = DEFAULT_WIDTH): string {
  let out = "";
  // dyff's diffs: the details at one path (an order change, removals, additions) share it
  const groups: { where: string; changes: FieldChange[] }[] = [];
  let current: { where: string; changes: FieldChange[] } | undefined;
  for (const c of changes) {
    const where = dotPath(c.path);
    if (current?.where === where) current.changes.push(c);
    else groups.push((current = { where, changes: [c] }));
  }
  for (const group of groups) {
    out += "\n" + group.where + "\n";
    out += textBlocks(
      0,
      group.changes.map((c) => renderDetail(c, p, width)),
      width,
    );
  }
  return out + "\n";
}
