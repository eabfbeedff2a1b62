import { describe, expect, it } from "vitest";
import { canonicalDuration, formatDurationNs, parseDuration, parseDurationNs } from "../../../src/util/duration.js";

describe("Go durations", () => {
  it.each([
    ["1m", "1m0s"],
    ["1h30m", "1h30m0s"],
    ["500ms", "500ms"],
    ["0", "0s"],
    ["90s", "1m30s"],
    ["1.5h", "1h30m0s"],
    ["2h45m30.5s", "2h45m30.5s"],
    ["-1m", "-1m0s"],
    ["1500us", "1.5ms"],
    ["10ns", "10ns"],
    ["+5s", "5s"],
  ])("%s prints as %s", (input, out) => {
    expect(canonicalDuration(input)).toBe(out);
  });

  it("converts to milliseconds", () => {
    expect(parseDuration("5m0s")).toBe(300_000);
    expect(parseDuration("1.5s")).toBe(1500);
  });

  it.each([
    ["", 'time: invalid duration ""'],
    ["abc", 'time: invalid duration "abc"'],
    ["10", 'time: missing unit in duration "10"'],
    ["1x", 'time: unknown unit "x" in duration "1x"'],
    [".", 'time: invalid duration "."'],
    ["1m-", 'time: unknown unit "m-" in duration "1m-"'],
    ["m", 'time: invalid duration "m"'],
  ])("rejects %j with Go's message", (input, message) => {
    expect(() => parseDurationNs(input)).toThrow(message);
  });

  it("formats sub-second values like Go", () => {
    expect(formatDurationNs(1_500_000_000n)).toBe("1.5s");
    expect(formatDurationNs(999n)).toBe("999ns");
  });
});
