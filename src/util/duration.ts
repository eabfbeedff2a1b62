// Go's time.ParseDuration and Duration.String, so flags accept and print durations
// exactly as upstream flux does (e.g. "1m" is printed back as "1m0s").

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign
  μs: 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const MAX_INT64 = (1n << 63n) - 1n;

export class DurationError extends Error {}

function quote(s: string): string {
  return JSON.stringify(s);
}

/** Parses a Go duration string; returns nanoseconds. Throws DurationError with Go's message. */
/** True when s has an ASCII digit at index i (false past the end). */
function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i); // NaN past the end
  return c >= 48 && c <= 57;
}

export function parseDurationNs(input: string): bigint {
  const orig = input;
  let s = input;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") throw new DurationError(`time: invalid duration ${quote(orig)}`);
  let total = 0n;
  while (s !== "") {
    // integer part
    let i = 0;
    while (isDigitAt(s, i)) i++;
    const intPart = s.slice(0, i);
    s = s.slice(i);
    let fracPart = "";
    if (s.startsWith(".")) {
      s = s.slice(1);
      let j = 0;
      while (isDigitAt(s, j)) j++;
      fracPart = s.slice(0, j);
      s = s.slice(j);
    }
    if (intPart === "" && fracPart === "") throw new DurationError(`time: invalid duration ${quote(orig)}`);
    let u = 0;
    while (u < s.length && s[u] !== "." && !isDigitAt(s, u)) u++;
    if (u === 0) throw new DurationError(`time: missing unit in duration ${quote(orig)}`);
    const unitName = s.slice(0, u);
    s = s.slice(u);
    const unit = UNITS[unitName];
    if (unit === undefined) {
      throw new DurationError(`time: unknown unit ${quote(unitName)} in duration ${quote(orig)}`);
    }
    let v = BigInt(intPart || "0") * unit;
    if (fracPart !== "") {
      // Go truncates fractional nanoseconds toward zero.
      v += (BigInt(fracPart) * unit) / 10n ** BigInt(fracPart.length);
    }
    total += v;
    if (total > MAX_INT64 + (neg ? 1n : 0n)) throw new DurationError(`time: invalid duration ${quote(orig)}`);
  }
  return neg ? -total : total;
}

/** Parses a Go duration into milliseconds (sub-millisecond precision is dropped). */
export function parseDuration(input: string): number {
  return Number(parseDurationNs(input) / 1_000_000n);
}

function fmtFrac(v: bigint, prec: number): { rest: bigint; text: string } {
  // Mirrors Go's fmtFrac: prints the fraction of v/10**prec, omitting trailing zeros.
  let text = "";
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print = print || digit !== 0n;
    if (print) text = String(digit) + text;
    v /= 10n;
  }
  if (print) text = "." + text;
  return { rest: v, text };
}

/** Formats nanoseconds like Go's Duration.String ("1m0s", "1h30m0s", "500ms", "0s"). */
export function formatDurationNs(d: bigint): string {
  if (d === 0n) return "0s";
  const neg = d < 0n;
  let u = neg ? -d : d;
  let out: string;
  if (u < 1_000_000_000n) {
    let prec: number;
    let unit: string;
    if (u < 1_000n) return (neg ? "-" : "") + String(u) + "ns";
    if (u < 1_000_000n) {
      prec = 3;
      unit = "µs";
    } else {
      prec = 6;
      unit = "ms";
    }
    const { rest, text } = fmtFrac(u, prec);
    out = String(rest) + text + unit;
  } else {
    const { rest, text } = fmtFrac(u, 9);
    u = rest;
    out = String(u % 60n) + text + "s";
    u /= 60n;
    if (u > 0n) {
      out = String(u % 60n) + "m" + out;
      u /= 60n;
      if (u > 0n) out = String(u) + "h" + out;
    }
  }
  return (neg ? "-" : "") + out;
}

export function formatDuration(ms: number): string {
  return formatDurationNs(BigInt(Math.round(ms)) * 1_000_000n);
}

/** Normalises a duration string to Go's canonical form, e.g. "1m" -> "1m0s". */
export function canonicalDuration(input: string): string {
  return formatDurationNs(parseDurationNs(input));
}
