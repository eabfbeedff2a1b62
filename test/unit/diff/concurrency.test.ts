import { describe, expect, it } from "vitest";
import { mapConcurrent } from "../../../src/kube/rest.js";

describe("bounded concurrency for dry-runs", () => {
  it("keeps at most `limit` calls in flight, uses the bound, and keeps input order", async () => {
    let inFlight = 0;
    let peak = 0;
    const items = Array.from({ length: 40 }, (_, i) => i);
    const out = await mapConcurrent(items, 8, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, (n * 7) % 5));
      inFlight--;
      return n * 2;
    });
    expect(out).toEqual(items.map((n) => n * 2));
    expect(peak).toBe(8);
  });

  it("handles empty input and propagates errors", async () => {
    expect(await mapConcurrent([], 8, () => Promise.resolve(1))).toEqual([]);
    await expect(
      mapConcurrent([1, 2, 3], 2, async (n) => (n === 2 ? Promise.reject(new Error("boom")) : n)),
    ).rejects.toThrow("boom");
  });
});
