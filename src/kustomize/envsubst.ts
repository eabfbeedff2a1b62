// Flux's variable substitution (fluxcd/pkg/envsubst, a fork of drone/envsubst),
// re-implemented: only `${...}` expressions are expanded (a bare `$var` is text),
// `$$` is an escaped `$`, and inside expressions bash-style functions apply:
// ${var:=default} ${var:-default} ${var=default} ${#var} ${var^^} ${var,,}
// ${var:pos:len} ${var/from/to} ${var//from/to} ${var#pre} ${var%suf} ...
// In strict mode a variable that is unset (and not guarded by a default
// operator) is an error: `variable not set (strict mode): "NAME"`.

export class EnvsubstError extends Error {
  override name = "EnvsubstError";
}

export const ERR_BAD_SUBSTITUTION = "bad substitution";
export const ERR_MISSING_CLOSING_BRACE = "missing closing brace";
export const ERR_PARSE_VARIABLE_NAME = "unable to parse variable name";
export const ERR_PARSE_FUNC_SUBSTITUTION = "unable to parse substitution within function";
export const ERR_PARSE_DEFAULT_FUNCTION = "unable to parse default function";

/** Variable names accepted by Flux post-build substitution. */
export const VARSUB_REGEX_SOURCE = "^[_[:alpha:]][_[:alpha:][:digit:]]*$";
const VARSUB_REGEX = /^[_A-Za-z][_A-Za-z0-9]*$/;

export function isValidVarName(name: string): boolean {
  return VARSUB_REGEX.test(name);
}

type Node = { kind: "text"; value: string } | { kind: "func"; name: string; param: string; args: Node[] };

/** A lookup: the value and whether the variable exists. */
export type Mapping = (name: string) => [value: string, exists: boolean];

// ----------------------------------------------------------------- scanner

type Accept = (r: string, i: number) => boolean;

const MODE_IDENT = 1;
const MODE_LBRACK = 2;
const MODE_RBRACK = 4;
const MODE_ESCAPE = 8;
const ESC_DOLLAR = 1;
const ESC_BACKSLASH = 2;

const enum Tok {
  Illegal,
  EOF,
  Ident,
  Lbrack,
  Rbrack,
}

const isLetter = (r: string) => /\p{L}/u.test(r);
const isDigit = (r: string) => /\p{Nd}/u.test(r);

const acceptRune: Accept = () => true;
const acceptIdent: Accept = (r) => isLetter(r) || isDigit(r) || r === "_";
const acceptColon: Accept = (r) => r === ":";
const acceptOneHash: Accept = (r, i) => r === "#" && i === 1;
const acceptNotClosing: Accept = (r) => r !== "}";
const acceptHashFunc: Accept = (r, i) => r === "#" && i < 3;
const acceptPercentFunc: Accept = (r, i) => r === "%" && i < 3;
const acceptDefaultFunc: Accept = (r, i) => (i === 1 && r === ":") || (i === 2 && "=-?+".includes(r));
const acceptReplaceFunc: Accept = (r, i) => (i === 1 && r === "/") || (i === 2 && "/#%".includes(r));
const acceptOneEqual: Accept = (r, i) => i === 1 && r === "=";
const acceptOneColon: Accept = (r, i) => i === 1 && r === ":";
const rejectColonClose: Accept = (r) => r !== ":" && r !== "}";
const acceptSlash: Accept = (r) => r === "/";
const acceptNotSlash: Accept = (r) => r !== "/";
const acceptCasingFunc: Accept = (r, i) => (r === "," || r === "^") && i < 3;

class Scanner {
  // Code points, so positions count characters like Go counts runes here.
  private buf: string[];
  private pos = 0;
  private start = 0;
  private width = 0;
  mode = 0;
  escapeChars = 0;
  accept: Accept = acceptRune;

  constructor(text: string) {
    this.buf = Array.from(text);
  }

  private read(): string {
    const ch = this.buf[this.pos];
    if (ch === undefined) {
      this.width = 0;
      return "";
    }
    this.pos++;
    this.width = 1;
    return ch;
  }

  private unread(): void {
    this.pos -= this.width;
  }

  /** Drops the escape character just read; the character after it is taken as read. */
  private skip(): void {
    this.buf.splice(this.pos - 1, 1);
  }

  peek(): string {
    const r = this.read();
    this.unread();
    return r;
  }

  /** The character `n` places after the next one ("" past the end). */
  peekAt(n: number): string {
    return this.buf[this.pos + n] ?? "";
  }

  text(): string {
    return this.buf.slice(this.start, this.pos).join("");
  }

  scan(): Tok {
    this.start = this.pos;
    const r = this.read();
    if (r === "") return Tok.EOF;
    if (this.scanLbrack(r)) return Tok.Lbrack;
    if (this.scanRbrack(r)) return Tok.Rbrack;
    if (this.scanIdent(r)) return Tok.Ident;
    return Tok.Illegal;
  }

  private scanIdent(r: string): boolean {
    if ((this.mode & MODE_IDENT) === 0) return false;
    if (this.scanEscaped(r)) this.skip();
    else if (!this.accept(r, this.pos - this.start)) return false;
    for (;;) {
      const c = this.read();
      if (c === "") {
        this.unread();
        break;
      }
      if (this.scanLbrack(c)) {
        this.unread();
        this.unread();
        break;
      }
      if (this.scanEscaped(c)) {
        this.skip();
        continue;
      }
      if (!this.accept(c, this.pos - this.start)) {
        this.unread();
        break;
      }
    }
    return true;
  }

  private scanLbrack(r: string): boolean {
    if ((this.mode & MODE_LBRACK) === 0) return false;
    if (r === "$") {
      if (this.read() === "{") return true;
      this.unread();
    }
    return false;
  }

  private scanRbrack(r: string): boolean {
    if ((this.mode & MODE_RBRACK) === 0) return false;
    return r === "}";
  }

  private scanEscaped(r: string): boolean {
    if ((this.mode & MODE_ESCAPE) === 0) return false;
    if (r === "$" && this.escapeChars & ESC_DOLLAR && this.peek() === "$") return true;
    if (r === "\\" && this.escapeChars & ESC_BACKSLASH) {
      const p = this.peek();
      return p === "/" || p === "\\";
    }
    return false;
  }
}

// ----------------------------------------------------------------- parser

class Parser {
  private s: Scanner;
  constructor(text: string) {
    this.s = new Scanner(text);
  }

  parse(): Node[] {
    const nodes: Node[] = [];
    for (;;) {
      const s = this.s;
      s.accept = acceptRune;
      s.mode = MODE_IDENT | MODE_LBRACK | MODE_ESCAPE;
      s.escapeChars = ESC_DOLLAR;
      switch (s.scan()) {
        case Tok.Ident:
          nodes.push({ kind: "text", value: s.text() });
          break;
        case Tok.EOF:
          return nodes;
        case Tok.Lbrack:
          nodes.push(this.parseFunc());
          break;
        default:
          throw new EnvsubstError(ERR_BAD_SUBSTITUTION);
      }
    }
  }

  private parseFunc(): Node {
    const s = this.s;
    s.escapeChars = ESC_DOLLAR | ESC_BACKSLASH;
    if (s.peek() === "#") return this.parseLenFunc();
    s.accept = acceptIdent;
    s.mode = MODE_IDENT;
    if (s.scan() !== Tok.Ident) throw new EnvsubstError(ERR_PARSE_VARIABLE_NAME);
    const name = s.text();
    switch (s.peek()) {
      case ":":
        return this.parseDefaultOrSubstr(name);
      case "=":
        return this.parseDefaultFunc(name);
      case ",":
      case "^":
        return this.parseCasingFunc(name);
      case "/":
        return this.parseReplaceFunc(name);
      case "#":
        return this.parseRemoveFunc(name, acceptHashFunc);
      case "%":
        return this.parseRemoveFunc(name, acceptPercentFunc);
    }
    s.accept = acceptIdent;
    s.mode = MODE_RBRACK;
    if (s.scan() === Tok.Rbrack) return { kind: "func", name: "", param: name, args: [] };
    throw new EnvsubstError(ERR_MISSING_CLOSING_BRACE);
  }

  private parseParam(accept: Accept, mode: number): Node {
    const s = this.s;
    s.accept = accept;
    s.mode = mode | MODE_LBRACK;
    switch (s.scan()) {
      case Tok.Lbrack:
        return this.parseFunc();
      case Tok.Ident:
      case Tok.Rbrack:
        return { kind: "text", value: s.text() };
      default:
        throw new EnvsubstError(ERR_PARSE_FUNC_SUBSTITUTION);
    }
  }

  private scanOperator(accept: Accept, err = ERR_BAD_SUBSTITUTION): string {
    const s = this.s;
    s.accept = accept;
    s.mode = MODE_IDENT;
    if (s.scan() !== Tok.Ident) throw new EnvsubstError(err);
    return s.text();
  }

  private parseDefaultOrSubstr(name: string): Node {
    // look one past the colon
    const next = this.s.peekAt(1);
    if (next !== "" && "=-?+".includes(next)) return this.parseDefaultFunc(name);
    return this.parseSubstrFunc(name);
  }

  private parseSubstrFunc(param: string): Node {
    const node: Node & { kind: "func" } = { kind: "func", name: this.scanOperator(acceptOneColon), param, args: [] };
    node.args.push(this.parseParam(rejectColonClose, MODE_IDENT));
    const s = this.s;
    s.accept = acceptColon;
    s.mode = MODE_IDENT | MODE_RBRACK;
    switch (s.scan()) {
      case Tok.Rbrack:
        return node;
      case Tok.Ident:
        break;
      default:
        throw new EnvsubstError(ERR_BAD_SUBSTITUTION);
    }
    node.args.push(this.parseParam(acceptNotClosing, MODE_IDENT));
    this.consumeRbrack();
    return node;
  }

  private parseRemoveFunc(param: string, accept: Accept): Node {
    const node: Node & { kind: "func" } = { kind: "func", name: this.scanOperator(accept), param, args: [] };
    node.args.push(this.parseParam(acceptNotClosing, MODE_IDENT));
    this.consumeRbrack();
    return node;
  }

  private parseReplaceFunc(param: string): Node {
    const node: Node & { kind: "func" } = { kind: "func", name: this.scanOperator(acceptReplaceFunc), param, args: [] };
    const s = this.s;
    if (s.peek() === "/") node.args.push({ kind: "text", value: "" });
    else node.args.push(this.parseParam(acceptNotSlash, MODE_IDENT | MODE_ESCAPE));
    this.scanOperator(acceptSlash);
    if (s.peek() === "}") {
      this.consumeRbrack();
      return node;
    }
    node.args.push(this.parseParam(acceptNotClosing, MODE_IDENT | MODE_ESCAPE));
    this.consumeRbrack();
    return node;
  }

  private parseDefaultFunc(param: string): Node {
    const s = this.s;
    const accept = s.peek() === "=" ? acceptOneEqual : acceptDefaultFunc;
    const node: Node & { kind: "func" } = {
      kind: "func",
      name: this.scanOperator(accept, ERR_PARSE_DEFAULT_FUNCTION),
      param,
      args: [],
    };
    for (;;) {
      if (s.peek() === "}") {
        this.consumeRbrack();
        return node;
      }
      node.args.push(this.parseParam(acceptNotClosing, MODE_IDENT));
    }
  }

  private parseCasingFunc(param: string): Node {
    const node: Node = { kind: "func", name: this.scanOperator(acceptCasingFunc), param, args: [] };
    this.consumeRbrack();
    return node;
  }

  private parseLenFunc(): Node {
    const name = this.scanOperator(acceptOneHash);
    const param = this.scanOperator(acceptIdent);
    this.consumeRbrack();
    return { kind: "func", name, param, args: [] };
  }

  private consumeRbrack(): void {
    this.s.mode = MODE_RBRACK;
    if (this.s.scan() !== Tok.Rbrack) throw new EnvsubstError(ERR_BAD_SUBSTITUTION);
  }
}

// ----------------------------------------------------------------- functions

const DEFAULT_OPS = new Set(["-", "+", "=", "?", ":-", ":+", ":=", ":?"]);

function globToRegExp(pattern: string): RegExp | undefined {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === "*") re += "[\\s\\S]*";
    else if (c === "?") re += "[\\s\\S]";
    else if (c === "\\") {
      i++;
      if (i >= pattern.length) return undefined;
      re += pattern.charAt(i).replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
    } else if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end < 0) return undefined;
      let cls = pattern.slice(i + 1, end);
      if (cls.startsWith("^")) cls = "^" + cls.slice(1).replace(/[\]\\]/g, "\\$&");
      else cls = cls.replace(/[\]\\^]/g, "\\$&");
      re += `[${cls}]`;
      i = end;
    } else re += c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
  }
  try {
    return new RegExp(`^${re}$`);
  } catch {
    return undefined;
  }
}

function trimShortest(s: string, pattern: string): string {
  const re = globToRegExp(pattern);
  if (!re) return s;
  let shortest = "";
  for (let i = 0; i < s.length; i++) {
    const candidate = s.slice(0, s.length - i);
    if (re.test(candidate)) shortest = candidate;
  }
  return shortest !== "" ? s.slice(shortest.length) : s;
}

function trimLongest(s: string, pattern: string): string {
  const re = globToRegExp(pattern);
  if (!re) return s;
  for (let i = 0; i < s.length; i++) {
    const candidate = s.slice(0, s.length - i);
    if (re.test(candidate)) return s.slice(candidate.length);
  }
  return s;
}

const reverse = (s: string) => Array.from(s).reverse().join("");

function substr(s: string, args: string[]): string {
  const [offsetArg, lengthArg] = args;
  if (offsetArg === undefined) return s;
  if (!/^[+-]?\d+$/.test(offsetArg)) return s;
  let pos = Number(offsetArg);
  if (pos < 0) pos = Math.max(0, s.length + pos);
  if (lengthArg === undefined) return pos < s.length ? s.slice(pos) : "";
  if (!/^[+-]?\d+$/.test(lengthArg)) return s;
  const length = Number(lengthArg);
  if (length < 0) {
    const end = s.length + length;
    return end < pos ? "" : s.slice(pos, end);
  }
  if (pos + length >= s.length) return pos < s.length ? s.slice(pos) : "";
  return s.slice(pos, pos + length);
}

/** The first rune through `change`, the rest as it was. */
function firstRune(v: string, change: (rune: string) => string): string {
  const [head = "", ...rest] = Array.from(v);
  return change(head) + rest.join("");
}

function apply(name: string, v: string, args: string[]): string {
  const [first, second] = args;
  switch (name) {
    case ",":
      return firstRune(v, (r) => r.toLowerCase());
    case ",,":
      return v.toLowerCase();
    case "^":
      return firstRune(v, (r) => r.toUpperCase());
    case "^^":
      return v.toUpperCase();
    case "#":
      if (first === undefined) return String(Buffer.byteLength(v, "utf8"));
      return trimShortest(v, first);
    case "##":
      return first !== undefined ? trimLongest(v, first) : v;
    case "%":
      return first !== undefined ? reverse(trimShortest(reverse(v), reverse(first))) : v;
    case "%%":
      return first !== undefined ? reverse(trimLongest(reverse(v), reverse(first))) : v;
    case ":":
      return substr(v, args);
    case "/#":
      return args.length === 2 && first !== undefined && second !== undefined && v.startsWith(first)
        ? second + v.slice(first.length)
        : v;
    case "/%":
      return args.length === 2 && first !== undefined && second !== undefined && v.endsWith(first)
        ? v.slice(0, v.length - first.length) + second
        : v;
    case "/":
      if (first === undefined) return v;
      return replaceN(v, first, second ?? "", 1);
    case "//":
      if (first === undefined) return v;
      return replaceN(v, first, second ?? "", -1);
    default:
      // "", "=", ":=", ":-", ":?", ":+", "-", "+", "?": the value, or the default when empty
      return v === "" && args.length > 0 ? args.join("") : v;
  }
}

/** Go's strings.Replace(s, old, new, n). */
function replaceN(s: string, from: string, to: string, n: number): string {
  if (from === "") {
    // Go inserts `to` before every rune (up to n times)
    let out = "";
    let count = 0;
    for (const rune of Array.from(s)) {
      if (n < 0 || count < n) {
        out += to;
        count++;
      }
      out += rune;
    }
    if (n < 0 || count < n) out += to;
    return out;
  }
  if (n < 0) return s.split(from).join(to);
  const i = s.indexOf(from);
  return i < 0 ? s : s.slice(0, i) + to + s.slice(i + from.length);
}

function evalNodes(nodes: Node[], mapping: Mapping): string {
  let out = "";
  for (const node of nodes) out += evalNode(node, mapping);
  return out;
}

function evalNode(node: Node, mapping: Mapping): string {
  if (node.kind === "text") return node.value;
  const args = node.args.map((a) => evalNode(a, mapping));
  const [value, exists] = mapping(node.param);
  if (!exists && !DEFAULT_OPS.has(node.name)) {
    throw new EnvsubstError(`variable not set (strict mode): ${JSON.stringify(node.param)}`);
  }
  return apply(node.name, value, args);
}

/** Parses and evaluates `text` with `mapping`. Throws EnvsubstError on bad input or a missing variable. */
export function evalEnvsubst(text: string, mapping: Mapping): string {
  return evalNodes(new Parser(text).parse(), mapping);
}

/**
 * Substitutes from a record of variables. Not strict: a missing variable is
 * the empty string. Strict: a missing variable without a default is an error.
 */
export function substitute(text: string, vars: Record<string, string> | Map<string, string>, strict = false): string {
  const get = (name: string): string | undefined =>
    vars instanceof Map ? vars.get(name) : Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined;
  return evalEnvsubst(text, (name) => {
    const v = get(name);
    if (strict) return [v ?? "", v !== undefined];
    return [v ?? "", true];
  });
}
