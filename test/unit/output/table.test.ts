import { describe, expect, it } from "vitest";
import { displayWidth, renderTable, titleCase } from "../../../src/output/table.js";

describe("renderTable (tablewriter as upstream configures it)", () => {
  it("pads header cells with tabs, the last header cell with one space, every row cell with a tab", () => {
    expect(
      renderTable(
        ["Name", "Ready", "Message"],
        [
          ["podinfo", "True", "ok"],
          ["a", "False", "a longer message"],
        ],
      ),
    ).toBe(
      "NAME   \tREADY\tMESSAGE          \n" +
        "podinfo\tTrue \tok              \t\n" +
        "a      \tFalse\ta longer message\t\n",
    );
  });

  it("without a header the widths come from the rows only", () => {
    expect(renderTable(undefined, [["a", "b"]])).toBe("a\tb\t\n");
    expect(renderTable([], [["a", "b"]])).toBe("a\tb\t\n");
  });

  it("prints only the header when there are no rows, and nothing for no columns", () => {
    expect(renderTable(["Name", "Ready"], [])).toBe("NAME\tREADY \n");
    expect(renderTable(undefined, [])).toBe("");
  });

  it("splits multi-line cells over several lines", () => {
    expect(renderTable(["Name", "Message"], [["x", "line one\nline 2"]])).toBe(
      "NAME\tMESSAGE  \n" + "x   \tline one\t\n" + "    \tline 2  \t\n",
    );
  });

  it("titles headers like tablewriter (underscores, dots, upper case)", () => {
    expect(titleCase("Last scan")).toBe("LAST SCAN");
    expect(titleCase("last_run")).toBe("LAST RUN");
    expect(titleCase("v1.2")).toBe("V1.2");
    expect(titleCase("a.b")).toBe("A B");
    expect(titleCase("  ")).toBe(" ");
  });

  it("measures display width without ANSI codes and with wide characters", () => {
    expect(displayWidth("\u001b[32mok\u001b[39m")).toBe(2);
    expect(displayWidth("日本")).toBe(4);
  });
});
