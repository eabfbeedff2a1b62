// Line-level diff (Myers' O(ND) algorithm) and unified hunks with context.
import { must } from "../util/must.js";

export type LineOp = { op: " " | "-" | "+"; line: string };

/** The shortest edit script turning `a` into `b`, as a sequence of kept/removed/added lines. */
export function diffLines(a: string[], b: string[]): LineOp[] {
  // trim the common prefix and suffix: typical edits touch a few lines of many
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head: LineOp[] = a.slice(0, start).map((line) => ({ op: " ", line }));
  const tail: LineOp[] = a.slice(endA).map((line) => ({ op: " ", line }));
  const middle = myers(a.slice(start, endA), b.slice(start, endB));
  return [...head, ...middle, ...tail];
}

/** Beyond this many edits a line diff is not worth its cost: show a replacement. */
const MAX_EDITS = 4000;

function myers(a: string[], b: string[]): LineOp[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((line) => ({ op: "+", line }));
  if (m === 0) return a.map((line) => ({ op: "-", line }));
  const max = Math.min(n + m, MAX_EDITS);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] holds v[k] for k in [-d, d] before step d (compact: memory grows with d², not d·(n+m))
  const trace: Int32Array[] = [];
  // the furthest x on diagonal k; the array starts zero-filled, as the algorithm assumes
  const furthest = (k: number): number => v[offset + k] ?? 0;
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && furthest(k - 1) < furthest(k + 1))) x = furthest(k + 1);
      else x = furthest(k - 1) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  if (!found)
    return [...a.map((line) => ({ op: "-" as const, line })), ...b.map((line) => ({ op: "+" as const, line }))];
  const at = (d: number, k: number): number => must(trace[d]?.[k + d], "a traced diagonal");
  const ops: LineOp[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const k = x - y;
    let prevK: number;
    if (d === 0) prevK = 0;
    else if (k === -d || (k !== d && at(d, k - 1) < at(d, k + 1))) prevK = k + 1;
    else prevK = k - 1;
    const prevX = d === 0 ? 0 : at(d, prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ op: " ", line: must(a[x - 1], "a kept line") });
      x--;
      y--;
    }
    if (d > 0) {
      if (x === prevX) ops.push({ op: "+", line: must(b[y - 1], "an added line") });
      else ops.push({ op: "-", line: must(a[x - 1], "a removed line") });
      x = prevX;
      y = prevY;
    }
  }
  ops.reverse();
  return ops;
}

/** Unified-diff body (no file headers): hunks with `context` lines around changes. */
export function unifiedDiff(before: string, after: string, context = 3): string {
  const a = before === "" ? [] : before.replace(/\n$/, "").split("\n");
  const b = after === "" ? [] : after.replace(/\n$/, "").split("\n");
  const ops = diffLines(a, b);
  const changed = ops.map((o) => o.op !== " ");
  if (!changed.some(Boolean)) return "";
  const keep = new Array<boolean>(ops.length).fill(false);
  ops.forEach((o, i) => {
    if (o.op === " ") return;
    for (let j = Math.max(0, i - context); j <= Math.min(ops.length - 1, i + context); j++) keep[j] = true;
  });
  const out: string[] = [];
  let i = 0;
  let lineA = 1;
  let lineB = 1;
  for (let op = ops[i]; op !== undefined; op = ops[i]) {
    if (!keep[i]) {
      if (op.op !== "+") lineA++;
      if (op.op !== "-") lineB++;
      i++;
      continue;
    }
    let j = i;
    let countA = 0;
    let countB = 0;
    const body: string[] = [];
    for (let o = ops[j]; o !== undefined && keep[j]; o = ops[j]) {
      body.push(o.op + o.line);
      if (o.op !== "+") countA++;
      if (o.op !== "-") countB++;
      j++;
    }
    out.push(
      `@@ -${countA === 0 ? lineA - 1 : lineA},${countA} +${countB === 0 ? lineB - 1 : lineB},${countB} @@`,
      ...body,
    );
    lineA += countA;
    lineB += countB;
    i = j;
  }
  return out.join("\n") + "\n";
}
