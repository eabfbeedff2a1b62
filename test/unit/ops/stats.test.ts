import { describe, expect, it } from "vitest";
import { formatSize } from "../../../src/ops/stats.js";

describe("stats formatSize", () => {
  it("prints sizes as upstream's formatSize (Go's %.1f: exact ties to even)", () => {
    expect(formatSize(0)).toBe("-");
    expect(formatSize(1)).toBe("1 B");
    expect(formatSize(1023)).toBe("1023 B");
    expect(formatSize(1024)).toBe("1.0 KiB");
    expect(formatSize(1280)).toBe("1.2 KiB"); // 1.25: Go rounds the tie to even
    expect(formatSize(1792)).toBe("1.8 KiB"); // 1.75
    expect(formatSize(1587)).toBe("1.5 KiB");
    expect(formatSize(1024 * 1024 - 1)).toBe("1024.0 KiB");
    expect(formatSize(5 * 1024 ** 3 + 512 * 1024 ** 2)).toBe("5.5 GiB");
    expect(formatSize(2 ** 62)).toBe("4.0 EiB");
  });
});
