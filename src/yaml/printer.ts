// The one YAML printer. It reproduces what upstream flux prints through
// sigs.k8s.io/yaml (JSON marshal, then go-yaml v2 emit): keys sorted with go-yaml's
// natural order, go-yaml's choice of plain/single/double/literal styles, sequences
// not indented inside mappings, and long scalars folded at column 80.
// Written from the YAML 1.1 rules go-yaml follows; no dependency so that
// `create ... --export` starts fast.

import { must } from "../util/must.js";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue | undefined };

const BEST_WIDTH = 80;

// ---------------------------------------------------------------- key order

function isLetter(ch: string): boolean {
  // ASCII first: the Unicode class costs V8 a large compile on the first key of every run.
  if ((ch >= "a" && ch <= "z") || (ch >= "A" && ch <= "Z")) return true;
  return ch > "\x7f" && /\p{L}/u.test(ch);
}
function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "9";
}
/** The code point of a one-character string. */
function codePoint(ch: string): number {
  return must(ch.codePointAt(0), "the code point of a character");
}

/** go-yaml v2's keyList.Less for string keys: digit runs compare as numbers, non-letters first. */
export function goYamlKeyLess(a: string, b: string): boolean {
  // Runes, as Go ranges over a string.
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; ; i++) {
    const ac = ar[i];
    const bc = br[i];
    if (ac === undefined || bc === undefined) return ar.length < br.length;
    if (ac === bc) continue;
    const al = isLetter(ac);
    const bl = isLetter(bc);
    if (al && bl) return codePoint(ac) < codePoint(bc);
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ac === "0" || bc === "0") {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== "0") {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + Number(ar[ai]);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return codePoint(ac) < codePoint(bc);
  }
}

export function goYamlKeyCompare(a: string, b: string): number {
  if (goYamlKeyLess(a, b)) return -1;
  if (goYamlKeyLess(b, a)) return 1;
  return 0;
}

// ---------------------------------------------------------------- resolving

const NON_STRING_WORDS = new Set([
  "",
  "~",
  "null",
  "Null",
  "NULL",
  "y",
  "Y",
  "yes",
  "Yes",
  "YES",
  "on",
  "On",
  "ON",
  "true",
  "True",
  "TRUE",
  "n",
  "N",
  "no",
  "No",
  "NO",
  "off",
  "Off",
  "OFF",
  "false",
  "False",
  "FALSE",
  ".nan",
  ".NaN",
  ".NAN",
  ".inf",
  ".Inf",
  ".INF",
  "+.inf",
  "+.Inf",
  "+.INF",
  "-.inf",
  "-.Inf",
  "-.INF",
]);

const GO_INT = /^[+-]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const GO_FLOAT = /^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|[iI]nf(inity)?|NaN)$/;

function daysIn(month: number, year: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** go-yaml v2 parseTimestamp: the layouts it tries through time.Parse. */
function isTimestamp(s: string): boolean {
  // Every layout starts with four digits and a dash: most scalars stop here, before the regular expression.
  if (s[4] !== "-") return false;
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?))?$/.exec(
      s,
    );
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return false;
  const h = Number(m[4] ?? m[7] ?? 0);
  const mi = Number(m[5] ?? m[8] ?? 0);
  const se = Number(m[6] ?? m[9] ?? 0);
  return h < 24 && mi < 60 && se < 60;
}

/** Whether every character of s can appear in a Go int or a YAML float (digits, hex, signs, dots, underscores, exponent). */
function onlyNumberCharacters(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const numeric =
      (c >= 0x30 && c <= 0x39) || // 0-9
      (c >= 0x61 && c <= 0x66) || // a-f (hex digits, the exponent's e, 0b)
      (c >= 0x41 && c <= 0x46) || // A-F
      c === 0x78 ||
      c === 0x58 ||
      c === 0x6f ||
      c === 0x4f || // x X o O
      c === 0x2b ||
      c === 0x2d ||
      c === 0x2e ||
      c === 0x5f; // + - . _
    if (!numeric) return false;
  }
  return true;
}

/** True when go-yaml would read the plain scalar back as something other than a string. */
export function resolvesToNonString(s: string): boolean {
  if (NON_STRING_WORDS.has(s)) return true;
  const c = s.charAt(0);
  if (c === ".") return GO_FLOAT.test(s);
  if (c === "+" || c === "-" || isDigit(c)) {
    // V8 compiles a regular expression on its first use in every run: the cheap checks
    // come first, so a word like "1m0s" or "5m" never reaches them.
    if (s.includes(":") && BASE60_FLOAT.test(s)) return true;
    if (isTimestamp(s)) return true;
    if (!onlyNumberCharacters(s)) return false;
    const plain = s.includes("_") ? s.replaceAll("_", "") : s;
    if (GO_INT.test(plain)) return true;
    if (YAML_FLOAT.test(plain)) return true;
  }
  return false;
}

/** Characters that make a scalar starting with them unusable as a plain scalar (go-yaml's emitter). */
const FIRST_CHARACTER_INDICATORS = "#,[]{}&*!|>'\"%@`";

// A plain word may not start with an indicator, nor with one that is an indicator only
// when followed by a space (analyze() looks at those more closely).
const PLAIN_WORD_FIRST_EXCLUDED = `${FIRST_CHARACTER_INDICATORS}?:-`;

/**
 * Whether s is one printable ASCII word that go-yaml prints plain: no spaces (nothing to
 * fold), no indicator first, not ending in ":", not a word read back as another type.
 * Most scalars (names, kinds, URLs, durations) are; the emitter writes them whole
 * instead of analysing and writing them one character at a time.
 */
export function isPlainWord(s: string): boolean {
  if (s.length === 0 || PLAIN_WORD_FIRST_EXCLUDED.includes(s.charAt(0))) return false;
  if (s.startsWith("...") || s.endsWith(":")) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return !resolvesToNonString(s);
}

// ---------------------------------------------------------------- analysis

function isBreak(ch: string): boolean {
  return ch === "\r" || ch === "\n" || ch === "\u0085" || ch === "\u2028" || ch === "\u2029";
}
function isBlank(ch: string | undefined): boolean {
  return ch === " " || ch === "\t";
}
function isBlankZ(ch: string | undefined): boolean {
  return ch === undefined || isBlank(ch) || isBreak(ch) || ch === "\0";
}
/** go-yaml's is_printable (note: no astral-plane characters, no NEL). */
function isPrintable(ch: string): boolean {
  const c = codePoint(ch);
  if (c === 0x0a) return true;
  if (c >= 0x20 && c <= 0x7e) return true;
  if (c >= 0xa0 && c <= 0xd7ff) return true;
  if (c >= 0xe000 && c <= 0xfffd) return c !== 0xfeff;
  return false;
}

interface Analysis {
  multiline: boolean;
  flowPlainAllowed: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

function analyze(value: string): Analysis {
  const chars = Array.from(value);
  if (chars.length === 0) {
    return {
      multiline: false,
      flowPlainAllowed: false,
      blockPlainAllowed: true,
      singleQuotedAllowed: true,
      blockAllowed: false,
    };
  }
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  if (value.startsWith("---") || value.startsWith("...")) {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  let followedByWhitespace = isBlankZ(chars[1]);
  for (const [i, ch] of chars.entries()) {
    if (i === 0) {
      if (FIRST_CHARACTER_INDICATORS.includes(ch)) {
        flowIndicators = true;
        blockIndicators = true;
      }
      if (ch === "?" || ch === ":") {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (ch === "-" && followedByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    } else {
      if (",?[]{}".includes(ch)) flowIndicators = true;
      if (ch === ":") {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (ch === "#" && precededByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    }
    if (!isPrintable(ch)) specialCharacters = true;
    if (isBreak(ch)) lineBreaks = true;
    if (ch === " ") {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(ch)) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankZ(ch);
    if (i + 1 < chars.length) followedByWhitespace = isBlankZ(chars[i + 2]);
  }
  const a: Analysis = {
    multiline: lineBreaks,
    flowPlainAllowed: true,
    blockPlainAllowed: true,
    singleQuotedAllowed: true,
    blockAllowed: true,
  };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
  }
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
  }
  if (spaceBreak || specialCharacters) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
    a.blockAllowed = false;
  }
  if (lineBreaks) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
  }
  if (flowIndicators) a.flowPlainAllowed = false;
  if (blockIndicators) a.blockPlainAllowed = false;
  return a;
}

export type Style = "plain" | "single" | "double" | "literal";

export function selectStyle(value: string, simpleKey: boolean): Style {
  const a = analyze(value);
  let style: Style;
  if (value.includes("\n")) style = "literal";
  else if (!resolvesToNonString(value)) style = "plain";
  else style = "double";
  if (simpleKey && a.multiline) style = "double";
  if (style === "plain") {
    if (!a.blockPlainAllowed) style = "single";
    if (value.length === 0 && simpleKey) style = "single";
  }
  if (style === "single" && !a.singleQuotedAllowed) style = "double";
  if (style === "literal" && (!a.blockAllowed || simpleKey)) style = "double";
  return style;
}

// ---------------------------------------------------------------- emitting

const ESCAPES: Record<number, string> = {
  0x00: "0",
  0x07: "a",
  0x08: "b",
  0x09: "t",
  0x0a: "n",
  0x0b: "v",
  0x0c: "f",
  0x0d: "r",
  0x1b: "e",
  0x22: '"',
  0x5c: "\\",
  0x85: "N",
  0xa0: "_",
  0x2028: "L",
  0x2029: "P",
};

class Emitter {
  out = "";
  column = 0;
  whitespace = true;

  put(s: string): void {
    this.out += s;
    this.column += s.length;
    this.whitespace = false;
  }
  putChar(ch: string): void {
    this.out += ch;
    this.column += 1; // libyaml counts characters, not bytes
    this.whitespace = false;
  }
  /** A flow token after the key's colon (or the sequence dash), separated by one space. */
  putInline(s: string): void {
    if (!this.whitespace) this.space();
    this.put(s);
  }
  space(): void {
    this.out += " ";
    this.column += 1;
    this.whitespace = true;
  }
  newline(): void {
    this.out += "\n";
    this.column = 0;
    this.whitespace = true;
  }
  indentTo(indent: number): void {
    if (this.column > indent || (this.column === indent && !this.whitespace)) this.newline();
    while (this.column < indent) this.space();
    this.whitespace = true;
  }

  scalar(value: string, indent: number, simpleKey: boolean): void {
    if (isPlainWord(value)) {
      // What plain() writes for a word without spaces, in one piece.
      if (!this.whitespace) this.space();
      this.put(value);
      return;
    }
    const style = selectStyle(value, simpleKey);
    const allowBreaks = !simpleKey;
    switch (style) {
      case "plain":
        this.plain(value, indent, allowBreaks);
        break;
      case "single":
        this.singleQuoted(value, indent, allowBreaks);
        break;
      case "double":
        this.doubleQuoted(value, indent, allowBreaks);
        break;
      case "literal":
        this.literal(value, indent);
        break;
    }
  }

  /** Folds a long scalar at a space: the rest continues on the next line at `indent`. */
  private fold(indent: number): void {
    this.newline();
    while (this.column < indent) this.space();
  }

  private plain(value: string, indent: number, allowBreaks: boolean): void {
    if (value.length > 0 && !this.whitespace) this.space();
    const chars = Array.from(value);
    let spaces = false;
    for (const [i, ch] of chars.entries()) {
      if (ch === " ") {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== " ") {
          this.fold(indent);
        } else {
          this.putChar(ch);
        }
        spaces = true;
      } else {
        this.putChar(ch);
        spaces = false;
      }
    }
  }

  private singleQuoted(value: string, indent: number, allowBreaks: boolean): void {
    if (!this.whitespace) this.space();
    this.putChar("'");
    const chars = Array.from(value);
    let spaces = false;
    let breaks = false;
    for (const [i, ch] of chars.entries()) {
      if (ch === " ") {
        if (
          allowBreaks &&
          !spaces &&
          this.column > BEST_WIDTH &&
          i !== 0 &&
          i !== chars.length - 1 &&
          chars[i + 1] !== " "
        ) {
          this.fold(indent);
        } else {
          this.putChar(ch);
        }
        spaces = true;
      } else if (isBreak(ch)) {
        if (!breaks && ch === "\n") this.newline();
        this.newline();
        breaks = true;
      } else {
        if (breaks) {
          while (this.column < indent) this.space();
        }
        if (ch === "'") this.putChar("'");
        this.putChar(ch);
        spaces = false;
        breaks = false;
      }
    }
    this.putChar("'");
  }

  private doubleQuoted(value: string, indent: number, allowBreaks: boolean): void {
    if (!this.whitespace) this.space();
    this.putChar('"');
    const chars = Array.from(value);
    let spaces = false;
    for (const [i, ch] of chars.entries()) {
      const code = codePoint(ch);
      if (!isPrintable(ch) || code === 0xfeff || isBreak(ch) || ch === '"' || ch === "\\") {
        this.putChar("\\");
        const esc = ESCAPES[code];
        if (esc !== undefined) this.put(esc);
        else if (code <= 0xff) this.put("x" + code.toString(16).toUpperCase().padStart(2, "0"));
        else if (code <= 0xffff) this.put("u" + code.toString(16).toUpperCase().padStart(4, "0"));
        else this.put("U" + code.toString(16).toUpperCase().padStart(8, "0"));
        spaces = false;
      } else if (ch === " ") {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
          this.fold(indent);
          if (chars[i + 1] === " ") this.putChar("\\");
        } else {
          this.putChar(ch);
        }
        spaces = true;
      } else {
        this.putChar(ch);
        spaces = false;
      }
    }
    this.putChar('"');
  }

  private literal(value: string, indent: number): void {
    if (!this.whitespace) this.space();
    let hints = "|";
    if (value.startsWith(" ") || isBreak(value[0] ?? "")) hints += "2";
    if (!value.endsWith("\n")) hints += "-";
    else if (value === "\n" || value.endsWith("\n\n")) hints += "+";
    this.put(hints);
    this.newline();
    let breaks = true;
    for (const ch of value) {
      if (isBreak(ch)) {
        this.newline();
        breaks = true;
      } else {
        if (breaks) {
          while (this.column < indent) this.space();
        }
        this.putChar(ch);
        breaks = false;
      }
    }
  }
}

function formatFloat(n: number): string {
  if (Number.isNaN(n)) return ".nan";
  if (n === Infinity) return ".inf";
  if (n === -Infinity) return "-.inf";
  // strconv.FormatFloat(f, 'g', -1, 64): exponent form when exp < -4 || exp >= 21
  const exp = n === 0 ? 0 : Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 21) {
    const text = n.toExponential();
    const mant = text.slice(0, text.indexOf("e"));
    const e = text.slice(text.indexOf("e") + 1);
    const sign = e.startsWith("-") ? "-" : "+";
    const digits = e.replace(/^[+-]/, "").padStart(2, "0");
    return `${mant}e${sign}${digits}`;
  }
  return String(n);
}

function scalarText(value: string | number | boolean | null): string | null {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : formatFloat(value);
  return null;
}

function isMapping(v: unknown): v is Record<string, JsonValue | undefined> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Drops undefined fields and converts values the way JSON.stringify would. */
function normalize(value: unknown): JsonValue | undefined {
  if (value === undefined || typeof value === "function" || typeof value === "symbol") return undefined;
  if (value === null) return null;
  if (value instanceof Date) return value.toISOString().replace(/\.\d{3}Z$/, "Z");
  if (typeof value === "bigint") return Number(value);
  if (typeof value !== "object") return value as JsonValue;
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === "function") return normalize(withJson.toJSON());
  if (Array.isArray(value)) return value.map((v) => normalize(v) ?? null);
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(value)) {
    const n = normalize(v);
    if (n !== undefined) out[k] = n;
  }
  return out;
}

function emitNode(e: Emitter, value: JsonValue, indent: number, inSequence: boolean): void {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      e.putInline("[]");
      return;
    }
    // Sequences are indentless inside mappings, indented inside sequences.
    const seqIndent = inSequence ? indent + 2 : indent;
    for (const item of value) {
      e.indentTo(seqIndent);
      e.put("-");
      e.space();
      emitNode(e, item, seqIndent, true);
    }
    return;
  }
  if (isMapping(value)) {
    const keys = Object.keys(value).sort(goYamlKeyCompare);
    if (keys.length === 0) {
      e.putInline("{}");
      return;
    }
    const mapIndent = inSequence ? indent + 2 : indent;
    for (const key of keys) {
      // normalize() has dropped undefined fields already; skipped as JSON would.
      const child = value[key];
      if (child === undefined) continue;
      e.indentTo(mapIndent);
      e.scalar(key, mapIndent + 2, true);
      e.put(":");
      // a nested block mapping is indented; a sequence is indentless
      emitNode(e, child, isBlock(child) && isMapping(child) ? mapIndent + 2 : mapIndent, false);
    }
    return;
  }
  const text = scalarText(value);
  if (text !== null) e.putInline(text);
  else e.scalar(value as string, indent + 2, false);
}

/** A non-empty sequence or mapping: printed in block style, on lines of its own. */
function isBlock(value: JsonValue): boolean {
  return Array.isArray(value) ? value.length > 0 : isMapping(value) && Object.keys(value).length > 0;
}

/** Serialises one value as go-yaml v2 (via sigs.k8s.io/yaml) would; ends with a newline. */
export function toYaml(value: unknown): string {
  const v = normalize(value);
  if (v === undefined) return "null\n";
  const e = new Emitter();
  emitNode(e, v, isBlock(v) ? 0 : -2, false);
  if (!e.out.endsWith("\n")) e.newline();
  return e.out;
}

/** Each object as its own YAML document, each preceded by `---`, as flux's --export prints. */
export function toYamlDocuments(objects: unknown[]): string {
  return objects.map((o) => "---\n" + toYaml(o)).join("");
}
