// Tables exactly as upstream flux prints them (olekukonko/tablewriter with no borders,
// left alignment, "\t" padding and no white space): every cell is padded to its
// column's width and followed by a tab, except the last header cell which gets one
// space instead. Headers are upper-cased ("Last scan" -> "LAST SCAN"). Cells with
// newlines span several lines, the other cells of the row left blank.

/** tablewriter's Title(): "_" becomes a space, "." between non-digits too, trimmed, upper-cased. */
export function titleCase(name: string): string {
  const chars = Array.from(name);
  const isNumOrSpace = (c: string | undefined) => c !== undefined && /[0-9 ]/.test(c);
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === "_") chars[i] = " ";
    else if (chars[i] === ".") {
      if ((i !== 0 && !isNumOrSpace(chars[i - 1])) || (i !== chars.length - 1 && !isNumOrSpace(chars[i + 1])))
        chars[i] = " ";
    }
  }
  const out = chars.join("").trim();
  if (out.length === 0 && name.length > 0) return " ";
  return out.toUpperCase();
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const ANSI = /\u001b\[[0-9;]*m/g;

/** Display width (ANSI stripped; East Asian wide characters count two). */
export function displayWidth(s: string): number {
  // Fast path: printable ASCII is one column per character.
  if (PRINTABLE_ASCII.test(s)) return s.length;
  let w = 0;
  for (const ch of s.replace(ANSI, "")) {
    const cp = ch.codePointAt(0) ?? 0; // never 0: for..of yields whole code points
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) continue;
    if (cp >= 0x300 && cp <= 0x36f) continue; // combining marks
    w += isWide(cp) ? 2 : 1;
  }
  return w;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function padRight(s: string, width: number): string {
  const pad = width - displayWidth(s);
  return pad > 0 ? s + " ".repeat(pad) : s;
}

/**
 * Renders a table. header may be empty or undefined (no header line, as with
 * --no-header); rows are arrays of cells.
 */
export function renderTable(header: string[] | undefined, rows: string[][]): string {
  const hasHeader = !!header && header.length > 0;
  const cols = Math.max(hasHeader ? header.length : 0, ...rows.map((r) => r.length), 0);
  if (cols === 0) return "";
  const widths = new Array<number>(cols).fill(0);
  const headerLines = hasHeader ? header.map((h) => h.split("\n")) : [];
  if (hasHeader) {
    headerLines.forEach((lines, i) => {
      for (const l of lines) widths[i] = Math.max(widths[i] ?? 0, displayWidth(l));
    });
  }
  const rowLines = rows.map((r) => {
    const cells: string[][] = [];
    for (let i = 0; i < cols; i++) cells.push((r[i] ?? "").split("\n"));
    return cells;
  });
  for (const cells of rowLines) {
    cells.forEach((lines, i) => {
      for (const l of lines) widths[i] = Math.max(widths[i] ?? 0, displayWidth(l));
    });
  }
  let out = "";
  if (hasHeader) {
    const height = Math.max(...headerLines.map((l) => l.length));
    for (let x = 0; x < height; x++) {
      for (let y = 0; y < cols; y++) {
        let h = headerLines[y]?.[x] ?? "";
        h = titleCase(h);
        out += padRight(h, widths[y] ?? 0) + (y === cols - 1 ? " " : "\t");
      }
      out += "\n";
    }
  }
  for (const cells of rowLines) {
    const height = Math.max(...cells.map((l) => l.length));
    for (let x = 0; x < height; x++) {
      for (let y = 0; y < cols; y++) out += padRight(cells[y]?.[x] ?? "", widths[y] ?? 0) + "\t";
      out += "\n";
    }
  }
  return out;
}
