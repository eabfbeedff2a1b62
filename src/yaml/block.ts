// A fast reader for the plain block YAML kustomize prints (kyaml's encoder: two-space
// indents, sequences at their key's column, plain, quoted and literal scalars). It reads
// only what it is sure of and returns undefined for anything else (flow collections,
// anchors, tags, comments, folded or multi-line plain scalars, numbers other than plain
// integers, odd indents), so the caller falls back to the yaml package: the result is
// always what the yaml package (YAML 1.1 scalars, timestamps as text) would return.

import { must } from "../util/must.js";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Thrown inside the reader when the text leaves the subset; caught at the top. */
class Unsupported extends Error {}
const UNSUPPORTED = new Unsupported();

const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
const TRUES = new Set(["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]);
const FALSES = new Set(["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]);
const KEYWORDS = new Set([...NULLS, ...TRUES, ...FALSES]);
/** First characters that make a plain scalar something else (indicators, numbers). */
const SPECIAL_START = /^[-+.0-9&*!|>'"%@`{[\],?#=<:]/;

/**
 * Plain scalars starting like a number or an indicator that YAML 1.1 still reads as
 * text: durations and quantities (`1m0s`, `128Mi`: digits and letters, none of the
 * letters of exponents or radix prefixes), versions (`6.3.5`), options (`--port`),
 * relative paths (`./app`).
 */
const TEXT_DESPITE_START =
  /^(?:[0-9]+[a-zA-Z][0-9a-zA-Z]*|[0-9]+\.[0-9]+\.[0-9]+(?:[-+][0-9A-Za-z.-]+)?|--?[A-Za-z].*|\.\.?\/.*)$/;

function plainScalar(s: string): Json {
  if (NULLS.has(s)) return null;
  if (TRUES.has(s)) return true;
  if (FALSES.has(s)) return false;
  if (/^(?:0|-?[1-9][0-9]{0,14})$/.test(s)) return Number(s);
  if (s.includes(": ") || s.endsWith(":") || s.includes(" #") || s.includes("\t")) throw UNSUPPORTED;
  if (SPECIAL_START.test(s) && !(TEXT_DESPITE_START.test(s) && !/^[0-9]+[a-zA-Z]*[eExXoObB]/.test(s)))
    throw UNSUPPORTED;
  return s;
}

const ESCAPES: Record<string, string> = {
  "\\": "\\",
  '"': '"',
  "/": "/",
  n: "\n",
  t: "\t",
  r: "\r",
  b: "\b",
  f: "\f",
  "0": "\0",
  a: "\x07",
  v: "\v",
  e: "\x1b",
  " ": " ",
};

/** A double-quoted scalar that ends on its line; returns the value and where it ends. */
function doubleQuoted(line: string, start: number): [string, number] {
  let out = "";
  let i = start + 1;
  for (;;) {
    const q = line.indexOf('"', i);
    const b = line.indexOf("\\", i);
    if (q < 0) throw UNSUPPORTED; // continues on the next line
    if (b < 0 || q < b) return [out + line.slice(i, q), q + 1];
    out += line.slice(i, b);
    const c = line[b + 1];
    if (c === undefined) throw UNSUPPORTED;
    const escaped = ESCAPES[c];
    if (escaped !== undefined) {
      out += escaped;
      i = b + 2;
    } else if (c === "x" || c === "u" || c === "U") {
      const n = c === "x" ? 2 : c === "u" ? 4 : 8;
      const hex = line.slice(b + 2, b + 2 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) throw UNSUPPORTED;
      out += String.fromCodePoint(parseInt(hex, 16));
      i = b + 2 + n;
    } else throw UNSUPPORTED;
  }
}

function singleQuoted(line: string, start: number): [string, number] {
  let out = "";
  let i = start + 1;
  for (;;) {
    const q = line.indexOf("'", i);
    if (q < 0) throw UNSUPPORTED;
    out += line.slice(i, q);
    if (line[q + 1] === "'") {
      out += "'";
      i = q + 2;
    } else return [out, q + 1];
  }
}

/** A scalar written on one line from `start` (after `key: ` or `- `), nothing after it. */
function inlineScalar(line: string, start: number): Json {
  const c = line[start];
  if (c === '"' || c === "'") {
    const [value, end] = c === '"' ? doubleQuoted(line, start) : singleQuoted(line, start);
    if (line.slice(end).trim() !== "") throw UNSUPPORTED;
    return value;
  }
  const text = line.slice(start).replace(/ +$/, "");
  if (text === "{}") return {};
  if (text === "[]") return [];
  return plainScalar(text);
}

class Reader {
  private i = 0;
  constructor(private readonly lines: string[]) {}

  /** The line at the reader's position; callers have seen peekIndent() find one. */
  private current(): string {
    return must(this.lines[this.i], "the line peekIndent() found");
  }

  /** Skips blank lines; returns the indent of the next line, or -1 at the end. */
  private peekIndent(): number {
    for (let line = this.lines[this.i]; line !== undefined; line = this.lines[this.i]) {
      const trimmed = line.trimStart();
      if (trimmed === "") {
        this.i++;
        continue;
      }
      if (trimmed[0] === "#" || trimmed[0] === "\t" || line.includes("\t")) throw UNSUPPORTED;
      return line.length - trimmed.length;
    }
    return -1;
  }

  document(): Json {
    const indent = this.peekIndent();
    if (indent !== 0) throw UNSUPPORTED; // empty, or a scalar document: not kustomize's
    const value = this.block(0);
    if (this.peekIndent() !== -1) throw UNSUPPORTED;
    return value;
  }

  /** The block node whose lines start at `indent`. */
  private block(indent: number): Json {
    const line = this.current();
    if (line.startsWith("- ", indent) || line.length === indent + 1) {
      if (line[indent] === "-") return this.sequence(indent);
    }
    return this.mapping(indent);
  }

  private sequence(indent: number): Json[] {
    const out: Json[] = [];
    for (;;) {
      const at = this.peekIndent();
      if (at < indent) return out;
      if (at > indent) throw UNSUPPORTED;
      const line = this.current();
      if (line[indent] !== "-") return out; // the mapping around it goes on
      if (line.length === indent + 1) {
        // `-` alone: the entry is the block below
        this.i++;
        const next = this.peekIndent();
        if (next <= indent) throw UNSUPPORTED;
        out.push(this.block(next));
        continue;
      }
      if (line[indent + 1] !== " ") throw UNSUPPORTED;
      const start = indent + 2;
      if (line[start] === " ") throw UNSUPPORTED;
      if (line[start] === "-" && (line[start + 1] === " " || line.length === start + 1)) throw UNSUPPORTED; // `- -`
      if (this.isKeyLine(line, start)) {
        // `- key: value`: a mapping whose keys sit at start
        out.push(this.mapping(start));
      } else {
        out.push(this.value(line, start, indent));
      }
    }
  }

  private isKeyLine(line: string, start: number): boolean {
    const c = line[start];
    // a quoted scalar (a quoted key followed by `:` fails in inlineScalar)
    if (c === '"' || c === "'") return false;
    const colon = line.indexOf(":", start);
    return colon > start && (colon === line.length - 1 || line[colon + 1] === " ");
  }

  private mapping(indent: number): { [k: string]: Json } {
    const out: { [k: string]: Json } = {};
    let first = true;
    for (;;) {
      const at = first ? indent : this.peekIndent();
      first = false;
      if (at < indent) return out;
      if (at > indent) throw UNSUPPORTED;
      const line = this.current();
      if (line[indent] === "-" && (line[indent + 1] === " " || line.length === indent + 1)) throw UNSUPPORTED;
      const colon = line.indexOf(":", indent);
      if (colon <= indent || (colon !== line.length - 1 && line[colon + 1] !== " ")) throw UNSUPPORTED;
      const key = line.slice(indent, colon);
      // keys are resolved like values: `on`, `yes`, `null`, `.inf` would not stay text
      if (!/^[A-Za-z_$/.][A-Za-z0-9_$./-]*$/.test(key) || KEYWORDS.has(key) || /^\.(?:inf|nan|$)/i.test(key))
        throw UNSUPPORTED;
      if (Object.prototype.hasOwnProperty.call(out, key)) throw UNSUPPORTED;
      let start = colon + 1;
      while (line[start] === " ") start++;
      if (start >= line.length) {
        // `key:` then the block below: deeper, or a sequence at the key's column
        this.i++;
        const next = this.peekIndent();
        if (next > indent) out[key] = this.block(next);
        else if (next === indent && this.current().startsWith("- ", indent)) out[key] = this.sequence(indent);
        else out[key] = null;
        continue;
      }
      out[key] = this.value(line, start, indent);
    }
  }

  /** The value starting at `start` of the current line (a scalar or a block scalar); moves on. */
  private value(line: string, start: number, parentIndent: number): Json {
    const c = line[start];
    if (c === "|") {
      const header = line.slice(start + 1).trimEnd();
      if (header !== "" && header !== "-" && header !== "+") throw UNSUPPORTED;
      this.i++;
      return this.literal(parentIndent, header);
    }
    this.i++;
    const value = inlineScalar(line, start);
    // a deeper line next would continue a plain scalar, or be an error: not this reader's
    if (this.peekIndent() > parentIndent) throw UNSUPPORTED;
    return value;
  }

  /** A literal block scalar (`|`, `|-`, `|+`) under a node at parentIndent. */
  private literal(parentIndent: number, chomp: string): string {
    const body: string[] = [];
    let indent = -1;
    let leading = 0; // the longest blank line before the content
    for (let line = this.lines[this.i]; line !== undefined; line = this.lines[this.i]) {
      const trimmed = line.trimStart();
      if (trimmed === "") {
        if (indent < 0) leading = Math.max(leading, line.length);
        body.push(indent >= 0 && line.length > indent ? line.slice(indent) : "");
        this.i++;
        continue;
      }
      const at = line.length - trimmed.length;
      if (indent < 0) {
        if (at <= parentIndent) break;
        if (leading > at || line.slice(0, at).includes("\t")) throw UNSUPPORTED;
        indent = at;
      }
      if (at < indent) break;
      body.push(line.slice(indent));
      this.i++;
    }
    // trailing blank lines belong to chomping, not to what follows
    let end = body.length;
    while (end > 0 && body[end - 1] === "") end--;
    const trailing = body.length - end;
    if (indent < 0) throw UNSUPPORTED; // no content: left to the yaml package
    const text = body.slice(0, end).join("\n");
    if (chomp === "-") return text;
    if (chomp === "+") return text + "\n" + "\n".repeat(trailing);
    return text + "\n";
  }
}

/**
 * One YAML document as the yaml package reads kustomize's output, or undefined when the
 * text uses anything this reader does not handle (the caller then uses the yaml package).
 */
export function readBlockYaml(text: string): unknown {
  if (text.includes("\r")) return undefined;
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop(); // the last line break ends a line, it starts none
  try {
    return new Reader(lines).document();
  } catch (err) {
    if (err === UNSUPPORTED) return undefined;
    throw err;
  }
}
